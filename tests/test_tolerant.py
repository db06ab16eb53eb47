"""One half-typed entry never hides the result: it is left out, named at its place, and the
rest is evaluated once (the page, the CLI and batch checking share this)."""

from __future__ import annotations

from calculator.engine.tolerant import run_case_tolerant

GOOD = {"kind": "paper", "name": "论文", "quantity": 1, "options": {"author": "first"}}


def test_a_bad_activity_is_left_out_and_the_rest_computed(catalog) -> None:
    case = {"rule_set": "xiangxi-zhuanji-2020", "activities": [
        GOOD, {"kind": "paper", "name": "缺数量"}, dict(GOOD, name="第三篇"),
    ]}
    out = run_case_tolerant(case, catalog)
    assert out.result is not None
    assert out.dropped == {"activities": [1]}
    assert [p.path for p in out.problems] == ["activities[1].quantity"]
    # the remaining lines keep the places the person typed them in
    assert [a.index for a in out.result.activities] == [0, 2]
    assert "第3项“第三篇”" in " ".join(t.text for t in out.result.trace)
    assert {line.id: line.earned for line in out.result.requirements}["professional"] == 60
    assert out.result.summary.startswith("（有1处输入有误")


def test_engine_problems_after_a_left_out_entry_name_the_typed_place(catalog) -> None:
    case = {"rule_set": "xiangxi-zhuanji-2020", "activities": [
        {"kind": "paper", "name": "缺数量"}, dict(GOOD, date="2019-05-01"),
    ]}
    out = run_case_tolerant(case, catalog)
    assert sorted(p.path for p in out.problems) == ["activities[0].quantity", "activities[1].date"]


def test_bad_leaves_and_history_rows_are_left_out_too(catalog) -> None:
    case = {"rule_set": "hunan-college-shiye-2023", "person": {"leaves": [
        {"kind": "sick", "start": "2023-05-01", "end": "2023-04-01"}]},
        "history": [{"year": "不知道", "hours": {}}], "activities": []}
    out = run_case_tolerant(case, catalog)
    assert out.result is not None
    assert out.dropped == {"person.leaves": [0], "history": [0]}


def test_a_case_that_names_no_rule_set_is_still_refused(catalog) -> None:
    out = run_case_tolerant({"activities": [GOOD]}, catalog)
    assert out.result is None and out.problems


def test_problems_found_before_the_case_count_among_what_was_left_out(catalog) -> None:
    # Batch checking reads cells first; an unreadable one never enters the case but the result counts it.
    from calculator.models.result import Problem

    cell = Problem(path="第3行D列.数量", code="bad_cell", message="第3行D列“数量”：“两”不是数字")
    case = {"rule_set": "xiangxi-zhuanji-2020", "activities": [GOOD, {"kind": "paper", "name": "缺数量"}]}
    out = run_case_tolerant(case, catalog, known=[cell])
    assert out.result is not None
    assert out.problems[0] is cell and [p.path for p in out.problems[1:]] == ["activities[1].quantity"]
    assert out.result.summary.startswith("（有2处输入有误")
