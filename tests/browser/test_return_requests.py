"""A return visit asks the server for none of the page's scripts and styles (issue #22).

The answer kept from the last visit is drawn by the page's script; while the server ignored the
build's `?v=` (and the modules' imports carried none), each module was revalidated, one import
level after another, and the kept answer waited for those round trips. Served as a static host
is told to serve it (versioned URLs `immutable`, sitebuild/site/serve.py), the second visit must
take everything under static/ from the browser's cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from sitebuild.site.security import SECURITY_HEADERS
from sitebuild.site.serve import StaticServer, serve

from .calc import Calculator
from .harness import RequestGuard


@pytest.fixture
def caching_server(site_dir: Path) -> Iterator[StaticServer]:
    with serve(site_dir, cache=True, gzip=True, headers=SECURITY_HEADERS) as running:
        yield running


def _network_fetches(context: BrowserContext, page: Any) -> list[str]:
    """URLs the page (not its worker) had answered by the network, 304s included (CDP:
    a response taken from the memory or disk cache is not one of them)."""
    fetched: list[str] = []
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.responseReceived", lambda e: fetched.append(e["response"]["url"])
           if not (e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache")
                   or e["response"].get("fromServiceWorker")) else None)  # fmt: skip
    return fetched


def test_a_return_visit_takes_every_page_module_from_the_cache(
    context: BrowserContext, caching_server: StaticServer, forms: dict[str, Any]
) -> None:
    guard = RequestGuard.attach(context, caching_server.origin)
    first = context.new_page()
    fetched_first = _network_fetches(context, first)
    Calculator(first, forms).open(caching_server.url)
    scripts_first = [u for u in fetched_first if "/static/" in u and u.split("?")[0].endswith(".js")]
    assert len(scripts_first) >= 3  # start.js, boot.js, app.js came from the server the first time
    first.close()

    again = context.new_page()
    fetched = _network_fetches(context, again)
    Calculator(again, forms).open(caching_server.url)
    from_server = [u for u in fetched if "/static/" in u]
    assert not from_server, f"asked the server again on a return visit: {from_server}"
    guard.assert_clean()
