"""The calculator page's side of the browser bridge (calculator.doors.browser.form, evaluate,
parse_import), run in CPython exactly as the worker runs it in Pyodide."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from calculator.doors import browser
from calculator.engine.run import run_case
from calculator.batch.columns import history_years
from calculator.engine.explain import summary_lines
from calculator.models.facts import FACT_LABELS
from calculator.rulefiles.loader import load_catalog, rules_payload
from calculator.engine.resolve import Catalog
from calculator.engine.words import vocabulary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog = load_catalog(ROOT / "rules")
    assert json.loads(browser.init(rules_payload(catalog)))["ok"]
    return catalog


def form(rule_set: str) -> dict:
    answer = json.loads(browser.form(rule_set))
    assert answer["ok"], answer
    return answer


def test_the_form_carries_what_the_page_must_not_know(catalog: Catalog) -> None:
    for rule_set in catalog.ids():
        rules = catalog.resolve(rule_set)
        f = form(rule_set)
        # A total-only rule set (no per-year category requirement) asks earlier years for their total.
        from calculator.engine.mechanisms.history import year_keys

        total_only = year_keys(rules, None) == ["total"]
        assert [c["id"] for c in f["top_categories"]] == rules.top_categories + (["total"] if total_only else [])
        assert f["unit_name"] == rules.rules.unit_name
        assert {k: f["period"][k] for k in ("year", "last_year", "period_years", "standing")} == {
            "year": rules.rules.year, "last_year": rules.rules.last_year,
            "period_years": rules.rules.period_years, "standing": rules.rules.standing}
        assert f["history_years"] == history_years(rules)
        assert f["history_required"] == bool(rules.rules.makeup or rules.rules.carry_over)
        assert [d["date"] for d in f["title_deadlines"]] == [
            d.date.isoformat() for d in rules.rules.deadlines if d.scope == "title_application"]
        words = f["vocabulary"]
        assert {k: words[k] for k in vocabulary()} == vocabulary()
        assert words["facts"] == FACT_LABELS


def test_the_history_table_shows_when_a_mechanism_can_use_it(catalog: Catalog) -> None:
    assert form("xiangxi-zhuanji-2020")["history_when"] == {"always": False, "facts": ["title_applicant"]}
    assert form("qinghai-zhuanji-2021")["history_when"] == {"always": False, "facts": ["makeup_eligible"]}
    assert form("hunan-shiye-2023")["history_when"] == {"always": False, "facts": []}


def test_evaluate_sends_the_clis_summary_lines(catalog: Catalog) -> None:
    case = {"format": "xueshi.case/2", "rule_set": "xiangxi-zhuanji-2020",
            "person": {"title_application": {"level": "fugao", "degree": "doctor"}},
            "activities": [{"kind": "recognised_hours", "name": "专业", "quantity": 60, "category": "professional"}],
            "history": [{"year": 2019, "hours": {"public": 20, "professional": 50}}]}
    answer = json.loads(browser.evaluate(json.dumps(case, ensure_ascii=False)))
    result = run_case(case, catalog, today=dt.date.today()).result
    assert answer["ok"] and answer["summary_lines"] == summary_lines(result)
    assert answer["summary_lines"][0].startswith("职称申报学时尚不满足")


def test_an_imported_format_1_case_comes_back_in_the_current_shape(catalog: Catalog) -> None:
    v1 = {"format": "xueshi.case/1", "jurisdiction": "hunan-xiangxi", "regime": "zhuanji", "year": 2020,
          "history": [{"year": 2019, "public": 30, "professional": 60, "required_public": 30}]}
    answer = json.loads(browser.parse_import(json.dumps(v1)))
    assert answer["ok"]
    case = answer["case"]
    assert case["format"] == "xueshi.case/2" and case["rule_set"] == "xiangxi-zhuanji-2020"
    assert case["history"] == [{"year": 2019, "hours": {"public": 30, "professional": 60}, "required": {"public": 30}}]


def test_a_cycle_always_asks_for_its_earlier_years() -> None:
    """A requirement over the whole cycle adds up every year: the page must offer the table."""
    import json
    from pathlib import Path

    from calculator.doors import browser
    from calculator.rulefiles.loader import load_catalog, rules_payload

    rules = Path(__file__).resolve().parent.parent / "examples" / "rules"
    assert json.loads(browser.init(rules_payload(load_catalog(rules))))["ok"]
    try:
        form = json.loads(browser.form("shili-zhuanji-2024"))
        assert form["history_when"]["always"] is True
        assert form["history_years"] == [2024, 2025]
    finally:  # the bridge keeps one catalog per worker: leave the real rules loaded
        real = Path(__file__).resolve().parent.parent / "rules"
        browser.init(rules_payload(load_catalog(real)))


@pytest.mark.parametrize("rules_dir", ["rules", "examples/rules"])
def test_preview_checks_an_activitys_date_against_the_period(rules_dir: str) -> None:
    """A dated activity's preview: hours for a date in any year of the period, a Chinese
    message naming the period for a date outside it (it once failed with an internal
    TypeError for every date: the year was passed where the period's years belong)."""
    catalog = load_catalog(ROOT / rules_dir)
    assert json.loads(browser.init(rules_payload(catalog)))["ok"]
    try:
        for rule_set in catalog.ids():
            rules = catalog.resolve(rule_set)
            conv = next(c for c in rules.rules.conversions if not c.options)
            activity = {"kind": conv.id, "name": "一项", "quantity": 100}
            if conv.category is None and conv.category_choices:
                activity["category"] = conv.category_choices[0]
            for year in rules.rules.years:
                answer = json.loads(browser.preview(rule_set, json.dumps({**activity, "date": f"{year}-06-30"})))
                assert answer["ok"] and answer["hours"] >= 0, (rule_set, year, answer)
            outside = rules.rules.years[-1] + 1
            answer = json.loads(browser.preview(rule_set, json.dumps({**activity, "date": f"{outside}-01-02"})))
            assert not answer["ok"], (rule_set, answer)
            (problem,) = answer["problems"]
            assert problem["code"] == "outside_year" and problem["path"].endswith(".date"), (rule_set, problem)
            assert f"{outside}-01-02" in problem["message"] and "不在" in problem["message"]
    finally:  # the bridge keeps one catalog per worker: leave the real rules loaded
        browser.init(rules_payload(load_catalog(ROOT / "rules")))


def test_the_years_a_person_can_check_come_from_the_rules(catalog: Catalog) -> None:
    """A standing rule set answers for every year since it stands (the page offers them, this
    year by default); a cycle for each of its years; a yearly rule set for its one year."""
    this_year = dt.date.today().year
    standing = form("national-shiye-2020")["period"]
    assert standing["years"] == list(range(this_year, 2019, -1))
    assert standing["default_year"] == this_year
    yearly = form("henan-zhuanji-2021")["period"]
    assert yearly["years"] == [2021] and yearly["default_year"] == 2021
    for rule_set in catalog.ids():
        rs = catalog.resolve(rule_set).rules
        if rs.period_years > 1 and not rs.standing:
            period = form(rule_set)["period"]
            assert period["years"] == list(rs.years) and period["default_year"] == rs.last_year


def test_a_standing_rule_set_is_checked_for_the_year_the_case_names(catalog: Catalog) -> None:
    case = {"rule_set": "national-shiye-2020", "year": 2025,
            "activities": [{"kind": "recognised_hours", "name": "在岗培训", "quantity": 90}]}
    answer = json.loads(browser.evaluate(json.dumps(case)))
    assert answer["ok"], answer
    assert answer["result"]["year"] == 2025
    assert answer["summary_lines"][0].startswith("2025年度")


def test_every_rule_set_names_its_province_from_the_registry(catalog: Catalog) -> None:
    assert catalog.places is not None
    for rs in json.loads(browser.catalog())["rule_sets"]:
        top = catalog.places.get(rs["province"])
        assert top is not None and top.level in ("province", "national"), rs["id"]
        assert top.name == rs["province_name"]
        place = catalog.place_of(rs["jurisdiction"])
        assert top in catalog.places.lineage(place.code)
