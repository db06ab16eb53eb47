"""Cases typed into the page as a person would (case JSON, format xueshi.case/2).

The tests type these into the page through its controls; the expected figures
come from the same engine run in CPython (`expected`), and a few are also
written out by hand in the tests (the college's worked example).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from calculator.engine.run import run_case
from calculator.engine.resolve import Catalog
from calculator.models.result import Result

ROOT = Path(__file__).resolve().parents[2]


def worked_example() -> dict[str, Any]:
    """examples/hunan-college-2023.yaml: 24 recognised + 1200 min public + 1440 min professional."""
    data = yaml.safe_load((ROOT / "examples" / "hunan-college-2023.yaml").read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))  # YAML dates -> "2023-09-01", as in a JSON case


def _case(
    rule_set: str, activities: list[dict], person: dict | None = None, history: list | None = None
) -> dict:
    data: dict[str, Any] = {
        "format": "xueshi.case/2",
        "rule_set": rule_set,
        "person": person or {},
        "activities": activities,
    }
    if history:
        data["history"] = history
    return data


CASES: dict[str, dict[str, Any]] = {
    "hunan-college-shiye-2023": worked_example(),
    "hunan-college-shiye-2023-exemption": _case(
        "hunan-college-shiye-2023",
        [{"kind": "platform_hours", "name": "公需科目网络课程", "quantity": 12, "category": "public"}],
        person={
            "retirement_date": "2024-05-31",
            "leaves": [{"kind": "sick", "start": "2023-02-01", "end": "2023-03-15"}],
        },
    ),
    "hunan-shiye-2023": _case(
        "hunan-shiye-2023",
        [
            {"kind": "online_minutes", "name": "二十大精神专题", "quantity": 2400, "category": "public"},
            {
                "kind": "platform_hours",
                "name": "专业课程（平台）",
                "quantity": 20,
                "category": "professional",
            },
            {
                "kind": "online_minutes",
                "name": "重复学习的课程",
                "quantity": 400,
                "category": "professional",
                "flags": ["duplicate_course"],
            },
        ],
    ),
    "hunan-shiye-2021": _case(
        "hunan-shiye-2021",
        [
            {"kind": "platform_hours", "name": "公需科目", "quantity": 30, "category": "public"},
            {
                "kind": "offline_training",
                "name": "岗位技能培训",
                "quantity": 48,
                "category": "professional",
                "date": "2021-10-12",
            },
            {"kind": "zhuanji_hours", "name": "继续教育专业课", "quantity": 12, "category": "professional"},
        ],
    ),
    "xiangxi-zhuanji-2020": _case(
        "xiangxi-zhuanji-2020",
        [
            {
                "kind": "training",
                "name": "全州专技人员培训班",
                "quantity": 2,
                "category": "public",
                "options": {"span": "day"},
            },
            {
                "kind": "paper",
                "name": "论文《山区医院护理管理》",
                "quantity": 1,
                "options": {"author": "first"},
            },
            {
                "kind": "award",
                "name": "州科技进步奖",
                "quantity": 1,
                "options": {"level": "prefectural", "rank": 3},
            },
        ],
        person={"title_application": {"level": "zhongji", "degree": "bachelor", "field": "other"}},
        history=[{"year": 2019, "hours": {"public": 30, "professional": 60}}],
    ),
    "henan-zhuanji-2021": _case(
        "henan-zhuanji-2021",
        [
            {
                "kind": "online_public_course",
                "name": "公需必修课",
                "quantity": 24,
                "category": "public_compulsory",
            },
            {"kind": "online_public_course", "name": "公需选修课", "quantity": 6, "category": "public"},
            {
                "kind": "recognised_hours",
                "name": "单位认定的专业课",
                "quantity": 60,
                "category": "professional",
            },
        ],
    ),
    "qinghai-zhuanji-2021": _case(
        "qinghai-zhuanji-2021",
        [
            {"kind": "online_public_course", "name": "青海干部网络学院公需课", "quantity": 60},
            {"kind": "pro_training", "name": "专业进修", "quantity": 100},
        ],
        person={"makeup_eligible": True},
        history=[
            {"year": 2020, "hours": {"public": 30, "professional": 80}, "required": {"public": 45, "professional": 90}}
        ],
    ),
    "xining-zhuanji-2021": _case(
        "xining-zhuanji-2021",
        [
            {"kind": "online_public_course", "name": "公需科目", "quantity": 45},
            {"kind": "pro_training", "name": "专业课培训", "quantity": 90},
            {
                "kind": "pro_online_course",
                "name": "未备案的线上专业课",
                "quantity": 20,
                "flags": ["plan_not_filed"],
            },
        ],
    ),
}


def expected(case: dict[str, Any], catalog: Catalog) -> Result:
    """The engine's result as the page gets it (the bridge passes today's date)."""
    outcome = run_case(case, catalog, today=dt.date.today())
    assert outcome.result is not None, outcome.problems
    return outcome.result
