"""Batch checking in the browser: rows per second and whether the page stays responsive.

    python -m bench.batch_browser [--rows 10000] [--format csv|xlsx] [--site SITE_DIR] [--json]

Opens batch.html in headless Chromium (Debian's, as the browser tests), uploads a generated
staff sheet for xiangxi-zhuanji-2020 (1 in 50 rows with a typo, 1 in 20 a title applicant)
and, while the worker computes it in chunks, types into the page's search field. Reports:

* load: from choosing the file to the first chunk being asked for (read, base64, batch_load;
  for XLSX also fetching and importing openpyxl);
* compute: xueshi:batch-start -> xueshi:batch-done, and rows per second;
* export: from clicking 导出结果 CSV/XLSX to the download, and rows per second in and out;
* the longest main-thread task and the number of tasks over 50 ms during load + compute
  (PerformanceObserver "longtask"), and the slowest key press from input to the next paint
  (Event Timing API, "event" entries, 16 ms resolution);
* memory: the renderer process's peak resident set (page and worker share it; Linux VmHWM,
  via the browser's process list) before the upload and at the end. The browser's own
  `performance.measureUserAgentSpecificMemory()` needs a cross-origin-isolated page
  (COOP + COEP headers), which this site does not ask for; the report says whether it was
  available.

A command, not a timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitebuild.build import build_site
from sitebuild.site.serve import serve
from tests.browser.batch_page import XIANGXI_HEADERS, XLSX_MIME, BatchPage, excel_csv, staff_rows, xlsx_bytes
from tests.browser.harness import RequestGuard, launch_browser, new_context

OBSERVE = """
window.__bench = { longtasks: [], events: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.longtasks.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.events.push([e.name, e.startTime, e.duration]);
}).observe({ type: "event", durationThreshold: 16, buffered: true });
"""

READ = """(since) => {
  const mark = (n) => (performance.getEntriesByName(n).slice(-1)[0] || {}).startTime ?? null;
  const tasks = window.__bench.longtasks.filter(([t]) => t >= since);
  const events = window.__bench.events.filter(([, t]) => t >= since);
  return {
    start: mark("xueshi:batch-start"), done: mark("xueshi:batch-done"),
    longest_task_ms: Math.max(0, ...tasks.map(([, d]) => d)),
    tasks_over_50ms: tasks.length,
    total_blocking_ms: tasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0),
    slowest_input_ms: Math.max(0, ...events.map(([, , d]) => d)),
    slow_inputs: events.length,
    isolated: self.crossOriginIsolated === true,
    uasm: typeof performance.measureUserAgentSpecificMemory === "function",
  };
}"""


def _renderer_peaks(cdp) -> dict[int, int]:
    """pid -> peak resident set (bytes) of every renderer process of the browser."""
    info = cdp.send("SystemInfo.getProcessInfo")
    peaks = {}
    for proc in info["processInfo"]:
        if proc.get("type") != "renderer":
            continue
        try:
            status = Path(f"/proc/{proc['id']}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[proc["id"]] = int(line.split()[1]) * 1024
    return peaks


def measure(site: Path, rows: int, fmt: str) -> dict:
    data = staff_rows(rows, bad_every=50, titles_every=20)
    payload = excel_csv(XIANGXI_HEADERS, data) if fmt == "csv" else xlsx_bytes(XIANGXI_HEADERS, data)
    with serve(site) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        cdp = browser.new_browser_cdp_session()
        context = new_context(browser)
        guard = RequestGuard.attach(context, server.origin)
        context.add_init_script(OBSERVE)
        page = context.new_page()
        batch = BatchPage(page)
        batch.open(server.url + "batch.html?rule_set=xiangxi-zhuanji-2020")
        page.wait_for_load_state("networkidle")
        before = _renderer_peaks(cdp)
        since = page.evaluate("performance.now()")
        batch.upload(f"staff.{fmt}", payload, "text/csv" if fmt == "csv" else XLSX_MIME)
        # While it computes, a person types into the search field (matches every staff id).
        # "computing" may be over before it is seen (a small sheet on a quiet machine): waiting
        # for it alone timed out, and the benchmark exited 1 when run by the quick test.
        page.locator("body[data-batch=computing], body[data-batch=done]").wait_for(state="attached", timeout=120_000)
        search = page.get_by_label("查找姓名、工号或单位")
        typed = 0
        while page.locator("body").get_attribute("data-batch") == "computing":
            search.press_sequentially("E0", delay=80)
            search.fill("")
            typed += 2
            time.sleep(0.2)
        batch.wait_done(timeout=600_000)
        result = page.evaluate(READ, since)
        # The result table out in the same format (XLSX: openpyxl's write-only mode in the worker).
        export_started = time.perf_counter()
        with page.expect_download(timeout=600_000) as info:
            page.get_by_role("button", name=f"导出结果 {fmt.upper()}").click()
        exported = Path(info.value.path()).stat().st_size
        export_s = time.perf_counter() - export_started
        after = _renderer_peaks(cdp)
        guard.assert_clean()
        shown = page.locator("#result-table tbody tr").count()
        context.close()
        browser.close()
    seconds = (result["done"] - result["start"]) / 1000
    pid = max(after, key=after.get) if after else None
    return {
        "rows": rows,
        "format": fmt,
        "file_bytes": len(payload),
        "load_s": round((result["start"] - since) / 1000, 2),
        "compute_s": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "export_s": round(export_s, 2),
        "export_bytes": exported,
        "in_and_out_rows_per_s": round(rows / ((result["start"] - since) / 1000 + seconds + export_s)),
        "longest_task_ms": round(result["longest_task_ms"]),
        "tasks_over_50ms": result["tasks_over_50ms"],
        "total_blocking_ms": round(result["total_blocking_ms"]),
        "keys_typed": typed,
        "slowest_key_to_paint_ms": round(result["slowest_input_ms"]),
        "key_presses_over_16ms": result["slow_inputs"],
        "rows_in_dom": shown,
        "renderer_peak_rss_mb_before": round(before.get(pid, 0) / 2**20) if pid else None,
        "renderer_peak_rss_mb_after": round(after[pid] / 2**20) if pid else None,
        "measureUserAgentSpecificMemory": "available" if result["isolated"] and result["uasm"] else
        "unavailable: the page is not cross-origin isolated (needs COOP/COEP headers)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_site(Path(tmp) / "_site", log=lambda _line: None).out
        report = measure(site, args.rows, args.format)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    r = report
    print(f"{r['rows']} rows ({r['format']}, {r['file_bytes'] / 1e6:.1f} MB): load {r['load_s']} s, "
          f"compute {r['compute_s']} s = {r['rows_per_s']} rows/s; export {r['export_s']} s; "
          f"in and out {r['in_and_out_rows_per_s']} rows/s")
    print(f"main thread: longest task {r['longest_task_ms']} ms, {r['tasks_over_50ms']} tasks > 50 ms "
          f"(blocking {r['total_blocking_ms']} ms); {r['keys_typed']} keys typed meanwhile, slowest key to paint "
          f"{r['slowest_key_to_paint_ms']} ms ({r['key_presses_over_16ms']} over 16 ms); {r['rows_in_dom']} rows in the DOM")
    print(f"renderer (page + worker) peak RSS: {r['renderer_peak_rss_mb_before']} MB before upload, "
          f"{r['renderer_peak_rss_mb_after']} MB after; measureUserAgentSpecificMemory: {r['measureUserAgentSpecificMemory']}")


if __name__ == "__main__":
    main()
