"""The title application (职称申报): its window of years and its own deadline.

Two questions, two answers: the year's status (every requirement, to the year's end)
and the title application's (every year of its window met, this year's hours done by
the application's deadline). A title applicant reads the second first.
"""

from __future__ import annotations

from ...models.case import Case
from ...models.result import DeadlineOut, RequirementLine, TitleOut, TitleWindowOut, WindowSum, WindowYear
from ...models.rules import TitleWindow
from ..cite import cite_entry
from ..resolve import ResolvedRuleSet
from ..words import (TITLE_STATUS_LABELS, WINDOW_STATES, no_title_window_text, num, window_sum_short, window_sum_text,
                     years_text)
from .history import TOTAL, history_hours, history_total, history_value, requirement_met, targets, year_requirements
from .state import ZERO, Evaluation, d, f


def matching_window(case: Case, rules: ResolvedRuleSet) -> TitleWindow | None:
    app = case.person.title_application
    if app is None:
        return None
    return next(
        (
            w for w in rules.rules.title_windows
            if app.level in w.match.levels
            and (w.match.degrees is None or app.degree in w.match.degrees)
            and (w.match.fields is None or app.field in w.match.fields)
        ),
        None,
    )


def window_end(window: TitleWindow, year: int) -> int:
    """The window's last year: the application's year, or (through: previous_year) the one before."""
    return year if window.through == "this_year" else year - 1


def window_start(window: TitleWindow, year: int) -> int:
    end = window_end(window, year)
    return window.start_year if window.start_year is not None else end - (window.years or 1) + 1


def _sums(ev: Evaluation, window: TitleWindow, rows: list[WindowYear]) -> list[WindowSum]:
    """measure: sum — each of `totals` against the window's years added up (a missing year adds 0)."""
    rules = ev.rules
    out = []
    for key, required in (window.totals or {}).items():
        total = key == TOTAL and key not in rules.categories
        earned = ZERO
        for row in rows:
            if row.source == "this_case":
                earned += ev.title_ledger.total([row.year]) if total else ev.title_ledger.category(key, [row.year])
            elif row.source == "history":
                earned += history_value(rules, ev.history[row.year], key)
        gap = max(ZERO, d(required) - earned)
        out.append(WindowSum(key=key, name=rules.label(None if total else key), required=required,
                             earned=f(earned), shortfall=f(gap), met=gap == 0))
    return out


def _year_row(ev: Evaluation, year: int, this_status: str, this_lines: list[RequirementLine]) -> WindowYear:
    row = _year_figures(ev, year, this_status, this_lines)
    if row.source == "missing":
        row.state = "missing"
    elif not row.met:
        row.state = "short"
    elif row.source == "this_case" and this_status in ("provisionally_met", "deemed_complete"):
        row.state = "provisional" if this_status == "provisionally_met" else "deemed"
    row.state_label = WINDOW_STATES[row.state]
    return row


def _year_figures(ev: Evaluation, year: int, this_status: str, this_lines: list[RequirementLine]) -> WindowYear:
    this_year_ok = this_status in ("met", "deemed_complete", "provisionally_met")
    rules = ev.rules
    reqs = year_requirements(rules)
    required = {r.category: r.hours for r in reqs if r.category}
    total_required = next((r.hours for r in reqs if targets(r) is None), 0.0)
    tops = rules.top_categories
    if year == ev.year:
        hours = {c: f(ev.title_ledger.category(c, [year])) for c in tops}
        short = {line.category or "total": line.shortfall for line in this_lines
                 if line.over == "year" and not (line.met or line.provisional or line.deemed) and line.shortfall}
        return WindowYear(year=year, hours=hours, total=f(ev.title_ledger.total([year])), required=required,
                          total_required=total_required, met=this_year_ok, source="this_case", shortfall=short)
    row = ev.history.get(year)
    if row is None:
        return WindowYear(year=year, hours=None, total=None, required=required, total_required=total_required,
                          met=False, source="missing")
    short = {}
    for req in reqs:
        ok, gap = requirement_met(rules, req, row)
        if not ok:
            short[req.category or "total"] = f(gap)
    hours = {c: f(history_hours(rules, row, c)) for c in tops}
    return WindowYear(year=year, hours=hours, total=f(history_total(rules, row)), required=required,
                      total_required=total_required, met=not short, source="history", shortfall=short)


def title_verdict(ev: Evaluation, title_lines: list[RequirementLine], title_status: str) -> TitleOut | None:
    """None unless the person applies for a title and the rule set says something about it."""
    rules = ev.rules
    if ev.case.person.title_application is None:
        return None
    window = matching_window(ev.case, rules)
    from .activities import applicable_deadline

    deadline = applicable_deadline(ev, "title_application")
    if window is None and deadline is None and not rules.rules.title_windows:
        return None
    if window is None and rules.rules.title_windows:
        # The rule set names the windows of other applications only: which years this one
        # needs is not said, so no verdict (a verdict on this year alone would claim too much).
        from ...models.result import Warning

        app = ev.case.person.title_application
        first = rules.rules.title_windows[0]
        ev.warnings.append(Warning(code="no_title_window", message=no_title_window_text(app.level, app.degree),
                                   citation=cite_entry(rules, "title_windows", first)))
        return None
    this_ok = title_status in ("met", "deemed_complete", "provisionally_met")
    window_out = None
    years = [ev.year]
    rows: list[WindowYear] = []
    if window is not None:
        start, end = window_start(window, ev.year), window_end(window, ev.year)
        years = list(range(start, end + 1))
        rows = [_year_row(ev, y, title_status, title_lines) for y in years]
        sums = _sums(ev, window, rows) if window.measure == "sum" else []
        if sums:  # a year's own requirement does not decide a summed window: its hours are counted
            for row in rows:
                if row.source != "missing":
                    row.state, row.state_label = "counted", WINDOW_STATES["counted"]
        window_out = TitleWindowOut(
            id=window.id, label=window.label, start_year=start, end_year=end, years=rows,
            all_met=all(s.met for s in sums) if sums else all(r.met for r in rows),
            citation=cite_entry(rules, "title_windows", window), measure=window.measure, sums=sums,
        )
        missing = [r.year for r in rows if r.source == "missing"]
        text = f"{window.label}：计{start}—{end}年" if start != end else f"{window.label}：计{start}年"
        if sums:
            text += "，" + "、".join(window_sum_text(s.name, s.required, s.earned, s.shortfall, ev.unit) for s in sums)
            text += f"（未填写：{years_text(missing)}，按0计）" if missing else ""
        else:
            text += "，各年度均已达标" if window_out.all_met else "，尚有年度未达标" + (
                f"（未填写：{years_text(missing)}）" if missing else "")
        window_out.text = text
        ev.note("window", text, window_out.citation, f"title_windows/{window.id}",
                start=start, end=end, all_met=window_out.all_met)
        outside = sorted(y for y in ev.history if y < start)
        if outside:
            from ...models.result import Warning

            ev.warnings.append(Warning(
                code="outside_window",
                message=f"以往年度中的{years_text(outside)}不在{window.label}的计算年限（{start}—{ev.year}年）内，未用于职称申报",
                citation=window_out.citation,
            ))
    summed = window_out is not None and window_out.measure == "sum"
    short_years = [] if summed else [r.year for r in rows if not r.met and r.source != "missing"]
    missing_years = [r.year for r in rows if r.source == "missing"]
    if summed and window_out.all_met:  # type: ignore[union-attr]
        missing_years = []  # the sum is reached without them
    if window is None and not this_ok:
        short_years = [ev.year]
    deadline_out = None
    late = ZERO
    if deadline is not None:
        deadline_out = DeadlineOut(id=deadline.id, label=deadline.label, date=deadline.date.isoformat(),
                                   citation=cite_entry(rules, "deadlines", deadline))
        late = ev.ledger.total([ev.year]) - ev.title_ledger.total([ev.year])
        for c in rules.top_categories:
            late = max(late, ev.ledger.category(c, [ev.year]) - ev.title_ledger.category(c, [ev.year]))
    if short_years or missing_years or (summed and not window_out.all_met):  # type: ignore[union-attr]
        status = "short"
    elif title_status == "provisionally_met":
        status = "provisionally_met"
    else:
        status = "met"
    if summed and status == "short":
        summary = _sum_summary(ev, window_out, missing_years)  # type: ignore[arg-type]
    elif summed:
        summary = "申报年限内" + "、".join(window_sum_text(s.name, s.required, s.earned, s.shortfall, ev.unit)
                                      for s in window_out.sums) + "。"  # type: ignore[union-attr]
    else:
        summary = _summary(ev, status, short_years, missing_years, deadline_out, late, title_lines, rows)
    out = TitleOut(status=status, status_label=TITLE_STATUS_LABELS[status], summary=summary,
                   short_years=short_years, missing_years=missing_years, window=window_out,
                   deadline=deadline_out, late_hours=f(late))
    ev.note("title", f"{TITLE_STATUS_LABELS[status]}：{summary}",
            window_out.citation if window_out else deadline_out.citation if deadline_out else None,
            f"title_windows/{window.id}" if window else None, status=status)
    return out


def _summary(ev: Evaluation, status: str, short_years: list[int], missing_years: list[int],
             deadline: DeadlineOut | None, late, lines: list[RequirementLine], rows: list[WindowYear]) -> str:
    parts = []
    this_short = ev.year in short_years
    for row in rows:
        if row.year in short_years and row.year != ev.year:
            named = {c: v for c, v in row.shortfall.items() if c != "total"} or row.shortfall
            gaps = "、".join(f"{ev.rules.label(c) if c != 'total' else '总' + ev.unit}差{num(v)}{ev.unit}"
                             for c, v in named.items())
            parts.append(f"{row.year}年未达标" + (f"（{gaps}）" if gaps else ""))
    if missing_years:
        parts.append(f"{years_text(missing_years)}未填写学时")
    if this_short:
        short = [line for line in lines if line.over == "year" and line.state == "short" and line.shortfall]
        named = [line for line in short if line.category] or short
        gaps = "、".join(f"{line.category_name}{num(line.shortfall)}{ev.unit}" for line in named)
        when = f"{deadline.date}（{deadline.label}）前" if deadline else f"{ev.year}年"
        parts.append(f"{when}完成的学时还差{gaps}" if gaps else f"{ev.year}年未达标")
        if deadline and late > 0:
            parts.append(f"另有{num(late)}{ev.unit}晚于{deadline.date}完成，计入年度但不能用于当年职称申报")
    if status == "short":
        return "；".join(parts) + "。"
    if status == "provisionally_met":
        return f"申报年限内各年度均已达标或暂视同完成（{ev.year}年暂视同，请按规定补充证明）。"
    return "申报年限内各年度均已达标。" if len(ev.case.history) or deadline is None else "已按期完成。"


def _sum_summary(ev: Evaluation, window: TitleWindowOut, missing_years: list[int]) -> str:
    gaps = [(s.name, s.shortfall) for s in window.sums if not s.met]
    return window_sum_short(window.start_year, window.end_year, gaps, ev.unit, missing_years)
