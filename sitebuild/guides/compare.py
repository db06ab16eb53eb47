"""Comparisons: every rule set side by side, and entry-by-entry differences of two rule sets.

Differences are computed, never written: effective entries of both rule sets are matched
by section and id; an id on one side only is added or removed, an id on both sides whose
content differs is changed, with each changed field shown old -> new.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from calculator.engine.resolve import ResolvedRuleSet
from calculator.models.rules import SECTIONS, UNIT_NAMES, RuleSet

from .markdown import cell, code, esc, num, table
from .context import (
    COMPARE, EXCEPTION_EFFECTS, SECTION_TITLES, GuideContext, anchor, compare_page, md_link, rule_page,
)

# Chinese names of the fields that appear in differences (paths show both).
FIELD_LABELS: dict[str, str] = {
    "id": "标识", "label": "名称", "title": "标题", "name": "名称", "text": "内容", "hours": "学时",
    "citation": "引文", "evidence_citation": "证明材料引文", "source": "来源文件", "section": "条款",
    "quote": "原文", "interpretation": "本工具的理解", "category": "科目", "category_choices": "可选科目",
    "within": "上级科目", "alternative": "其他方式", "amount": "数量", "unit": "单位", "counted_from": "计入的活动",
    "date": "日期", "applies_when": "适用条件", "description": "说明", "quantity": "数量", "counter": "量词",
    "options": "选项", "choices": "可选值", "rows": "折算标准", "when": "条件", "per": "每", "rounding": "取整",
    "produces_hours": "折算学时", "fee_applies": "收费", "evidence": "证明材料", "effect": "效果",
    "categories": "科目", "kinds": "活动类型", "question": "勾选问题", "match": "匹配", "levels": "级别",
    "degrees": "学历", "fields": "专业类别", "start_year": "起始年度", "target_years": "可补年度",
    "kind": "类型", "yuan_per_hour": "元/学时", "yuan": "金额（元）", "number": "文号", "issuer": "发文机关",
    "text_file": "原文文本", "note": "说明", "why": "未编码原因", "fact": "情况", "op": "比较", "value": "数值",
    "any": "任一", "all": "全部", "min": "最小", "max": "最大", "type": "类型", "year": "年度",
    "summary": "概述", "jurisdiction": "辖区", "regime": "类别", "last_checked": "最近核对", "level": "级别",
    "code": "代码", "parent": "上级", "extends": "上级规则",
    "through": "年限算到", "measure": "衡量方式", "totals": "年限内合计要求",
}
META_FIELDS = ("title", "jurisdiction", "regime", "year", "summary", "last_checked")


@dataclass
class EntryDiff:
    section: str
    id: str
    kind: str  # "added" | "removed" | "changed"
    old: Any = None
    new: Any = None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


@dataclass
class RuleDiff:
    old: ResolvedRuleSet
    new: ResolvedRuleSet
    meta: list[tuple[str, Any, Any]]
    entries: list[EntryDiff]
    same: dict[str, list[str]]

    def of(self, kind: str) -> list[EntryDiff]:
        return [e for e in self.entries if e.kind == kind]


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"rows": [{"hours": 30}]} -> {"rows[0].hours": 30}; lists of plain values stay whole."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(x, (dict, list)) for x in value):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def field_changes(old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    a, b = flatten(old), flatten(new)
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b), key=_path_key) if a.get(k) != b.get(k)]


def _path_key(path: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")]


def _dump(entry: Any) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_defaults=True)


def diff_rules(old: ResolvedRuleSet, new: ResolvedRuleSet) -> RuleDiff:
    meta_old = {k: _dump(old.rules)[k] for k in META_FIELDS if k in _dump(old.rules)}
    meta_new = {k: _dump(new.rules)[k] for k in META_FIELDS if k in _dump(new.rules)}
    entries: list[EntryDiff] = []
    same: dict[str, list[str]] = {}
    for section in SECTIONS:
        a = {e.id: e for e in getattr(old.rules, section)}
        b = {e.id: e for e in getattr(new.rules, section)}
        for entry_id in b:
            if entry_id not in a:
                entries.append(EntryDiff(section, entry_id, "added", new=b[entry_id]))
        for entry_id in a:
            if entry_id not in b:
                entries.append(EntryDiff(section, entry_id, "removed", old=a[entry_id]))
            else:
                changes = field_changes(_dump(a[entry_id]), _dump(b[entry_id]))
                if changes:
                    entries.append(EntryDiff(section, entry_id, "changed", a[entry_id], b[entry_id], changes))
                else:
                    same.setdefault(section, []).append(entry_id)
    return RuleDiff(old, new, field_changes(meta_old, meta_new), entries, same)


def entry_title(section: str, entry: Any, rules: ResolvedRuleSet) -> str:
    for name in ("label", "title", "name"):
        value = getattr(entry, name, None)
        if isinstance(value, str):
            return value
    if section == "sources" or section == "not_encoded":
        return entry.number
    if section == "fees":
        cat = rules.categories.get(getattr(entry, "category", ""), None)
        cat_name = cat.name if cat else ""
        if entry.kind == "rate":
            return f"{cat_name}课时费用 {num(entry.yuan_per_hour)} 元/学时"
        if entry.kind == "free_hours":
            return f"{cat_name}免费 {num(entry.hours)} 学时"
        return f"报账限额 {num(entry.yuan)} 元"
    return entry.id


def _label(path: str) -> str:
    names = [p for p in path.replace("[", ".[").split(".") if p and not p.startswith("[")]
    return " › ".join(FIELD_LABELS.get(n, n) for n in names)


def _value(value: Any) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return num(value)
    if isinstance(value, list):
        return "、".join(_value(v) for v in value) or "（空）"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def citation_only(changes: list[tuple[str, Any, Any]]) -> bool:
    """True when only where the rule is written changed (citation, interpretation), not the rule."""
    def cited(path: str) -> bool:
        parts = set(re.split(r"[.\[\]]", path))
        return bool(parts & {"citation", "evidence_citation", "interpretation"})
    return bool(changes) and all(cited(p) for p, _, _ in changes)


def changes_table(changes: list[tuple[str, Any, Any]]) -> str:
    rows = [[f"{cell(_label(p))}<br>{code(p)}", cell(_value(a)), cell(_value(b))] for p, a, b in changes]
    return table(["字段", "原值", "新值"], rows)


def _entry_link(ctx: GuideContext, from_page: str, rs_id: str, section: str, entry: Any) -> str:
    title = entry_title(section, entry, ctx.resolved(rs_id))
    return f"[{esc(title)}]({md_link(from_page, rule_page(rs_id), anchor(section, entry.id))})"


def _removal_citation(rs: RuleSet, section: str, entry_id: str) -> str:
    for removal in rs.remove:
        if (removal.section, removal.id) == (section, entry_id):
            return f"依据：{esc(removal.citation.section)}：“{esc(removal.citation.quote)}”"
    return ""


def diff_markdown(ctx: GuideContext, diff: RuleDiff, page: str, heading: str = "##", full_counts: bool = True) -> str:
    """Added / removed / changed entries, each linked to its rule set page."""
    old_id, new_id = diff.old.id, diff.new.id
    new_rs = ctx.catalog.get(new_id)
    sub = heading + "#"
    out: list[str] = []
    counted = [s for s in SECTIONS if any(e.section == s for e in diff.entries) or diff.same.get(s)]
    if not full_counts:
        counted = [s for s in counted if any(e.section == s for e in diff.entries)]
    counts = [
        [esc(SECTION_TITLES[s]),
         str(sum(1 for e in diff.entries if e.section == s and e.kind == "added")),
         str(sum(1 for e in diff.entries if e.section == s and e.kind == "removed")),
         str(sum(1 for e in diff.entries if e.section == s and e.kind == "changed")),
         str(len(diff.same.get(s, [])))]
        for s in counted
    ]
    out.append(table(["部分", "新增", "删除", "变化", "相同"], counts))
    if not full_counts:
        same = sum(len(v) for v in diff.same.values())
        out.append(f"其余 {same} 个条目与上级规则相同。\n")
    if diff.meta:
        out.append(f"{heading} 基本信息的变化\n\n" + changes_table(diff.meta))
    titles = {"added": "新增的条目", "removed": "删除的条目", "changed": "变化的条目"}
    for kind in ("added", "removed", "changed"):
        items = diff.of(kind)
        out.append(f"{heading} {titles[kind]}\n")
        if not items:
            out.append("无。\n")
            continue
        if kind != "changed":
            rows = []
            for e in items:
                rs_id, entry = (new_id, e.new) if kind == "added" else (old_id, e.old)
                row = [esc(SECTION_TITLES[e.section]), _entry_link(ctx, page, rs_id, e.section, entry), code(e.id)]
                if kind == "removed":
                    row.append(_removal_citation(new_rs, e.section, e.id) or "—")
                rows.append(row)
            out.append(table(["部分", "条目", "id"] + (["依据"] if kind == "removed" else []), rows))
            continue
        for e in items:
            old_link = _entry_link(ctx, page, old_id, e.section, e.old)
            new_link = _entry_link(ctx, page, new_id, e.section, e.new)
            only = "（仅出处不同）" if citation_only(e.fields) else ""
            out.append(
                f"{sub} {esc(SECTION_TITLES[e.section])}：{esc(entry_title(e.section, e.new, diff.new))}（{code(e.id)}）{only}\n\n"
                f"原：{old_link}；新：{new_link}\n\n" + changes_table(e.fields)
            )
    return "\n".join(out) + "\n"


def child_changes_markdown(ctx: GuideContext, rs: RuleSet, page: str) -> str:
    """The “与上级规则的差异” section of a child rule set's page."""
    assert rs.extends is not None
    diff = diff_rules(ctx.resolved(rs.extends), ctx.resolved(rs.id))
    parent_link = md_link(page, rule_page(rs.extends))
    full = md_link(page, compare_page(rs.extends, rs.id))
    intro = (
        f"本规则集在[{esc(ctx.title(rs.extends))}]({parent_link})之上，只写明自己增加、替换或删除的条目；"
        f"下文的规则是合并后的**完整有效规则**，每一条都注明来自哪一个规则集。"
        f"逐字段对照见[对照页面]({full})。\n"
    )
    return "## 与上级规则的差异 {#changes}\n\n" + intro + "\n" + diff_markdown(ctx, diff, page, "###", full_counts=False)


# ---------------------------------------------------------------- pages


def comparison_pairs(ctx: GuideContext) -> list[tuple[str, str, str]]:
    """(old id, new id, why) for every parent/child pair and every consecutive pair of years."""
    pairs: list[tuple[str, str, str]] = []
    for rs in ctx.ordered():
        if rs.extends:
            pairs.append((rs.extends, rs.id, "上级与下级"))
    series: dict[tuple[str, str], list[RuleSet]] = {}
    for rs in ctx.catalog.all():
        series.setdefault((rs.jurisdiction.code, rs.regime), []).append(rs)
    for key in sorted(series):
        years = sorted(series[key], key=lambda r: (r.year, r.id))
        for a, b in zip(years, years[1:]):
            if a.year != b.year:
                pairs.append((a.id, b.id, "前后年度"))
    seen: set[tuple[str, str]] = set()
    unique = []
    for old, new, why in pairs:
        if (old, new) not in seen:
            seen.add((old, new))
            unique.append((old, new, why))
    return unique


def compare_pair_markdown(ctx: GuideContext, old_id: str, new_id: str, why: str) -> str:
    page = compare_page(old_id, new_id)
    diff = diff_rules(ctx.resolved(old_id), ctx.resolved(new_id))
    old_link = md_link(page, rule_page(old_id))
    new_link = md_link(page, rule_page(new_id))
    intro = (
        f"# {esc(ctx.short(new_id))} 与 {esc(ctx.short(old_id))}：规则对照\n\n"
        f"对照的两个规则集（{why}）：原 [{esc(ctx.title(old_id))}]({old_link})（{code(old_id)}），"
        f"新 [{esc(ctx.title(new_id))}]({new_link})（{code(new_id)}）。\n\n"
        "比较的是两者的**完整有效规则**（下级规则已与上级合并），按部分和条目 id 对照："
        "只在新规则中有的为“新增”，只在原规则中有的为“删除”，两边都有但内容不同的为“变化”，并逐字段列出原值和新值。\n\n"
    )
    return intro + diff_markdown(ctx, diff, page)


def _requirement(rules: ResolvedRuleSet, category: str | None) -> str:
    """One requirement's figure for a cell, with its unit when not 学时 and 周期合计 for a cycle's."""
    rs = rules.rules
    for req in rs.requirements:
        if req.category == category and (category is not None or req.categories is None):
            cycle = "（周期合计）" if req.over == "period" and rs.period_years > 1 else ""
            unit = f" {rs.unit_name}" if rs.unit_name != "学时" else ""
            return num(req.hours) + unit + cycle
    return "—"


def overview_markdown(ctx: GuideContext) -> str:
    page = COMPARE
    tops: list[str] = []
    for rs in ctx.ordered():
        for cat in ctx.resolved(rs.id).rules.categories:
            if cat.within is None and cat.id not in tops:
                tops.append(cat.id)
    top_names = {}
    for rs in ctx.ordered():
        for cat in ctx.resolved(rs.id).rules.categories:
            top_names.setdefault(cat.id, cat.name)
    req_rows, rule_rows = [], []
    for rs in ctx.ordered():
        r = ctx.resolved(rs.id)
        rules = r.rules
        link = f"[{esc(ctx.short(rs.id))}]({md_link(page, rule_page(rs.id))})"
        subs = [f"{c.name} {_requirement(r, c.id)}" for c in rules.categories if c.within is not None]
        alts = [f"{num(q.alternative.amount)} {UNIT_NAMES[q.alternative.unit]}" for q in rules.requirements if q.alternative]
        deadlines = [f"{d.label} {d.date.isoformat()}" for d in rules.deadlines]
        req_rows.append(
            [link, cell(rs.regime_name), _requirement(r, None)]
            + [_requirement(r, c) for c in tops]
            + [cell("；".join(subs) or "—"), cell("；".join(alts) or "—"), cell("；".join(deadlines) or "—")]
        )
        exceptions = [f"{e.label}（{EXCEPTION_EFFECTS[e.effect]}）" for e in rules.exceptions]
        fees = [entry_title("fees", f, r) for f in rules.fees]
        rule_rows.append([
            link, str(len(rules.conversions)), cell("；".join(exceptions) or "—"),
            cell("；".join(x.label for x in rules.exclusions) or "—"), cell("；".join(fees) or "—"),
            cell("；".join(t.label for t in rules.title_windows) or "—"),
            cell("；".join(m.label for m in rules.makeup) or "—"),
        ])
    headers = ["规则集", "适用对象", "总学时"] + [esc(top_names[c]) for c in tops] + [
        "子科目", "其他方式", "截止日期"]
    pair_rows = []
    for old, new, why in comparison_pairs(ctx):
        link = md_link(page, compare_page(old, new))
        pair_rows.append([f"[{esc(ctx.title(new))} 与 {esc(ctx.title(old))}]({link})", why])
    return (
        "---\nhide: [navigation, toc]\n---\n\n"  # the wide tables get the full width
        "# 各地规则对照\n\n"
        "下表由规则文件生成，列出每个规则集的有效规则（下级规则已与上级合并）。学时均为“不少于”的要求；"
        "“—”表示该规则集没有这一项。\n\n"
        "## 学时要求 {#requirements}\n\n" + table(headers, req_rows) + "\n"
        "## 特别规定 {#special}\n\n"
        + table(["规则集", "折算方式（种）", "例外情形", "不计学时的情形", "费用", "职称申报年限", "补学"], rule_rows)
        + "\n## 逐条对照 {#pairs}\n\n"
        "上级与下级规则、同一辖区前后年度的规则，逐条对照的结果：\n\n" + table(["对照", "关系"], pair_rows)
    )
