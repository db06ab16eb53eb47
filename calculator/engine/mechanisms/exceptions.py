"""Labelled exceptions (视同完成, 暂视同完成, 可申请免训) and the year's status.

When several apply, the rule set's `exception_precedence` decides (default: deemed
complete > provisional > exemption), never the order of the list.
"""

from __future__ import annotations

from decimal import Decimal

from ...models.result import ExceptionLine, RequirementLine
from ..cite import cite_entry
from ..conditions import describe, holds
from ..words import exception_text
from .state import ZERO, Evaluation, d


def _known(condition, facts: dict) -> bool:
    if condition.fact is not None:
        return facts.get(condition.fact) is not None
    return True


def exception_lines(ev: Evaluation) -> list[ExceptionLine]:
    lines = []
    for exc in ev.rules.rules.exceptions:
        applies = holds(exc.when, ev.facts)
        known = _known(exc.when, ev.facts)
        lines.append(ExceptionLine(
            id=exc.id, label=exc.label, effect=exc.effect, applies=applies,
            reason=exception_text(exc.label, applies, known, describe(exc.when, ev.rules.questions)),
            evidence=list(exc.evidence), citation=cite_entry(ev.rules, "exceptions", exc),
        ))
    return lines


def provisional_categories(ev: Evaluation) -> set[str]:
    cats: set[str] = set()
    for exc in ev.rules.rules.exceptions:
        if exc.effect == "provisional" and holds(exc.when, ev.facts):
            cats.update(exc.categories or ev.rules.categories.keys())
    return cats


def apply_exceptions(ev: Evaluation, lines: list[RequirementLine], applied: list[ExceptionLine]) -> str:
    """Mark each line (deemed / provisional) and return the status the precedence gives."""
    rules = ev.rules
    deemed = any(e.effect == "deemed_complete" for e in applied)
    provisional = provisional_categories(ev)
    credit: dict[str, Decimal] = {}
    for line in lines:
        line.state = "met" if line.met else "short"
        if deemed:
            continue
        cats = targets_of(line)
        if cats is not None and len(cats) == 1 and not line.met and set(rules.ancestors(cats[0])) & provisional:
            line.provisional = True
            line.state = "provisional"
            credit[cats[0]] = credit.get(cats[0], ZERO) + d(line.shortfall)
    for line in lines:
        cats = targets_of(line)
        if line.met or line.provisional or deemed or not provisional:
            continue
        if cats is None:
            extra = sum((v for c, v in credit.items() if rules.categories.get(c) is not None
                         and rules.categories[c].within is None and ev.counts_to_total(c)), ZERO)
        elif len(cats) > 1:
            extra = sum((v for c, v in credit.items() if c in cats), ZERO)
        else:
            continue
        if extra > 0 and d(line.earned) + extra >= d(line.required):
            line.provisional = True
            line.state = "provisional"
    if all(line.met for line in lines):
        status = "deemed_complete" if deemed else "met"
    else:
        status = "short"
        for effect in rules.rules.exception_precedence:
            if effect == "deemed_complete" and deemed:
                status = "deemed_complete"
            elif effect == "provisional" and provisional and all(x.met or x.provisional for x in lines):
                status = "provisionally_met"
            elif effect == "exemption_available" and any(e.effect == effect for e in applied):
                status = "exemption_available"
            else:
                continue
            break
    if status == "deemed_complete":
        for line in lines:
            line.deemed = True
            line.state = "deemed"
            line.shortfall = 0  # nothing is missing once the year is deemed complete
    return status


def targets_of(line: RequirementLine) -> list[str] | None:
    if line.category is not None:
        return [line.category]
    return line.categories
