"""Each mechanism of the rules language on a small rule set written here, with no category
id the engine knows: what issue 12 found shaped around the seeds must now follow the data."""

from __future__ import annotations

import copy

import pytest

from calculator.engine.run import run_case
from calculator.engine.resolve import Catalog, RuleError
from calculator.models.rules import RuleSet

CITE = {"source": "doc", "section": "一", "quote": "每年不少于90学时"}


def _rules(**changes) -> dict:
    data = {
        "format": "xueshi.rules/2", "id": "t-2025", "title": "测试", "regime": "zhuanji", "year": 2025,
        "jurisdiction": {"code": "t", "name": "测试省", "level": "province"}, "last_checked": "2026-01-01",
        "sources": [{"id": "doc", "number": "测〔2025〕1号", "title": "测试", "issuer": "测试", "date": "2025-01-01",
                     "text_file": "t.txt"}],
        "categories": [{"id": c, "name": n, "citation": CITE} for c, n in
                       (("gong", "公需"), ("zhuan", "专业"), ("xuan", "选修"))],
        "requirements": [
            {"id": "total", "label": "总学时", "hours": 90, "citation": CITE},
            {"id": "gong", "label": "公需", "category": "gong", "hours": 30, "citation": CITE},
            {"id": "zhuan", "label": "专业", "category": "zhuan", "hours": 42, "citation": CITE},
            {"id": "xuan", "label": "选修", "category": "xuan", "hours": 18, "citation": CITE},
        ],
        "conversions": [{"id": "h", "label": "学时", "quantity": {"unit": "hour", "label": "学时"},
                         "category_choices": ["gong", "zhuan", "xuan"], "rows": [{"hours": 1}], "citation": CITE}],
    }
    data.update(changes)
    return data


def _run(rules: dict, case: dict):
    catalog = Catalog([RuleSet.model_validate(rules)])
    outcome = run_case({"rule_set": rules["id"], **case}, catalog)
    assert outcome.result is not None, outcome.problems
    return outcome.result


def _acts(**hours) -> list[dict]:
    return [{"kind": "h", "name": c, "quantity": q, "category": c} for c, q in hours.items() if q]


def test_a_third_category_has_its_own_minimum() -> None:
    result = _run(_rules(), {"activities": _acts(gong=40, zhuan=50, xuan=10)})
    lines = {line.id: line for line in result.requirements}
    assert result.status == "short" and lines["xuan"].shortfall == 8 and lines["total"].met


def test_a_provisional_exception_on_the_third_category_carries_into_the_total() -> None:
    rules = _rules(exceptions=[{
        "id": "p", "label": "暂视同选修", "effect": "provisional", "categories": ["xuan"],
        "when": {"fact": "title_applicant", "op": "is_true"}, "citation": CITE}])
    result = _run(rules, {"person": {"title_application": {"level": "zhongji"}}, "activities": _acts(gong=30, zhuan=42)})
    lines = {line.id: line for line in result.requirements}
    assert lines["xuan"].provisional and lines["total"].provisional
    assert result.status == "provisionally_met"


def test_a_history_year_short_in_the_third_category_is_not_met() -> None:
    rules = _rules(title_windows=[{"id": "w", "label": "窗口", "match": {"levels": ["zhongji"]}, "years": 2,
                                   "citation": CITE}])
    result = _run(rules, {
        "person": {"title_application": {"level": "zhongji"}},
        "activities": _acts(gong=30, zhuan=42, xuan=18),
        "history": [{"year": 2024, "hours": {"gong": 40, "zhuan": 50, "xuan": 0}}],
    })
    years = {y.year: y for y in result.title.window.years}
    assert not years[2024].met and years[2024].shortfall == {"xuan": 18}
    assert years[2025].met and result.status == "met"
    assert result.title.status == "short" and result.title.short_years == [2024]
    assert result.summary.startswith("职称申报学时尚不满足")


def test_catch_up_moves_surplus_of_any_category_within_its_caps() -> None:
    rules = _rules(makeup=[{"id": "m", "label": "补学", "when": "always", "years_back": 3, "max_years": 1,
                            "max_hours": 10, "citation": CITE}])
    result = _run(rules, {
        "activities": _acts(gong=30, zhuan=42, xuan=40),
        "history": [{"year": 2023, "hours": {"gong": 30, "zhuan": 42, "xuan": 0}},
                    {"year": 2024, "hours": {"gong": 30, "zhuan": 42, "xuan": 0}}],
    })
    mk = result.makeup
    assert mk.surplus == {"xuan": 22}
    assert [(a.year, a.category, a.hours) for a in mk.allocations] == [(2023, "xuan", 10)]


def test_carry_over_is_capped_and_counts_this_year() -> None:
    rules = _rules(carry_over=[{"id": "c", "label": "结转", "when": "always", "max_hours": 5,
                                "categories": ["zhuan"], "citation": CITE}])
    result = _run(rules, {"activities": _acts(gong=30, zhuan=40, xuan=18),
                          "history": [{"year": 2024, "hours": {"zhuan": 60}}]})
    assert result.carry_over.total == 5
    assert {line.id: line.earned for line in result.requirements}["zhuan"] == 45


def test_a_cap_on_a_kind() -> None:
    rules = _rules(caps=[{"id": "cap", "label": "上限", "kinds": ["h"], "max_hours": 50, "citation": CITE}])
    result = _run(rules, {"activities": _acts(gong=30, zhuan=42)})
    assert [a.hours for a in result.activities] == [30, 20]
    assert any(t.step == "cap" for t in result.trace)


def test_a_conversion_toward_the_total_only() -> None:
    rules = _rules()
    rules["conversions"].append({"id": "read", "label": "读书", "quantity": {"unit": "hour", "label": "学时"},
                                 "rows": [{"hours": 1}], "citation": CITE})
    result = _run(rules, {"activities": [{"kind": "read", "name": "读书", "quantity": 7}]})
    lines = {line.id: line.earned for line in result.requirements}
    assert lines["total"] == 7 and lines["gong"] == 0


def test_a_category_that_does_not_count_toward_the_total() -> None:
    rules = _rules()
    rules["categories"][2]["counts_toward_total"] = False
    result = _run(rules, {"activities": _acts(gong=30, zhuan=42, xuan=18)})
    assert {line.id: line.earned for line in result.requirements}["total"] == 72


def test_exception_precedence_is_declared_not_list_order() -> None:
    both = [
        {"id": "ex", "label": "免训", "effect": "exemption_available", "when": "always", "citation": CITE},
        {"id": "de", "label": "视同", "effect": "deemed_complete", "when": "always", "citation": CITE},
    ]
    assert _run(_rules(exceptions=both), {}).status == "deemed_complete"
    order = ["exemption_available", "deemed_complete", "provisional"]
    assert _run(_rules(exceptions=both, exception_precedence=order), {}).status == "exemption_available"


def test_unit_name_from_the_rule_set() -> None:
    result = _run(_rules(unit_name="学分"), {"activities": _acts(gong=10)})
    assert "学分" in result.summary and "学时" not in result.summary


def test_a_requirement_on_several_categories_added_up() -> None:
    rules = _rules()
    rules["requirements"].append({"id": "gz", "label": "公需与专业合计", "categories": ["gong", "zhuan"],
                                  "hours": 80, "citation": CITE})
    result = _run(rules, {"activities": _acts(gong=35, zhuan=42, xuan=18)})
    line = {line.id: line for line in result.requirements}["gz"]
    assert (line.earned, line.shortfall, line.met) == (77, 3, False)


def test_the_plan_offers_the_rule_sets_conversions() -> None:
    rules = _rules()
    rules["conversions"].append({"id": "day", "label": "培训", "quantity": {"unit": "day", "label": "天数"},
                                 "category_choices": ["xuan"], "rows": [{"hours": 8}], "citation": CITE})
    result = _run(rules, {"activities": _acts(gong=30, zhuan=42, xuan=8)})
    plan = {p.requirement: p for p in result.plan}
    ways = {w.kind: w for w in plan["xuan"].ways}
    assert ways["day"].quantity == 2 and ways["day"].hours == 16 and ways["h"].quantity == 10
    assert "还差选修10学时" in plan["xuan"].text


def test_retired_before_the_year_is_out_of_scope() -> None:
    result = _run(_rules(), {"person": {"retirement_date": "2024-06-30"}})
    assert result.status == "out_of_scope" and "适用范围" in result.summary


def test_when_always_and_bad_conditions() -> None:
    with pytest.raises(Exception):
        RuleSet.model_validate(_rules(makeup=[{"id": "m", "label": "补学", "when": "sometimes", "years_back": 1,
                                               "citation": CITE}]))


def test_unordered_exclusions_are_a_rule_error() -> None:
    rules = _rules(exclusions=[
        {"id": "a", "label": "甲", "question": "甲？", "effect": "never_counts", "citation": CITE},
        {"id": "b", "label": "乙", "question": "乙？", "effect": "not_verifiable", "citation": CITE},
    ])
    with pytest.raises(RuleError):
        Catalog([RuleSet.model_validate(rules)]).resolve("t-2025")
    ordered = copy.deepcopy(rules)
    ordered["exclusions"][0]["overrides"] = ["b"]
    result = _run(ordered, {"activities": [{"kind": "h", "name": "x", "quantity": 5, "category": "gong",
                                             "flags": ["a", "b"]}]})
    assert result.activities[0].counted is False and "甲" in result.activities[0].reason


def test_a_year_outside_the_period_is_named() -> None:
    catalog = Catalog([RuleSet.model_validate(_rules())])
    outcome = run_case({"rule_set": "t-2025", "year": 2030}, catalog)
    assert outcome.result is not None and outcome.result.year == 2025
    assert [p.path for p in outcome.problems] == ["year"] and "2030" in outcome.problems[0].message
