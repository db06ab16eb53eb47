"""Browser-test fixtures: build the site once, serve it twice, drive Debian's Chromium.

* ``site_dir``   the site, built once per session (``built_site`` in tests/conftest.py)
* ``server``     served at ``/``, sending the site's security headers (CSP, nosniff,
  no-referrer) as `python build.py serve` does: the page has the CSP in a <meta> too,
  but a worker obeys only the policy of its own response, so this checks the worker
* ``sub_server`` the same, served under ``/tools/xueshi/``
* ``browser``    headless system Chromium (a missing Chromium fails, it never skips)
* ``context`` / ``guard`` / ``page``   a fresh profile per test; the guard fails the
  test on any request to another host, console error, page error or CSP violation.
* ``engine_snapshot``   the engine's memory snapshot, made once per run the way a person's
  browser makes it (tests/browser/snapshot_seed.py). ``context`` has it in its Cache Storage
  for ``server``'s origin, and ``sub_server``'s when the test names that fixture among its
  arguments, before the test opens a page, so the page's engine starts as on a
  person's repeat visit (``<html data-snapshot="restored">``: a copy of memory instead of
  seconds of Python start-up) and makes no second snapshot in the background.

  ``@pytest.mark.cold_engine`` opts a test out: its profile has no snapshot and the engine
  starts from scratch, as on a person's first visit. For tests whose subject is the start-up
  itself: what the page shows before the engine is there, making and restoring a snapshot
  (all of test_return.py), how a broken or missing runtime or worker file is reported, which
  worker start.js starts. Tests that make their own contexts seed them with
  ``snapshot_seed.seed_snapshot`` where the page computes, and start cold where they do not call it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from sitebuild.site.pages import read_forms_payload
from sitebuild.site.security import SECURITY_HEADERS
from sitebuild.site.serve import StaticServer, serve

from .harness import RequestGuard, chromium_executable, launch_browser, new_context
from .snapshot_seed import EngineSnapshot, seed_snapshot, shared_snapshot

SUB_PATH = "/tools/xueshi/"


@pytest.fixture(scope="session")
def site_dir(built_site: Path) -> Path:
    return built_site  # tests/conftest.py: one build per session, shared with the build tests


@pytest.fixture(scope="session")
def forms(site_dir: Path) -> dict[str, Any]:
    """The form specs the page draws from (the build's answers of calculator.doors.browser.form)."""
    (path,) = (site_dir / "data").glob("forms.*.json")
    return read_forms_payload(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[StaticServer]:
    with serve(site_dir, headers=SECURITY_HEADERS) as running:
        yield running


@pytest.fixture(scope="session")
def sub_server(site_dir: Path) -> Iterator[StaticServer]:
    with serve(site_dir, base_path=SUB_PATH, headers=SECURITY_HEADERS) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        chromium_executable()
    except RuntimeError as error:
        pytest.fail(f"浏览器测试需要 Debian 的 chromium：{error}", pytrace=False)
    with sync_playwright() as pw:
        launched = launch_browser(pw)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def engine_snapshot(browser: Browser, server: StaticServer, tmp_path_factory: pytest.TempPathFactory,
                    request: pytest.FixtureRequest) -> EngineSnapshot:
    return shared_snapshot(browser, server.url, tmp_path_factory, request.config)


@pytest.fixture
def context(browser: Browser, server: StaticServer, sub_server: StaticServer,
            request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    ctx = new_context(browser, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    if request.node.get_closest_marker("cold_engine") is None:
        origins = [server.origin]
        if "sub_server" in inspect.signature(request.function).parameters:
            origins.append(sub_server.origin)  # (about 0.3 s an origin: only where the test names it)
        seed_snapshot(ctx, request.getfixturevalue("engine_snapshot"), origins)
    yield ctx
    ctx.close()


@pytest.fixture
def guard(context: BrowserContext, server: StaticServer, sub_server: StaticServer) -> Iterator[RequestGuard]:
    recorder = RequestGuard.attach(context, server.origin, sub_server.origin)
    yield recorder
    recorder.assert_clean()


@pytest.fixture
def page(context: BrowserContext, guard: RequestGuard) -> Iterator[Page]:
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.dialogs = dialogs  # type: ignore[attr-defined]  # read by tests: no alert() may fire
    yield opened
