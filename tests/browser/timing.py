"""Time from navigation to the first result on screen, cold (fresh profile, empty cache).

    python -m tests.browser.timing [--runs 5] [--site SITE_DIR] [--gzip]

Opens a share link holding the college's worked example (so the time includes
parse_import and evaluate of a real case) and reads the page's performance
marks: xueshi:form-ready (form drawn), xueshi:runtime-ready (Python and the
packages imported), xueshi:engine-ready (rules loaded), xueshi:first-result
(the result of the case on screen).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitebuild.build import build_site
from sitebuild.serve import serve

from .cases import worked_example
from .harness import RequestGuard, launch_browser, new_context

MARKS = ("xueshi:form-ready", "xueshi:runtime-ready", "xueshi:engine-ready", "xueshi:first-result")
READ_MARKS = "names => names.map(n => (performance.getEntriesByName(n)[0] || {}).startTime ?? null)"


def share_fragment(case: dict) -> str:
    import base64

    raw = json.dumps(case, ensure_ascii=False).encode("utf-8")
    return "#case=" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def measure(site: Path, runs: int, gzip: bool) -> list[dict[str, float]]:
    results = []
    with serve(site, gzip=gzip, cache=True) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for _ in range(runs):
            context = new_context(browser)
            guard = RequestGuard.attach(context, server.origin)
            page = context.new_page()
            page.goto(server.url + "?rule_set=hunan-college-shiye-2023" + share_fragment(worked_example()))
            page.locator("#status.status-good").wait_for(timeout=120_000)
            page.locator("body[data-evaluated]:not([data-busy])").wait_for(state="attached")
            values = page.evaluate(READ_MARKS, list(MARKS))
            results.append(dict(zip(("form", "python", "engine", "result"), values)))
            guard.assert_clean()
            context.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--gzip", action="store_true", help="serve compressed (as most hosts do)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_site(Path(tmp) / "_site", log=lambda _line: None).out
        rows = measure(site, args.runs, args.gzip)
    for row in rows:
        print("  ".join(f"{k} {v / 1000:5.2f} s" for k, v in row.items()))
    for key in ("form", "python", "engine", "result"):
        values = [r[key] / 1000 for r in rows]
        low, high, mid = min(values), max(values), statistics.median(values)
        print(f"{key:>6}: median {mid:.2f} s (min {low:.2f}, max {high:.2f})")


if __name__ == "__main__":
    main()
