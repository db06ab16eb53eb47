"""Each activity: well-formed here? converted to hours, or set aside (exclusion, deadline,
cap), and booked to its year and category in the ledger."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ...models.case import Activity
from ...models.result import ActivityLine, Warning
from ...models.rules import Deadline, Exclusion
from ..cite import cite_entry
from ..conditions import holds
from ..convert import check_activity, convert
from ..words import before_start_text, EXCLUSION_EFFECTS, num
from .state import ZERO, Evaluation, d, f


def applicable_deadline(ev: Evaluation, scope: str) -> Deadline | None:
    found = [
        dl for dl in ev.rules.rules.deadlines
        if dl.scope == scope and (dl.applies_when is None or holds(dl.applies_when, ev.facts))
    ]
    return min(found, key=lambda dl: dl.date, default=None)


def _winning_exclusion(hits: list[Exclusion]) -> Exclusion:
    """The exclusion that decides: one no other applicable exclusion overrides (validated to exist)."""
    ids = {h.id for h in hits}
    overridden = {o for h in hits for o in h.overrides if o in ids}
    overridden |= {h.id for h in hits if any(y in ids for y in h.yields_to)}
    return next(h for h in hits if h.id not in overridden)


class _Caps:
    """Running use of each cap (by year, or over the period)."""

    def __init__(self, ev: Evaluation) -> None:
        self.caps = ev.rules.rules.caps
        self.used: dict[tuple[str, int | None], Decimal] = defaultdict(lambda: ZERO)

    def room(self, kind: str, year: int) -> list[tuple[object, tuple[str, int | None], Decimal]]:
        out = []
        for cap in self.caps:
            if kind in cap.kinds:
                key = (cap.id, year if cap.per == "year" else None)
                out.append((cap, key, d(cap.max_hours) - self.used[key]))
        return out


def book_activities(ev: Evaluation) -> list[ActivityLine]:
    deadline = applicable_deadline(ev, "year")
    title_deadline = applicable_deadline(ev, "title_application")
    caps = _Caps(ev)
    return [_one(ev, ev.position(i), a, deadline, title_deadline, caps) for i, a in enumerate(ev.case.activities)]


def _one(ev: Evaluation, index: int, activity: Activity, deadline: Deadline | None,
         title_deadline: Deadline | None, caps: _Caps) -> ActivityLine:
    rules = ev.rules
    problems = check_activity(activity, index, rules, rules.rules.years)
    conv = rules.conversions.get(activity.kind)
    base = dict(index=index, name=activity.name, kind=activity.kind, quantity=activity.quantity)
    hits = [rules.exclusions[x] for x in activity.flags if x in rules.exclusions]
    if problems:
        ev.problems.extend(problems)
        return ActivityLine(
            **base, kind_label=conv.label if conv else activity.kind, category=activity.category,
            category_name="", unit=conv.quantity.counter_name if conv else "", hours=0, counted=False,
            reason="输入有误，未计入：" + "；".join(p.message for p in problems), citation=None,
        )
    assert conv is not None
    category = conv.category or activity.category  # None: counts toward the total only
    year = rules.rules.year_of(activity.date) if activity.date is not None else ev.year
    converted = convert(activity, conv, ev.unit)
    citation = cite_entry(rules, "conversions", conv)
    hours = converted.hours
    counted, reason = True, converted.text
    if hits:
        counted = False
        hit = _winning_exclusion(hits)
        hit_cite = cite_entry(rules, "exclusions", hit)
        verdict = EXCLUSION_EFFECTS[hit.effect].replace("学时", ev.unit)
        reason += f"；{hit.label}，{verdict}"
        ev.warnings.append(Warning(code=hit.effect, message=f"“{activity.name}”{verdict}：{hit.label}", citation=hit_cite))
        ev.note("exclusion", f"“{activity.name}”：{hit.label}，{verdict}", hit_cite, f"exclusions/{hit.id}",
                activity=index, effect=hit.effect)
    elif deadline is not None and activity.date is not None and activity.date > deadline.date:
        counted = False
        reason += f"；晚于{deadline.label}（{deadline.date.isoformat()}），不计入"
        dl_cite = cite_entry(rules, "deadlines", deadline)
        ev.warnings.append(Warning(
            code="after_deadline",
            message=f"“{activity.name}”的日期晚于{deadline.label}（{deadline.date.isoformat()}），未计入",
            citation=dl_cite,
        ))
    elif deadline is not None and deadline.starts is not None and activity.date is not None \
            and activity.date < deadline.starts:
        counted = False
        reason += f"；{before_start_text(deadline.label, deadline.starts.isoformat())}，不计入"
        ev.warnings.append(Warning(
            code="before_start",
            message=f"“{activity.name}”的日期{before_start_text(deadline.label, deadline.starts.isoformat())}，未计入",
            citation=cite_entry(rules, "deadlines", deadline),
        ))
    if counted and hours > 0:
        for cap, key, room in caps.room(conv.id, year):
            if hours > room:
                cut = hours - max(room, ZERO)
                hours = max(room, ZERO)
                cap_cite = cite_entry(rules, "caps", cap)
                per = "每年度" if cap.per == "year" else "整个周期"
                text = (f"“{activity.name}”：{cap.label}，{per}最多计{num(cap.max_hours)}{ev.unit}，"
                        f"本项只计{num(hours)}{ev.unit}（{num(cut)}{ev.unit}超出上限）")
                reason += f"；{cap.label}：超出上限的{num(cut)}{ev.unit}不计"
                ev.note("cap", text, cap_cite, f"caps/{cap.id}", activity=index, cut=f(cut), max_hours=cap.max_hours)
                ev.warnings.append(Warning(code="capped", message=text, citation=cap_cite))
        for cap, key, _room in caps.room(conv.id, year):
            caps.used[key] += hours
    if counted:
        lineage = rules.ancestors(category) if category else []
        to_total = ev.counts_to_total(category)
        ev.ledger.add(year, lineage, hours, to_total)
        if title_deadline is None or activity.date is None or activity.date <= title_deadline.date:
            ev.title_ledger.add(year, lineage, hours, to_total)
        ev.ledger.quantity[(year, conv.id)] += d(activity.quantity)
        top = lineage[-1] if lineage else ""
        ev.ledger.by_kind[(year, conv.id, top)] += hours
        if conv.fee_applies and top:
            ev.ledger.paid[(year, top)] += hours
    if conv.interpretation and conv.id not in ev.interpreted:
        ev.interpreted.add(conv.id)
        ev.warnings.append(Warning(
            code="interpretation",
            message=f"“{conv.label}”的折算依据本工具对原文的理解：{conv.interpretation}",
            citation=citation,
        ))
    category_name = rules.label(category) if category else "总" + ev.unit
    when = f"，{year}年" if len(ev.period_years) > 1 else ""
    ev.note("activity", f"第{index + 1}项“{activity.name}”（计入{category_name}{when}）：{reason}",
            citation, f"conversions/{conv.id}", activity=index, hours=f(hours) if counted else 0,
            quantity=activity.quantity, year=year)
    return ActivityLine(
        **base, kind_label=conv.label, category=category, category_name=category_name,
        unit=conv.quantity.counter_name, hours=f(hours) if counted else 0, counted=counted,
        reason=reason, citation=citation, evidence=list(conv.evidence),
    )
