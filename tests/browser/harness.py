"""Helpers for browser tests: Debian's Chromium driven by Playwright (sync API).

Meant to become one-line pytest fixtures, e.g.::

    @pytest.fixture(scope="session")
    def browser():
        with sync_playwright() as pw:
            b = launch_browser(pw); yield b; b.close()

    @pytest.fixture
    def context(browser):
        ctx = new_context(browser); yield ctx; ctx.close()

    @pytest.fixture
    def guard(context, server):
        g = RequestGuard.attach(context, server.origin); yield g; g.assert_clean()

`playwright install` cannot download browsers here, so we always run the
system ``chromium`` (apt package) through ``executable_path``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser, BrowserContext, ConsoleMessage, Frame, Page, Playwright, Request, Response, WebError,
)

# --no-sandbox: we run as root in a container; the others keep Chromium from
# phoning home (component updates, sync, field trials), which would both add
# noise to timings and make "no request left the machine" untrue. The last one
# stops headless Chromium 15x from building its hidden omnibox popup (a WebUI
# page of ~100 scripts) at every launch: about 0.8 s of CPU that competed with
# the page under test on a 2-core machine.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
)

# Not network traffic; everything else must go to the local server.
_LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

_CSP_BINDING = "__xueshiReportCsp"
_CSP_INIT_SCRIPT = f"""
document.addEventListener("securitypolicyviolation", (e) => {{
  window.{_CSP_BINDING}(JSON.stringify({{
    directive: e.effectiveDirective || e.violatedDirective,
    blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample,
  }}));
}});
"""


def chromium_executable() -> str:
    """Path of the system Chromium; a clear error if it is not installed."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("system Chromium not found: apt-get install -y chromium fonts-noto-cjk")
    return path


def launch_browser(playwright: Playwright, *, headless: bool = True, **kw: Any) -> Browser:
    """Headless system Chromium with the project's flags (extra ``args`` are appended)."""
    args = [*CHROMIUM_ARGS, *kw.pop("args", [])]
    return playwright.chromium.launch(
        executable_path=chromium_executable(), headless=headless, args=args, **kw
    )


def new_context(browser: Browser, **kw: Any) -> BrowserContext:
    """A fresh profile (empty HTTP cache) set up like a user in mainland China.

    Service workers are blocked so that every request is seen by the guard.
    Keyword arguments override the defaults.
    """
    options: dict[str, Any] = {
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 900},
        "service_workers": "block",
    }
    options.update(kw)
    return browser.new_context(**options)


@dataclass
class CspViolation:
    directive: str
    blocked: str
    source: str = ""
    line: int = 0
    sample: str = ""


@dataclass
class RequestGuard:
    """Records requests, console errors, page errors and CSP violations.

    Attach to a context (covers every page and its dedicated workers) or to
    a single page, before navigating.
    """

    allowed_origins: frozenset[str]
    requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)  # network errors and HTTP >= 400
    # requests cancelled because their page went on to another document (not failures)
    left_behind: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[CspViolation] = field(default_factory=list)
    # navigations started so far, per frame, and at the start of each request in flight
    _navigations: dict[Frame, int] = field(default_factory=dict, repr=False)
    _started_at: dict[Request, tuple[Frame, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def attach(cls, target: BrowserContext | Page, *allowed_origins: str) -> RequestGuard:
        """Start recording on ``target``; requests may only go to ``allowed_origins``
        (e.g. ``server.origin`` = "http://127.0.0.1:PORT"; a full URL is cut to its origin)."""
        guard = cls(frozenset(_origin(o) for o in allowed_origins))
        target.on("request", guard._on_request)
        target.on("requestfailed", guard._on_request_failed)
        target.on("requestfinished", guard._on_request_finished)
        target.on("response", guard._on_response)
        target.on("console", guard._on_console)
        if isinstance(target, Page):
            target.on("pageerror", lambda exc: guard.page_errors.append(str(exc)))
        else:
            target.on("weberror", guard._on_web_error)
        # The binding + init script see violations in every document; those
        # inside a worker are logged to the console by worker.js and by
        # Chromium itself ("Refused to ..."), so console_errors catches them.
        target.expose_binding(_CSP_BINDING, guard._on_csp)
        target.add_init_script(_CSP_INIT_SCRIPT)
        return guard

    # ----------------------------------------------------------- listeners

    def _on_request(self, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        frame = _frame_of(request)
        if frame is not None:
            if request.is_navigation_request():
                self._navigations[frame] = self._navigations.get(frame, 0) + 1
            self._started_at[request] = (frame, self._navigations.get(frame, 0))
        if urlsplit(url).scheme in _LOCAL_SCHEMES:
            return
        if _origin(url) not in self.allowed_origins:
            self.foreign_requests.append(url)

    def _on_request_failed(self, request: Request) -> None:
        entry = f"{request.url} ({request.failure})"
        if self._left_behind(request):
            self.left_behind.append(entry)
        else:
            self.failed_requests.append(entry)
        self._started_at.pop(request, None)

    def _on_request_finished(self, request: Request) -> None:
        self._started_at.pop(request, None)

    def _left_behind(self, request: Request) -> bool:
        """Cancelled (net::ERR_ABORTED) because its page moved on: the frame that made it
        started another navigation (a link, goto, reload; Chromium cancels the old document's
        fetches, its favicon and its workers' downloads) or was detached or closed. Any other
        failure, and a cancellation with no navigation after it, is a failure."""
        if request.failure != "net::ERR_ABORTED":
            return False
        started = self._started_at.get(request)
        if started is None:
            return False
        frame, navigations = started
        if frame.is_detached() or frame.page.is_closed():
            return True
        return self._navigations.get(frame, 0) > navigations

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_web_error(self, error: WebError) -> None:
        self.page_errors.append(str(error.error))

    def _on_csp(self, _source: Any, payload: str) -> None:
        data = json.loads(payload)
        self.csp_violations.append(
            CspViolation(
                directive=str(data.get("directive") or ""),
                blocked=str(data.get("blocked") or ""),
                source=str(data.get("source") or ""),
                line=int(data.get("line") or 0),
                sample=str(data.get("sample") or ""),
            )
        )

    # ---------------------------------------------------------- assertions

    @property
    def console_csp_errors(self) -> list[str]:
        """Console errors that report a CSP block (covers workers too)."""
        return [
            m for m in self.console_errors
            if "Content Security Policy" in m or "CSP violation" in m
        ]  # fmt: skip

    def assert_local_only(self) -> None:
        assert not self.foreign_requests, f"requests left the local server: {self.foreign_requests}"

    def assert_no_csp_violations(self) -> None:
        assert not self.csp_violations, f"CSP violations: {self.csp_violations}"
        assert not self.console_csp_errors, f"CSP errors on console: {self.console_csp_errors}"

    def assert_no_console_errors(self) -> None:
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.page_errors, f"uncaught page errors: {self.page_errors}"

    def assert_no_failed_requests(self) -> None:
        assert not self.failed_requests, f"failed requests: {self.failed_requests}"

    def assert_clean(self) -> None:
        """All of the above: what a passing page load should look like."""
        self.assert_local_only()
        self.assert_no_csp_violations()
        self.assert_no_console_errors()
        self.assert_no_failed_requests()


def _frame_of(request: Request) -> Frame | None:
    try:
        return request.frame
    except Exception:  # a service worker's request has no frame (Playwright raises)
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


__all__ = [
    "CHROMIUM_ARGS",
    "CspViolation",
    "RequestGuard",
    "chromium_executable",
    "launch_browser",
    "new_context",
]
