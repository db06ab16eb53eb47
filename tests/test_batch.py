"""Batch checking: the files HR departments actually have, and the rows they get wrong."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from calculator.batch.people import evaluate_rows, template_headers
from calculator.batch.tables import result_table, title_summary_table
from calculator.batch.sheets import SheetError, read_sheet
from calculator.batch.write import write_csv, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["序号", "姓名", "工号", "公需学时", "其中必修学时", "专业学时"]
ROWS = [["1", "张三", "A01", "30", "24", "60"], ["2", "李四", "A02", "30", "20", "70"]]


def excel_csv(headers: list[str], rows: list[list[str]], encoding: str = "gbk") -> bytes:
    """As Excel on Chinese Windows saves 'CSV (逗号分隔)': GBK, CRLF."""
    text = "\r\n".join(",".join(r) for r in [headers, *rows]) + "\r\n"
    return text.encode(encoding)


def xlsx(headers: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    excel_csv(HEADERS, ROWS, "gbk"),
    excel_csv(HEADERS, ROWS, "utf-8"),
    b"\xef\xbb\xbf" + excel_csv(HEADERS, ROWS, "utf-8"),
    xlsx(HEADERS, [[1, "张三", "A01", 30, 24, 60], [2, "李四", "A02", 30, 20, 70]]),
], ids=["gbk", "utf8", "utf8-bom", "xlsx"])
def test_every_format_reads_the_same_rows(data: bytes, catalog) -> None:
    sheet = read_sheet(data, "staff.csv")
    assert sheet.headers == HEADERS
    rows = evaluate_rows(sheet.headers, sheet.rows, catalog, "henan-zhuanji-2021")
    assert [r.name for r in rows] == ["张三", "李四"]
    zhang, li = (r.result for r in rows)
    assert zhang is not None and li is not None
    assert zhang.status == "met"
    lines = {line.id: line for line in li.requirements}
    # Henan: compulsory 20 < 24 is short even though public (30, compulsory included) is met.
    assert lines["public"].met and not lines["public_compulsory"].met
    assert lines["public_compulsory"].shortfall == 4
    assert li.status == "short"


def test_bad_rows_name_row_and_column_and_the_rest_is_computed(catalog) -> None:
    rows = [["张三", "30", "60"], ["李四", "三十", "60"], ["", "30", "60"], ["王五", "-5", "60"], ["赵六", "45", "90"]]
    out = evaluate_rows(["姓名", "公需学时", "专业学时"], rows, catalog, "qinghai-zhuanji-2021")
    messages = {r.row: [p.message for p in r.problems] for r in out}
    assert messages[3] == ["第3行B列“公需学时”：“三十”不是数字"]
    assert messages[4] == ["第4行A列“姓名”：姓名不能为空"]
    assert messages[5][0].startswith("第5行B列“公需学时”：")
    assert out[0].result is not None and out[0].result.status == "short"  # 30 < 45
    assert out[4].result is not None and out[4].result.status == "met"
    # a bad hours cell is left out and the rest computed (marked); a row without a name is nobody's
    assert [r.result is None for r in out] == [False, False, True, False, False]
    assert [r.left_out for r in out] == [0, 1, 0, 1, 0]
    assert out[1].status_text == "未达标（需核对：1处输入有误，未计入）"


def test_sub_category_larger_than_parent_is_left_out(catalog) -> None:
    out = evaluate_rows(["姓名", "公需学时", "必修学时", "专业学时"], [["甲", "20", "24", "60"]], catalog, "henan-zhuanji-2021")
    assert [p.message for p in out[0].problems] == ["第2行C列“必修学时”：公需科目必修课学时不能大于公需科目学时"]
    earned = {line.id: line.earned for line in out[0].result.requirements}
    assert (earned["public"], earned["public_compulsory"]) == (20, 0)  # the 20 written, none of the 24 taken
    assert out[0].left_out == 1


@pytest.mark.parametrize("data,name,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", "这不是表格文件"),
    (b"%PDF-1.4 ...", "rules.pdf", "这不是表格文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "旧版 Excel"),
    (b"PK\x03\x04garbage", "broken.xlsx", "不是有效的 XLSX"),
    (b"", "empty.csv", "文件是空的"),
    (b"\x00\x01\x02\x03" * 10, "binary.csv", "不是文本格式"),
])
def test_not_a_spreadsheet_gets_a_chinese_message(data: bytes, name: str, message: str) -> None:
    with pytest.raises(SheetError) as error:
        read_sheet(data, name)
    assert message in str(error.value)


def test_exports_keep_formulas_out(tmp_path: Path) -> None:
    headers, rows = ["姓名"], [["=HYPERLINK(\"http://x\")"], ["-1"]]
    csv_text = write_csv(headers, rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\r\n-1\r\n" in csv_text
    path = tmp_path / "o.xlsx"
    path.write_bytes(write_xlsx([("结果", headers, rows)]))
    cell = load_workbook(path).active["A2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_title_summary_table_has_each_window_year(catalog) -> None:
    headers = ["姓名", "工作单位", "申报专业", "公需学时", "专业学时", "申报职称级别", "学历学位", "2018年公需", "2018年专业", "2019年公需", "2019年专业"]
    out = evaluate_rows(headers, [["甲", "州医院", "临床医学", "30", "60", "副高", "博士", "30", "60", "30", "50"]], catalog, "xiangxi-zhuanji-2020")
    t_headers, t_rows = title_summary_table(out)
    assert t_headers[:4] == ["序号", "工作单位", "姓名", "申报专业"]
    assert "2018年总学时" in t_headers and "2020年总学时" in t_headers and "2017年公需" not in t_headers
    row = dict(zip(t_headers, t_rows[0]))
    assert (row["2019年专业"], row["2019年总学时"], row["各年度是否均达标"], row["职称申报"]) == (50, 80, "否", "职称申报学时尚不满足")
    r_headers, r_rows = result_table(out)
    assert dict(zip(r_headers, r_rows[0]))["结论"] == "已达标"


def test_template_lists_the_rule_sets_categories(catalog) -> None:
    headers = template_headers(catalog.resolve("henan-zhuanji-2021"))
    assert {"姓名", "公需科目学时", "专业科目学时"} <= set(headers)
    assert any("必修" in h for h in headers)


def test_cli_batch_end_to_end(tmp_path: Path) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_bytes(excel_csv(["姓名", "公需学时", "专业学时"], [["张三", "45", "90"], ["李四", "45", "x"]]))
    out = tmp_path / "result.xlsx"
    done = subprocess.run([sys.executable, "-m", "calculator", "batch", str(staff), "--rule-set", "xining-zhuanji-2021",
                           "-o", str(out), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["rows"] == 2 and report["statuses"] == {"已达标": 1, "未达标（需核对）": 1}
    sheet = load_workbook(out).active
    assert sheet["F2"].value == "已达标"


def test_a_leave_the_case_model_refuses_still_gives_no_result(catalog) -> None:
    # The case model refuses the leave (tolerant.py would leave it out); a leave lowers the
    # requirement, so a verdict without it may be wrong: the person gets the problem, not a figure.
    headers = ["姓名", "公需学时", "专业学时", "病休孕产假开始日期", "病休孕产假结束日期"]
    out = evaluate_rows(headers, [["甲", "30", "60", "2020-06-01", "2020-03-01"]], catalog, "xiangxi-zhuanji-2020")
    assert out[0].result is None and out[0].status_text == "无法计算"
    assert out[0].problems and out[0].problems[0].message.startswith("第2行E列“病休孕产假结束日期”：")
