"""`python -m calculator batch staff.csv [-o results.xlsx]`: check many staff at once."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

from .batch import check_headers, evaluate_rows, result_table, template_headers, title_summary_table
from .resolve import Catalog
from .sheets import SheetError, read_sheet, write_csv, write_xlsx


def run_batch_cli(args: argparse.Namespace, catalog: Catalog) -> int:
    if args.template:
        if not args.rule_set or args.rule_set not in catalog:
            sys.stderr.write("生成模板须用 --rule-set 指定规则集：" + "、".join(catalog.ids()) + "\n")
            return 2
        headers = template_headers(catalog.resolve(args.rule_set))
        data = write_csv(headers, [])
        if args.output:
            args.output.write_bytes(data)
        else:
            sys.stdout.write(data.decode("utf-8-sig"))
        return 0
    if args.input is None:
        sys.stderr.write("请指定人员表文件（CSV 或 XLSX）\n")
        return 2
    if args.rule_set and args.rule_set not in catalog:
        sys.stderr.write(f"没有规则集“{args.rule_set}”；可选：{'、'.join(catalog.ids())}\n")
        return 2
    try:
        data = args.input.read_bytes()
    except OSError as error:
        sys.stderr.write(f"无法读取 {args.input}：{error.strerror}\n")
        return 2
    started = time.perf_counter()
    try:
        sheet = read_sheet(data, args.input.name)
    except SheetError as error:
        sys.stderr.write(f"{args.input}：{error}\n")
        return 2
    unknown = check_headers(sheet.headers, catalog, [args.rule_set] if args.rule_set else catalog.ids())
    rows = evaluate_rows(sheet.headers, sheet.rows, catalog, args.rule_set)
    elapsed = time.perf_counter() - started
    headers, table = result_table(rows)
    title_headers, title_rows = title_summary_table(rows)
    if args.output:
        if args.output.suffix.lower() == ".xlsx":
            sheets = [("核查结果", headers, table)]
            if title_rows:
                sheets.append(("职称参评学时汇总", title_headers, title_rows))
            args.output.write_bytes(write_xlsx(sheets))
        else:
            args.output.write_bytes(write_csv(headers, table))
            if title_rows:
                args.output.with_name(args.output.stem + "-职称汇总.csv").write_bytes(write_csv(title_headers, title_rows))
    statuses = Counter(r.result.status_label if r.result else "无法计算" for r in rows)
    bad = [p for r in rows for p in r.problems]
    if args.json:
        sys.stdout.write(json.dumps({
            "rows": len(rows), "seconds": round(elapsed, 3), "statuses": dict(statuses),
            "unknown_columns": unknown, "problems": [p.message for p in bad],
            "table": {"headers": headers, "rows": table},
        }, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"共 {len(rows)} 行（编码 {sheet.encoding}），用时 {elapsed:.2f} 秒：" +
                         "，".join(f"{k} {v} 人" for k, v in statuses.most_common()) + "\n")
        if unknown:
            sys.stdout.write("未识别的列（已忽略）：" + "、".join(unknown) + "\n")
        for p in bad[:50]:
            sys.stdout.write(f"  · {p.message}\n")
        if len(bad) > 50:
            sys.stdout.write(f"  ……另有 {len(bad) - 50} 处问题，见结果文件“输入问题”列\n")
        if args.output:
            sys.stdout.write(f"结果已写入 {args.output}\n")
    return 2 if bad else 0
