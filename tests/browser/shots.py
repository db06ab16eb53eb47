"""Screenshots of the calculator with filled cases, for looking at the layout.

    python -m tests.browser.shots [OUT_DIR] [--site SITE_DIR]
    python -m tests.browser.shots --examples [OUT_DIR] [--site SITE_DIR]

Builds the site into a temporary folder unless --site is given, serves it on
localhost and writes full-page PNGs (desktop 1280 px, phone 375 px, and the
print view) into OUT_DIR (default /tmp/shots). With --examples: the first worked
example of every rule set (its cases file, opened through its share link as the guides
link it), as a phone's first screen of the result (375×800, what a person reads first)
and the whole page at 375 px and 1280 px.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitebuild.build import build_site
from sitebuild.site.pages import read_forms_payload
from sitebuild.site.serve import serve

from calculator.engine.run import run_case
from calculator.rulefiles.loader import all_test_cases, load_catalog
from sitebuild.guides.examples import case_fragment, case_json

from .calc import Calculator
from .cases import CASES, ROOT, worked_example
from .harness import RequestGuard, launch_browser, new_context

VIEWS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
SLICE = 1400  # also cut each full page into parts this tall (easier to look at)


def _save(page, target: Path, written: list[Path]) -> None:
    page.screenshot(path=str(target), full_page=True)
    written.append(target)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    for i, top in enumerate(range(0, height, SLICE), start=1):
        part = target.with_name(f"{target.stem}.part{i}.png")
        clip = {"x": 0, "y": top, "width": width, "height": min(SLICE, height - top)}
        page.screenshot(path=str(part), full_page=True, clip=clip)


def shoot(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (forms_file,) = (site / "data").glob("forms.*.json")
    forms = read_forms_payload(forms_file.read_text(encoding="utf-8"))
    written: list[Path] = []
    with serve(site) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for view, size in VIEWS.items():
            for name, case in (("college", worked_example()), ("xiangxi", CASES["xiangxi-zhuanji-2020"])):
                context = new_context(
                    browser, viewport=size, is_mobile=view == "phone", has_touch=view == "phone"
                )
                guard = RequestGuard.attach(context, server.origin)
                calc = Calculator(context.new_page(), forms)
                calc.open(server.url)
                calc.fill_case(case)
                page = calc.page
                page.get_by_text("计算过程").click()
                _save(page, out / f"{view}-{name}.png", written)
                if view == "desktop":
                    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
                    page.emulate_media(media="print")
                    _save(page, out / f"print-{name}.png", written)
                    page.pdf(path=str(out / f"print-{name}.pdf"), format="A4")
                guard.assert_clean()
                context.close()
        browser.close()
    return written


def first_examples() -> dict[str, dict]:
    """The first worked example of each rule set that the engine computes, as case JSON."""
    catalog = load_catalog(ROOT / "rules")
    out: dict[str, dict] = {}
    for example in all_test_cases(ROOT / "rules"):
        case = case_json(example.input)
        if example.rule_set not in out and run_case(case, catalog).result is not None:
            out[example.rule_set] = case
    return out


def shoot_examples(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve(site) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for rule_set, case in first_examples().items():
            for view, size in (("phone", {"width": 375, "height": 800}), ("desktop", VIEWS["desktop"])):
                context = new_context(browser, viewport=size, is_mobile=view == "phone", has_touch=view == "phone")
                guard = RequestGuard.attach(context, server.origin)
                calc = Calculator(context.new_page(), {"catalog": [], "forms": {}})
                calc.open(server.url + "#" + case_fragment(case))
                calc.settle()
                page = calc.page
                if view == "phone":
                    page.locator("#results").evaluate("(el) => el.scrollIntoView()")
                    target = out / f"{rule_set}-phone-screen.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                    page.evaluate("() => window.scrollTo(0, 0)")
                _save(page, out / f"{rule_set}-{view}.png", written)
                guard.assert_clean()
                context.close()
        browser.close()
    return written


def run(shoot_site: Callable[[Path, Path], list[Path]], default_out: Path, description: str) -> None:
    """The command line of a screenshot script: ``[OUT_DIR] [--site SITE_DIR]``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out", nargs="?", type=Path, default=default_out)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_site(Path(tmp) / "_site", log=lambda _line: None).out
        paths = shoot_site(site, args.out)
    for path in paths:
        print(path)


def main() -> None:
    import sys

    if "--examples" in sys.argv:
        sys.argv.remove("--examples")
        run(shoot_examples, Path("/tmp/shots-examples"), __doc__.split("\n")[0])
    else:
        run(shoot, Path("/tmp/shots"), __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
