"""Checks an author needs beyond the model's own: every number stands in its quote, every
source can be checked verbatim, every rule file has its worked examples.

`python -m calculator validate` runs these together with the model, the references and
the verbatim quote check, so what the test suite checks on rule files is what an author
sees at their desk.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from ..engine.resolve import Catalog, RuleProblem, citations
from ..models.rules import Citation, RuleSet

CASES_SUFFIX = ".cases.yaml"
_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> list[str]:
    """Ways a notice writes a whole number in Chinese: 2 -> 二, 两; 12 -> 十二; 30 -> 三十."""
    if not 0 <= n < 10000:
        return []
    if n < 10:
        return [_DIGITS[n]] + (["两"] if n == 2 else [])
    forms = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, ones = divmod(rest, 10)
    text = ""
    if thousands:
        text += _DIGITS[thousands] + "千"
    if hundreds:
        text += _DIGITS[hundreds] + "百"
    elif thousands and (tens or ones):
        text += "零"
    if tens:
        text += ("" if tens == 1 and not text else _DIGITS[tens]) + "十"
    elif text and ones:
        text += "零"
    if ones:
        text += _DIGITS[ones]
    forms.append(text)
    if text.startswith("十"):
        forms.append("一" + text)
    return forms


def number_forms(value: float) -> list[str]:
    if float(value).is_integer():
        n = int(value)
        return [str(n), *chinese_numeral(n)]
    return [str(value)]


def fraction_forms(fraction: str) -> list[str]:
    """Ways a notice writes a share: 2/3 -> 三分之二, 2/3; 30% -> 百分之三十, 30%, 30％."""
    if fraction.endswith("%"):
        number = fraction[:-1]
        spoken = chinese_numeral(int(number)) if number.isdigit() else []
        return [fraction, f"{number}％", *(f"百分之{s}" for s in spoken)]
    top, bottom = (int(x) for x in fraction.split("/"))
    return [fraction, f"{top}／{bottom}",
            *(f"{b}分之{a}" for b in chinese_numeral(bottom) for a in chinese_numeral(top))]


def _in_quote(value: float | str, citation: Citation) -> bool:
    quote = re.sub(r"\s", "", citation.quote)
    forms = fraction_forms(value) if isinstance(value, str) else number_forms(value)
    if value == 1:
        forms += ["每学时", "每学分", "每天", "每篇", "每项", "每次"]  # “每学时不低于45分钟”: one 学时
    return any(form in quote for form in forms)


def _numbers(rs: RuleSet) -> Iterable[tuple[str, float | str, Citation]]:
    """(where, number, citation) for every number an author typed that a quote must carry."""
    for req in rs.requirements:
        if req.share is not None:
            yield f"requirements/{req.id}.share", req.share.fraction, req.citation
        elif req.hours is not None:
            yield f"requirements/{req.id}", req.hours, req.citation
        if req.alternative is not None:
            yield f"requirements/{req.id}/alternative", req.alternative.amount, req.alternative.citation
    if rs.year_begins is not None:
        yield "year_begins.month", rs.year_begins.month, rs.year_begins.citation
        yield "year_begins.day", rs.year_begins.day, rs.year_begins.citation
    for conv in rs.conversions:
        for row in conv.rows:
            for value in [row.up_to, row.max_hours] + [x for t in row.then or [] for x in (t.hours, t.up_to)]:
                if value:
                    yield f"conversions/{conv.id}", value, conv.citation
            for tier in row.then or []:
                if tier.per != 1:
                    yield f"conversions/{conv.id}", tier.per, conv.citation
            if conv.quantity.unit == "hour" and row.hours == 1 and row.per == 1:
                continue  # recorded hours count as themselves
            if row.hours == 0:
                continue  # "不计学时" needs no number
            yield f"conversions/{conv.id}", row.hours, conv.citation
            if row.per != 1:
                yield f"conversions/{conv.id}", row.per, conv.citation
    for fee in rs.fees:
        value = getattr(fee, "yuan_per_hour", None) or getattr(fee, "hours", None) or getattr(fee, "yuan", None)
        if value:
            yield f"fees/{fee.id}", value, fee.citation
    for window in rs.title_windows:
        yield f"title_windows/{window.id}", window.start_year or window.years or 0, window.citation
    for tw in rs.title_windows:
        for key, value in (tw.totals or {}).items():
            yield f"title_windows/{tw.id}.totals.{key}", value, tw.citation
    for mk in rs.makeup:
        for name in ("years_back", "max_years", "max_hours"):
            if getattr(mk, name) is not None:
                yield f"makeup/{mk.id}.{name}", getattr(mk, name), mk.citation
    for co in rs.carry_over:
        if co.max_hours is not None:
            yield f"carry_over/{co.id}.max_hours", co.max_hours, co.citation
    for cap in rs.caps:
        yield f"caps/{cap.id}.max_hours", cap.max_hours, cap.citation


def numbers_in_quotes(catalog: Catalog) -> list[RuleProblem]:
    problems = []
    for rs in catalog.all():
        for where, value, citation in _numbers(rs):
            if not _in_quote(value, citation):
                shown = value if isinstance(value, str) else int(value) if float(value).is_integer() else value
                problems.append(RuleProblem(rs.id, where, f"数字 {shown} 不在所引原文中（请核对数字或引文）"))
    return problems


def sources_checkable(catalog: Catalog) -> list[RuleProblem]:
    """A source without its text cannot be checked verbatim, and one without its provenance
    cannot be weighed by the person who relies on it: refuse rather than claim either."""
    problems = []
    for rs in catalog.all():
        for src in rs.sources:
            if src.text_file is None:
                problems.append(RuleProblem(rs.id, f"sources/{src.id}",
                                            "缺少 text_file：没有原文文件就无法逐字核对引文（请把原文保存在 rules/sources/ 下）"))
            if src.provenance is None:
                problems.append(RuleProblem(
                    rs.id, f"sources/{src.id}",
                    "缺少 provenance：请写明原文从哪里取得（kind：official 发文机关公布的原文、repost 转载、excerpt 摘录、"
                    "report 新闻报道转述、supplied 项目收集；urls 网页地址；retrieved 取得日期）"))
    return problems


def cases_present(paths: Iterable[Path]) -> list[str]:
    out = []
    for path in paths:
        cases = path.with_name(path.stem + CASES_SUFFIX)
        if not cases.is_file():
            out.append(f"{path.name}: 缺少测试用例文件 {cases.name}（每个规则集都须有算例，见政策指南“规则编写指南”）")
    return out


def overlapping_periods(catalog: Catalog) -> list[RuleProblem]:
    """One jurisdiction and regime, one rule set per year: a look-up by year must have one answer."""
    problems = []
    sets = catalog.all()
    for i, a in enumerate(sets):
        for b in sets[i + 1:]:
            same = (a.jurisdiction.code, a.regime) == (b.jurisdiction.code, b.regime)
            # A standing rule set gives way to any later one of the same place and regime;
            # two that begin in the same year leave the year without one answer.
            if a.standing or b.standing:
                clash = a.standing and b.standing and a.year == b.year
            else:
                clash = bool(set(a.years) & set(b.years))
            if same and clash:
                problems.append(RuleProblem(b.id, "year", f"与 {a.id} 是同一辖区、同一类别，期间重叠（{a.year}—{a.last_year}年）"))
    return problems


def known_places(catalog: Catalog) -> list[RuleProblem]:
    """Every rule set is about a place a person can pick (rules/places.json), or sits under one."""
    if catalog.places is None:
        return []
    return [
        RuleProblem(rs.id, "jurisdiction.code",
                    f"辖区代码 {rs.jurisdiction.code} 不在 places.json 中，其上级（parent）也不在：请使用 places.json 中"
                    "该地的代码（如 guangdong、hunan-xiangxi），单位级规则集以所在地为 parent")
        for rs in catalog.all() if catalog.place_of(rs.jurisdiction.code) is None
    ]


def _squash(text: str) -> str:
    # Source texts carry layout: line breaks inside words, spaces around digits.
    return re.sub(r"\s+", "", text)


def verify_quotes(catalog: Catalog, rules_dir: Path) -> list[RuleProblem]:
    """Every quote must appear verbatim (ignoring white space) in its source's text file."""
    problems: list[RuleProblem] = []
    texts: dict[str, str | None] = {}
    for rule_set in catalog.all():
        resolved = catalog.resolve(rule_set.id)
        for where, c in citations(rule_set):  # every citation the file itself writes (resolve.citations)
            source = resolved.sources.get(c.source)
            if source is None or source.text_file is None:
                continue
            if source.text_file not in texts:
                file = rules_dir / "sources" / source.text_file
                if not file.is_file():
                    problems.append(RuleProblem(rule_set.id, f"sources/{source.id}", f"找不到原文文件 {source.text_file}"))
                    texts[source.text_file] = None  # said once; its quotes cannot be checked
                    continue
                texts[source.text_file] = _squash(file.read_text(encoding="utf-8"))
            text = texts[source.text_file]
            if text is not None and _squash(c.quote) not in text:
                where = where.removesuffix("/alternative")
                problems.append(RuleProblem(rule_set.id, where, f"引文在原文中找不到：“{c.quote[:40]}”"))
    return problems


def catalog_checks(catalog: Catalog) -> list[RuleProblem]:
    """Every check of a loaded catalogue beyond the model and the quotes."""
    return sources_checkable(catalog) + numbers_in_quotes(catalog) + overlapping_periods(catalog) + known_places(catalog)


def rule_set_problems(catalog: Catalog, rules_dir: Path) -> list[RuleProblem]:
    """Every check of `validate` on rule sets that load and resolve, in one list: quotes verbatim
    in their texts, every number in its quote, sources checkable and traceable, periods that do
    not overlap, places in the registry. `python -m calculator validate` and the studio's live
    check (doors/studio.py) both call this, so a new check reaches both at once."""
    return verify_quotes(catalog, rules_dir) + catalog_checks(catalog)


def author_checks(catalog: Catalog, rules_dir: Path, rule_paths: list[Path]) -> list[str]:
    """validate's checks after loading: those of every rule set, then every file's worked examples."""
    return [str(p) for p in rule_set_problems(catalog, rules_dir)] + cases_present(rule_paths)
