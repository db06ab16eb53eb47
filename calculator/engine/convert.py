"""One activity against the effective rules: is it well-formed here, and how many hours.

Checks that need the rules (does this kind exist in this rule set, is this author order
one of its choices, is the date inside the year) produce `Problem`s with a JSON path and
a Chinese message, so the page can show them next to the field and still compute the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ..models.case import Activity
from ..models.result import Problem
from ..models.rules import UNIT_NAMES, ChoiceOption, Conversion, ConversionRow, IntRange
from .resolve import ResolvedRuleSet
from .words import days_text, num, row_cap_text, tier_text

# Calendar bounds, not policy numbers: nobody logs more than a year holds.
UNIT_LIMITS: dict[str, float] = {
    "hour": 8784,  # 366 x 24
    "minute": 527040,  # 366 x 24 x 60
    "day": 366,
    "session": 366,
    "item": 366,
    "credit": 8784,  # as many as the hours a year holds
    "point": 10_000_000,  # platform points have no calendar bound; this only refuses absurd input
}
WHOLE_UNITS = {"day", "session", "item"}


def _fmt(number: float | Decimal) -> str:
    return num(number)


def check_activity(
    activity: Activity, index: int, rules: ResolvedRuleSet, years: range
) -> list[Problem]:
    path = f"activities[{index}]"
    conv = rules.conversions.get(activity.kind)
    if conv is None:
        known = "、".join(c.label for c in rules.rules.conversions)
        return [Problem(path=f"{path}.kind", code="unknown_kind",
                        message=f"本规则集没有“{activity.kind}”这类活动；可选：{known}")]
    problems: list[Problem] = []

    def add(field: str, code: str, message: str) -> None:
        problems.append(Problem(path=f"{path}.{field}", code=code, message=message))

    unit = conv.quantity.unit
    if activity.quantity > UNIT_LIMITS[unit]:
        add("quantity", "too_large",
            f"{conv.quantity.label}为{_fmt(activity.quantity)}{UNIT_NAMES[unit]}，超过一年所能有的"
            f"{_fmt(UNIT_LIMITS[unit])}{UNIT_NAMES[unit]}")
    if unit in WHOLE_UNITS and not float(activity.quantity).is_integer():
        add("quantity", "not_whole", f"{conv.quantity.label}须为整数")

    if conv.category is not None:
        if activity.category not in (None, conv.category):
            add("category", "fixed_category",
                f"“{conv.label}”只能计入{rules.categories[conv.category].name}")
    elif conv.category_choices is None:
        if activity.category is not None:
            add("category", "total_only", f"“{conv.label}”只计入总{rules.rules.unit_name}，不分科目")
    elif activity.category is None:
        add("category", "missing", "请选择计入的科目")
    elif activity.category not in (conv.category_choices or []):
        names = "、".join(rules.categories[c].name for c in conv.category_choices or [])
        add("category", "bad_category", f"“{conv.label}”只能计入：{names}")

    declared = {o.name: o for o in conv.options}
    for name in activity.options:
        if name not in declared:
            add(f"options.{name}", "unknown_option", f"“{conv.label}”没有“{name}”这一项")
    for option in conv.options:
        value = activity.options.get(option.name)
        if value is None:
            add(f"options.{option.name}", "missing", f"请填写{option.label}")
        elif isinstance(option, ChoiceOption):
            if value not in option.choices:
                add(f"options.{option.name}", "bad_choice",
                    f"{option.label}只能是：{'、'.join(option.choices.values())}")
        elif not isinstance(value, int) or not option.min <= value <= option.max:
            add(f"options.{option.name}", "out_of_range",
                f"{option.label}须为 {option.min} 到 {option.max} 之间的整数")

    rs = rules.rules
    if activity.date is not None and rs.year_of(activity.date) not in years:
        span = f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年周期"
        if rs.year_begins is not None:
            span += f"（{days_text(rs.span(years[0])[0], rs.span(years[-1])[1])}）"
        add("date", "outside_year", f"日期 {activity.date.isoformat()} 不在 {span}内")

    for flag in activity.flags:
        exclusion = rules.exclusions.get(flag)
        if exclusion is None:
            add("flags", "unknown_flag", f"本规则集没有“{flag}”这一标记")
        elif exclusion.kinds is not None and conv.id not in exclusion.kinds:
            add("flags", "flag_not_applicable", f"“{exclusion.label}”不适用于“{conv.label}”")
    return problems


def _matches(row: ConversionRow, options: dict[str, int | str]) -> bool:
    for name, expected in row.when.items():
        value = options.get(name)
        if isinstance(expected, IntRange):
            if not isinstance(value, int):
                return False
            if expected.min is not None and value < expected.min:
                return False
            if expected.max is not None and value > expected.max:
                return False
        elif value != expected:
            return False
    return True


@dataclass(frozen=True)
class Converted:
    hours: Decimal
    row: ConversionRow | None
    text: str


def convert(activity: Activity, conv: Conversion, u: str = "学时") -> Converted:
    """Hours for a well-formed activity, and the sentence that shows the arithmetic."""
    unit = conv.quantity.counter_name
    quantity = Decimal(str(activity.quantity))
    if not conv.produces_hours:
        return Converted(Decimal(0), None, f"{_fmt(quantity)}{unit}（只计天数，不折算{u}）")
    row = next((r for r in conv.rows if _matches(r, activity.options)), None)
    if row is None:
        return Converted(Decimal(0), None, f"所填选项不对应任何折算标准，计 0 {u}")
    per, rate = Decimal(str(row.per)), Decimal(str(row.hours))
    label = f"（{row.label}）" if row.label else ""
    if row.then:
        hours, text = _tiered(conv, row, quantity, u)
    else:
        blocks = quantity / per
        if conv.rounding == "floor":
            blocks = blocks.to_integral_value(rounding=ROUND_FLOOR)
        hours = (blocks * rate).quantize(Decimal("0.01"))
        text = _plain(conv, label, quantity, unit, per, rate, hours, u)
    if row.max_hours is not None and hours > Decimal(str(row.max_hours)):
        hours = Decimal(str(row.max_hours)).quantize(Decimal("0.01"))
        text += f"，{row_cap_text(row.max_hours, hours, u)}"
    return Converted(hours, row, text)


def _blocks(amount: Decimal, per: Decimal, floor: bool) -> Decimal:
    blocks = amount / per
    return blocks.to_integral_value(rounding=ROUND_FLOOR) if floor else blocks


def _tiered(conv: Conversion, row: ConversionRow, quantity: Decimal, u: str) -> tuple[Decimal, str]:
    """前20学时按1:1，其后按1:0.5: each stretch of the quantity at its own rate, added up."""
    unit = conv.quantity.counter_name
    stretches = [(row.hours, row.per, row.up_to)] + [(t.hours, t.per, t.up_to) for t in row.then or []]
    done, hours, parts = Decimal(0), Decimal(0), []
    for first, (rate, per, up_to) in enumerate(stretches):
        end = quantity if up_to is None else min(quantity, Decimal(str(up_to)))
        amount = end - done
        if amount <= 0:
            break
        got = (_blocks(amount, Decimal(str(per)), conv.rounding == "floor") * Decimal(str(rate))).quantize(Decimal("0.01"))
        parts.append(tier_text(first == 0, up_to, amount, unit, per, rate, got, u))
        hours += got
        done = end
    return hours, f"{conv.label}：" + "；".join(parts) + f"，共{_fmt(hours)}{u}"


def _plain(conv: Conversion, label: str, quantity: Decimal, unit: str, per: Decimal, rate: Decimal,
           hours: Decimal, u: str) -> str:
    if per == 1 and rate == 1 and conv.quantity.unit == "hour":
        text = f"{conv.label}：计{_fmt(hours)}{u}"
    elif per == 1:
        text = f"{conv.label}{label}：{_fmt(quantity)}{unit} × {_fmt(rate)}{u} = {_fmt(hours)}{u}"
    else:
        floor_note = "，不足部分不计" if conv.rounding == "floor" else ""
        text = (f"{conv.label}{label}：{_fmt(quantity)}{unit}，每{_fmt(per)}{unit}计{_fmt(rate)}{u}"
                f"{floor_note} = {_fmt(hours)}{u}")
    return text
