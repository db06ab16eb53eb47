"""Evaluate and describe conditions over derived facts (see facts.py)."""

from __future__ import annotations

from ..models.facts import FACT_LABELS
from ..models.rules import Condition, Question

_OPS = {">=": "不少于", ">": "超过", "<=": "不超过", "<": "不足"}


def holds(condition: Condition, facts: dict[str, float | bool | str | None]) -> bool:
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
    if condition.op == "in":
        return value in (condition.values or [])
    if condition.op == "is_true":
        return bool(value)
    if condition.op == "is_false":
        return not value
    if isinstance(value, str):
        return False  # a choice is never more or less than a number
    limit = condition.value if condition.value is not None else 0.0
    number = float(value)
    return {
        ">=": number >= limit,
        ">": number > limit,
        "<=": number <= limit,
        "<": number < limit,
    }[condition.op or ">="]


def unknown(condition: Condition, facts: dict[str, object]) -> set[str]:
    """The facts a condition tests that the case does not state."""
    return {name for name in condition.facts() if facts.get(name) is None}


def describe(condition: Condition, questions: "dict[str, Question] | None" = None) -> str:
    """The condition as a Chinese phrase, for explanations and generated guides; `questions`:
    the rule set's own questions, whose labels and choices name their facts."""
    if condition.always:
        return "所有人"
    if condition.any is not None:
        return "或".join(f"（{describe(c, questions)}）" for c in condition.any)
    if condition.all is not None:
        return "且".join(f"（{describe(c, questions)}）" for c in condition.all)
    question = (questions or {}).get(condition.fact or "")
    label = question.label if question else FACT_LABELS.get(condition.fact or "", condition.fact or "")
    if condition.op == "in":
        names = (question.choices or {}) if question else {}
        return f"{label}为" + "或".join(names.get(v, v) for v in condition.values or [])
    if condition.op == "is_true":
        return label
    if condition.op == "is_false":
        return f"并非{label}"
    value = condition.value if condition.value is not None else 0
    shown = int(value) if float(value).is_integer() else value
    return f"{label}{_OPS[condition.op or '>=']}{shown}"


def conditions_of(rules) -> list[tuple[str, Condition]]:
    """Every condition a rule set states, with the entry it belongs to: exceptions, deadlines,
    requirements, reductions, catch-up and carry-over."""
    found = [(f"exceptions/{e.id}", e.when) for e in rules.exceptions]
    found += [(f"deadlines/{d.id}", d.applies_when) for d in rules.deadlines if d.applies_when is not None]
    found += [(f"requirements/{r.id}", r.applies_when) for r in rules.requirements if r.applies_when is not None]
    found += [(f"reductions/{r.id}", r.when) for r in rules.reductions]
    found += [(f"makeup/{m.id}", m.when) for m in rules.makeup]
    found += [(f"carry_over/{c.id}", c.when) for c in rules.carry_over]
    return found


def facts_in(rules) -> set[str]:
    """Every fact a rule set's conditions test, and the facts its reductions scale by."""
    found: set[str] = set()
    for _, cond in conditions_of(rules):
        found |= cond.facts()
    found |= {red.factor.fact for red in rules.reductions}
    return found
