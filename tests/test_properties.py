"""Properties that must hold for every rule set and every case (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.engine.run import run_case
from calculator.models.case import Case
from calculator.engine.evaluate import evaluate
from calculator.rulefiles.loader import load_catalog
from calculator.models.result import PROBLEMS, RESULT, Result, problems_data, result_data, result_json
from calculator.models.rules import ChoiceOption, Conversion

from .conftest import RULES

CATALOG = load_catalog(RULES)
RESOLVED = {rid: CATALOG.resolve(rid) for rid in CATALOG.ids()}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def activity_for(conv: Conversion) -> st.SearchStrategy[dict[str, Any]]:
    categories = [conv.category] if conv.category else list(conv.category_choices or [])
    options = {
        o.name: st.sampled_from(sorted(o.choices)) if isinstance(o, ChoiceOption) else st.integers(o.min, o.max)
        for o in conv.options
    }
    whole = conv.quantity.unit in ("day", "session", "item")
    quantity = st.integers(1, 20) if whole else st.floats(0.5, 3000, allow_nan=False).map(lambda x: round(x, 1))
    return st.fixed_dictionaries({
        "kind": st.just(conv.id),
        "name": st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(str.strip),
        "quantity": quantity,
        # a conversion toward the total only has no category to choose
        "category": st.sampled_from(categories) if categories else st.none(),
        "options": st.fixed_dictionaries(options),
    })


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    rule_set = draw(st.sampled_from(sorted(RESOLVED)))
    convs = RESOLVED[rule_set].rules.conversions
    activities = draw(st.lists(st.sampled_from(convs).flatmap(activity_for), max_size=8))
    return {"rule_set": rule_set, "activities": activities}


def earned(result: Result) -> dict[str, float]:
    return {line.id: line.earned for line in result.requirements}


def result_of(data: dict[str, Any]) -> Result:
    outcome = run_case(data, CATALOG)
    assert outcome.result is not None and outcome.problems == [], outcome.problems
    return outcome.result


@SETTINGS
@given(cases(), st.data())
def test_adding_an_activity_never_lowers_earned_hours(case: dict, data: st.DataObject) -> None:
    before = earned(result_of(case))
    conv = data.draw(st.sampled_from(RESOLVED[case["rule_set"]].rules.conversions))
    extra = data.draw(activity_for(conv))
    after = earned(result_of({**case, "activities": case["activities"] + [extra]}))
    assert all(after[k] >= before[k] for k in before)


@SETTINGS
@given(cases(), st.data())
def test_surplus_in_one_category_never_covers_another(case: dict, data: st.DataObject) -> None:
    rules = RESOLVED[case["rule_set"]]
    base = result_of(case)
    for conv in rules.rules.conversions:
        choices = [conv.category] if conv.category else list(conv.category_choices or [])
        if "professional" not in choices or not conv.produces_hours:
            continue
        extra = data.draw(activity_for(conv).map(lambda a: {**a, "category": "professional"}))
        more = result_of({**case, "activities": case["activities"] + [extra]})
        for old, new in zip(base.requirements, more.requirements):
            if old.category is not None and "professional" not in rules.ancestors(old.category):
                assert (new.earned, new.shortfall, new.met) == (old.earned, old.shortfall, old.met)
        break


@SETTINGS
@given(cases(), st.data())
def test_excluded_activities_never_count(case: dict, data: st.DataObject) -> None:
    rules = RESOLVED[case["rule_set"]]
    if not rules.rules.exclusions:
        return
    exclusion = data.draw(st.sampled_from(rules.rules.exclusions))
    kinds = exclusion.kinds or [c.id for c in rules.rules.conversions]
    conv = rules.conversions[data.draw(st.sampled_from(kinds))]
    flagged = {**data.draw(activity_for(conv)), "flags": [exclusion.id]}
    with_flagged = result_of({**case, "activities": case["activities"] + [flagged]})
    assert earned(with_flagged) == earned(result_of(case))
    assert with_flagged.activities[-1].counted is False


@SETTINGS
@given(cases())
def test_evaluation_is_deterministic_and_round_trips_through_json(case: dict) -> None:
    model = Case.model_validate(case)
    rules = RESOLVED[case["rule_set"]]
    first, second = evaluate(model, rules), evaluate(model, rules)
    assert result_json(first) == result_json(second)
    assert RESULT.validate_json(result_json(first)) == first
    # The page's JSON (a plain walk of the dataclasses) is pydantic's JSON form, key order included.
    plain, pydantic_form = result_data(first), RESULT.dump_python(first, mode="json")
    assert plain == pydantic_form and list(plain) == list(pydantic_form)
    assert problems_data(first.problems) == PROBLEMS.dump_python(first.problems, mode="json")
