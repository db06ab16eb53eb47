"""Evaluate one case against its effective rules. No I/O, no global state.

Order, as a person would reason: convert each activity (or set it aside, saying why),
carry earlier surplus forward, test each requirement (per year, or over the period),
apply the labelled exceptions in their declared precedence, then the title application,
fees, catch-up and the plan to close what is left. Each mechanism has its own module in
`mechanisms/`; every step leaves a trace line (data plus words from `words.py`).
"""

from __future__ import annotations

import datetime as dt

from ..models.case import Case
from ..models.result import (
    DeadlineOut, ExceptionLine, Fallback, Problem, RequirementLine, Result, RuleSetRef, TitleOut, Warning,
)
from ..models.rules import REGIME_NAMES
from .cite import cite_entry
from .facts import derive_facts
from .mechanisms.activities import applicable_deadline, book_activities
from .mechanisms.carry_over import carry_over
from .mechanisms.history import TOTAL, year_keys
from .mechanisms.exceptions import apply_exceptions, exception_lines
from .mechanisms.fees import fees as fees_of
from .mechanisms.makeup import makeup as makeup_of
from .mechanisms.plan import gap_plans
from .mechanisms.requirements import requirement_lines
from .mechanisms.state import Evaluation
from .mechanisms.title import title_verdict
from .personalize import personalize
from .resolve import ResolvedRuleSet
from .provenance import source_refs
from .words import STATUS_LABELS, line_state, num, period_text, requirement_text, unanswered_text


def checked_year(case: Case, rules: ResolvedRuleSet) -> int:
    """The year being checked: the case's, when it falls in the period; else the period's last."""
    years = rules.rules.years
    return case.year if case.year is not None and case.year in years else rules.rules.last_year


def _summary(ev: Evaluation, status: str, lines: list[RequirementLine], applied: list[ExceptionLine]) -> str:
    u = ev.unit
    span = period_text(ev.year, ev.year) if ev.rules.rules.period_years == 1 else period_text(
        ev.rules.rules.year, ev.rules.rules.last_year)
    short = [line for line in lines if line.state == "short"]
    if status == "out_of_scope":
        return f"法定退休日期早于{ev.year}年，不在{ev.year}年度学时要求的适用范围内。"
    if status == "deemed_complete":
        names = "、".join(e.label for e in applied if e.effect == "deemed_complete")
        return f"视同完成{span}{u}：{names}。"
    if status == "met":
        return f"已达标：{span}各项{u}要求均已满足。"
    if status == "provisionally_met":
        names = "、".join(e.label for e in applied if e.effect == "provisional")
        return f"暂视同达标：{names}；请按规定补充证明。"
    gaps = "、".join(f"{line.category_name}{num(line.shortfall)}{u}" for line in short if line.category) or \
        "、".join(f"{line.category_name}{num(line.shortfall)}{u}" for line in short)
    if status == "exemption_available":
        names = "、".join(e.label for e in applied if e.effect == "exemption_available")
        return f"尚差{gaps}；但符合“{names}”，可提供证明申请免训。"
    return f"未达标：还差{gaps}。"


def _lines_with_exceptions(ev: Evaluation, ledger, applied) -> tuple[list[RequirementLine], str]:
    lines = requirement_lines(ev, ledger)
    status = apply_exceptions(ev, lines, applied)
    for line in lines:
        line.state_label = line_state(line.state, line.shortfall, ev.unit)
    return lines, status


def evaluate(case: Case, rules: ResolvedRuleSet, today: dt.date | None = None,
             positions: list[int] | None = None, left_out: list[Problem] | None = None,
             fallback: Fallback | None = None) -> Result:
    """`today` (from the entry point, never read here) lets the plan say when a deadline has passed;
    `positions`: each activity's place in the case as sent, and `left_out` the problems of the
    entries left out before evaluating (tolerant.py); `fallback`: the person's place has no rule
    set of its own and these rules are a parent's (run.rules_for)."""
    rs = rules.rules
    year = checked_year(case, rules)
    ev = Evaluation(case=case, rules=rules, year=year, facts=derive_facts(case.person, year, rs.span(year)),
                    positions=positions)
    ev.problems.extend(left_out or [])
    personalize(ev)
    rules = ev.rules
    # What the figures rest on is said before them (explain.provenance_lines), not as a step.
    sources, cautions = source_refs(rules)
    if case.year is not None and case.rule_set is not None and case.year not in rs.years:
        span = f"{rs.year}年度" if rs.period_years == 1 else f"{rs.year}—{rs.last_year}年周期"
        ev.problems.append(Problem(path="year", code="outside_period",
                                   message=f"核查年度 {case.year} 不在规则集“{rs.title}”的{span}内，已按{year}年核查"))
    if year in ev.history:
        ev.warnings.append(Warning(code="history_this_year",
                                   message=f"以往年度学时中的{year}年就是本次核查的年度，未计入（请把本年度的学习填在学习活动中）"))
    activities = book_activities(ev)
    carried = carry_over(ev)
    exceptions = exception_lines(ev)
    applied = [e for e in exceptions if e.applies]
    lines, status = _lines_with_exceptions(ev, ev.ledger, applied)
    retirement = case.person.retirement_date
    if retirement is not None and retirement < rs.span(year)[0]:
        status = "out_of_scope"
    deadline = applicable_deadline(ev, "year")
    if deadline is not None and (deadline.date.month, deadline.date.day) != (12, 31):
        undated = [a.name for a in case.activities if a.date is None]
        if undated:
            ev.warnings.append(Warning(
                code="undated",
                message=f"适用{deadline.label}（{deadline.date.isoformat()}），有{len(undated)}项活动未填写日期，"
                        f"无法核对是否按时完成：{'、'.join(undated[:5])}",
                citation=cite_entry(rules, "deadlines", deadline),
            ))
    for line in lines:
        alt = (line.alternative.amount, line.alternative.earned, line.alternative.unit) if line.alternative else None
        ev.note("requirement", requirement_text(line.label, line.required, line.earned, ev.unit, line.state,
                                                line.shortfall, line.over == "period", alt, line.applies_to),
                line.citation, f"requirements/{line.id}", required=line.required, earned=line.earned,
                shortfall=line.shortfall, state=line.state)
    for exc in exceptions:
        ev.note("exception", exc.reason, exc.citation, f"exceptions/{exc.id}", applies=exc.applies)
    deadline_out = None
    if deadline is not None:
        deadline_out = DeadlineOut(id=deadline.id, label=deadline.label, date=deadline.date.isoformat(),
                                   citation=cite_entry(rules, "deadlines", deadline))
        ev.note("deadline", f"{deadline.label}：{deadline.date.isoformat()}", deadline_out.citation,
                f"deadlines/{deadline.id}", date=deadline_out.date)

    fees = fees_of(ev, lines, status == "deemed_complete")
    title: TitleOut | None = None
    if case.person.title_application is not None:
        if applicable_deadline(ev, "title_application") is not None:
            title_lines, title_status = _lines_with_exceptions(ev, ev.title_ledger, applied)
        else:
            title_lines, title_status = lines, status
        title = title_verdict(ev, title_lines, title_status)
    makeup = makeup_of(ev, lines)
    last_day = deadline.date if deadline is not None else rs.span(rs.last_year)[1]
    passed = last_day.isoformat() if today is not None and today > last_day else None
    plan = gap_plans(ev, lines, passed) if status in ("short", "exemption_available") else []

    summary = year_summary = _summary(ev, status, lines, applied)
    if title is not None:
        summary = f"{title.status_label}：{title.summary}本年度：{summary}"
    wrong = [p for p in ev.problems if p.code != "needs_answer"]
    if wrong:
        bad = len({p.path.split(".")[0] for p in wrong})
        summary = f"（有{bad}处输入有误，相关条目未计入）" + summary
    if len(wrong) < len(ev.problems):
        summary = f"（{unanswered_text(len(ev.problems) - len(wrong))}）" + summary
    status_citation = next((e.citation for e in applied), None) or next(
        (line.citation for line in lines if line.category is None), None
    )
    ev.note("status", f"结论：{STATUS_LABELS[status]}。{summary}", status_citation, None, status=status)

    facts, fact_labels = _decisive_facts(ev)
    return Result(
        rule_set=RuleSetRef(
            id=rs.id, title=rs.title, jurisdiction=rs.jurisdiction.name, regime=rs.regime,
            regime_name=REGIME_NAMES[rs.regime], year=rs.year, chain=list(rules.chain),
            last_checked=rs.last_checked.isoformat(), period_years=rs.period_years, last_year=rs.last_year,
            unit_name=rs.unit_name, standing_since=rules.standing_since, sources=sources, cautions=cautions,
            fallback=fallback,
        ),
        status=status,  # type: ignore[arg-type]
        status_label=STATUS_LABELS[status],
        summary=summary,
        requirements=lines,
        activities=activities,
        exceptions=exceptions,
        deadline=deadline_out,
        fees=fees,
        title_window=title.window if title else None,
        makeup=makeup,
        warnings=ev.warnings,
        problems=ev.problems,
        trace=ev.trace,
        year=year,
        title=title,
        carry_over=carried,
        plan=plan,
        facts=facts, fact_labels=fact_labels,
        year_summary=year_summary,
        # A total-only rule set's make-up and carry-over are keyed "total": its name is given too.
        categories={c.id: c.name for c in rs.categories} | (
            {TOTAL: rules.label(None)} if year_keys(rules, None) == [TOTAL] and TOTAL not in rules.categories else {}),
    )


def _decisive_facts(ev: Evaluation) -> tuple[dict, dict[str, str]]:
    """The facts the rule set's conditions test, with their values (shown to the person), and
    their names: a question's label, and its answer by the choice's name."""
    from ..models.facts import FACT_LABELS
    from .conditions import facts_in

    values, labels = {}, {}
    for name in sorted(facts_in(ev.rules.rules)):
        value = ev.facts.get(name)
        question = ev.rules.questions.get(name)
        if question is not None and question.choices and isinstance(value, str):
            value = question.choices.get(value, value)
        values[name] = value
        labels[name] = question.label if question is not None else FACT_LABELS.get(name, name)
    return values, labels
