"""calculator/doors/studio.py, the studio page's bridge, in CPython: the checks of
`python -m calculator validate` and `examples` on a draft, with the draft's lines."""

from __future__ import annotations

import base64
import io
import json
import shutil
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


PLACE = "xinjiang-aleitai"  # a place of rules/places.json without rule sets of its own


def draft(hours: str = "90", quote: str = QUOTE) -> str:
    """The blank template with one requirement, for a place of the registry."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("code: example", f"code: {PLACE}")
    return text.replace("requirements: []", f"""requirements:
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


def test_the_blank_template_asks_only_for_its_place() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    (problem,) = json.loads(studio.validate(text, ""))["problems"]
    assert problem["line"] == line_of(text, "code: example") and "places.json" in problem["message"]
    assert json.loads(studio.validate(text.replace("code: example", f"code: {PLACE}"), ""))["ok"]


# The live check is validate's: a draft with each kind of mistake validate finds after loading
# gives the studio the same messages as `validate_all` on a rules folder holding the draft.
BROKEN = {
    "number_not_in_quote": lambda t: t.replace("hours: 90", "hours: 100"),
    "no_text_file": lambda t: t.replace("    text_file: example-2026-notice.txt\n", ""),
    "no_provenance": lambda t: t[:t.index("    provenance:")] + t[t.index("\ncategories:"):],
    "unknown_place": lambda t: t.replace(f"code: {PLACE}", "code: atlantis"),
    "quote_not_in_text": lambda t: t.replace(f"quote: {QUOTE}", "quote: 每年不少于90学时"),
    "overlaps_a_published_set": lambda t: t.replace(f"code: {PLACE}", "code: henan").replace(
        "year: 2026", "year: 2021").replace("id: example-zhuanji-2026", "id: henan-zhuanji-2021-copy"),
}


@pytest.mark.parametrize("mistake", BROKEN)
def test_the_live_check_finds_what_validate_finds(mistake: str, tmp_path: Path) -> None:
    from calculator.rulefiles.loader import validate_all

    text = BROKEN[mistake](draft())
    rule_id = yaml.safe_load(text)["id"]
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / f"{rule_id}.yaml").write_text(text, encoding="utf-8")
    (rules / f"{rule_id}.cases.yaml").write_text("[]\n", encoding="utf-8")
    (rules / "sources" / "example-2026-notice.txt").write_text(NOTICE, encoding="utf-8")
    _, expected = validate_all(rules)
    assert expected, mistake  # the mistake is one validate refuses
    answer = json.loads(studio.validate(text, NOTICE))
    assert not answer["ok"]
    assert sorted(f"{rule_id}: {p['path']}: {p['message']}" for p in answer["problems"]) == sorted(expected)


def test_a_number_missing_from_its_quote_is_reported_at_the_quote() -> None:
    text = draft(hours="100")
    (problem,) = json.loads(studio.validate(text, NOTICE))["problems"]
    assert problem == {"line": line_of(text, f"quote: {QUOTE}"), "path": "requirements/total",
                       "message": "数字 100 不在所引原文中（请核对数字或引文）"}


def test_the_studio_and_validate_call_one_list_of_checks() -> None:
    import inspect

    from calculator.rulefiles import loader

    assert "rule_set_problems" in inspect.getsource(studio._check)
    assert "verify_quotes" not in inspect.getsource(studio._check)
    assert "author_checks" in inspect.getsource(loader.validate_all)


def test_a_period_overlapping_a_published_rule_set_is_reported() -> None:
    text = draft().replace(f"code: {PLACE}", "code: henan").replace("year: 2026", "year: 2021")
    messages = [p["message"] for p in json.loads(studio.validate(text, NOTICE))["problems"]]
    assert any("期间重叠" in m for m in messages), messages


def test_a_model_error_is_reported_in_chinese_at_its_line() -> None:
    text = draft(hours="九十")
    (problem,) = json.loads(studio.validate(text, NOTICE))["problems"]
    assert problem == {"line": line_of(text, "hours: 九十"), "path": "requirements[0].hours", "message": "学时要求：须为数字"}


def test_a_quote_missing_from_the_notice_is_reported_at_the_quote() -> None:
    text = draft(quote="每年不少于90学时")
    (problem,) = json.loads(studio.validate(text, NOTICE))["problems"]
    assert problem["line"] == line_of(text, "quote: 每年不少于90学时")
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


# ---------------------------------------------------------------- forms for a whole rule set (issue #21 item 7)

NOTICE2 = NOTICE + "其中专业科目一般不少于总学时的三分之二。\n"
SHARE_QUOTE = "其中专业科目一般不少于总学时的三分之二"


def added(text: str, section: str, entry: dict) -> str:
    answer = json.loads(studio.add_entry(text, section, json.dumps(entry, ensure_ascii=False)))
    assert answer["ok"], answer
    return answer["text"]


def test_categories_and_a_share_are_added_with_the_forms() -> None:
    text = added(draft(), "categories", {"id": "professional", "name": "专业科目", "counts_toward_total": True,
                                         "citation": {"source": "", "section": "一、学时要求", "quote": SHARE_QUOTE}})
    text = added(text, "requirements", {"id": "professional", "label": "专业科目", "category": "professional",
                                        "share": {"of": "total", "fraction": "2/3"},
                                        "citation": {"source": "", "section": "一、学时要求", "quote": SHARE_QUOTE}})
    assert text.startswith("# 新规则集")  # the office's comments stay
    answer = json.loads(studio.validate(text, NOTICE2))
    assert answer["ok"], answer["problems"]
    data = yaml.safe_load(text)
    assert data["categories"][0]["citation"]["source"] == "notice"
    assert data["requirements"][1]["share"] == {"of": "total", "fraction": "2/3"}
    # A share the quote does not say is refused like validate refuses it.
    wrong = text.replace("fraction: 2/3", "fraction: 1/2")
    assert any("1/2" in p["message"] for p in json.loads(studio.validate(wrong, NOTICE2))["problems"])


def test_set_field_makes_a_rule_set_standing_and_records_a_sources_provenance() -> None:
    text = draft()
    answer = json.loads(studio.set_field(text, json.dumps(["standing"]), "true"))
    assert answer["ok"], answer
    text = answer["text"]
    assert yaml.safe_load(text)["standing"] is True
    assert text.index("standing: true") > text.index("year: 2026")  # beside the year, not at the end
    provenance = {"kind": "repost", "urls": ["https://www.example.com/repost.html"], "retrieved": "2026-02-01",
                  "via": "检索工具保存的网页", "disagreements": "两个转载文本标点不同，采用第一个"}
    answer = json.loads(studio.set_field(text, json.dumps(["sources", 0, "provenance"]),
                                         json.dumps(provenance, ensure_ascii=False)))
    assert answer["ok"], answer
    text = answer["text"]
    source = yaml.safe_load(text)["sources"][0]
    assert source["provenance"]["kind"] == "repost" and source["text_file"] == "example-2026-notice.txt"
    assert str(source["provenance"]["retrieved"]) == "2026-02-01"
    assert text.startswith("# 新规则集") and "categories: []" in text
    assert json.loads(studio.validate(text, NOTICE))["ok"]
    # A path that is not in the draft is said in Chinese.
    answer = json.loads(studio.set_field(text, json.dumps(["sources", 5, "provenance"]), "{}"))
    assert not answer["ok"] and "sources" in answer["problems"][0]["message"]


def test_add_case_writes_a_worked_example_that_runs() -> None:
    template = (TEMPLATE.parent / "blank-province.cases.yaml").read_text(encoding="utf-8")
    case = {"name": "一学时未学（未达标）", "input": {"activities": []},
            "output": {"status": "short", "requirements": {"total": {"required": 90, "earned": 0}}}}
    answer = json.loads(studio.add_case(template, json.dumps(case, ensure_ascii=False)))
    assert answer["ok"], answer
    cases = answer["text"]
    assert cases.startswith("# 计算示例")  # the template's explanation stays
    second = {"name": "期望写错了", "input": {"activities": []}, "output": {"status": "met"}}
    cases = json.loads(studio.add_case(cases, json.dumps(second, ensure_ascii=False)))["text"]
    result = json.loads(studio.examples(draft(), NOTICE, cases))
    assert [c["name"] for c in result["cases"]] == ["一学时未学（未达标）", "期望写错了"]
    assert [c["passed"] for c in result["cases"]] == [True, False]
    bad = json.loads(studio.add_case(cases, json.dumps({"name": "缺少 input"}, ensure_ascii=False)))
    assert not bad["ok"] and "input" in bad["problems"][0]["message"]
