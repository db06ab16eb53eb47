"""Batch checking for HR departments: a staff sheet in, one result per person out.

Two layouts (batch_columns.layout_of tells them apart by the 活动类型 column):
- one row per person, hours per category (what HR exports from a training register);
- one row per activity (person, kind, quantity, options, date, category), rows of one
  person grouped by 工号 or else 姓名, each converted by the rule set's own conversions:
  papers, patents, awards and training days in batch, exactly as the calculator does.

Pure functions over a `sheets.Sheet`, so the same code runs from the CLI (also in
several processes) and in the browser. A bad cell is reported with its Excel row and
column and what is wrong; the other people are still computed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable

from pydantic import ValidationError

from ..engine.convert import check_activity
from ..engine.resolve import Catalog, ResolvedRuleSet
from ..engine.tolerant import run_case_tolerant
from ..engine.words import CANNOT_COMPUTE, basis_text, needs_check_group, needs_check_label
from ..models.case import Activity
from ..models.errors import problems_from
from ..models.result import Problem, RequirementLine, Result, TitleOut, TitleWindowOut
from ..models.rules import ChoiceOption
from .columns import (
    ACTIVITY_ALIASES,
    ACTIVITY_NAME,
    CATEGORY,
    CIRCUMSTANCE_COLUMNS,
    IN_POST,
    COVID,
    COVID_DESIGNATED,
    DATE,
    DEGREE,
    DISABILITY,
    FIELD,
    IGNORED,
    KIND,
    LEAVE_END,
    LEAVE_START,
    MAKEUP,
    NAME,
    PERSON_COLUMNS,
    QUANTITY,
    RETIREMENT,
    RULE_SET,
    SPECIALTY,
    STAFF_ID,
    TITLE_LEVEL,
    UNIT,
    ColumnMap,
    Layout,
    layout_of,
    norm,
)
from .sheets import Sheet

__all__ = [
    "BatchRow", "Summary", "evaluate_rows", "evaluate_sheet", "group_rows", "check_headers",
    "known_header", "evaluate_person", "left_out_count", "template_headers", "hours_kind", "case_for",
]

_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "无", "n", "no", "false", "0", ""}
_LEVELS = {"正高": "zhenggao", "正高级": "zhenggao", "副高": "fugao", "副高级": "fugao", "中级": "zhongji", "初级": "chuji"}
_DEGREES = {"博士": "doctor", "硕士": "master", "本科": "bachelor", "学士": "bachelor", "其他": "other"}
_FIELDS = {"医学": "medical", "医学类": "medical", "卫生": "medical", "其他": "other"}
_IGNORED = {norm(c) for c in IGNORED}
_EXAMPLE = re.compile(r"^[（(]?示例")  # the template's example rows: "（示例）张三"


def template_headers(rules: ResolvedRuleSet) -> list[str]:
    """One row per person: the columns of the CSV template."""
    cols = ColumnMap.of(rules)
    hours = [cols.hours_header(c.id) for c in rules.rules.categories]
    history = [cols.history_header(y, c) for y in cols.history_years() for c in cols.top_level]
    return PERSON_COLUMNS + hours + CIRCUMSTANCE_COLUMNS + cols.question_headers() + history


def activity_headers(rules: ResolvedRuleSet) -> list[str]:
    """One row per activity: person, kind, quantity, category, one column per option, date, name."""
    cols = ColumnMap.of(rules)
    return [NAME, STAFF_ID, UNIT, SPECIALTY, KIND, QUANTITY, CATEGORY, *cols.option_headers(), DATE, ACTIVITY_NAME,
            *CIRCUMSTANCE_COLUMNS, *cols.question_headers()]


def hours_kind(rules: ResolvedRuleSet, category: str) -> str | None:
    """The rule set's plain 'recorded hours' kind that accepts this category."""
    for conv in rules.rules.conversions:
        cats = [conv.category] if conv.category else list(conv.category_choices or [])
        plain = (
            conv.quantity.unit == "hour" and conv.produces_hours and not conv.options
            and len(conv.rows) == 1 and conv.rows[0].hours == 1 and conv.rows[0].per == 1
            and conv.rows[0].then is None and conv.rows[0].max_hours is None  # neither tiered nor capped
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
    basis: str = ""  # what the figures rest on (words.basis_text): shared by the people of one rule set

    @classmethod
    def of(cls, result: Result) -> "Summary":
        return cls(result.status, result.status_label, result.summary, result.requirements, result.title_window,
                   result.title, result.categories, basis_text(result.rule_set))


@dataclass
class BatchRow:
    row: int  # Excel row of the person (the first of their rows in the per-activity layout)
    name: str
    staff_id: str
    unit: str
    specialty: str
    rule_set: str
    result: Summary | None
    problems: list[Problem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # every Excel row of the person
    left_out: int = 0  # places left out of a computed result (0 when there is no result)

    @property
    def status_text(self) -> str:
        """The verdict as every table, export, the CLI and the page show it."""
        return needs_check_label(self.result.status_label, self.left_out) if self.result else CANNOT_COMPUTE

    @property
    def status_group(self) -> str:
        """The verdict as counted (未达标（需核对） 3 人)."""
        return needs_check_group(self.result.status_label, self.left_out) if self.result else CANNOT_COMPUTE

    @property
    def title_text(self) -> str:
        title = self.result.title if self.result else None
        return needs_check_label(title.status_label, self.left_out) if title else ""


# ---------------------------------------------------------------- reading cells


class _Cells:
    """The cells of one person (one row, or their activity rows merged) with their places.

    A person's field may be filled on any of their rows; two different values are an error."""

    def __init__(self, sheet: Sheet, indices: list[int], norm_headers: list[str], problems: list[Problem]):
        self.sheet = sheet
        # Columns whose unreadable cell refuses the person (see PERSON_FACT); the rule set's
        # question columns join them (case_for).
        self.person_facts = set(_PERSON_FACTS)
        self.rules: ResolvedRuleSet | None = None  # the rule set the person is checked by (case_for)
        self.row = sheet.row_numbers[indices[0]]
        self.values: dict[str, tuple[str, int, str]] = {}  # norm header -> (text, Excel row, column letter)
        self.index = {h: i for i, h in reversed(list(enumerate(norm_headers))) if h}
        self.problems = problems
        conflicts: list[tuple[str, int, str, int]] = []
        for i in indices:
            cells = sheet.rows[i]
            for col, key in enumerate(norm_headers):
                text = cells[col] if col < len(cells) else ""
                if not key or not text:
                    continue
                seen = self.values.get(key)
                if seen is None:
                    self.values[key] = (text, sheet.row_numbers[i], sheet.columns[col])
                elif seen[0] != text and key not in _PER_ROW:
                    conflicts.append((key, sheet.row_numbers[i], sheet.columns[col], seen[1]))
        for key, row, letter, first in conflicts:
            self.fail_at(row, letter, self.display(key), f"与第{first}行所填不同（同一人的各行须一致）")

    def display(self, key: str) -> str:
        i = self.index.get(key)
        return self.sheet.headers[i] if i is not None else key

    def text(self, column: str) -> str:
        found = self.values.get(norm(column))
        return found[0] if found else ""

    def problem_at(self, row: int, letter: str | None, shown: str, message: str) -> Problem:
        """A problem at one cell. The path's first part names the cell, so the left-out count
        (the result's own, see left_out_count) counts cells; a person fact's code refuses the person."""
        place = f"第{row}行{letter}列“{shown}”" if letter else f"第{row}行“{shown}”"
        path = f"第{row}行{letter}列.{shown}" if letter else f"第{row}行.{shown}"
        code = PERSON_FACT if norm(shown) in self.person_facts else "bad_cell"
        return Problem(path=path, code=code, message=f"{place}：{message}")

    def fail_at(self, row: int, letter: str | None, shown: str, message: str) -> None:
        self.problems.append(self.problem_at(row, letter, shown, message))

    def at(self, column: str, message: str) -> Problem:
        """A problem at this person's (or row's) cell of a column, not yet recorded."""
        key = norm(column)
        found = self.values.get(key)
        if found:
            return self.problem_at(found[1], found[2], self.display(key), message)
        i = self.index.get(key)
        return self.problem_at(self.row, self.sheet.columns[i] if i is not None else None, self.display(key), message)

    def fail(self, column: str, message: str) -> None:
        self.problems.append(self.at(column, message))

    def number(self, column: str, limit: float = 8784) -> Decimal | None:
        raw = self.text(column).replace(",", "")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(column, f"“{raw[:20]}”不是数字")
            return None
        if not value.is_finite() or value < 0 or value > limit:
            self.fail(column, f"{raw[:20]} 不在 0 到 {limit:g} 之间")
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


# Columns that differ from row to row of one person in the per-activity layout.
_PER_ROW = {norm(c) for c in ACTIVITY_ALIASES} | {norm(c) for c in IGNORED}

# What is left out and what refuses the person. Hours, earlier years' hours and activity rows
# only add hours: a figure without an unusable one is a lower bound (a 已达标 stays true, a
# shortfall is at most the one shown), so the rest is computed and the verdict marked 需核对.
# Who the person is and the facts that decide which requirement or exception applies to them
# (retirement, leave, disability, front-line duty, makeup, the title applied for) are different:
# without one the verdict may be wrong either way (未达标 where 视同完成 is right, or no title
# verdict at all), so an unreadable or contradictory one still gives no result: one cell to fix.
PERSON_FACT = "person_fact"
_PERSON_FACTS = {norm(c) for c in [NAME, RULE_SET, *CIRCUMSTANCE_COLUMNS]}
# The case's person-level places (tolerant.py may leave them out) and their columns.
_PERSON_PATHS = {"retirement_date": RETIREMENT, "leaves": LEAVE_END, "title_application": TITLE_LEVEL, "in_post_since": IN_POST,
                 "disability": DISABILITY, "covid_frontline": COVID, "covid_frontline_designated": COVID_DESIGNATED,
                 "makeup_eligible": MAKEUP, "name": NAME}


def _person(cells: _Cells) -> dict[str, Any]:
    person: dict[str, Any] = {"name": cells.text(NAME) or None}
    if (retire := cells.date(RETIREMENT)) is not None:
        person["retirement_date"] = retire
    start, end = cells.date(LEAVE_START), cells.date(LEAVE_END)
    if start and end:
        person["leaves"] = [{"kind": "sick", "start": start, "end": end}]
    elif start or end:
        cells.fail(LEAVE_START if not start else LEAVE_END, "病休孕产假的开始和结束日期须同时填写")
    person["disability"] = cells.yes(DISABILITY)
    person["covid_frontline"] = cells.yes(COVID)
    person["covid_frontline_designated"] = cells.yes(COVID_DESIGNATED)
    person["makeup_eligible"] = cells.yes(MAKEUP)
    level = cells.choice(TITLE_LEVEL, _LEVELS)
    if level:
        person["title_application"] = {
            "level": level,
            "degree": cells.choice(DEGREE, _DEGREES) or "other",
            "field": cells.choice(FIELD, _FIELDS) or "other",
        }
    if (since := cells.date(IN_POST)) is not None:
        person["in_post_since"] = since
    return person


def _answers(cells: _Cells, cols: ColumnMap) -> dict[str, Any]:
    """The person's answers to the rule set's questions, from the columns their labels name.
    They decide which requirement applies, so an unreadable one refuses the person."""
    answers: dict[str, Any] = {}
    for key, question in cols.questions.items():
        if question.id in answers or key not in cells.values:
            continue
        cells.person_facts.add(key)
        header = cells.display(key)
        raw = cells.text(header)
        if question.type == "choice":
            value = next((c for c, label in (question.choices or {}).items() if norm(raw) in (norm(label), c)), None)
            if value is None:
                cells.fail(header, f"“{raw[:20]}”只能是：{'、'.join((question.choices or {}).values())}")
                continue
            answers[question.id] = value
        elif question.type == "yes_no":
            answers[question.id] = cells.yes(header)
        else:
            number = cells.number(header, limit=question.max)
            if number is not None:
                answers[question.id] = float(number)
    return answers


def _hours(cells: _Cells, rules: ResolvedRuleSet,
           cols: ColumnMap) -> tuple[dict[str, Decimal], list[dict[str, Any]], dict[str, str]]:
    """This year's hours per category, earlier years' as case history entries, and the sheet's
    column of each category's hours (to place a problem at the cell the person filled)."""
    hours: dict[str, Decimal] = {}
    shown: dict[str, str] = {}
    history: dict[int, dict[str, float]] = {}
    for key, (_, _, _) in cells.values.items():
        target = cols.target(key)
        if target is None:
            continue
        value = cells.number(cells.display(key))
        if value is None:
            continue
        if target.field == "hours":
            hours[target.category] = hours.get(target.category, Decimal(0)) + value
            shown.setdefault(target.category, cells.display(key))
        elif target.year != rules.rules.last_year:
            history.setdefault(target.year or 0, {})[target.category] = float(value)
    # A parent's column includes its sub-categories: enter only the remainder as the parent.
    for cat in rules.rules.categories:
        if cat.within and cat.within in hours and cat.id in hours:
            rest = hours[cat.within] - hours[cat.id]
            if rest < 0:
                # Left out: the sub-category's figure (the parent's stays, all of it as the parent).
                u = rules.rules.unit_name
                cells.fail(shown[cat.id], f"{cat.name}{u}不能大于{rules.categories[cat.within].name}{u}")
                del hours[cat.id]
                continue
            hours[cat.within] = rest
    return hours, [cols.history_entry(y, h) for y, h in sorted(history.items())], shown


def _hour_activities(cells: _Cells, rules: ResolvedRuleSet, hours: dict[str, Decimal], shown: dict[str, str],
                     where: list[tuple[_Cells, dict[str, str], str]]) -> list[dict[str, Any]]:
    out = []
    for category, value in hours.items():
        if value <= 0:
            continue
        kind = hours_kind(rules, category)
        if kind is None:
            cells.fail(shown[category], f"本规则集没有可直接录入{rules.rules.unit_name}的活动类型")
            continue
        out.append({"kind": kind, "name": f"{rules.categories[category].name}（表格第{cells.row}行）",
                    "quantity": float(value), "category": category})
        where.append((cells, {}, shown[category]))
    return out


def _activity(sheet: Sheet, index: int, norm_headers: list[str], cols: ColumnMap,
              problems: list[Problem]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """One activity row -> activity data, and field -> column header (for the engine's problems)."""
    cells = _Cells(sheet, [index], norm_headers, problems)
    kind_text = cells.text(KIND)
    places: dict[str, str] = {"kind": KIND, "quantity": QUANTITY, "category": CATEGORY, "date": DATE}
    if not kind_text:
        if any(cells.text(c) for c in (QUANTITY, CATEGORY)):
            cells.fail(KIND, "请填写活动类型")
        return None, places
    kind = cols.kinds.get(norm(kind_text))
    if kind is None:
        known = "、".join(c.label for c in cols.rules.rules.conversions)
        cells.fail(KIND, f"本规则集没有“{kind_text[:30]}”这类活动；可选：{known}")
        return None, places
    conv = cols.rules.conversions[kind]
    quantity = cells.number(QUANTITY, limit=527040)
    if quantity is None:
        if not cells.text(QUANTITY):
            cells.fail(QUANTITY, f"请填写{conv.quantity.label}")
        return None, places
    if quantity == 0:
        return None, places
    data: dict[str, Any] = {"kind": kind, "quantity": float(quantity),
                            "name": cells.text(ACTIVITY_NAME) or f"{conv.label}（表格第{cells.row}行）"}
    category_text = cells.text(CATEGORY)
    if category_text:
        category = cols.categories.get(norm(category_text))
        if category is None:
            names = "、".join(cols.rules.categories[c].name for c in cols.category_choices(conv))
            cells.fail(CATEGORY, f"“{category_text[:20]}”不是本规则集的科目；可填：{names}")
            return None, places
        data["category"] = category
    elif conv.category:
        data["category"] = conv.category
    options: dict[str, Any] = {}
    for option in conv.options:
        header = next((cells.display(k) for k in (norm(option.label), norm(option.name)) if k in cells.values), option.label)
        places[f"options.{option.name}"] = header
        raw = cells.text(header)
        if not raw:
            continue  # check_activity names the missing option
        if isinstance(option, ChoiceOption):
            value = cols.choice_value(option, raw)
            if value is None:
                cells.fail(header, f"“{raw[:20]}”不是{option.label}的选项；可填：{'、'.join(option.choices.values())}")
                return None, places
            options[option.name] = value
        else:
            try:
                options[option.name] = int(Decimal(raw))
            except (InvalidOperation, ValueError):
                cells.fail(header, f"“{raw[:20]}”不是整数")
                return None, places
    data["options"] = options
    when = cells.date(DATE)
    if when is not None:
        data["date"] = when
    return data, places


def case_for(sheet: Sheet, indices: list[int], rules: ResolvedRuleSet, layout: Layout,
             problems: list[Problem], cells: "_Cells | None" = None,
             where: list[tuple[_Cells, dict[str, str], str]] | None = None) -> dict[str, Any]:
    """The case of one person (their row, or their activity rows); problems are appended.

    Unreadable cells are left out of the case, each with its problem. `where` receives, per
    activity of the case, its cells, field -> column and the column for the rest."""
    norm_headers = [norm(h) for h in sheet.headers]
    cols = ColumnMap.of(rules)
    cells = cells or _Cells(sheet, indices, norm_headers, problems)
    where = [] if where is None else where
    cells.rules = rules
    person = _person(cells)
    if answers := _answers(cells, cols):
        person["answers"] = answers
    hours, history, shown = _hours(cells, rules, cols)
    activities = _hour_activities(cells, rules, hours, shown, where)
    if layout == "activity":
        for i in indices:
            data, places = _activity(sheet, i, norm_headers, cols, problems)
            if data is None:
                continue
            # The engine's own checks (options, category, date in the year), placed at the cell.
            try:
                activity = Activity.model_validate(data)
            except ValidationError as error:
                for p in problems_from(error):
                    _Cells(sheet, [i], norm_headers, problems).fail(KIND, p.message)
                continue
            row_cells = _Cells(sheet, [i], norm_headers, problems)
            checked = check_activity(activity, 0, rules, rules.rules.years)
            for p in checked:
                field_name = p.path.split(".", 1)[1] if "." in p.path else "kind"
                row_cells.fail(places.get(field_name, KIND), p.message)
            if checked:
                continue  # left out here, its problems already at their cells
            activities.append(data)
            where.append((row_cells, places, KIND))
    return {"rule_set": rules.id, "person": person, "activities": activities, "history": history}


# ---------------------------------------------------------------- people


def _key(cells: list[str], name_col: int | None, id_col: int | None, rs_col: int | None) -> tuple[str, str]:
    pick = lambda col: cells[col] if col is not None and col < len(cells) else ""  # noqa: E731
    who = pick(id_col) or pick(name_col)
    return (pick(rs_col), who)


def group_rows(sheet: Sheet) -> tuple[Layout, list[list[int]], list[int]]:
    """The sheet's layout, its people as lists of row indices (first appearance order), and
    the Excel rows left out as the template's example rows."""
    layout = layout_of(sheet.headers)
    norm_headers = [norm(h) for h in sheet.headers]
    find = lambda name: norm_headers.index(norm(name)) if norm(name) in norm_headers else None  # noqa: E731
    name_col, id_col, rs_col = find(NAME), find(STAFF_ID), find(RULE_SET)
    examples: list[int] = []
    groups: list[list[int]] = []
    by_person: dict[tuple[str, str], int] = {}
    numbering = {i for i, h in enumerate(norm_headers) if h in _IGNORED}
    for i, cells in enumerate(sheet.rows):
        if name_col is not None and _EXAMPLE.match(cells[name_col]):
            examples.append(sheet.row_numbers[i])
            continue
        if all(j in numbering for j, c in enumerate(cells) if c):
            continue  # a template's pre-numbered empty line: only 序号 (or 备注) is filled
        key = _key(cells, name_col, id_col, rs_col)
        if layout == "activity" and key[1]:
            at = by_person.get(key)
            if at is not None:
                groups[at].append(i)
                continue
            by_person[key] = len(groups)
        groups.append([i])
    return layout, groups, examples


def left_out_count(problems: list[Problem]) -> int:
    """How many places were left out, counted as the result's summary counts them (evaluate.py):
    one per entry, and for cells read by batch.py one per cell."""
    return len({p.path.split(".")[0] for p in problems})


def _located(problem: Problem, cells: _Cells, where: list[tuple[_Cells, dict[str, str], str]]) -> Problem:
    """A problem of the case (activities[3].quantity, person.leaves[0].end) at its Excel cell."""
    m = re.match(r"^activities\[(\d+)\]\.?([\w.]*)", problem.path)
    if m and int(m.group(1)) < len(where):
        row_cells, places, rest = where[int(m.group(1))]
        return row_cells.at(places.get(m.group(2), rest), problem.message)
    m = re.match(r"^person\.answers\.(\w+)", problem.path)
    question = next((q for q in ColumnMap.of(cells.rules).rules.rules.questions if m and q.id == m.group(1)), None) \
        if m and cells.rules is not None else None
    if question is not None:
        located = cells.at(question.label, problem.message)
        return Problem(path=located.path, code=problem.code, message=located.message)
    m = re.match(r"^person\.(\w+)", problem.path)
    if m and m.group(1) in _PERSON_PATHS:
        return cells.at(_PERSON_PATHS[m.group(1)], problem.message)
    return Problem(path=f"第{cells.row}行", code=problem.code, message=f"第{cells.row}行：{problem.message}")


def evaluate_person(sheet: Sheet, indices: list[int], catalog: Catalog, default_rule_set: str | None,
                    layout: Layout) -> tuple[BatchRow, Result | None, dict[str, Any] | None]:
    """One person: their row, the full result (or None) and the case it was computed from.

    Unusable entries are left out through the same tolerance as the page and the CLI
    (tolerant.run_case_tolerant), each problem at its Excel row and column; see _PERSON_FACTS
    for what still refuses the person."""
    problems: list[Problem] = []
    norm_headers = [norm(h) for h in sheet.headers]
    cells = _Cells(sheet, indices, norm_headers, problems)
    rule_set = cells.text(RULE_SET) or default_rule_set or ""
    row = BatchRow(row=cells.row, name=cells.text(NAME), staff_id=cells.text(STAFF_ID), unit=cells.text(UNIT),
                   specialty=cells.text(SPECIALTY), rule_set=rule_set, result=None, problems=problems,
                   rows=[sheet.row_numbers[i] for i in indices])
    if not cells.text(NAME):
        cells.fail(NAME, "姓名不能为空")
    if rule_set not in catalog:
        cells.fail(RULE_SET, f"没有规则集“{rule_set}”" if rule_set else "未指定规则集（请在页面上选择，或在“规则集”列填写）")
        return row, None, None
    where: list[tuple[_Cells, dict[str, str], str]] = []
    data = case_for(sheet, indices, catalog.resolve(rule_set), layout, problems, cells, where)
    if any(p.code == PERSON_FACT for p in problems):
        return row, None, data
    if problems and not data["activities"] and not data["history"]:
        return row, None, data  # nothing of theirs could be read: a 0 would be a guess, not a lower bound
    outcome = run_case_tolerant(data, catalog, known=list(problems))
    located = [p if any(p is q for q in problems) else _located(p, cells, where) for p in outcome.problems]
    row.problems = located
    if outcome.result is None or any(k.startswith("person") for k in outcome.dropped):
        return row, None, data
    row.result, row.left_out = Summary.of(outcome.result), left_out_count(outcome.problems)
    return row, outcome.result, data


def evaluate_sheet(sheet: Sheet, groups: Iterable[list[int]], catalog: Catalog, default_rule_set: str | None,
                   layout: Layout | None = None) -> list[BatchRow]:
    layout = layout or layout_of(sheet.headers)
    return [evaluate_person(sheet, indices, catalog, default_rule_set, layout)[0] for indices in groups]


def evaluate_rows(headers: list[str], rows: list[list[str]], catalog: Catalog, default_rule_set: str | None,
                  first_row: int = 2) -> list[BatchRow]:
    """Rows of a tidy table (header in row first_row - 1, no gaps): for callers that have no Sheet."""
    sheet = Sheet(headers=headers, rows=rows, encoding="", header_row=first_row - 1)
    layout, groups, _ = group_rows(sheet)
    return evaluate_sheet(sheet, groups, catalog, default_rule_set, layout)


# ---------------------------------------------------------------- headers


def known_header(catalog: Catalog, rule_set_ids: Iterable[str]) -> Callable[[str], bool]:
    """Which header texts name a column of any of these rule sets (for finding the header row)."""
    maps = [ColumnMap.of(catalog.resolve(rid)) for rid in rule_set_ids if rid in catalog]
    cache: dict[str, bool] = {}

    def known(header: str) -> bool:
        if header not in cache:
            cache[header] = len(header) <= 40 and any(m.knows(header) for m in maps)
        return cache[header]

    return known


def check_headers(headers: list[str], catalog: Catalog, rule_set_ids: Iterable[str]) -> list[str]:
    """Columns nobody will read: a typo in a header should not silently drop hours."""
    known = known_header(catalog, rule_set_ids)
    return [h for h in headers if h and not known(h)]
