"""The calculator page's one store (site/static/js/store.js): every change is saved at once,
along one path, and what is saved is what is on screen.

Also the `year` URL parameter of a cycle rule set. The seeds in rules/ have no cycle, so that
test builds a small site (no guides) whose rules are the made-up examples (examples/rules/,
with the 3-year cycle shili-zhuanji-2024).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect


from .calc import CHECK_LABELS, Calculator
from .cases import ROOT
from .pagesite import build_page_site, guarded_page, project_with_rules
from .snapshot_seed import EngineSnapshot

STORAGE_KEY = "xueshi.state"


@pytest.fixture
def calc(page: Page, forms: dict[str, Any]) -> Calculator:
    return Calculator(page, forms)


def saved_draft(page: Page) -> dict[str, Any]:
    raw = page.evaluate(f"() => localStorage.getItem({STORAGE_KEY!r})")
    assert raw, "nothing saved"
    return json.loads(raw)["draft"]


def type_and_reload(page: Page, locator_css: str, text: str) -> None:
    """Type into a field and reload in the same breath: no timer of the page may run between."""
    page.evaluate(
        """([css, text]) => {
          const el = document.querySelector(css);
          el.focus();
          el.value = text;
          el.dispatchEvent(new Event("input", { bubbles: true }));
          location.reload();
        }""",
        [locator_css, text],
    )


# ---------------------------------------------------------------- one change path


def test_what_is_typed_is_saved_before_any_timer(calc: Calculator, server, forms: dict[str, Any]) -> None:
    """Each kind of input (name, activity quantity, a person's date, earlier years' hours) is on
    disk the moment it is typed: a reload straight after typing shows it."""
    page = calc.page
    calc.open(f"{server.url}?rule_set=hunan-college-shiye-2023")  # asks for the retirement date
    calc.press(page.get_by_role("button", name="＋ 添加一项"))
    calc.settle()
    uid = page.locator("li.activity").first.get_attribute("data-uid")
    for css, text in [("#person-name", "张三"), (f"#act-{uid}-quantity", "7"), ("#person-retirement_date", "2031-05-01")]:
        if css.startswith("#act-") and not page.locator(css).count():
            page.locator(f"#act-{uid}-toggle").click()  # cards are closed after a reload
        type_and_reload(page, css, text)
        calc.wait_engine()
        if css.startswith("#act-"):
            page.locator(f"#act-{uid}-toggle").click()
        expect(page.locator(css)).to_have_value(text)

    calc.open(f"{server.url}?rule_set=qinghai-zhuanji-2021")  # earlier years, once make-up is ticked
    page.get_by_label(CHECK_LABELS["makeup_eligible"]).check()
    calc.press(page.get_by_role("button", name="＋ 添加一个年度"))
    calc.settle()
    category = forms["forms"]["qinghai-zhuanji-2021"]["top_categories"][0]["id"]
    hours = page.locator(f"li.history-row input[id$='-hours-{category}']")
    css = f"#{hours.get_attribute('id')}"
    type_and_reload(page, css, "12")
    calc.wait_engine()
    expect(page.locator(css)).to_have_value("12")

    draft = saved_draft(page)
    assert draft["person"]["name"] == "张三" and draft["person"]["retirement_date"] == "2031-05-01"
    assert draft["activities"][0]["quantity"] == "7"
    assert draft["history"][0]["hours"][category] == "12"


def _on_screen(page: Page) -> dict[str, Any]:
    """What the form shows: name, activities' names, history years."""
    return page.evaluate("""() => ({
      name: document.getElementById("person-name").value,
      activities: [...document.querySelectorAll("li.activity .activity-title")].map((e) => e.textContent),
      history: [...document.querySelectorAll("li.history-row input[id$='-year']")].map((e) => e.value),
    })""")


def _saved(page: Page, form: dict[str, Any]) -> dict[str, Any]:
    raw = page.evaluate(f"() => localStorage.getItem({STORAGE_KEY!r})")
    if raw is None:
        return {"name": "", "activities": [], "history": []}
    draft = json.loads(raw)["draft"]
    labels = {c["id"]: c["label"] for c in form["conversions"]}
    return {
        "name": draft["person"]["name"],
        "activities": [a["name"].strip() or labels.get(a["kind"], a["kind"]) for a in draft["activities"]],
        "history": [r["year"] for r in draft["history"]],
    }


def test_after_undo_import_and_clear_the_saved_state_is_what_is_on_screen(
    calc: Calculator, server, forms: dict[str, Any], tmp_path: Path
) -> None:
    page = calc.page
    rule_set = "qinghai-zhuanji-2021"
    form = forms["forms"][rule_set]
    conv = form["conversions"][0]
    calc.open(f"{server.url}?rule_set={rule_set}")
    page.get_by_label("姓名（可选）").fill("李四")
    for name in ("甲", "乙", "丙"):
        calc.add_activity({"kind": conv["id"], "quantity": 1, "name": name}, rule_set)
    calc.settle()
    assert _saved(page, form) == _on_screen(page)

    page.get_by_role("button", name="删除第2项：乙").click()
    expect(page.locator("li.activity")).to_have_count(2)
    assert _saved(page, form) == _on_screen(page)
    page.locator("#toolbar-message").get_by_role("button", name="撤销").click()
    expect(page.locator("li.activity")).to_have_count(3)
    assert _saved(page, form)["activities"] == ["甲", "乙", "丙"] == _on_screen(page)["activities"]

    case = {"format": "xueshi.case/2", "rule_set": rule_set, "person": {"name": "王五", "makeup_eligible": True},
            "activities": [], "history": [{"year": form["history_years"][-1],
                                           "hours": {form["top_categories"][0]["id"]: 3}}]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    page.locator("#import-file").set_input_files(str(path))
    expect(page.locator("#toolbar-message")).to_contain_text("已导入")
    calc.settle()
    assert _on_screen(page) == {"name": "王五", "activities": [], "history": [str(form["history_years"][-1])]}
    assert _saved(page, form) == _on_screen(page)

    page.get_by_role("button", name="清空").click()
    page.locator("#confirm-ok").click()
    expect(page.locator("#toolbar-message")).to_have_text("已清空。")
    calc.settle()
    assert _on_screen(page) == {"name": "", "activities": [], "history": []}
    assert _saved(page, form) == _on_screen(page)


# ---------------------------------------------------------------- ?year= of a cycle rule set


@pytest.fixture(scope="module")
def cycle_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calculator page over the example rules (they hold a 3-year cycle): the site build's own
    steps, without the guides, the studio's editor and the .gz copies (not needed here)."""
    root = tmp_path_factory.mktemp("cycle-root")
    (project_with_rules(root) / "rules").symlink_to(ROOT / "examples" / "rules")
    return build_page_site(root, tmp_path_factory.mktemp("cycle") / "_site")


@pytest.fixture
def cycle_page(browser: Browser, cycle_site: Path, engine_snapshot: EngineSnapshot) -> Iterator[tuple[Page, str]]:
    with guarded_page(browser, cycle_site, engine_snapshot) as opened:
        yield opened


def test_a_year_in_the_link_is_the_checked_year_of_a_cycle(cycle_page: tuple[Page, str]) -> None:
    page, url = cycle_page
    calc = Calculator(page, {"catalog": [], "forms": {}})
    calc.open(f"{url}?jurisdiction=shili-b&regime=zhuanji&year=2025")
    expect(page.locator(".ruleset-title")).to_contain_text("2024—2026")
    expect(page.locator("#case-year")).to_have_value("2025")
    assert "year=" not in page.url.split("?", 1)[1]  # the address names the rule set only
    # a year outside every cycle: the latest rule set, its own default year, and a notice
    calc.open(f"{url}?jurisdiction=shili-b&regime=zhuanji&year=2030")
    expect(page.locator("#toolbar-message")).to_contain_text("2030年没有规则集")


def test_a_year_in_the_link_is_kept_with_the_rest(cycle_page: tuple[Page, str]) -> None:
    """The year from the link is part of the draft: saved with the first thing typed."""
    page, url = cycle_page
    calc = Calculator(page, {"catalog": [], "forms": {}})
    calc.open(f"{url}?jurisdiction=shili-b&regime=zhuanji&year=2024")
    expect(page.locator("#case-year")).to_have_value("2024")
    page.get_by_label("姓名（可选）").fill("赵六")
    page.reload()
    calc.wait_engine()
    expect(page.locator("#case-year")).to_have_value("2024")
    expect(page.get_by_label("姓名（可选）")).to_have_value("赵六")
