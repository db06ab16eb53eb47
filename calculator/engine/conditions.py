"""Evaluate and describe conditions over derived facts (see facts.py)."""

from __future__ import annotations

from ..models.facts import FACT_LABELS
from ..models.rules import Condition

_OPS = {">=": "不少于", ">": "超过", "<=": "不超过", "<": "不足"}


def holds(condition: Condition, facts: dict[str, float | bool | None]) -> bool:
    """True when the condition holds; a fact the case does not state never satisfies it."""
    if condition.always:
        return True
    if condition.any is not None:
        return any(holds(c, facts) for c in condition.any)
    if condition.all is not None:
        return all(holds(c, facts) for c in condition.all)
    value = facts.get(condition.fact or "")
    if value is None:
        return False
    if condition.op == "is_true":
        return bool(value)
    if condition.op == "is_false":
        return not value
    limit = condition.value if condition.value is not None else 0.0
    number = float(value)
    return {
        ">=": number >= limit,
        ">": number > limit,
        "<=": number <= limit,
        "<": number < limit,
    }[condition.op or ">="]


def describe(condition: Condition) -> str:
    """The condition as a Chinese phrase, for explanations and generated guides."""
    if condition.always:
        return "所有人"
    if condition.any is not None:
        return "或".join(f"（{describe(c)}）" for c in condition.any)
    if condition.all is not None:
        return "且".join(f"（{describe(c)}）" for c in condition.all)
    label = FACT_LABELS.get(condition.fact or "", condition.fact or "")
    if condition.op == "is_true":
        return label
    if condition.op == "is_false":
        return f"并非{label}"
    value = condition.value if condition.value is not None else 0
    shown = int(value) if float(value).is_integer() else value
    return f"{label}{_OPS[condition.op or '>=']}{shown}"


def facts_in(rules) -> set[str]:
    """Every fact a rule set's conditions test (exceptions, deadlines, catch-up, carry-over)."""
    found: set[str] = set()

    def walk(cond: Condition | None) -> None:
        if cond is None:
            return
        if cond.fact:
            found.add(cond.fact)
        for sub in (cond.any or []) + (cond.all or []):
            walk(sub)

    for exc in rules.exceptions:
        walk(exc.when)
    for dl in rules.deadlines:
        walk(dl.applies_when)
    for entry in list(rules.makeup) + list(rules.carry_over):
        walk(entry.when)
    return found
