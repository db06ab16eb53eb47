"""Command line: `python -m calculator list | validate | evaluate | schema | examples | batch`.

Exit codes: 0 fine, 1 the rule files have problems (or an example disagrees), 2 the input
is wrong (messages in Chinese, or JSON with --json). Never a traceback, unless --debug.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from ..engine.explain import render_text
from ..engine.resolve import Catalog, RuleError
from ..engine.tolerant import run_case_tolerant
from ..models.result import problems_data, result_json
from ..models.rules import REGIME_NAMES
from ..models.schemas import MODELS, schema
from ..rulefiles.expect import check_example
from ..rulefiles.loader import CASES_SUFFIX, FileError, all_test_cases, load_catalog, read_data, validate_all

PROBLEMS_FORMAT = "xueshi.problems/1"


def default_rules_dir() -> Path:
    env = os.environ.get("XUESHI_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent / "rules"
    return here if here.is_dir() else Path("rules")


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _problems_json(problems: list[dict]) -> str:
    return json.dumps({"format": PROBLEMS_FORMAT, "problems": problems}, ensure_ascii=False, indent=2)


def _catalog(rules_dir: Path) -> Catalog:
    return load_catalog(rules_dir)


def cmd_list(args: argparse.Namespace) -> int:
    catalog = _catalog(args.rules)
    rows = []
    for rs in catalog.all():
        rows.append({
            "id": rs.id, "title": rs.title, "jurisdiction": rs.jurisdiction.name,
            "jurisdiction_code": rs.jurisdiction.code, "regime": rs.regime,
            "regime_name": REGIME_NAMES[rs.regime], "year": rs.year, "extends": rs.extends,
            "last_checked": rs.last_checked.isoformat(),
        })
    if args.json:
        _print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            parent = f"（继承 {row['extends']}）" if row["extends"] else ""
            _print(f"{row['id']:<28} {row['year']}  {row['jurisdiction']} · {row['regime_name']}{parent}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    catalog, problems = validate_all(args.rules)
    if problems:
        _print("规则文件有问题：")
        for p in problems:
            _print(f"  · {p}")
        return 1
    assert catalog is not None
    _print(f"全部 {len(catalog.ids())} 个规则集校验通过（结构、引用、继承、引文逐字核对）。")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    try:
        data = read_data(args.case)
    except FileError as error:
        if args.json:
            _print(_problems_json([{"path": "（整个文件）", "code": "unreadable", "message": m} for m in error.problems]))
        else:
            sys.stderr.write(f"无法读取案例文件 {args.case}：" + "；".join(error.problems) + "\n")
        return 2
    outcome = run_case_tolerant(data, _catalog(args.rules), today=dt.date.today())
    if outcome.result is None:
        problems = problems_data(outcome.problems)
        if args.json:
            _print(_problems_json(problems))
        else:
            sys.stderr.write(f"案例文件 {args.case} 有误：\n")
            for p in outcome.problems:
                sys.stderr.write(f"  · {p.path}：{p.message}\n")
        return 2
    if args.json:
        _print(result_json(outcome.result, indent=2))  # its `problems` name what was left out
    else:
        _print(render_text(outcome.result))
        if outcome.problems:
            sys.stderr.write(f"案例文件 {args.case} 有{len(outcome.problems)}处输入问题（相关条目未计入，其余照常计算）：\n")
            for p in outcome.problems:
                sys.stderr.write(f"  · {p.path}：{p.message}\n")
    return 0 if outcome.ok else 2


def cmd_schema(args: argparse.Namespace) -> int:
    names = list(MODELS) if args.name == "all" else [args.name]
    if args.output:
        args.output.mkdir(parents=True, exist_ok=True)
        for name in names:
            path = args.output / f"{name}.schema.json"
            path.write_text(json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            _print(f"已写入 {path}")
    else:
        for name in names:
            _print(json.dumps(schema(name), ensure_ascii=False, indent=2))
    return 0


def cmd_examples(args: argparse.Namespace) -> int:
    catalog = _catalog(args.rules)
    failed = 0
    cases = all_test_cases(args.rules)
    for case in cases:
        _, diffs = check_example(case.input, case.output, catalog)
        failed += bool(diffs)
        _print(f"{'✗' if diffs else '✓'} {case.rule_set} · {case.name}")
        for d in diffs:
            _print(f"    {d}")
    _print(f"{len(cases) - failed} 个通过，{failed} 个不一致")
    return 1 if failed else 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Upgrade files of an older format in place (rule files: the format line only, so the
    author's comments, anchors and layout stay; cases: the history rows)."""
    from ..rulefiles.upgrade import migrate_case_file, migrate_rule_text

    changed = 0
    for path in args.files:
        text = path.read_text(encoding="utf-8-sig")
        if path.name.endswith(CASES_SUFFIX) or args.case:
            new = migrate_case_file(text, json_file=path.suffix.lower() == ".json")
        else:
            new = migrate_rule_text(text)
        if new != text:
            changed += 1
            if not args.check:
                path.write_text(new, encoding="utf-8")
            _print(f"{'需要升级' if args.check else '已升级'}：{path}")
    _print(f"共 {len(args.files)} 个文件，{changed} 个{'需要升级' if args.check else '已升级'}。")
    return 1 if args.check and changed else 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch_cli import run_batch_cli  # imported lazily: spreadsheet readers are CLI-only

    return run_batch_cli(args, _catalog(args.rules))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m calculator", description="学时自查：计算培训与继续教育学时")
    parser.add_argument("--rules", type=Path, default=None, help="规则目录（默认：项目的 rules/）")
    parser.add_argument("--debug", action="store_true", help="出现内部错误时显示 Python 调用栈")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="列出全部规则集")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="校验全部规则文件（含引文逐字核对）")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("evaluate", help="计算一个案例文件（JSON 或 YAML）")
    p.add_argument("case", type=Path)
    p.add_argument("--json", action="store_true", help="输出 JSON 结果")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("schema", help="导出规则文件、案例文件、结果的 JSON Schema")
    p.add_argument("name", choices=[*MODELS, "all"], nargs="?", default="all")
    p.add_argument("-o", "--output", type=Path, help="写入目录（每种一个 .schema.json）")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("examples", help="运行 rules/ 下全部测试用例（*.cases.yaml）")
    p.set_defaults(func=cmd_examples)

    p = sub.add_parser("migrate", help="把旧格式的规则文件、算例文件或案例文件升级为当前格式（原地改写）")
    p.add_argument("files", type=Path, nargs="+")
    p.add_argument("--case", action="store_true", help="这些文件是个人案例（JSON 或 YAML）")
    p.add_argument("--check", action="store_true", help="只检查，不改写；有需要升级的文件时退出码为 1")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("batch", help="批量核查：读取人员表（CSV/XLSX），输出每人结果")
    from .batch_cli import add_batch_arguments  # the batch command's options live with it

    add_batch_arguments(p)
    p.set_defaults(func=cmd_batch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.rules = args.rules or default_rules_dir()
    try:
        return int(args.func(args))
    except FileError as error:
        sys.stderr.write(f"{error.path}：" + "；".join(error.problems) + "\n")
        return 1
    except RuleError as error:
        sys.stderr.write("规则文件有误：" + "；".join(str(p) for p in error.problems) + "\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last line of defence: a person never sees a traceback
        if args.debug:
            traceback.print_exc()
        sys.stderr.write(f"内部错误：{type(error).__name__}: {error}（请报告此问题；加 --debug 查看详情）\n")
        return 70
