"""Staff-sheet templates for one rule set, generated from the rule set itself.

An .xlsx with an instructions sheet (填表说明) first, the table with example rows marked
（示例） (the reader skips them), and drop-down lists (data validation) for activity kinds,
categories, every option and the yes/no columns, drawn from a hidden list sheet. The same
columns as CSV for offices that prefer it.
"""

from __future__ import annotations

import io
from typing import Any

from ..engine.resolve import ResolvedRuleSet
from ..engine.words import in_unit
from ..models.rules import UNIT_NAMES, ChoiceOption, IntegerOption
from .columns import (
    ACTIVITY_NAME,
    CATEGORY,
    COVID,
    COVID_DESIGNATED,
    DATE,
    DEGREE,
    DISABILITY,
    FIELD,
    KIND,
    LEAVE_END,
    LEAVE_START,
    MAKEUP,
    NAME,
    QUANTITY,
    RETIREMENT,
    RULE_SET,
    SPECIALTY,
    STAFF_ID,
    TITLE_LEVEL,
    UNIT,
    ColumnMap,
    Layout,
)
from .people import activity_headers, template_headers
from .write import write_csv

EXAMPLE = "（示例）张三"
LAST_ROW = 5000  # drop-down lists reach this row
_YES_NO = ["是", "否"]
_FIXED_LISTS = {
    TITLE_LEVEL: ["正高级", "副高级", "中级", "初级"], DEGREE: ["博士", "硕士", "本科", "其他"], FIELD: ["医学", "其他"],
    DISABILITY: _YES_NO, COVID: _YES_NO, COVID_DESIGNATED: _YES_NO, MAKEUP: _YES_NO,
}
_COLUMN_HELP = {
    NAME: "必填。", STAFF_ID: "选填；每项活动一行时，同一工号（无工号时同一姓名）的各行算作同一人。",
    UNIT: "选填。", SPECIALTY: "选填，职称参评人员汇总表使用。",
    RULE_SET: "选填；不填则用页面或命令行所选的规则集。",
    RETIREMENT: "选填，日期如 2025-06-30。", LEAVE_START: "选填，与结束日期一起填写。", LEAVE_END: "选填。",
    TITLE_LEVEL: "本年度申报职称时填写（正高级、副高级、中级、初级）。", DEGREE: "申报职称时选填。", FIELD: "申报职称时选填（医学、其他）。",
    KIND: "必填，从下拉列表中选。", QUANTITY: "必填，按活动类型的单位（见下表）。",
    CATEGORY: "活动可计入多个科目时必填（如培训计入公需或专业）。", DATE: "选填，活动日期，须在本年度内。",
    ACTIVITY_NAME: "选填，如论文题目。",
}


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _example_rows(rules: ResolvedRuleSet, layout: Layout, headers: list[str]) -> list[list[Any]]:
    cols = ColumnMap.of(rules)
    rows: list[list[Any]] = []
    if layout == "person":
        row = {NAME: EXAMPLE, STAFF_ID: "A001", UNIT: "某单位"}
        for req in rules.rules.requirements:
            if req.category is not None:
                row[cols.hours_header(req.category)] = _whole(req.hours)
        for year in cols.history_years():
            for cat in cols.top_level:
                req = next((r.hours for r in rules.rules.requirements if r.category == cat), None)
                row[cols.history_header(year, cat)] = _whole(req) if req is not None else None
        return [[row.get(h) for h in headers]]
    for conv in rules.rules.conversions:
        row = {NAME: EXAMPLE, STAFF_ID: "A001", UNIT: "某单位", KIND: conv.label, QUANTITY: 1,
               DATE: f"{rules.rules.year}-06-30", ACTIVITY_NAME: f"{conv.label}示例"}
        choices = cols.category_choices(conv)
        if not conv.category and choices:
            row[CATEGORY] = rules.categories[choices[-1]].name
        for option in conv.options:
            row[option.label] = next(iter(option.choices.values())) if isinstance(option, ChoiceOption) else option.min
        rows.append([row.get(h) for h in headers])
    return rows


def _lists(rules: ResolvedRuleSet, layout: Layout, headers: list[str]) -> dict[str, list[str]]:
    """Column header -> the values of its drop-down list."""
    cols = ColumnMap.of(rules)
    out: dict[str, list[str]] = {h: v for h, v in _FIXED_LISTS.items() if h in headers}
    if layout == "activity":
        out[KIND] = [c.label for c in rules.rules.conversions]
        out[CATEGORY] = [c.name for c in rules.rules.categories
                         if any(c.id in cols.category_choices(v) for v in rules.rules.conversions)]
        for conv in rules.rules.conversions:
            for option in conv.options:
                if isinstance(option, ChoiceOption):
                    values = out.setdefault(option.label, [])
                    values += [v for v in option.choices.values() if v not in values]
    return out


def _instructions(rules: ResolvedRuleSet, layout: Layout, headers: list[str]) -> list[list[Any]]:
    cols = ColumnMap.of(rules)
    rs = rules.rules
    u = rs.unit_name
    lines: list[list[Any]] = [
        [f"学时核查人员表模板：{rs.title}"],
        [f"规则集：{rs.id}。本模板由“学时自查”根据该规则集生成；结果仅供核对，以主管部门认定为准。"],
        [in_unit("每人一行：每人填写各科目本年度已取得的学时。" if layout == "person" else
                 "每项活动一行：一人有几项活动（培训、论文、专利、获奖等）就填几行，按规则集的折算标准计算学时。", u)],
        ["标有“（示例）”的行是示例，核查时自动跳过，可以删除。可以在表格上方加标题行、下方加备注，列的顺序可以调整。"],
        [],
        ["列名", "填写方法"],
    ]
    for header in headers:
        target = cols.target(header)
        if header in _COLUMN_HELP:
            text = _COLUMN_HELP[header]
        elif target is not None and target.field == "history":
            text = f"职称参评人员或需补学人员填写：{target.year} 年度已认定的{u}。"
        elif target is not None:
            text = in_unit("本年度已取得的学时（上级科目的学时包含其下各子科目）。", u)
        elif header in cols.option_headers():
            text = "所选活动类型有此选项时必填，从下拉列表中选。"
        else:
            text = "选填：是 / 否。"
        lines.append([header, text])
    if layout == "activity":
        lines += [[], ["活动类型", "数量的单位", "计入科目", "选项", "折算标准"]]
        for conv in rs.conversions:
            choices = "、".join(rules.categories[c].name for c in cols.category_choices(conv))
            options = "；".join(
                f"{o.label}：{'、'.join(o.choices.values())}" if isinstance(o, ChoiceOption)
                else f"{o.label}：{o.min}—{o.max} 的整数" for o in conv.options)
            standard = "；".join(_standard(conv, r, u) for r in conv.rows) if conv.produces_hours else "只计天数"
            lines.append([conv.label, f"{conv.quantity.label}（{conv.quantity.counter_name}）", choices, options, standard])
    return lines


def _standard(conv, row, u: str) -> str:
    """每天：8 学时; 前20学时1学时，其后0.5学时; 每项最多8学时."""
    def rate(hours: float, per: float) -> str:
        return f"{hours:g} {u}" + (f"/每{per:g}{UNIT_NAMES[conv.quantity.unit]}" if per != 1 else "")

    text = f"{row.label or '每' + conv.quantity.counter_name}：{rate(row.hours, row.per)}"
    if row.then:
        text = f"{row.label + '：' if row.label else ''}前{row.up_to:g}{conv.quantity.counter_name}每{conv.quantity.counter_name}" \
            f"{rate(row.hours, row.per)}，" + "，".join(
                (f"至{t.up_to:g}{conv.quantity.counter_name}" if t.up_to else "其后") + rate(t.hours, t.per) for t in row.then)
    if row.max_hours is not None:
        text += f"，每项最多{row.max_hours:g}{u}"
    return text


def template_xlsx(rules: ResolvedRuleSet, layout: Layout) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = template_headers(rules) if layout == "person" else activity_headers(rules)
    book = Workbook()
    notes = book.active
    notes.title = "填表说明"
    for line in _instructions(rules, layout, headers):
        notes.append(line)
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 60
    for col in "CDE":
        notes.column_dimensions[col].width = 40

    table = book.create_sheet("人员学时" if layout == "person" else "活动明细")
    table.append(headers)
    for cell in table[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in _example_rows(rules, layout, headers):
        table.append(row)
    table.freeze_panes = "B2"
    for i, header in enumerate(headers, 1):
        table.column_dimensions[get_column_letter(i)].width = max(10, min(30, len(header) * 2 + 2))

    lists = book.create_sheet("下拉选项")
    lists.sheet_state = "hidden"
    for n, (header, values) in enumerate(_lists(rules, layout, headers).items(), 1):
        letter = get_column_letter(n)
        lists.cell(row=1, column=n, value=header)
        for r, value in enumerate(values, 2):
            lists.cell(row=r, column=n, value=value)
        target = get_column_letter(headers.index(header) + 1)
        rule = DataValidation(type="list", allow_blank=True, showErrorMessage=True, errorTitle="请从列表中选择",
                              error=f"“{header}”请从下拉列表中选择",
                              formula1=f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values) + 1}")
        rule.add(f"{target}2:{target}{LAST_ROW}")
        table.add_data_validation(rule)
    for option in (o for c in rules.rules.conversions for o in c.options if isinstance(o, IntegerOption)):
        if option.label in headers:
            target = get_column_letter(headers.index(option.label) + 1)
            rule = DataValidation(type="whole", operator="between", formula1=str(option.min), formula2=str(option.max),
                                  allow_blank=True, showErrorMessage=True, error=f"{option.label}须为 {option.min} 到 {option.max} 之间的整数")
            rule.add(f"{target}2:{target}{LAST_ROW}")
            table.add_data_validation(rule)
    book.active = 1  # opens on the table; the instructions sheet stays first
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(rules: ResolvedRuleSet, layout: Layout) -> bytes:
    headers = template_headers(rules) if layout == "person" else activity_headers(rules)
    return write_csv(headers, _example_rows(rules, layout, headers))
