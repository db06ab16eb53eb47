"""The authoring studio (studio.html) in a real Chromium: a small province built from
scratch, as a policy office would, and the downloaded zip checked by the command line.

The `guard` fixture fails every test on a request to another host, a console or page
error, or a CSP violation (CodeMirror's styles must not need 'unsafe-inline').
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from sitebuild.site.serve import StaticServer

from .axe import axe_source, run_axe, serious_violations
from .cases import ROOT
from .harness import RequestGuard, new_context

RULE_ID = "example-zhuanji-2026"
TEXT_FILE = "example-2026-notice.txt"
NOTICE = """某省人力资源和社会保障厅关于做好2026年度专业技术人员继续教育工作的通知

一、学时要求
专业技术人员每年参加继续教育的时间累计不少于90学时。

二、学习方式
参加网络学习的，按平台记录的学时计算，每1学时计1学时。

三、特殊情况
距法定退休年龄不足1年的专业技术人员，视同完成当年继续教育学时。
"""
REQUIREMENT_QUOTE = "专业技术人员每年参加继续教育的时间累计不少于90学时"
CONVERSION_QUOTE = "按平台记录的学时计算，每1学时计1学时"
EXCEPTION_QUOTE = "距法定退休年龄不足1年的专业技术人员，视同完成当年继续教育学时"
CASES = """- name: 网络学习90学时（达标）
  input:
    activities:
      - {kind: online, name: 网络学习, quantity: 90}
  output:
    status: met
    requirements:
      total: {required: 90, earned: 90, met: true}
"""


def select_in_source(page: Page, passage: str) -> None:
    """Select `passage` in the notice text, as a mouse drag would."""
    page.evaluate(
        """(passage) => { const area = document.getElementById("source-text");
                          const at = area.value.indexOf(passage);
                          if (at < 0) throw new Error("passage not in the notice");
                          area.focus(); area.setSelectionRange(at, at + passage.length); }""",
        passage,
    )


def paste(page: Page, editor: str, text: str) -> None:
    """Paste `text` at the cursor of an editor, as Ctrl+V does (CodeMirror's paste handler).

    Not keyboard.insert_text: a multi-line insertText is carried out by Chromium's own
    contenteditable editing, which copies inline styles onto new lines (a CSP report) and
    is not what a person's typing or pasting does (CodeMirror handles Enter and paste).
    """
    page.locator(f"{editor} .cm-content").evaluate(
        """(el, text) => { const data = new DataTransfer(); data.setData("text/plain", text);
                          el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})); }""",
        text,
    )


def rule_line(page: Page, text: str):
    return page.locator("#rule-editor .cm-line", has_text=text)


def validated(page: Page) -> int:
    return int(page.locator("body").get_attribute("data-validated") or 0)


def wait_validated_after(page: Page, before: int) -> None:
    page.wait_for_function("(n) => Number(document.body.dataset.validated || 0) > n", arg=before, timeout=60_000)


def choose_form(page: Page, kind: str, fields: dict[str, str]) -> None:
    """Open form `kind` and fill its fields (a select by value, any other control by typing)."""
    page.select_option("#form-kind", kind)
    for name, value in fields.items():
        control = page.locator(f"#form-{name}")
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def fill_form(page: Page, kind: str, fields: dict[str, str], quote: str) -> None:
    choose_form(page, kind, fields)
    select_in_source(page, quote)
    page.get_by_role("button", name="用选中文字").click()
    expect(page.locator("#form-quote")).to_have_value(quote)
    before = validated(page)
    page.get_by_role("button", name="添加到规则文件").click()
    expect(page.locator("#form-message")).to_contain_text("已添加")
    wait_validated_after(page, before)


def write_fields(page: Page, kind: str, fields: dict[str, str]) -> None:
    """Fill a form that writes fields of the rule file (no citation) and write them."""
    choose_form(page, kind, fields)
    before = validated(page)
    page.get_by_role("button", name="写入规则文件").click()
    expect(page.locator("#form-message")).to_contain_text("已写入")
    wait_validated_after(page, before)


def _fill_rows(page: Page, rows: str, add: str, values: list[dict[str, str]]) -> None:
    """One fieldset of `rows` per entry of `values` (the button `add` adds the next), fields by id suffix."""
    for i, entry in enumerate(values):
        if i:
            page.get_by_role("button", name=add).click()
        row = page.locator(f"{rows} fieldset").nth(i)
        for field, value in entry.items():
            row.locator(f"input[id$='-{field}']").fill(value)


def add_case_with_form(page: Page, name: str, activities: list[dict[str, str]], status: str,
                       figures: list[dict[str, str]]) -> None:
    """Write a worked example with the cases form, as an office that knows no YAML would."""
    form = page.locator("#case-form")
    if not form.evaluate("el => el.open"):
        form.locator("summary").click()
    page.fill("#case-name", name)
    _fill_rows(page, "#case-activities", "再加一项活动", activities)
    page.select_option("#case-status", status)
    _fill_rows(page, "#case-requirements", "再加一项要求的数字", figures)
    page.get_by_role("button", name="添加计算示例").click()
    expect(page.locator("#case-message")).to_contain_text(f"已添加计算示例“{name}”")


PLACE = "xinjiang-aleitai"  # a place of rules/places.json without rule sets of its own
REPOST_URL = "https://www.example.com/repost/2026-1.html"


def build_small_province(page: Page, url: str) -> None:
    """Open the studio at `url` and build the small province up to a previewed example."""
    page.goto(url)
    page.locator("body[data-ready='1']").wait_for(state="attached", timeout=90_000)
    # The blank template's place is a placeholder: validate would refuse it, so the studio does.
    expect(page.locator("#validation")).to_contain_text("有 1 处问题")
    expect(page.locator("#problem-list li")).to_contain_text("places.json")
    page.locator("#forms summary").click()
    write_fields(page, "identity", {"jurisdiction-code": PLACE})
    expect(page.locator("#validation")).to_contain_text("校验通过")

    # The notice's text, pasted.
    page.fill("#source-text", NOTICE)

    # A category and a requirement typed in the editor; both quotes inserted from selections.
    rule_line(page, f"code: {PLACE}").click()
    page.keyboard.press("Control+End")  # CodeMirror draws only the lines near its visible part
    rule_line(page, "categories: []").click()
    page.keyboard.press("Home")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+End")  # "categories: []" and "requirements: []"
    paste(page, "#rule-editor",
        "categories:\n  - id: general\n    name: 继续教育\n    citation:\n      source: notice\n"
        "      section: 一、学时要求\n      "
    )
    select_in_source(page, REQUIREMENT_QUOTE)
    page.get_by_role("button", name="插入选中文字为引文").click()
    paste(page, "#rule-editor",
        "\nrequirements:\n  - id: total\n    label: 年度总学时\n    hours: 九十\n    citation:\n"
        "      source: notice\n      section: 一、学时要求\n      "
    )
    select_in_source(page, REQUIREMENT_QUOTE)
    before = validated(page)
    page.get_by_role("button", name="插入选中文字为引文").click()
    expect(rule_line(page, f'quote: "{REQUIREMENT_QUOTE}"')).to_have_count(2)

    # The mistake ("九十" is not a number) is reported in Chinese at its line...
    wait_validated_after(page, before)
    problem = page.locator("#problem-list li", has_text="须为数字")
    expect(problem).to_have_count(1)
    hours_line = 1 + page.evaluate(
        """() => { const lines = [...document.querySelector('#rule-editor').shadowRoot.querySelectorAll('.cm-line')];
                   return lines.findIndex(l => l.textContent.includes('hours: 九十')); }"""
    )
    expect(problem).to_contain_text(f"第 {hours_line} 行")
    expect(page.locator("#rule-editor .cm-lint-marker-error")).not_to_have_count(0)
    # ...and fixed from there: the line button puts the cursor on it.
    before = validated(page)
    problem.get_by_role("button").click()
    page.keyboard.press("Shift+End")
    page.keyboard.insert_text("    hours: 90")
    wait_validated_after(page, before)
    expect(page.locator("#validation")).to_contain_text("校验通过")
    expect(page.locator("#problem-list li")).to_have_count(0)

    # On a quote's line, the button replaces that quote (here: the category's, with its full stop).
    rule_line(page, f'quote: "{REQUIREMENT_QUOTE}"').first.click()
    select_in_source(page, REQUIREMENT_QUOTE + "。")
    page.get_by_role("button", name="插入选中文字为引文").click()
    expect(rule_line(page, f'quote: "{REQUIREMENT_QUOTE}。"')).to_have_count(1)
    expect(rule_line(page, f'quote: "{REQUIREMENT_QUOTE}"')).to_have_count(1)

    # A conversion and an exception with the forms; their quotes from selections too.
    fill_form(page, "conversions", {"id": "online", "label": "网络学习", "unit": "hour",
                                    "quantity_label": "平台记录的学时", "category": "general", "row_hours": "1",
                                    "section": "二、学习方式"}, CONVERSION_QUOTE)
    expect(page.locator("#validation")).to_contain_text("校验通过")
    fill_form(page, "exceptions", {"id": "near_retirement", "label": "距退休不足1年", "effect": "deemed_complete",
                                   "fact": "months_to_retirement_at_year_end", "op": "<", "value": "12",
                                   "section": "三、特殊情况"}, EXCEPTION_QUOTE)
    expect(page.locator("#validation")).to_contain_text("校验通过")
    # Where the notice's text came from, with the provenance form.
    write_fields(page, "provenance", {"provenance-source_index": "1", "provenance-kind": "repost",
                                      "provenance-urls": REPOST_URL, "provenance-retrieved": "2026-02-01",
                                      "provenance-via": "检索工具保存的网页"})
    expect(page.locator("#validation")).to_contain_text("校验通过")
    expect(rule_line(page, "kind: repost")).to_have_count(1)

    # A worked example that passes, with its figures.
    page.locator("#cases-editor .cm-content").click()
    page.keyboard.press("Control+a")
    paste(page, "#cases-editor", CASES)
    example = page.locator("#example-list > li", has_text="网络学习90学时（达标）")
    expect(example).to_contain_text("通过", timeout=60_000)
    expect(example.locator(".figures tbody tr")).to_have_text(["年度总学时90900是"])
    expect(page.locator("#example-summary")).to_have_text("1 个通过，0 个不一致")
    # A second one with the cases form: no YAML typed.
    add_case_with_form(page, "一学时未学（未达标）", [], "short",
                       [{"id": "total", "required": "90", "earned": "0"}])
    expect(page.locator("#example-summary")).to_have_text("2 个通过，0 个不一致", timeout=60_000)

    # The calculator's result for it.
    example.get_by_role("button", name="预览").click()
    expect(page.locator("#status .status-label")).to_have_text("已达标", timeout=30_000)
    expect(page.locator("#result-body")).to_contain_text("年度总学时")

    # The guide page the build will make, from the same generator.
    page.get_by_role("button", name="生成指南页面预览").click()
    guide = page.locator("#guide-markdown")
    expect(guide).to_contain_text("# 某省2026年度专业技术人员继续教育学时要求", timeout=60_000)
    expect(guide).to_contain_text(REQUIREMENT_QUOTE)
    expect(guide).to_contain_text("距退休不足1年")


def test_a_province_from_scratch_to_a_zip_that_validates(page: Page, server: StaticServer, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    build_small_province(page, f"{server.origin}/studio.html")

    # Nothing typed is lost on reload (drafts in this browser).
    page.reload()
    page.locator("body[data-ready='1']").wait_for(state="attached", timeout=90_000)
    # CodeMirror draws only the lines near its visible part, and how many depends on the
    # wrapped heights (the fonts may arrive late): go to the end, where the entry was added,
    # as a person would, before looking for it.
    page.locator("#rule-editor .cm-content").click()
    page.keyboard.press("Control+End")
    expect(rule_line(page, "id: near_retirement")).to_have_count(1)
    expect(page.locator("#source-text")).to_have_value(NOTICE)

    # The zip: rule file, cases file, notice text, laid out like rules/.
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 zip").click()
    download = info.value
    assert download.suggested_filename == f"{RULE_ID}.zip"
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted([f"{RULE_ID}.yaml", f"{RULE_ID}.cases.yaml", f"sources/{TEXT_FILE}"])
        assert zf.read(f"sources/{TEXT_FILE}").decode("utf-8") == NOTICE
        rules = tmp_path / "rules"
        shutil.copytree(ROOT / "rules", rules)
        zf.extractall(rules)  # "drop into rules/"
    for command in ("validate", "examples"):
        proc = subprocess.run([sys.executable, "-m", "calculator", "--rules", str(rules), command],
                              capture_output=True, text=True, check=False, cwd=ROOT)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "example-zhuanji-2026 · 网络学习90学时（达标）" in proc.stdout


def test_drafts_files_from_disk_and_schema_help(page: Page, server: StaticServer, tmp_path: Path) -> None:
    page.goto(f"{server.origin}/studio.html")
    page.locator("body[data-ready='1']").wait_for(state="attached", timeout=90_000)

    # Open a published rule file, its cases and its notice from disk: all checks pass.
    rule = ROOT / "rules" / "henan" / "henan-zhuanji-2021.yaml"
    before = validated(page)
    page.set_input_files("#open-files", [rule, rule.with_name("henan-zhuanji-2021.cases.yaml"),
                                         ROOT / "rules" / "sources" / "henan-2021-yu-ren-she-ban-19.txt"])
    expect(page.locator("#drafts-message")).to_contain_text("已打开")
    wait_validated_after(page, before)
    expect(page.locator("#validation")).to_contain_text("校验通过", timeout=60_000)
    expect(page.locator("#example-summary")).to_contain_text("个通过，0 个不一致", timeout=60_000)

    # A wrong expectation in the cases is marked at its line in the cases editor.
    cases = rule.with_name("henan-zhuanji-2021.cases.yaml").read_text(encoding="utf-8")
    page.locator("#cases-editor .cm-content").click()
    page.keyboard.press("Control+a")
    before = validated(page)
    paste(page, "#cases-editor", cases.replace("status: met", "status: short", 1))
    wait_validated_after(page, before)
    expect(page.locator("#example-summary")).to_contain_text("1 个不一致", timeout=60_000)
    expect(page.locator("#cases-editor .cm-lint-marker-error")).to_have_count(1)
    expect(page.locator("#example-list > li.failed")).to_contain_text("期望 'short'，实际 'met'")

    # Completion offers the fields the schema allows where the cursor is.
    rule_line(page, "level: province").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")  # CodeMirror indents the new line like the one above
    page.keyboard.type("par")
    option = page.locator("#rule-editor .cm-tooltip-autocomplete li", has_text="parent")
    expect(option).to_be_visible()
    expect(page.locator("#rule-editor .cm-completionInfo")).to_contain_text("上级辖区代码")
    page.keyboard.press("Escape")

    # A second draft from the blank template; the first is kept and comes back.
    page.get_by_role("button", name="新建（空白省级模板）").click()
    expect(rule_line(page, "id: example-zhuanji-2026")).to_have_count(1)
    expect(page.locator("#draft-select option")).to_have_count(2)
    page.select_option("#draft-select", index=0)
    expect(rule_line(page, "id: henan-zhuanji-2021")).to_have_count(1)
    expect(page.locator("#source-text")).not_to_have_value("")

    # Deleting asks first; cancelling keeps the draft.
    page.get_by_role("button", name="删除草稿").click()
    page.locator("#confirm").get_by_role("button", name="取消").click()
    expect(page.locator("#draft-select option")).to_have_count(2)
    page.get_by_role("button", name="删除草稿").click()
    page.locator("#confirm").get_by_role("button", name="删除").click()
    expect(page.locator("#draft-select option")).to_have_count(1)
    expect(rule_line(page, "id: example-zhuanji-2026")).to_have_count(1)
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('xueshi.studio'))")
    assert stored["version"] == 1 and len(stored["drafts"]) == 1


def test_axe_finds_nothing_serious_in_the_studio(browser: Browser, server: StaticServer) -> None:
    """Own context: axe adds <style> elements while it looks into the editors' shadow roots,
    a CSP report caused by the checker; the page itself is checked clean before axe runs."""
    context = new_context(browser)
    try:
        guard = RequestGuard.attach(context, server.origin)
        page = context.new_page()
        page.goto(f"{server.origin}/studio.html")
        page.locator("body[data-validated]").wait_for(state="attached", timeout=90_000)
        page.locator("#forms summary").click()
        page.locator("#case-form summary").click()
        guard.assert_clean()
        axe = axe_source()
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            assert serious_violations(run_axe(page, axe)) == [], width
    finally:
        context.close()


FIXTURES = ROOT / "tests" / "fixtures" / "studio"


def test_saved_drafts_of_every_format_open_and_unreadable_ones_are_set_aside(page: Page, server: StaticServer) -> None:
    page.goto(f"{server.origin}/studio.html")
    page.locator("body[data-ready='1']").wait_for(state="attached", timeout=90_000)
    for fixture in sorted(FIXTURES.glob("v*.json")):
        record = fixture.read_text(encoding="utf-8")
        page.evaluate("(text) => localStorage.setItem('xueshi.studio', text)", record)
        page.reload()
        page.locator("body[data-validated]").wait_for(state="attached", timeout=90_000)
        expect(page.locator("#draft-select option:checked")).to_have_text("某省2026（样例草稿）")
        # Saved from the template before the place registry and provenance: validate finds
        # these two now, and so does the studio; filled in with the forms, the draft passes again.
        expect(page.locator("#validation")).to_contain_text("有 2 处问题")
        expect(page.locator("#problem-list li", has_text="places.json")).to_have_count(1)
        expect(page.locator("#problem-list li", has_text="缺少 provenance")).to_have_count(1)
        page.locator("#forms summary").click()
        write_fields(page, "identity", {"jurisdiction-code": PLACE})
        write_fields(page, "provenance", {"provenance-kind": "official",
                                          "provenance-urls": "https://example.gov.cn/notice.html",
                                          "provenance-retrieved": "2026-01-15"})
        expect(page.locator("#validation")).to_contain_text("校验通过")
        expect(page.locator("#example-summary")).to_have_text("1 个通过，0 个不一致", timeout=60_000)

    # A published rule set copied into a new draft.
    page.select_option("#copy-select", "henan-zhuanji-2021")
    page.get_by_role("button", name="复制", exact=True).click()
    expect(rule_line(page, "id: henan-zhuanji-2021")).to_have_count(1)
    expect(page.locator("#draft-select option")).to_have_count(2)

    # Something unreadable under the key is kept aside, never deleted.
    page.evaluate("() => localStorage.setItem('xueshi.studio', '{not json')")
    page.reload()
    page.locator("body[data-editor='1']").wait_for(state="attached", timeout=90_000)
    expect(page.locator("#drafts-message")).to_contain_text("已原样另存为 xueshi.studio.unreadable.")
    kept = page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('xueshi.studio.unreadable.'))
                                    .map(k => localStorage.getItem(k))""")
    assert kept == ["{not json"]
    expect(rule_line(page, "id: example-zhuanji-2026")).to_have_count(1)  # a fresh draft from the template
