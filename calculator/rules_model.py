"""The rule-file model: what a policy office writes, validated by pydantic.

One rule set = one jurisdiction, one regime, one year. Every entry that carries a
number carries a `citation` (document, section, verbatim quote); where the source is
silent or ambiguous it also carries an `interpretation`. A missing citation is a
validation error, not a lint warning.

Every list is keyed by `id`, so that a child rule set (a city over its province, a unit
over its city) can replace, add or remove single entries by name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from .facts import FactName

RULE_FORMAT = "xueshi.rules/1"

_CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]"


def _join_cjk(text: str) -> str:
    """YAML folding (`>-`) puts a space where a Chinese line was broken; take it out."""
    return re.sub(rf"(?<={_CJK})\s+(?={_CJK})", "", text)


Prose = Annotated[str, AfterValidator(_join_cjk)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$", max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_join_cjk)]
Hours = Annotated[float, Field(gt=0, le=10000)]


class Strict(BaseModel):
    # defer_build: a model's validator is built when first used, not at import. Only the
    # top-level models are validated directly, so the page's worker builds a handful of
    # validators instead of one per class (about a tenth less Python start-up in Pyodide).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Citation(Strict):
    """Where a number comes from: a source document, its section, and its own words."""

    source: Id = Field(description="`sources` 中文件条目的 id")
    section: Text = Field(description="条款位置，例如“二、培训内容和学时要求”")
    quote: Annotated[str, Field(min_length=4, max_length=2000)] = Field(
        description="原文逐字摘录（校验时与原文比对，忽略空白）"
    )


class Cited(Strict):
    """Base of every rule entry: an id, a citation, and an optional interpretation."""

    id: Id
    citation: Citation
    interpretation: Prose | None = Field(
        default=None,
        description="原文未明确或有歧义时，本工具采用的理解及理由",
    )


# ---------------------------------------------------------------- identity

Regime = Literal["shiye", "zhuanji"]
REGIME_NAMES: dict[str, str] = {
    "shiye": "事业单位工作人员培训",
    "zhuanji": "专业技术人员继续教育",
}

JurisdictionLevel = Literal["national", "province", "prefecture", "city", "unit"]
LEVEL_NAMES: dict[str, str] = {
    "national": "国家",
    "province": "省",
    "prefecture": "市州",
    "city": "市",
    "unit": "单位",
}


class Jurisdiction(Strict):
    code: Id = Field(description="辖区代码，例如 hunan、hunan-xiangxi")
    name: Text = Field(description="中文名称，例如 湖南省")
    level: JurisdictionLevel
    parent: Id | None = Field(default=None, description="上级辖区代码")


class SourceDocument(Strict):
    id: Id
    number: Text = Field(description="文号，例如 湘人社函〔2021〕61号")
    title: Text
    issuer: Text
    date: dt.date
    text_file: str | None = Field(
        default=None, description="rules/sources/ 下保存的原文文本文件名，用于逐字核对引文"
    )
    note: Prose | None = None


class NotEncoded(Strict):
    """A document the sources refer to but that is not among them: named, not guessed."""

    id: Id
    number: Text
    title: Text
    why: Text
    citation: Citation


class Note(Cited):
    """Context a reader should know that the calculator does not compute."""

    title: Text
    text: Text


# ---------------------------------------------------------------- categories and requirements


class Category(Cited):
    name: Text = Field(description="中文名称，例如 公需科目")
    within: Id | None = Field(default=None, description="上级科目 id（如 必修课 属于 公需科目）")


class Alternative(Strict):
    """Another way to meet a requirement, in a unit other than hours (Hunan: 12 days)."""

    amount: Hours
    unit: Literal["day"]
    counted_from: list[Id] = Field(min_length=1, description="计入此替代标准的活动类型 id")
    citation: Citation
    interpretation: Prose | None = None


class Requirement(Cited):
    label: Text
    category: Id | None = Field(default=None, description="科目 id；不填表示年度总学时")
    hours: Hours
    alternative: Alternative | None = None


class Deadline(Cited):
    label: Text
    date: dt.date
    applies_when: "Condition | None" = Field(
        default=None, description="适用条件；不填表示适用于所有人"
    )


# ---------------------------------------------------------------- conditions over facts


class Condition(Strict):
    """A test on a fact the engine derives from the person's case (see facts.py)."""

    fact: FactName | None = None
    op: Literal["is_true", "is_false", ">=", ">", "<=", "<"] | None = None
    value: float | None = None
    any: list["Condition"] | None = None
    all: list["Condition"] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "Condition":
        forms = [self.fact is not None, self.any is not None, self.all is not None]
        if sum(forms) != 1:
            raise ValueError("条件须且只能是 fact/op、any 或 all 之一")
        if self.fact is not None:
            if self.op is None:
                raise ValueError("fact 条件缺少 op")
            if self.op in (">=", ">", "<=", "<") and self.value is None:
                raise ValueError(f"比较运算 {self.op} 缺少 value")
        return self


# ---------------------------------------------------------------- conversions

QuantityUnit = Literal["hour", "minute", "day", "session", "item"]
UNIT_NAMES: dict[str, str] = {
    "hour": "学时",
    "minute": "分钟",
    "day": "天",
    "session": "次",
    "item": "项",
}


class IntRange(Strict):
    min: int | None = None
    max: int | None = None


class ChoiceOption(Strict):
    """A question the person answers about an activity (author order, award level ...)."""

    name: Id
    label: Text
    type: Literal["choice"] = "choice"
    choices: dict[Id, Text] = Field(min_length=1)


class IntegerOption(Strict):
    name: Id
    label: Text
    type: Literal["integer"]
    min: int = 1
    max: int = 1000


def _option_type(value: object) -> str:
    # `type` may be left out for the common case, a list of choices.
    if isinstance(value, dict):
        return str(value.get("type", "choice"))
    return str(getattr(value, "type", "choice"))


Option = Annotated[
    Union[Annotated[ChoiceOption, Tag("choice")], Annotated[IntegerOption, Tag("integer")]],
    Discriminator(_option_type),
]


class ConversionRow(Strict):
    """`hours` for every full `per` of quantity, when the options match `when`."""

    when: dict[Id, Union[Id, IntRange]] = Field(default_factory=dict)
    label: str | None = None
    hours: Annotated[float, Field(ge=0, le=10000)]
    per: Annotated[float, Field(gt=0)] = 1


class Quantity(Strict):
    unit: QuantityUnit
    label: Text = Field(description="输入框标题，例如“学习分钟数”")
    counter: Annotated[str, Field(min_length=1, max_length=4)] | None = Field(
        default=None, description="量词，例如 篇、部、门；不填则按单位显示"
    )

    @property
    def counter_name(self) -> str:
        return self.counter or UNIT_NAMES[self.unit]


class Conversion(Cited):
    """How one kind of activity turns into hours."""

    label: Text
    description: Prose | None = None
    quantity: Quantity
    options: list[Option] = Field(default_factory=list)
    category: Id | None = Field(default=None, description="固定计入的科目")
    category_choices: list[Id] | None = Field(
        default=None, description="由本人选择计入的科目"
    )
    rows: list[ConversionRow] = Field(default_factory=list)
    produces_hours: bool = Field(
        default=True, description="false 表示只计数量（如天数）而不折算学时"
    )
    rounding: Literal["none", "floor"] = Field(
        default="none", description="floor：不足一个 per 的部分不计"
    )
    fee_applies: bool = Field(default=False, description="按学时收费的平台课程")
    evidence: list[Text] = Field(default_factory=list, description="需保存的证明材料")
    evidence_citation: Citation | None = None

    @model_validator(mode="after")
    def _shape(self) -> "Conversion":
        if (self.category is None) == (self.category_choices is None):
            raise ValueError("category 与 category_choices 须且只能填写一个")
        if self.produces_hours and not self.rows:
            raise ValueError("produces_hours 为 true 时至少需要一行 rows")
        if self.evidence and self.evidence_citation is None:
            raise ValueError("列出 evidence 时须给出 evidence_citation")
        names = {o.name for o in self.options}
        for row in self.rows:
            unknown = set(row.when) - names
            if unknown:
                raise ValueError(f"rows.when 引用了未定义的选项：{sorted(unknown)}")
        return self


# ---------------------------------------------------------------- exceptions and exclusions


class YearException(Cited):
    """A labelled exception to the year's requirement (Catala-style)."""

    label: Text
    effect: Literal["deemed_complete", "exemption_available", "provisional"]
    categories: list[Id] | None = Field(
        default=None, description="provisional 适用的科目；不填表示全部"
    )
    when: Condition
    evidence: list[Text] = Field(default_factory=list)


class Exclusion(Cited):
    """An activity that never counts, or cannot count until a condition is met."""

    label: Text
    question: Text = Field(description="在活动表单中向本人提出的勾选问题")
    effect: Literal["never_counts", "not_verifiable"]
    kinds: list[Id] | None = Field(default=None, description="适用的活动类型；不填表示全部")


# ---------------------------------------------------------------- multi-year rules


class TitleMatch(Strict):
    levels: list[Literal["zhenggao", "fugao", "zhongji"]] = Field(min_length=1)
    degrees: list[Literal["doctor", "master", "bachelor", "other"]] | None = None
    fields: list[Literal["medical", "other"]] | None = None


class TitleWindow(Cited):
    label: Text
    match: TitleMatch
    start_year: int = Field(ge=1990, le=2100)


class Makeup(Cited):
    label: Text
    when: Condition
    target_years: list[int] = Field(min_length=1)
    counted_from: list[Id] | None = Field(
        default=None, description="只有这些活动类型的学时可作为多学部分分配；不填表示全部"
    )


# ---------------------------------------------------------------- money


class FeeRate(Cited):
    kind: Literal["rate"]
    category: Id
    yuan_per_hour: Annotated[float, Field(ge=0, le=10000)]


class FreeHours(Cited):
    kind: Literal["free_hours"]
    category: Id
    hours: Hours


class ReimbursementLimit(Cited):
    kind: Literal["reimbursement_limit"]
    yuan: Annotated[float, Field(ge=0, le=1_000_000)]


Fee = Annotated[Union[FeeRate, FreeHours, ReimbursementLimit], Field(discriminator="kind")]


# ---------------------------------------------------------------- the rule set

SECTIONS: tuple[str, ...] = (
    "sources",
    "not_encoded",
    "notes",
    "categories",
    "requirements",
    "deadlines",
    "conversions",
    "exceptions",
    "exclusions",
    "title_windows",
    "makeup",
    "fees",
)


class Removal(Strict):
    section: Literal[
        "notes", "categories", "requirements", "deadlines", "conversions",
        "exceptions", "exclusions", "title_windows", "makeup", "fees",
    ]
    id: Id
    citation: Citation


class RuleSet(Strict):
    """One rule file. A child (`extends`) lists only what it adds, replaces or removes."""

    format: Literal["xueshi.rules/1"] = RULE_FORMAT
    id: Id
    title: Text
    jurisdiction: Jurisdiction
    regime: Regime
    year: int = Field(ge=2000, le=2100)
    extends: Id | None = Field(default=None, description="父规则集 id")
    last_checked: dt.date = Field(description="最近一次与原文核对的日期")
    summary: Prose | None = None
    sources: list[SourceDocument] = Field(
        default_factory=list, description="来源文件；子规则集可直接引用父规则集的来源"
    )
    not_encoded: list[NotEncoded] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    conversions: list[Conversion] = Field(default_factory=list)
    exceptions: list[YearException] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    title_windows: list[TitleWindow] = Field(default_factory=list)
    makeup: list[Makeup] = Field(default_factory=list)
    fees: list[Fee] = Field(default_factory=list)
    remove: list[Removal] = Field(default_factory=list)

    @field_validator(*SECTIONS)
    @classmethod
    def _unique_ids(cls, entries: list) -> list:
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                raise ValueError(f"id 重复：{entry.id}")
            seen.add(entry.id)
        return entries

    @model_validator(mode="after")
    def _has_sources(self) -> "RuleSet":
        if not self.sources and self.extends is None:
            raise ValueError("sources：至少需要一份来源文件")
        return self

    @property
    def regime_name(self) -> str:
        return REGIME_NAMES[self.regime]


Deadline.model_rebuild()
