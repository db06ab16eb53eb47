"""Carry-over (结转): hours above an earlier year's requirement count toward this year,
within the rule's years and cap. Runs before the requirements are tested."""

from __future__ import annotations

from ...models.result import CarryOverLine, CarryOverOut
from ..cite import cite_entry
from ..conditions import holds
from ..words import num
from .history import TOTAL, history_value, required_for, year_keys
from .state import ZERO, Evaluation, d, f


def carry_over(ev: Evaluation) -> CarryOverOut | None:
    rules = ev.rules
    rule = next((c for c in rules.rules.carry_over if holds(c.when, ev.facts)), None)
    if rule is None:
        return None
    categories = year_keys(rules, rule.categories)
    room = d(rule.max_hours) if rule.max_hours is not None else None
    history = ev.history
    lines: list[CarryOverLine] = []
    for year in range(ev.year - rule.years_back, ev.year):
        row = history.get(year)
        if row is None:
            continue
        for cat in categories:
            required = required_for(rules, row, cat)
            if required is None:
                continue
            surplus = history_value(rules, row, cat) - required
            if room is not None:
                surplus = min(surplus, room)
            if surplus <= 0:
                continue
            if room is not None:
                room -= surplus
            total = cat == TOTAL and cat not in rules.categories
            lineage, to_total = ([], True) if total else (rules.ancestors(cat), ev.counts_to_total(cat))
            ev.ledger.add(ev.year, lineage, surplus, to_total)
            ev.title_ledger.add(ev.year, lineage, surplus, to_total)
            lines.append(CarryOverLine(from_year=year, category=cat, hours=f(surplus),
                                       category_name=rules.label(None if total else cat)))
    total = sum((d(x.hours) for x in lines), ZERO)
    citation = cite_entry(rules, "carry_over", rule)
    parts = "、".join(f"{x.from_year}年{x.category_name}{num(x.hours)}{ev.unit}" for x in lines) or "无可结转的学时"
    cap = f"（最多{num(rule.max_hours)}{ev.unit}）" if rule.max_hours is not None else ""
    ev.note("carry_over", f"{rule.label}{cap}：结转{parts}", citation, f"carry_over/{rule.id}", total=f(total))
    return CarryOverOut(id=rule.id, label=rule.label, lines=lines, total=f(total),
                        max_hours=rule.max_hours, citation=citation)
