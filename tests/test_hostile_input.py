"""Hostile and malformed input never escapes as an exception: it gets a Chinese message.

Fuzzes the case importer and evaluator the page uses (calculator.doors.browser) and the rule-file
loader with hypothesis; inputs it once broke are kept below as regression cases.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.doors import browser
from calculator.rulefiles.loader import FileError, load_catalog, load_rule_file, rules_payload

from .conftest import RULES

_PAYLOAD = rules_payload(load_catalog(RULES))


@pytest.fixture(autouse=True)
def _project_rules() -> None:
    """The bridge holds one catalogue per process: another module (test_rule_shapes) loads the
    example rules into it, and an init at import time ran before that module's tests under
    xdist (all modules are imported first), so these tests met the example rules. Init per test."""
    browser.init(_PAYLOAD)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=25,
)
case_keys = st.sampled_from(["rule_set", "person", "activities", "history", "format", "year", "regime", "jurisdiction"])
activity_like = st.fixed_dictionaries({}, optional={
    "kind": st.sampled_from(["paper", "training", "award", "online_minutes", "x"]) | st.text(max_size=5),
    "name": st.text(max_size=50),
    "quantity": st.integers(-10, 10**12) | st.floats() | st.text(max_size=5),
    "options": json_values, "category": json_values, "flags": json_values, "date": st.text(max_size=12),
})
case_like = st.fixed_dictionaries(
    {"rule_set": st.sampled_from(["xiangxi-zhuanji-2020", "hunan-college-shiye-2023", "qinghai-zhuanji-2021", "nope"])},
    optional={"activities": st.lists(activity_like, max_size=4), "person": json_values, "history": json_values},
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answer(text: str) -> dict:
    data = json.loads(text)
    assert isinstance(data, dict) and isinstance(data.get("ok"), bool)
    for problem in data.get("problems") or []:
        assert problem["message"] and "Traceback" not in problem["message"]
    return data


@FUZZ
@given(st.dictionaries(case_keys, json_values) | case_like | json_values)
def test_evaluate_and_import_never_raise(data) -> None:
    text = json.dumps(data)
    for fn in (browser.evaluate, browser.parse_import):
        answer = _answer(fn(text))
        if not answer["ok"]:
            assert answer["problems"]


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_is_refused_cleanly(text: str) -> None:
    _answer(browser.parse_import(text))


@pytest.mark.parametrize("text,expect", [
    ("[" * 100_000, "嵌套层次太深"),
    ('{"rule_set": "xiangxi-zhuanji-2020", "activities": ' + "[" * 5000 + "]" * 5000 + "}", None),
    ("x" * 6_000_000, "内容太大"),
    ('{"rule_set": "xiangxi-zhuanji-2020", "activities": [{"kind": "paper", "name": "a", "quantity": NaN}]}', None),
    ('{"rule_set": "xiangxi-zhuanji-2020", "activities": [{"kind": "paper", "name": "a", "quantity": 1e400}]}', None),
    ('{"rule_set": "xiangxi-zhuanji-2020", "activities": [{"kind": "paper", "name": "' + "长" * 10_000 + '", "quantity": 1}]}', "太长"),
    ('{"rule_set": "xiangxi-zhuanji-2020", "activities": [{"kind": "paper", "name": "a\\u0000b", "quantity": 1}]}', "控制字符"),
    ('{"rule_set": "xiangxi-zhuanji-2020", "activities": [{"kind": "paper", "name": "a", "quantity": 99999999999999999999}]}', None),
    ('{"__proto__": {"x": 1}, "rule_set": "xiangxi-zhuanji-2020"}', "不认识的字段"),
])
def test_hostile_import_files(text: str, expect: str | None) -> None:
    answer = _answer(browser.parse_import(text))
    # Either refused whole, or imported with the bad field flagged (the page shows it there).
    assert answer["ok"] is False or answer["problems"]
    if expect:
        assert any(expect in p["message"] for p in answer["problems"])


def test_markup_in_names_is_kept_as_text() -> None:
    name = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    answer = _answer(browser.evaluate(json.dumps({
        "rule_set": "xiangxi-zhuanji-2020",
        "activities": [{"kind": "paper", "name": name, "quantity": 1, "options": {"author": "first"}}],
    })))
    assert answer["result"]["activities"][0]["name"] == name  # escaping is the renderer's job; data is untouched


rule_like = st.dictionaries(
    st.sampled_from(["id", "format", "title", "jurisdiction", "regime", "year", "sources", "requirements",
                     "conversions", "exceptions", "extends", "last_checked", "categories"]),
    json_values, max_size=8,
)


@FUZZ
@given(rule_like | json_values)
def test_rule_loader_reports_problems_only_as_file_errors(tmp_path_factory, data) -> None:
    path = Path(tmp_path_factory.mktemp("r")) / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_rule_file(path)
    except FileError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)


def test_rule_loader_refuses_yaml_bombs(tmp_path: Path) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(FileError):
        load_rule_file(path)


def test_math_is_finite_for_huge_quantities() -> None:
    answer = _answer(browser.evaluate(json.dumps({
        "rule_set": "hunan-shiye-2023",
        "activities": [{"kind": "online_minutes", "name": "a", "quantity": 527040, "category": "public"}],
    })))
    assert answer["ok"] and math.isfinite(answer["result"]["requirements"][0]["earned"])
