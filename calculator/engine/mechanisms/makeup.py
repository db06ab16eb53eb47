"""Catch-up (补学): this year's surplus fills earlier years' gaps, oldest first, within the
rule's years (absolute, or relative to this year) and caps (hours, number of years)."""

from __future__ import annotations

from decimal import Decimal

from ...models.result import MakeupAllocation, MakeupOut, RequirementLine
from ..cite import cite_entry
from ..conditions import holds
from ..words import num, years_text
from .history import TOTAL, history_value, required_for, year_keys
from .state import ZERO, Evaluation, d, f


def makeup(ev: Evaluation, lines: list[RequirementLine]) -> MakeupOut | None:
    rules = ev.rules
    rule = next((m for m in rules.rules.makeup if holds(m.when, ev.facts)), None)
    if rule is None:
        return None
    targets = sorted(rule.target_years) if rule.target_years else list(range(ev.year - (rule.years_back or 0), ev.year))
    keys = year_keys(rules, rule.categories)
    surplus: dict[str, Decimal] = {}
    for line in lines:
        key = line.category if line.category is not None else TOTAL if line.categories is None else None
        if line.over != "year" or key not in keys or line.earned <= line.required:
            continue
        extra = d(line.earned) - d(line.required)
        if rule.counted_from is not None:
            # Only hours of the named kinds may be moved: the surplus is capped by them.
            top = rules.ancestors(key)[-1] if line.category is not None else None
            eligible = sum((hours for (y, k, t), hours in ev.ledger.by_kind.items()
                            if y == ev.year and k in rule.counted_from and (top is None or t == top)), ZERO)
            extra = min(extra, eligible)
        if extra > 0:
            surplus[key] = extra
    remaining = dict(surplus)
    room = d(rule.max_hours) if rule.max_hours is not None else None
    allocations: list[MakeupAllocation] = []
    years_used: list[int] = []
    history = ev.history
    for year in targets:
        row = history.get(year)
        if row is None:
            continue
        if rule.max_years is not None and len(years_used) >= rule.max_years:
            break
        for cat in list(surplus):
            required = required_for(rules, row, cat)
            if required is None or remaining[cat] <= 0 or (room is not None and room <= 0):
                continue
            gap = required - history_value(rules, row, cat)
            take = min(max(gap, ZERO), remaining[cat])
            if room is not None:
                take = min(take, room)
            if take > 0:
                remaining[cat] -= take
                if room is not None:
                    room -= take
                allocations.append(MakeupAllocation(year=year, category=cat, hours=f(take),
                                                    category_name=_name(rules, cat)))
                if year not in years_used:
                    years_used.append(year)
    citation = cite_entry(rules, "makeup", rule)
    caps = []
    if rule.max_years is not None:
        caps.append(f"一次最多{rule.max_years}个年度")
    if rule.max_hours is not None:
        caps.append(f"最多{num(rule.max_hours)}{ev.unit}")
    extra_text = "、".join(f"{_name(rules, k)}{num(v)}{ev.unit}" for k, v in surplus.items()) or "无"
    done = "；".join(f"{a.year}年{a.category_name}{num(a.hours)}{ev.unit}" for a in allocations) or "无可分配的缺口"
    ev.note("makeup", f"{rule.label}：本年度超出部分{extra_text}，可补{years_text(targets)}"
            + (f"（{'，'.join(caps)}）" if caps else "") + f"；分配：{done}",
            citation, f"makeup/{rule.id}")
    return MakeupOut(
        id=rule.id, label=rule.label, surplus={k: f(v) for k, v in surplus.items()},
        allocations=allocations, unallocated={k: f(v) for k, v in remaining.items() if v > 0},
        target_years=targets, citation=citation, max_hours=rule.max_hours, max_years=rule.max_years,
    )


def _name(rules, key: str) -> str:
    return rules.label(None) if key == TOTAL and key not in rules.categories else rules.label(key)
