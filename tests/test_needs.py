"""What the rule-writing helpers found the format could not say (/work/brief/NEEDS.md), each
as data on a small rule set written here."""

from __future__ import annotations

import pytest

from calculator.models.rules import Citation, RuleSet
from calculator.rulefiles.lint import _in_quote

from .test_mechanisms import CITE, _acts, _rules, _run


def test_a_deadline_with_a_start_date_leaves_out_what_was_done_before_it() -> None:
    """阿拉善盟 2025: “从2025年1月5日开始，至2025年11月30日截止”."""
    rules = _rules(deadlines=[{"id": "window", "label": "培训期间", "starts": "2025-01-05", "date": "2025-11-30",
                               "citation": CITE}])
    acts = [{"kind": "h", "name": "早", "quantity": 30, "category": "gong", "date": "2025-01-04"},
            {"kind": "h", "name": "准", "quantity": 30, "category": "gong", "date": "2025-01-05"}]
    result = _run(rules, {"activities": acts})
    assert [a.counted for a in result.activities] == [False, True]
    assert "早于培训期间的开始日期（2025-01-05）" in result.activities[0].reason


def test_per_hour_reads_as_one_in_a_quote() -> None:
    """311地质队: “每学时不低于45分钟” carries the 1 of {hours: 1, per: 45}."""
    assert _in_quote(1, Citation(source="d", section="一", quote="全年累计应不少于90学时（每学时不低于45分钟）"))
    assert not _in_quote(2, Citation(source="d", section="一", quote="每学时不低于45分钟"))


def test_points_have_no_calendar_ceiling() -> None:
    """东营: “学习强国”积分 200 折算 1 学时 — a year's points exceed 366."""
    rules = _rules(conversions=[{"id": "p", "label": "学习强国积分", "quantity": {"unit": "point", "label": "积分"},
                                 "category": "gong", "rounding": "floor", "rows": [{"hours": 1, "per": 200}],
                                 "citation": CITE}])
    result = _run(rules, {"activities": [{"kind": "p", "name": "积分", "quantity": 3000}]})
    assert result.activities[0].hours == 15 and not result.problems


def test_a_requirement_met_by_any_one_of_several_categories() -> None:
    """广东 2023: “从2个专题中任意选择1个学满30学时”."""
    reqs = [{"id": "topic", "label": "公需专题", "categories": ["gong", "xuan"], "combine": "any", "hours": 30,
             "citation": CITE}]
    result = _run(_rules(requirements=reqs), {"activities": _acts(gong=20, xuan=20)})
    line = result.requirements[0]
    assert not line.met and line.earned == 20 and line.shortfall == 10
    result = _run(_rules(requirements=reqs), {"activities": _acts(gong=5, xuan=30)})
    assert result.requirements[0].met


@pytest.mark.parametrize("missing", ["date", "issuer"])
def test_a_source_without_a_date_or_issuer(missing: str) -> None:
    """广东, 青岛, 株洲: reposts without 落款."""
    data = _rules()
    del data["sources"][0][missing]
    data["sources"][0]["note"] = "保存的文本没有落款"
    assert getattr(RuleSet.model_validate(data).sources[0], missing) is None
