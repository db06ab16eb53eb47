"""Record which Python modules the pages import, for ``sitebuild/runtime/hot_modules.txt``.

    python -m bench.hot_modules [--site SITE_DIR]

The site build compiles only these modules to bytecode (the rest of the wheels keep
their source), and ships of the standard library only these, the modules the engine's
and the on-demand packages' sources import, and what those import when imported
(see `sitebuild.runtime.vendor.stdlib_roots` and `install_runtime`).
This builds the site (or takes ``--site``), serves it, and in headless Chromium
runs the site's own runtime with every package of its lock file (the on-demand
ones too), calls every function of `calculator.doors.browser` the calculator and batch
pages use, and writes the names in ``sys.modules`` to the list. An extra name only
costs download. A missing one is compiled when first imported (slower start-up) if
the pruned standard library still has it; a stdlib module that only a dependency
imports inside a function, on a path this exercise never took, is missing from the
site (``ModuleNotFoundError``): add that path to the exercise and regenerate.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sitebuild" / "runtime" / "hot_modules.txt"
PAGE_DIR = "_bench/hot"

_HTML = """<!doctype html><meta charset="utf-8"><title>hot modules</title>
<script type="module" src="exercise.js"></script>
"""

# Runs in the page: the site's runtime, all lock packages, every engine function.
_JS = r"""
const INDEX_URL = new URL("../../pyodide/", import.meta.url).href;
const { loadPyodide } = await import(INDEX_URL + "pyodide.mjs");
const lock = await (await fetch(INDEX_URL + "pyodide-lock.json")).json();
const config = await (await fetch("config.json")).json();
const py = await loadPyodide({ indexURL: INDEX_URL, lockFileContents: lock, packageBaseUrl: INDEX_URL,
                               packages: Object.keys(lock.packages) });
py.globals.set("RULES", await (await fetch(config.rules)).text());
py.globals.set("CASE", JSON.stringify(config.case));
const names = py.runPython(`
import base64, json, sys
import calculator.doors.browser as b
b.init(RULES)
for rs in json.loads(b.catalog())["rule_sets"]:
    b.form(rs["id"])
case = json.loads(CASE)
b.parse_import(CASE)
b.evaluate(CASE)
b.preview(case["rule_set"], json.dumps(case["activities"][0]))
b.evaluate("{not json")
b.evaluate(json.dumps({"format": "xueshi.case/1", "rule_set": "nowhere", "activities": [{}]}))
template = json.loads(b.batch_template(case["rule_set"]))
text = base64.b64decode(template["base64"]).decode("utf-8-sig") + "张三,G1,10,20,2030-06-30\\n"
for name, data in (("a.csv", text.encode("utf-8-sig")), ("b.csv", text.encode("gbk", "replace"))):
    b.batch_load(json.dumps({"filename": name, "base64": base64.b64encode(data).decode(), "rule_set": case["rule_set"]}))
    b.batch_compute(json.dumps({"start": 0, "end": 50}))
xlsx = json.loads(b.batch_export(json.dumps({"what": "results", "format": "xlsx"})))
b.batch_export(json.dumps({"what": "titles", "format": "csv"}))
if hasattr(b, "batch_table"):
    b.batch_table(json.dumps({"what": "results"}))
b.batch_load(json.dumps({"filename": "c.xlsx", "base64": xlsx["base64"], "rule_set": case["rule_set"]}))
b.batch_compute(json.dumps({"start": 0, "end": 50}))
if hasattr(b, "batch_person"):
    b.batch_person(json.dumps({"index": 0}))
    b.batch_template(json.dumps({"rule_set": case["rule_set"], "layout": "activity", "format": "xlsx"}))
sorted(sys.modules)
`).toJs();
window.__hot = names;
document.title = "done";
"""


def record(site: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    from sitebuild.site.serve import serve
    from tests.browser.harness import launch_browser

    from .page_bench import sample_case

    dest = site / PAGE_DIR
    dest.mkdir(parents=True, exist_ok=True)
    (rules,) = (site / "data").glob("rules.*.json")
    config = {"rules": f"../../data/{rules.name}", "case": sample_case()}
    (dest / "config.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    (dest / "index.html").write_text(_HTML, encoding="utf-8")
    (dest / "exercise.js").write_text(_JS, encoding="utf-8")
    with serve(site) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url + PAGE_DIR + "/")
            deadline = time.monotonic() + 180
            while page.title() != "done":
                if errors or time.monotonic() > deadline:
                    raise RuntimeError(f"the exercise failed: {errors or 'timeout'}")
                time.sleep(0.2)
            return list(page.evaluate("window.__hot"))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hot_modules", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site to use (default: build one)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            from sitebuild.build import build_site

            site = build_site(Path(tmp) / "_site", log=lambda _line: None).out
        names = record(site)
    header = (
        "# Modules the pages import (sys.modules after every calculator.doors.browser function ran in\n"
        "# Pyodide): the site build compiles these to bytecode and ships only these (and what\n"
        "# they import) of the standard library; see sitebuild/runtime/vendor.py stdlib_roots.\n"
        "# Written by `python -m bench.hot_modules`; regenerate after adding imports.\n"
    )
    args.out.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} modules -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
