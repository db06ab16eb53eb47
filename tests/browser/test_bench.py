"""`python build.py bench --quick` works: one run of every measurement, a well-formed report.

The quick mode leaves the mobile profile out (it is slow by design: 9 Mbit/s); the test
asks for one mobile run so that the emulated profile is proven to work too.

Not a timing test: nothing here compares a figure with a target (the machine may be
busy); it checks that both pages produce the sample case's result, that every figure
is there, and that no request left the local server.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from playwright.sync_api import Browser

from bench import page_bench

FIGURES = ("cold_first_result_ms", "repeat_first_result_ms")


def test_quick_bench_measures_both_pages_and_writes_one_report(
    browser: Browser, site_dir: Path, tmp_path: Path, capsys
) -> None:
    site = tmp_path / "site"  # the bench adds its reference page to the site it serves
    shutil.copytree(site_dir, site)
    out = tmp_path / "bench.json"
    argv = ["--quick", "--runs", "1", "--changes", "3", "--hold", "0.5", "--mobile-runs", "1",
            "--batch-rows", "40", "--site", str(site), "--out", str(out)]
    assert page_bench.main(argv, chromium=browser.browser_type) == 0

    report = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == report  # the same document on stdout
    assert report["format"] == page_bench.FORMAT
    assert report["settings"]["runs"] == 1
    for name in ("product", "reference"):
        part = report[name]
        for key in FIGURES:
            assert part[key]["median"] > 0, (name, key)
            assert len(part[key]["runs"]) == 1
        for kind in ("cold", "repeat"):
            assert part["longest_main_thread_task_ms"][kind]["median"] >= 0
        changes = part["input_to_result_ms"]
        assert changes["n"] == 3 and changes["timeouts"] == 0 and changes["p95"] > 0
        assert part["cold_transfer_bytes"] > 1_000_000  # at least the WebAssembly runtime
        assert part["foreign_requests"] == [] and part["failed_requests"] == []
    assert report["product"]["page_marks_ms"]["cold"]["first-result"] > 0
    # the repeat visit draws the answer kept from the cold one before the engine computes it again
    shown, computed = report["product"]["repeat_shown_ms"]["median"], report["product"]["repeat_first_result_ms"]["median"]
    assert 0 < shown <= computed
    assert report["product"]["page_marks_ms"]["repeat"]["last-answer"] <= report["product"]["page_marks_ms"]["repeat"]["first-result"]
    assert report["reference"]["repeat_shown_ms"] == report["reference"]["repeat_first_result_ms"]  # it keeps none
    assert all(x >= 0 for x in report["environment"]["load_average_before"])
    assert report["product"]["load_average_1min"]["median"] is not None
    mobile = report["mobile"]
    assert mobile["runs"] == 1 and mobile["profile"]["cpu_slowdown"] == page_bench.MOBILE.cpu_slowdown
    for name in ("product", "reference"):
        part = mobile[name]
        for key in FIGURES:
            assert len(part[key]["runs"]) == 1 and part[key]["median"] > 0, (name, key)
        assert part["foreign_requests"] == [] and part["failed_requests"] == []
        changes = part["input_to_result_ms"]  # the input test runs under the mobile profile too
        assert changes["n"] == 3 and changes["timeouts"] == 0 and changes["p95"] > 0, name
        # 9 Mbit/s: the cold visit cannot be faster than its bytes take to arrive.
        floor_ms = part["cold_transfer_bytes"] * 8 / (page_bench.MOBILE.down_kbps * 1000) * 1000
        assert part["cold_first_result_ms"]["median"] > floor_ms, name
    for value in mobile["ratios_product_to_reference"].values():
        assert value is not None and value > 0
    for key, value in report["ratios_product_to_reference"].items():
        assert value is not None and value > 0, key
    assert report["cli"]["cases_per_second"] > 0 and report["cli"]["peak_memory_mb"] > 0
    assert report["batch_cli"]["rows_per_second"] > 0
    for fmt in ("csv", "xlsx"):
        assert report["batch_cli"][fmt]["rows_per_second"] > 0 and report["batch_cli"][fmt]["format"] == fmt
    assert {t[0] for t in page_bench.TARGETS} == set(report["targets"])
    for fmt in ("csv", "xlsx"):  # the batch page, in and out (a sheet small enough to be done at once)
        part = report["batch_browser"][fmt]
        assert part["format"] == fmt and part["rows"] == 40 and part["rows_in_dom"] > 0, part
        assert part["export_bytes"] > 0 and part["rows_per_s"] > 0, part
    for target in report["targets"].values():
        assert isinstance(target["met"], bool) and target["value"] is not None
