"""Issue #7, trust, in a real Chromium: no data lost, nothing leaked, hostile input harmless,
accessible to everyone, and clear words when something fails.

Data       saved on every change and back after a crash or a closed tab; every released
           storage format read (tests/fixtures/storage/); unreadable data set aside with a
           message and a download; clearing asks in a <dialog>.
Privacy    no request to another host (calculator, batch, guides); a share link's data never
           reaches the server.
CSP        a whole case (several kinds, circumstances, export, import) with the policy sent as
           a header: no violation on the page or in the worker (and a worker violation is seen).
Hostile    markup, scripts, long strings, control characters, huge numbers, NaN, deep JSON,
           a 50 MB file: text, refused with a message, or capped; the page keeps working.
Offline    computing goes on with the network gone; a service worker (HTTPS, or localhost
           with ?sw=1) makes a reload work offline; none on plain HTTP; file:// explained.
Access     axe-core (light and dark), a whole case by keyboard only, errors announced next
           to their fields, status never by colour alone.
Failures   a missing wasm file or a wrong MIME type: a Chinese message within the watchdog.

Screenshots: set XUESHI_SHOTS=/some/dir to keep the ones taken here.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from calculator.engine.explain import summary_lines
from calculator.rulefiles.loader import load_catalog
from calculator.engine.resolve import Catalog
from sitebuild.site.security import SECURITY_HEADERS, SITE_CSP
from sitebuild.site.serve import StaticServer, serve

from .axe import axe_source, run_axe, serious_violations
from .calc import ENGINE_TIMEOUT_MS, Calculator, headline, history_labels
from .cases import CASES, ROOT, expected
from .harness import RequestGuard, new_context
from .snapshot_seed import EngineSnapshot, seed_snapshot

FIXTURES = ROOT / "tests" / "fixtures" / "storage"
STORAGE_KEY = "xueshi.state"
SET_ASIDE = "xueshi.state.unreadable."
SHOTS = Path(os.environ["XUESHI_SHOTS"]) if os.environ.get("XUESHI_SHOTS") else None
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "rules")


@pytest.fixture(scope="session")
def axe() -> str:
    return axe_source()


@pytest.fixture
def calc(page: Page, forms: dict[str, Any]) -> Calculator:
    return Calculator(page, forms)


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def form_ready(page: Page) -> None:
    page.locator("#btn-add-activity:not([disabled])").wait_for(timeout=ENGINE_TIMEOUT_MS)


def stored(page: Page) -> dict[str, Any] | None:
    raw = page.evaluate(f"() => localStorage.getItem({STORAGE_KEY!r})")
    return json.loads(raw) if raw else None


def set_aside_keys(page: Page) -> list[str]:
    return page.evaluate(f"() => Object.keys(localStorage).filter((k) => k.startsWith({SET_ASIDE!r}))")


def seed(context: BrowserContext, raw: str) -> None:
    """Put `raw` under the state key before the page's first script runs (first load only)."""
    context.add_init_script(f"""
      try {{
        if (location.protocol.startsWith("http") && !sessionStorage.getItem("xueshi.test.seeded")) {{
          localStorage.setItem({STORAGE_KEY!r}, {json.dumps(raw)});
          sessionStorage.setItem("xueshi.test.seeded", "1");
        }}
      }} catch (e) {{}}""")


def titles(page: Page) -> list[str]:
    return page.locator("li.activity .activity-title").all_inner_texts()


def message(page: Page) -> str:
    """The toolbar message once it is final (not the "正在检查…" line)."""
    box = page.locator("#toolbar-message")
    expect(box).not_to_be_empty()
    expect(box).not_to_have_text(re.compile(r"^正在检查"), timeout=ENGINE_TIMEOUT_MS)
    return box.inner_text()


# ================================================================ data: nothing lost


@pytest.mark.parametrize("how", ["closed", "crashed"])
def test_every_change_is_saved_at_once_and_survives_a_lost_tab(
    how: str, calc: Calculator, context: BrowserContext, server: StaticServer, forms: dict[str, Any]
) -> None:
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    page = calc.page
    page.get_by_label("姓名（可选）").fill("王五")
    calc.add_activity({"kind": "platform_hours", "name": "刚输入的课程", "quantity": 7, "category": "public"},
                      "hunan-shiye-2023")
    # no waiting, no unload handler: the tab is gone the moment the last key is typed
    if how == "crashed":
        # kill -9 the renderer processes of this (test-only) browser: a real crash. Waits for
        # the crash event itself (a fixed 1 s wait could end before it on a busy machine).
        info = context.browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
        with page.expect_event("crash"):
            for process in info["processInfo"]:
                if process["type"] == "renderer":
                    os.kill(int(process["id"]), signal.SIGKILL)
    page.close(run_before_unload=False)

    again = Calculator(context.new_page(), forms)
    again.open(server.url)
    expect(again.page.get_by_label("姓名（可选）")).to_have_value("王五")
    assert titles(again.page) == ["刚输入的课程"]
    assert again.activity_hours() == ["7 学时"]
    expect(again.page.locator(".ruleset-title")).to_have_text(again.catalog["hunan-shiye-2023"]["title"])


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("v*.json")))
def test_every_released_storage_format_is_read(fixture: str, context: BrowserContext, calc: Calculator,
                                                server: StaticServer) -> None:
    raw = (FIXTURES / fixture).read_text(encoding="utf-8")
    record = json.loads(raw)
    seed(context, raw)
    calc.open(server.url)
    page = calc.page
    draft = record["draft"]
    assert titles(page) == [a["name"] for a in draft["activities"]]
    expect(page.get_by_label("姓名（可选）")).to_have_value(draft["person"]["name"])
    expect(page.locator(".ruleset-title")).to_have_text(calc.catalog[draft["rule_set"]]["title"])
    if draft["person"]["title"]["applying"]:
        expect(page.get_by_label("本年度申报职称")).to_be_checked()
    expect(page.locator("#storage-notice")).to_have_count(0)
    assert set_aside_keys(page) == []
    # the next change saves it in the current format, nothing dropped
    page.get_by_label("姓名（可选）").fill(draft["person"]["name"] + "（已核对）")
    now = stored(page)
    assert now and now["version"] >= record["version"]
    assert [a["name"] for a in now["draft"]["activities"]] == [a["name"] for a in draft["activities"]]


def test_format_1_history_rows_become_rows_by_category(context: BrowserContext, calc: Calculator,
                                                        server: StaticServer) -> None:
    """Format 1 kept an earlier year's figures as fields named after the category ids; format 2
    groups them (hours, required): the typed values survive, reach the engine, and are saved anew."""
    raw = (FIXTURES / "v1.json").read_text(encoding="utf-8")
    record = json.loads(raw)
    old = record["draft"]["history"][0]
    seed(context, raw)
    calc.open(server.url)
    page = calc.page
    labels = history_labels(calc.forms["forms"][record["draft"]["rule_set"]])
    row = page.locator("li.history-row")
    expect(row).to_have_count(1)
    expect(row.get_by_label("年度", exact=True)).to_have_value(old["year"])
    for category, label in labels["hours"].items():
        expect(row.get_by_label(label, exact=True)).to_have_value(old[category])
    # the engine got them: the title window shows the year from the saved row
    expect(page.locator(f'.window tbody tr[data-year="{old["year"]}"] td').first).to_have_text(old[list(labels["hours"])[0]])
    page.get_by_label("姓名（可选）").fill("张三（已核对）")
    now = stored(page)
    assert now and now["version"] == 2
    assert now["draft"]["history"][0]["hours"] == {c: old[c] for c in labels["hours"]}
    assert now["draft"]["history"][0]["uid"] == old["uid"]
    assert set_aside_keys(page) == []


UNREADABLE = {
    "not-json": ('{"version": 1, "draft": {"activities": [', "不是有效的 JSON"),
    "not-an-object": ("[1, 2, 3]", "不是对象"),
    "wrong-shape": (json.dumps({"version": 1, "draft": {"activities": "三项"}}), "学习列表缺失或不是列表"),
    "wrong-type": (json.dumps({"version": 1, "draft": {"activities": [{"kind": ["training"]}]}}), "类型不对"),
    "newer-version": (json.dumps({"version": 99, "draft": {"activities": []}}), "较新版本"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_saved_data_is_set_aside_with_a_message(
    name: str, context: BrowserContext, calc: Calculator, server: StaticServer, tmp_path: Path
) -> None:
    raw, reason = UNREADABLE[name]
    seed(context, raw)
    calc.open(server.url + "?rule_set=hunan-shiye-2023")
    page = calc.page
    notice = page.locator("#storage-notice")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("无法读取")
    expect(notice).to_contain_text(reason)
    expect(notice).to_contain_text("没有删除")
    if name == "not-json":
        shot(page, "corrupted-state-desktop")
        page.set_viewport_size(PHONE)
        shot(page, "corrupted-state-phone")
        page.set_viewport_size({"width": 1280, "height": 900})
    # kept, word for word, under another key; the main key is free for new data
    (key,) = set_aside_keys(page)
    assert json.loads(page.evaluate("(k) => localStorage.getItem(k)", key))["text"] == raw
    assert stored(page) is None
    # downloadable as it was
    with page.expect_download() as info:
        notice.get_by_role("button", name="下载").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.read_text(encoding="utf-8") == raw
    assert "无法读取的数据" in target.name
    # the page works and saves again; the notice stays until the copy is deleted
    calc.add_activity({"kind": "platform_hours", "name": "新数据", "quantity": 3, "category": "public"},
                      "hunan-shiye-2023")
    calc.settle()
    assert [a["name"] for a in stored(page)["draft"]["activities"]] == ["新数据"]
    page.reload()
    calc.wait_engine()
    expect(notice).to_be_visible()
    assert titles(page) == ["新数据"]
    notice.get_by_role("button", name="删除").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="取消").click()
    assert set_aside_keys(page) == [key]
    notice.get_by_role("button", name="删除").click()
    dialog.get_by_role("button", name="删除").click()
    expect(notice).to_have_count(0)
    assert set_aside_keys(page) == []


def test_hostile_saved_data_renders_as_text(context: BrowserContext, calc: Calculator, server: StaticServer) -> None:
    """Ids and names come back from storage: a crafted uid must not break selectors, markup stays text."""
    evil = '<img src=x onerror="window.__pwned=1">'
    record = {"version": 1, "draft": {
        "rule_set": "hunan-shiye-2023",
        "person": {"name": evil},
        "activities": [{"uid": 'a"],body,[x="', "kind": "platform_hours", "name": evil, "quantity": 5,
                        "category": "public", "options": {}, "flags": []}],
    }}
    seed(context, json.dumps(record))
    calc.open(server.url)
    page = calc.page
    assert titles(page) == [evil]
    expect(page.get_by_label("姓名（可选）")).to_have_value(evil)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert calc.activity_hours() == ["5 学时"]
    card = page.locator("li.activity").first
    card.get_by_role("button", name="编辑").click()
    card.get_by_label("名称", exact=True).fill("改过的名字")
    expect(card.locator(".activity-title")).to_have_text("改过的名字")
    assert re.fullmatch(r"[A-Za-z0-9_]+", stored(page)["draft"]["activities"][0]["uid"])


def test_clearing_asks_in_a_dialog_and_cancel_keeps_the_data(calc: Calculator, server: StaticServer) -> None:
    calc.open(server.url)
    calc.fill_case(CASES["henan-zhuanji-2021"])
    page = calc.page
    before = titles(page)
    clear = page.get_by_role("button", name="清空")
    clear.click()
    dialog = page.get_by_role("dialog", name="请确认")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("不能恢复")
    assert page.evaluate("() => document.getElementById('confirm').contains(document.activeElement)")
    page.keyboard.press("Escape")  # cancel with the keyboard
    expect(dialog).to_be_hidden()
    assert titles(page) == before
    clear.click()
    dialog.get_by_role("button", name="取消").click()
    assert titles(page) == before and stored(page)["draft"]["activities"]
    clear.click()
    dialog.get_by_role("button", name="清空").click()
    expect(page.locator("li.activity")).to_have_count(0)
    assert not (stored(page) or {"draft": {"activities": []}})["draft"]["activities"]
    assert page.dialogs == []  # type: ignore[attr-defined]  # never window.confirm()


# ================================================================ privacy: nothing leaked


def test_no_page_requests_anything_from_another_host(calc: Calculator, server: StaticServer,
                                                     guard: RequestGuard, tmp_path: Path) -> None:
    calc.open(server.url)
    calc.fill_case(CASES["xiangxi-zhuanji-2020"])
    page = calc.page
    with page.expect_download():
        page.get_by_role("button", name="导出文件").click()
    page.get_by_role("link", name=re.compile("批量核查")).click()
    page.locator("body[data-engine]").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
    assert page.locator("body").get_attribute("data-engine") == "ready"
    for path in ("guide/", "guide/xiangxi-zhuanji-2020/", "guide/compare/"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
    assert len(guard.requests) > 30
    guard.assert_local_only()  # (the guard fixture also checks it, with console and CSP errors)


class _Recording:
    """What the server saw: request lines and headers."""

    def __init__(self, server: StaticServer) -> None:
        self.seen: list[str] = []
        httpd = server._httpd  # noqa: SLF001  # test-only: record each request
        base = httpd.RequestHandlerClass
        seen = self.seen

        class Recorder(base):  # type: ignore[misc, valid-type]
            def parse_request(self) -> bool:
                ok = super().parse_request()
                seen.append(f"{self.requestline}\n{self.headers}")
                return ok

        httpd.RequestHandlerClass = Recorder


def test_a_share_link_keeps_the_data_away_from_the_server(browser: Browser, site_dir: Path, forms: dict[str, Any],
                                                          engine_snapshot: EngineSnapshot) -> None:
    secret = "只在链接片段中的名字"
    with serve(site_dir, headers=SECURITY_HEADERS) as server:
        log = _Recording(server)
        ctx = new_context(browser)
        try:
            seed_snapshot(ctx, engine_snapshot, [server.origin])
            guard = RequestGuard.attach(ctx, server.origin)
            calc = Calculator(ctx.new_page(), forms)
            calc.open(server.url)
            calc.choose("hunan-shiye-2023")
            calc.add_activity({"kind": "platform_hours", "name": secret, "quantity": 9, "category": "public"},
                              "hunan-shiye-2023")
            calc.settle()
            calc.page.get_by_role("button", name="分享链接").click()
            link = calc.page.locator("#share-url").input_value()
            fragment = link.split("#", 1)[1]
            assert fragment.startswith("case=") and len(fragment) > 40
            ctx2 = new_context(browser)  # the person the link was sent to
            try:
                seed_snapshot(ctx2, engine_snapshot, [server.origin])
                guard2 = RequestGuard.attach(ctx2, server.origin)
                other = Calculator(ctx2.new_page(), forms)
                other.page.goto(link)
                other.wait_engine()
                expect(other.page.locator("li.activity .activity-title")).to_have_text([secret])
                assert "#" not in other.page.url  # the fragment is removed from the address bar
                guard2.assert_clean()
            finally:
                ctx2.close()
            guard.assert_clean()
        finally:
            ctx.close()
    payload = fragment[len("case="):]
    from urllib.parse import quote
    encoded_secret = [secret, quote(secret), json.dumps(secret)[1:-1]]
    assert log.seen, "the recorder saw no request"
    for line in log.seen:
        assert payload[:24] not in line and "case=" not in line, line
        for s in encoded_secret:
            assert s not in line
        assert base64.urlsafe_b64encode(secret.encode()).decode()[:12] not in line


# ================================================================ CSP


def test_a_whole_case_runs_under_the_header_policy_page_and_worker(
    calc: Calculator, sub_server: StaticServer, guard: RequestGuard, tmp_path: Path, catalog: Catalog
) -> None:
    page = calc.page
    worker_policies: list[str] = []
    page.on("response", lambda r: worker_policies.append(r.headers.get("content-security-policy", ""))
            if "/static/worker.js" in r.url else None)
    calc.open(sub_server.url)
    case = CASES["xiangxi-zhuanji-2020"]  # training, paper, award; title application; earlier years
    calc.fill_case(case)
    want = expected(case, catalog)
    assert calc.status_label() == headline(want)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出文件").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    page.get_by_role("button", name="清空").click()
    page.get_by_role("dialog").get_by_role("button", name="清空").click()
    expect(page.locator("li.activity")).to_have_count(0)
    page.locator("#import-file").set_input_files(str(exported))
    # Wait for the import's own message: message() returns at the first final-looking text, and
    # "已清空。" from the step before is one (the import is read and parsed asynchronously).
    expect(page.locator("#toolbar-message")).to_have_text(re.compile(r"^已导入"), timeout=ENGINE_TIMEOUT_MS)
    calc.settle()
    assert calc.status_label() == headline(want)
    # every worker (the engine's, and the snapshot's if the page made one) got the policy as its own header
    assert worker_policies and set(worker_policies) == {SITE_CSP}
    guard.assert_no_csp_violations()
    assert not guard.console_csp_errors


def test_a_violation_inside_the_worker_would_be_seen(browser: Browser, site_dir: Path) -> None:
    """The check above can fail: with a header that forbids compiling WebAssembly, the worker's
    violation reaches the guard (the page's <meta> policy still allows it)."""
    strict = SITE_CSP.replace(" 'wasm-unsafe-eval'", "")
    with serve(site_dir, headers={"Content-Security-Policy": strict}) as server:
        ctx = new_context(browser)
        try:
            guard = RequestGuard.attach(ctx, server.origin)
            page = ctx.new_page()
            page.goto(server.url + "?watchdog=5")
            page.locator("body[data-engine='failed']").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
            assert guard.console_csp_errors, guard.console_errors
        finally:
            ctx.close()


# ================================================================ hostile input


HOSTILE_NAMES = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    '"><svg onload="window.__pwned=1">',
    "名称\u0000\u0007\u001b[31m\u202e控制字符",
    "${alert(1)}{{7*7}}%s%n",
    "长" * 5000,
]


def test_hostile_names_are_shown_as_text_and_capped(calc: Calculator, server: StaticServer) -> None:
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    page = calc.page
    card = calc.add_activity({"kind": "platform_hours", "name": "x", "quantity": 4, "category": "public"},
                             "hunan-shiye-2023")
    name_field = card.get_by_label("名称", exact=True)
    for value in HOSTILE_NAMES:
        name_field.fill(value)
        page.get_by_label("姓名（可选）").fill(value)
        calc.settle()
        shown = card.locator(".activity-title").inner_text()
        typed = name_field.input_value()
        assert len(typed) <= 200 and len(page.get_by_label("姓名（可选）").input_value()) <= 100  # capped
        assert shown == typed.strip()  # text, as typed
        assert page.locator("img[src=x], svg[onload], #activity-list script").count() == 0
        assert page.evaluate("() => window.__pwned") is None
        if value.startswith("名称"):  # control characters: refused with a message by the field
            expect(page.locator(f"#{name_field.get_attribute('id')}-error")).to_contain_text("控制字符")
        else:
            assert calc.activity_hours() == ["4 学时"]  # still computing
    assert stored(page)["draft"]["activities"][0]["name"] == name_field.input_value()


HOSTILE_QUANTITIES = {
    "NaN": "须为有限的数字", "Infinity": "须为有限的数字", "1e309": "须为有限的数字", "-5": "须大于 0",
    "0x10": "须为数字", "1" * 400: "须为数字", "1\u0000": "须为数字", "<b>1</b>": "须为数字",
    "99999999999999999999999999": "超过一年所能有的", "123456789012": "超过一年所能有的",
}


def test_hostile_quantities_get_a_message_next_to_the_field(calc: Calculator, server: StaticServer) -> None:
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    page = calc.page
    card = calc.add_activity({"kind": "platform_hours", "name": "课程", "quantity": 1, "category": "public"},
                             "hunan-shiye-2023")
    quantity = card.get_by_label("平台显示的学时", exact=True)
    error = page.locator(f"#{quantity.get_attribute('id')}-error")
    for value, words in HOSTILE_QUANTITIES.items():
        quantity.fill(value)
        calc.settle()
        expect(error).to_contain_text(words)
        expect(quantity).to_have_attribute("aria-invalid", "true")
        status = page.locator("#status").inner_text()
        assert not re.search(r"NaN|Infinity|undefined|null", status), (value, status)
    quantity.fill("１２")  # full-width digits are read
    calc.settle()
    expect(error).to_be_empty()
    assert calc.activity_hours() == ["12 学时"]


def _case_text(**change: Any) -> str:
    case = {"format": "xueshi.case/1", "rule_set": "hunan-shiye-2023", "person": {},
            "activities": [{"kind": "platform_hours", "name": "文件中的课程", "quantity": 1, "category": "public"}]}
    case.update(change)
    return json.dumps(case, ensure_ascii=False)


HOSTILE_FILES: dict[str, tuple[str | bytes, str]] = {
    "deep-array.json": ("[" * 100_000 + "]" * 100_000, "嵌套超过"),
    "deep-object.json": ('{"a":' * 50_000 + "1" + "}" * 50_000, "嵌套超过"),
    "binary.json": (bytes(range(256)) * 64, "不是有效的 JSON"),
    "empty.json": ("", "不是有效的 JSON"),
    "nan.json": (_case_text().replace('"quantity": 1', '"quantity": NaN'), "须为有限的数字"),
    "long-number.json": (_case_text().replace('"quantity": 1', '"quantity": 1' + "0" * 5000), "位数过多"),
    "too-many.json": (_case_text(activities=[{"kind": "platform_hours", "quantity": 1, "category": "public"}] * 3000),
                      "条目太多"),
    "long-name.json": (_case_text(activities=[{"kind": "platform_hours", "name": "长" * 5000, "quantity": 1,
                                               "category": "public"}]), "太长"),
    "wrong-types.json": (json.dumps({"format": "xueshi.case/1", "rule_set": ["x"], "person": "我",
                                     "activities": {"a": 1}}), "应为列表"),
    "prototype.json": (_case_text().replace("{", '{"__proto__": {"polluted": 1}, ', 1), "不认识的字段"),
}


def test_hostile_files_are_refused_and_the_data_kept(context: BrowserContext, calc: Calculator,
                                                     server: StaticServer, tmp_path: Path) -> None:
    # count every read of a chosen file's content
    context.add_init_script("""
      window.__reads = 0;
      for (const [proto, names] of [[Blob.prototype, ["text", "arrayBuffer", "stream", "slice", "bytes"]],
                                    [FileReader.prototype, ["readAsText", "readAsArrayBuffer", "readAsDataURL", "readAsBinaryString"]]]) {
        for (const name of names) {
          const original = proto[name];
          if (typeof original !== "function") continue;
          proto[name] = function (...args) { window.__reads += 1; return original.apply(this, args); };
        }
      }""")
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    page = calc.page
    calc.add_activity({"kind": "platform_hours", "name": "保留的数据", "quantity": 5, "category": "public"},
                      "hunan-shiye-2023")
    calc.settle()
    chooser = page.locator("#import-file")
    for name, (content, words) in HOSTILE_FILES.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        page.locator("#toolbar-message").evaluate("(el) => el.replaceChildren()")
        chooser.set_input_files(str(path))
        said = message(page)
        assert said.startswith("无法导入") and "当前数据没有改动" in said and words in said, (name, said)
        assert titles(page) == ["保留的数据"], name
        assert page.evaluate("() => ({}).polluted") is None
    # 50 MB: refused from its size, before a byte of it is read
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    reads = page.evaluate("() => window.__reads")
    page.locator("#toolbar-message").evaluate("(el) => el.replaceChildren()")
    started = time.monotonic()
    chooser.set_input_files(str(big))
    said = message(page)
    assert "52 MB" in said and "上限" in said and "没有改动" in said, said
    assert page.evaluate("() => window.__reads") == reads
    assert time.monotonic() - started < 10
    # markup inside a valid file: imported, shown as text
    markup = tmp_path / "markup.json"
    markup.write_text(_case_text(person={"name": "<script>window.__pwned=1</script>"}, activities=[
        {"kind": "platform_hours", "name": '<img src=x onerror="window.__pwned=1">', "quantity": 2, "category": "public"}]),
        encoding="utf-8")
    page.locator("#toolbar-message").evaluate("(el) => el.replaceChildren()")
    chooser.set_input_files(str(markup))
    assert message(page).startswith("已导入")
    calc.settle()
    assert titles(page) == ['<img src=x onerror="window.__pwned=1">']
    assert page.locator("img[src=x]").count() == 0 and page.evaluate("() => window.__pwned") is None
    assert calc.activity_hours() == ["2 学时"]


def test_hostile_share_links_are_refused(calc: Calculator, server: StaticServer) -> None:
    page = calc.page
    deep = base64.urlsafe_b64encode(("[" * 50_000 + "]" * 50_000).encode()).decode().rstrip("=")
    for fragment, words in (("case=%%%不是链接", "分享链接已损坏"), ("case=" + deep, "嵌套超过")):
        page.goto("about:blank")  # a real load, not a jump within the same page
        page.goto(f"{server.url}?rule_set=hunan-shiye-2023#{fragment}")
        calc.wait_engine()
        said = message(page)
        assert words in said and "没有改动" in said, said
        assert "#" not in page.url
        calc.add_activity({"kind": "platform_hours", "name": "之后", "quantity": 1, "category": "public"},
                          "hunan-shiye-2023")
        calc.settle()
        assert "之后" in titles(page)
        page.get_by_role("button", name="清空").click()
        page.get_by_role("dialog").get_by_role("button", name="清空").click()


# ================================================================ offline


def test_keeps_computing_with_the_network_gone(calc: Calculator, context: BrowserContext, server: StaticServer) -> None:
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    card = calc.add_activity({"kind": "platform_hours", "name": "课程", "quantity": 6, "category": "public"},
                             "hunan-shiye-2023")
    calc.settle()
    assert calc.activity_hours() == ["6 学时"]
    context.set_offline(True)
    try:
        card.get_by_label("平台显示的学时", exact=True).fill("11")
        calc.settle()
        assert calc.activity_hours() == ["11 学时"]
        assert calc.requirement("public")[0] == 11
        calc.add_activity({"kind": "recognised_hours", "name": "线下培训", "quantity": 20, "category": "professional"},
                          "hunan-shiye-2023")
        calc.settle()
        assert calc.requirement("professional")[0] == 20
    finally:
        context.set_offline(False)


def test_a_service_worker_makes_a_second_visit_work_offline(browser: Browser, site_dir: Path,
                                                            forms: dict[str, Any], engine_snapshot: EngineSnapshot) -> None:
    server = serve(site_dir, headers=SECURITY_HEADERS)
    ctx = new_context(browser, service_workers="allow")
    try:
        seed_snapshot(ctx, engine_snapshot, [server.origin])
        guard = RequestGuard.attach(ctx, server.origin)
        calc = Calculator(ctx.new_page(), forms)
        calc.open(server.url + "?sw=1&rule_set=hunan-shiye-2023")
        page = calc.page
        page.locator("html[data-offline='ready']").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
        expect(page.locator("#offline-note")).to_contain_text("断网")
        calc.add_activity({"kind": "platform_hours", "name": "联网时填写", "quantity": 8, "category": "public"},
                          "hunan-shiye-2023")
        calc.settle()
        guard.assert_clean()
        server.stop()  # the network is gone for real: nothing answers on that port
        page.reload()
        calc.wait_engine()
        calc.settle()
        assert titles(page) == ["联网时填写"] and calc.activity_hours() == ["8 学时"]
        calc.add_activity({"kind": "recognised_hours", "name": "断网时填写", "quantity": 20, "category": "professional"},
                          "hunan-shiye-2023")
        calc.settle()
        assert calc.requirement("professional")[0] == 20
    finally:
        ctx.close()
        server.stop()


def test_a_rule_set_chosen_online_keeps_its_guide_pages_for_offline(browser: Browser, site_dir: Path,
                                                                    forms: dict[str, Any],
                                                                    engine_snapshot: EngineSnapshot) -> None:
    """Choosing a rule set asks the worker to keep its guide page, its parent's (inherited
    entries link there) and the original notices it quotes (issue #24): offline, a result's
    "在原文中查看" link still lands on the quote; another rule set's page says it was not kept."""
    server = serve(site_dir, headers=SECURITY_HEADERS)
    ctx = new_context(browser, service_workers="allow")
    try:
        seed_snapshot(ctx, engine_snapshot, [server.origin])
        guard = RequestGuard.attach(ctx, server.origin)
        calc = Calculator(ctx.new_page(), forms)
        calc.open(server.url + "?sw=1&rule_set=hunan-college-shiye-2023")
        page = calc.page
        page.locator("html[data-offline-kept='hunan-college-shiye-2023']").wait_for(
            state="attached", timeout=ENGINE_TIMEOUT_MS)
        expect(page.locator("#offline-note")).to_contain_text("所选规则集的政策指南页面和原文也已存入")
        passage = page.locator("a.cite-passage").first.evaluate("a => a.href")
        assert "/guide/sources/" in passage and "#passage-" in passage, passage
        guard.assert_clean()
        server.stop()  # the network is gone for real: nothing answers on that port
        page.goto(passage)
        expect(page.locator("#" + passage.rsplit("#", 1)[1])).to_be_in_viewport()
        for path, heading in [("hunan-college-shiye-2023/", "学院"), ("hunan-shiye-2023/", "湖南省2023")]:
            page.goto(f"{server.url}guide/{path}")
            expect(page.locator("article h1")).to_contain_text(heading)
        page.goto(f"{server.url}guide/henan-zhuanji-2021/")
        expect(page.locator("article h1")).to_have_text(re.compile("这一页还没有存入本机"))
    finally:
        ctx.close()
        server.stop()


def test_no_service_worker_and_no_offline_claim_on_plain_http(browser: Browser, server: StaticServer,
                                                              forms: dict[str, Any], engine_snapshot: EngineSnapshot) -> None:
    ctx = new_context(browser, service_workers="allow")
    try:
        seed_snapshot(ctx, engine_snapshot, [server.origin])
        guard = RequestGuard.attach(ctx, server.origin)
        calc = Calculator(ctx.new_page(), forms)
        calc.open(server.url)
        page = calc.page
        page.wait_for_timeout(500)
        assert page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
        expect(page.locator("#offline-note")).to_have_count(0)
        assert "离线" not in page.locator("body").inner_text()
        assert not any(u.endswith("/sw.js") for u in guard.requests)
        guard.assert_clean()
    finally:
        ctx.close()


def test_opened_from_disk_it_says_how_to_serve_it(browser: Browser, site_dir: Path) -> None:
    for view in ({"width": 1280, "height": 900}, PHONE):
        ctx = new_context(browser, viewport=view)
        try:
            page = ctx.new_page()
            started = time.monotonic()
            page.goto((site_dir / "index.html").as_uri())
            box = page.locator("#boot-failure")
            expect(box).to_be_visible(timeout=5_000)
            assert time.monotonic() - started < 5
            expect(box).to_have_attribute("role", "alert")
            expect(box).to_contain_text("file://")
            expect(box).to_contain_text("python3 -m http.server")
            expect(page.locator("#engine")).to_be_hidden()  # no spinner that never ends
            assert page.locator("body").get_attribute("data-engine") == "failed"
            shot(page, f"file-url-{'phone' if view == PHONE else 'desktop'}")
        finally:
            ctx.close()


# ================================================================ failure modes


def _wrong_type(route: Route) -> None:
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-type": "text/plain; charset=utf-8"})


@pytest.mark.cold_engine  # how a start-up from scratch reports a broken runtime
@pytest.mark.parametrize("fault", ["wasm-404", "mjs-text-plain", "app-js-text-plain"])
def test_a_broken_runtime_is_explained_within_the_watchdog(fault: str, context: BrowserContext,
                                                           server: StaticServer) -> None:
    if fault == "wasm-404":
        context.route("**/pyodide/pyodide.asm.wasm", lambda r: r.fulfill(status=404, body="Not Found"))
        words = ["pyodide/pyodide.asm.wasm（HTTP 404）"]
    elif fault == "mjs-text-plain":
        context.route("**/pyodide/pyodide.asm.mjs", _wrong_type)
        words = ["pyodide/pyodide.asm.mjs", "MIME", "text/plain", "text/javascript"]
    else:
        context.route(re.compile(r".*/static/app\.js(\?.*)?$"), _wrong_type)
        words = ["页面程序未能加载", "static/app.js", "text/javascript"]
    page = context.new_page()
    started = time.monotonic()
    page.goto(server.url + "?watchdog=3")
    page.locator("body[data-engine='failed']").wait_for(state="attached", timeout=30_000)
    box = page.locator("#boot-failure" if fault.startswith("app") else "#engine")
    for w in words:
        expect(box).to_contain_text(w)
    expect(box).to_contain_text("请检查")
    assert time.monotonic() - started < 20
    assert "Traceback" not in page.content()
    if fault != "app-js-text-plain":
        expect(page.locator("#status .status-label")).to_have_text("无法计算")
    shot(page, f"load-failure-{fault}")


def _paths(context: BrowserContext) -> list[str]:
    seen: list[str] = []
    context.on("request", lambda r: seen.append(urlsplit(r.url).path))
    return seen


@pytest.mark.cold_engine  # the start-up itself: which worker starts it, which files it fetches
@pytest.mark.parametrize("path", ["", "batch.html"])
def test_each_page_runs_one_python_runtime_started_by_start_js(path: str, context: BrowserContext,
                                                                guard: RequestGuard, server: StaticServer) -> None:
    """static/start.js starts the worker before the page's modules load; the page adopts it
    instead of starting a second one (two runtimes would double the download and the wait)."""
    seen = _paths(context)
    page = context.new_page()
    page.goto(server.url + path)
    page.locator("body[data-engine='ready']").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
    page.wait_for_timeout(300)  # a second worker, if any, would have asked for its files by now
    assert sum(p.endswith("/static/worker.js") for p in seen) == 1, seen
    assert sum(p.endswith("/pyodide/pyodide.asm.wasm") for p in seen) == 1, seen
    assert sum(p.endswith("/pyodide/pyodide.asm.mjs") for p in seen) == 1, seen
    assert len(page.workers) == 1
    marks = page.evaluate("performance.getEntriesByType('mark').map((m) => m.name)")
    assert "xueshi:worker-started" in marks  # made by start.js, not by the page's fallback


@pytest.mark.cold_engine  # the start-up itself, without start.js
def test_without_start_js_the_page_starts_its_engine_itself(context: BrowserContext, server: StaticServer) -> None:
    context.route(re.compile(r".*/static/start\.js(\?.*)?$"), lambda r: r.fulfill(status=404, body="Not Found"))
    seen = _paths(context)
    page = context.new_page()
    page.goto(server.url + "?rule_set=hunan-shiye-2023")
    page.locator("body[data-engine='ready']").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
    expect(page.locator("#boot-failure")).to_have_count(0)  # only a speed-up is missing, nothing to report
    expect(page.locator("#status .status-label")).not_to_have_text("无法计算")
    assert sum(p.endswith("/static/worker.js") for p in seen) == 1
    marks = page.evaluate("performance.getEntriesByType('mark').map((m) => m.name)")
    assert "xueshi:worker-started" not in marks


@pytest.mark.cold_engine  # a start-up that fails before the page listens
def test_a_worker_file_that_fails_before_the_page_listens_is_still_reported(context: BrowserContext,
                                                                            server: StaticServer) -> None:
    """The early worker's error arrives before app.js exists; the Engine replays it."""
    context.route(re.compile(r".*/static/worker\.js(\?.*)?$"), lambda r: r.fulfill(status=404, body="Not Found"))
    page = context.new_page()
    page.goto(server.url + "?watchdog=3")
    page.locator("body[data-engine='failed']").wait_for(state="attached", timeout=30_000)
    expect(page.locator("#engine")).to_contain_text("worker.js")
    expect(page.locator("#status .status-label")).to_have_text("无法计算")


# ================================================================ accessibility


def _axe_clean(page: Page, axe: str, what: str) -> None:
    problems = serious_violations(run_axe(page, axe))
    assert not problems, f"{what}:\n" + "\n".join(problems)


@pytest.mark.parametrize("view", ["desktop", "phone"])  # one test each: they run side by side under -n 2
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious(scheme: str, view: str, browser: Browser, server: StaticServer,
                                   forms: dict[str, Any], axe: str, engine_snapshot: EngineSnapshot) -> None:
    size = {"width": 1280, "height": 900} if view == "desktop" else PHONE
    ctx = new_context(browser, color_scheme=scheme, viewport=size)
    try:
        seed_snapshot(ctx, engine_snapshot, [server.origin])
        guard = RequestGuard.attach(ctx, server.origin)
        calc = Calculator(ctx.new_page(), forms)
        page = calc.page
        calc.open(server.url)
        calc.fill_case(CASES["xiangxi-zhuanji-2020"])
        card = calc.add_activity({"kind": "training", "name": "有错的一项", "quantity": 1, "category": "public",
                                  "options": {"span": "day"}}, "xiangxi-zhuanji-2020")
        card.get_by_label("次数", exact=True).fill("abc")  # an error shown next to its field
        calc.settle()
        page.get_by_text("计算过程").click()
        if scheme == "dark":
            assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
        page.evaluate("() => window.scrollTo(0, 0)")
        shot(page, f"{scheme}-{view}-top")
        page.locator("#results").evaluate("(el) => el.scrollIntoView()")
        shot(page, f"{scheme}-{view}-results")
        _axe_clean(page, axe, f"calculator ({scheme}, {view})")
        if view == "desktop":
            page.goto(server.url + "batch.html")
            page.locator("body[data-engine]").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
            _axe_clean(page, axe, f"batch page ({scheme})")
            for path in ("guide/", "guide/xiangxi-zhuanji-2020/", "guide/sources/hunan-2021-xiang-ren-she-han-61/"):
                page.goto(server.url + path)
                page.wait_for_load_state("networkidle")
                _axe_clean(page, axe, f"{path} ({scheme})")
        guard.assert_clean()
    finally:
        ctx.close()


def test_dark_mode_really_changes_the_colours(browser: Browser, server: StaticServer,
                                             engine_snapshot: EngineSnapshot) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        ctx = new_context(browser, color_scheme=scheme)
        try:
            seed_snapshot(ctx, engine_snapshot, [server.origin])
            page = ctx.new_page()
            page.goto(server.url)
            form_ready(page)
            colours[scheme] = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        finally:
            ctx.close()
    assert colours["light"] != colours["dark"]


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate("""() => { const e = document.activeElement;
        return {id: e.id || "", tag: e.tagName, text: (e.textContent || "").trim().slice(0, 40), value: e.value ?? ""}; }""")


def _tab_to(page: Page, test, *, back: bool = False, limit: int = 150) -> dict[str, str]:
    for _ in range(limit):
        now = _focused(page)
        if test(now):
            return now
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"the keyboard never reached it (last: {_focused(page)})")


def _tab_to_id(page: Page, pattern: str, **kw: Any) -> str:
    return _tab_to(page, lambda f: re.fullmatch(pattern, f["id"]) is not None, **kw)["id"]


def _choose(page: Page, value: str) -> None:
    """Pick an option of the focused <select> with the arrow keys."""
    options, current = page.evaluate("""() => { const s = document.activeElement;
        return [[...s.options].map((o) => o.value), s.selectedIndex]; }""")
    target = options.index(value)
    for _ in range(abs(target - current)):
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    assert page.evaluate("() => document.activeElement.value") == value


def test_a_whole_case_with_the_keyboard_only(calc: Calculator, server: StaticServer, catalog: Catalog) -> None:
    """No click, no fill(): Tab, Shift+Tab, arrow keys, Enter, Space and typing."""
    page = calc.page
    page.goto(server.url)
    calc.wait_engine()
    kb = page.keyboard
    case = CASES["xiangxi-zhuanji-2020"]
    rs = calc.catalog[case["rule_set"]]
    # 1. where: 湖南省 › 湘西州 (the regime and year have one choice each here)
    _tab_to_id(page, "pick-root")
    _choose(page, rs["jurisdiction_parent"])
    _tab_to_id(page, "pick-place")
    _choose(page, rs["jurisdiction"])
    expect(page.locator(".ruleset-title")).to_have_text(rs["title"])
    _tab_to_id(page, "person-name")
    kb.type("键盘用户")
    # 2. activities
    conv = {c["id"]: c for c in calc.forms["forms"][case["rule_set"]]["conversions"]}
    for a in case["activities"]:
        _tab_to_id(page, "btn-add-activity")
        kb.press("Enter")
        kind = _focused(page)["id"]  # focus moves to the new card's kind
        assert kind.endswith("-kind")
        prefix = kind[: -len("-kind")]
        _choose(page, a["kind"])
        _tab_to_id(page, f"{prefix}-name")
        kb.type(a["name"])
        _tab_to_id(page, f"{prefix}-quantity")
        kb.type(str(a["quantity"]))
        if len(conv[a["kind"]]["categories"]) > 1:
            _tab_to_id(page, f"{prefix}-category")
            _choose(page, a["category"])
        for option in conv[a["kind"]]["options"]:
            _tab_to_id(page, f"{prefix}-opt-{option['name']}")
            value = a["options"][option["name"]]
            if option.get("type") == "integer":
                kb.type(str(value))
            else:
                _choose(page, value)
        # collapse the card with its own button (Shift+Tab back to it, then Space)
        _tab_to_id(page, f"{prefix}-toggle", back=True)
        kb.press("Space")
        expect(page.locator(f"#{prefix}-body")).to_have_count(0)
    # 3. circumstances: applying for a title (Space on the checkbox), and an earlier year
    title = case["person"]["title_application"]
    _tab_to_id(page, "title-applying")
    kb.press("Space")
    expect(page.locator("#title-applying")).to_be_checked()
    for key in ("level", "degree", "field"):
        _tab_to_id(page, f"title-{key}")
        _choose(page, title[key])
    row = case["history"][0]
    _tab_to(page, lambda f: f["text"] == "＋ 添加一个年度")
    kb.press("Enter")
    first, second = (c["id"] for c in calc.forms["forms"][case["rule_set"]]["top_categories"])
    focused = _focused(page)["id"]  # the first category's hours (the year is filled in already)
    assert focused.startswith("hist-") and focused.endswith(f"-hours-{first}")
    kb.type(str(row["hours"][first]))
    kb.press("Tab")
    kb.type(str(row["hours"][second]))
    kb.press("Shift+Tab")
    kb.press("Shift+Tab")
    kb.press("Control+A")
    kb.type(str(row["year"]))
    calc.settle()
    # the same figures as the engine gives for the case
    want = expected(case, catalog)
    assert calc.status_label() == headline(want)
    assert calc.summary() == "\n".join(summary_lines(want))
    # 4. a mistake, removed with the keyboard and undone
    _tab_to(page, lambda f: f["text"] == "删除" and "第2项" in (page.evaluate(
        "() => document.activeElement.getAttribute('aria-label') || ''")), back=True)
    kb.press("Enter")
    expect(page.locator("li.activity")).to_have_count(2)
    _tab_to(page, lambda f: f["text"] == "撤销", back=True)
    kb.press("Enter")
    expect(page.locator("li.activity")).to_have_count(3)
    calc.settle()
    assert calc.summary() == "\n".join(summary_lines(want))
    # 5. the skip link leads to the result
    page.keyboard.press("Control+Home")
    page.evaluate("() => document.activeElement.blur()")
    _tab_to(page, lambda f: f["text"] == "跳到计算结果")
    kb.press("Enter")
    assert "#results" in page.url


def test_errors_and_results_are_announced(calc: Calculator, server: StaticServer) -> None:
    calc.open(server.url)
    calc.choose("hunan-shiye-2023")
    page = calc.page
    card = calc.add_activity({"kind": "platform_hours", "name": "课程", "quantity": 1, "category": "public"},
                             "hunan-shiye-2023")
    quantity = card.get_by_label("平台显示的学时", exact=True)
    quantity.fill("十")
    calc.settle()
    fid = quantity.get_attribute("id")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    assert f"{fid}-error" in quantity.get_attribute("aria-describedby").split()
    error = page.locator(f"#{fid}-error")
    expect(error).to_have_attribute("aria-live", "polite")
    expect(error).to_contain_text("数字")
    expect(quantity).to_have_accessible_description(re.compile("数字"))
    quantity.fill("3")
    calc.settle()
    expect(quantity).not_to_have_attribute("aria-invalid", "true")
    expect(error).to_be_empty()
    # live regions: the result, the toolbar messages, the engine banner
    expect(page.locator("#status")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#status")).to_have_attribute("role", "status")
    expect(page.locator("#toolbar-message")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#engine")).to_have_attribute("aria-live", "polite")
    # every control has a name a screen reader reads out
    unnamed = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
        .filter((e) => !e.closest('[hidden]') && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                       && !(e.tagName === 'BUTTON' && e.textContent.trim()))
        .map((e) => e.outerHTML.slice(0, 80))""")
    assert not unnamed


@pytest.mark.parametrize("rule_set,kind", [("hunan-shiye-2023", "short"), ("henan-zhuanji-2021", "met")])
def test_met_and_short_are_said_in_words_not_only_colour(rule_set: str, kind: str, calc: Calculator,
                                                         server: StaticServer) -> None:
    calc.open(server.url)
    if kind == "met":
        calc.fill_case(CASES[rule_set])
    else:
        calc.choose(rule_set)
        calc.add_activity({"kind": "platform_hours", "name": "课程", "quantity": 3, "category": "public"}, rule_set)
        calc.settle()
    page = calc.page
    status = page.locator("#status")
    label = calc.status_label()
    assert label in (("达标", "已达标") if kind == "met" else ("未达标",)), label
    icon = status.locator(".status-icon").inner_text()
    assert icon == ("✓" if kind == "met" else "✗")
    for item in page.locator("li.req").all():
        state = item.locator(".req-state").inner_text()
        # the engine's words (calculator/engine/words.py LINE_STATES, line_state)
        assert re.search(r"^[✓✗] (达到|视同完成|暂视同完成|差[\d.]+学时)$", state), state
    # greyscale: the words are still there
    page.emulate_media(forced_colors="active")
    expect(status.locator(".status-label")).to_have_text(label)
