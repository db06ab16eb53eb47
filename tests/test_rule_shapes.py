"""Issue #24: the shapes a rule set can take beyond "a yearly total with categories" pass by
files alone, with the right words: a cycle-only rule set (no yearly total) and one counted
in 学分 (every generated word follows the unit: guide pages, tables, batch templates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from calculator.batch.columns import ColumnMap
from calculator.batch.people import template_headers
from calculator.batch.template import template_csv
from calculator.engine.words import in_unit
from calculator.rulefiles.loader import all_test_cases, load_catalog
from sitebuild.guides.build import generate_pages, home_markdown
from sitebuild.guides.compare import overview_markdown
from sitebuild.guides.context import GuideContext, rule_page
from sitebuild.guides.examples import run_examples
from sitebuild.guides.sources import SourceIndex
from sitebuild.guides.units import units_markdown

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_RULES = ROOT / "examples" / "rules"
CREDITS = "shili-zhuanji-2024"  # 学分, a three-year cycle
CYCLE_ONLY = "shili-zhuanji-cycle-2025"


@pytest.fixture(scope="module")
def guide():
    catalog = load_catalog(EXAMPLE_RULES)
    ctx = GuideContext(catalog, "../", SourceIndex.build(catalog, EXAMPLE_RULES / "sources"))
    runs = run_examples(all_test_cases(EXAMPLE_RULES), catalog)
    return ctx, runs, generate_pages(ctx, runs, EXAMPLE_RULES)


def _generated(page: str) -> str:
    """The page without the quoted source texts (indented under their 原文 boxes)."""
    return "\n".join(line for line in page.splitlines() if not line.startswith("    "))


def test_in_unit_keeps_words_of_hours_for_hours() -> None:
    assert in_unit("每天 8 学时", "学时") == "每天 8 学时"
    assert in_unit("每天 8 学时", "学分") == "每天 8 学分"


def test_a_credit_rule_sets_guide_page_speaks_credits(guide) -> None:
    _, _, pages = guide
    page = _generated(pages[rule_page(CREDITS)])
    for word in ("每天 8 学分", "学分（不少于）", "## 学分要求 {#requirements}", "要求与完成情况（学分）",
                 "以往年度已认定学分", "周期总学分", "学分要求一览"):
        assert word in page, word
    for word in ("每天 8 学时", "学时（不少于）", "## 学时要求", "要求与完成情况（学时）", "以往年度已认定学时",
                 "年度总学时", "学时要求一览", "要求学时", "多学的学时"):
        assert word not in page, word


def test_a_credit_rule_sets_batch_template_speaks_credits(guide) -> None:
    ctx, _, _ = guide
    rules = ctx.resolved(CREDITS)
    text = template_csv(rules, "activity").decode("utf-8-sig") if isinstance(
        template_csv(rules, "activity"), bytes) else template_csv(rules, "activity")
    headers = template_headers(rules)
    assert "公需科目学分" in headers and "公需科目学时" not in headers
    cols = ColumnMap(rules)
    assert cols.target("公需科目学分") is not None and cols.target("公需科目学时") is not None
    assert cols.target("2024年公需学分") is not None
    units = units_markdown(ctx)
    assert "`公需科目学分`" in units


def test_the_batch_templates_instructions_speak_credits(guide) -> None:
    from calculator.batch.template import _instructions

    ctx, _, _ = guide
    rules = ctx.resolved(CREDITS)
    cells = " ".join(str(c) for row in _instructions(rules, "activity", []) for c in row)
    assert "每天：8 学分" in cells and "8 学时" not in cells
    cells = " ".join(str(c) for row in _instructions(rules, "person", template_headers(rules)) for c in row)
    assert "本年度已取得的学分" in cells and "已取得的学时" not in cells


def test_a_cycle_only_rule_set_has_guide_pages(guide) -> None:
    ctx, runs, pages = guide
    page = _generated(pages[rule_page(CYCLE_ONLY)])
    assert "周期专业科目学时" in page and "年度总学时" not in page
    home = home_markdown(ctx, runs)
    row = next(line for line in home.splitlines() if CYCLE_ONLY in line)
    assert "180" in row, row
    overview = overview_markdown(ctx)
    row = next(line for line in overview.splitlines() if CYCLE_ONLY in line and "180" in line)
    assert "周期" in row, row


def test_the_page_asks_a_total_only_rule_set_for_earlier_years_totals() -> None:
    """Make-up and carry-over on the total need each earlier year's total: the page's history
    table gets that one column, and the engine reads it."""
    import json

    from calculator.doors import browser
    from calculator.engine.run import run_case
    from calculator.rulefiles.loader import rules_payload

    catalog = load_catalog(EXAMPLE_RULES)
    assert json.loads(browser.init(rules_payload(catalog)))["ok"]
    form = json.loads(browser.form("shili-zhuanji-total-2025"))
    assert form["top_categories"] == [{"id": "total", "name": "总"}] and form["history_required"]
    case = {"rule_set": "shili-zhuanji-total-2025", "history": [{"year": 2023, "hours": {"total": 50}}],
            "activities": [{"kind": "online_hours", "name": "网络学习", "quantity": 120}]}
    result = run_case(case, catalog).result
    assert [(a.year, a.hours) for a in result.makeup.allocations] == [(2023, 22)]
