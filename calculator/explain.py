"""A result as readable Chinese text: the CLI's output and the print view's wording."""

from __future__ import annotations

from .result_model import CitationOut, Result


def _n(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def cite_line(citation: CitationOut | None, indent: str = "     ") -> list[str]:
    if citation is None:
        return []
    lines = [f"{indent}依据：{citation.document} {citation.section}：“{citation.quote}”"]
    if citation.origin:
        lines[0] += f"〔{citation.origin}〕"
    if citation.interpretation:
        lines.append(f"{indent}本工具的理解：{citation.interpretation}")
    return lines


def render_text(result: Result) -> str:
    rs = result.rule_set
    out = [
        f"学时自查 · {rs.title}",
        f"规则集 {rs.id}（{rs.regime_name}，{rs.year}年度；最近核对 {rs.last_checked}）",
        "",
        f"结论：{result.status_label}",
        result.summary,
        "",
        "要求与完成情况：",
    ]
    for line in result.requirements:
        state = "视同完成" if line.deemed else "达到" if line.met else "暂视同完成" if line.provisional else f"差 {_n(line.shortfall)}"
        out.append(f"  {line.label}：要求 {_n(line.required)} 学时，已取得 {_n(line.earned)} 学时 —— {state}")
        if line.alternative:
            alt = line.alternative
            out.append(f"    或按天数：要求 {_n(alt.amount)} 天，已有 {_n(alt.earned)} 天")
    if result.fees:
        fees = result.fees
        out += ["", "费用："]
        for fc in fees.categories:
            out.append(f"  {fc.category_name}：{_n(fc.yuan_per_hour)} 元/学时，已学平台课程 {_n(fc.paid_hours)} 学时"
                       f"（免费 {_n(fc.free_hours_used)}），{_n(fc.amount)} 元；补足约 {_n(fc.amount_to_complete)} 元")
        limit = f"，报账限额 {_n(fees.reimbursement_limit)} 元" if fees.reimbursement_limit is not None else ""
        out.append(f"  合计 {_n(fees.total)} 元{limit}，可报销 {_n(fees.reimbursable)} 元")
    if result.title_window:
        tw = result.title_window
        out += ["", f"职称申报年限（{tw.label}，{tw.start_year}—{tw.end_year}年）："]
        out.append("  年度   公需   专业   总学时   是否达标")
        for y in tw.years:
            mark = "达标" if y.met else ("未填写" if y.source == "missing" else "未达标")
            out.append(f"  {y.year}   {_n(y.public):>4}   {_n(y.professional):>4}   {_n(y.total):>6}   {mark}")
    if result.makeup:
        mk = result.makeup
        out += ["", f"补学（{mk.label}）："]
        for a in mk.allocations:
            out.append(f"  分配至 {a.year} 年度 {a.category}：{_n(a.hours)} 学时")
        if mk.unallocated:
            out.append("  未分配的超出学时：" + "、".join(f"{k} {_n(v)}" for k, v in mk.unallocated.items()))
    out += ["", "计算过程："]
    for i, line in enumerate(result.trace, 1):
        out.append(f"  {i}. {line.text}")
        out.extend(cite_line(line.citation))
    evidence = sorted({e for a in result.activities if a.counted for e in a.evidence})
    if evidence:
        out += ["", "请保存以下证明材料："] + [f"  · {e}" for e in evidence]
    notes = [w for w in result.warnings if w.code != "interpretation"]
    if notes:
        out += ["", "提醒："] + [f"  · {w.message}" for w in notes]
    if result.problems:
        out += ["", "输入问题（相关条目未计入）："] + [f"  · {p.path}：{p.message}" for p in result.problems]
    return "\n".join(out) + "\n"
