"""Older file formats upgrade automatically and mean the same thing after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from calculator.engine.run import run_case
from calculator.models.migrate import migrate_case
from calculator.rulefiles.upgrade import migrate_case_file, migrate_rule_text
from calculator.models.result import result_data

ROOT = Path(__file__).resolve().parent.parent
V1_CASE = {
    "format": "xueshi.case/1",
    "rule_set": "qinghai-zhuanji-2021",
    "person": {"makeup_eligible": True},
    "activities": [{"kind": "online_public_course", "name": "线上公需课", "quantity": 75},
                   {"kind": "pro_online_course", "name": "线上专业课", "quantity": 170}],
    "history": [{"year": 2019, "public": 20, "professional": 90, "required_public": 45, "required_professional": 90}],
}


def test_a_v1_case_and_its_migration_give_the_same_result(catalog) -> None:
    migrated = migrate_case(V1_CASE)
    assert migrated["format"] == "xueshi.case/2"
    assert migrated["history"] == [{"year": 2019, "hours": {"public": 20, "professional": 90},
                                    "required": {"public": 45, "professional": 90}}]
    old, new = run_case(V1_CASE, catalog), run_case(migrated, catalog)
    assert old.ok and new.ok
    assert result_data(old.result) == result_data(new.result)
    assert [a.hours for a in new.result.makeup.allocations] == [25]


def test_migration_leaves_a_current_case_alone() -> None:
    current = migrate_case(V1_CASE)
    assert migrate_case(current) == current


def test_rule_text_keeps_comments_and_anchors() -> None:
    text = "# 注释\nformat: xueshi.rules/1\nid: x\ncitation: &a {source: s}\n"
    assert migrate_rule_text(text) == text.replace("rules/1", "rules/2")


def test_worked_examples_file_migrates_each_input() -> None:
    text = yaml.safe_dump([{"name": "例", "input": {"history": [{"year": 2020, "public": 1}]}, "output": {}}],
                          allow_unicode=True)
    out = yaml.safe_load(migrate_case_file(text))
    assert out[0]["input"]["history"] == [{"year": 2020, "hours": {"public": 1}}]


def test_every_file_in_the_repository_is_current() -> None:
    files = [str(p) for p in sorted((ROOT / "rules").rglob("*.yaml")) if "schema" not in p.parts]
    files += [str(p) for p in sorted((ROOT / "examples").rglob("*.yaml"))]
    done = subprocess.run([sys.executable, "-m", "calculator", "migrate", "--check", *files],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout


def test_the_migrate_command_rewrites_an_old_case(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(V1_CASE, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "calculator", "migrate", "--case", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "已升级" in done.stdout
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "xueshi.case/2"
