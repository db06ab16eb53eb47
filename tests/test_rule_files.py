"""Every rule file validates, cites its sources verbatim, and is proved by worked examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calculator.rulefiles.loader import CASES_SUFFIX, all_test_cases, rule_files, validate_all
from calculator.engine.resolve import Catalog
from calculator.models.rules import SECTIONS

# Every numbered calculation clause of DOMAIN.md (../shared/DOMAIN.md) must be proved by a case.
CALCULATION_CLAUSES = {
    "H21-2", "H21-4", "H21-5",
    "H23-3", "H23-4", "H23-5", "H23-6", "H23-7", "H23-8",
    "X20-1", "X20-5", "X20-6", "X20-8.1", "X20-8.2", "X20-8.3", "X20-8.4", "X20-8.5",
    "X20-8.6", "X20-8.7", "X20-8.8", "X20-8.9", "X20-9", "X20-11",
    "HN21-1",
    "Q21-2", "Q21-3", "Q21-5", "Q21-6", "Q21-7", "Q21-8", "Q21-9", "Q21-10",
}
# One rule set per seed document (../shared/seeds).
EXPECTED_RULE_SETS = {
    "hunan-shiye-2021", "hunan-shiye-2023", "hunan-college-shiye-2023", "xiangxi-zhuanji-2020",
    "henan-zhuanji-2021", "qinghai-zhuanji-2021", "xining-zhuanji-2021",
}


def test_all_rule_files_validate_and_quotes_are_verbatim(rules_dir: Path) -> None:
    catalog, problems = validate_all(rules_dir)
    assert problems == []
    assert catalog is not None


def test_every_seed_has_its_rule_set(catalog: Catalog) -> None:
    assert EXPECTED_RULE_SETS <= set(catalog.ids())


def test_every_rule_set_has_worked_examples(rules_dir: Path) -> None:
    for path in rule_files(rules_dir):
        cases = path.with_name(path.stem + CASES_SUFFIX)
        assert cases.is_file(), f"{path.name} 缺少测试用例文件 {cases.name}"


def test_every_calculation_clause_is_proved(rules_dir: Path) -> None:
    proved = {clause for case in all_test_cases(rules_dir) for clause in case.proves}
    assert CALCULATION_CLAUSES - proved == set()


def test_child_rule_sets_state_only_changes(catalog: Catalog) -> None:
    """A child that repeats a parent's entry unchanged is noise a policy office must maintain twice."""
    for rs in catalog.all():
        if rs.extends is None:
            continue
        parent = catalog.resolve(rs.extends).rules
        for section in SECTIONS:
            parent_entries = {e.id: e for e in getattr(parent, section)}
            for entry in getattr(rs, section):
                assert entry != parent_entries.get(entry.id), f"{rs.id} 重复了父规则集的 {section}/{entry.id}"


def test_each_number_appears_in_its_own_quote(catalog: Catalog) -> None:
    """A requirement of 90 must quote a sentence that says 90 (or 九十): the cheapest guard
    against typos. `validate` runs the same check (calculator/rulefiles/lint.py)."""
    from calculator.rulefiles.lint import numbers_in_quotes

    assert [str(p) for p in numbers_in_quotes(catalog)] == []
