"""The request guard (harness.RequestGuard) that every browser test runs under.

It must tell a request that the page's own navigation cut off (the old document's fetches,
its favicon, its worker's downloads: Chromium cancels them with net::ERR_ABORTED) from a
failed one, without hiding real failures: a 404, a request to another host, a cancellation
with no navigation behind it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, BrowserContext

from .harness import RequestGuard, new_context

ICON = "<link rel='icon' href='data:,'>"  # else Chromium asks for /favicon.ico
PAGES = {
    "/slow-fetch.html": f"<!doctype html>{ICON}<title>a</title><script>fetch('/slow')</script>",
    "/other.html": f"<!doctype html>{ICON}<title>b</title><p>other",
    "/cancels.html": (
        f"<!doctype html>{ICON}<title>c</title><script>const c = new AbortController();"
        "fetch('/slow', {signal: c.signal}).catch(() => {}); setTimeout(() => c.abort(), 300)</script>"
    ),
    "/broken-image.html": f"<!doctype html>{ICON}<title>d</title><img src='/missing.png' alt=''>",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    slow_started: threading.Event
    release: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.server.slow_started.set()
            self.server.release.wait(timeout=30)  # answered only when the test ends
            return self._send(200, "late", "text/plain")
        body = PAGES.get(self.path)
        if body is None:
            return self._send(404, "not found", "text/plain")
        return self._send(200, body, "text/html; charset=utf-8")

    def _send(self, status: int, body: str, kind: str) -> None:
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the browser gave up on it: that is the point of some tests

    def log_message(self, format: str, *args: object) -> None:
        pass


def _start() -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.slow_started, server.release = threading.Event(), threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def site() -> Iterator[tuple[_Server, str]]:
    server, origin = _start()
    yield server, origin
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def ctx(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def test_a_request_cut_off_by_leaving_the_page_is_not_a_failure(ctx: BrowserContext, site) -> None:
    server, origin = site
    guard = RequestGuard.attach(ctx, origin)
    page = ctx.new_page()
    page.goto(origin + "/slow-fetch.html")
    assert server.slow_started.wait(timeout=20)
    page.goto(origin + "/other.html")  # cancels the fetch still waiting for its answer
    guard.assert_clean()
    assert any("/slow" in r for r in guard.left_behind), guard


def test_a_request_the_page_cancels_itself_is_still_a_failure(ctx: BrowserContext, site) -> None:
    server, origin = site
    guard = RequestGuard.attach(ctx, origin)
    page = ctx.new_page()
    with page.expect_event("requestfailed"):
        page.goto(origin + "/cancels.html")
    assert [r for r in guard.failed_requests if "/slow" in r and "ERR_ABORTED" in r], guard
    with pytest.raises(AssertionError, match="failed requests"):
        guard.assert_clean()


def test_the_guard_still_catches_a_404(ctx: BrowserContext, site) -> None:
    _, origin = site
    guard = RequestGuard.attach(ctx, origin)
    page = ctx.new_page()
    with page.expect_response(lambda r: r.url.endswith("/missing.png")):
        page.goto(origin + "/broken-image.html")
    with pytest.raises(AssertionError, match=r"missing\.png \(HTTP 404\)"):
        guard.assert_no_failed_requests()


def test_the_guard_still_catches_a_request_to_another_host(ctx: BrowserContext, site) -> None:
    _, origin = site
    other, other_origin = _start()  # another port is another origin; nothing leaves the machine
    try:
        guard = RequestGuard.attach(ctx, origin)
        page = ctx.new_page()
        page.goto(origin + "/other.html")
        with page.expect_request(lambda r: r.url.startswith(other_origin)):
            page.evaluate("(url) => { const i = new Image(); i.src = url; document.body.append(i); }",
                          other_origin + "/other.html")
        assert guard.foreign_requests == [other_origin + "/other.html"]
        with pytest.raises(AssertionError, match="requests left the local server"):
            guard.assert_clean()
    finally:
        other.shutdown()
        other.server_close()
