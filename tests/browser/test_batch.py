"""The batch page (batch.html) in a real Chromium: sheets as Excel and WPS write them,
figures equal to the engine's, filter, sort, exports, broken files, the title applicants'
summary, compact mode in an iframe, and openpyxl loaded only when an XLSX needs it.

The `guard` fixture fails every test on a request to another host, a console or page
error, or a CSP violation.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from calculator.batch.people import evaluate_rows
from calculator.batch.tables import result_table, title_summary_table
from calculator.rulefiles.loader import load_catalog
from calculator.engine.resolve import Catalog
from calculator.batch.sheets import read_sheet
from sitebuild.site.serve import StaticServer

from .axe import axe_source, run_axe, serious_violations
from .batch_page import XIANGXI_HEADERS, XLSX_MIME, BatchPage, excel_csv, staff_rows, xlsx_bytes
from .cases import ROOT

HENAN_HEADERS = ["序号", "姓名", "工号", "工作单位", "公需科目学时", "其中必修学时", "专业科目学时"]
HENAN_ROWS = [
    [1, "张三", "A01", "县医院", 30, 24, 60],
    [2, "李四", "A02", "县医院", 30, 20, 70],
    [3, "王五", "A03", "县疾控", "三十", 24, 60],
    [4, "赵六", "A04", "县医院", 12, 6, 20],
]
OPENPYXL_FILES = re.compile(r"/(openpyxl|et_xmlfile)-[^/]*\.whl$")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "rules")


@pytest.fixture
def batch(page: Page) -> BatchPage:
    return BatchPage(page)


def engine_table(data: bytes, name: str, rule_set: str, catalog: Catalog) -> tuple[list[str], list[list[object]]]:
    sheet = read_sheet(data, name)
    return result_table(evaluate_rows(sheet.headers, sheet.rows, catalog, rule_set))


def num(value: object) -> str:
    if value is None:
        return ""
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0").rstrip(".")


def csv_cell(value: object) -> str:
    """A value as calculator.batch.write.write_csv writes it."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "@") else text


def assert_table_is_the_engines(batch: BatchPage, headers: list[str], table: list[list[object]]) -> None:
    """Every figure on the page equals result_table's (the CLI's and the exports')."""
    shown = {int(r[0]): r for r in batch.rows()}
    assert sorted(shown) == [row[0] for row in table]
    index = {h: i for i, h in enumerate(headers)}
    labels = [h.removesuffix("要求") for h in headers if h.endswith("要求")]
    for row in table:
        cells = shown[int(row[0])]  # type: ignore[arg-type]
        assert cells[batch.column("姓名")].startswith(str(row[index["姓名"]]))
        assert cells[batch.column("结论")].endswith(str(row[index["结论"]]))
        for label in labels:
            earned, required, short = (row[index[f"{label}{k}"]] for k in ("已取得", "要求", "尚差"))
            col = batch.column(f"{label}已取得")
            if earned is None:
                assert cells[col] == "" and cells[col + 1] == ""
                continue
            assert cells[col].startswith(f"{num(earned)} / {num(required)}"), (label, cells[col])
            assert cells[col + 1] == num(short), (label, cells[col + 1])


# ---------------------------------------------------------------- reading what offices have


def test_gbk_csv_as_excel_writes_it(batch: BatchPage, server: StaticServer, catalog: Catalog, guard) -> None:
    data = excel_csv(HENAN_HEADERS, HENAN_ROWS)
    assert b"\r\n" in data and "张三".encode("gbk") in data
    batch.open(server.url + "batch.html?rule_set=henan-zhuanji-2021")
    batch.upload_and_wait("人员学时.csv", data)
    page = batch.page
    expect(page.locator("#load-info")).to_contain_text("4 行人员")
    expect(page.locator("#load-info")).to_contain_text("GBK")
    headers, table = engine_table(data, "人员学时.csv", "henan-zhuanji-2021", catalog)
    assert_table_is_the_engines(batch, headers, table)
    # the bad row names its row, column and what is wrong; the other rows are computed
    # the bad cell names its row, column and what is wrong; the rest of that row is computed,
    # marked as computed with input left out
    bad = page.locator('#result-table tbody tr[data-row="4"]')
    expect(bad.locator(".badge")).to_have_text("✗未达标（需核对：1处输入有误，未计入）")
    expect(bad).to_contain_text("第4行E列“公需科目学时”：“三十”不是数字")
    expect(page.locator("#counts")).to_contain_text("已达标 1 人")
    expect(page.locator("#counts")).to_contain_text("未达标 2 人")
    expect(page.locator("#counts")).to_contain_text("未达标（需核对） 1 人")
    # status in words and a symbol, not colour alone
    li = page.locator('#result-table tbody tr[data-row="3"]')
    expect(li.locator(".badge")).to_have_text("✗未达标")
    assert not [r for r in guard.requests if OPENPYXL_FILES.search(r)], "a CSV must not load openpyxl"


def test_xlsx_loads_openpyxl_on_demand_under_a_sub_path(context: BrowserContext, sub_server: StaticServer,
                                                        catalog: Catalog, guard) -> None:
    rows = [[1, "张三", "A01", "县医院", 30, 24, 60.5], [2, "李四", "A02", "县医院", 30, 20, 70],
            [3, "钱七", "A05", "县医院", 31.5, 24, 58]]
    data = xlsx_bytes(HENAN_HEADERS, rows)
    batch = BatchPage(context.new_page())
    batch.open(sub_server.url + "batch.html?jurisdiction=henan&regime=zhuanji&year=2021")
    expect(batch.page.locator("#ruleset-info")).to_contain_text("河南")
    assert not [r for r in guard.requests if OPENPYXL_FILES.search(r)]
    batch.upload_and_wait("人员.xlsx", data, XLSX_MIME)
    fetched = [r for r in guard.requests if OPENPYXL_FILES.search(r)]
    assert len(fetched) == 2, fetched  # openpyxl and et_xmlfile, from the site itself
    expect(batch.page.locator("#load-info")).to_contain_text("XLSX")
    assert_table_is_the_engines(batch, *engine_table(data, "人员.xlsx", "henan-zhuanji-2021", catalog))


def test_url_parameters_preselect_and_links_keep_the_choice(batch: BatchPage, server: StaticServer) -> None:
    batch.open(server.url + "batch.html?jurisdiction=hunan-xiangxi&regime=zhuanji&year=2020")
    page = batch.page
    expect(page.locator("#ruleset-info")).to_contain_text("湘西")
    assert "rule_set=xiangxi-zhuanji-2020" in page.url and "jurisdiction" not in page.url
    assert page.locator("#link-calculator").get_attribute("href") == "index.html?rule_set=xiangxi-zhuanji-2020"
    page.locator("#pick-root").select_option(label="青海省")
    expect(page.locator("#ruleset-info")).to_contain_text("青海")
    assert "rule_set=qinghai-zhuanji-2021" in page.url
    # the calculator links here with its own choice. Leaving cancels this page's requests still
    # under way (the icon, fetched again after each address change; the worker's downloads):
    # the guard tells those from failures (tests/browser/test_guard.py).
    page.goto(server.url + "index.html?rule_set=henan-zhuanji-2021")
    expect(page.locator("#link-batch")).to_have_attribute("href", "batch.html?rule_set=henan-zhuanji-2021")
    page.locator("body[data-engine=ready]").wait_for(state="attached", timeout=90_000)  # let its downloads finish


def test_template_has_the_rule_sets_chinese_headers(batch: BatchPage, server: StaticServer) -> None:
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    name, data = batch.download("下载模板（CSV）")
    assert name == "学时核查模板-每人一行-xiangxi-zhuanji-2020.csv"
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with BOM with Chinese intact
    headers, example = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[:2]
    assert headers[:3] == ["姓名", "工号", "工作单位"] and example[0] == "（示例）张三"
    assert {"公需科目学时", "专业科目学时", "申报职称级别", "2018年公需", "2019年专业"} <= set(headers)


def test_drag_and_drop_and_a_new_rule_set_recomputes(batch: BatchPage, server: StaticServer) -> None:
    batch.open(server.url + "batch.html?rule_set=qinghai-zhuanji-2021")
    page = batch.page
    text = "姓名,公需学时,专业学时\r\n张三,40,80\r\n"
    transfer = page.evaluate_handle(
        "(text) => { const t = new DataTransfer(); t.items.add(new File([text], '拖入.csv', {type: 'text/csv'})); return t; }",
        text)
    page.locator("body").evaluate("b => { b.dataset.batch = 'uploading'; }")
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    batch.wait_done()
    expect(page.locator("#load-info")).to_contain_text("拖入.csv")
    first = batch.rows()[0]
    # another rule set: the same sheet is checked again under it
    page.locator("body").evaluate("b => { b.dataset.batch = 'uploading'; }")
    page.locator("#pick-root").select_option(label="河南省")
    batch.wait_done()
    expect(page.locator("#toolbar-message")).to_contain_text("核查完成（河南省")
    assert batch.rows()[0] != first and batch.rows()[0][1].startswith("张三")


# ---------------------------------------------------------------- working with the table


def test_filter_and_sort(batch: BatchPage, server: StaticServer) -> None:
    rows = staff_rows(40, seed=11, bad_every=9)
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.upload_and_wait("staff.csv", excel_csv(XIANGXI_HEADERS, rows))
    page = batch.page
    assert len(batch.rows()) == 40
    status = page.get_by_label("结论", exact=True)

    status.select_option(value="short")
    expect(status.locator("option:checked")).to_contain_text("未达标（")
    shown = batch.rows()
    assert shown and all(r[batch.column("结论")].endswith("未达标") for r in shown)
    expect(page.locator("#shown")).to_contain_text("符合条件的共")

    status.select_option(value="__problems")
    expect(status.locator("option:checked")).to_contain_text("有需要修改的输入（4）")
    assert [int(r[0]) for r in batch.rows()] == [i + 1 for i in range(1, 41) if i % 9 == 0]

    status.select_option(value="")
    name = rows[6][1]
    page.get_by_label("查找姓名、工号或单位").fill(name)
    expect(page.locator("#result-table tbody tr").first).to_contain_text(name)
    assert all(name in r[1] for r in batch.rows())
    page.get_by_label("查找姓名、工号或单位").fill("E00012")
    expect(page.locator("#result-table tbody tr")).to_have_count(1)
    page.get_by_label("查找姓名、工号或单位").fill("")
    expect(page.locator("#result-table tbody tr")).to_have_count(40)

    # sort by the professional shortfall with the keyboard: Enter on the header's button
    header = page.locator("#result-table thead button", has_text="专业科目").filter(has_text="尚差")
    header.focus()
    page.keyboard.press("Enter")
    th = page.locator("#result-table thead th", has=page.locator("button:focus"))
    expect(th).to_have_attribute("aria-sort", "ascending")
    page.keyboard.press("Enter")  # focus stays on the header: press again for descending
    expect(th).to_have_attribute("aria-sort", "descending")
    col = batch.column("专业科目尚差")
    values = [r[col] for r in batch.rows()]
    figures = [float(v) for v in values if v]
    assert figures == sorted(figures, reverse=True) and figures[0] > 0
    assert values[len(figures):] == [""] * (len(values) - len(figures))  # rows without figures last

    page.locator("#result-table thead button", has_text="姓名").click()
    expect(page.locator("#result-table thead th", has_text="姓名")).to_have_attribute("aria-sort", "ascending")
    names = [r[1].split(" ")[0] for r in batch.rows()]
    assert names == page.evaluate("names => [...names].sort(new Intl.Collator('zh-CN').compare)", names)


def test_exports_csv_and_xlsx(batch: BatchPage, server: StaticServer, catalog: Catalog) -> None:
    data = excel_csv(HENAN_HEADERS, HENAN_ROWS + [[5, "=HYPERLINK(\"x\")", "A09", "县医院", 30, 24, 60]])
    batch.open(server.url + "batch.html?rule_set=henan-zhuanji-2021")
    batch.upload_and_wait("staff.csv", data)
    headers, table = engine_table(data, "staff.csv", "henan-zhuanji-2021", catalog)

    name, body = batch.download("导出结果 CSV")
    assert name == "学时核查结果.csv" and body.startswith(b"\xef\xbb\xbf")
    got = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert got[0] == headers
    assert [r[1] for r in got[1:]] == ["张三", "李四", "王五", "赵六", "'=HYPERLINK(\"x\")"]  # never a formula
    assert got[1:] == [[csv_cell(v) for v in row] for row in table]

    name, body = batch.download("导出结果 XLSX")
    assert name == "学时核查结果.xlsx" and body[:4] == b"PK\x03\x04"
    sheet = load_workbook(io.BytesIO(body)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert list(values[0]) == headers
    assert [[None if v == "" else v for v in row] for row in values[1:]] == \
        [[None if v == "" else v for v in row] for row in table]
    assert sheet.cell(row=6, column=2).data_type == "s"
    expect(batch.page.locator("#export-message")).to_contain_text("已导出“学时核查结果.xlsx”")


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize("name,data,message", [
    ("照片.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "这不是表格文件"),
    ("名单.csv", "姓名,公需\r\n".encode("utf-8") + b"\x00\x01\x02" * 100, "不是文本格式"),
    ("人员.xlsx", xlsx_bytes(HENAN_HEADERS, HENAN_ROWS)[:700], "不是有效的 XLSX"),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Excel"),
    ("空.csv", b"", "文件是空的"),
])
def test_a_broken_file_is_refused_and_the_table_stays(batch: BatchPage, server: StaticServer,
                                                      name: str, data: bytes, message: str) -> None:
    batch.open(server.url + "batch.html?rule_set=henan-zhuanji-2021")
    batch.upload_and_wait("good.csv", excel_csv(HENAN_HEADERS, HENAN_ROWS))
    before = batch.rows()
    page = batch.page
    batch.upload(name, data, XLSX_MIME if name.endswith("xlsx") else "text/csv")
    error = page.locator("#toolbar-message.error")
    expect(error).to_contain_text(f"无法读取文件“{name}”")
    expect(error).to_contain_text(message)
    expect(error).to_contain_text("已载入的表格和核查结果没有改动")
    batch.wait_settled()
    assert batch.rows() == before
    expect(page.locator("#load-info")).to_contain_text("good.csv")
    # and the engine still holds the good sheet: exporting gives its rows
    _, body = batch.download("导出结果 CSV")
    assert [r[1] for r in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]] == ["张三", "李四", "王五", "赵六"]


def test_a_broken_first_file_leaves_the_page_usable(batch: BatchPage, server: StaticServer) -> None:
    batch.open(server.url + "batch.html?rule_set=henan-zhuanji-2021")
    batch.upload("a.pdf", b"%PDF-1.4 not a sheet", "application/pdf")
    expect(batch.page.locator("#toolbar-message.error")).to_contain_text("这不是表格文件")
    batch.upload_and_wait("good.csv", excel_csv(HENAN_HEADERS, HENAN_ROWS))
    assert len(batch.rows()) == 4


# ---------------------------------------------------------------- title applicants (X20-12 attachment 2)


def test_title_summary_for_xiangxi_applicants(batch: BatchPage, server: StaticServer, catalog: Catalog) -> None:
    rows = [
        [1, "甲", "E1", "州医院", "临床医学", 30, 60, "副高", "博士", "医学", 30, 60, 30, 50],
        [2, "乙", "E2", "州疾控", "公共卫生", 30, 60, "", "", "", "", "", "", ""],
        [3, "丙", "E3", "州医院", "护理", 30, 72, "中级", "本科", "医学", 30, 60, 30, 60],
    ]
    data = excel_csv(XIANGXI_HEADERS, rows)
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.upload_and_wait("职称.csv", data)
    page = batch.page
    section = page.locator("#titles")
    expect(section).to_be_visible()
    sheet = read_sheet(data, "职称.csv")
    t_headers, t_rows = title_summary_table(evaluate_rows(sheet.headers, sheet.rows, catalog, "xiangxi-zhuanji-2020"))
    body = page.locator("#titles-table tbody tr").evaluate_all(
        "trs => trs.map(tr => [...tr.cells].map(c => c.textContent))")
    assert body == [["" if v is None else num(v) if isinstance(v, (int, float)) else str(v) for v in row] for row in t_rows]
    assert [r[2] for r in body] == ["甲", "丙"]
    expect(page.locator("#titles-table thead")).to_contain_text("2018年")
    row = dict(zip(t_headers, body[0]))
    assert (row["2019年专业"], row["2019年总学时"], row["各年度是否均达标"], row["职称申报"]) == ("50", "80", "否", "职称申报学时尚不满足")

    name, csv_body = batch.download("导出汇总表 CSV")
    assert name == "职称参评人员学时汇总.csv"
    assert next(csv.reader(io.StringIO(csv_body.decode("utf-8-sig")))) == t_headers
    name, xlsx_body = batch.download("导出汇总表 XLSX")
    assert name == "职称参评人员学时汇总.xlsx"
    assert [c.value for c in load_workbook(io.BytesIO(xlsx_body)).active[1]] == t_headers

    # printing shows that table only, under the form's title
    page.emulate_media(media="print")
    expect(page.locator("#titles-table")).to_be_visible()
    expect(page.locator("#titles-print-title")).to_have_text("2020年度高（中）级职称参评人员学时（分）认定汇总表")
    for hidden in ("#results", "#upload", "#setup", ".site-header", "#btn-titles-print"):
        expect(page.locator(hidden)).to_be_hidden()
    page.emulate_media(media="screen")


# ---------------------------------------------------------------- size, embedding, what is fetched


def test_many_rows_render_a_page_at_a_time(batch: BatchPage, server: StaticServer) -> None:
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    rows = staff_rows(1500, bad_every=50, titles_every=20)
    batch.upload_and_wait("big.csv", excel_csv(XIANGXI_HEADERS, rows), timeout=120_000)
    page = batch.page
    assert page.locator("body").get_attribute("data-batch-rows") == "1500"
    expect(page.locator("#result-table tbody tr")).to_have_count(100)
    more = page.get_by_role("button", name=re.compile("显示更多"))
    expect(more).to_have_text("显示更多（还有 1400 人）")
    more.click()
    expect(page.locator("#result-table tbody tr")).to_have_count(600)
    expect(page.locator("#counts")).to_contain_text("共 1500 人")
    # every applicant, those with a bad 公需 cell too: computed from the rest and marked 需核对
    applicants = [r for r in rows if r[7]]
    assert len(applicants) == 75
    expect(page.locator("#titles-table tbody tr")).to_have_count(len(applicants))


@pytest.mark.parametrize("path", ["batch.html?rule_set=xiangxi-zhuanji-2020&compact=1", "index.html?compact=1"])
def test_compact_mode_in_an_iframe_at_375px(context: BrowserContext, server: StaticServer, path: str) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 420, "height": 800})
    host = server.url + "intranet-host.html"
    page.route(host, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=(
        '<!doctype html><meta charset="utf-8"><title>单位内网</title><h1>人事处</h1>'
        f'<iframe src="{path}" title="学时自查" width="375" height="640" '
        'sandbox="allow-scripts allow-same-origin allow-downloads"></iframe>')))
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator("body[data-engine=ready]").wait_for(state="attached", timeout=90_000)
    inner = next(f for f in page.frames if f.url.startswith(server.url + path.split("?")[0]))
    assert inner.evaluate("document.documentElement.classList.contains('compact')")
    expect(frame.locator(".lead")).to_be_hidden()
    if path.startswith("batch"):
        frame.locator("#sheet-file").set_input_files(files=[{"name": "staff.csv", "mimeType": "text/csv",
                                                             "buffer": excel_csv(XIANGXI_HEADERS, staff_rows(30, titles_every=7))}])
        frame.locator("body[data-batch=done]").wait_for(state="attached", timeout=60_000)
        expect(frame.locator("#titles")).to_be_visible()
        assert frame.locator("#link-calculator").get_attribute("href") == "index.html?rule_set=xiangxi-zhuanji-2020&compact=1"
    width, scroll = inner.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert 350 <= width <= 375 and scroll <= width, f"horizontal overflow in the iframe: {scroll} > {width}"
    wide = inner.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && !e.closest('.table-wrap') && e.getClientRects().length)
        .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)""")
    assert not wide, wide


def test_only_the_batch_page_fetches_openpyxl(context: BrowserContext, server: StaticServer, guard) -> None:
    page = context.new_page()
    page.goto(server.url + "index.html")
    page.locator("body[data-engine=ready]").wait_for(state="attached", timeout=90_000)
    page.wait_for_load_state("networkidle")
    assert any(r.endswith(".whl") for r in guard.requests)  # the engine's wheels were fetched ...
    assert not [r for r in guard.requests if OPENPYXL_FILES.search(r)]  # ... but not openpyxl's
    BatchPage(page).open(server.url + "batch.html")
    page.get_by_role("button", name="下载模板（CSV）").click()
    page.wait_for_load_state("networkidle")
    assert not [r for r in guard.requests if OPENPYXL_FILES.search(r)]


def test_pages_link_each_other(page: Page, server: StaticServer, site_dir: Path) -> None:
    assert (site_dir / "batch.html").is_file()
    ready = page.locator("body[data-engine=ready]")
    page.goto(server.url)
    ready.wait_for(state="attached", timeout=90_000)  # leaving earlier would abort its downloads
    page.get_by_role("link", name=re.compile("单位批量核查")).click()
    expect(page).to_have_title(re.compile("学时批量核查"))
    ready.wait_for(state="attached", timeout=90_000)
    page.get_by_role("link", name="个人学时自查").click()
    expect(page.locator("h1")).to_have_text("学时自查")
    ready.wait_for(state="attached", timeout=90_000)


def test_the_runtime_keeps_openpyxl_for_later(site_dir: Path) -> None:
    """Pinned with load = "on-demand": in the lock (so loadPackage can verify it), marked, and
    no start-up package depends on it (else the calculator page would download it)."""
    import json

    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    on_demand = {name for name, p in packages.items() if p["tool"].get("xueshi", {}).get("load") == "on-demand"}
    # openpyxl for the batch page; PyYAML and the guide generator for the studio page only
    assert on_demand == {"openpyxl", "et-xmlfile", "pyyaml", "xueshi-guide-preview"}
    assert packages["openpyxl"]["depends"] == ["et-xmlfile"]
    for name, p in packages.items():
        if name not in on_demand:
            assert not set(p["depends"]) & on_demand, name
    assert "imports" in packages["openpyxl"] and "openpyxl" in packages["openpyxl"]["imports"]


# ---------------------------------------------------------------- workbooks as offices keep them


def office_activity_workbook() -> bytes:
    """Instructions first, a merged title, one row per activity (papers, patents, awards, training days)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请各科室于12月20日前报送。"])
    ws = book.create_sheet("活动明细")
    ws.append(["某医院2020年继续教育活动登记"])
    ws.merge_cells("A1:H1")
    ws.append(["姓名", "工号", "活动类型", "数量", "计入科目", "时长", "作者排序", "完成人排序"])
    ws.append(["张三", "A01", "参加培训、会议", 3, "公需科目", "一天", None, None])
    ws.append(["张三", "A01", "在国内统一刊号刊物发表论文", 2, None, None, "独立或第一作者", None])
    ws.append([])
    ws.append(["李四", "A02", "获得专利授权", 1, None, None, None, "第九完成人"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_per_activity_workbook_and_one_persons_full_result(batch: BatchPage, server: StaticServer, guard) -> None:
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.upload_and_wait("活动.xlsx", office_activity_workbook(), XLSX_MIME)
    page = batch.page
    expect(page.locator("#load-info")).to_contain_text("2 行人员")
    expect(page.locator("#load-info")).to_contain_text("工作表“活动明细”")
    expect(page.locator("#load-info")).to_contain_text("列名在第 2 行")
    li = page.locator('#result-table tbody tr[data-row="6"]')  # Excel row 6, after the blank row 5
    expect(li).to_contain_text("第6行H列“完成人排序”：“第九完成人”不是完成人排序的选项")
    page.locator("#result-table .person-open", has_text="张三").click()
    dialog = page.locator("#person")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#person-rows")).to_have_text("人员表第 3、4 行")
    expect(dialog.locator(".status-label")).to_have_text("已达标")
    expect(dialog.locator('[data-req="public"] .req-earned')).to_have_text("30")
    expect(dialog.locator('[data-req="professional"] .req-earned')).to_have_text("60")
    expect(dialog).to_contain_text("在国内统一刊号刊物发表论文")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def left_out_workbook() -> bytes:
    """One row per activity as Excel saves it: 张三 applies for a title and has an unreadable
    quantity, an unknown kind and an unreadable earlier-year cell among good rows."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "活动明细"
    ws.append(["姓名", "工号", "工作单位", "活动类型", "数量", "计入科目", "时长", "作者排序", "日期",
               "申报职称级别", "学历学位", "2019年公需"])
    ws.append(["张三", "A01", "州医院", "参加培训、会议", 3, "公需科目", "一天", None, dt.datetime(2020, 5, 10),
               "副高", "博士", "三十"])                                                      # row 2: L2 bad
    ws.append(["张三", "A01", "州医院", "参加培训、会议", "两", "专业科目", "一天"])           # row 3: E3 bad
    ws.append(["张三", "A01", "州医院", "在国内统一刊号刊物发表论文", 1, None, None, "独立或第一作者"])
    ws.append(["张三", "A01", "州医院", "读书笔记", 1])                                      # row 5: D5 bad
    ws.append(["李四", "A02", "州医院", "参加培训、会议", 9, "专业科目", "一天"])
    ws.append(["李四", "A02", "州医院", "参加培训、会议", 3, "公需科目", "一天"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_person_with_bad_rows_gets_a_result_marked_as_such(batch: BatchPage, server: StaticServer, guard) -> None:
    marked = "未达标（需核对：3处输入有误，未计入）"
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.upload_and_wait("活动明细.xlsx", left_out_workbook(), XLSX_MIME)
    page = batch.page
    zhang = page.locator('#result-table tbody tr[data-row="2"]')
    expect(zhang.locator(".badge")).to_have_text("✗" + marked)
    expect(zhang).to_have_attribute("data-left-out", "3")
    expect(zhang).to_contain_text("第3行E列“数量”：“两”不是数字")
    expect(zhang).to_contain_text("第2行L列“2019年公需”：“三十”不是数字")
    cells = batch.rows()[0]
    assert cells[batch.column("公需科目已取得")].startswith("30 / ")  # the good rows are counted
    assert cells[batch.column("专业科目已取得")].startswith("30 / ")
    li = page.locator('#result-table tbody tr[data-row="6"]')
    expect(li.locator(".badge")).to_have_text("✓已达标")
    expect(li).not_to_have_attribute("data-left-out", re.compile(".*"))
    expect(page.locator("#counts")).to_contain_text("未达标（需核对） 1 人")
    expect(page.locator("#toolbar-message")).to_contain_text(
        "其中 1 人略去了有误的输入、由其余输入算出结论，结论标有“需核对”，请核对。")
    # the title applicants' summary says it in the same words
    expect(page.locator("#titles-table tbody tr")).to_have_count(1)
    # the verdict cell (a 规则依据 cell may follow it when the rules rest on a copy or an excerpt)
    expect(page.locator("#titles-table tbody tr").first.locator("td").filter(
        has_text=re.compile(r"（需核对：3处输入有误，未计入）$"))).to_have_count(1)
    # counted and filtered apart from clean verdicts
    status = page.get_by_label("结论", exact=True)
    status.select_option(value="short:check")
    expect(status.locator("option:checked")).to_contain_text("未达标（需核对）（1）")
    expect(page.locator("#result-table tbody tr")).to_have_count(1)
    status.select_option(value="met")
    expect(page.locator("#result-table tbody tr")).to_have_count(1)
    expect(page.locator("#result-table tbody tr").first).to_contain_text("李四")
    status.select_option(value="")
    # the person's full result is the same computation
    page.locator("#result-table .person-open", has_text="张三").click()
    dialog = page.locator("#person")
    expect(dialog.locator('[data-req="public"] .req-earned')).to_have_text("30")
    expect(dialog).to_contain_text("有3处输入有误，相关条目未计入")
    expect(dialog).to_contain_text("第5行D列“活动类型”")


def test_a_workbook_with_two_sheets_of_people_asks_which(batch: BatchPage, server: StaticServer) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "内科"
    book.active.append(["姓名", "公需学时", "专业学时"])
    book.active.append(["甲", 30, 60])
    book.create_sheet("外科").append(["姓名", "公需学时", "专业学时"])
    book["外科"].append(["乙", 30, 10])
    out = io.BytesIO()
    book.save(out)
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.upload("两个科室.xlsx", out.getvalue(), XLSX_MIME)
    page = batch.page
    expect(page.locator("#sheet-choice")).to_be_visible(timeout=60_000)
    expect(page.locator("#toolbar-message")).to_contain_text("请选择要核查的工作表")
    page.locator("#sheet-choice").select_option("外科")
    page.locator("body").evaluate("b => { b.dataset.batch = 'uploading'; }")
    page.get_by_role("button", name="核查这个工作表").click()
    batch.wait_done()
    expect(page.locator("#result-table tbody tr")).to_have_count(1)
    expect(page.locator("#result-table tbody tr").first).to_contain_text("乙")


def test_xlsx_template_for_activities(batch: BatchPage, server: StaticServer) -> None:
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.page.locator("#template-layout").select_option("activity")
    name, data = batch.download("下载模板（XLSX）")
    assert name == "学时核查模板-每项活动一行-xiangxi-zhuanji-2020.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[:2] == ["填表说明", "活动明细"]
    assert len(book["活动明细"].data_validations.dataValidation) >= 5


def test_phone_shows_one_card_per_person(context: BrowserContext, server: StaticServer) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    batch = BatchPage(page)
    batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
    batch.upload_and_wait("staff.csv", excel_csv(XIANGXI_HEADERS, staff_rows(20, bad_every=7)))
    width, scroll = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert scroll <= width, f"sideways scrolling at 375 px: {scroll} > {width}"
    card = page.locator("#result-table tbody tr").first
    assert card.evaluate("tr => getComputedStyle(tr).display") == "block"
    box = card.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    # every figure is labelled in the card itself
    assert card.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content") == '"行号"'
    assert not serious_violations(run_axe(page, axe_source())), "cards at 375 px"
    card.locator(".person-open").click()
    expect(page.locator("#person .requirements")).to_be_visible()
    dialog = page.locator("#person").bounding_box()
    assert dialog and dialog["width"] <= width
    problems = serious_violations(run_axe(page, axe_source()))
    assert not problems, "a person's result in the dialog:\n" + "\n".join(problems)
