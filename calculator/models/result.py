"""The result of evaluating a case: the contract shared by the CLI, the page and the guides.

Field names are stable and versioned by `format`; every figure sits next to the citation
(document number, section, verbatim quote) of the rule that produced it.

Plain slotted dataclasses, not pydantic models: the engine builds dozens per case and a
batch builds them for 100,000 people, so construction must cost nothing. pydantic still
owns their JSON schema and validation through `RESULT` (a TypeAdapter, built on first use).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import TypeAdapter

RESULT_FORMAT = "xueshi.result/2"

Status = Literal["met", "short", "deemed_complete", "exemption_available", "provisionally_met", "out_of_scope"]
LineState = Literal["met", "deemed", "provisional", "short"]


@dataclass(slots=True)
class CitationOut:
    rule: str
    origin: str
    document: str
    document_title: str
    section: str
    quote: str
    interpretation: str | None = None
    source: str | None = None  # the source document's id (its page in the guides)


@dataclass(slots=True)
class Problem:
    """An input error: where (a JSON path), a stable code, and a Chinese message."""

    path: str
    code: str
    message: str


@dataclass(slots=True)
class Alternative:
    unit: str
    amount: float
    earned: float
    met: bool
    citation: CitationOut


@dataclass(slots=True)
class RequirementLine:
    id: str
    label: str
    category: str | None
    category_name: str
    required: float
    earned: float
    shortfall: float
    met: bool
    citation: CitationOut
    provisional: bool = False
    deemed: bool = False
    alternative: Alternative | None = None
    categories: list[str] | None = None
    over: Literal["year", "period"] = "year"
    state: LineState = "short"
    state_label: str = ""
    applies_to: str | None = None  # who this requirement is for, when it is not everyone
    reduced: str | None = None  # how it was reduced in proportion, when it was


@dataclass(slots=True)
class ActivityLine:
    index: int
    name: str
    kind: str
    kind_label: str
    category: str | None
    category_name: str
    quantity: float
    unit: str
    hours: float
    counted: bool
    reason: str
    citation: CitationOut | None
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ExceptionLine:
    id: str
    label: str
    effect: str
    applies: bool
    reason: str
    citation: CitationOut
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DeadlineOut:
    id: str
    label: str
    date: str
    citation: CitationOut


@dataclass(slots=True)
class FeeCategory:
    category: str
    category_name: str
    yuan_per_hour: float
    paid_hours: float
    free_hours_used: float
    amount: float
    hours_to_complete: float
    amount_to_complete: float
    citation: CitationOut


@dataclass(slots=True)
class Fees:
    categories: list[FeeCategory]
    amount_so_far: float
    amount_to_complete: float
    total: float
    reimbursement_limit: float | None
    reimbursable: float
    limit_citation: CitationOut | None
    citations: list[CitationOut]


@dataclass(slots=True)
class WindowYear:
    """One year of a title window: hours by category id, what that year required, met or not."""

    year: int
    hours: dict[str, float] | None
    total: float | None
    required: dict[str, float]
    total_required: float
    met: bool
    source: Literal["this_case", "history", "missing"]
    shortfall: dict[str, float] = field(default_factory=dict)
    state: Literal["met", "provisional", "deemed", "short", "missing", "counted"] = "met"
    state_label: str = ""


@dataclass(slots=True)
class WindowSum:
    """A title window measured by its years added up: one category's (or the total's) sum."""

    key: str  # a category id, or "total"
    name: str
    required: float
    earned: float
    shortfall: float
    met: bool


@dataclass(slots=True)
class TitleWindowOut:
    id: str
    label: str
    start_year: int
    end_year: int
    years: list[WindowYear]
    all_met: bool
    citation: CitationOut
    measure: Literal["each_year", "sum"] = "each_year"
    sums: list[WindowSum] = field(default_factory=list)
    text: str = ""  # the window's verdict in words (words.py), as the trace says it


@dataclass(slots=True)
class TitleOut:
    """The title application's own verdict: every year of its window, by its own deadline."""

    status: Literal["met", "provisionally_met", "short"]
    status_label: str
    summary: str
    short_years: list[int]
    missing_years: list[int]
    window: TitleWindowOut | None
    deadline: "DeadlineOut | None"
    late_hours: float = 0


@dataclass(slots=True)
class MakeupAllocation:
    year: int
    category: str
    hours: float
    category_name: str = ""


@dataclass(slots=True)
class MakeupOut:
    id: str
    label: str
    surplus: dict[str, float]
    allocations: list[MakeupAllocation]
    unallocated: dict[str, float]
    target_years: list[int]
    citation: CitationOut
    max_hours: float | None = None
    max_years: int | None = None


@dataclass(slots=True)
class CarryOverLine:
    from_year: int
    category: str
    category_name: str
    hours: float


@dataclass(slots=True)
class CarryOverOut:
    id: str
    label: str
    lines: list[CarryOverLine]
    total: float
    max_hours: float | None
    citation: CitationOut


@dataclass(slots=True)
class Way:
    """One way to close a shortfall, from one conversion of the rule set."""

    kind: str
    kind_label: str
    quantity: float
    unit: str
    hours: float
    text: str
    yuan: float | None
    citation: CitationOut


@dataclass(slots=True)
class GapPlan:
    requirement: str
    label: str
    shortfall: float
    ways: list[Way]
    text: str
    deadline_passed: bool = False


@dataclass(slots=True)
class Warning:
    code: str
    message: str
    citation: CitationOut | None = None


TraceStep = Literal[
    "activity", "exclusion", "cap", "carry_over", "requirement", "exception", "deadline", "fee",
    "window", "title", "makeup", "status", "reduction",
]


@dataclass(slots=True)
class TraceLine:
    """One step of the reasoning as data (rule, figures) with its wording (words.py)."""

    step: TraceStep
    text: str
    citation: CitationOut | None = None
    rule: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SourceRef:
    """A text the result rests on, with where it came from and how far it can be trusted."""

    id: str
    name: str  # the document number, or the title of a text without one
    title: str
    issuer: str  # "" when the saved text has no 落款
    date: str  # "" when the saved text has no date
    kind: str  # official | repost | excerpt | report | supplied | fictional
    kind_name: str
    complete: bool
    urls: list[str] = field(default_factory=list)
    retrieved: str | None = None
    missing: str | None = None
    caution: str | None = None  # the sentence a person must read; None for the issuer's own text


@dataclass(slots=True)
class Fallback:
    """The person's place has no rule set of its own: this result applies a parent's."""

    place: str
    place_name: str
    applied: str  # the jurisdiction whose rules were applied
    note: str


@dataclass(slots=True)
class RuleSetRef:
    id: str
    title: str
    jurisdiction: str
    regime: str
    regime_name: str
    year: int
    chain: list[str]
    last_checked: str
    period_years: int = 1
    last_year: int = 0
    unit_name: str = "学时"
    standing_since: int | None = None
    sources: list[SourceRef] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    fallback: Fallback | None = None


@dataclass(slots=True)
class Result:
    rule_set: RuleSetRef
    status: Status
    status_label: str
    summary: str
    requirements: list[RequirementLine]
    activities: list[ActivityLine]
    exceptions: list[ExceptionLine]
    deadline: DeadlineOut | None
    fees: Fees | None
    title_window: TitleWindowOut | None
    makeup: MakeupOut | None
    warnings: list[Warning]
    problems: list[Problem]
    trace: list[TraceLine]
    year: int = 0
    title: TitleOut | None = None
    carry_over: CarryOverOut | None = None
    plan: list[GapPlan] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    fact_labels: dict[str, str] = field(default_factory=dict)  # each fact's name, the rule set's questions' too
    year_summary: str = ""
    categories: dict[str, str] = field(default_factory=dict)
    format: Literal["xueshi.result/2"] = RESULT_FORMAT


@cache
def _adapters() -> tuple[TypeAdapter[Result], TypeAdapter[list[Problem]]]:
    return TypeAdapter(Result), TypeAdapter(list[Problem])


def __getattr__(name: str) -> Any:
    """`RESULT` and `PROBLEMS` (TypeAdapters: JSON, schema, validation) are built on first
    use: building them is a fifth of the engine's import time in the browser, which never
    needs them (its JSON comes from `result_data`)."""
    if name == "RESULT":
        return _adapters()[0]
    if name == "PROBLEMS":
        return _adapters()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _plain(value: Any) -> Any:
    """JSON-ready data of a result value: slotted dataclasses, lists and scalars only."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return {name: _plain(getattr(value, name)) for name in type(value).__slots__}


def result_data(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data (the documented contract; equal to
    ``RESULT.dump_python(result, mode="json")``, which tests check)."""
    return _plain(result)


def result_json(result: Result, indent: int | None = None) -> str:
    if indent is None:
        return _adapters()[0].dump_json(result).decode("utf-8")
    return json.dumps(result_data(result), ensure_ascii=False, indent=indent)


def problems_data(problems: list[Problem]) -> list[dict[str, Any]]:
    return [_plain(problem) for problem in problems]
