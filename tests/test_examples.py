"""The worked examples in rules/**/*.cases.yaml: each is a test and a guide example."""

from __future__ import annotations

import pytest

from calculator.rulefiles.expect import check_example
from calculator.rulefiles.loader import all_test_cases
from calculator.models.result import RESULT, result_data

from .conftest import RULES

EXAMPLES = all_test_cases(RULES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.rule_set}:{e.name}" for e in EXAMPLES])
def test_example(example, catalog) -> None:
    result, diffs = check_example(example.input, example.output, catalog)
    assert result is not None
    assert diffs == []
    # The JSON the page shows (result_data, a plain walk) is pydantic's JSON form of the result.
    assert result_data(result) == RESULT.dump_python(result, mode="json")


def test_seed_001_worked_example_is_exact(catalog) -> None:
    """24 recognised professional hours, 30 free public hours, fee (60-24) x 4 = 144 yuan."""
    from calculator.engine.run import run_case

    outcome = run_case({
        "rule_set": "hunan-college-shiye-2023",
        "activities": [
            {"kind": "recognised_hours", "name": "学院培训", "quantity": 24, "category": "professional"},
            {"kind": "online_minutes", "name": "公共", "quantity": 30 * 40, "category": "public"},
            {"kind": "online_minutes", "name": "专业", "quantity": 36 * 40, "category": "professional"},
        ],
    }, catalog)
    result = outcome.result
    assert outcome.ok and result is not None
    assert result.status == "met"
    assert result.fees is not None
    assert (result.fees.total, result.fees.reimbursable) == (144, 144)
    public, professional = result.fees.categories
    assert (public.free_hours_used, public.amount) == (30, 0)
    assert (professional.paid_hours, professional.amount) == (36, 144)
