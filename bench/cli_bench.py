"""CLI-side figures for the benchmark: case evaluations per second and batch rows per second
(CSV and XLSX in and out: read, evaluate, write; XLSX also with several processes).

Run alone: `python -m bench.cli_bench [--cases 20000] [--rows 100000]`; `build.py bench`
includes it. Each figure runs in a fresh child process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generated_cases(n: int, seed: int = 7) -> list[dict]:
    """Realistic mixes: a few activities per person across all rule sets."""
    from calculator.rulefiles.loader import load_catalog
    from calculator.models.rules import ChoiceOption

    catalog = load_catalog(ROOT / "rules")
    rng = random.Random(seed)
    resolved = [catalog.resolve(i) for i in catalog.ids()]
    cases = []
    for _ in range(n):
        rules = rng.choice(resolved)
        activities = []
        for k in range(rng.randint(2, 8)):
            conv = rng.choice([c for c in rules.rules.conversions if c.produces_hours])
            cats = [conv.category] if conv.category else list(conv.category_choices or [])
            options = {o.name: (rng.choice(sorted(o.choices)) if isinstance(o, ChoiceOption) else rng.randint(o.min, min(o.max, 10)))
                       for o in conv.options}
            quantity = rng.randint(1, 3) if conv.quantity.unit in ("day", "session", "item") else rng.randint(1, 60)
            activity = {"kind": conv.id, "name": f"活动{k}", "quantity": quantity, "options": options}
            if cats:  # an activity that counts only toward the total names no category
                activity["category"] = rng.choice(cats)
            activities.append(activity)
        cases.append({"rule_set": rules.id, "activities": activities})
    return cases


def _peak_mb() -> float:
    """This process's peak resident memory. Linux: VmHWM of /proc/self/status, which
    starts afresh at exec; ru_maxrss does not, so a process started from a big parent
    (the page benchmark, with Playwright and a build in memory) would report the parent's."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_cases(n: int) -> dict:
    from calculator.engine.run import run_case
    from calculator.rulefiles.loader import load_catalog

    catalog = load_catalog(ROOT / "rules")
    cases = generated_cases(n)
    for rid in catalog.ids():
        catalog.resolve(rid)
    started = time.perf_counter()
    statuses = 0
    for case in cases:
        statuses += run_case(case, catalog).result is not None
    seconds = time.perf_counter() - started
    assert statuses == n
    return {"cases": n, "seconds": round(seconds, 3), "cases_per_second": round(n / seconds), "peak_memory_mb": round(_peak_mb(), 1)}


def _staff(rows: int) -> tuple[list[str], list[list[object]]]:
    rng = random.Random(11)
    headers = ["姓名", "工号", "公需学时", "专业学时", "法定退休日期"]
    body: list[list[object]] = [[f"职工{i}", f"G{i:06d}", rng.randint(0, 60), rng.randint(0, 120),
                                 rng.choice(["", "2030-06-30", "2022-03-31"])] for i in range(rows)]
    return headers, body


def measure_batch_format(rows: int, fmt: str, jobs: int = 1) -> dict:
    """One staff sheet in and the result table out, as the CLI does: read, evaluate, write."""
    from calculator.batch.people import group_rows, known_header
    from calculator.batch.tables import result_table
    from calculator.doors.batch_cli import evaluate_parallel
    from calculator.rulefiles.loader import load_catalog
    from calculator.batch.sheets import read_sheet
    from calculator.batch.write import write_csv, write_xlsx

    rule_set = "qinghai-zhuanji-2021"
    catalog = load_catalog(ROOT / "rules")
    headers, body = _staff(rows)
    data = write_csv(headers, body) if fmt == "csv" else write_xlsx([("人员", headers, body)])
    # Wall time and CPU time (own + finished children): on a shared machine the CPU time
    # is the figure that does not depend on what else runs.
    clock = _Clock()
    sheet = read_sheet(data, f"staff.{fmt}", known_header(catalog, [rule_set]))
    read = clock.lap()
    layout, groups, _ = group_rows(sheet)
    results = evaluate_parallel(sheet, groups, catalog, rule_set, layout, jobs, ROOT / "rules")
    evaluate = clock.lap()
    out_headers, table = result_table(results)
    out = write_csv(out_headers, table) if fmt == "csv" else write_xlsx([("核查结果", out_headers, table)])
    write = clock.lap()
    assert len(results) == rows
    seconds = read[0] + evaluate[0] + write[0]
    cpu = read[1] + evaluate[1] + write[1]
    return {"format": fmt, "jobs": jobs, "rows": rows,
            "read_s": read[0], "evaluate_s": evaluate[0], "write_s": write[0], "seconds": round(seconds, 3),
            "cpu_read_s": read[1], "cpu_evaluate_s": evaluate[1], "cpu_write_s": write[1], "cpu_s": round(cpu, 3),
            "rows_per_second": round(rows / seconds), "rows_per_cpu_second": round(rows / cpu),
            "file_mb_in": round(len(data) / 1e6, 1), "file_mb_out": round(len(out) / 1e6, 1)}


class _Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), self._cpu()
        lap = (round(wall - self.wall, 3), round(cpu - self.cpu, 3))
        self.wall, self.cpu = wall, cpu
        return lap


def measure_batch(rows: int, jobs: int = 2) -> dict:
    """CSV and XLSX, one process; XLSX again with `jobs` processes. The top-level
    rows_per_second is the CSV figure (as before XLSX was measured)."""
    csv_figures = measure_batch_format(rows, "csv")
    xlsx_figures = measure_batch_format(rows, "xlsx")
    parallel = measure_batch_format(rows, "xlsx", jobs) if jobs > 1 else None
    return {"rows": rows, "seconds": csv_figures["seconds"], "rows_per_second": csv_figures["rows_per_second"],
            "csv": csv_figures, "xlsx": xlsx_figures, f"xlsx_jobs_{jobs}": parallel,
            "peak_memory_mb": round(_peak_mb(), 1)}


def run_isolated(kind: str, n: int) -> dict:
    """One measurement in its own process (one core, its own peak memory)."""
    done = subprocess.run([sys.executable, "-m", "bench.cli_bench", "--only", kind, "-n", str(n)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", choices=["cases", "batch"])
    parser.add_argument("-n", type=int, default=0)
    args = parser.parse_args()
    if args.only == "cases":
        print(json.dumps(measure_cases(args.n)))
    elif args.only == "batch":
        print(json.dumps(measure_batch(args.n)))
    else:
        print(json.dumps({"cli": run_isolated("cases", args.cases), "batch_cli": run_isolated("batch", args.rows)},
                         ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
