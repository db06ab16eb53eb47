"""Coverage by province, for the guides' home page: which rule sets exist for which place,
their years, the texts they rest on and their last check; and, per regime, the provinces
without a rule set of their own, answered by the national frame (or their nearest parent's).

Generated from the rule files and rules/places.json, in the words the calculator, the CLI
and the batch use (calculator/engine/words.py, engine/provenance.py).
"""

from __future__ import annotations

from calculator.engine.provenance import source_refs
from calculator.engine.words import frame_coverage_note, span_text
from calculator.models.places import Place
from calculator.models.rules import REGIME_NAMES, RuleSet

from .context import GuideContext, headline, md_link, rule_page
from .markdown import cell, esc, table

_TOP = ("province", "national")


def _province(ctx: GuideContext, rs: RuleSet) -> Place | None:
    """The province (or the nation) a rule set's place belongs to, from the place registry."""
    places = ctx.catalog.places
    place = ctx.catalog.place_of(rs.jurisdiction.code)
    if places is None or place is None:
        return None
    return next((p for p in places.lineage(place.code) if p.level in _TOP), place)


def _order(ctx: GuideContext) -> dict[str, int]:
    places = ctx.catalog.places
    return {p.code: i for i, p in enumerate(places.all())} if places is not None else {}


def kinds_text(ctx: GuideContext, rs: RuleSet) -> str:
    """The weakest kind of text a rule set's figures rest on (a rule set is as trustworthy as
    the weakest text it cites), with 等 when it cites texts of other kinds too; the rule set's
    page lists each."""
    refs, _ = source_refs(ctx.resolved(rs.id))
    if not refs:
        return ""
    more = any(ref.kind != refs[0].kind for ref in refs)
    return refs[0].kind_name + ("等" if more else "")


def coverage_markdown(ctx: GuideContext, page: str) -> str:
    order = _order(ctx)
    levels = ["national", "province", "prefecture", "city", "unit"]

    def key(rs: RuleSet) -> tuple:
        province = _province(ctx, rs)
        return (order.get(province.code, len(order)) if province else len(order), rs.regime,
                levels.index(rs.jurisdiction.level), rs.year, rs.id)

    rows = []
    for rs in sorted(ctx.catalog.all(), key=key):
        province = _province(ctx, rs)
        place = rs.jurisdiction.name
        if province is not None and province.name != place:
            place = f"{province.name} · {place}"
        rows.append([
            cell(place),
            f"[{esc(rs.title)}]({md_link(page, rule_page(rs.id))})<br>"
            f'<span class="xs-muted">{esc(rs.regime_name)}</span>',
            cell(span_text(rs.year, rs.last_year, rs.standing, rs.period_years)),
            cell(headline(ctx.resolved(rs.id))), cell(kinds_text(ctx, rs)),
            rs.last_checked.isoformat(),
        ])
    out = [
        "## 各地收录情况 {#coverage}",
        "下表列出本工具已收录的每个规则集：所在省份与地区、适用对象、年度、主要学时要求、所依据文本中最弱的一种（发文机关公布的原文、转载、"
        "摘录或新闻报道；还依据其他种类的文本时加“等”），以及最近一次与原文核对的日期。"
        "点规则集名称查看它依据的每一份文本、全部规则和计算示例。",
        '<div class="xs-fit" markdown>\n\n' + table(["地区", "规则集 · 适用对象", "年度", "学时要求", "依据的文本", "最近核对"], rows)
        + "\n</div>",
    ]
    out += _without_own(ctx, page)
    return "\n\n".join(out) + "\n"


def _but(ctx: GuideContext, province: Place, by_code: dict[str, list[RuleSet]]) -> str:
    """（湘西土家族苗族自治州另有规则）: places under a province that have rule sets of their own."""
    places = ctx.catalog.places
    own = sorted({rs.jurisdiction.name for code, sets in by_code.items() for rs in sets
                  if (place := ctx.catalog.place_of(code)) is not None and places is not None
                  and province in places.lineage(place.code)[1:]})
    return f"（{'、'.join(esc(n) for n in own)}另有规则）" if own else ""


def _without_own(ctx: GuideContext, page: str) -> list[str]:
    """Per regime: the provinces with no rule set of their own, grouped by whose rules answer."""
    places = ctx.catalog.places
    if places is None:
        return []
    provinces = [p for p in places.all() if p.level == "province"]
    out = ["### 尚未收录本地规则的地区 {#coverage-frame}"]
    for regime, regime_name in REGIME_NAMES.items():
        sets = [rs for rs in ctx.catalog.all() if rs.regime == regime]
        by_code: dict[str, list[RuleSet]] = {}
        for rs in sets:
            by_code.setdefault(rs.jurisdiction.code, []).append(rs)
        groups: dict[str, list[Place]] = {}
        for province in provinces:
            if province.code in by_code:
                continue
            applied = next((p for p in places.lineage(province.code)[1:] if p.code in by_code), None)
            groups.setdefault(applied.code if applied else "", []).append(province)
        if not groups:
            continue
        parts = [f'<div id="coverage-frame-{regime}" markdown>', f"**{esc(regime_name)}**"]
        for code, names in groups.items():
            applied = places.get(code)
            if applied is None:
                parts.append("本工具没有可用的规则集：" + "、".join(esc(p.name) for p in names))
                continue
            applied_name = "国家" if applied.level == "national" else applied.name
            links = "、".join(
                f"[{esc(rs.title)}]({md_link(page, rule_page(rs.id))})"
                for rs in sorted(by_code[code], key=lambda r: (r.year, r.id))
            )
            parts.append(f"{esc(frame_coverage_note(regime_name, applied_name))}（{links}）：")
            parts.append("、".join(esc(p.name) + _but(ctx, p, by_code) for p in names))
        parts.append("</div>")
        out.append("\n\n".join(parts))
    return out
