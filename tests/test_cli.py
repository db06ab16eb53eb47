"""The command line, end to end, as a person or a script would run it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calculator", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_list_and_validate() -> None:
    listed = run("list", "--json")
    assert listed.returncode == 0
    ids = {row["id"] for row in json.loads(listed.stdout)}
    assert "hunan-college-shiye-2023" in ids
    validated = run("validate")
    assert validated.returncode == 0, validated.stdout
    assert "校验通过" in validated.stdout


def test_evaluate_text_shows_every_citation() -> None:
    done = run("evaluate", "examples/hunan-college-2023.yaml")
    assert done.returncode == 0, done.stderr
    assert "2023年度已达标" in done.stdout
    assert "可报销 144 元" in done.stdout
    lines = done.stdout.splitlines()
    steps = [i for i, line in enumerate(lines) if re.match(r"^\s+\d+\. ", line)]
    # every step is followed by its citation: the quote itself the first time, "同〔n〕" after
    assert steps and all(lines[i + 1].strip().startswith("依据") for i in steps)
    quotes = [line for line in lines if re.match(r"^\s+依据〔\d+〕：", line)]
    assert len(quotes) == len(set(quotes)), "each quoted passage is printed once"


def test_evaluate_json_is_a_versioned_result() -> None:
    done = run("evaluate", "examples/hunan-college-2023.yaml", "--json")
    data = json.loads(done.stdout)
    assert data["format"] == "xueshi.result/2"
    assert data["fees"]["reimbursable"] == 144


def test_bad_case_gets_chinese_messages_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "rule_set": "xiangxi-zhuanji-2020",
        "activities": [{"kind": "paper", "name": "x", "quantity": -1, "date": "2020-13-01", "colour": "red"}],
    }), encoding="utf-8")
    done = run("evaluate", str(bad))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "activities[0].quantity：数量：须大于 0" in done.stderr
    assert "activities[0].date" in done.stderr
    assert "不认识的字段" in done.stderr
    # the bad activity is left out and named; the rest of the result is still there
    as_json = json.loads(run("evaluate", str(bad), "--json").stdout)
    assert as_json["format"] == "xueshi.result/2" and as_json["activities"] == []
    assert {p["path"] for p in as_json["problems"]} >= {"activities[0].quantity", "activities[0].date"}


def test_unknown_rule_set_and_unreadable_file(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text("jurisdiction: mars\nregime: zhuanji\nyear: 2021\n", encoding="utf-8")
    done = run("evaluate", str(case))
    assert done.returncode == 2 and "没有“mars”2021年度专业技术人员继续教育的规则" in done.stderr
    garbage = tmp_path / "g.json"
    garbage.write_bytes(b"\xff\xfe\x00garbage")
    done = run("evaluate", str(garbage))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "UTF-8" in done.stderr


def test_activity_rule_errors_are_reported_but_rest_is_computed(tmp_path: Path) -> None:
    case = tmp_path / "c.json"
    case.write_text(json.dumps({
        "rule_set": "xiangxi-zhuanji-2020",
        "activities": [
            {"kind": "paper", "name": "好的", "quantity": 1, "options": {"author": "first"}},
            {"kind": "award", "name": "排名0", "quantity": 1, "options": {"level": "prefectural", "rank": 0}},
            {"kind": "telepathy", "name": "未知", "quantity": 1},
        ],
    }), encoding="utf-8")
    done = run("evaluate", str(case), "--json")
    assert done.returncode == 2
    data = json.loads(done.stdout)
    assert data["requirements"][2]["earned"] == 30
    codes = {p["code"] for p in data["problems"]}
    assert codes == {"out_of_range", "unknown_kind"}


def test_schema_export(tmp_path: Path) -> None:
    done = run("schema", "all", "-o", str(tmp_path))
    assert done.returncode == 0
    for name in ("ruleset", "case", "result"):
        data = json.loads((tmp_path / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert data["title"].startswith("学时自查")


def test_committed_schemas_are_current() -> None:
    """Editors validate rule files against rules/schema/; it must match the models."""
    from calculator.models.schemas import schema

    for name in ("ruleset", "case", "result"):
        committed = json.loads((ROOT / "rules" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert committed == schema(name), f"rules/schema/{name}.schema.json 已过期：运行 python -m calculator schema all -o rules/schema"
