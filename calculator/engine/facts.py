"""Derive the facts the rules test (`models/facts.py`) from a person's case, for one year.

Calendar arithmetic lives here too: months in post, on leave, to retirement.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models.case import Person


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day-of-month `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def calendar_months(start: dt.date, end: dt.date) -> float:
    """Calendar months from `start` to `end` (exclusive): whole months plus a fraction.

    2020-01-01 -> 2020-07-01 is exactly 6, which a day count divided by 30 would miss.
    """
    if end <= start:
        return -calendar_months(end, start) if end < start else 0.0
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    anchor = add_months(start, whole)
    following = add_months(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def months_within_year(start: dt.date, end_inclusive: dt.date, year: int,
                       span: tuple[dt.date, dt.date] | None = None) -> float:
    first, last = span or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    lo, hi = max(start, first), min(end_inclusive, last)
    if hi < lo:
        return 0.0
    return calendar_months(lo, hi + dt.timedelta(days=1))


def overlaps_year(start: dt.date, end_inclusive: dt.date, year: int,
                  span: tuple[dt.date, dt.date] | None = None) -> bool:
    first, last = span or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    return start <= last and end_inclusive >= first


def derive_facts(person: "Person", year: int,
                 span: tuple[dt.date, dt.date] | None = None) -> dict[str, float | bool | str | None]:
    """Every fact for this person and year (its days: `span`, the calendar year unless the rule set's
    year begins on another day); None where the case does not say."""
    passed = [p for p in person.postings if p.assessment_passed]
    year_end = span[1] if span else dt.date(year, 12, 31)
    return {
        "posting_months_in_year": round(
            sum(months_within_year(p.start, p.end, year, span) for p in passed), 4
        ),
        "longest_posting_months": round(
            max(
                (
                    calendar_months(p.start, p.end + dt.timedelta(days=1))
                    for p in passed
                    if overlaps_year(p.start, p.end, year, span)
                ),
                default=0.0,
            ),
            4,
        ),
        "covid_frontline": person.covid_frontline or person.covid_frontline_designated,
        "covid_frontline_designated": person.covid_frontline_designated,
        "months_to_retirement_at_year_end": (
            None
            if person.retirement_date is None
            else round(calendar_months(year_end, person.retirement_date), 4)
        ),
        "leave_months_in_year": round(
            sum(months_within_year(lv.start, lv.end, year, span) for lv in person.leaves), 4
        ),
        "disability": person.disability,
        "title_applicant": person.title_application is not None,
        "makeup_eligible": person.makeup_eligible,
        "months_in_post_in_year": (
            None if person.in_post_since is None
            else round(months_within_year(person.in_post_since, year_end, year, span), 4)
        ),
        # The person's answers to the rule set's own questions are facts too.
        **person.answers,
    }
