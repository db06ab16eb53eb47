"""calculator/doors/studio.py, the studio page's bridge, in CPython: the checks of
`python -m calculator validate` and `examples` on a draft, with the draft's lines."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml

from calculator.doors import studio
from calculator.rulefiles.loader import load_catalog, rule_files, rules_payload

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
TEMPLATE = ROOT / "site" / "static" / "studio" / "templates" / "blank-province.yaml"
NOTICE = "一、学时要求\n专业技术人员每年参加继续教育的时间累计不少于 90 学时。\n"
QUOTE = "专业技术人员每年参加继续教育的时间累计不少于90学时"


@pytest.fixture(scope="module", autouse=True)
def published() -> None:
    answer = json.loads(studio.init(rules_payload(load_catalog(RULES))))
    assert answer["ok"]


PLACE = "xizang"  # a place of rules/places.json with no rule set of its own


def draft(hours: str = "90", quote: str = QUOTE) -> str:
    return TEMPLATE.read_text(encoding="utf-8").replace("code: example", f"code: {PLACE}").replace(
        "requirements: []", f"""requirements:
  - id: total
    label: 年度总学时
    hours: {hours}
    citation:
      source: notice
      section: 一、学时要求
      quote: {quote}""")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def single_source_files() -> list[Path]:
    out = []
    for path in rule_files(RULES):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files = [s.get("text_file") for s in data.get("sources", []) if s.get("text_file")]
        if len(files) == 1:
            out.append(path)
    return out


@pytest.mark.parametrize("path", single_source_files(), ids=lambda p: p.stem)
def test_every_published_rule_file_passes_as_a_draft(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (text_file,) = [s["text_file"] for s in data["sources"] if s.get("text_file")]
    source = (RULES / "sources" / text_file).read_text(encoding="utf-8")
    answer = json.loads(studio.validate(path.read_text(encoding="utf-8"), source))
    assert answer == {"ok": True, "problems": [], "rule_set": {"id": data["id"], "title": data["title"]}}


def test_the_blank_template_asks_only_for_the_place() -> None:
    """The template is valid but for its placeholder place, which validate refuses too."""
    text = TEMPLATE.read_text(encoding="utf-8")
    (problem,) = json.loads(studio.validate(text, ""))["problems"]
    assert problem["path"] == "jurisdiction.code" and problem["line"] == line_of(text, "code: example")
    assert "places.json" in problem["message"]
    assert json.loads(studio.validate(text.replace("code: example", f"code: {PLACE}"), ""))["ok"]


def test_a_number_missing_from_its_quote_is_reported_as_validate_reports_it() -> None:
    """The live check runs validate's own checks: here the number the quote does not hold."""
    text = draft(hours="120")
    (problem,) = json.loads(studio.validate(text, NOTICE))["problems"]
    assert problem["message"] == "数字 120 不在所引原文中（请核对数字或引文）"
    assert problem["line"] == line_of(text, "- id: total")


def test_a_period_overlapping_a_published_rule_set_is_reported() -> None:
    text = draft().replace(f"code: {PLACE}", "code: henan").replace("year: 2026", "year: 2021")
    messages = [p["message"] for p in json.loads(studio.validate(text, NOTICE))["problems"]]
    assert any("期间重叠" in m for m in messages), messages


def test_a_model_error_is_reported_in_chinese_at_its_line() -> None:
    text = draft(hours="九十")
    (problem,) = json.loads(studio.validate(text, NOTICE))["problems"]
    assert problem == {"line": line_of(text, "hours: 九十"), "path": "requirements[0].hours", "message": "学时要求：须为数字"}


def test_a_quote_missing_from_the_notice_is_reported_at_the_quote() -> None:
    text = draft(quote="每年不少于100学时")
    problem, number = json.loads(studio.validate(text, NOTICE))["problems"]
    assert number["message"] == "数字 90 不在所引原文中（请核对数字或引文）"  # as validate says too
    assert problem["line"] == line_of(text, "quote: 每年不少于100学时")
    assert problem["message"].startswith("引文在原文中找不到")
    assert json.loads(studio.validate(draft(), NOTICE))["ok"]  # white space in the notice is ignored


def test_yaml_errors_and_duplicate_keys_use_the_loaders_messages() -> None:
    (problem,) = json.loads(studio.validate("id: a\nid: b\n", ""))["problems"]
    assert problem["line"] == 2 and "字段“id”重复出现" in problem["message"]
    (problem,) = json.loads(studio.validate("a: [", ""))["problems"]
    assert problem["line"] == 1 and problem["message"].startswith("YAML 格式有误")


def test_a_broken_reference_points_at_its_entry() -> None:
    text = draft().replace("    hours: 90", "    hours: 90\n    category: public")
    (problem,) = json.loads(studio.validate(text, NOTICE))["problems"]
    assert problem["line"] == line_of(text, "- id: total") and "public" in problem["message"]


def test_examples_pass_or_fail_with_figures() -> None:
    cases = """- name: 一学时未学
  input: {activities: []}
  output:
    status: short
    requirements:
      total: {required: 90, earned: 0}
- name: 期望写错了
  input: {activities: []}
  output:
    status: met
"""
    answer = json.loads(studio.examples(draft(), NOTICE, cases))
    first, second = answer["cases"]
    assert not answer["ok"] and first["passed"] and not second["passed"]
    assert first["figures"]["requirements"] == [
        {"id": "total", "label": "年度总学时", "required": 90, "earned": 0, "shortfall": 90, "met": False}
    ]
    assert second["line"] == line_of(cases, "期望写错了")
    assert any("status" in d for d in second["differences"])


def test_add_entry_keeps_the_text_and_fills_the_source() -> None:
    text = draft()
    entry = {"id": "online", "label": "网络学习", "quantity": {"unit": "hour", "label": "学时"},
             "category": "general", "rows": [{"hours": 1}],
             "citation": {"source": "", "section": "一、学时要求", "quote": QUOTE}}
    answer = json.loads(studio.add_entry(text, "conversions", json.dumps(entry, ensure_ascii=False)))
    added = answer["text"]
    assert added.startswith(text.split("conversions: []")[0])  # comments and layout before it unchanged
    data = yaml.safe_load(added)
    assert data["conversions"] == [{**entry, "citation": {**entry["citation"], "source": "notice"}}]
    again = json.loads(studio.add_entry(added, "conversions", json.dumps({**entry, "id": "second"})))["text"]
    assert [c["id"] for c in yaml.safe_load(again)["conversions"]] == ["online", "second"]


def test_bundle_lays_the_files_out_like_rules() -> None:
    answer = json.loads(studio.bundle(draft(), NOTICE, "[]\n"))
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(answer["base64"]))) as zf:
        assert sorted(zf.namelist()) == [
            "example-zhuanji-2026.cases.yaml", "example-zhuanji-2026.yaml", "sources/example-2026-notice.txt",
        ]
        assert zf.read("sources/example-2026-notice.txt").decode() == NOTICE
    assert answer["filename"] == "example-zhuanji-2026.zip"


def test_a_copy_of_a_published_rule_set_validates_with_its_source() -> None:
    text = json.loads(studio.rule_text("henan-zhuanji-2021"))["text"]
    source = (RULES / "sources" / "henan-2021-yu-ren-she-ban-19.txt").read_text(encoding="utf-8")
    assert json.loads(studio.validate(text, source))["ok"]


def test_nothing_crosses_as_a_traceback() -> None:
    answer = json.loads(studio.validate("x" * (studio.MAX_CHARS + 1), ""))
    assert not answer["ok"] and answer["problems"][0]["message"] == "内容太大或不是文本"


def test_a_fixture_for_every_released_drafts_format() -> None:
    import re

    source = (ROOT / "site" / "static" / "studio" / "drafts.js").read_text(encoding="utf-8")
    current = int(re.search(r"export const DRAFTS_VERSION = (\d+);", source).group(1))
    for version in range(1, current + 1):
        data = json.loads((ROOT / "tests" / "fixtures" / "studio" / f"v{version}.json").read_text(encoding="utf-8"))
        assert data["version"] == version and data["drafts"][data["current"]]["rule"]


def test_guide_preview_is_the_builds_markdown_and_refuses_a_wrong_example() -> None:
    cases = "- name: 一学时未学\n  input: {activities: []}\n  output: {status: short}\n"
    answer = json.loads(studio.guide(draft(), NOTICE, cases))
    assert answer["ok"] and answer["markdown"].startswith("# 某省2026年度专业技术人员继续教育学时要求")
    assert QUOTE in answer["markdown"]
    wrong = json.loads(studio.guide(draft(), NOTICE, cases.replace("short", "met")))
    assert not wrong["ok"] and "计算示例未通过" in wrong["problems"][0]["message"]
