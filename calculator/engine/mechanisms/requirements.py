"""Requirements: earned against required, per year or over the whole period."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ...models.result import Alternative, RequirementLine
from ...models.rules import UNIT_NAMES, Requirement
from ..cite import cite_entry
from .history import combined, history_hours, history_total, targets
from .state import ZERO, Evaluation, Ledger, d, f


def earned(ev: Evaluation, req: Requirement, ledger: Ledger) -> Decimal:
    """Hours toward one requirement: this year's, or (over the period) every year's incl. history."""
    cats = targets(req)
    years = [ev.year] if req.over == "year" else ev.period_years
    if cats is None:
        value = ledger.total(years)
    else:
        per_cat = {c: ledger.category(c, years) for c in cats}
    if req.over == "period":
        for year in years:
            row = ev.history.get(year)
            if row is None or year == ev.year:
                continue
            if cats is None:
                value += history_total(ev.rules, row)
            else:
                for c in cats:
                    per_cat[c] += history_hours(ev.rules, row, c)
    return value if cats is None else combined(req, list(per_cat.values()))


def requirement_lines(ev: Evaluation, ledger: Ledger) -> list[RequirementLine]:
    rules = ev.rules
    lines = []
    for req in rules.rules.requirements:
        got = earned(ev, req, ledger)
        required = d(req.hours)
        alternative = None
        if req.alternative is not None:
            alt = req.alternative
            years = [ev.year] if req.over == "year" else ev.period_years
            alt_earned = sum((ledger.quantity[(y, k)] for y in years for k in alt.counted_from), ZERO)
            alternative = Alternative(
                unit=UNIT_NAMES[alt.unit], amount=alt.amount, earned=f(alt_earned),
                met=alt_earned >= d(alt.amount),
                citation=replace(
                    cite_entry(rules, "requirements", req),
                    quote=alt.citation.quote, section=alt.citation.section, interpretation=alt.interpretation,
                ),
            )
        met = got >= required or bool(alternative and alternative.met)
        cats = targets(req)
        name = rules.label(None) if cats is None else ("或".join if req.combine == "any" else "+".join)(
            rules.label(c) for c in cats)
        lines.append(RequirementLine(
            id=req.id, label=req.label, category=req.category, category_name=name,
            required=req.hours, earned=f(got), shortfall=0 if met else f(required - got), met=met,
            alternative=alternative, citation=cite_entry(rules, "requirements", req),
            categories=list(req.categories) if req.categories else None, over=req.over,
            state="met" if met else "short", applies_to=ev.applies_to.get(req.id), reduced=ev.reduced.get(req.id),
        ))
    return lines
