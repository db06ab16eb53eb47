"""The made-up example rule sets (examples/rules/, 示例省): one per mechanism of the rules
language that the seven seeds do not use. They are validated and their worked examples run
exactly like the real rule sets; they are kept out of the site's picker and guides."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.rulefiles.expect import check_example
from calculator.rulefiles.loader import all_test_cases, load_catalog, validate_all
from calculator.models.result import RESULT, result_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_RULES = ROOT / "examples" / "rules"
EXAMPLES = all_test_cases(EXAMPLE_RULES)


@pytest.fixture(scope="module")
def example_catalog():
    return load_catalog(EXAMPLE_RULES)


def test_example_rule_sets_pass_every_author_check() -> None:
    catalog, problems = validate_all(EXAMPLE_RULES)
    assert problems == [] and catalog is not None and len(catalog.ids()) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.rule_set}:{e.name}" for e in EXAMPLES])
def test_example_rule_set_case(example, example_catalog) -> None:
    result, diffs = check_example(example.input, example.output, example_catalog)
    assert result is not None and diffs == []
    assert result_data(result) == RESULT.dump_python(result, mode="json")


def test_each_mechanism_is_exercised(example_catalog) -> None:
    """The examples exist to show the mechanisms: a third category, a cap, catch-up with caps,
    carry-over, a cycle, credits, a conversion that counts toward the total only."""
    sets = [example_catalog.get(i) for i in example_catalog.ids()]
    assert any(len([c for c in rs.categories if c.within is None]) >= 3 for rs in sets)
    assert any(rs.caps for rs in sets)
    assert any(m.max_years and m.max_hours and m.years_back for rs in sets for m in rs.makeup)
    assert any(rs.carry_over for rs in sets)
    assert any(rs.period_years > 1 and any(r.over == "period" for r in rs.requirements) for rs in sets)
    assert any(rs.unit_name == "学分" for rs in sets)
    assert any(c.category is None and c.category_choices is None for rs in sets for c in rs.conversions)


def test_a_cycle_is_found_by_any_of_its_years(example_catalog) -> None:
    for year in (2024, 2025, 2026):
        assert example_catalog.find("shili-b", "zhuanji", year) == "shili-zhuanji-2024"
    assert example_catalog.find("shili-b", "zhuanji", 2027) is None


def test_cli_speaks_the_rule_sets_unit(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({
        "jurisdiction": "shili-b", "regime": "zhuanji", "year": 2025,
        "activities": [{"kind": "online_hours", "name": "网络学习", "quantity": 12, "category": "public"}],
    }, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "calculator", "--rules", str(EXAMPLE_RULES), "evaluate", str(case)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2024—2026年周期" in done.stdout
    assert "周期累计学分（整个周期合计）：要求 180 学分，已取得 12 学分" in done.stdout
    assert "要求 180 学时" not in done.stdout and "计12学分" in done.stdout


def test_a_total_only_rule_set_makes_up_and_carries_over_on_the_total(example_catalog) -> None:
    """Issue #24: with only a total requirement, catch-up was skipped ("本年度超出部分无" while
    48 hours were spare) and nothing was carried over."""
    from calculator.engine.run import run_case

    case = {"rule_set": "shili-zhuanji-total-2025",
            "activities": [{"kind": "online_hours", "name": "网络学习", "quantity": 120}],
            "history": [{"year": 2023, "total": 50}]}
    result = run_case(case, example_catalog).result
    makeup = next(t.text for t in result.trace if t.step == "makeup")
    assert "本年度超出部分总学时48学时" in makeup and "2023年总学时22学时" in makeup, makeup
    assert "超出部分无" not in makeup


def test_title_windows_summed_over_years_and_a_junior_level(example_catalog) -> None:
    """Issue #21 item 4: a title window measured by the hours summed over its years (not each
    year), ending the year before the application; 初级 (chuji) is a title level."""
    rs = example_catalog.get("shili-zhuanji-total-2025")
    senior = next(w for w in rs.title_windows if w.id == "senior")
    assert senior.measure == "sum" and senior.totals == {"total": 360} and senior.through == "previous_year"
    assert any("chuji" in w.match.levels for w in rs.title_windows)


def test_tiered_rows_row_caps_and_credits_converted_to_hours(example_catalog) -> None:
    """Issue #21 item 4: "前20学时按1:1，其后按1:0.5", "每次最多计8学时" and "1学分折算3学时" as data."""
    from calculator.engine.run import run_case

    case = {"rule_set": "shili-zhuanji-tiers-2025", "activities": [
        {"kind": "conference", "name": "学术年会", "quantity": 30},
        {"kind": "exchange", "name": "学术交流", "quantity": 12},
        {"kind": "credits_elsewhere", "name": "外省继续教育", "quantity": 4}]}
    result = run_case(case, example_catalog).result
    assert [a.hours for a in result.activities] == [25, 8, 12]
    texts = [t.text for t in result.trace if t.step == "activity"]
    assert "前20学时" in texts[0] and "0.5" in texts[0], texts[0]
    assert "最多计8学时" in texts[1], texts[1]
    assert "4学分 × 3学时" in texts[2], texts[2]


def test_a_year_that_begins_on_a_given_date(example_catalog) -> None:
    """A 学时年度 from 1 November of the year before to 31 October: dates count by it, and say so."""
    from calculator.engine.run import run_case

    case = {"rule_set": "shili-zhuanji-niandu-2025",
            "activities": [{"kind": "online_hours", "name": "网络学习", "quantity": 8, "date": "2025-11-02"}]}
    result = run_case(case, example_catalog).result
    assert [p.code for p in result.problems] == ["outside_year"]
    assert "2024-11-01至2025-10-31" in result.problems[0].message, result.problems[0].message
