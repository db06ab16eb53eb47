"""The result of evaluating a case: the contract shared by the CLI, the page and the guides.

Field names are stable and versioned by `format`; every figure sits next to the citation
(document number, section, verbatim quote) of the rule that produced it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

RESULT_FORMAT = "xueshi.result/1"

Status = Literal["met", "short", "deemed_complete", "exemption_available", "provisionally_met"]
STATUS_LABELS: dict[str, str] = {
    "met": "已达标",
    "short": "未达标",
    "deemed_complete": "视同完成",
    "exemption_available": "未达标，可申请免训",
    "provisionally_met": "暂视同达标",
}


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CitationOut(Out):
    rule: str
    origin: str
    document: str
    document_title: str
    section: str
    quote: str
    interpretation: str | None = None


class Problem(Out):
    """An input error: where (a JSON path), a stable code, and a Chinese message."""

    path: str
    code: str
    message: str


class Alternative(Out):
    unit: str
    amount: float
    earned: float
    met: bool
    citation: CitationOut


class RequirementLine(Out):
    id: str
    label: str
    category: str | None
    category_name: str
    required: float
    earned: float
    shortfall: float
    met: bool
    provisional: bool = False
    deemed: bool = False
    alternative: Alternative | None = None
    citation: CitationOut


class ActivityLine(Out):
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
    evidence: list[str] = []


class ExceptionLine(Out):
    id: str
    label: str
    effect: str
    applies: bool
    reason: str
    evidence: list[str] = []
    citation: CitationOut


class DeadlineOut(Out):
    id: str
    label: str
    date: str
    citation: CitationOut


class FeeCategory(Out):
    category: str
    category_name: str
    yuan_per_hour: float
    paid_hours: float
    free_hours_used: float
    amount: float
    hours_to_complete: float
    amount_to_complete: float
    citation: CitationOut


class Fees(Out):
    categories: list[FeeCategory]
    amount_so_far: float
    amount_to_complete: float
    total: float
    reimbursement_limit: float | None
    reimbursable: float
    limit_citation: CitationOut | None
    citations: list[CitationOut]


class WindowYear(Out):
    year: int
    public: float | None
    professional: float | None
    total: float | None
    public_required: float
    professional_required: float
    total_required: float
    met: bool
    source: Literal["this_case", "history", "missing"]


class TitleWindowOut(Out):
    id: str
    label: str
    start_year: int
    end_year: int
    years: list[WindowYear]
    all_met: bool
    citation: CitationOut


class MakeupAllocation(Out):
    year: int
    category: str
    hours: float


class MakeupOut(Out):
    id: str
    label: str
    surplus: dict[str, float]
    allocations: list[MakeupAllocation]
    unallocated: dict[str, float]
    target_years: list[int]
    citation: CitationOut


class Warning(Out):
    code: str
    message: str
    citation: CitationOut | None = None


class TraceLine(Out):
    step: Literal["activity", "exclusion", "requirement", "exception", "deadline", "fee", "window", "makeup", "status"]
    text: str
    citation: CitationOut | None = None


class RuleSetRef(Out):
    id: str
    title: str
    jurisdiction: str
    regime: str
    regime_name: str
    year: int
    chain: list[str]
    last_checked: str


class Result(Out):
    format: Literal["xueshi.result/1"] = RESULT_FORMAT
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
