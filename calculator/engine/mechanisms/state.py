"""What one evaluation accumulates: the ledger of hours and the outputs as they grow."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ...models.case import Case, YearHours
from ...models.result import CitationOut, Problem, TraceLine, Warning
from ..resolve import ResolvedRuleSet
from ..words import TRACE_STEPS

ZERO = Decimal(0)
CENT = Decimal("0.01")


def d(value: float | int | Decimal | None) -> Decimal:
    return ZERO if value is None else value if isinstance(value, Decimal) else Decimal(str(value))


def f(value: Decimal) -> float:
    return float(value.quantize(CENT))


class Ledger:
    """Hours counted, by calendar year and category (every ancestor too), and the totals.

    `title` keeps a second ledger of the hours done by the title application's own
    deadline: the same activities, fewer of them when the application closes early.
    """

    def __init__(self) -> None:
        self.hours: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
        self.totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.quantity: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
        self.by_kind: dict[tuple[int, str, str], Decimal] = defaultdict(lambda: ZERO)  # year, kind, top
        self.paid: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)  # year, top category

    def add(self, year: int, lineage: list[str], hours: Decimal, counts_to_total: bool) -> None:
        for cat in lineage:
            self.hours[(year, cat)] += hours
        if counts_to_total:
            self.totals[year] += hours

    def category(self, cat: str, years: list[int]) -> Decimal:
        return sum((self.hours[(y, cat)] for y in years), ZERO)

    def total(self, years: list[int]) -> Decimal:
        return sum((self.totals[y] for y in years), ZERO)


@dataclass
class Evaluation:
    case: Case
    rules: ResolvedRuleSet
    year: int  # the year being checked (a year of the period)
    facts: dict[str, Any]
    ledger: Ledger = field(default_factory=Ledger)
    title_ledger: Ledger = field(default_factory=Ledger)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    trace: list[TraceLine] = field(default_factory=list)
    interpreted: set[str] = field(default_factory=set)
    # Each activity's place in the case as sent, when entries were left out (tolerant.py):
    # explanations and problems then name the activity the person typed.
    positions: list[int] | None = None
    # Set by personalize.py: who a conditional requirement is for, and which were reduced (by what).
    applies_to: dict[str, str] = field(default_factory=dict)
    reduced: dict[str, str] = field(default_factory=dict)

    def position(self, i: int) -> int:
        return self.positions[i] if self.positions is not None else i

    @property
    def unit(self) -> str:
        return self.rules.rules.unit_name

    @property
    def period_years(self) -> list[int]:
        return list(self.rules.rules.years)

    @property
    def history(self) -> dict[int, YearHours]:
        return {h.year: h for h in self.case.history}

    def counts_to_total(self, category: str | None) -> bool:
        if category is None:
            return True
        top = self.rules.ancestors(category)[-1]
        cat = self.rules.categories.get(top)
        return cat is None or cat.counts_toward_total

    def note(self, step: str, text: str, citation: CitationOut | None = None, rule: str | None = None,
             **figures: Any) -> None:
        assert step in TRACE_STEPS
        self.trace.append(TraceLine(step=step, text=text, citation=citation, rule=rule, figures=figures))  # type: ignore[arg-type]
