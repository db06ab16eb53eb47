"""The browser tests start their engine from the snapshot a first visit keeps (tests/browser/
snapshot_seed.py, conftest.py): a seeded page really restores it, on both servers' origins, and
shows what a page whose engine started from scratch shows. Without this a broken seeding would
only make the suite slow again, silently."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from sitebuild.site.serve import StaticServer

from .calc import Calculator
from .cases import CASES, worked_example
from .harness import RequestGuard, new_context

SEEN = ("#status", "#results", "#activities")


def _computed(calc: Calculator, url: str) -> tuple[str, dict[str, str]]:
    """Open `url`, type in two cases one after the other; the snapshot state and what is shown."""
    calc.open(url)
    calc.fill_case(worked_example())
    shown = {f"worked {s}": calc.page.locator(s).inner_text() for s in SEEN}
    calc.fill_case(CASES["xiangxi-zhuanji-2020"])  # another rule set: its models are built now
    shown |= {f"xiangxi {s}": calc.page.locator(s).inner_text() for s in SEEN}
    return calc.page.locator("html").get_attribute("data-snapshot") or "", shown


@pytest.mark.parametrize("where", ["server", "sub_server"])
def test_a_seeded_page_restores_its_engine_and_shows_what_a_cold_start_shows(
    where: str, page: Page, browser: Browser, forms: dict[str, Any], server: StaticServer, sub_server: StaticServer
) -> None:
    server = {"server": server, "sub_server": sub_server}[where]
    state, seeded = _computed(Calculator(page, forms), server.url)
    assert state == "restored"  # the engine came from the seeded snapshot: no start from scratch

    cold = new_context(browser)  # a profile without the snapshot: the engine starts from scratch
    try:
        cold.set_default_timeout(20_000)
        guard = RequestGuard.attach(cold, server.origin)
        state, fresh = _computed(Calculator(cold.new_page(), forms), server.url)
        assert state in ("missing", "making", "stored")  # (it keeps its own snapshot 5 s after a result)
        guard.assert_clean()
    finally:
        cold.close()
    assert seeded == fresh
