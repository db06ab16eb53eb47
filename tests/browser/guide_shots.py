"""Screenshots of the guides' coverage list and a rule page's provenance box (1280 and 375 px).

    python -m tests.browser.guide_shots [OUT_DIR] --site SITE_DIR

Serves SITE_DIR (a built site) on localhost and writes, for each width, the coverage section
of the home page and the provenance box of a rule page resting on excerpts (the national
frame) and of one extending it, as PNGs into OUT_DIR (default /tmp/shots).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitebuild.site.security import SECURITY_HEADERS
from sitebuild.site.serve import serve

from .harness import RequestGuard, launch_browser, new_context
from .shots import VIEWS

SHOTS = [
    ("coverage", "guide/", "#coverage", "#coverage-frame-shiye"),
    ("provenance-national", "guide/national-zhuanji-2016/", "article h1", "#provenance-box"),
    ("provenance-xining", "guide/xining-zhuanji-2021/", "article h1", "#provenance-box"),
    ("sources-national", "guide/national-zhuanji-2016/", "#sources", "article > :last-child"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.site, headers=SECURITY_HEADERS) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for view, size in VIEWS.items():
            context = new_context(browser, viewport=size, is_mobile=view == "phone", has_touch=view == "phone")
            guard = RequestGuard.attach(context, server.origin)
            page = context.new_page()
            for name, path, start, end in SHOTS:
                page.goto(f"{server.origin}/{path}")
                page.wait_for_load_state("networkidle")
                top = page.locator(start).first.bounding_box()
                bottom = page.locator(end).last.bounding_box()
                assert top and bottom, name
                clip = {"x": 0, "y": top["y"] - 8, "width": size["width"],
                        "height": bottom["y"] + bottom["height"] - top["y"] + 16}
                target = args.out / f"{name}-{view}.png"
                page.screenshot(path=str(target), full_page=True, clip=clip)
                print(target)
            guard.assert_clean()
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
