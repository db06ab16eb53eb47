"""`python -m calculator batch staff.xlsx [-o results.xlsx] [--jobs N]`: check many staff at once.

Module level stays light (the CLI's parser imports it for `add_batch_arguments`); the
readers and the engine are imported when the command runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

PARALLEL_MIN_PEOPLE = 2000  # below this, starting processes costs more than it saves
_worker_catalog: Any = None  # the catalog, inherited by forked workers or loaded once per worker


def add_batch_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", type=Path, nargs="?")
    p.add_argument("--template", action="store_true",
                   help="输出所选规则集的人员表模板（-o 为 .xlsx 时含填表说明、示例行和下拉列表，否则为 CSV）")
    p.add_argument("--layout", choices=["person", "activity"], default="person",
                   help="模板格式：person 每人一行（各科目学时），activity 每项活动一行（论文、专利、获奖、培训等）")
    p.add_argument("--rule-set", help="未在表中填写规则集时使用的规则集 id")
    p.add_argument("--sheet", help="XLSX 中要核查的工作表名（默认自动选择含人员表的工作表）")
    p.add_argument("--header-row", type=int, help="列名所在的行号（默认自动查找）")
    p.add_argument("--jobs", type=int, default=1, help="并行进程数（大文件；结果与单进程相同）")
    p.add_argument("-o", "--output", type=Path, help="结果文件（.csv 或 .xlsx）")
    p.add_argument("--json", action="store_true")


def _template(args: argparse.Namespace, catalog: Any) -> int:
    from ..batch.template import template_csv, template_xlsx

    if not args.rule_set or args.rule_set not in catalog:
        sys.stderr.write("生成模板须用 --rule-set 指定规则集：" + "、".join(catalog.ids()) + "\n")
        return 2
    rules = catalog.resolve(args.rule_set)
    if args.output and args.output.suffix.lower() == ".xlsx":
        args.output.write_bytes(template_xlsx(rules, args.layout))
        return 0
    data = template_csv(rules, args.layout)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0


def _work(job: tuple[Any, list[list[int]], str | None, str]) -> list[Any]:
    from ..batch.people import evaluate_sheet
    from ..rulefiles.loader import load_catalog

    global _worker_catalog
    sheet, groups, default, layout = job
    if _worker_catalog is None or isinstance(_worker_catalog, Path):  # spawned, not forked
        _worker_catalog = load_catalog(_worker_catalog or Path(os.environ["XUESHI_RULES"]))
    return evaluate_sheet(sheet, groups, _worker_catalog, default, layout)  # type: ignore[arg-type]


def evaluate_parallel(sheet: Any, groups: list[list[int]], catalog: Any, default: str | None, layout: str,
                      jobs: int, rules_dir: Path) -> list[Any]:
    """Contiguous slices of people to `jobs` processes; results back in sheet order."""
    from dataclasses import replace

    from ..batch.people import evaluate_sheet

    if jobs <= 1 or len(groups) < PARALLEL_MIN_PEOPLE:
        return evaluate_sheet(sheet, groups, catalog, default, layout)  # type: ignore[arg-type]
    global _worker_catalog
    size = -(-len(groups) // (jobs * 4))  # a few slices per process evens out slow ones
    work = []
    for start in range(0, len(groups), size):
        part = groups[start:start + size]
        indices = [i for g in part for i in g]
        renumber = {old: new for new, old in enumerate(indices)}
        sub = replace(sheet, rows=[sheet.rows[i] for i in indices], row_numbers=[sheet.row_numbers[i] for i in indices])
        work.append((sub, [[renumber[i] for i in g] for g in part], default, layout))
    # Imported here: the CLI's --jobs alone needs them, and the browser's runtime ships only
    # the stdlib modules imported at module level (sitebuild.runtime.vendor.stdlib_roots).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _worker_catalog = catalog if context.get_start_method() == "fork" else rules_dir
    os.environ["XUESHI_RULES"] = str(rules_dir)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return [row for rows in pool.map(_work, work) for row in rows]


def run_batch_cli(args: argparse.Namespace, catalog: Any) -> int:
    from ..batch.people import check_headers, group_rows, known_header
    from ..batch.sheets import SheetChoiceNeeded, SheetError, read_sheet
    from ..batch.tables import result_table, title_summary_table
    from ..batch.write import write_csv, write_xlsx
    from ..engine.words import needs_check_note

    if args.template:
        return _template(args, catalog)
    if args.input is None:
        sys.stderr.write("请指定人员表文件（CSV 或 XLSX）\n")
        return 2
    if args.rule_set and args.rule_set not in catalog:
        sys.stderr.write(f"没有规则集“{args.rule_set}”；可选：{'、'.join(catalog.ids())}\n")
        return 2
    if args.jobs < 1:
        sys.stderr.write("--jobs 须为正整数\n")
        return 2
    try:
        data = args.input.read_bytes()
    except OSError as error:
        sys.stderr.write(f"无法读取 {args.input}：{error.strerror}\n")
        return 2
    started = time.perf_counter()
    ids = [args.rule_set] if args.rule_set else catalog.ids()
    try:
        sheet = read_sheet(data, args.input.name, known_header(catalog, ids), args.sheet, args.header_row)
    except SheetChoiceNeeded as error:
        sys.stderr.write(f"{args.input}：{error}（用 --sheet 指定，例如 --sheet {error.choices[0]}）\n")
        return 2
    except SheetError as error:
        sys.stderr.write(f"{args.input}：{error}\n")
        return 2
    read_s = time.perf_counter() - started
    unknown = check_headers(sheet.headers, catalog, ids)
    layout, groups, examples = group_rows(sheet)
    rows = evaluate_parallel(sheet, groups, catalog, args.rule_set, layout, args.jobs, args.rules)
    evaluate_s = time.perf_counter() - started - read_s
    headers, table = result_table(rows)
    title_headers, title_rows = title_summary_table(rows)
    if args.output:
        if args.output.suffix.lower() == ".xlsx":
            sheets: list[Any] = [("核查结果", headers, table)]
            if title_rows:
                sheets.append(("职称参评学时汇总", title_headers, title_rows))
            args.output.write_bytes(write_xlsx(sheets))
        else:
            args.output.write_bytes(write_csv(headers, table))
            if title_rows:
                args.output.with_name(args.output.stem + "-职称汇总.csv").write_bytes(write_csv(title_headers, title_rows))
    elapsed = time.perf_counter() - started
    statuses = Counter(r.status_group for r in rows)
    bad = [p for r in rows for p in r.problems]
    where = f"工作表“{sheet.sheet_name}”，" if sheet.sheet_name and len(sheet.sheet_names) > 1 else ""
    layout_name = "每项活动一行" if layout == "activity" else "每人一行"
    if args.json:
        sys.stdout.write(json.dumps({
            "rows": len(rows), "sheet_rows": len(sheet.rows), "layout": layout, "sheet": sheet.sheet_name,
            "header_row": sheet.header_row, "skipped": sheet.skipped, "examples": examples,
            "seconds": round(elapsed, 3),
            "timings": {"read": round(read_s, 3), "evaluate": round(evaluate_s, 3),
                        "write": round(elapsed - read_s - evaluate_s, 3)},
            "statuses": dict(statuses), "unknown_columns": unknown, "problems": [p.message for p in bad],
            "table": {"headers": headers, "rows": table},
        }, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"共 {len(rows)} 人（{where}列名在第{sheet.header_row}行，{layout_name}，编码 {sheet.encoding}），"
                         f"用时 {elapsed:.2f} 秒：" + "，".join(f"{k} {v} 人" for k, v in statuses.most_common()) + "\n")
        if note := needs_check_note(sum(1 for r in rows if r.left_out)):
            sys.stdout.write(note + "\n")
        if examples:
            sys.stdout.write("已跳过示例行：" + "、".join(f"第{n}行" for n in examples) + "\n")
        if sheet.skipped:
            sys.stdout.write("已跳过说明或合计行：" + "、".join(sheet.skipped[:10]) + "\n")
        if unknown:
            sys.stdout.write("未识别的列（已忽略）：" + "、".join(unknown) + "\n")
        for p in bad[:50]:
            sys.stdout.write(f"  · {p.message}\n")
        if len(bad) > 50:
            sys.stdout.write(f"  ……另有 {len(bad) - 50} 处问题，见结果文件“输入问题”列\n")
        if args.output:
            sys.stdout.write(f"结果已写入 {args.output}\n")
    return 2 if bad else 0
