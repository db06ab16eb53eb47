"""Evaluate one case against its effective rules. No I/O, no global state.

Order, as a person would reason: convert each activity (or set it aside, saying why),
add up per category, test each requirement, apply the year's labelled exceptions, then
derive status, fees, the title window and make-up hours. Every step leaves a trace line
with its citation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from .case_model import Activity, Case
from .cite import cite_entry
from .conditions import describe, holds
from .convert import check_activity, convert
from .facts import derive_facts
from .resolve import ResolvedRuleSet
from .result_model import (
    STATUS_LABELS,
    ActivityLine,
    Alternative,
    DeadlineOut,
    ExceptionLine,
    FeeCategory,
    Fees,
    MakeupAllocation,
    MakeupOut,
    RequirementLine,
    Result,
    RuleSetRef,
    TitleWindowOut,
    TraceLine,
    Warning,
    WindowYear,
)
from .rules_model import UNIT_NAMES, REGIME_NAMES, Deadline, FeeRate, FreeHours, ReimbursementLimit

ZERO = Decimal(0)
TOP_CATEGORIES = ("public", "professional")


CENT = Decimal("0.01")


def _f(value: Decimal) -> float:
    return float(value.quantize(CENT))


def _h(value: Decimal | float) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")


class _Ledger:
    """Running totals while activities are converted."""

    def __init__(self) -> None:
        self.by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.total = ZERO
        self.quantity_by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.paid_by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.by_kind_and_top: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)


def _applicable_deadline(rules: ResolvedRuleSet, facts: dict) -> Deadline | None:
    candidates = [d for d in rules.rules.deadlines if d.applies_when is None or holds(d.applies_when, facts)]
    return min(candidates, key=lambda d: d.date, default=None)


def _activity(
    index: int,
    activity: Activity,
    rules: ResolvedRuleSet,
    deadline: Deadline | None,
    ledger: _Ledger,
    out: "_Output",
) -> ActivityLine:
    problems = check_activity(activity, index, rules, rules.rules.year)
    conv = rules.conversions.get(activity.kind)
    base = dict(index=index, name=activity.name, kind=activity.kind, quantity=activity.quantity)
    if problems:
        out.problems.extend(problems)
        return ActivityLine(
            **base,
            kind_label=conv.label if conv else activity.kind,
            category=activity.category,
            category_name="",
            unit=conv.quantity.counter_name if conv else "",
            hours=0,
            counted=False,
            reason="输入有误，未计入：" + "；".join(p.message for p in problems),
            citation=None,
        )
    assert conv is not None
    category = conv.category or activity.category or ""
    converted = convert(activity, conv)
    citation = cite_entry(rules, "conversions", conv)
    counted, reason = True, converted.text
    hits = [rules.exclusions[f] for f in activity.flags]
    if hits:
        counted = False
        hit = hits[0]
        hit_cite = cite_entry(rules, "exclusions", hit)
        verdict = "一律不计学时" if hit.effect == "never_counts" else "暂不能认定，条件满足后才可计入"
        reason += f"；{hit.label}，{verdict}"
        out.warnings.append(Warning(code=hit.effect, message=f"“{activity.name}”{verdict}：{hit.label}", citation=hit_cite))
        out.trace.append(TraceLine(step="exclusion", text=f"“{activity.name}”：{hit.label}，{verdict}", citation=hit_cite))
    elif deadline is not None and activity.date is not None and activity.date > deadline.date:
        counted = False
        reason += f"；晚于{deadline.label}（{deadline.date.isoformat()}），不计入"
        dl_cite = cite_entry(rules, "deadlines", deadline)
        out.warnings.append(Warning(
            code="after_deadline",
            message=f"“{activity.name}”的日期晚于{deadline.label}（{deadline.date.isoformat()}），未计入",
            citation=dl_cite,
        ))
    if counted:
        lineage = rules.ancestors(category)
        for cat in lineage:
            ledger.by_category[cat] += converted.hours
        ledger.total += converted.hours
        ledger.quantity_by_kind[conv.id] += Decimal(str(activity.quantity))
        top = lineage[-1]
        ledger.by_kind_and_top[(conv.id, top)] += converted.hours
        if conv.fee_applies:
            ledger.paid_by_category[top] += converted.hours
    if conv.interpretation and conv.id not in out.interpreted:
        out.interpreted.add(conv.id)
        out.warnings.append(Warning(
            code="interpretation",
            message=f"“{conv.label}”的折算依据本工具对原文的理解：{conv.interpretation}",
            citation=citation,
        ))
    category_name = rules.categories[category].name if category in rules.categories else ""
    out.trace.append(TraceLine(
        step="activity",
        text=f"第{index + 1}项“{activity.name}”（计入{category_name}）：{reason}",
        citation=citation,
    ))
    return ActivityLine(
        **base,
        kind_label=conv.label,
        category=category,
        category_name=category_name,
        unit=conv.quantity.counter_name,
        hours=_f(converted.hours) if counted else 0,
        counted=counted,
        reason=reason,
        citation=citation,
        evidence=list(conv.evidence),
    )


class _Output:
    def __init__(self) -> None:
        self.problems: list = []
        self.warnings: list[Warning] = []
        self.trace: list[TraceLine] = []
        self.interpreted: set[str] = set()


def _requirements(rules: ResolvedRuleSet, ledger: _Ledger) -> list[RequirementLine]:
    lines = []
    for req in rules.rules.requirements:
        earned = ledger.total if req.category is None else ledger.by_category[req.category]
        required = Decimal(str(req.hours))
        alternative = None
        if req.alternative is not None:
            alt = req.alternative
            alt_earned = sum((ledger.quantity_by_kind[k] for k in alt.counted_from), ZERO)
            alternative = Alternative(
                unit=UNIT_NAMES[alt.unit],
                amount=alt.amount,
                earned=_f(alt_earned),
                met=alt_earned >= Decimal(str(alt.amount)),
                citation=replace(
                    cite_entry(rules, "requirements", req),
                    quote=alt.citation.quote, section=alt.citation.section, interpretation=alt.interpretation,
                ),
            )
        met = earned >= required or bool(alternative and alternative.met)
        lines.append(RequirementLine(
            id=req.id,
            label=req.label,
            category=req.category,
            category_name="总学时" if req.category is None else rules.categories[req.category].name,
            required=req.hours,
            earned=_f(earned),
            shortfall=0 if met else _f(required - earned),
            met=met,
            alternative=alternative,
            citation=cite_entry(rules, "requirements", req),
        ))
    return lines


def _fees(rules: ResolvedRuleSet, ledger: _Ledger, lines: list[RequirementLine], deemed: bool) -> Fees | None:
    fee_rules = rules.rules.fees
    rates = [f for f in fee_rules if isinstance(f, FeeRate)]
    if not rates:
        return None
    free = {f.category: Decimal(str(f.hours)) for f in fee_rules if isinstance(f, FreeHours)}
    limit = next((f for f in fee_rules if isinstance(f, ReimbursementLimit)), None)
    shortfall = {line.category: Decimal(str(line.shortfall)) for line in lines if line.category}
    categories, so_far, to_complete = [], ZERO, ZERO
    for rate in rates:
        yuan = Decimal(str(rate.yuan_per_hour))
        paid = ledger.paid_by_category[rate.category]
        free_total = free.get(rate.category, ZERO)
        free_used = min(paid, free_total)
        amount = (paid - free_used) * yuan
        missing = ZERO if deemed else shortfall.get(rate.category, ZERO)
        hours_to_complete = max(ZERO, missing - (free_total - free_used))
        categories.append(FeeCategory(
            category=rate.category,
            category_name=rules.categories[rate.category].name,
            yuan_per_hour=rate.yuan_per_hour,
            paid_hours=_f(paid),
            free_hours_used=_f(free_used),
            amount=_f(amount),
            hours_to_complete=_f(hours_to_complete),
            amount_to_complete=_f(hours_to_complete * yuan),
            citation=cite_entry(rules, "fees", rate),
        ))
        so_far += amount
        to_complete += hours_to_complete * yuan
    total = so_far + to_complete
    reimbursable = min(total, Decimal(str(limit.yuan))) if limit else total
    return Fees(
        categories=categories,
        amount_so_far=_f(so_far),
        amount_to_complete=_f(to_complete),
        total=_f(total),
        reimbursement_limit=limit.yuan if limit else None,
        reimbursable=_f(reimbursable),
        limit_citation=cite_entry(rules, "fees", limit) if limit else None,
        citations=[cite_entry(rules, "fees", f) for f in fee_rules],
    )


def _required(rules: ResolvedRuleSet, category: str | None) -> Decimal:
    for req in rules.rules.requirements:
        if req.category == category:
            return Decimal(str(req.hours))
    return ZERO


def _title_window(case: Case, rules: ResolvedRuleSet, ledger: _Ledger, year_met: bool) -> TitleWindowOut | None:
    app = case.person.title_application
    if app is None:
        return None
    window = next(
        (
            w for w in rules.rules.title_windows
            if app.level in w.match.levels
            and (w.match.degrees is None or app.degree in w.match.degrees)
            and (w.match.fields is None or app.field in w.match.fields)
        ),
        None,
    )
    if window is None:
        return None
    year = rules.rules.year
    req_pub, req_pro, req_tot = (_required(rules, c) for c in ("public", "professional", None))
    history = {h.year: h for h in case.history}
    years = []
    for y in range(window.start_year, year + 1):
        common = dict(year=y, public_required=_f(req_pub), professional_required=_f(req_pro), total_required=_f(req_tot))
        if y == year:
            pub, pro = ledger.by_category["public"], ledger.by_category["professional"]
            years.append(WindowYear(**common, public=_f(pub), professional=_f(pro), total=_f(pub + pro),
                                    met=year_met, source="this_case"))
        elif y in history:
            h = history[y]
            pub, pro = Decimal(str(h.public)), Decimal(str(h.professional))
            met = pub >= req_pub and pro >= req_pro and pub + pro >= req_tot
            years.append(WindowYear(**common, public=h.public, professional=h.professional,
                                    total=_f(pub + pro), met=met, source="history"))
        else:
            years.append(WindowYear(**common, public=None, professional=None, total=None, met=False, source="missing"))
    return TitleWindowOut(
        id=window.id,
        label=window.label,
        start_year=window.start_year,
        end_year=year,
        years=years,
        all_met=all(y.met for y in years),
        citation=cite_entry(rules, "title_windows", window),
    )


def _makeup(
    case: Case, rules: ResolvedRuleSet, lines: list[RequirementLine], facts: dict, ledger: _Ledger
) -> MakeupOut | None:
    rule = next((m for m in rules.rules.makeup if holds(m.when, facts)), None)
    if rule is None:
        return None
    surplus: dict[str, Decimal] = {}
    for line in lines:
        if line.category not in TOP_CATEGORIES or line.earned <= line.required:
            continue
        extra = Decimal(str(line.earned)) - Decimal(str(line.required))
        if rule.counted_from is not None:
            # Only hours of the named kinds may be moved: the surplus is capped by them.
            eligible = sum((ledger.by_kind_and_top[(k, line.category)] for k in rule.counted_from), ZERO)
            extra = min(extra, eligible)
        if extra > 0:
            surplus[line.category] = extra
    remaining = dict(surplus)
    allocations = []
    history = {h.year: h for h in case.history}
    for y in sorted(rule.target_years):
        h = history.get(y)
        if h is None:
            continue
        for cat, required in (("public", h.required_public), ("professional", h.required_professional)):
            if required is None or remaining.get(cat, ZERO) <= 0:
                continue
            gap = Decimal(str(required)) - Decimal(str(getattr(h, cat)))
            take = min(max(gap, ZERO), remaining[cat])
            if take > 0:
                remaining[cat] -= take
                allocations.append(MakeupAllocation(year=y, category=cat, hours=_f(take)))
    return MakeupOut(
        id=rule.id,
        label=rule.label,
        surplus={k: _f(v) for k, v in surplus.items()},
        allocations=allocations,
        unallocated={k: _f(v) for k, v in remaining.items() if v > 0},
        target_years=sorted(rule.target_years),
        citation=cite_entry(rules, "makeup", rule),
    )


def _summary(status: str, year: int, lines: list[RequirementLine], applied: list[ExceptionLine]) -> str:
    short = [line for line in lines if not line.met and not line.provisional and line.category]
    if status == "deemed_complete":
        names = "、".join(e.label for e in applied if e.effect == "deemed_complete")
        return f"视同完成{year}年度学时：{names}。"
    if status == "met":
        return f"已达标：{year}年度各项学时要求均已满足。"
    if status == "provisionally_met":
        names = "、".join(e.label for e in applied if e.effect == "provisional")
        return f"暂视同达标：{names}；请按规定补充证明。"
    gaps = "、".join(f"{line.category_name}{_h(line.shortfall)}学时" for line in short)
    if not gaps:
        gaps = "、".join(f"{line.category_name}{_h(line.shortfall)}学时" for line in lines if not line.met)
    if status == "exemption_available":
        names = "、".join(e.label for e in applied if e.effect == "exemption_available")
        return f"尚差{gaps}；但符合“{names}”，可提供证明申请免训。"
    return f"未达标：还差{gaps}。"


def evaluate(case: Case, rules: ResolvedRuleSet) -> Result:
    rs = rules.rules
    facts = derive_facts(case.person, rs.year)
    out = _Output()
    ledger = _Ledger()
    deadline = _applicable_deadline(rules, facts)
    activities = [_activity(i, a, rules, deadline, ledger, out) for i, a in enumerate(case.activities)]
    lines = _requirements(rules, ledger)
    if deadline is not None and deadline.date.month * 100 + deadline.date.day != 1231:
        undated = [a.name for a in case.activities if a.date is None]
        if undated:
            out.warnings.append(Warning(
                code="undated",
                message=f"适用{deadline.label}（{deadline.date.isoformat()}），有{len(undated)}项活动未填写日期，"
                        f"无法核对是否按时完成：{'、'.join(undated[:5])}",
                citation=cite_entry(rules, "deadlines", deadline),
            ))

    exceptions = []
    for exc in rs.exceptions:
        applies = holds(exc.when, facts)
        if exc.when.fact is not None and facts.get(exc.when.fact) is None:
            reason = "未填写相关情况：" + describe(exc.when)
        else:
            reason = ("符合：" if applies else "不符合：") + describe(exc.when)
        exceptions.append(ExceptionLine(
            id=exc.id, label=exc.label, effect=exc.effect, applies=applies, reason=reason,
            evidence=list(exc.evidence), citation=cite_entry(rules, "exceptions", exc),
        ))
    applied = [e for e in exceptions if e.applies]
    deemed = any(e.effect == "deemed_complete" for e in applied)
    provisional_cats: set[str] = set()
    for exc in rs.exceptions:
        if exc.effect == "provisional" and holds(exc.when, facts):
            provisional_cats.update(exc.categories or rules.categories.keys())

    credit = ZERO
    for line in lines:
        if deemed:
            line.deemed = True
            line.shortfall = 0  # nothing is missing once the year is deemed complete
        elif line.category and not line.met and set(rules.ancestors(line.category)) & provisional_cats:
            line.provisional = True
            if line.category in TOP_CATEGORIES:
                credit += Decimal(str(line.shortfall))
    for line in lines:
        if line.category is None and not line.met and not deemed and provisional_cats:
            line.provisional = Decimal(str(line.earned)) + credit >= Decimal(str(line.required))

    if deemed:
        status = "deemed_complete"
    elif all(line.met for line in lines):
        status = "met"
    elif all(line.met or line.provisional for line in lines):
        status = "provisionally_met"
    elif any(e.effect == "exemption_available" for e in applied):
        status = "exemption_available"
    else:
        status = "short"

    for line in lines:
        state = "视同完成" if line.deemed else "达到" if line.met else "暂视同完成" if line.provisional else f"差{_h(line.shortfall)}学时"
        alt = ""
        if line.alternative:
            alt = f"（或按天数：要求{_h(line.alternative.amount)}天，已有{_h(line.alternative.earned)}天）"
        out.trace.append(TraceLine(
            step="requirement",
            text=f"{line.label}：要求{_h(line.required)}学时，已取得{_h(line.earned)}学时{alt}，{state}",
            citation=line.citation,
        ))
    for exc in exceptions:
        out.trace.append(TraceLine(step="exception", text=f"{exc.label}：{exc.reason}", citation=exc.citation))

    deadline_out = None
    if deadline is not None:
        deadline_out = DeadlineOut(id=deadline.id, label=deadline.label, date=deadline.date.isoformat(),
                                   citation=cite_entry(rules, "deadlines", deadline))
        out.trace.append(TraceLine(step="deadline", text=f"{deadline.label}：{deadline.date.isoformat()}",
                                   citation=deadline_out.citation))

    fees = _fees(rules, ledger, lines, deemed)
    if fees is not None:
        for fc in fees.categories:
            out.trace.append(TraceLine(
                step="fee",
                text=(f"{fc.category_name}：已学平台课程{_h(fc.paid_hours)}学时，其中免费{_h(fc.free_hours_used)}学时，"
                      f"费用{_h(fc.amount)}元；补足还需{_h(fc.hours_to_complete)}学时，约{_h(fc.amount_to_complete)}元"),
                citation=fc.citation,
            ))
        if fees.reimbursement_limit is not None:
            out.trace.append(TraceLine(
                step="fee",
                text=f"费用合计{_h(fees.total)}元，报账限额{_h(fees.reimbursement_limit)}元，可报销{_h(fees.reimbursable)}元",
                citation=fees.limit_citation,
            ))

    year_met = status in ("met", "deemed_complete", "provisionally_met")
    window = _title_window(case, rules, ledger, year_met)
    if window is not None:
        missing = [str(y.year) for y in window.years if y.source == "missing"]
        text = f"{window.label}：计{window.start_year}—{window.end_year}年"
        text += "，各年度均已达标" if window.all_met else "，尚有年度未达标" + (f"（未填写：{'、'.join(missing)}年）" if missing else "")
        out.trace.append(TraceLine(step="window", text=text, citation=window.citation))
    makeup = _makeup(case, rules, lines, facts, ledger)
    if makeup is not None:
        out.trace.append(TraceLine(
            step="makeup",
            text=f"{makeup.label}：本年度超出部分 " + ("、".join(f"{k} {_h(v)}学时" for k, v in makeup.surplus.items()) or "无")
            + "，可分配至" + "、".join(str(y) for y in makeup.target_years) + "年度",
            citation=makeup.citation,
        ))

    summary = _summary(status, rs.year, lines, applied)
    if out.problems:
        bad = len({p.path.split(".")[0] for p in out.problems})
        summary = f"（有{bad}处输入有误，相关条目未计入）" + summary
    status_citation = next((e.citation for e in applied), None) or next(
        (line.citation for line in lines if line.category is None), None
    )
    out.trace.append(TraceLine(step="status", text=f"结论：{STATUS_LABELS[status]}。{summary}", citation=status_citation))

    return Result(
        rule_set=RuleSetRef(
            id=rs.id, title=rs.title, jurisdiction=rs.jurisdiction.name, regime=rs.regime,
            regime_name=REGIME_NAMES[rs.regime], year=rs.year, chain=list(rules.chain),
            last_checked=rs.last_checked.isoformat(),
        ),
        status=status,
        status_label=STATUS_LABELS[status],
        summary=summary,
        requirements=lines,
        activities=activities,
        exceptions=exceptions,
        deadline=deadline_out,
        fees=fees,
        title_window=window,
        makeup=makeup,
        warnings=out.warnings,
        problems=out.problems,
        trace=out.trace,
    )
