"""The columns of a staff sheet and the case field each one feeds.

Everything that depends on a rule set's categories is derived here from the rule set
itself (names, ids, top-level = no `within`), never from fixed category ids, and the one
place that turns columns into case fields is `ColumnMap` (`target` for a header,
`history_entry` for an earlier year's hours). When the case model changes, this file
changes; the readers in batch.py do not.

Headers are forgiving: spaces, brackets and colons are ignored, and "公需学时",
"公需科目学时", "公需科目（学时）" all name the category 公需科目.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from ..engine.resolve import ResolvedRuleSet
from ..models.rules import ChoiceOption, Conversion, Question

# The person (both layouts).
NAME, STAFF_ID, UNIT, SPECIALTY, RULE_SET = "姓名", "工号", "工作单位", "申报专业", "规则集"
RETIREMENT, LEAVE_START, LEAVE_END = "法定退休日期", "病休孕产假开始日期", "病休孕产假结束日期"
DISABILITY, COVID, COVID_DESIGNATED, MAKEUP = "因残疾等不能按期培训", "疫情防控一线", "卫健部门确定的防控一线卫生人员", "确需补学"
TITLE_LEVEL, DEGREE, FIELD = "申报职称级别", "学历学位", "专业领域"
IN_POST = "到岗日期"
PERSON_COLUMNS = [NAME, STAFF_ID, UNIT, SPECIALTY, RULE_SET]
CIRCUMSTANCE_COLUMNS = [RETIREMENT, LEAVE_START, LEAVE_END, DISABILITY, COVID, COVID_DESIGNATED, MAKEUP,
                        TITLE_LEVEL, DEGREE, FIELD, IN_POST]
# One row per activity: these columns make a sheet that layout.
KIND, QUANTITY, CATEGORY, DATE, ACTIVITY_NAME = "活动类型", "数量", "计入科目", "日期", "活动名称"
ACTIVITY_COLUMNS = [KIND, QUANTITY, CATEGORY, DATE, ACTIVITY_NAME]
IGNORED = ("序号", "备注", "说明")

Layout = Literal["person", "activity"]

_NOISE = re.compile(r"[\s（）()：:【】\[\]]")
_SUFFIXES = ("科目", "课程", "课")
# Other words offices use for a category name (by name, not id: a rule set's own words).
_SYNONYMS = {"公需": ("公共",), "专业": ()}
# Not the bare 类型 or 活动: a per-person sheet may well have a column 人员类型 or 类型.
_KIND_ALIASES = {KIND: ("学习形式", "学习类型", "继续教育形式", "活动种类"), QUANTITY: ("数量（篇、项、次、学时）",),
                 CATEGORY: ("科目",), DATE: ("完成日期", "取得日期", "发表日期", "获奖日期"), ACTIVITY_NAME: ("名称", "项目名称", "内容")}
_HISTORY = re.compile(r"^(\d{4})年?(.+?)(?:学时|学分)?$")


@lru_cache(maxsize=4096)
def norm(header: str) -> str:
    return _NOISE.sub("", header)


def short_name(name: str) -> str:
    """公需科目 -> 公需: the word offices put in their headers."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


ACTIVITY_ALIASES: dict[str, str] = {norm(a): c for c, aliases in _KIND_ALIASES.items() for a in (c, *aliases)}
FIXED: set[str] = {norm(h) for h in PERSON_COLUMNS + CIRCUMSTANCE_COLUMNS + list(IGNORED)} | set(ACTIVITY_ALIASES)


def layout_of(headers: list[str]) -> Layout:
    return "activity" if any(ACTIVITY_ALIASES.get(norm(h)) == KIND for h in headers) else "person"


@dataclass(frozen=True)
class Target:
    """Where a column's number goes: this year's hours, or an earlier year's."""

    field: Literal["hours", "history"]
    category: str
    year: int | None = None


_MAPS: dict[int, "ColumnMap"] = {}


class ColumnMap:
    """A rule set's columns: categories, activity kinds, options, earlier years."""

    def __init__(self, rules: ResolvedRuleSet):
        self.rules = rules
        self._targets: dict[str, Target | None] = {}

    @classmethod
    def of(cls, rules: ResolvedRuleSet) -> "ColumnMap":
        """One map per resolved rule set (a batch asks for it once per person)."""
        found = _MAPS.get(id(rules))
        if found is None or found.rules is not rules:
            found = _MAPS[id(rules)] = cls(rules)
        return found

    @cached_property
    def categories(self) -> dict[str, str]:
        """norm(header) -> category id: names, short names, ids, each with or without 学时."""
        out: dict[str, str] = {}
        for cat in self.rules.rules.categories:
            short = short_name(cat.name)
            names = [cat.name, cat.id, short, *(s + suffix for s in _SYNONYMS.get(short, ()) for suffix in ("", "科目"))]
            if cat.within is not None and "必修" in cat.name:
                names += ["必修", "其中必修", "必修课"]
            for name in names:
                out.setdefault(norm(name), cat.id)
                out.setdefault(norm(name + "学时"), cat.id)
                out.setdefault(norm(name + "学分"), cat.id)  # a 学分 rule set's columns, or a sheet that says 学分
        return out

    @cached_property
    def questions(self) -> dict[str, Question]:
        """norm(header) -> the rule set's question: its label or its id names its column."""
        out: dict[str, Question] = {}
        for question in self.rules.rules.questions:
            for text in (question.label, question.id):
                out.setdefault(norm(text), question)
        return out

    def question_headers(self) -> list[str]:
        return [q.label for q in self.rules.rules.questions]

    @cached_property
    def top_level(self) -> list[str]:
        return [c.id for c in self.rules.rules.categories if c.within is None]

    def target(self, header: str) -> Target | None:
        """THE mapping from a column to a case field (None: not a category column)."""
        key = norm(header)
        if key not in self._targets:
            self._targets[key] = self._target(key)
        return self._targets[key]

    def _target(self, key: str) -> Target | None:
        category = self.categories.get(key)
        if category is not None:
            return Target("hours", category)
        match = _HISTORY.match(key)
        if match:
            category = self.categories.get(match.group(2))
            if category in self.top_level:
                return Target("history", category, int(match.group(1)))
        return None

    @staticmethod
    def history_entry(year: int, hours: dict[str, float]) -> dict[str, object]:
        """An earlier year's hours as the case model (xueshi.case/2) takes them: by category id."""
        return {"year": year, "hours": hours}

    def history_years(self) -> list[int]:
        """Earlier years a rule set looks at: title windows, catch-up, carry-over, the cycle."""
        rs = self.rules.rules
        return history_years(self.rules)

    def history_header(self, year: int, category: str) -> str:
        return f"{year}年{short_name(self.rules.categories[category].name)}"

    def hours_header(self, category: str) -> str:
        return f"{self.rules.categories[category].name}{self.rules.rules.unit_name}"

    # ------------------------------------------------------------ per-activity layout

    @cached_property
    def kinds(self) -> dict[str, str]:
        """norm(text) -> conversion id: its id, its label, without its last bracket, before its first."""
        out: dict[str, str] = {}
        for conv in self.rules.rules.conversions:
            bare = re.sub(r"[（(][^（）()]*[）)]$", "", conv.label)  # 获得专利授权（授权当年） -> 获得专利授权
            for text in (conv.id, conv.label, bare, re.split(r"[（(]", conv.label)[0]):
                out.setdefault(norm(text), conv.id)
        return out

    @cached_property
    def option_columns(self) -> dict[str, list[tuple[str, str]]]:
        """norm(option label or name) -> [(conversion id, option name)]."""
        out: dict[str, list[tuple[str, str]]] = {}
        for conv in self.rules.rules.conversions:
            for option in conv.options:
                for text in {option.label, option.name}:
                    out.setdefault(norm(text), []).append((conv.id, option.name))
        return out

    def option_headers(self) -> list[str]:
        """One column per option label, in the order the conversions declare them."""
        seen: list[str] = []
        for conv in self.rules.rules.conversions:
            for option in conv.options:
                if option.label not in seen:
                    seen.append(option.label)
        return seen

    @staticmethod
    def choice_value(option: ChoiceOption, text: str) -> str | None:
        """A choice by its Chinese label or its id."""
        key = norm(text)
        for choice_id, label in option.choices.items():
            if key in (norm(label), choice_id):
                return choice_id
        return None

    def category_choices(self, conv: Conversion) -> list[str]:
        return [conv.category] if conv.category else list(conv.category_choices or [])

    def knows(self, header: str) -> bool:
        key = norm(header)
        return key in FIXED or self.target(header) is not None or key in self.option_columns or key in self.questions


def history_years(rules: ResolvedRuleSet) -> list[int]:
    """Earlier years a title window (or catch-up, carry-over, cycle) of this rule set can look at."""
    year = rules.rules.last_year
    from ..engine.mechanisms.title import window_start

    firsts = [window_start(w, year) for w in rules.rules.title_windows]
    firsts += [min(m.target_years) if m.target_years else year - (m.years_back or 0) for m in rules.rules.makeup]
    firsts += [year - c.years_back for c in rules.rules.carry_over]
    firsts.append(rules.rules.year)
    return list(range(min(firsts), year))
