"""The built calculator page in a real Chromium: figures, persistence, safety, layout.

Every test runs in a fresh browser profile against the site served from
localhost; the `guard` fixture fails a test on any request to another host,
any console or page error and any CSP violation.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from calculator.loader import load_catalog
from calculator.resolve import Catalog
from sitebuild.site.serve import serve

from .calc import Calculator, figure
from .cases import CASES, ROOT, expected, worked_example
from .conftest import SUB_PATH
from .harness import RequestGuard, new_context

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


def test_every_rule_set_has_a_browser_case(forms: dict[str, Any]) -> None:
    covered = {case["rule_set"] for case in CASES.values()}
    missing = sorted({rs["id"] for rs in forms["catalog"]} - covered)
    assert not missing, f"add a case to tests/browser/cases.py for: {missing}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_typed_in_shows_the_engines_figures(
    name: str, calc: Calculator, server, catalog: Catalog
) -> None:
    case = CASES[name]
    want = expected(case, catalog)
    calc.open(server.url)
    calc.fill_case(case)

    assert calc.status_label() == want.status_label
    assert calc.summary() == want.summary
    for line in want.requirements:
        assert calc.requirement(line.id) == (line.earned, line.required), line.label
    assert calc.activity_hours() == [
        f"{fmt(a.hours)} 学时" if a.counted else "不计入" for a in want.activities
    ]
    if want.fees:
        assert calc.money("fee-total") == want.fees.total
        assert calc.money("fee-reimbursable") == want.fees.reimbursable
    page = calc.page
    if want.title_window:
        rows = page.locator(".window tbody tr")
        expect(rows).to_have_count(len(want.title_window.years))
        for row, year in zip(rows.all(), want.title_window.years):
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

    # 计算过程: every line carries its citation; the tool's reading is marked apart from the quote
    page.get_by_text("计算过程").click()
    steps = page.locator("#trace .trace > li")
    assert steps.count() >= 10
    for step in steps.all():
        cite = step.locator(".cite")
        expect(cite.locator(".cite-doc")).not_to_be_empty()
        expect(cite.locator(".cite-section")).not_to_be_empty()
        expect(cite.locator(".cite-quote")).to_contain_text("“")
        assert cite.get_attribute("data-rule")
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
    assert data["format"] == "xueshi.case/1" and len(data["activities"]) == 3

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
    (worker,) = [w for w in page.workers if "worker.js" in w.url]
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


def test_share_link_opens_the_same_case(calc: Calculator, server, context: BrowserContext) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    page = calc.page
    page.get_by_role("button", name="分享链接").click()
    link = page.locator("#share-url").input_value()
    assert urlsplit(link).fragment.startswith("case=")
    before = (calc.status_label(), calc.activity_hours())

    other = new_context(context.browser)  # another profile: empty storage
    try:
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


def test_no_horizontal_overflow_at_375px(browser, server, forms) -> None:
    context = new_context(browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
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
