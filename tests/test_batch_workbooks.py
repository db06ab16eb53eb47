"""Batch checking with the workbooks HR offices really have: instructions sheets, merged
title rows, notes, blank lines, 合计 rows, GBK CSV, and one row per activity."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from calculator.batch.people import evaluate_sheet, group_rows, known_header
from calculator.batch.tables import result_table, title_summary_table
from calculator.batch.template import EXAMPLE, template_xlsx
from calculator.batch.sheets import SheetChoiceNeeded, read_sheet

ROOT = Path(__file__).resolve().parent.parent
XIANGXI = "xiangxi-zhuanji-2020"


def save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_workbook() -> bytes:
    """An instructions sheet first; a merged title, a note, the header in row 3, a blank row,
    a bad cell, a 合计 row and a note below."""
    book = Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes.append(["本表由各科室填写，12月20日前报人事科。"])
    notes.append(["学时以认定单为准。"])
    ws = book.create_sheet("2020年学时")
    ws.append(["湘西州某医院2020年度专业技术人员继续教育学时统计表"])
    ws.merge_cells("A1:F1")
    ws.append(["填报科室：内科"])
    ws.append(["序号", "姓名", "工号", "公需科目学时", "专业科目学时", "备注"])
    ws.append([1, "张三", "A01", 30, 60, None])        # row 4
    ws.append([2, "李四", "A02", 30, 40, "进修"])       # row 5
    ws.append([3, "王五", "A03", 30, 70, None])         # row 6
    ws.append([])                                       # row 7: blank
    ws.append([4, "赵六", "A04", 30, 90, None])         # row 8
    ws.append([5, "钱七", "A05", "三十", 60, None])     # row 9: bad cell D9
    ws.append(["合计", None, None, 120, 320, None])     # row 10
    ws.append(["注：学时包含网络学习。"])                # row 11
    return save(book)


def read(data: bytes, catalog, name: str = "staff.xlsx", rule_set: str = XIANGXI, **kw):
    return read_sheet(data, name, known_header(catalog, [rule_set]), **kw)


def run(sheet, catalog, rule_set: str = XIANGXI):
    layout, groups, _ = group_rows(sheet)
    return evaluate_sheet(sheet, groups, catalog, rule_set, layout)


def test_office_workbook_keeps_excel_rows_and_names_the_cell(catalog) -> None:
    sheet = read(office_workbook(), catalog)
    assert (sheet.sheet_name, sheet.header_row) == ("2020年学时", 3)
    assert sheet.row_numbers == [4, 5, 6, 8, 9]  # blank row 7 dropped, row 8 stays row 8
    assert sheet.skipped == ["第10行（合计）", "第11行（注：学时包含网络学习。）"]
    rows = run(sheet, catalog)
    assert [(r.row, r.name) for r in rows] == [(4, "张三"), (5, "李四"), (6, "王五"), (8, "赵六"), (9, "钱七")]
    # 钱七's unreadable 公需 cell is left out: a result from the rest, marked as such
    assert [r.result.status if r.result else "error" for r in rows] == ["met", "short", "met", "met", "short"]
    assert [p.message for p in rows[4].problems] == ["第9行D列“公需科目学时”：“三十”不是数字"]
    assert [r.left_out for r in rows] == [0, 0, 0, 0, 1]


def test_the_table_may_start_anywhere_on_the_sheet(catalog) -> None:
    book = Workbook()
    ws = book.active
    ws["C5"], ws["D5"], ws["E5"] = "姓名", "公需学时", "专业学时"
    ws["C6"], ws["D6"], ws["E6"] = "张三", 30, "x"
    rows = run(read(save(book), catalog), catalog)
    assert rows[0].problems[0].message == "第6行E列“专业学时”：“x”不是数字"


def test_two_sheets_of_people_ask_which_and_the_choice_is_honoured(catalog) -> None:
    book = Workbook()
    for title, hours in (("内科", 60), ("外科", 40)):
        ws = book.create_sheet(title)
        ws.append(["姓名", "公需学时", "专业学时"])
        ws.append([f"{title}甲", 30, hours])
    book.remove(book["Sheet"])
    data = save(book)
    with pytest.raises(SheetChoiceNeeded) as asked:
        read(data, catalog)
    assert asked.value.choices == ["内科", "外科"] and "请选择" in str(asked.value)
    rows = run(read(data, catalog, sheet="外科"), catalog)
    assert rows[0].name == "外科甲" and rows[0].result.status == "short"


def test_header_row_can_be_given(catalog) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["姓名", "单位"])  # a header-like line the reader would pick by itself
    ws.append(["姓名", "公需学时", "专业学时"])
    ws.append(["甲", 30, 60])
    assert run(read(save(book), catalog, header_row=2), catalog)[0].result.status == "met"


def test_gbk_csv_with_a_title_line(catalog) -> None:
    text = "2020年继续教育学时表,,\r\n姓名,公需学时,专业学时\r\n张三,30,60\r\n,,\r\n李四,30,abc\r\n"
    sheet = read(text.encode("gbk"), catalog, name="人员.csv")
    assert (sheet.encoding, sheet.header_row, sheet.row_numbers) == ("gbk", 2, [3, 5])
    rows = run(sheet, catalog)
    assert rows[0].result.status == "met"
    assert rows[1].problems[0].message == "第5行C列“专业学时”：“abc”不是数字"


ACTIVITY_HEADERS = ["姓名", "工号", "活动类型", "数量", "计入科目", "时长", "作者排序", "完成人排序", "奖项级别", "完成人排名", "日期"]


def activity_workbook() -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "活动明细"
    ws.append(ACTIVITY_HEADERS)
    ws.append(["张三", "A01", "参加培训、会议", 3, "公需科目", "一天", None, None, None, None, "2020-05-10"])  # 30 public
    ws.append(["张三", "A01", "paper", 1, None, None, "独立或第一作者", None, None, None, None])           # 30
    ws.append(["张三", "A01", "获得专利授权", 1, None, None, None, "其他完成人", None, None, None])          # 60
    ws.append(["李四", "A02", "科技（社科）奖项", 1, None, None, None, None, "地厅级", 7, None])            # 30
    ws.append(["李四", "A02", "参加培训、会议", 2, "专业", "半天", None, None, None, None, None])            # 8
    ws.append(["王五", "A03", "在国内统一刊号刊物发表论文", 1, None, None, "第三作者", None, None, None, None])
    return save(book)


def test_per_activity_sheet_converts_papers_patents_awards_and_training_days(catalog) -> None:
    sheet = read(activity_workbook(), catalog)
    layout, groups, _ = group_rows(sheet)
    assert layout == "activity" and groups == [[0, 1, 2], [3, 4], [5]]
    zhang, li, wang = evaluate_sheet(sheet, groups, catalog, XIANGXI, layout)
    assert (zhang.row, zhang.rows) == (2, [2, 3, 4])
    earned = {line.id: line.earned for line in zhang.result.requirements}
    assert earned == {"total": 120, "public": 30, "professional": 90}
    assert zhang.result.status == "met"
    li_earned = {line.id: line.earned for line in li.result.requirements}
    assert li_earned == {"total": 38, "public": 0, "professional": 38}  # award rank 7 at 地厅级: 30; 2 half days: 8
    assert wang.result is None
    assert wang.problems[0].message.startswith("第7行G列“作者排序”：“第三作者”不是作者排序的选项")


def test_per_activity_engine_checks_are_placed_at_the_cell(catalog) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["姓名", "活动类型", "数量", "计入科目", "时长", "日期"])
    ws.append(["甲", "参加培训、会议", 1, None, "一天", "2019-12-01"])
    messages = [p.message for p in run(read(save(book), catalog), catalog)[0].problems]
    assert "第2行D列“计入科目”：请选择计入的科目" in messages
    assert any(m.startswith("第2行F列“日期”：日期 2019-12-01 不在 2020年度内") for m in messages)


def test_one_persons_fields_must_agree_across_their_rows(catalog) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["姓名", "工号", "活动类型", "数量", "计入科目", "申报职称级别"])
    ws.append(["甲", "A1", "已认定学时", 30, "公需科目", "副高"])
    ws.append(["甲", "A1", "已认定学时", 60, "专业科目", "中级"])
    row = run(read(save(book), catalog), catalog)[0]
    assert row.result is None
    assert row.problems[0].message == "第3行F列“申报职称级别”：与第2行所填不同（同一人的各行须一致）"


def test_template_is_generated_from_the_rule_set_and_reads_back(catalog) -> None:
    rules = catalog.resolve(XIANGXI)
    book = load_workbook(io.BytesIO(template_xlsx(rules, "activity")))
    assert book.sheetnames[0] == "填表说明" and book["下拉选项"].sheet_state == "hidden"
    ws = book["活动明细"]
    headers = [c.value for c in ws[1]]
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation}

    def drop_down(header: str) -> list[str]:
        rule = lists[chr(65 + headers.index(header))]
        assert rule.type == "list"
        sheet_name, cells = rule.formula1.split("!")
        return [c[0].value for c in book[sheet_name.strip("'")][cells.replace("$", "")]]

    assert drop_down("活动类型") == [c.label for c in rules.rules.conversions]
    assert drop_down("计入科目") == ["公需科目", "专业科目"]
    assert drop_down("作者排序") == ["独立或第一作者", "其他作者"]
    assert drop_down("奖项级别") == ["省部级及以上", "地厅级"]
    rank = lists[chr(65 + headers.index("完成人排名"))]
    assert (rank.type, rank.formula1, rank.formula2) == ("whole", "1", "100")
    labels = [c.label for c in rules.rules.conversions]
    examples = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[0] == EXAMPLE]
    assert len(examples) == len(labels)  # one example per activity kind
    # An office keeps the examples and adds its people below them.
    ws.append({1: "甲", headers.index("活动类型") + 1: "在国内统一刊号刊物发表论文（发表当年）",
               headers.index("数量") + 1: 2, headers.index("作者排序") + 1: "独立或第一作者"})
    sheet = read(save(book), catalog)
    layout, groups, skipped = group_rows(sheet)
    assert sheet.sheet_name == "活动明细" and len(skipped) == len(labels) and len(groups) == 1
    row = evaluate_sheet(sheet, groups, catalog, XIANGXI, layout)[0]
    assert row.row == len(labels) + 2 and {l.id: l.earned for l in row.result.requirements}["professional"] == 60


def test_person_template_reads_back_without_the_example(catalog) -> None:
    book = load_workbook(io.BytesIO(template_xlsx(catalog.resolve("henan-zhuanji-2021"), "person")))
    assert [c.value for c in book["人员学时"]["A"]][1] == EXAMPLE
    sheet = read(save(book), catalog, rule_set="henan-zhuanji-2021")
    assert group_rows(sheet)[1] == []


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", "batch", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_cli_jobs_give_the_same_output(tmp_path: Path) -> None:
    from calculator.doors.batch_cli import PARALLEL_MIN_PEOPLE

    lines = ["姓名,工号,公需学时,专业学时,申报职称级别,2018年公需,2018年专业,2019年公需,2019年专业"]
    for i in range(PARALLEL_MIN_PEOPLE + 300):
        bad = "x" if i % 97 == 0 else str(30 + i % 40)
        lines.append(f"人{i},{i:05d},{i % 31},{bad},{'副高' if i % 5 == 0 else ''},30,{i % 70},30,60")
    staff = tmp_path / "staff.csv"
    staff.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.csv"
        done = _cli(str(staff), "--rule-set", XIANGXI, "-o", str(out), "--jobs", jobs)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        outputs.append((out.read_bytes(), (tmp_path / f"out{jobs}-职称汇总.csv").read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\r\n") == PARALLEL_MIN_PEOPLE + 301


def test_cli_reads_the_office_workbook_and_asks_for_a_sheet(tmp_path: Path) -> None:
    path = tmp_path / "学时.xlsx"
    path.write_bytes(office_workbook())
    done = _cli(str(path), "--rule-set", XIANGXI, "--json")
    report = json.loads(done.stdout)
    assert (report["sheet"], report["header_row"], report["rows"]) == ("2020年学时", 3, 5)
    assert report["problems"] == ["第9行D列“公需科目学时”：“三十”不是数字"]
    book = Workbook()
    for title in ("一", "二"):
        book.create_sheet(title).append(["姓名", "公需学时"])
        book[title].append(["甲", 1])
    path.write_bytes(save(book))
    done = _cli(str(path), "--rule-set", XIANGXI)
    assert done.returncode == 2 and "--sheet" in done.stderr and "Traceback" not in done.stderr


def test_result_table_reports_the_persons_first_row(catalog) -> None:
    sheet = read(activity_workbook(), catalog)
    headers, table = result_table(run(sheet, catalog))
    assert [r[0] for r in table] == [2, 5, 7]


def test_pre_numbered_empty_lines_are_not_people(catalog) -> None:
    text = "序号,姓名,公需学时,专业学时\r\n1,张三,30,60\r\n2,,,\r\n3,,,\r\n"
    rows = run(read(text.encode("gbk"), catalog, name="s.csv"), catalog)
    assert [(r.row, r.name) for r in rows] == [(2, "张三")]


def test_a_line_break_inside_a_cell_is_still_one_excel_row(catalog) -> None:
    text = '姓名,公需学时,专业学时,备注\r\n张三,30,60,"进修\r\n半年"\r\n李四,30,x,\r\n'
    rows = run(read(text.encode("utf-8"), catalog, name="s.csv"), catalog)
    assert rows[1].problems[0].message == "第3行C列“专业学时”：“x”不是数字"


@pytest.mark.parametrize("kw,message", [
    ({"header_row": 40}, "指定的列名行第40行不在表格中"),
    ({"sheet": "人事"}, "工作簿中没有名为“人事”的工作表；有：填表说明、2020年学时"),
])
def test_a_wrong_choice_of_sheet_or_header_row_is_named(catalog, kw, message) -> None:
    from calculator.batch.sheets import SheetError

    with pytest.raises(SheetError, match=message):
        read(office_workbook(), catalog, **kw)


def test_a_sheet_without_a_header_row_says_so(catalog) -> None:
    from calculator.batch.sheets import SheetError

    with pytest.raises(SheetError, match="没有找到列名行"):
        read("甲,乙\r\n1,2\r\n".encode("gbk"), catalog, name="s.csv")


def test_a_column_named_type_does_not_make_a_per_person_sheet_per_activity(catalog) -> None:
    text = "姓名,类型,公需学时,专业学时\r\n张三,在编,30,60\r\n"
    sheet = read(text.encode("gbk"), catalog, name="s.csv")
    assert group_rows(sheet)[0] == "person"
    assert run(sheet, catalog)[0].result.status == "met"


# ---------------------------------------------------------------- bad entries are left out (issue #13)

LEFT_OUT_HEADERS = ["姓名", "工号", "活动类型", "数量", "计入科目", "时长", "作者排序", "日期",
                    "申报职称级别", "学历学位", "2019年公需", "法定退休日期"]


def left_out_workbook(retirement: object = None) -> bytes:
    """One row per activity as Excel saves it (numbers as numbers, dates as dates): 张三 applies for
    a title and has two unusable activity rows and an unreadable earlier-year cell among good rows."""
    import datetime as dt

    book = Workbook()
    ws = book.active
    ws.title = "活动明细"
    ws.append(LEFT_OUT_HEADERS)
    ws.append(["张三", "A01", "参加培训、会议", 3, "公需科目", "一天", None, dt.datetime(2020, 5, 10),
               "副高", "博士", "三十", retirement])                                                # row 2: K2 bad
    ws.append(["张三", "A01", "参加培训、会议", "两", "专业科目", "一天", None, None])              # row 3: D3 bad
    ws.append(["张三", "A01", "在国内统一刊号刊物发表论文", 1, None, None, "独立或第一作者", None])  # row 4: 30
    ws.append(["张三", "A01", "读书笔记", 1, None, None, None, None])                               # row 5: C5 bad
    ws.append(["李四", "A02", "参加培训、会议", 9, "专业科目", "一天", None, None])                 # row 6: 90
    ws.append(["李四", "A02", "参加培训、会议", 3, "公需科目", "一天", None, None])                 # row 7: 30
    return save(book)


def test_bad_activity_rows_are_left_out_and_the_rest_is_computed(catalog) -> None:
    zhang, li = run(read(left_out_workbook(), catalog), catalog)
    assert zhang.result is not None, [p.message for p in zhang.problems]
    earned = {line.id: line.earned for line in zhang.result.requirements}
    assert earned == {"total": 60, "public": 30, "professional": 30}  # rows 2 and 4; rows 3 and 5 left out
    assert [p.message for p in zhang.problems] == [
        "第2行K列“2019年公需”：“三十”不是数字",
        "第3行D列“数量”：“两”不是数字",
        "第5行C列“活动类型”：" + zhang.problems[2].message.split("：", 1)[1],
    ]
    assert "“读书笔记”" in zhang.problems[2].message
    assert zhang.left_out == 3 and li.left_out == 0
    headers, table = result_table([zhang, li])
    status = dict(zip(headers, table[0]))
    assert status["结论"] == "未达标（需核对：3处输入有误，未计入）"
    assert status["职称申报"].endswith("（需核对：3处输入有误，未计入）")
    assert dict(zip(headers, table[1]))["结论"] == "已达标"  # a clean row stays clean
    t_headers, t_rows = title_summary_table([zhang, li])
    assert dict(zip(t_headers, t_rows[0]))["职称申报"].endswith("（需核对：3处输入有误，未计入）")


def test_an_unreadable_person_fact_still_gets_no_result(catalog) -> None:
    # A retirement date decides whether the person is deemed complete: a verdict without it
    # could be wrong either way, so the person is asked to fix it instead.
    zhang = run(read(left_out_workbook(retirement="明年"), catalog), catalog)[0]
    assert zhang.result is None and zhang.left_out == 0
    assert "第2行L列“法定退休日期”：“明年”不是日期（应为 2023-06-30）" in [p.message for p in zhang.problems]
    headers, table = result_table([zhang])
    assert dict(zip(headers, table[0]))["结论"] == "无法计算"


def test_cli_batch_marks_the_person_with_left_out_rows(tmp_path: Path) -> None:
    staff = tmp_path / "活动明细.xlsx"
    staff.write_bytes(left_out_workbook())
    out = tmp_path / "结果.xlsx"
    done = _cli(str(staff), "--rule-set", XIANGXI, "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "未达标（需核对） 1 人" in done.stdout and "已达标 1 人" in done.stdout
    assert "第3行D列“数量”：“两”不是数字" in done.stdout
    assert "其中 1 人略去了有误的输入、由其余输入算出结论，结论标有“需核对”，请核对。" in done.stdout
    book = load_workbook(out)
    results = {row[1]: row for row in book["核查结果"].iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in book["核查结果"][1]]
    assert results["张三"][headers.index("结论")] == "未达标（需核对：3处输入有误，未计入）"
    title_headers = [c.value for c in book["职称参评学时汇总"][1]]
    titles = [c.value for c in book["职称参评学时汇总"][2]]
    assert titles[title_headers.index("职称申报")].endswith("（需核对：3处输入有误，未计入）")
    # what the figures rest on is said in the exports too (the Xiangxi text is the project's copy)
    assert "原始出处未记录" in titles[title_headers.index("规则依据")]
    report = json.loads(_cli(str(staff), "--rule-set", XIANGXI, "--json").stdout)
    assert report["statuses"] == {"未达标（需核对）": 1, "已达标": 1}
