"""The built calculator page in a real Chromium: figures, persistence, safety, layout.

Every test runs in a fresh browser profile against the site served from
localhost; the `guard` fixture fails a test on any request to another host,
any console or page error and any CSP violation.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from calculator.engine.run import run_case
from calculator.engine.explain import summary_lines
from calculator.rulefiles.loader import all_test_cases, load_catalog
from calculator.engine.resolve import Catalog
from calculator.models.result import Result
from sitebuild.guides.examples import case_fragment, case_json
from sitebuild.site.serve import serve

from .calc import Calculator, figure, history_labels
from .cases import CASES, ROOT, expected, worked_example
from .conftest import SUB_PATH
from .harness import RequestGuard, new_context
from .snapshot_seed import EngineSnapshot, seed_snapshot

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "rules")


@pytest.fixture
def calc(page: Page, forms: dict[str, Any]) -> Calculator:
    return Calculator(page, forms)


def fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- figures, one case per rule set


def _examples_by_rule_set() -> dict[str, list[dict[str, Any]]]:
    """Every worked example of rules/**/<id>.cases.yaml that the engine computes (the ones
    about bad input are the engine's tests, not the page's), as case JSON."""
    catalog = load_catalog(ROOT / "rules")
    out: dict[str, list[dict[str, Any]]] = {}
    for example in all_test_cases(ROOT / "rules"):
        case = case_json(example.input)
        if run_case(case, catalog).result is not None:
            out.setdefault(example.rule_set, []).append(case)
    return out


EXAMPLES = _examples_by_rule_set()


def test_every_rule_set_has_worked_examples_for_the_page(forms: dict[str, Any]) -> None:
    missing = sorted({rs["id"] for rs in forms["catalog"]} - set(EXAMPLES))
    assert not missing, f"add worked examples to rules/**/<id>.cases.yaml for: {missing}"


def page_figures(calc: Calculator) -> dict[str, Any]:
    page = calc.page
    lines = page.locator("li.req")
    return {
        "headline": calc.status_label(),
        "summary": page.locator("#status .summary-lines > li").all_inner_texts(),
        "requirements": {
            item.get_attribute("data-req"): (figure(item.locator(".req-earned").inner_text()),
                                             figure(item.locator(".req-required").inner_text()),
                                             item.locator(".req-state").inner_text().lstrip("✓✗ "))
            for item in lines.all()
        },
        "activities": calc.activity_hours(),
        "window": page.locator(".window tbody th").all_inner_texts(),
        "plan": page.locator(".plan .gap-shortfall").all_inner_texts(),
    }


def engine_figures(result: Result) -> dict[str, Any]:
    u = result.rule_set.unit_name
    window = result.title.window if result.title else result.title_window
    return {
        "headline": result.title.status_label if result.title else result.status_label,
        "summary": summary_lines(result),
        "requirements": {line.id: (line.earned, line.required, line.state_label) for line in result.requirements},
        "activities": [f"{fmt(a.hours)} {u}" if a.counted else "不计入" for a in result.activities],
        "window": [str(y.year) for y in window.years] if window else [],
        "plan": [fmt(p.shortfall) for p in result.plan],
    }


@pytest.mark.parametrize("rule_set", sorted(EXAMPLES))
def test_worked_examples_open_in_the_page_with_the_engines_figures(
    rule_set: str, calc: Calculator, server, catalog: Catalog, tmp_path: Path
) -> None:
    """Each rule set's worked examples (its cases file, as the guides link them): the first
    through the share link, the others imported as files; the page shows the CLI's figures."""
    page = calc.page
    for i, case in enumerate(EXAMPLES[rule_set]):
        if i == 0:
            calc.open(server.url + "#" + case_fragment(case))
            expect(page.locator("#toolbar-message")).to_contain_text("已导入分享链接中的数据")
        else:
            path = tmp_path / f"example-{i + 1}.json"
            path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
            page.locator("#import-file").set_input_files(str(path))
            expect(page.locator("#toolbar-message")).to_contain_text(f"已导入文件“{path.name}”")
        calc.settle()
        want = expected(case, catalog)
        assert page_figures(calc) == engine_figures(want), f"{rule_set} example {i + 1}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_typed_in_shows_the_engines_figures(
    name: str, calc: Calculator, server, catalog: Catalog
) -> None:
    case = CASES[name]
    want = expected(case, catalog)
    calc.open(server.url)
    calc.fill_case(case)

    assert calc.status_label() == (want.title.status_label if want.title else want.status_label)
    assert calc.summary() == "\n".join(summary_lines(want))
    for line in want.requirements:
        assert calc.requirement(line.id) == (line.earned, line.required), line.label
    assert calc.activity_hours() == [
        f"{fmt(a.hours)} 学时" if a.counted else "不计入" for a in want.activities
    ]
    if want.fees:
        assert calc.money("fee-total") == want.fees.total
        assert calc.money("fee-reimbursable") == want.fees.reimbursable
    page = calc.page
    window = want.title.window if want.title else want.title_window
    if window:
        rows = page.locator(".window tbody tr")
        expect(rows).to_have_count(len(window.years))
        for row, year in zip(rows.all(), window.years):
            assert row.locator("th").inner_text() == str(year.year)
    if want.makeup:
        expect(page.locator(".makeup tbody tr")).to_have_count(len(want.makeup.allocations))
    expect(page.locator("#problem-list")).to_have_count(0)


def test_worked_example_of_the_college(calc: Calculator, server) -> None:
    """学院通知中的算例：24 认定 + 1200 分钟公共 + 1440 分钟专业 → 达标，费用 144 元，可报销 144 元。"""
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    assert calc.status_label() == "已达标"
    expect(page.locator("#status")).to_have_class("status status-good")
    expect(page.locator("#status .status-icon")).to_have_text("✓")
    assert calc.requirement("total") == (90, 90)
    assert calc.requirement("public") == (30, 30)
    assert calc.requirement("professional") == (60, 60)
    assert calc.activity_hours() == ["24 学时", "30 学时", "36 学时"]
    assert calc.money("fee-total") == 144
    assert calc.money("fee-reimbursable") == 144
    # the preview shown while typing agrees
    expect(page.locator("li.activity").nth(2).locator(".preview")).to_contain_text("= 36学时")
    expect(page.locator("li.activity").nth(2).locator(".activity-hours")).to_have_text("36 学时")

    # 计算过程: every line carries its citation, the first use of a passage quotes it (collapsed),
    # later ones refer to it by number; the tool's reading is marked apart from the quote
    page.get_by_text("计算过程").click()
    steps = page.locator("#trace .trace > li")
    assert steps.count() >= 10
    numbers = []
    for step in steps.all():
        if step.locator(".cite-ref").count():
            expect(step.locator(".cite-ref")).to_have_text(re.compile(r"^依据：同〔\d+〕$"))
            continue
        cite = step.locator(".trace-cite .cite")
        expect(cite.locator(".cite-doc")).not_to_be_empty()
        expect(cite.locator(".cite-section")).not_to_be_empty()
        expect(cite.locator(".cite-quote")).to_contain_text("“")
        assert cite.get_attribute("data-rule")
        numbers.append(step.locator(".trace-cite > summary").inner_text())
    assert numbers and all(f"〔{i}〕" in n for i, n in enumerate(numbers, 1))
    quotes = page.locator("#trace .cite-quote").all_text_contents()  # collapsed: not rendered, still there
    assert len(quotes) == len(numbers) == len(set(quotes))
    readings = page.locator("#trace .cite-interp")
    assert readings.count() > 0
    expect(readings.first.locator(".cite-interp-tag")).to_have_text("本工具的理解")


def test_exemption_and_evidence(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(CASES["hunan-college-shiye-2023-exemption"])
    page = calc.page
    expect(page.locator("#status")).to_have_class("status status-caution")
    expect(page.locator(".exceptions")).to_contain_text("距法定退休年龄不足1年")
    expect(page.locator(".evidence-list")).to_be_visible()


# ---------------------------------------------------------------- persistence, export, import, share


def test_reload_keeps_the_data(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    before = (calc.status_label(), calc.summary(), calc.activity_hours())
    calc.page.reload()
    calc.wait_engine()
    calc.settle()
    assert (calc.status_label(), calc.summary(), calc.activity_hours()) == before
    cards = calc.page.locator("li.activity")
    expect(cards).to_have_count(3)
    cards.nth(1).get_by_role("button", name="编辑").click()
    expect(cards.nth(1).get_by_label("学习分钟数")).to_have_value("1200")
    expect(cards.nth(1).get_by_label("计入科目")).to_have_value("public")


def test_a_press_that_shows_an_error_above_the_button_still_clicks_it(calc: Calculator, server) -> None:
    """Leaving a field shows its message; pressing a button leaves the field. The message used to
    appear between press and release, pushing the button from under the pointer, and the click
    was lost (the cause of a flaky test_reload_keeps_the_data: the third activity was typed
    over the second)."""
    calc.open(server.url)
    page = calc.page
    add = page.get_by_role("button", name="＋ 添加一项")
    add.click()
    calc.settle()
    first = page.locator("li.activity").first
    quantity = first.locator("input[id$='-quantity']")
    quantity.focus()  # left empty: leaving it shows "缺少必填项" above the button
    add.scroll_into_view_if_needed()
    box = add.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.up()
    expect(page.locator("li.activity")).to_have_count(2)
    expect(first.locator("[id$='-quantity-error']")).to_have_text("数量：缺少必填项")  # shown, after the click


def test_leaving_a_field_just_typed_shows_no_message_about_its_old_value(calc: Calculator, server) -> None:
    calc.open(server.url)
    page = calc.page
    page.get_by_role("button", name="＋ 添加一项").click()
    calc.settle()  # the engine has said: quantity missing
    quantity = page.locator("li.activity").first.locator("input[id$='-quantity']")
    shown = quantity.evaluate("""(el) => {
      el.focus();
      el.value = "600";
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.blur();  // before the new answers are back
      return document.getElementById(`${el.id}-error`).textContent;
    }""")
    assert shown == ""
    calc.settle()
    expect(page.locator("li.activity").first.locator("[id$='-quantity-error']")).to_have_text("")


def export(page: Page, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name="导出文件").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def clear(page: Page) -> None:
    page.get_by_role("button", name="清空").click()
    page.locator("#confirm").get_by_role("button", name="清空").click()


def test_export_then_import_gives_the_same_result(calc: Calculator, server, tmp_path: Path) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    before = (calc.status_label(), calc.summary(), calc.activity_hours(), calc.money("fee-total"))
    exported = export(page, tmp_path)
    assert exported.name.startswith("学时自查-hunan-college-shiye-2023-") and exported.suffix == ".json"
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "xueshi.case/2" and len(data["activities"]) == 3

    clear(page)
    # The list empties in the same task that starts the new evaluation, so settle only after it.
    expect(page.locator("li.activity")).to_have_count(0)
    calc.settle()
    assert calc.status_label() == "未达标"

    page.locator("#import-file").set_input_files(str(exported))
    expect(page.locator("#toolbar-message")).to_contain_text("已导入")
    calc.settle()
    assert (calc.status_label(), calc.summary(), calc.activity_hours(), calc.money("fee-total")) == before
    again = export(page, tmp_path / "again")
    assert json.loads(again.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ 这不是 JSON", "不是有效的 JSON"),
        ('{"format": "xueshi.case/1", "rule_set": "hunan-shiye-2023", "activities": "很多"}', "活动"),
        ('{"format": "xueshi.case/1", "rule_set": "no-such-rules"}', "没有规则集"),
        ("[1, 2, 3]", "不是一份个人情况记录"),
    ],
)
def test_malformed_import_is_refused_and_keeps_the_data(
    content: str, message: str, calc: Calculator, server
) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.locator("#import-file").set_input_files(
        files=[{"name": "坏文件.json", "mimeType": "application/json", "buffer": content.encode("utf-8")}]
    )
    note = page.locator("#toolbar-message")
    expect(note).to_contain_text("无法导入")
    expect(note).to_contain_text("当前数据没有改动")
    expect(note).to_contain_text(message)
    expect(page.locator("li.activity")).to_have_count(3)
    calc.settle()
    assert calc.status_label() == "已达标"


def test_a_gbk_case_file_is_read_as_gbk_not_as_garbage(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    case = CASES["hunan-shiye-2023"]
    page.locator("#import-file").set_input_files(files=[{
        "name": "记事本另存.json", "mimeType": "application/json",
        "buffer": json.dumps(case, ensure_ascii=False).encode("gbk"),
    }])
    expect(page.locator("#toolbar-message")).to_contain_text("已导入文件“记事本另存.json”（GBK 编码）")
    titles = page.locator("li.activity .activity-title")
    expect(titles).to_have_text([a["name"] for a in case["activities"]])


def test_a_file_in_no_known_encoding_is_refused_and_keeps_the_data(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.locator("#import-file").set_input_files(files=[{
        "name": "乱码.json", "mimeType": "application/json",
        "buffer": b'{"format": "xueshi.case/1", "rule_set": "hunan-shiye-2023", "person": {"name": "\xff\xfe\x80"}}'
    }])
    note = page.locator("#toolbar-message")
    expect(note).to_contain_text("无法导入文件“乱码.json”，当前数据没有改动")
    expect(note).to_contain_text("无法识别文件编码")
    expect(page.locator("li.activity")).to_have_count(3)


def test_a_retirement_date_far_out_is_refused_at_its_field_and_the_result_stays(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    before = calc.activity_hours()
    page = calc.page
    field = page.get_by_label("法定退休日期")
    field.fill("9999-12-31")
    field.blur()
    calc.settle()
    expect(page.locator("#person-retirement_date-error")).to_contain_text("年份须在 1900 至 2199 年之间")
    assert "内部错误" not in page.locator("#status").inner_text()
    assert calc.activity_hours() == before  # the rest of the result stays on screen


def test_an_engine_that_stops_answering_is_restarted_and_nothing_typed_is_lost(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    (worker,) = [w for w in page.workers if "worker.js" in w.url and "role=snapshot" not in w.url]
    worker.evaluate("() => { self.close(); }")  # gone without a word, as when it runs out of memory
    card = page.locator("li.activity").nth(1)
    toggle = card.locator("[id$='-toggle']")
    if toggle.inner_text() == "编辑":
        toggle.click()
    card.get_by_label("学习分钟数").fill("2400")  # 1200 -> 2400 minutes: 30 -> 60 hours
    expect(page.locator("#toolbar-message")).to_contain_text("已自动重新启动并重新计算", timeout=90_000)
    calc.settle()
    assert calc.activity_hours()[1] == "60 学时"
    expect(card.get_by_label("学习分钟数")).to_have_value("2400")


def test_clear_also_clears_the_share_link(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.get_by_role("button", name="分享链接").click()
    expect(page.locator("#share-box")).to_be_visible()
    clear(page)
    expect(page.locator("li.activity")).to_have_count(0)
    expect(page.locator("#share-box")).to_be_hidden()
    assert page.locator("#share-url").input_value() == ""


def test_share_link_opens_the_same_case(calc: Calculator, server, context: BrowserContext,
                                        engine_snapshot: EngineSnapshot) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.get_by_role("button", name="分享链接").click()
    link = page.locator("#share-url").input_value()
    assert urlsplit(link).fragment.startswith("case=")
    before = (calc.status_label(), calc.activity_hours())

    other = new_context(context.browser)  # another profile: empty storage
    try:
        seed_snapshot(other, engine_snapshot, [server.origin])  # (but for the engine's snapshot)
        guard = RequestGuard.attach(other, server.origin)
        fresh = Calculator(other.new_page(), calc.forms)
        fresh.open(link)
        expect(fresh.page.locator("#toolbar-message")).to_contain_text("已导入")
        fresh.settle()
        assert (fresh.status_label(), fresh.activity_hours()) == before
        assert "#" not in fresh.page.url  # the data leaves the address bar once loaded
        guard.assert_clean()
    finally:
        other.close()


def test_clear_asks_first(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.get_by_role("button", name="清空").click()
    dialog = page.locator("#confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="取消").click()
    expect(page.locator("li.activity")).to_have_count(3)
    clear(page)
    expect(page.locator("li.activity")).to_have_count(0)
    page.reload()
    calc.wait_engine()
    expect(page.locator("li.activity")).to_have_count(0)


# ---------------------------------------------------------------- bad and hostile input


def test_bad_quantity_is_explained_next_to_the_field_and_kept(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    card = page.locator("li.activity").nth(1)
    quantity = card.get_by_label("学习分钟数")
    quantity.fill("一千二")
    calc.settle()
    error = card.locator("[id$='-quantity-error']")
    expect(error).to_contain_text("须为数字")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    # the rest is still computed, and the problem is listed with a link to the field
    assert calc.requirement("professional") == (60, 60)
    expect(page.locator("#problem-list")).to_contain_text("第2项活动")
    page.locator("#problem-list a").first.click()
    expect(quantity).to_be_focused()
    page.reload()
    calc.wait_engine()
    page.locator("li.activity").nth(1).get_by_role("button", name="编辑").click()
    expect(page.locator("li.activity").nth(1).get_by_label("学习分钟数")).to_have_value("一千二")


def test_hostile_name_renders_as_text(calc: Calculator, server) -> None:
    calc.open(server.url)
    case = worked_example()
    case["activities"][0]["name"] = HOSTILE
    case["person"]["name"] = HOSTILE
    calc.fill_case(case)
    page = calc.page
    expect(page.locator(".activity-lines .line-name").first).to_have_text(HOSTILE)
    expect(page.locator("li.activity .activity-title").first).to_have_text(HOSTILE)
    page.get_by_text("计算过程").click()
    expect(page.locator("#trace")).to_contain_text(HOSTILE)
    page.reload()
    calc.wait_engine()
    calc.settle()
    expect(page.locator(".activity-lines .line-name").first).to_have_text(HOSTILE)
    assert page.locator("img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


# ---------------------------------------------------------------- addresses and layout


def test_url_parameters_preselect(calc: Calculator, server) -> None:
    page = calc.page
    calc.open(server.url + "?jurisdiction=hunan-xiangxi&regime=zhuanji&year=2020&compact=1")
    expect(page.locator("#pick-root")).to_have_value("hunan")
    expect(page.locator("#pick-place")).to_have_value("hunan-xiangxi")
    expect(page.locator("#pick-regime")).to_have_value("zhuanji")
    expect(page.locator("#pick-year")).to_have_value("2020")
    expect(page.locator(".ruleset-title")).to_contain_text("湘西州")
    assert "rule_set=xiangxi-zhuanji-2020" in page.url and "compact=1" in page.url

    calc.open(server.url + "?rule_set=xining-zhuanji-2021")
    expect(page.locator("#pick-root")).to_have_value("qinghai")
    expect(page.locator("#pick-place")).to_have_value("qinghai-xining")
    assert calc.status_label() == "未达标"

    calc.open(server.url + "?rule_set=no-such-rules")
    expect(page.locator("#toolbar-message")).to_contain_text("不存在")


def test_works_under_a_sub_path(calc: Calculator, sub_server, guard: RequestGuard) -> None:
    calc.open(sub_server.url)
    calc.fill_case(worked_example())
    assert calc.status_label() == "已达标"
    assert calc.money("fee-reimbursable") == 144
    local = [u for u in guard.requests if urlsplit(u).scheme.startswith("http")]
    assert local and all(urlsplit(u).path.startswith(SUB_PATH) for u in local), local


def test_no_horizontal_overflow_at_375px(browser, server, forms, engine_snapshot: EngineSnapshot) -> None:
    context = new_context(browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        seed_snapshot(context, engine_snapshot, [server.origin])
        guard = RequestGuard.attach(context, server.origin)
        calc = Calculator(context.new_page(), forms)
        calc.open(server.url)
        case = worked_example()
        case["activities"][1]["name"] = (
            "一个很长很长的课程名称" * 6 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 3
        )
        calc.fill_case(case)
        for rule_set in ("xiangxi-zhuanji-2020", "qinghai-zhuanji-2021"):
            calc.fill_case(CASES[rule_set])
        page = calc.page
        page.get_by_text("计算过程").click()
        width = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        assert width[0] <= width[1], f"horizontal overflow at 375px: {width}"
        guard.assert_clean()
    finally:
        context.close()


def test_every_control_has_a_label_and_keyboard_reaches_it(calc: Calculator, server) -> None:
    calc.open(server.url)
    page = calc.page
    add = page.get_by_role("button", name="＋ 添加一项")
    add.focus()
    page.keyboard.press("Enter")
    kind = page.locator("li.activity").last.get_by_label("活动类型")
    expect(kind).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("li.activity").last.get_by_label("名称", exact=True)).to_be_focused()
    page.keyboard.type("键盘输入的课程")
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length))
        .filter(el => !el.getAttribute('aria-label'))
        .map(el => el.id || el.outerHTML)""")
    assert unlabeled == []


def test_print_view_is_the_summary_only(calc: Calculator, server, tmp_path: Path) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.emulate_media(media="print")
    expect(page.locator(".inputs")).to_be_hidden()
    expect(page.locator(".toolbar")).to_be_hidden()
    expect(page.locator("#status")).to_be_visible()
    expect(page.locator(".req-list")).to_be_visible()
    expect(page.locator(".activity-lines")).to_be_visible()
    expect(page.locator(".print-cites .cite").first).to_be_visible()
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the printed summary takes {pages} pages"


def test_engine_failure_is_explained(browser, forms, site_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(site_dir, broken)
    (broken / "pyodide" / "pyodide.asm.wasm").unlink()
    with serve(broken) as server:
        context = new_context(browser)
        try:
            guard = RequestGuard.attach(context, server.origin)
            page = context.new_page()
            page.goto(server.url + "?watchdog=3")  # the missing file is looked for after 3 s, not 30
            page.locator("body[data-engine='failed']").wait_for(state="attached", timeout=90_000)
            expect(page.locator("#engine")).to_contain_text("计算引擎未能加载")
            expect(page.locator("#engine")).to_contain_text("pyodide/pyodide.asm.wasm（HTTP 404）")
            expect(page.locator("#engine")).to_contain_text("请检查")
            expect(page.locator("#status .status-label")).to_have_text("无法计算")
            assert "Traceback" not in page.content()
            # the form still takes input, and keeps it
            page.get_by_role("button", name="＋ 添加一项").click()
            page.locator("li.activity").last.get_by_label("名称", exact=True).fill("离线时填写")
            page.reload()
            expect(page.locator("li.activity .activity-title")).to_have_text("离线时填写")
            guard.assert_local_only()
            guard.assert_no_csp_violations()
        finally:
            context.close()


def test_figures_use_the_reported_format(calc: Calculator, server) -> None:
    """A fractional figure keeps its decimals (7.5 hours, not 8)."""
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    calc.add_activity(
        {"kind": "platform_hours", "name": "半学时课程", "quantity": 7.5, "category": "public"},
        "hunan-shiye-2023",
    )
    calc.settle()
    assert calc.requirement("public") == (7.5, 30)
    assert figure(calc.activity_hours()[0]) == 7.5


# ---------------------------------------------------------------- verdicts, plan, layers (issue 13)

# 湘西州 2020: a doctor applying for 副高 (window 2018—2020), 2019 short; 2020 itself met.
TITLE_CASE: dict[str, Any] = {
    "format": "xueshi.case/2",
    "rule_set": "xiangxi-zhuanji-2020",
    "person": {"title_application": {"level": "fugao", "degree": "doctor", "field": "other"}},
    "activities": [
        {"kind": "online_course", "name": "网络平台公需课", "quantity": 30, "category": "public"},
        {"kind": "recognised_hours", "name": "专业科目培训", "quantity": 60, "category": "professional"},
    ],
    "history": [
        {"year": 2016, "hours": {"public": 30, "professional": 60}},
        {"year": 2018, "hours": {"public": 30, "professional": 60}},
        {"year": 2019, "hours": {"public": 20, "professional": 50}},
    ],
}

# 湖南省 2023 (事业单位): short in both categories, so the plan has ways for each.
SHORT_CASE: dict[str, Any] = {
    "format": "xueshi.case/2",
    "rule_set": "hunan-shiye-2023",
    "person": {},
    "activities": [
        {"kind": "platform_hours", "name": "公需课程", "quantity": 18, "category": "public"},
        {"kind": "platform_hours", "name": "专业课程", "quantity": 20, "category": "professional"},
    ],
}

PHONE = {"width": 375, "height": 800}


def test_a_title_applicant_reads_the_title_verdict_first(calc: Calculator, server, catalog: Catalog) -> None:
    want = expected(TITLE_CASE, catalog)
    assert want.title and want.title.short_years == [2019] and want.status == "met"
    calc.open(server.url)
    calc.fill_case(TITLE_CASE)
    page = calc.page
    assert calc.status_label() == "职称申报学时尚不满足"
    expect(page.locator("#status")).to_have_class("status status-bad")
    first = page.locator("#status .summary-lines > li").first
    expect(first).to_have_text(f"{want.title.status_label}：{want.title.summary}")
    expect(first).to_contain_text("2019年")
    # the year's own verdict beside it
    expect(page.locator("#status .status-year")).to_have_text("2020年度：已达标")
    # where people type, the echo says the same
    expect(page.locator(".status-echo").first).to_contain_text("当前结果：职称申报学时尚不满足")
    # the window table by the rule set's categories, 2019 marked short
    expect(page.locator(".window thead th")).to_have_text(["年度", "公需科目", "专业科目", "合计", "达标", "来源"])
    row = page.locator('.window tbody tr[data-year="2019"]')
    expect(row).to_have_class("row-short")
    expect(row.locator("td")).to_have_text(["20", "50", "70", "✗ 否", "以往年度"])
    # a year outside the window is said, not silently dropped
    expect(page.locator('.warnings li[data-code="outside_window"]')).to_contain_text("2016年")


def test_what_is_left_and_how_to_close_it(calc: Calculator, server, catalog: Catalog) -> None:
    want = expected(SHORT_CASE, catalog)
    assert want.plan
    calc.open(server.url)
    calc.fill_case(SHORT_CASE)
    page = calc.page
    gaps = page.locator(".plan .gap")
    expect(gaps).to_have_count(len(want.plan))
    for gap, plan in zip(gaps.all(), want.plan):
        assert gap.get_attribute("data-req") == plan.requirement
        expect(gap.locator(".gap-shortfall")).to_have_text(fmt(plan.shortfall))
        # every way, in the engine's order (cheapest first), with its quantity and citation
        expect(gap.locator(".way-text")).to_have_text([w.text for w in plan.ways])
        for way, item in zip(plan.ways, gap.locator(".way").all()):
            assert fmt(way.quantity) in item.inner_text()
            expect(item.locator(".cite")).to_have_attribute("data-rule", way.citation.rule)


def test_the_summary_fits_one_phone_screen_and_the_rest_is_layered(browser, server, forms, catalog: Catalog,
                                                                    engine_snapshot: EngineSnapshot) -> None:
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        seed_snapshot(context, engine_snapshot, [server.origin])
        guard = RequestGuard.attach(context, server.origin)
        calc = Calculator(context.new_page(), forms)
        calc.open(server.url)
        for case in (TITLE_CASE, SHORT_CASE):
            calc.fill_case(case)
            want = expected(case, catalog)
            page = calc.page
            lines = page.locator("#status .summary-lines > li")
            expect(lines).to_have_text(summary_lines(want))
            assert 2 <= lines.count() <= 5
            box = page.locator("#status").bounding_box()
            assert box and box["width"] <= PHONE["width"] and box["height"] <= PHONE["height"], box
            # one block per requirement, with its state in words from the engine
            for line in want.requirements:
                expect(page.locator(f'li.req[data-req="{line.id}"] .req-state')).to_contain_text(line.state_label)
            # the decisive facts, named
            for name in want.facts:
                expect(page.locator(f'.facts dd[data-fact="{name}"]')).to_have_count(1)
            # the full trace collapsed; each quoted passage shown once, later steps refer to it
            trace = page.locator("#trace")
            expect(trace).not_to_have_attribute("open", "")
            quotes = {(t.citation.document, t.citation.section, t.citation.quote)
                      for t in want.trace if t.citation and not (t.step == "exception" and not t.figures.get("applies"))}
            expect(trace.locator(".cite-quote")).to_have_count(len(quotes))
            page.locator("#trace > summary").click()
            expect(trace.locator(".cite-ref").first).to_contain_text("依据：同〔")
            # exceptions that do not apply: apart, said as what would make them apply
            others = [e for e in want.exceptions if not e.applies]
            if others:
                expect(page.locator(".exceptions-other li")).to_have_text([e.reason for e in others])
                expect(page.locator(".exceptions-other li").first).to_contain_text("时才适用")
            calc.page.get_by_role("button", name="清空").click()
            calc.page.locator("#confirm").get_by_role("button", name="清空").click()
            expect(page.locator("li.activity")).to_have_count(0)
        guard.assert_clean()
    finally:
        context.close()


def test_the_title_deadline_shows_as_soon_as_one_applies(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.choose("qinghai-zhuanji-2021")
    page = calc.page
    expect(page.locator(".title-deadline")).to_have_count(0)
    page.get_by_label("本年度申报职称").check()
    # in the form at once (no result needed), then in the result's summary
    expect(page.locator("#person-fields .title-deadline")).to_have_text("当年申报职称人员完成期限：2021年11月30日")
    page.get_by_label("申报级别").select_option(value="zhongji")
    calc.settle()
    expect(page.locator("#status .title-deadline")).to_contain_text("2021年11月30日")
    expect(page.locator("#status .summary-lines > li").first).to_contain_text("2021-11-30")


def test_history_asks_for_the_rule_sets_categories_and_prefills_a_year(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.choose("xiangxi-zhuanji-2020")
    page = calc.page
    page.get_by_label("本年度申报职称").check()
    page.get_by_label("申报级别").select_option(value="fugao")
    page.get_by_label("最高学历（学位）").select_option(value="doctor")
    calc.settle()
    calc.press(page.get_by_role("button", name="＋ 添加一个年度"))
    row = page.locator("li.history-row").last
    labels = history_labels(calc.forms["forms"]["xiangxi-zhuanji-2020"])
    # the window 2018—2020 lacks 2018 and 2019: the first added row offers the earliest
    expect(row.get_by_label("年度", exact=True)).to_have_value("2018")
    expect(row.locator("label")).to_have_text(["年度", *labels["hours"].values()])
    expect(page.locator("#history-wanted")).to_have_text("需要填写的年度：2019。")  # 2018 is in the row now


def test_collapsed_cards_say_the_category(calc: Calculator, server, catalog: Catalog) -> None:
    calc.open(server.url)
    calc.fill_case(SHORT_CASE)
    want = expected(SHORT_CASE, catalog)
    page = calc.page
    for card in page.locator("li.activity").all():
        if card.get_by_role("button", name="收起").count():
            card.get_by_role("button", name="收起").click()
    expect(page.locator("li.activity .activity-body")).to_have_count(0)
    expect(page.locator("li.activity .activity-category")).to_have_text([a.category_name for a in want.activities])


def test_a_rule_set_without_notes_shows_no_null(calc: Calculator, server) -> None:
    page = calc.page

    def without_notes(route):
        data = route.fetch().json()  # each form is a JSON text inside (sitebuild/site/pages.py)
        for rule_set, text in data["forms"].items():
            data["forms"][rule_set] = json.dumps({**json.loads(text), "notes": []}, ensure_ascii=False)
        route.fulfill(json=data)

    page.route("**/data/forms.*.json", without_notes)
    calc.open(server.url)
    info = page.locator("#ruleset-info")
    expect(info.locator(".ruleset-title")).not_to_be_empty()
    expect(info).not_to_contain_text("null")
    expect(info.locator(".notes")).to_have_count(0)


def test_a_year_without_rule_set_in_the_address_is_said(calc: Calculator, server) -> None:
    calc.open(server.url + "?jurisdiction=hunan-xiangxi&regime=zhuanji&year=2019")
    expect(calc.page.locator("#toolbar-message")).to_contain_text("2019年没有规则集")
    expect(calc.page.locator("#pick-year")).to_have_value("2020")


def test_a_format_1_case_file_still_imports(calc: Calculator, server, tmp_path: Path, catalog: Catalog) -> None:
    """xueshi.case/1 files (earlier years as fixed fields) are migrated by the engine on import."""
    v1 = {
        "format": "xueshi.case/1", "rule_set": "xiangxi-zhuanji-2020",
        "person": {"title_application": {"level": "fugao", "degree": "doctor"}},
        "activities": TITLE_CASE["activities"],
        "history": [{"year": 2018, "public": 30, "professional": 60}, {"year": 2019, "public": 20, "professional": 50}],
    }
    path = tmp_path / "旧格式.json"
    path.write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    calc.open(server.url)
    page = calc.page
    page.locator("#import-file").set_input_files(str(path))
    expect(page.locator("#toolbar-message")).to_contain_text("已导入")
    calc.settle()
    labels = history_labels(calc.forms["forms"]["xiangxi-zhuanji-2020"])
    rows = page.locator("li.history-row")
    expect(rows).to_have_count(2)
    for row, old in zip(rows.all(), v1["history"]):
        for category, label in labels["hours"].items():
            expect(row.get_by_label(label, exact=True)).to_have_value(str(old[category]))
    assert page_figures(calc) == engine_figures(expected(v1, catalog))
