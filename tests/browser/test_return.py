"""A returning person sees their answer at once; a stopped engine is noticed at once (issue #22).

The page keeps the answer it last computed with the draft (js/storage.js `last`) and draws it
on the next visit before the engine has started, marked with the words of
calculator/engine/words.py PAGE_STATES until the engine has computed it again; what is typed
meanwhile is kept and computed. A worker that stops is noticed through the Web Lock it holds
while it lives (js/engine.js watchLife), restarted, and everything computed again.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from calculator.engine.words import PAGE_STATES

from .calc import Calculator
from .cases import worked_example

RULES = "**/data/rules.*.json"

# Every test here is about the engine's start: what the page shows before it is there, making
# and restoring the snapshot, a worker started again. They start from scratch, as on a person's
# first visit (no seeded snapshot, tests/browser/conftest.py).
pytestmark = pytest.mark.cold_engine


@pytest.fixture
def calc(page: Page, forms: dict[str, Any]) -> Calculator:
    return Calculator(page, forms)


def _minutes_field(page: Page):
    """The second activity's minutes (1200 in the worked example: 30 hours)."""
    card = page.locator("li.activity").nth(1)
    toggle = card.locator("[id$='-toggle']")
    if toggle.inner_text() == "编辑":
        toggle.click()
    return card.get_by_label("学习分钟数")


def _hold(context: BrowserContext, pattern: str) -> list[Route]:
    """Hold every request for `pattern` until the test lets it go (route.continue_())."""
    held: list[Route] = []
    context.route(pattern, lambda route: held.append(route))
    return held


def _release(page: Page, held: list[Route]) -> None:
    deadline = time.monotonic() + 30
    while not held:  # the page asked for it with the forms; the route may not have been dispatched yet
        assert time.monotonic() < deadline, "the page never asked for the rules"
        page.wait_for_timeout(20)
    for route in held:
        route.continue_()


def test_a_return_visit_draws_the_last_answer_at_once_and_keeps_what_is_typed_before_the_engine(
    calc: Calculator, server, context: BrowserContext
) -> None:
    calc.open(server.url)
    page = calc.page
    expect(page.locator("#engine-note")).to_contain_text("首次使用需下载约")  # nothing kept yet
    calc.fill_case(worked_example())
    calc.settle()
    label = page.locator("#status .status-label").inner_text()
    hours = calc.activity_hours()
    assert hours[1] == "30 学时"

    held = _hold(context, RULES)  # the engine cannot start until the test lets the rules through
    page.reload()
    stale = page.locator("#status-stale")
    expect(stale).to_have_text(PAGE_STATES["stale_result"])
    expect(page.locator("#status .status-label")).to_have_text(label)
    # the verdict comes first, the parts of the kept answer follow (drawn in short tasks)
    expect(page.locator(".activity-lines .line-hours")).to_have_text(hours)
    marks = page.evaluate("performance.getEntriesByType('mark').map((m) => m.name)")
    assert marks.index("xueshi:last-answer") < marks.index("xueshi:form-ready")  # before the form
    assert page.locator("body").get_attribute("data-evaluated") is None  # not computed on this visit
    expect(page.locator(".status-echo").first).to_contain_text(PAGE_STATES["stale_echo"])
    # The loading banner is there while the engine is held, but not the first visit's download.
    expect(page.locator("#engine")).to_be_visible()
    expect(page.locator("#engine-note")).to_have_count(0)

    _minutes_field(page).fill("2400")  # typed before the engine is there: 30 -> 60 hours
    expect(stale).to_be_visible()  # still the last visit's answer, still said so
    _release(page, held)
    calc.wait_engine()
    calc.settle()
    expect(stale).to_have_count(0)
    assert page.locator("#results").get_attribute("data-stale") is None
    assert calc.activity_hours()[1] == "60 学时"
    expect(_minutes_field(page)).to_have_value("2400")
    # the rules did not change: no word about it
    expect(page.locator("#toolbar-message")).not_to_contain_text(PAGE_STATES["rules_changed"])


def test_an_answer_computed_with_other_rules_is_replaced_and_the_change_is_said(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    calc.settle()
    page = calc.page
    record = json.loads(page.evaluate("() => localStorage.getItem('xueshi.state')"))
    assert record["last"]["rule_set"] == record["draft"]["rule_set"]
    # as if the answer had been computed by an earlier build, whose rules gave another summary
    record["last"]["rules"] = "data/rules.0000000000.json"
    record["last"]["outcome"]["summaryLines"] = ["按旧规则：还差 10 学时"]
    page.evaluate("(text) => localStorage.setItem('xueshi.state', text)", json.dumps(record, ensure_ascii=False))
    page.reload()
    calc.wait_engine()
    calc.settle()
    expect(page.locator("#toolbar-message")).to_contain_text(PAGE_STATES["rules_changed"])
    expect(page.locator("#status-stale")).to_have_count(0)
    expect(page.locator("#status")).not_to_contain_text("按旧规则")


def test_a_kept_answer_of_another_rule_set_or_a_damaged_one_is_not_drawn(calc: Calculator, server) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    calc.settle()
    page = calc.page
    record = json.loads(page.evaluate("() => localStorage.getItem('xueshi.state')"))
    record["last"]["outcome"] = {"result": "not an object"}
    page.evaluate("(text) => localStorage.setItem('xueshi.state', text)", json.dumps(record, ensure_ascii=False))
    page.reload()
    calc.wait_engine()
    calc.settle()
    expect(page.locator("#toolbar-message")).not_to_contain_text("无法读取")  # derived data: nothing set aside
    assert calc.activity_hours()[1] == "30 学时"


def test_a_stopped_engine_is_noticed_within_3_seconds_restarted_and_the_result_computed_again(
    calc: Calculator, server
) -> None:
    calc.open(server.url)
    calc.fill_case(worked_example())
    calc.settle()
    page = calc.page
    hours = calc.activity_hours()
    (worker,) = [w for w in page.workers if "worker.js" in w.url and "role=snapshot" not in w.url]
    stopped = time.monotonic()
    worker.evaluate("() => { self.close(); }")  # gone without a word, as when it runs out of memory
    expect(page.locator("#status-stale")).to_have_text(PAGE_STATES["engine_stopped"], timeout=3_000)
    noticed = time.monotonic() - stopped
    field = _minutes_field(page)
    field.fill("2400")  # typed while the new engine starts
    expect(page.locator("#toolbar-message")).to_contain_text("已自动重新启动并重新计算", timeout=90_000)
    calc.settle()
    restarted = time.monotonic() - stopped
    print(f"stopped engine noticed after {noticed:.2f} s, result computed again after {restarted:.2f} s")
    expect(page.locator("#status-stale")).to_have_count(0)
    assert calc.activity_hours() == [hours[0], "60 学时", *hours[2:]]
    expect(field).to_have_value("2400")


SNAPSHOT_WAIT_MS = 90_000  # a second engine start in the background, on a busy machine


def _first_visit_keeps_a_snapshot(calc: Calculator, server) -> Page:
    """The worked example computed, then the page idle until it has kept its engine's snapshot."""
    calc.open(server.url)
    calc.fill_case(worked_example())
    calc.settle()
    page = calc.page
    page.locator("html[data-snapshot=stored], html[data-snapshot=failed]").wait_for(
        state="attached", timeout=SNAPSHOT_WAIT_MS
    )
    assert page.locator("html").get_attribute("data-snapshot") == "stored"
    return page


def test_a_repeat_visit_restores_the_engine_from_the_snapshot_the_first_visit_kept(calc: Calculator, server) -> None:
    page = _first_visit_keeps_a_snapshot(calc, server)
    hours = calc.activity_hours()
    html = page.locator("html")
    page.reload()
    calc.wait_engine()
    calc.settle()
    assert html.get_attribute("data-snapshot") == "restored"
    assert calc.activity_hours() == hours
    _minutes_field(page).fill("2400")  # computed by the restored Python, pydantic-core included
    calc.settle()
    assert calc.activity_hours()[1] == "60 学时"


def test_a_damaged_snapshot_is_dropped_and_the_engine_starts_the_usual_way(calc: Calculator, server) -> None:
    page = _first_visit_keeps_a_snapshot(calc, server)
    damaged = page.evaluate("""async () => {
        const cache = await caches.open("engine-snapshot.xueshi");
        const keys = (await cache.keys()).map((r) => r.url).filter((u) => !u.endsWith("?about"));
        for (const key of keys) await cache.put(key, new Response(new Uint8Array(4096)));
        return keys.length;
    }""")
    assert damaged == 1
    page.reload()
    calc.wait_engine()
    calc.settle()
    assert page.locator("html").get_attribute("data-snapshot") == "missing"  # and a new one is made later
    assert calc.activity_hours()[1] == "30 学时"
    left = page.evaluate("""async () => (await (await caches.open("engine-snapshot.xueshi")).keys()).length""")
    assert left <= 1  # the damaged snapshot was deleted (its description may stay until the next one)


def test_the_batch_page_reads_xlsx_with_an_engine_restored_from_the_snapshot(calc: Calculator, server) -> None:
    """openpyxl is loaded on demand into a restored runtime (the snapshot holds no openpyxl)."""
    from .batch_page import XLSX_MIME, BatchPage, xlsx_bytes

    page = _first_visit_keeps_a_snapshot(calc, server)
    headers = ["序号", "姓名", "工号", "工作单位", "公需科目学时", "其中必修学时", "专业科目学时"]
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    batch = BatchPage(page)
    batch.open(server.url + "batch.html?jurisdiction=henan&regime=zhuanji&year=2021")
    batch.upload_and_wait("人员.xlsx", xlsx_bytes(headers, [[1, "张三", "A01", "县医院", 30, 24, 60.5]]), XLSX_MIME)
    expect(page.locator("#load-info")).to_contain_text("XLSX")
    assert batch.rows() and "张三" in " ".join(batch.rows()[0])
    assert not [m for m in said if "snapshot not used" in m]  # the batch page's engine was the restored one


def test_without_web_locks_a_heartbeat_notices_a_stopped_engine_within_3_seconds(
    calc: Calculator, server, context: BrowserContext
) -> None:
    """Plain-HTTP intranet hosts are no secure context: no Web Locks there, a heartbeat instead."""
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });")
    calc.open(server.url)
    calc.fill_case(worked_example())
    calc.settle()
    page = calc.page
    assert page.evaluate("navigator.locks === undefined")
    (worker,) = [w for w in page.workers if "worker.js" in w.url and "role=snapshot" not in w.url]
    worker.evaluate("() => { self.close(); }")
    expect(page.locator("#status-stale")).to_have_text(PAGE_STATES["engine_stopped"], timeout=3_000)
    expect(page.locator("#toolbar-message")).to_contain_text("已自动重新启动并重新计算", timeout=90_000)
    calc.settle()
    assert calc.activity_hours()[1] == "30 学时"
