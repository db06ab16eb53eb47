"""Faults found by trying bad input as a person would (issue #11), each kept as a regression.

1. a date far in the future (9999-12-31) broke the engine; any date the case model accepts
   must be computable, anything else is refused at validation, naming the field in Chinese;
5. a refused huge number was echoed back with all its 309 digits;
6. an impossible date (2026-13-01) in a rule or case file, and YAML syntax errors, gave English
   internal errors: they must be Chinese, with file, line and field, and one bad rule file must
   not stop the checking of the others.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.doors import browser
from calculator.rulefiles.loader import FileError, load_catalog, read_data, rules_payload, validate_all

from .conftest import ROOT, RULES

browser.init(rules_payload(load_catalog(RULES)))

RULE_SET = "hunan-college-shiye-2023"  # uses retirement, leave months; hunan-shiye-2021 uses postings


def _case(person: dict | None = None, activities: list | None = None, rule_set: str = RULE_SET) -> dict:
    return {
        "format": "xueshi.case/1", "rule_set": rule_set, "person": person or {},
        "activities": activities if activities is not None else [
            {"kind": "online_minutes", "name": "课程", "quantity": 600, "category": "public"},
        ],
    }


def _evaluate(case: dict) -> dict:
    return json.loads(browser.evaluate(json.dumps(case)))


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True, cwd=cwd)


# ---------------------------------------------------------------- 1. dates out of range


FAR = "9999-12-31"
FAR_CASES = {
    "retirement": ({"retirement_date": FAR}, "person.retirement_date", "法定退休日期"),
    "leave": ({"leaves": [{"kind": "sick", "start": "2023-01-01", "end": FAR}]}, "person.leaves[0].end", "结束日期"),
    "posting": (
        {"postings": [{"kind": "yuanzang", "start": "2023-01-01", "end": FAR, "assessment_passed": True}]},
        "person.postings[0].end", "结束日期",
    ),
}


@pytest.mark.parametrize("where", sorted(FAR_CASES))
def test_a_far_date_is_refused_naming_the_field(where: str) -> None:
    person, path, label = FAR_CASES[where]
    answer = _evaluate(_case(person, rule_set="hunan-shiye-2021" if where == "posting" else RULE_SET))
    # the far date is refused at its field; the entry is left out and the rest still computed
    assert answer["result"] is not None
    problem = next(p for p in answer["problems"] if p["path"] == path)
    assert problem["code"] != "internal"
    assert label in problem["message"] and "年" in problem["message"], problem


def test_a_far_activity_date_is_refused() -> None:
    activity = {"kind": "online_minutes", "name": "课程", "quantity": 600, "category": "public", "date": "0001-01-01"}
    answer = _evaluate(_case(activities=[activity]))
    assert [p["path"] for p in answer["problems"]] == ["activities[0].date"]
    assert "日期" in answer["problems"][0]["message"]


def test_cli_refuses_a_far_retirement_date_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case({"retirement_date": FAR}), ensure_ascii=False), encoding="utf-8")
    run = _cli("evaluate", str(path))
    assert run.returncode == 2, run.stderr
    assert "法定退休日期" in run.stderr and "内部错误" not in run.stderr


accepted_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(retire=accepted_dates, start=accepted_dates, end=accepted_dates)
def test_every_date_is_either_computed_or_refused_at_validation(
    retire: dt.date, start: dt.date, end: dt.date
) -> None:
    lo, hi = sorted((start, end))
    for rule_set, person in (
        (RULE_SET, {"retirement_date": retire.isoformat(),
                    "leaves": [{"kind": "sick", "start": lo.isoformat(), "end": hi.isoformat()}]}),
        ("hunan-shiye-2021", {"postings": [{"kind": "dongxi", "start": lo.isoformat(), "end": hi.isoformat(),
                                            "assessment_passed": True}]}),
    ):
        answer = _evaluate(_case(person, rule_set=rule_set))
        assert all(p["code"] != "internal" for p in answer["problems"]), answer["problems"]
        assert answer["ok"] or all(p["path"].startswith("person.") for p in answer["problems"])


# ---------------------------------------------------------------- 5. huge numbers are abbreviated


def test_a_refused_huge_number_is_not_echoed_digit_by_digit() -> None:
    activity = {"kind": "online_minutes", "name": "课程", "quantity": 1e308, "category": "public"}
    answer = _evaluate(_case(activities=[activity]))
    (message,) = [p["message"] for p in answer["problems"] if p["path"] == "activities[0].quantity"]
    assert "超过" in message and len(message) < 80, message
    assert "1e+308" in message or "10^308" in message or "10³⁰⁸" in message


# ---------------------------------------------------------------- 6. impossible dates and YAML errors in files


def _rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def _set_last_checked(path: Path, value: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("last_checked:"):
            lines[i] = f"last_checked: {value}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"no last_checked in {path}")


def test_an_impossible_date_in_one_rule_file_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    bad = rules / "henan" / "henan-zhuanji-2021.yaml"
    other = rules / "hunan" / "hunan-shiye-2021.yaml"
    line = _set_last_checked(bad, "2026-13-01")
    other_line = _set_last_checked(other, "2026-02-30")
    _, problems = validate_all(rules)
    text = "\n".join(problems)
    for path, at, value in ((bad, line, "2026-13-01"), (other, other_line, "2026-02-30")):
        mine = [p for p in problems if p.startswith(str(path.relative_to(rules)))]
        assert mine, text  # both bad files are reported: the first did not stop the checking
        assert f"第{at}行" in mine[0] and "last_checked" in mine[0] and value in mine[0], mine
        assert "不存在" in mine[0]
    run = _cli("--rules", str(rules), "validate")
    assert run.returncode == 1, run.stderr
    assert "内部错误" not in run.stdout + run.stderr and "Error" not in run.stdout + run.stderr


def test_an_impossible_date_in_a_case_file_is_refused_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        f"format: xueshi.case/1\nrule_set: {RULE_SET}\nperson:\n  retirement_date: 2026-13-01\nactivities: []\n",
        encoding="utf-8",
    )
    run = _cli("evaluate", str(path))
    assert run.returncode == 2, run.stderr
    assert "第4行" in run.stderr and "retirement_date" in run.stderr and "不存在" in run.stderr, run.stderr
    assert "内部错误" not in run.stderr


def test_an_impossible_date_in_a_json_case_names_the_field_in_chinese() -> None:
    answer = _evaluate(_case({"retirement_date": "2026-02-30"}))
    (problem,) = answer["problems"]
    assert problem["path"] == "person.retirement_date"
    assert "法定退休日期" in problem["message"] and "不存在" in problem["message"], problem


YAML_ERRORS = {
    "unclosed quote": ('id: x\ntitle: "没有闭合的引号\nyear: 2021\nregime: zhuanji\n', 2, "引号"),
    "colon in value": ("id: x\ntitle: 标题: 副标题\nyear: 2021\n", 2, "冒号"),
    "tab indent": ("id: x\nsources:\n\t- a\n", 3, "Tab"),
    "bad indent": ("id: x\nsources:\n  - id: a\n   title: b\n", 4, "缩进"),
    "unclosed bracket": ("id: x\nflags: [a, b\nyear: 2021\n", 2, "["),
}


@pytest.mark.parametrize("name", sorted(YAML_ERRORS))
def test_yaml_syntax_errors_are_chinese_with_the_right_line(tmp_path: Path, name: str) -> None:
    text, line, hint = YAML_ERRORS[name]
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_data(path)
    (message,) = caught.value.problems
    assert f"第{line}行" in message, message
    assert hint in message, message
    assert not any(word in message for word in ("while", "found", "expected", "scanning", "parsing")), message
