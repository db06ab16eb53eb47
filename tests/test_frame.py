"""The national frame that provinces extend (issue #21): requirements stated as a share of
another, standing rule sets that need no copy per year, a yearly child over a standing parent,
and the provenance of every source, each on small rule sets written here."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pydantic import ValidationError

from calculator.engine.resolve import Catalog, RuleError
from calculator.engine.run import run_case
from calculator.models.rules import RuleSet
from calculator.rulefiles.lint import fraction_forms, numbers_in_quotes, overlapping_periods, sources_checkable

CITE = {"source": "guo", "section": "第八条", "quote": "每年累计应不少于90学时,其中,专业科目一般不少于总学时的三分之二"}
PROVENANCE = {"kind": "excerpt", "urls": ["https://example.org/a"], "retrieved": "2026-12-03", "complete": False,
              "missing": "第九条以后"}


def national(**changes) -> dict:
    data = {
        "format": "xueshi.rules/2", "id": "guo-zhuanji", "title": "国家", "regime": "zhuanji", "year": 2016,
        "standing": True, "jurisdiction": {"code": "national", "name": "全国", "level": "national"},
        "last_checked": "2026-12-03",
        "sources": [{"id": "guo", "number": "令第25号", "title": "规定", "issuer": "人社部", "date": "2015-08-13",
                     "text_file": "g.txt", "provenance": PROVENANCE}],
        "categories": [{"id": c, "name": n, "citation": CITE} for c, n in (("gong", "公需科目"), ("zhuan", "专业科目"))],
        "requirements": [
            {"id": "total", "label": "年度总学时", "hours": 90, "citation": CITE},
            {"id": "zhuan", "label": "专业科目", "category": "zhuan", "share": {"of": "total", "fraction": "2/3"},
             "citation": CITE},
        ],
        "conversions": [{"id": "h", "label": "学时", "quantity": {"unit": "hour", "label": "学时"},
                         "category_choices": ["gong", "zhuan"], "rows": [{"hours": 1}], "citation": CITE}],
    }
    data.update(changes)
    return data


PROV_CITE = {"source": "sheng", "section": "一", "quote": "总学时不少于135学时"}


def province(**changes) -> dict:
    data = {
        "format": "xueshi.rules/2", "id": "sheng-2021", "title": "某省", "regime": "zhuanji", "year": 2021,
        "extends": "guo-zhuanji", "jurisdiction": {"code": "sheng", "name": "某省", "level": "province",
                                                   "parent": "national"},
        "last_checked": "2026-12-03",
        "sources": [{"id": "sheng", "number": "某〔2021〕1号", "title": "通知", "issuer": "某省人社厅",
                     "date": "2021-03-01", "text_file": "s.txt",
                     "provenance": {"kind": "official", "urls": ["https://example.org/s"], "retrieved": "2026-12-03"}}],
        "requirements": [{"id": "total", "label": "年度总学时", "hours": 135, "citation": PROV_CITE}],
    }
    data.update(changes)
    return data


def catalog(*sets: dict) -> Catalog:
    return Catalog([RuleSet.model_validate(s) for s in sets])


def run(cat: Catalog, case: dict):
    outcome = run_case(case, cat)
    assert outcome.result is not None, outcome.problems
    return outcome.result


def hours(**by_category: float) -> list[dict]:
    return [{"kind": "h", "name": c, "quantity": q, "category": c} for c, q in by_category.items()]


# ---------------------------------------------------------------- a share of another requirement


def test_a_share_is_computed_from_its_base() -> None:
    result = run(catalog(national()), {"rule_set": "guo-zhuanji", "year": 2024, "activities": hours(gong=35, zhuan=55)})
    lines = {line.id: line for line in result.requirements}
    assert lines["zhuan"].required == 60 and lines["zhuan"].shortfall == 5
    assert lines["total"].met and result.status == "short"


def test_a_child_that_raises_the_base_raises_the_share() -> None:
    cat = catalog(national(), province())
    result = run(cat, {"rule_set": "sheng-2021", "activities": hours(gong=45, zhuan=85)})
    lines = {line.id: line for line in result.requirements}
    assert lines["total"].required == 135 and lines["zhuan"].required == 90
    assert lines["zhuan"].shortfall == 5


def test_a_share_of_a_share_and_a_percent() -> None:
    reqs = national()["requirements"] + [
        {"id": "bi", "label": "必修", "category": "gong", "share": {"of": "zhuan", "fraction": "30%"}, "citation": CITE}]
    cat = catalog(national(requirements=reqs))
    lines = {line.id: line for line in run(cat, {"rule_set": "guo-zhuanji", "year": 2020}).requirements}
    assert lines["bi"].required == 18  # 30% of (2/3 of 90)


def test_a_share_needs_a_base_that_exists_and_no_circle() -> None:
    missing = national(requirements=[
        {"id": "zhuan", "label": "专业", "category": "zhuan", "share": {"of": "total", "fraction": "2/3"}, "citation": CITE}])
    with pytest.raises(RuleError, match="没有 id 为 total"):
        catalog(missing).resolve("guo-zhuanji")
    circle = national(requirements=[
        {"id": "a", "label": "a", "category": "zhuan", "share": {"of": "b", "fraction": "1/2"}, "citation": CITE},
        {"id": "b", "label": "b", "category": "gong", "share": {"of": "a", "fraction": "1/2"}, "citation": CITE}])
    with pytest.raises(RuleError, match="成环"):
        catalog(circle).resolve("guo-zhuanji")


def test_hours_and_share_exclude_each_other() -> None:
    both = national()
    both["requirements"][1]["hours"] = 60
    with pytest.raises(ValidationError, match="须且只能填写一个"):
        RuleSet.model_validate(both)


def test_the_number_check_reads_a_fraction_in_the_quote() -> None:
    assert "三分之二" in fraction_forms("2/3") and "百分之三十" in fraction_forms("30%")
    assert numbers_in_quotes(catalog(national())) == []
    wrong = national()
    wrong["requirements"][1]["share"]["fraction"] = "3/4"
    problems = numbers_in_quotes(catalog(wrong))
    assert [p.where for p in problems] == ["requirements/zhuan.share"]


# ---------------------------------------------------------------- standing rule sets


def test_a_standing_rule_set_answers_for_every_year_from_its_start() -> None:
    cat = catalog(national())
    assert cat.find("national", "zhuanji", 2016) == "guo-zhuanji"
    assert cat.find("national", "zhuanji", 2031) == "guo-zhuanji"
    assert cat.find("national", "zhuanji", 2015) is None
    result = run(cat, {"jurisdiction": "national", "regime": "zhuanji", "year": 2031,
                       "activities": [{**a, "date": "2031-05-01"} for a in hours(gong=30, zhuan=60)]})
    assert result.year == 2031 and result.status == "met"
    assert result.rule_set.standing_since == 2016 and result.rule_set.year == 2031
    assert result.problems == []


def test_a_standing_cycle_repeats() -> None:
    cat = catalog(national(period_years=3, requirements=[
        {"id": "total", "label": "周期总学时", "hours": 90, "over": "period", "citation": CITE}]))
    rules = cat.resolve("guo-zhuanji", 2024)
    assert list(rules.rules.years) == [2022, 2023, 2024] and rules.standing_since == 2016


def test_a_later_rule_set_of_the_same_place_takes_over() -> None:
    later = national(id="guo-zhuanji-2030", year=2030)
    cat = catalog(national(), later)
    assert cat.find("national", "zhuanji", 2029) == "guo-zhuanji"
    assert cat.find("national", "zhuanji", 2030) == "guo-zhuanji-2030"
    assert overlapping_periods(cat) == []
    clash = catalog(national(), national(id="guo-zhuanji-b"))
    assert [p.rule_set for p in overlapping_periods(clash)] == ["guo-zhuanji-b"]


def test_a_dated_child_keeps_its_own_year_over_a_standing_parent() -> None:
    cat = catalog(national(), province())
    rules = cat.resolve("sheng-2021")
    assert not rules.rules.standing and list(rules.rules.years) == [2021]
    assert rules.origin_of("requirements", "zhuan") == "guo-zhuanji"
    too_early = province(year=2015)
    with pytest.raises(RuleError, match="不早于父规则集的起始年度"):
        catalog(national(), too_early).resolve("sheng-2021")


def test_a_standing_rule_set_has_no_dated_deadline() -> None:
    dated = national(deadlines=[{"id": "d", "label": "截止", "date": "2016-12-31", "citation": CITE}])
    with pytest.raises(RuleError, match="常设规则集"):
        catalog(dated).resolve("guo-zhuanji")


# ---------------------------------------------------------------- provenance


def test_validate_refuses_a_source_without_provenance() -> None:
    bare = national()
    del bare["sources"][0]["provenance"]
    problems = sources_checkable(catalog(bare))
    assert [p.where for p in problems] == ["sources/guo"] and "provenance" in problems[0].message


@pytest.mark.parametrize("provenance, message", [
    ({"kind": "repost"}, "urls"),
    ({"kind": "excerpt", "urls": ["https://e.org"], "retrieved": "2026-12-03"}, "complete: false"),
    ({"kind": "repost", "urls": ["https://e.org"], "retrieved": "2026-12-03", "complete": False}, "missing"),
    ({"kind": "supplied"}, "via"),
    ({"kind": "repost", "urls": ["ftp://e.org"], "retrieved": "2026-12-03"}, "urls"),
])
def test_provenance_that_cannot_be_traced_is_refused(provenance: dict, message: str) -> None:
    data = national()
    data["sources"][0]["provenance"] = provenance
    with pytest.raises(ValidationError, match=message):
        RuleSet.model_validate(data)


def test_the_result_names_its_sources_and_says_what_is_not_the_original() -> None:
    cat = catalog(national(), province())
    result = run(cat, {"rule_set": "sheng-2021", "activities": hours(gong=45, zhuan=90)})
    kinds = {s.id: s.kind for s in result.rule_set.sources}
    assert kinds == {"guo": "excerpt", "sheng": "official"}
    assert result.rule_set.sources[0].id == "guo"  # the weakest first
    assert result.rule_set.cautions == ["依据原文的摘录（令第25号），未取得的部分未编码，请以发文机关公布的原文为准"]
    official_only = catalog(province(extends=None, jurisdiction={"code": "sheng", "name": "某省", "level": "province"},
                                     categories=[], requirements=[
                                         {"id": "total", "label": "总", "hours": 135, "citation": PROV_CITE}]))
    assert run(official_only, {"rule_set": "sheng-2021"}).rule_set.cautions == []


def test_the_cli_says_the_caution_before_the_figures(tmp_path: Path) -> None:
    from calculator.engine.explain import render_text

    result = run(catalog(national(), province()), {"rule_set": "sheng-2021"})
    text = render_text(result)
    assert text.index("依据原文的摘录") < text.index("要求与完成情况")


def test_sources_of_a_child_include_what_the_parent_cites_only() -> None:
    parent = national()
    parent["sources"].append({**copy.deepcopy(parent["sources"][0]), "id": "unused", "text_file": "u.txt"})
    result = run(catalog(parent), {"rule_set": "guo-zhuanji", "year": 2020})
    assert [s.id for s in result.rule_set.sources] == ["guo"]


def test_an_application_the_title_windows_do_not_cover_gets_no_title_verdict() -> None:
    """株洲 2025 sets windows for 正高, 副高 (博士除外) and 中级, and says a doctor's 副高
    follows other rules: the tool cannot say the application is met on this year alone."""
    from calculator.rulefiles.loader import load_catalog

    catalog = load_catalog(Path(__file__).resolve().parent.parent / "rules")
    case = {"rule_set": "zhuzhou-zhuanji-2025",
            "person": {"title_application": {"level": "fugao", "degree": "doctor"}},
            "activities": [{"kind": k.id, "name": "学习", "quantity": 90, **({"category": k.category_choices[0]} if k.category_choices else {})}
                           for k in catalog.resolve("zhuzhou-zhuanji-2025").rules.conversions[:1]]}
    result = run_case(case, catalog).result
    assert result is not None and result.title is None
    (warning,) = [w for w in result.warnings if w.code == "no_title_window"]
    assert "博士申报副高" in warning.message and warning.citation is not None
    covered = {**case, "person": {"title_application": {"level": "fugao", "degree": "master"}}}
    assert run_case(covered, catalog).result.title is not None
