from __future__ import annotations

import datetime as dt

from calculator.models.case import Person
from calculator.engine.facts import calendar_months, derive_facts, months_within_year

D = dt.date


def test_calendar_months_counts_whole_months_exactly() -> None:
    assert calendar_months(D(2020, 1, 1), D(2020, 7, 1)) == 6
    assert calendar_months(D(2020, 1, 31), D(2020, 2, 29)) == 1  # clamped month end
    assert 2 < calendar_months(D(2020, 1, 1), D(2020, 3, 15)) < 3


def test_months_within_year_clips_to_the_year() -> None:
    assert months_within_year(D(2019, 7, 1), D(2020, 3, 31), 2020) == 3
    assert months_within_year(D(2018, 1, 1), D(2018, 12, 31), 2020) == 0


def test_retirement_months_at_year_end() -> None:
    facts = derive_facts(Person(retirement_date=D(2024, 6, 30)), 2023)
    assert 5.9 < facts["months_to_retirement_at_year_end"] < 6.1
    assert derive_facts(Person(), 2023)["months_to_retirement_at_year_end"] is None


def test_only_passed_postings_count() -> None:
    person = Person(postings=[
        {"kind": "yuanzang", "start": D(2020, 1, 1), "end": D(2020, 6, 30), "assessment_passed": False},
    ])
    assert derive_facts(person, 2020)["posting_months_in_year"] == 0
