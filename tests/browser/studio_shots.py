"""Screenshots of the authoring studio with a small province built in it (1280 and 375 px).

    python -m tests.browser.studio_shots [OUT_DIR] --site SITE_DIR

Serves SITE_DIR (a built site) on localhost, runs the browser test's steps
(`test_studio.build_small_province`) in each width and writes full-page PNGs into
OUT_DIR (default /tmp/shots), also cut into parts 1400 px tall.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitebuild.site.security import SECURITY_HEADERS
from sitebuild.site.serve import serve

from .harness import RequestGuard, launch_browser, new_context
from .shots import VIEWS, _save
from .test_studio import build_small_province


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve(args.site, headers=SECURITY_HEADERS) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for view, size in VIEWS.items():
            context = new_context(browser, viewport=size, is_mobile=view == "phone", has_touch=view == "phone")
            guard = RequestGuard.attach(context, server.origin)
            page = context.new_page()
            build_small_province(page, f"{server.origin}/studio.html")
            _save(page, args.out / f"studio-{view}.png", written)
            # The forms an office uses instead of YAML: a source's provenance, a worked example.
            page.select_option("#form-kind", "provenance")
            for box, name in (("#forms", "forms-provenance"), ("#case-form", "forms-case")):
                target = args.out / f"studio-{name}-{view}.png"
                page.locator(box).screenshot(path=str(target))
                written.append(target)
            page.select_option("#form-kind", "categories")
            target = args.out / f"studio-forms-categories-{view}.png"
            page.locator("#forms").screenshot(path=str(target))
            written.append(target)
            guard.assert_clean()
            context.close()
        browser.close()
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
