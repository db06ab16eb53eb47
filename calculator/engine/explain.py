"""A result as readable Chinese text, in layers: the answer first (a few lines), then one
block per requirement, what is left and how to close it, the title application, and the
full calculation with each quoted passage shown once. The CLI prints this; the page and
guides render the same fields with the same words (words.py)."""

from __future__ import annotations

from ..models.result import CitationOut, Result
from .words import FACT_VALUE_NONE, num, standing_text, window_sum_text


def cite_line(citation: CitationOut | None, indent: str = "     ", seen: dict[str, int] | None = None) -> list[str]:
    """The citation under a line; a passage already quoted is referred to by its number."""
    if citation is None:
        return []
    key = f"{citation.document}|{citation.section}|{citation.quote}"
    if seen is not None and key in seen:
        return [f"{indent}依据：同〔{seen[key]}〕"]
    number = ""
    if seen is not None:
        seen[key] = len(seen) + 1
        number = f"〔{seen[key]}〕"
    lines = [f"{indent}依据{number}：{citation.document} {citation.section}：“{citation.quote}”"]
    if citation.origin:
        lines[0] += f"〔{citation.origin}〕"
    if citation.interpretation:
        lines.append(f"{indent}本工具的理解：{citation.interpretation}")
    return lines


def provenance_lines(result: Result) -> list[str]:
    """What the figures rest on, said before them: a parent's rules applied for lack of the
    place's own, a standing rule, and every text that is not the issuer's own publication."""
    rs = result.rule_set
    out = []
    if rs.fallback is not None:
        out.append(f"注意：{rs.fallback.note}")
    if rs.standing_since is not None:
        out.append(standing_text(rs.standing_since, rs.period_years))
    out += [f"注意：{caution}" for caution in rs.cautions]
    return out


def summary_lines(result: Result) -> list[str]:
    """The answer in three to five lines: what a phone shows first."""
    rs = result.rule_set
    span = f"{result.year}年度" if rs.period_years == 1 else f"{rs.year}—{rs.last_year}年周期（核查{result.year}年）"
    out = []
    if result.title is not None:
        out.append(f"{result.title.status_label}：{result.title.summary}")
    out.append(f"{span}{result.year_summary or result.summary}")
    for plan in result.plan[:2]:
        # the summary names the cheapest way only; every way is listed in the plan below
        first = f"：{plan.ways[0].text}等" if plan.ways else ""
        passed = "（截止日期已过）" if plan.deadline_passed else ""
        out.append(f"还差{plan.label}{num(plan.shortfall)}{rs.unit_name}{first}{passed}")
    if result.problems:
        out.append(f"有{len(result.problems)}处输入有误，相关条目未计入（见文末）")
    return out


def render_text(result: Result) -> str:
    rs = result.rule_set
    u = rs.unit_name
    out = [
        f"学时自查 · {rs.title}",
        f"规则集 {rs.id}（{rs.regime_name}，"
        + (f"{rs.year}年度" if rs.period_years == 1 else f"{rs.year}—{rs.last_year}年周期")
        + f"；最近核对 {rs.last_checked}）",
    ]
    out += [f"  {line}" for line in provenance_lines(result)]
    out.append("")
    out += ["结论："] + [f"  {line}" for line in summary_lines(result)]
    out += ["", "要求与完成情况："]
    for line in result.requirements:
        scope = "（整个周期合计）" if line.over == "period" else ""
        out.append(f"  {line.label}{scope}：要求 {num(line.required)} {u}，已取得 {num(line.earned)} {u} —— {line.state_label}")
        if line.alternative:
            alt = line.alternative
            out.append(f"    或按{alt.unit}数：要求 {num(alt.amount)} {alt.unit}，已有 {num(alt.earned)} {alt.unit}")
    if result.plan:
        out += ["", "还差多少、怎样补足（按本规则集的折算标准）："]
        for plan in result.plan:
            out.append(f"  {plan.label}：还差 {num(plan.shortfall)} {u}")
            for way in plan.ways[:6]:
                out.append(f"    · {way.text}")
    if result.facts:
        out += ["", "据以判断的情况："]
        for name, value in result.facts.items():
            shown = FACT_VALUE_NONE if value is None else (
                "是" if value is True else "否" if value is False else value if isinstance(value, str) else num(value))
            out.append(f"  {result.fact_labels.get(name, name)}：{shown}")
    if result.carry_over:
        co = result.carry_over
        out += ["", f"结转（{co.label}）："]
        out += [f"  {x.from_year}年{x.category_name}：{num(x.hours)} {u}" for x in co.lines] or ["  无可结转的学时"]
    if result.fees:
        fees = result.fees
        out += ["", "费用："]
        for fc in fees.categories:
            out.append(f"  {fc.category_name}：{num(fc.yuan_per_hour)} 元/{u}，已学平台课程 {num(fc.paid_hours)} {u}"
                       f"（免费 {num(fc.free_hours_used)}），{num(fc.amount)} 元；补足约 {num(fc.amount_to_complete)} 元")
        limit = f"，报账限额 {num(fees.reimbursement_limit)} 元" if fees.reimbursement_limit is not None else ""
        out.append(f"  合计 {num(fees.total)} 元{limit}，可报销 {num(fees.reimbursable)} 元")
    if result.title is not None:
        title = result.title
        out += ["", f"职称申报：{title.status_label}", f"  {title.summary}"]
        if title.deadline:
            out.append(f"  申报学时须在 {title.deadline.date} 前完成（{title.deadline.label}）")
        if title.window:
            tw = title.window
            cats = list(next((y.required for y in tw.years), {}).keys())
            out.append(f"  {tw.label}，{tw.start_year}—{tw.end_year}年：")
            for y in tw.years:
                mark = y.state_label
                hours = "、".join(f"{result.categories.get(c, c)} {num((y.hours or {}).get(c))}" for c in cats) \
                    if y.hours is not None else "—"
                hours = f"{hours}，" if hours else ""
                out.append(f"    {y.year}年：{hours}合计 {num(y.total)} —— {mark}")
            for sm in tw.sums:
                out.append(f"    {window_sum_text(sm.name, sm.required, sm.earned, sm.shortfall, u)}")
    if result.makeup:
        mk = result.makeup
        out += ["", f"补学（{mk.label}）："]
        for a in mk.allocations:
            out.append(f"  分配至 {a.year} 年度{a.category_name or a.category}：{num(a.hours)} {u}")
        if mk.unallocated:
            names = {a.category: a.category_name for a in mk.allocations if a.category_name}
            names.setdefault("total", "总" + u)
            out.append("  未分配的超出部分：" + "、".join(f"{result.categories.get(k) or names.get(k, k)} {num(v)} {u}"
                                                 for k, v in mk.unallocated.items()))
    applies = [e for e in result.exceptions if e.applies]
    others = [e for e in result.exceptions if not e.applies]
    if applies:
        out += ["", "适用的例外："] + [f"  · {e.reason}" for e in applies]
    if others:
        out += ["", "其他例外（目前不适用；符合条件时才适用）："] + [f"  · {e.reason}" for e in others]
    out += ["", "计算过程："]
    seen: dict[str, int] = {}
    shown = [t for t in result.trace if not (t.step == "exception" and not t.figures.get("applies"))]
    for i, line in enumerate(shown, 1):  # exceptions that do not apply are listed above, apart
        out.append(f"  {i}. {line.text}")
        out.extend(cite_line(line.citation, seen=seen))
    evidence = sorted({e for a in result.activities if a.counted for e in a.evidence})
    if evidence:
        out += ["", "请保存以下证明材料："] + [f"  · {e}" for e in evidence]
    notes = [w for w in result.warnings if w.code != "interpretation"]
    if notes:
        out += ["", "提醒："] + [f"  · {w.message}" for w in notes]
    if result.problems:
        out += ["", "输入问题（相关条目未计入）："] + [f"  · {p.path}：{p.message}" for p in result.problems]
    return "\n".join(out) + "\n"
