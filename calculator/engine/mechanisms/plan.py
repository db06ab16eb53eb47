"""What is left, and how to close it: for each shortfall, the ways this rule set's own
conversions offer (quantity needed, hours, cost where a fee applies), cheapest first."""

from __future__ import annotations

import math
from decimal import Decimal

from ...models.result import GapPlan, RequirementLine, Way
from ...models.rules import Conversion, FeeRate
from ..cite import cite_entry
from ..words import num
from .state import Evaluation, d

WHOLE_UNITS = {"day", "session", "item"}


def _feeds(ev: Evaluation, conv: Conversion, line: RequirementLine) -> bool:
    """Can hours of this kind count toward the line's target?"""
    choices = [conv.category] if conv.category else list(conv.category_choices or [None])
    cats = [line.category] if line.category else line.categories
    for choice in choices:
        if cats is None:
            if ev.counts_to_total(choice):
                return True
        elif choice is not None and set(ev.rules.ancestors(choice)) & set(cats):
            return True
    return False


def _way(ev: Evaluation, conv: Conversion, shortfall: Decimal, rate: dict[str, float]) -> Way | None:
    rows = [r for r in conv.rows if r.hours > 0]
    if not conv.produces_hours or not rows:
        return None
    row = max(rows, key=lambda r: r.hours / r.per)
    per, hours_each = d(row.per), d(row.hours)
    blocks = shortfall / hours_each
    if conv.rounding == "floor" or conv.quantity.unit in WHOLE_UNITS:
        blocks = Decimal(math.ceil(blocks))
    quantity = blocks * per
    if conv.quantity.unit in WHOLE_UNITS:
        quantity = Decimal(math.ceil(quantity))
    hours = blocks * hours_each
    category = conv.category or (conv.category_choices or [None])[0]
    top = ev.rules.ancestors(category)[-1] if category else None
    yuan = None
    if conv.fee_applies and top in rate:
        yuan = float(hours * d(rate[top]))
    what = f"{conv.label}" + (f"（{row.label}）" if row.label and len(rows) > 1 else "")
    if conv.quantity.unit == "hour" and per == hours_each and ev.unit == "学时":
        text = f"{what}{num(hours)}{ev.unit}" + (f"（约{num(yuan)}元）" if yuan is not None else "")
    else:
        text = f"{what}约{num(quantity)}{conv.quantity.counter_name}（{num(hours)}{ev.unit}"
        text += f"，约{num(yuan)}元）" if yuan is not None else "）"
    return Way(kind=conv.id, kind_label=conv.label, quantity=float(quantity), unit=conv.quantity.counter_name,
               hours=float(hours), text=text, yuan=yuan, citation=cite_entry(ev.rules, "conversions", conv))


def gap_plans(ev: Evaluation, lines: list[RequirementLine], passed: str | None = None) -> list[GapPlan]:
    """`passed`: the deadline's date when it is already behind the person (today is known only
    to the entry points; the engine never reads the clock)."""
    rate = {x.category: x.yuan_per_hour for x in ev.rules.rules.fees if isinstance(x, FeeRate)}
    plans = []
    for line in sorted(lines, key=lambda x: x.category is None and not x.categories):
        if line.state != "short" or line.shortfall <= 0:
            continue
        ways = [w for conv in ev.rules.rules.conversions if _feeds(ev, conv, line)
                if (w := _way(ev, conv, d(line.shortfall), rate)) is not None]
        ways.sort(key=lambda w: (w.yuan is None, w.yuan or 0))
        shown = "，或".join(w.text for w in ways[:4])
        text = f"还差{line.category_name}{num(line.shortfall)}{ev.unit}" + (f"：{shown}" if shown else "")
        if passed:
            text += f"（截止日期 {passed} 已过，能否补学请咨询主管部门）"
        plans.append(GapPlan(requirement=line.id, label=line.label, shortfall=line.shortfall, ways=ways, text=text,
                             deadline_passed=bool(passed)))
    return plans
