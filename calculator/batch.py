"""Batch checking for HR departments: one spreadsheet row per person, one result row each.

Pure functions over rows of text (see sheets.py for files), so the same code runs from
the CLI and in the browser. A bad row is reported with its row number, column and what
is wrong; the other rows are still computed.

Columns are Chinese and forgiving: "公需学时", "公需科目学时" and "公共科目学时" all mean
the public category. A parent category's column is its total, sub-categories included
(HR exports say "公需 30，其中必修 24").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from pydantic import ValidationError

from .case_model import Case
from .errors import problems_from
from .evaluate import evaluate
from .resolve import Catalog, ResolvedRuleSet
from .result_model import Problem, RequirementLine, Result, TitleOut, TitleWindowOut

NAME, STAFF_ID, UNIT, SPECIALTY, RULE_SET = "姓名", "工号", "工作单位", "申报专业", "规则集"
RETIREMENT, LEAVE_START, LEAVE_END = "法定退休日期", "病休孕产假开始日期", "病休孕产假结束日期"
DISABILITY, COVID, COVID_DESIGNATED, MAKEUP = "因残疾等不能按期培训", "疫情防控一线", "卫健部门确定的防控一线卫生人员", "确需补学"
TITLE_LEVEL, DEGREE, FIELD = "申报职称级别", "学历学位", "专业领域"

PERSON_COLUMNS = [NAME, STAFF_ID, UNIT, SPECIALTY, RULE_SET]
CIRCUMSTANCE_COLUMNS = [RETIREMENT, LEAVE_START, LEAVE_END, DISABILITY, COVID, COVID_DESIGNATED, MAKEUP,
                        TITLE_LEVEL, DEGREE, FIELD]

_TOP_ALIASES = {
    "public": ("公需", "公需科目", "公共科目", "公共", "公需课"),
    "professional": ("专业", "专业科目", "专业课"),
}
_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "无", "n", "no", "false", "0", ""}
_LEVELS = {"正高": "zhenggao", "正高级": "zhenggao", "副高": "fugao", "副高级": "fugao", "中级": "zhongji"}
_DEGREES = {"博士": "doctor", "硕士": "master", "本科": "bachelor", "学士": "bachelor", "其他": "other"}
_FIELDS = {"医学": "medical", "医学类": "medical", "卫生": "medical", "其他": "other"}
_HISTORY = re.compile(r"^(\d{4})年?(.+)$")


_NOISE = re.compile(r"[\s（）()：:]")


def _norm(header: str) -> str:
    return _NOISE.sub("", header)


def category_columns(rules: ResolvedRuleSet) -> dict[str, str]:
    """Column header -> category id, for one rule set (names, ids and common aliases)."""
    out: dict[str, str] = {}
    for cat in rules.rules.categories:
        for name in (cat.name, cat.id):
            out[_norm(name)] = cat.id
            out[_norm(name + "学时")] = cat.id
        for alias in _TOP_ALIASES.get(cat.id, ()):
            out[_norm(alias)] = cat.id
            out[_norm(alias + "学时")] = cat.id
        if cat.within is not None and "必修" in cat.name:
            for alias in ("必修", "必修学时", "其中必修", "其中必修学时", "必修课学时"):
                out[_norm(alias)] = cat.id
    return out


def history_years(rules: ResolvedRuleSet) -> list[int]:
    """Earlier years a title window (or catch-up, carry-over, cycle) of this rule set can look at."""
    year = rules.rules.last_year
    firsts = [w.start_year if w.start_year is not None else year - (w.years or 1) + 1 for w in rules.rules.title_windows]
    firsts += [min(m.target_years) if m.target_years else year - (m.years_back or 0) for m in rules.rules.makeup]
    firsts += [year - c.years_back for c in rules.rules.carry_over]
    firsts.append(rules.rules.year)
    return list(range(min(firsts), year))


def template_headers(rules: ResolvedRuleSet) -> list[str]:
    hours = [f"{c.name}学时" for c in rules.rules.categories]
    extra = [f"{year}年{rules.label(c)}" for year in history_years(rules) for c in rules.top_categories]
    return PERSON_COLUMNS + hours + CIRCUMSTANCE_COLUMNS + extra


def hours_kind(rules: ResolvedRuleSet, category: str) -> str | None:
    """The rule set's plain 'recorded hours' kind that accepts this category."""
    for conv in rules.rules.conversions:
        cats = [conv.category] if conv.category else list(conv.category_choices or [])
        plain = (
            conv.quantity.unit == "hour" and conv.produces_hours and not conv.options
            and len(conv.rows) == 1 and conv.rows[0].hours == 1 and conv.rows[0].per == 1
        )
        if plain and category in cats:
            return conv.id
    return None


@dataclass(slots=True)
class Summary:
    """What a batch keeps of a result: enough for the tables, not the whole trace (100,000 rows)."""

    status: str
    status_label: str
    summary: str
    requirements: list[RequirementLine]
    title_window: TitleWindowOut | None
    title: TitleOut | None = None
    categories: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, result: Result) -> "Summary":
        return cls(result.status, result.status_label, result.summary, result.requirements, result.title_window,
                   result.title, result.categories)


@dataclass
class BatchRow:
    row: int  # the spreadsheet's own row number (header is row 1)
    name: str
    staff_id: str
    unit: str
    specialty: str
    rule_set: str
    result: Summary | None
    problems: list[Problem] = field(default_factory=list)


class _RowReader:
    def __init__(self, norm_headers: list[str], display: dict[str, str], values: list[str], row: int):
        self.cells = dict(zip(norm_headers, values))
        self.display = display
        self.row = row
        self.problems: list[Problem] = []

    def text(self, column: str) -> str:
        value = self.cells.get(column)  # our own column names need no normalising
        if value is None:
            value = self.cells.get(_norm(column), "")
        return value.strip()

    def fail(self, column: str, message: str) -> None:
        shown = self.display.get(_norm(column), column)
        self.problems.append(Problem(path=f"第{self.row}行.{shown}", code="bad_cell", message=f"第{self.row}行“{shown}”列：{message}"))

    def number(self, column: str) -> Decimal | None:
        raw = self.text(column).replace(",", "")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(column, f"“{raw[:20]}”不是数字")
            return None
        if not value.is_finite() or value < 0 or value > 8784:
            self.fail(column, f"{raw[:20]} 不在 0 到 8784（一年的小时数）之间")
            return None
        return value

    def date(self, column: str) -> dt.date | None:
        raw = self.text(column)
        if not raw:
            return None
        cleaned = re.sub(r"[年月/.]", "-", raw).rstrip("日").split(" ")[0]
        try:
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in cleaned.split("-")))
        except ValueError:
            self.fail(column, f"“{raw[:20]}”不是日期（应为 2023-06-30）")
            return None

    def yes(self, column: str) -> bool:
        raw = self.text(column).lower()
        if raw in _YES:
            return True
        if raw not in _NO:
            self.fail(column, f"“{raw[:20]}”应填“是”或“否”")
        return False

    def choice(self, column: str, mapping: dict[str, str]) -> str | None:
        raw = self.text(column)
        if not raw:
            return None
        if raw in mapping:
            return mapping[raw]
        self.fail(column, f"“{raw[:20]}”只能是：{'、'.join(mapping)}")
        return None


def _row_case(reader: _RowReader, rules: ResolvedRuleSet, columns: dict[str, str]) -> dict[str, Any]:
    hours: dict[str, Decimal] = {}
    for norm_header, raw in reader.cells.items():
        category = columns.get(norm_header)
        if category is not None:
            value = reader.number(reader.display[norm_header])
            if value is not None:
                hours[category] = hours.get(category, Decimal(0)) + value
    # A parent's column includes its sub-categories: enter only the remainder as the parent.
    for cat in rules.rules.categories:
        if cat.within and cat.within in hours and cat.id in hours:
            rest = hours[cat.within] - hours[cat.id]
            if rest < 0:
                reader.fail(f"{cat.name}学时", f"{cat.name}学时不能大于{rules.categories[cat.within].name}学时")
                rest = Decimal(0)
            hours[cat.within] = rest
    activities = []
    for category, value in hours.items():
        if value <= 0:
            continue
        kind = hours_kind(rules, category)
        if kind is None:
            reader.fail(f"{rules.categories[category].name}学时", "本规则集没有可直接录入学时的活动类型")
            continue
        activities.append({"kind": kind, "name": f"{rules.categories[category].name}（表格第{reader.row}行）",
                           "quantity": float(value), "category": category})
    person: dict[str, Any] = {"name": reader.text(NAME) or None}
    if (retire := reader.date(RETIREMENT)) is not None:
        person["retirement_date"] = retire
    start, end = reader.date(LEAVE_START), reader.date(LEAVE_END)
    if start and end:
        person["leaves"] = [{"kind": "sick", "start": start, "end": end}]
    elif start or end:
        reader.fail(LEAVE_START if not start else LEAVE_END, "病休孕产假的开始和结束日期须同时填写")
    person["disability"] = reader.yes(DISABILITY)
    person["covid_frontline"] = reader.yes(COVID)
    person["covid_frontline_designated"] = reader.yes(COVID_DESIGNATED)
    person["makeup_eligible"] = reader.yes(MAKEUP)
    level = reader.choice(TITLE_LEVEL, _LEVELS)
    if level:
        person["title_application"] = {
            "level": level,
            "degree": reader.choice(DEGREE, _DEGREES) or "other",
            "field": reader.choice(FIELD, _FIELDS) or "other",
        }
    history: dict[int, dict[str, float]] = {}
    for norm_header in reader.cells:
        match = _HISTORY.match(norm_header)
        category = columns.get(match.group(2)) if match else None
        if match and category is not None:
            value = reader.number(reader.display[norm_header])
            if value is not None:
                history.setdefault(int(match.group(1)), {})[category] = float(value)
    return {
        "rule_set": rules.id,
        "person": person,
        "activities": activities,
        "history": [{"year": y, "hours": h} for y, h in sorted(history.items()) if y != rules.rules.last_year],
    }


def check_headers(headers: list[str], catalog: Catalog, rule_set_ids: Iterable[str]) -> list[str]:
    """Columns nobody will read: a typo in a header should not silently drop hours."""
    known = {_norm(h) for h in PERSON_COLUMNS + CIRCUMSTANCE_COLUMNS}
    for rid in rule_set_ids:
        known |= set(category_columns(catalog.resolve(rid)))
    def history_column(h: str) -> bool:
        match = _HISTORY.match(_norm(h))
        return bool(match and match.group(2) in known)

    return [h for h in headers if h and _norm(h) not in known and not history_column(h) and _norm(h) not in ("序号", "备注")]


def evaluate_rows(
    headers: list[str], rows: list[list[str]], catalog: Catalog, default_rule_set: str | None, first_row: int = 2
) -> list[BatchRow]:
    out: list[BatchRow] = []
    columns_cache: dict[str, dict[str, str]] = {}
    norm_headers = [_norm(h) for h in headers]
    display = dict(zip(norm_headers, headers))
    for offset, values in enumerate(rows):
        reader = _RowReader(norm_headers, display, values, first_row + offset)
        rule_set = reader.text(RULE_SET) or default_rule_set or ""
        base = dict(row=reader.row, name=reader.text(NAME), staff_id=reader.text(STAFF_ID),
                    unit=reader.text(UNIT), specialty=reader.text(SPECIALTY), rule_set=rule_set)
        if not reader.text(NAME):
            reader.fail(NAME, "姓名不能为空")
        if rule_set not in catalog:
            reader.fail(RULE_SET, f"没有规则集“{rule_set}”" if rule_set else "未指定规则集（请在页面上选择，或在“规则集”列填写）")
            out.append(BatchRow(**base, result=None, problems=reader.problems))
            continue
        rules = catalog.resolve(rule_set)
        if rule_set not in columns_cache:
            columns_cache[rule_set] = category_columns(rules)
        data = _row_case(reader, rules, columns_cache[rule_set])
        if reader.problems:
            # A figure computed from a half-read row would mislead: ask for the fix instead.
            out.append(BatchRow(**base, result=None, problems=reader.problems))
            continue
        try:
            case = Case.model_validate(data)
        except ValidationError as error:
            reader.problems += [
                Problem(path=f"第{reader.row}行.{p.path}", code=p.code, message=f"第{reader.row}行：{p.message}")
                for p in problems_from(error)
            ]
            out.append(BatchRow(**base, result=None, problems=reader.problems))
            continue
        result = evaluate(case, rules)
        out.append(BatchRow(**base, result=Summary.of(result), problems=reader.problems + list(result.problems)))
    return out


def _n(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def result_table(rows: list[BatchRow]) -> tuple[list[str], list[list[object]]]:
    """One line per person: status, and required / earned / shortfall per requirement."""
    labels: list[str] = []
    for r in rows:
        for line in r.result.requirements if r.result else []:
            if line.label not in labels:
                labels.append(line.label)
    titles = any(r.result and r.result.title for r in rows)
    headers = ["行号", NAME, STAFF_ID, UNIT, RULE_SET, "结论"] + (["职称申报"] if titles else [])
    for label in labels:
        headers += [f"{label}要求", f"{label}已取得", f"{label}尚差"]
    headers += ["说明", "输入问题"]
    table: list[list[object]] = []
    for r in rows:
        by_label = {line.label: line for line in r.result.requirements} if r.result else {}
        line_out: list[object] = [r.row, r.name, r.staff_id, r.unit, r.rule_set,
                                  r.result.status_label if r.result else "无法计算"]
        if titles:
            line_out.append(r.result.title.status_label if r.result and r.result.title else "")
        for label in labels:
            line = by_label.get(label)
            line_out += [_n(line.required), _n(line.earned), _n(line.shortfall)] if line else [None, None, None]
        line_out += [r.result.summary if r.result else "", "；".join(p.message for p in r.problems)]
        table.append(line_out)
    return headers, table


def title_summary_table(rows: list[BatchRow]) -> tuple[list[str], list[list[object]]]:
    """X20-12 attachment 2: per title applicant, each top category and the total for each window year,
    and the title application's own verdict (the same words as the main table)."""
    applicants = [r for r in rows if r.result and r.result.title_window]
    years = sorted({y.year for r in applicants for y in r.result.title_window.years})  # type: ignore[union-attr]
    categories: dict[str, str] = {}
    for r in applicants:
        for y in r.result.title_window.years:  # type: ignore[union-attr]
            for cat in y.required:
                categories.setdefault(cat, r.result.categories.get(cat, cat))  # type: ignore[union-attr]
    headers = ["序号", UNIT, NAME, SPECIALTY]
    for year in years:
        headers += [f"{year}年{name}" for name in categories.values()] + [f"{year}年总学时"]
    headers += ["认定年度", "各年度是否均达标", "职称申报"]
    table: list[list[object]] = []
    for index, r in enumerate(applicants, 1):
        window = r.result.title_window  # type: ignore[union-attr]
        by_year = {y.year: y for y in window.years}
        line: list[object] = [index, r.unit, r.name, r.specialty]
        for year in years:
            y = by_year.get(year)
            if y is None or y.hours is None:
                line += [None] * (len(categories) + 1)
            else:
                line += [_n(y.hours.get(cat)) for cat in categories] + [_n(y.total)]
        title = r.result.title  # type: ignore[union-attr]
        line += [f"{window.start_year}—{window.end_year}", "是" if window.all_met else "否",
                 title.status_label if title else ""]
        table.append(line)
    return headers, table
