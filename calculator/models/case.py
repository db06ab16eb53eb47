"""A person's case: who they are, their circumstances, and what they did, in the units
people actually have (minutes online, days of training, papers, patents ...).

Structural checks live here (types, ranges, dates in order, no control characters in
names). Checks that need the rules (is this activity kind defined for this rule set?)
live in check.py, so that one bad activity does not hide the rest of the result.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .facts import FACT_NAMES

CASE_FORMAT = "xueshi.case/2"
CASE_FORMATS = ("xueshi.case/1", "xueshi.case/2")  # /1 is migrated on load (migrate.py)

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$", max_length=64)]


def _clean_text(value: str) -> str:
    """Reject control characters (they break exports and terminals); keep any script."""
    for ch in value:
        if unicodedata.category(ch) == "Cc" and ch not in "\t":
            raise ValueError("不能包含控制字符")
    return value


# Years a working life can have. The facts add months and days to these dates, so a date the
# model accepts must stay far from datetime's limits (9999-12-31 + 1 day raised ValueError).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _plausible_date(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"年份须在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间（填写的是 {value.year} 年）")
    return value


Date = Annotated[dt.date, AfterValidator(_plausible_date)]


class Strict(BaseModel):
    # defer_build: a model's validator is built when first used, not at import. Only the
    # top-level models are validated directly, so the page's worker builds a handful of
    # validators instead of one per class (about a tenth less Python start-up in Pyodide).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class DateRange(Strict):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> "DateRange":
        if self.end < self.start:
            raise ValueError("结束日期早于开始日期")
        return self


class Leave(DateRange):
    kind: Literal["sick", "maternity"]


class Posting(DateRange):
    """三援 (援藏/援疆/援外), 东西部扶贫协作 or another provincial-level special assignment."""

    kind: Literal["yuanzang", "yuanjiang", "yuanwai", "dongxi", "other_special"]
    assessment_passed: bool


class TitleApplication(Strict):
    level: Literal["zhenggao", "fugao", "zhongji", "chuji"]
    degree: Literal["doctor", "master", "bachelor", "other"] = "other"
    field: Literal["medical", "other"] = "other"


class Person(Strict):
    name: Annotated[str, Field(max_length=100)] | None = None
    retirement_date: Date | None = Field(
        default=None, description="法定退休日期（由本人或单位人事部门确认）"
    )
    leaves: list[Leave] = Field(default_factory=list, max_length=50)
    disability: bool = Field(default=False, description="因身体残疾等原因不能按期培训")
    postings: list[Posting] = Field(default_factory=list, max_length=20)
    covid_frontline: bool = Field(default=False, description="参与疫情防控一线工作")
    covid_frontline_designated: bool = Field(
        default=False, description="经卫生健康部门确定的疫情防控一线卫生专业技术人员"
    )
    title_application: TitleApplication | None = Field(
        default=None, description="本年度申报职称"
    )
    makeup_eligible: bool = Field(
        default=False, description="因机构改革由管理岗转专技岗等客观原因确需补学"
    )
    in_post_since: Date | None = Field(
        default=None, description="到岗日期（新进、调入、转岗人员填写）：按在岗月数折算要求的规则集用它"
    )
    answers: dict[Id, Union[Annotated[bool, Field(strict=True)], Id, Annotated[float, Field(allow_inf_nan=False)]]] = Field(
        default_factory=dict, max_length=30,
        description="对规则集 questions 的回答，按问题 id，例如 {title_held: zhongji}",
    )

    @field_validator("name")
    @classmethod
    def _name_clean(cls, value: str | None) -> str | None:
        return value if value is None else _clean_text(value)

    @field_validator("answers")
    @classmethod
    def _answers_are_not_facts(cls, value: dict) -> dict:
        clash = sorted(set(value) & FACT_NAMES)
        if clash:
            raise ValueError(f"answers 中的 {'、'.join(clash)} 是程序推导的情况，不能作为回答填写")
        return value


class Activity(Strict):
    kind: Id = Field(description="活动类型，即规则集中 conversions 的 id")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    quantity: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    category: Id | None = None
    options: dict[Id, Union[Annotated[int, Field(strict=True)], Id]] = Field(
        default_factory=dict, max_length=20
    )
    date: Date | None = None
    flags: list[Id] = Field(default_factory=list, max_length=20)

    @field_validator("name")
    @classmethod
    def _name_clean(cls, value: str) -> str:
        return _clean_text(value)


YearFigure = Annotated[float, Field(ge=0, le=8784, allow_inf_nan=False)]


class YearHours(Strict):
    """Hours already recognised for an earlier year (from the 认定单 or certificate),
    keyed by the rule set's own category ids."""

    year: int = Field(ge=1990, le=2100)
    hours: dict[Id, YearFigure] = Field(
        default_factory=dict, max_length=20, description="该年度已认定的学时，按科目 id，如 {public: 30, professional: 60}"
    )
    total: YearFigure | None = Field(
        default=None, description="该年度已认定的总学时；不填则为各顶层科目之和"
    )
    required: dict[Id, YearFigure] | None = Field(
        default=None, max_length=20,
        description="该年度本人适用的各科目要求（补学、结转时使用）；不填则按本规则集的年度要求",
    )


class Case(Strict):
    format: Literal["xueshi.case/2"] = CASE_FORMAT
    rule_set: Id | None = Field(default=None, description="规则集 id；或填写 jurisdiction/regime/year")
    jurisdiction: Id | None = None
    place: Id | None = Field(
        default=None,
        description="本人所在地（rules/places.json 中的代码，如 guangdong）；该地没有自己的规则集时，"
        "按最近的上级（省、国家）的规则计算，并在结果中注明",
    )
    regime: Literal["shiye", "zhuanji"] | None = None
    year: int | None = Field(
        default=None, ge=2000, le=2100, description="核查哪一年；周期规则集可填周期内任一年（不填为周期最后一年）"
    )
    person: Person = Field(default_factory=Person)
    activities: list[Activity] = Field(default_factory=list, max_length=2000)
    history: list[YearHours] = Field(default_factory=list, max_length=30)

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: object) -> object:
        from .migrate import migrate_case

        return migrate_case(data)

    @model_validator(mode="after")
    def _names_a_rule_set(self) -> "Case":
        if self.rule_set is None and None in (self.jurisdiction or self.place, self.regime, self.year):
            raise ValueError("须填写 rule_set，或同时填写 jurisdiction（或 place）、regime 和 year")
        years = [h.year for h in self.history]
        if len(years) != len(set(years)):
            raise ValueError("history 中年度重复")
        return self
