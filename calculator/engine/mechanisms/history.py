"""Earlier years' hours (from the case's `history`) read against this rule set.

A year's hours are keyed by the rule set's own categories; what a year required is what
the person states for it (`required`) or, failing that, this rule set's per-year
requirement for that category.

A rule set with only a total requirement (no per-year requirement on a category) makes up
and carries over on the total: its key is `TOTAL` ("total"), in the case's `required` too.
"""

from __future__ import annotations

from decimal import Decimal

from ...models.case import YearHours
from ...models.rules import Requirement
from ..resolve import ResolvedRuleSet
from .state import ZERO, d


TOTAL = "total"


def year_requirements(rules: ResolvedRuleSet) -> list[Requirement]:
    return [r for r in rules.rules.requirements if r.over == "year"]


def year_keys(rules: ResolvedRuleSet, categories: list[str] | None) -> list[str]:
    """What catch-up and carry-over move hours between: the named categories; else every
    category with a per-year requirement; else, in a total-only rule set, the total."""
    if categories:
        return list(categories)
    named = [r.category for r in year_requirements(rules) if r.category]
    if named:
        return named
    return [TOTAL] if any(r.category is None and r.categories is None for r in year_requirements(rules)) else []


def history_value(rules: ResolvedRuleSet, row: YearHours, key: str) -> Decimal:
    """A history year's hours for a key of `year_keys`: a category's, or the total."""
    return history_total(rules, row) if key == TOTAL and key not in rules.categories else history_hours(rules, row, key)


def targets(req: Requirement) -> list[str] | None:
    """The categories a requirement adds up; None for the total."""
    if req.category is not None:
        return [req.category]
    return list(req.categories) if req.categories else None


def combined(req: Requirement, values: list[Decimal]) -> Decimal:
    """Several categories' hours toward one requirement: added up, or (combine: any) the best one."""
    if req.combine == "any":
        return max(values, default=ZERO)
    return sum(values, ZERO)


def history_hours(rules: ResolvedRuleSet, row: YearHours, category: str) -> Decimal:
    """A history year's hours in a category: stated, or the sum of its stated sub-categories."""
    if category in row.hours:
        return d(row.hours[category])
    children = [c.id for c in rules.rules.categories if c.within == category]
    return sum((history_hours(rules, row, c) for c in children), ZERO)


def history_total(rules: ResolvedRuleSet, row: YearHours) -> Decimal:
    if row.total is not None:
        return d(row.total)
    if TOTAL in row.hours and TOTAL not in rules.categories:  # the page's column of a total-only rule set
        return d(row.hours[TOTAL])
    tops = [c for c in rules.rules.categories if c.within is None and c.counts_toward_total]
    return sum((history_hours(rules, row, c.id) for c in tops), ZERO)


def required_for(rules: ResolvedRuleSet, row: YearHours | None, category: str) -> Decimal | None:
    """What the year required in a category: the person's figure, else this rule set's."""
    if row is not None and row.required is not None and category in row.required:
        return d(row.required[category])
    total = category == TOTAL and category not in rules.categories
    for req in year_requirements(rules):
        if (req.category is None and req.categories is None) if total else req.category == category:
            return d(req.hours)
    return None


def requirement_met(rules: ResolvedRuleSet, req: Requirement, row: YearHours) -> tuple[bool, Decimal]:
    """Does a history year meet one per-year requirement (this rule set's figures)? And by how much short."""
    cats = targets(req)
    earned = history_total(rules, row) if cats is None else combined(req, [history_hours(rules, row, c) for c in cats])
    required = d(req.hours)
    return earned >= required, max(ZERO, required - earned)
