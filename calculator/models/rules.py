"""The rule-file model: what a policy office writes, validated by pydantic.

One rule set = one jurisdiction, one regime, one period (a year, or a cycle of N years
starting in `year`). Every entry that carries a
number carries a `citation` (document, section, verbatim quote); where the source is
silent or ambiguous it also carries an `interpretation`. A missing citation is a
validation error, not a lint warning.

Every list is keyed by `id`, so that a child rule set (a city over its province, a unit
over its city) can replace, add or remove single entries by name.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from .facts import FACT_NAMES

RULE_FORMAT = "xueshi.rules/2"
RULE_FORMATS = ("xueshi.rules/1", "xueshi.rules/2")  # /1 is migrated on load (migrate.py)

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


ProvenanceKind = Literal["official", "repost", "excerpt", "report", "supplied", "fictional"]
PROVENANCE_KINDS: dict[str, str] = {
    "official": "发文机关公布的原文",
    "repost": "转载的全文",
    "excerpt": "原文的摘录（不完整）",
    "report": "新闻报道对文件的转述",
    "supplied": "项目收集的文件文本（原始出处未记录）",
    "fictional": "虚构的示例文本",
}
# Weakest first: a rule set is as trustworthy as the weakest text it cites.
PROVENANCE_ORDER: tuple[str, ...] = ("fictional", "report", "excerpt", "supplied", "repost", "official")
_FOUND_ONLINE = ("official", "repost", "excerpt", "report")


class Provenance(Strict):
    """Where a stored source text came from, and how far it can be trusted."""

    kind: ProvenanceKind = Field(
        description="official 发文机关公布的原文；repost 其他网站转载的全文；excerpt 只取得部分原文；"
        "report 新闻报道对文件的转述；supplied 项目收集、出处未记录的文件文本；fictional 虚构示例"
    )
    urls: list[Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]] = Field(
        default_factory=list, description="取得原文的网页地址（可多个）"
    )
    retrieved: dt.date | None = Field(default=None, description="取得（阅读）原文的日期")
    via: Text | None = Field(default=None, description="取得方式，例如“检索工具保存的网页”")
    complete: bool = Field(default=True, description="保存的文本是否为文件全文")
    missing: Prose | None = Field(default=None, description="不完整时：未取得哪些部分")
    disagreements: Prose | None = Field(default=None, description="几个转载文本不一致时：哪里不同、采用哪一个、为什么")

    @model_validator(mode="after")
    def _traceable(self) -> "Provenance":
        if self.kind in _FOUND_ONLINE and (not self.urls or self.retrieved is None):
            raise ValueError(f"{self.kind}：须写明取得原文的网页地址 urls 和取得日期 retrieved")
        if self.kind in ("supplied", "fictional") and self.via is None:
            raise ValueError(f"{self.kind}：须用 via 写明文本从哪里来")
        if self.kind == "excerpt" and self.complete:
            raise ValueError("excerpt（摘录）的文本不是全文：请写 complete: false，并在 missing 中写明未取得的部分")
        if not self.complete and self.missing is None:
            raise ValueError("complete: false 时须在 missing 中写明未取得的部分")
        return self


class SourceDocument(Strict):
    id: Id
    number: Text | None = Field(default=None, description="文号，例如 湘人社函〔2021〕61号；没有文号的（如条例）不填")
    title: Text
    issuer: Text
    date: dt.date
    text_file: str | None = Field(
        default=None, description="rules/sources/ 下保存的原文文本文件名，用于逐字核对引文"
    )
    provenance: Provenance | None = Field(
        default=None, description="原文从哪里取得、是原文还是转载或摘录（校验时必填）"
    )
    note: Prose | None = None

    @property
    def name(self) -> str:
        """How a person refers to it: the number, or the title for a text without one."""
        return self.number or f"《{self.title}》"


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
    within: Id | None = Field(default=None, description="上级科目 id（如 必修课 属于 公需科目）；学时同时计入上级科目")
    counts_toward_total: bool = Field(
        default=True, description="顶层科目的学时是否计入总学时（默认计入）；下级科目随上级计入"
    )


class Alternative(Strict):
    """Another way to meet a requirement, in a unit other than hours (Hunan: 12 days)."""

    amount: Hours
    unit: Literal["day"]
    counted_from: list[Id] = Field(min_length=1, description="计入此替代标准的活动类型 id")
    citation: Citation
    interpretation: Prose | None = None


class Share(Strict):
    """A minimum stated as a share of another requirement ("专业科目一般不少于总学时的三分之二"):
    data, not a fixed number, so a child that raises the base raises this one too."""

    of: Id = Field(description="基数：另一条要求的 id（如 total）；其要求的学时乘以比例即本条要求")
    fraction: Annotated[str, Field(pattern=r"^[1-9][0-9]*/[1-9][0-9]*$|^[0-9]+(\.[0-9]+)?%$")] = Field(
        description="比例：分数（2/3）或百分数（30%）"
    )

    @property
    def value(self) -> Fraction:
        if self.fraction.endswith("%"):
            return Fraction(self.fraction[:-1]) / 100
        return Fraction(self.fraction)


class Requirement(Cited):
    """A minimum: on one category, on several categories added up, or on the total."""

    label: Text
    category: Id | None = Field(default=None, description="科目 id；与 categories 都不填表示总学时")
    categories: list[Id] | None = Field(
        default=None, min_length=2, description="几个科目合计的最低要求（如 公需+专业 不少于 72）"
    )
    hours: Hours | None = Field(
        default=None, description="要求的学时；写 share 时不填（由基数和比例算出）"
    )
    share: Share | None = Field(default=None, description="按另一条要求的比例计的要求（如 总学时的三分之二）")
    applies_when: "Condition | None" = Field(
        default=None, description="只对符合条件的人适用（如 现有职称为初级）；不填表示适用于所有人"
    )
    over: Literal["year", "period"] = Field(
        default="year",
        description="按什么累计：year 每个年度（默认）；period 整个周期（period_years 年）合计",
    )
    alternative: Alternative | None = None

    @model_validator(mode="after")
    def _one_target(self) -> "Requirement":
        if self.category is not None and self.categories is not None:
            raise ValueError("category 与 categories 只能填写一个")
        if self.share is not None and self.share.of == self.id:
            raise ValueError("share.of 不能是本条要求自己")
        return self

    @model_validator(mode="before")
    @classmethod
    def _hours_or_share(cls, value: object) -> object:
        # Before field validation so that the message names what to fix, not a type error.
        if isinstance(value, dict) and ("hours" in value) == ("share" in value):
            raise ValueError("hours（学时）与 share（占另一条要求的比例）须且只能填写一个")
        return value


class Deadline(Cited):
    label: Text
    date: dt.date
    applies_when: "Condition | None" = Field(
        default=None, description="适用条件；不填表示适用于所有人"
    )
    scope: Literal["year", "title_application"] = Field(
        default="year",
        description="year：晚于此日期的学习不计入本年度；title_application：只影响职称申报的学时"
        "（晚于此日期的学习仍计入本年度，但不能用于当年职称申报）",
    )


# ---------------------------------------------------------------- conditions over facts


class Condition(Strict):
    """A test on a fact: one the engine derives from the person's case (models/facts.py), or
    the person's answer to one of the rule set's own `questions`.

    `when: always` (the plain word) is a condition that always holds.
    """

    always: Literal[True] | None = None
    # The engine's facts as suggestions (the studio offers them, editors complete them); a
    # question's id is also allowed, so they are examples, not an enum.
    fact: Id | None = Field(default=None, description="事实名称（见字段参考“可用的情况”），或本规则集 questions 中的 id",
                            json_schema_extra={"examples": sorted(FACT_NAMES)})
    op: Literal["is_true", "is_false", ">=", ">", "<=", "<", "in"] | None = None
    value: float | None = None
    values: list[Id] | None = Field(default=None, min_length=1, description="op 为 in 时：回答是其中之一即成立")
    any: list["Condition"] | None = None
    all: list["Condition"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _always_word(cls, value: object) -> object:
        if value == "always":
            return {"always": True}
        return value

    @model_validator(mode="after")
    def _one_form(self) -> "Condition":
        forms = [self.always is not None, self.fact is not None, self.any is not None, self.all is not None]
        if sum(forms) != 1:
            raise ValueError("条件须且只能是 always、fact/op、any 或 all 之一")
        if self.fact is not None:
            if self.op is None:
                raise ValueError("fact 条件缺少 op")
            if self.op in (">=", ">", "<=", "<") and self.value is None:
                raise ValueError(f"比较运算 {self.op} 缺少 value")
            if (self.op == "in") != (self.values is not None):
                raise ValueError("op: in 须且只能与 values（可选回答的列表）一起使用")
        return self

    def facts(self) -> set[str]:
        """Every fact this condition tests."""
        found = {self.fact} if self.fact else set()
        for sub in (self.any or []) + (self.all or []):
            found |= sub.facts()
        return found


class Question(Cited):
    """Something about the person that a requirement or exception depends on and the engine
    cannot derive (现有职称, 岗位类别, 单位类型 ...): asked on the page, read from a batch column."""

    label: Text = Field(description="向本人提出的问题，例如“现有专业技术职务（职称）级别”")
    type: Literal["choice", "number", "yes_no"] = "choice"
    choices: dict[Id, Text] | None = Field(default=None, description="type 为 choice 时的选项：id -> 中文")
    unit: Annotated[str, Field(min_length=1, max_length=8)] | None = Field(
        default=None, description="type 为 number 时的单位，例如 月、年"
    )
    min: float = 0
    max: float = 100
    help: Prose | None = Field(default=None, description="填写说明")

    @model_validator(mode="after")
    def _shape(self) -> "Question":
        if (self.type == "choice") != (self.choices is not None):
            raise ValueError("type 为 choice 时须有 choices，其他类型不写 choices")
        if self.id in FACT_NAMES:
            raise ValueError(f"{self.id} 是程序推导的事实名称，问题须另取 id")
        return self


class ReductionFactor(Strict):
    """required x fact / of (or x (1 - fact / of) with `complement`), kept within 0..1."""

    fact: Id = Field(description="按哪个事实折算，例如 months_in_post_in_year（本年度在岗月数）")
    of: Hours = Field(description="分母，例如 12（个月）")
    complement: bool = Field(default=False, description="true：按 1 - 事实/分母 折算（如“病休每满1个月减少1/12”）")
    whole: bool = Field(default=False, description="true：事实先取整（不足一个单位的部分不计，如“每满1个月”）")


class Reduction(Cited):
    """A requirement reduced in proportion (a new hire's months in post, long leave)."""

    label: Text
    when: Condition = Field(description="适用条件")
    factor: ReductionFactor
    requirements: list[Id] | None = Field(default=None, description="折算哪些要求；不填表示每个按年度计的要求")
    rounding: Literal["none", "up", "down"] = Field(
        default="none", description="折算后的要求取整：up 向上取整、down 向下取整、none 保留两位小数"
    )


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
    category: Id | None = Field(default=None, description="固定计入的科目；与 category_choices 都不填表示只计入总学时")
    category_choices: list[Id] | None = Field(
        default=None, min_length=1, description="由本人选择计入的科目"
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
        if self.category is not None and self.category_choices is not None:
            raise ValueError("category 与 category_choices 只能填写一个")
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


ExceptionEffect = Literal["deemed_complete", "provisional", "exemption_available"]
DEFAULT_PRECEDENCE: tuple[str, ...] = ("deemed_complete", "provisional", "exemption_available")


class YearException(Cited):
    """A labelled exception to the year's requirement (Catala-style)."""

    label: Text
    effect: ExceptionEffect
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
    overrides: list[Id] = Field(
        default_factory=list,
        description="同一活动同时符合时优先于这些排除条目；效果不同又可能同时适用的两条必须声明先后",
    )
    yields_to: list[Id] = Field(
        default_factory=list,
        description="同一活动同时符合时让位于这些排除条目（下级规则集对上级条目声明先后时使用）",
    )


# ---------------------------------------------------------------- multi-year rules


class TitleMatch(Strict):
    levels: list[Literal["zhenggao", "fugao", "zhongji"]] = Field(min_length=1)
    degrees: list[Literal["doctor", "master", "bachelor", "other"]] | None = None
    fields: list[Literal["medical", "other"]] | None = None


class TitleWindow(Cited):
    """The years a title applicant must show, each measured by the per-year requirements."""

    label: Text
    match: TitleMatch
    start_year: int | None = Field(default=None, ge=1990, le=2100, description="从哪一年起计（绝对年份）")
    years: int | None = Field(default=None, ge=1, le=30, description="或：含申报当年在内的最近几年")

    @model_validator(mode="after")
    def _one_start(self) -> "TitleWindow":
        if (self.start_year is None) == (self.years is None):
            raise ValueError("start_year 与 years 须且只能填写一个")
        return self


class Makeup(Cited):
    """Catch-up: this year's surplus fills gaps of earlier years (补学)."""

    label: Text
    when: Condition = Field(description="适用条件；所有人适用时写 always")
    target_years: list[int] | None = Field(default=None, min_length=1, description="可补的年度（绝对年份）")
    years_back: int | None = Field(default=None, ge=1, le=30, description="或：可补本年度之前几年")
    max_years: int | None = Field(default=None, ge=1, le=30, description="一次最多认定几个年度")
    max_hours: Hours | None = Field(default=None, description="一次最多补认定多少学时")
    categories: list[Id] | None = Field(default=None, description="可补的科目；不填表示有年度要求的全部科目")
    counted_from: list[Id] | None = Field(
        default=None, description="只有这些活动类型的学时可作为多学部分分配；不填表示全部"
    )

    @model_validator(mode="after")
    def _one_target(self) -> "Makeup":
        if (self.target_years is None) == (self.years_back is None):
            raise ValueError("target_years 与 years_back 须且只能填写一个")
        return self


class CarryOver(Cited):
    """Carry-over: hours above an earlier year's requirement count toward this year (结转)."""

    label: Text
    when: Condition = Field(description="适用条件；所有人适用时写 always")
    years_back: int = Field(default=1, ge=1, le=10, description="可从之前几年结转")
    max_hours: Hours | None = Field(default=None, description="最多结转多少学时（合计）")
    categories: list[Id] | None = Field(default=None, description="可结转的科目；不填表示有年度要求的全部科目")


class Cap(Cited):
    """At most `max_hours` from these kinds of activity count (per year or per period)."""

    label: Text
    kinds: list[Id] = Field(min_length=1, description="受此上限约束的活动类型")
    max_hours: Hours
    per: Literal["year", "period"] = Field(default="year", description="每年度或整个周期")


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
    "questions",
    "categories",
    "requirements",
    "reductions",
    "deadlines",
    "conversions",
    "exceptions",
    "exclusions",
    "title_windows",
    "makeup",
    "carry_over",
    "caps",
    "fees",
)


class Removal(Strict):
    section: Literal[
        "notes", "questions", "categories", "requirements", "reductions", "deadlines", "conversions",
        "exceptions", "exclusions", "title_windows", "makeup", "carry_over", "caps", "fees",
    ]
    id: Id
    citation: Citation


class RuleSet(Strict):
    """One rule file. A child (`extends`) lists only what it adds, replaces or removes."""

    format: Literal["xueshi.rules/2"] = RULE_FORMAT
    id: Id
    title: Text
    jurisdiction: Jurisdiction
    regime: Regime
    year: int = Field(ge=2000, le=2100, description="年度；周期规则集为周期的第一年")
    period_years: int = Field(default=1, ge=1, le=10, description="周期年数：1 为按年度（默认），3 为三年一个周期")
    standing: bool = Field(
        default=False,
        description="常设规定：自 year 起每个年度（或每个 period_years 年的周期）都适用，直到同一辖区、同一类别"
        "较晚开始的规则集取代它；不随年度重复编写（如国家规定）。子规则集不继承此项",
    )
    unit_name: Literal["学时", "学分"] = Field(default="学时", description="本规则集计量单位的名称")
    exception_precedence: list[ExceptionEffect] = Field(
        default_factory=lambda: list(DEFAULT_PRECEDENCE),
        description="几条例外同时适用时按此先后：默认 视同完成 > 暂视同完成 > 可申请免训",
    )
    extends: Id | None = Field(default=None, description="父规则集 id")
    last_checked: dt.date = Field(description="最近一次与原文核对的日期")
    summary: Prose | None = None
    sources: list[SourceDocument] = Field(
        default_factory=list, description="来源文件；子规则集可直接引用父规则集的来源"
    )
    not_encoded: list[NotEncoded] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    reductions: list[Reduction] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    conversions: list[Conversion] = Field(default_factory=list)
    exceptions: list[YearException] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    title_windows: list[TitleWindow] = Field(default_factory=list)
    makeup: list[Makeup] = Field(default_factory=list)
    carry_over: list[CarryOver] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)
    fees: list[Fee] = Field(default_factory=list)
    remove: list[Removal] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: object) -> object:
        from .migrate import migrate_rules

        return migrate_rules(data)

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

    @field_validator("exception_precedence")
    @classmethod
    def _every_effect_once(cls, order: list[str]) -> list[str]:
        if sorted(order) != sorted(DEFAULT_PRECEDENCE):
            raise ValueError("须列出 deemed_complete、provisional、exemption_available 各一次")
        return order

    @property
    def regime_name(self) -> str:
        return REGIME_NAMES[self.regime]

    @property
    def years(self) -> range:
        """Every calendar year of the period (of a standing rule set: of the period it was
        resolved for, `Catalog.resolve(id, year)`; unresolved, its first period)."""
        return range(self.year, self.year + self.period_years)

    def covers(self, year: int) -> bool:
        """Does this rule set answer for `year`? A standing one, for every year from its start."""
        return year >= self.year if self.standing else year in self.years

    def period_start(self, year: int) -> int:
        """The first year of the period holding `year` (a standing cycle repeats every period_years)."""
        if not self.standing or year <= self.year:
            return self.year
        return self.year + (year - self.year) // self.period_years * self.period_years

    @property
    def last_year(self) -> int:
        return self.year + self.period_years - 1


Deadline.model_rebuild()
Requirement.model_rebuild()
