"""Requirements that depend on who the person is (issue #21, item 4): the rule set's own
questions (the title held, the post, the unit type), requirements for some people only, and
requirements reduced in proportion (a new hire's months in post, long leave), each on a small
rule set written here."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from calculator.engine.explain import render_text
from calculator.engine.resolve import Catalog, RuleError
from calculator.engine.run import run_case
from calculator.models.case import Case
from calculator.models.rules import RuleSet

CITE = {"source": "doc", "section": "一", "quote": "中级以上每年不少于90学时，初级每年不少于72学时，新进人员按在岗月数占12个月的比例计算"}
TITLE_HELD = {"id": "title_held", "label": "现有职称", "choices": {"gaoji": "高级", "zhongji": "中级", "chuji": "初级"},
              "citation": CITE}


def rules(**changes) -> dict:
    data = {
        "format": "xueshi.rules/2", "id": "t-2025", "title": "测试", "regime": "zhuanji", "year": 2025,
        "jurisdiction": {"code": "t", "name": "测试省", "level": "province"}, "last_checked": "2026-01-01",
        "sources": [{"id": "doc", "number": "测〔2025〕1号", "title": "测试", "issuer": "测试", "date": "2025-01-01",
                     "text_file": "t.txt", "provenance": {"kind": "fictional", "via": "测试"}}],
        "questions": [TITLE_HELD],
        "requirements": [
            {"id": "total", "label": "年度总学时", "hours": 90, "citation": CITE,
             "applies_when": {"fact": "title_held", "op": "in", "values": ["gaoji", "zhongji"]}},
            {"id": "total_chuji", "label": "年度总学时", "hours": 72, "citation": CITE,
             "applies_when": {"fact": "title_held", "op": "in", "values": ["chuji"]}},
        ],
        "conversions": [{"id": "h", "label": "学时", "quantity": {"unit": "hour", "label": "学时"},
                         "rows": [{"hours": 1}], "citation": CITE}],
    }
    data.update(changes)
    return data


def run(data: dict, case: dict):
    outcome = run_case({"rule_set": data["id"], **case}, Catalog([RuleSet.model_validate(data)]))
    assert outcome.result is not None, outcome.problems
    return outcome.result


def hours(n: float) -> list[dict]:
    return [{"kind": "h", "name": "学习", "quantity": n, "date": "2025-10-01"}]


# ---------------------------------------------------------------- requirements by who the person is


@pytest.mark.parametrize("held, required, status", [("chuji", 72, "met"), ("zhongji", 90, "short"), ("gaoji", 90, "short")])
def test_the_requirement_follows_the_title_held(held: str, required: float, status: str) -> None:
    result = run(rules(), {"person": {"answers": {"title_held": held}}, "activities": hours(80)})
    assert [(line.id, line.required) for line in result.requirements] == [
        ("total" if held != "chuji" else "total_chuji", required)]
    assert result.status == status and result.problems == []
    line = result.requirements[0]
    assert line.applies_to == ("现有职称为初级" if held == "chuji" else "现有职称为高级或中级")
    assert any("适用于：现有职称为" in t.text for t in result.trace if t.step == "requirement")


def test_an_unanswered_question_is_asked_for_not_guessed() -> None:
    result = run(rules(), {"activities": hours(80)})
    assert result.requirements == []
    assert [(p.path, p.code) for p in result.problems] == [("person.answers.title_held", "needs_answer")]
    assert "现有职称" in result.problems[0].message
    assert result.summary.startswith("（有1项与本人有关的情况未填写")


def test_a_question_answered_with_a_choice_it_does_not_have_is_refused_by_the_rules() -> None:
    bad = rules()
    bad["requirements"][1]["applies_when"]["values"] = ["chuji", "yuanshi"]
    with pytest.raises(RuleError, match="没有这些选项：yuanshi"):
        Catalog([RuleSet.model_validate(bad)]).resolve("t-2025")


def test_a_condition_on_a_fact_nobody_asks_is_refused() -> None:
    bad = rules(questions=[])
    with pytest.raises(RuleError, match="既不是程序推导的情况，也不是本规则集 questions 中的问题"):
        Catalog([RuleSet.model_validate(bad)]).resolve("t-2025")


def test_one_total_for_everyone_per_period() -> None:
    two = rules()
    for req in two["requirements"]:
        del req["applies_when"]
    with pytest.raises(RuleError, match="适用于所有人的总学时要求只能有一条"):
        Catalog([RuleSet.model_validate(two)]).resolve("t-2025")


def test_an_answer_may_not_pose_as_a_derived_fact() -> None:
    with pytest.raises(ValidationError, match="程序推导的情况"):
        Case.model_validate({"rule_set": "t-2025", "person": {"answers": {"disability": True}}})
    with pytest.raises(ValidationError, match="程序推导的事实名称"):
        RuleSet.model_validate(rules(questions=[{**TITLE_HELD, "id": "disability"}]))


def test_a_question_in_an_exception() -> None:
    unit = {"id": "unit_type", "label": "单位类型", "choices": {"school": "学校", "other": "其他"}, "citation": CITE}
    data = rules(questions=[TITLE_HELD, unit], exceptions=[{
        "id": "school", "label": "学校另行规定", "effect": "deemed_complete",
        "when": {"fact": "unit_type", "op": "in", "values": ["school"]}, "citation": CITE}])
    result = run(data, {"person": {"answers": {"title_held": "zhongji", "unit_type": "school"}}})
    assert result.status == "deemed_complete"
    assert result.exceptions[0].reason.startswith("学校另行规定：适用（单位类型为学校）")


# ---------------------------------------------------------------- reductions in proportion

NEW_HIRE = {"id": "new_hire", "label": "新进人员按在岗月数折算", "when": {"fact": "months_in_post_in_year", "op": "<", "value": 12},
            "factor": {"fact": "months_in_post_in_year", "of": 12}, "citation": CITE}


def test_a_new_hire_needs_the_share_of_the_year_in_post() -> None:
    data = rules(reductions=[NEW_HIRE])
    result = run(data, {"person": {"answers": {"title_held": "zhongji"}, "in_post_since": "2025-07-01"}, "activities": hours(45)})
    line = result.requirements[0]
    assert line.required == 45 and line.met and line.reduced == "新进人员按在岗月数折算"
    reduction = [t for t in result.trace if t.step == "reduction"]
    assert len(reduction) == 1 and "6/12" in reduction[0].text and "90→45" in reduction[0].text
    assert reduction[0].citation is not None and reduction[0].citation.quote == CITE["quote"]
    full_year = run(data, {"person": {"answers": {"title_held": "zhongji"}, "in_post_since": "2019-03-01"}})
    assert full_year.requirements[0].required == 90


def test_no_date_in_post_means_no_reduction() -> None:
    result = run(rules(reductions=[NEW_HIRE]), {"person": {"answers": {"title_held": "zhongji"}}})
    assert result.requirements[0].required == 90 and not any(t.step == "reduction" for t in result.trace)


def test_whole_months_rounded_up_and_the_complement() -> None:
    leave = {"id": "leave", "label": "病休每满1个月减少1/12", "when": {"fact": "leave_months_in_year", "op": ">=", "value": 1},
             "factor": {"fact": "leave_months_in_year", "of": 12, "complement": True, "whole": True},
             "rounding": "up", "citation": CITE}
    person = {"answers": {"title_held": "chuji"},
              "leaves": [{"kind": "sick", "start": "2025-03-01", "end": "2025-05-20"}]}  # 2.6 months: 2 whole
    result = run(rules(reductions=[leave]), {"person": person})
    assert result.requirements[0].required == 60  # 72 x 10/12


def test_a_reduction_names_requirements_that_exist_and_count_by_the_year() -> None:
    bad = rules(reductions=[{**NEW_HIRE, "requirements": ["nope"]}])
    with pytest.raises(RuleError, match="要求 nope 未定义"):
        Catalog([RuleSet.model_validate(bad)]).resolve("t-2025")


def test_the_cli_shows_who_a_requirement_is_for_and_the_reduction() -> None:
    result = run(rules(reductions=[NEW_HIRE]), {"person": {"answers": {"title_held": "chuji"}, "in_post_since": "2025-10-01"}})
    text = render_text(result)
    assert "新进人员按在岗月数折算" in text and "72→18" in text


# ---------------------------------------------------------------- the same in a staff sheet


def test_a_staff_sheet_answers_the_question_in_a_column_named_by_its_label() -> None:
    from calculator.batch.people import evaluate_rows, template_headers
    from calculator.batch.tables import result_table

    data = rules(reductions=[NEW_HIRE], categories=[{"id": "gong", "name": "公需科目", "citation": CITE}])
    data["conversions"][0]["category"] = "gong"
    cat = Catalog([RuleSet.model_validate(data)])
    assert "现有职称" in template_headers(cat.resolve("t-2025")) and "到岗日期" in template_headers(cat.resolve("t-2025"))
    out = evaluate_rows(
        ["姓名", "现有职称", "到岗日期", "公需学时"],
        [["甲", "初级", "", "72"], ["乙", "中级", "2025-07-01", "50"], ["丙", "院士", "", "90"], ["丁", "", "", "90"]],
        cat, "t-2025")
    by_name = {r.name: r for r in out}
    assert by_name["甲"].status_text == "已达标"
    assert by_name["乙"].result.requirements[0].required == 45 and by_name["乙"].status_text == "已达标"
    # an answer that is no choice refuses the person at its cell, like every fact that decides a requirement
    assert by_name["丙"].result is None
    assert by_name["丙"].problems[0].message == "第4行B列“现有职称”：“院士”只能是：高级、中级、初级"
    # no answer: asked for at its column, the verdict computed from what applies to everyone
    assert by_name["丁"].result is not None and "第5行B列“现有职称”" in by_name["丁"].problems[0].message
    headers, table = result_table(out)
    assert "输入问题" in headers


# ---------------------------------------------------------------- answers that do not fit their question


def test_an_answer_that_does_not_fit_its_question_is_reported_at_its_place_and_asked_for() -> None:
    """The page sends what was typed; the engine says what is wrong, at the answer's field
    (person.answers.<id>), and treats it as unanswered rather than compare it wrongly."""
    years = {"id": "years_in_post", "label": "任现职年限", "type": "number", "unit": "年", "citation": CITE}
    data = rules(questions=[TITLE_HELD, years])
    outcome = run_case({"rule_set": data["id"], "person": {"answers": {"title_held": "yuanshi", "years_in_post": "abc"}},
                        "activities": hours(80)}, Catalog([RuleSet.model_validate(data)]))
    assert outcome.result is not None
    said = [(p.path, p.code, p.message) for p in outcome.result.problems]
    assert ("person.answers.title_held", "bad_answer", "“现有职称”应填写所列选项之一，这一项暂未计入") in said
    assert ("person.answers.years_in_post", "bad_answer", "“任现职年限”应填写一个数字（年），这一项暂未计入") in said
    # the requirement that depends on the title is asked for, as if unanswered
    assert [p[1] for p in said if p[0] == "person.answers.title_held"] == ["bad_answer", "needs_answer"]
    fine = run(data, {"person": {"answers": {"title_held": "chuji", "years_in_post": 3}}, "activities": hours(80)})
    assert fine.problems == []
