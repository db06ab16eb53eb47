"""The batch page's side of the browser bridge (calculator.doors.browser.batch_*), run in
CPython exactly as the worker runs it in Pyodide: JSON text in, JSON text out."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from calculator.doors import browser
from calculator.engine.words import BASIS_HEADER
from calculator.batch.people import evaluate_rows
from calculator.batch.tables import result_table, title_summary_table
from calculator.rulefiles.loader import load_catalog, rules_payload
from calculator.batch.sheets import SheetError, read_sheet

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["姓名", "工作单位", "申报专业", "公需学时", "专业学时", "申报职称级别", "学历学位",
           "2018年公需", "2018年专业", "2019年公需", "2019年专业"]
ROWS = [["甲", "州医院", "临床医学", "30", "60", "副高", "博士", "30", "60", "30", "50"],
        ["乙", "州医院", "护理", "30", "60", "", "", "", "", "", ""],
        ["丙", "州医院", "护理", "三十", "60", "", "", "", "", "", ""]]


def call(fn, payload) -> dict:
    return json.loads(getattr(browser, fn)(payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)))


@pytest.fixture(scope="module")
def loaded():
    catalog = load_catalog(ROOT / "rules")
    assert json.loads(browser.init(rules_payload(catalog)))["ok"]
    text = "\r\n".join(",".join(r) for r in [HEADERS, *ROWS]).encode("gbk")
    answer = call("batch_load", {"filename": "s.csv", "base64": base64.b64encode(text).decode(), "rule_set": "xiangxi-zhuanji-2020"})
    assert answer["ok"] and answer["rows"] == 3 and answer["encoding"] == "gbk"
    first = call("batch_compute", {"start": 0, "end": 2})
    rest = call("batch_compute", {"start": 2, "end": 3})
    assert not first["done"] and rest["done"]
    expected = evaluate_rows(HEADERS, ROWS, catalog, "xiangxi-zhuanji-2020")
    return first["rows"] + rest["rows"], expected


def test_chunks_add_up_to_the_whole_sheet(loaded) -> None:
    rows, expected = loaded
    assert [r["row"] for r in rows] == [2, 3, 4]
    assert [r["status"] for r in rows] == [e.result.status if e.result else "error" for e in expected]
    assert rows[2]["problems"] == ["第4行D列“公需学时”：“三十”不是数字"]


def test_batch_table_is_what_the_exports_write(loaded) -> None:
    _, expected = loaded
    titles = call("batch_table", {"what": "titles"})
    assert titles["ok"]
    headers, table = title_summary_table(expected)
    assert (titles["headers"], titles["rows"]) == (headers, [list(r) for r in table])
    assert [r[2] for r in titles["rows"]] == ["甲"]
    results = call("batch_table", {"what": "results"})
    r_headers, r_table = result_table(expected)
    assert (results["headers"], results["rows"]) == (r_headers, [list(r) for r in r_table])


def test_the_page_gets_the_basis_once_and_the_exports_on_every_row(loaded) -> None:
    """The page's tables leave out the 规则依据 column and say each text once (`bases`); the
    exports (and batch_table without basis: false) keep the column on every row."""
    _, expected = loaded
    said = sorted({e.result.basis for e in expected if e.result and e.result.basis})
    assert said, "xiangxi-zhuanji-2020 rests on texts with cautions: the test needs a basis to say"
    for what in ("results", "titles"):
        page = call("batch_table", {"what": what, "basis": False})
        full = call("batch_table", {"what": what})
        assert BASIS_HEADER in full["headers"] and BASIS_HEADER not in page["headers"]
        at = full["headers"].index(BASIS_HEADER)
        assert [r[:at] + r[at + 1:] for r in full["rows"]] == page["rows"]
        assert sorted(page["bases"]) == sorted({r[at] for r in full["rows"] if r[at]})
        assert page["basis_header"] == BASIS_HEADER
    last = call("batch_compute", {"start": 2, "end": 3})
    assert sorted(last["bases"]) == said


def test_a_failed_load_keeps_the_sheet(loaded) -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(100)).decode()
    answer = call("batch_load", {"filename": "photo.csv", "base64": png})
    assert not answer["ok"] and "这不是表格文件" in answer["problems"][0]["message"]
    assert len(call("batch_table", {"what": "results"})["rows"]) == 3


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"%PDF-1.7", b"\x1f\x8b\x08\x00"])
def test_pictures_and_archives_renamed_csv_are_not_sheets(data: bytes) -> None:
    with pytest.raises(SheetError, match="这不是表格文件"):
        read_sheet(data + bytes(range(256)), "人员.csv")


def test_unicode_text_as_excel_and_wps_save_it() -> None:
    sheet = read_sheet("姓名\t公需学时\r\n张三\t30\r\n".encode("utf-16"), "人员.txt")
    assert (sheet.headers, sheet.rows, sheet.encoding) == (["姓名", "公需学时"], [["张三", "30"]], "utf-16")


def test_a_person_opens_with_the_calculators_full_result(loaded) -> None:
    answer = call("batch_person", {"index": 0})
    assert answer["ok"] and answer["rows"] == [2]
    result = answer["result"]
    assert result["status"] == "met" and result["title_window"]["years"]  # the full result, not the summary
    assert [(a["category"], a["quantity"]) for a in answer["case"]["activities"]] == [("public", 30), ("professional", 60)]
    bad = call("batch_person", {"index": 2})
    # the same tolerance as the table's row: the unreadable cell left out, the rest computed
    assert bad["problems"][0]["message"] == "第4行D列“公需学时”：“三十”不是数字"
    assert bad["result"]["summary"].startswith("（有1处输入有误，相关条目未计入）")
    row = call("batch_compute", {"start": 2, "end": 3})["rows"][0]
    assert (row["status_label"], row["left_out"]) == ("未达标（需核对：1处输入有误，未计入）", 1)
    assert not call("batch_person", {"index": 99})["ok"]


def test_workbook_with_two_sheets_of_people_asks_which(loaded) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "公需学时"])
    book.active.append(["甲", 30])
    book.create_sheet("二").append(["姓名", "公需学时"])
    book["二"].append(["乙", 30])
    out = io.BytesIO()
    book.save(out)
    payload = {"filename": "w.xlsx", "base64": base64.b64encode(out.getvalue()).decode(), "rule_set": "xiangxi-zhuanji-2020"}
    asked = call("batch_load", payload)
    assert not asked["ok"] and asked["choose_sheet"] == ["Sheet", "二"]
    assert len(call("batch_table", {"what": "results"})["rows"]) == 3  # the loaded sheet stays until a choice
    chosen = call("batch_load", {**payload, "sheet": "二"})
    assert chosen["ok"] and chosen["sheet"] == "二" and chosen["rows"] == 1


def test_xlsx_template_for_the_activity_layout() -> None:
    answer = call("batch_template", {"rule_set": "xiangxi-zhuanji-2020", "layout": "activity", "format": "xlsx"})
    assert answer["ok"] and answer["filename"].endswith(".xlsx") and "每项活动一行" in answer["filename"]
    assert base64.b64decode(answer["base64"])[:4] == b"PK\x03\x04"
