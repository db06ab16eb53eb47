"""A broken rule file gets a clear Chinese message naming the file and field, never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from calculator.rulefiles.loader import FileError, load_rule_file, validate_all

BASE = Path(__file__).resolve().parent.parent / "rules" / "hunan" / "hunan-shiye-2021.yaml"


# The base extends the national rule set: it is copied along, with its texts and examples.
PARENT = BASE.parent.parent / "national" / "national-shiye-2020.yaml"
SOURCES = ("hunan-2021-xiang-ren-she-han-61.txt", "national-2019-shiye-peixun-guiding.txt",
           "national-2019-shiye-peixun-guiding-news-report.txt")


def _write(tmp: Path, data: dict | str, name: str = "hunan-shiye-2021.yaml") -> Path:
    (tmp / "sources").mkdir(exist_ok=True)
    for text in SOURCES:
        src = BASE.parent.parent / "sources" / text
        (tmp / "sources" / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp / "national").mkdir(exist_ok=True)
    for parent in (PARENT, PARENT.with_name(PARENT.stem + ".cases.yaml")):
        (tmp / "national" / parent.name).write_text(parent.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cases = BASE.with_name(BASE.stem + ".cases.yaml")
    path.with_name(path.stem + ".cases.yaml").write_text(cases.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def base() -> dict:
    return yaml.safe_load(BASE.read_text(encoding="utf-8"))


def _problems(tmp_path: Path, data: dict | str) -> list[str]:
    _write(tmp_path, data)
    _, problems = validate_all(tmp_path)
    return problems


def test_base_fixture_is_valid(tmp_path: Path, base: dict) -> None:
    assert _problems(tmp_path, base) == []


def test_missing_citation(tmp_path: Path, base: dict) -> None:
    del base["requirements"][0]["citation"]
    assert any("requirements[0].citation" in p and "缺少必填项" in p for p in _problems(tmp_path, base))


def test_quote_not_in_source(tmp_path: Path, base: dict) -> None:
    base["requirements"][0]["citation"] = dict(base["requirements"][0]["citation"], quote="每年度累计不少于 100 学时")
    assert any("引文在原文中找不到" in p for p in _problems(tmp_path, base))


def test_unknown_source(tmp_path: Path, base: dict) -> None:
    base["requirements"][1]["citation"] = dict(base["requirements"][1]["citation"], source="nowhere")
    assert any("引用的文件 nowhere 不在 sources 中" in p for p in _problems(tmp_path, base))


def test_unknown_category(tmp_path: Path, base: dict) -> None:
    base["requirements"][1]["category"] = "politics"
    assert any("科目 politics 未定义" in p for p in _problems(tmp_path, base))


def test_negative_hours(tmp_path: Path, base: dict) -> None:
    base["requirements"][0]["hours"] = -90
    assert any("requirements[0].hours" in p and "须大于 0" in p for p in _problems(tmp_path, base))


def test_misspelled_field(tmp_path: Path, base: dict) -> None:
    base["requirements"][0]["huors"] = 90
    assert any("不认识的字段" in p for p in _problems(tmp_path, base))


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8").replace("year: 2021\n", "year: 2021\nyear: 2022\n", 1)
    path = _write(tmp_path, text)
    with pytest.raises(FileError) as error:
        load_rule_file(path)
    assert "重复出现" in error.value.problems[0]


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: [unclosed\n")
    with pytest.raises(FileError) as error:
        load_rule_file(path)
    assert "YAML 格式有误（第" in error.value.problems[0]


def test_file_name_must_match_id(tmp_path: Path, base: dict) -> None:
    _write(tmp_path, base, name="other-name.yaml")
    _, problems = validate_all(tmp_path)
    assert any("文件名应与 id 一致" in p for p in problems)


def test_missing_parent_and_cycle(tmp_path: Path, base: dict) -> None:
    child = copy.deepcopy(base)
    child.update(id="child-a", extends="child-b", sources=[], notes=[], categories=[], requirements=[],
                 deadlines=[], conversions=[], exclusions=[], not_encoded=[])
    other = dict(child, id="child-b", extends="child-a")
    _write(tmp_path, child, name="child-a.yaml")
    _write(tmp_path, other, name="child-b.yaml")
    _, problems = validate_all(tmp_path)
    assert any("继承关系成环" in p for p in problems)
    other["extends"] = "missing-parent"
    _write(tmp_path, other, name="child-b.yaml")
    _, problems = validate_all(tmp_path)
    assert any("找不到规则集 missing-parent" in p for p in problems)


def test_condition_needs_an_operator(tmp_path: Path, base: dict) -> None:
    base["exceptions"] = [{
        "id": "x", "label": "x", "effect": "deemed_complete", "when": {"fact": "disability"},
        "citation": base["requirements"][0]["citation"],
    }]
    assert any("fact 条件缺少 op" in p for p in _problems(tmp_path, base))


# ---------------------------------------------------------------- what the tests used to catch alone


def test_a_number_not_in_its_quote(tmp_path: Path, base: dict) -> None:
    base["requirements"][0]["hours"] = base["requirements"][0]["hours"] + 1
    assert any("不在所引原文中" in p and "requirements/" in p for p in _problems(tmp_path, base))


def test_chinese_numerals_in_quotes_count() -> None:
    from calculator.rulefiles.lint import number_forms

    assert "两" in number_forms(2) and "三十" in number_forms(30) and "一百零五" in number_forms(105)


def test_a_rule_file_without_worked_examples(tmp_path: Path, base: dict) -> None:
    path = _write(tmp_path, base)
    path.with_name(path.stem + ".cases.yaml").unlink()
    _, problems = validate_all(tmp_path)
    assert any("缺少测试用例文件" in p for p in problems)


def test_quote_checking_cannot_be_switched_off(tmp_path: Path, base: dict) -> None:
    for source in base["sources"]:
        source.pop("text_file", None)
    assert any("缺少 text_file" in p for p in _problems(tmp_path, base))


def test_a_deadline_outside_the_period(tmp_path: Path, base: dict) -> None:
    base["deadlines"] = [{
        "id": "late", "label": "截止", "date": "2030-12-31",
        "citation": base["requirements"][0]["citation"],
    }]
    assert any("不在本规则集的期间" in p for p in _problems(tmp_path, base))


def test_period_requirement_needs_a_cycle(tmp_path: Path, base: dict) -> None:
    base["requirements"][0]["over"] = "period"
    assert any("over: period 只用于周期规则集" in p for p in _problems(tmp_path, base))


def test_two_exclusions_without_an_order(tmp_path: Path, base: dict) -> None:
    cite = base["requirements"][0]["citation"]
    base["exclusions"] = [
        {"id": "a", "label": "甲", "question": "甲？", "effect": "never_counts", "citation": cite},
        {"id": "b", "label": "乙", "question": "乙？", "effect": "not_verifiable", "citation": cite},
    ]
    assert any("须在其中一条写 overrides" in p for p in _problems(tmp_path, base))
    base["exclusions"][1]["yields_to"] = ["a"]
    assert not any("overrides" in p for p in _problems(tmp_path, base))


def test_a_version_1_rule_file_is_migrated(tmp_path: Path, base: dict) -> None:
    base["format"] = "xueshi.rules/1"
    assert _problems(tmp_path, base) == []


def test_a_wrong_jurisdiction_level_is_named_as_such(tmp_path: Path, base: dict) -> None:
    base["jurisdiction"]["level"] = "county"
    problems = _problems(tmp_path, base)
    hit = [p for p in problems if "jurisdiction.level" in p]
    assert hit and "辖区级别" in hit[0] and "职称级别" not in hit[0] and "省（province）" in hit[0]


def test_a_short_quote_is_called_short_not_empty(tmp_path: Path, base: dict) -> None:
    base["requirements"][0]["citation"] = dict(base["requirements"][0]["citation"], quote="不少于")
    problems = [p for p in _problems(tmp_path, base) if "quote" in p]
    assert problems and "太短" in problems[0] and "不能为空" not in problems[0]
