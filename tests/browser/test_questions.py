"""A rule set's own questions and 到岗日期 on the calculator page (issue #21 item 4): asked in
个人情况 because form() says the rule set needs them, answered with the same tolerance and
messages as every other fact, kept in the store and the saved state.

No real rule set asks a question yet, so the page is built over the example rules plus one
fictional rule set written here (a requirement for senior titles only, a new hire's share of
the year), into the test's temporary folder; nothing of it is committed under rules/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from calculator.engine.words import PERSON_FIELD_WORDS, needs_answer_text

from .calc import Calculator
from .cases import ROOT
from .pagesite import build_page_site, guarded_page, project_with_rules
from .snapshot_seed import EngineSnapshot

RULE_SET = '# 示例（虚构）：要求取决于本人情况（现有职务、到岗日期）。\nformat: xueshi.rules/2\nid: shili-wenti-2025\ntitle: 示例县2025年度专业技术人员继续教育学时要求（示例）\njurisdiction: {code: shili-xian, name: 示例县, level: city, parent: shili}\nregime: zhuanji\nyear: 2025\nlast_checked: 2026-11-28\nsources:\n  - id: wenti\n    number: 示县人社发〔2025〕9号\n    title: 示例县人力资源和社会保障局关于专业技术人员继续教育学时的通知（示例，虚构）\n    issuer: 示例县人力资源和社会保障局（虚构）\n    date: 2025-02-01\n    text_file: shili-2025-wenti-9.txt\n    provenance: {kind: fictional, via: 为演示规则格式而编写的虚构文件，不是真实规定}\ncategories:\n  - id: professional\n    name: 专业科目\n    citation: &senior {source: wenti, section: 二, quote: 具有高级专业技术职务的，每年另需完成专业科目不少于30学时。}\nquestions:\n  - id: title_held\n    label: 现有专业技术职务\n    choices: {gaoji: 高级, other: 中级及以下}\n    citation: *senior\nrequirements:\n  - {id: total, label: 年度总学时, hours: 60, citation: {source: wenti, section: 一, quote: 专业技术人员每年参加继续教育的时间不少于60学时。}}\n  - {id: senior, label: 专业科目（高级职务）, category: professional, hours: 30, citation: *senior,\n     applies_when: {fact: title_held, op: in, values: [gaoji]}}\nreductions:\n  - id: new_hire\n    label: 新进人员按在岗月数折算\n    when: {fact: months_in_post_in_year, op: "<", value: 12}\n    factor: {fact: months_in_post_in_year, of: 12}\n    citation: {source: wenti, section: 三, quote: 新进人员按到岗当年的在岗月数占12个月的比例计算学时要求。}\nconversions:\n  - id: online_hours\n    label: 线上学习（平台记录学时）\n    quantity: {unit: hour, label: 平台记录的学时}\n    category: professional\n    rows:\n      - {hours: 1}\n    citation: {source: wenti, section: 四, quote: 参加线上学习的，按平台记录的学时计算。}\n'

CASES = '- name: 高级职务另需专业科目30学时\n  input:\n    person: {answers: {title_held: gaoji}}\n    activities:\n      - {kind: online_hours, name: 线上课程, quantity: 60}\n  output:\n    status: met\n- name: 年中到岗按在岗月数折算\n  input:\n    person: {answers: {title_held: other}, in_post_since: 2025-07-01}\n    activities:\n      - {kind: online_hours, name: 线上课程, quantity: 30}\n  output:\n    status: met\n'

SOURCE = '示例县人力资源和社会保障局关于专业技术人员继续教育学时的通知（示例，虚构）\n\n示县人社发〔2025〕9号\n\n说明：本文件是“学时自查”的规则编写示例，文中机构、文号、日期和数字均为虚构，只用于演示按本人情况确定要求的写法，不是任何地方的正式规定。\n\n一、专业技术人员每年参加继续教育的时间不少于60学时。\n\n二、具有高级专业技术职务的，每年另需完成专业科目不少于30学时。\n\n三、新进人员按到岗当年的在岗月数占12个月的比例计算学时要求。\n\n四、参加线上学习的，按平台记录的学时计算。\n'


@pytest.fixture(scope="module")
def question_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calculator page over the example rules and the rule set above (the build's own steps,
    without the guides, the studio's editor and the compressed copies)."""
    root = tmp_path_factory.mktemp("question-root")
    project_with_rules(root)
    shutil.copytree(ROOT / "examples" / "rules", root / "rules")
    (root / "rules" / "shili" / "shili-wenti-2025.yaml").write_text(RULE_SET, encoding="utf-8")
    (root / "rules" / "shili" / "shili-wenti-2025.cases.yaml").write_text(CASES, encoding="utf-8")
    (root / "rules" / "sources" / "shili-2025-wenti-9.txt").write_text(SOURCE, encoding="utf-8")
    return build_page_site(root, tmp_path_factory.mktemp("question") / "_site")


@pytest.fixture
def question_page(browser: Browser, question_site: Path, engine_snapshot: EngineSnapshot) -> Iterator[tuple[Page, str]]:
    with guarded_page(browser, question_site, engine_snapshot) as opened:
        yield opened


def test_the_rule_sets_question_and_the_date_in_post_are_asked_and_answered(question_page: tuple[Page, str]) -> None:
    page, url = question_page
    calc = Calculator(page, {"catalog": [], "forms": {}})
    calc.open(f"{url}?rule_set=shili-wenti-2025")
    person = page.locator("#person")
    expect(person).to_be_visible()
    title = page.get_by_label("现有专业技术职务")
    in_post = page.get_by_label(PERSON_FIELD_WORDS["in_post_since"]["label"])
    expect(title).to_have_value("")
    # unanswered: the engine asks for it, next to the field, and counts only what applies to all
    expect(page.locator("#answer-title_held-error")).to_have_text(needs_answer_text("现有专业技术职务"))
    assert page.locator('li.req[data-req="senior"]').count() == 0

    title.select_option(label="高级")
    calc.settle()
    expect(page.locator("#answer-title_held-error")).to_have_text("")
    assert calc.requirement("senior") == (0, 30)
    assert calc.requirement("total") == (0, 60)

    in_post.fill("2025-07-01")
    calc.settle()
    assert calc.requirement("total") == (0, 30)  # 60 x 6/12 months in post

    # kept in the store and the saved state: a reload shows the same answers and figures
    page.reload()
    calc.wait_engine()
    calc.settle()
    expect(title).to_have_value("gaoji")
    expect(in_post).to_have_value("2025-07-01")
    assert calc.requirement("total") == (0, 30)

