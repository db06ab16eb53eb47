"""Finding one's own rules by place (issue #21 item 5) and where a result's figures come from
(item 3), in the built page: the place picker (js/place-picker.js), the rule sets answering for
a place per regime, the fallback labelled in the bridge's own words, the provenance block, and
the place kept in the store, the saved state and the address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from calculator.engine.resolve import Catalog
from calculator.engine.words import PLACE_PICKER, PROVENANCE_CAUTIONS, fallback_note
from calculator.models.places import Place
from calculator.models.rules import REGIME_NAMES

from .calc import Calculator


@pytest.fixture
def calc(page: Page, forms: dict[str, Any]) -> Calculator:
    return Calculator(page, forms)


def options(page: Page) -> list[str]:
    return page.locator("#pick-where-list [role=option]").all_inner_texts()


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_typing_chinese_pinyin_or_initials_offers_the_place(calc: Calculator, server) -> None:
    calc.open(f"{server.origin}/index.html")
    box = calc.page.get_by_role("combobox", name=PLACE_PICKER["label"])
    box.fill("广东")
    assert options(calc.page)[0] == "广东省"
    box.fill("guangzhou")
    assert options(calc.page)[0] == "广州市（广东省）"
    box.fill("gd")
    assert "广东省" in options(calc.page)
    box.fill("xx")
    assert "湘西土家族苗族自治州（湖南省）" in options(calc.page)
    box.fill("不存在的地方")
    expect(calc.page.locator("#pick-where-list")).to_be_hidden()
    expect(calc.page.locator("#pick-where-none")).to_have_text(PLACE_PICKER["none"])


def test_the_keyboard_moves_through_the_options_and_enter_picks(calc: Calculator, server) -> None:
    calc.open(f"{server.origin}/index.html")
    page = calc.page
    box = page.get_by_role("combobox", name=PLACE_PICKER["label"])
    box.click()
    box.press_sequentially("广")
    expect(box).to_have_attribute("aria-expanded", "true")
    first, second = options(page)[:2]
    expect(box).to_have_attribute("aria-activedescendant", page.locator("[role=option]").nth(0).get_attribute("id"))
    box.press("ArrowDown")
    active = page.locator("[role=option][aria-selected=true]")
    expect(active).to_have_text(second)
    box.press("ArrowUp")
    expect(active).to_have_text(first)
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(first)
    calc.settle()
    box.fill("湖")
    box.press("Escape")
    expect(page.locator("#pick-where-list")).to_be_hidden()


def _province_without_rules(catalog: Catalog) -> Place:
    """A province answered by the national frame in every regime (the rules decide which: a
    province that gains rule sets of its own must not break this test)."""
    assert catalog.places is not None
    year = dt.date.today().year
    return next(p for p in catalog.places.all() if p.level == "province" and all(
        (answer := catalog.answer_for(p.code, regime, year)) is not None and answer.applied == "national"
        for regime in REGIME_NAMES))


def test_a_place_without_its_own_rules_is_answered_by_the_national_frame_labelled(
        calc: Calculator, server, catalog: Catalog) -> None:
    province = _province_without_rules(catalog)
    calc.open(f"{server.origin}/index.html")
    page = calc.page
    box = page.get_by_role("combobox", name=PLACE_PICKER["label"])
    box.fill(province.name)
    expect(page.locator("#pick-where-list [role=option]").first).to_have_text(province.name)
    box.press("Enter")
    calc.settle()
    answers = page.locator("#pick-answers")
    for regime, name in REGIME_NAMES.items():
        expect(answers.locator(f"li[data-regime={regime}]")).to_contain_text(name)
        expect(answers.locator(f"li[data-regime={regime}] .fallback-note")).to_have_text(
            fallback_note(province.name, name, "国家"))
    rule_set = query(page)["rule_set"][0]
    rs = calc.catalog[rule_set]
    assert rs["jurisdiction"] == "national"
    assert query(page)["place"] == [province.code]
    # the result says it too, in the engine's words (result.rule_set.fallback)
    expect(page.locator("#provenance .provenance-lines")).to_contain_text(
        fallback_note(province.name, REGIME_NAMES[rs["regime"]], "国家"))
    # the other regime's rule set, from the answers
    other = answers.locator("button.place-rule-set:not(.current)").first
    other.click()
    calc.settle()
    assert query(page)["place"] == [province.code]
    assert query(page)["rule_set"][0] != rule_set


def test_a_city_under_a_province_with_rules_gets_the_provinces(calc: Calculator, server) -> None:
    calc.open(f"{server.origin}/index.html")
    box = calc.page.get_by_role("combobox", name=PLACE_PICKER["label"])
    box.fill("changsha")
    box.press("Enter")
    calc.settle()
    shiye = calc.page.locator("#pick-answers li[data-regime=shiye]")
    expect(shiye.locator(".fallback-note")).to_have_text(fallback_note("长沙市", REGIME_NAMES["shiye"], "湖南省"))
    assert calc.catalog[query(calc.page)["rule_set"][0]]["jurisdiction"] in {"hunan", "national"}


def test_the_place_is_kept_after_a_reload_and_opened_from_a_link(calc: Calculator, server) -> None:
    calc.open(f"{server.origin}/index.html")
    page = calc.page
    box = page.get_by_role("combobox", name=PLACE_PICKER["label"])
    box.fill("jiangsu")
    box.press("Enter")
    calc.settle()
    page.goto(f"{server.origin}/index.html")  # no parameters: the saved state
    calc.wait_engine()
    calc.settle()
    expect(box).to_have_value("江苏省")
    expect(page.locator("#provenance")).to_contain_text("江苏省")
    assert query(page)["place"] == ["jiangsu"]
    # a link with ?place= alone, in a fresh profile's tab
    page.evaluate("localStorage.clear()")
    page.goto(f"{server.origin}/index.html?place=qinghai-xining")
    calc.wait_engine()
    calc.settle()
    expect(box).to_have_value("西宁市（青海省）")
    assert calc.catalog[query(page)["rule_set"][0]]["jurisdiction"] == "qinghai-xining"
    # ?rule_set= links keep working, and win over the place's own answer
    page.goto(f"{server.origin}/index.html?rule_set=hunan-college-shiye-2023")
    calc.wait_engine()
    calc.settle()
    expect(page.locator(".ruleset-title")).to_have_text(calc.catalog["hunan-college-shiye-2023"]["title"])


def test_the_result_shows_where_its_figures_come_from(calc: Calculator, server) -> None:
    calc.open(f"{server.origin}/index.html?rule_set=national-zhuanji-2016")
    block = calc.page.locator("#provenance")
    rs = calc.catalog["national-zhuanji-2016"]
    for caution in rs["cautions"]:
        expect(block.locator(".provenance-lines")).to_contain_text(caution)
    assert any(c.startswith(PROVENANCE_CAUTIONS["excerpt"].partition("，")[0]) for c in rs["cautions"])
    for source in rs["sources"]:
        item = block.locator(f".source[data-kind={source['kind']}]").filter(has_text=source["name"])
        expect(item).to_contain_text(source["kind_name"])
        expect(item).to_contain_text(source["issuer"])
    expect(block).to_contain_text("规则最近与原文核对于")


def test_the_province_select_lists_provinces_from_the_registry(calc: Calculator, server, catalog: Catalog) -> None:
    """A unit or a city under a province without rule sets of its own is found under that
    province (安徽省 › 311地质队), never beside the provinces; the nation comes first."""
    assert catalog.places is not None
    calc.open(f"{server.origin}/index.html")
    page = calc.page
    expect(page.locator("#pick-root option").first).to_have_text(catalog.places.get("national").name)
    shown = page.locator("#pick-root option").all_inner_texts()
    tops = [p.name for p in catalog.places.all() if p.level in ("province", "national")]
    assert set(shown) <= set(tops), set(shown) - set(tops)
    assert shown == [name for name in tops if name in shown]  # in the registry's order
