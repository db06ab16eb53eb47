"""Read rule files, case files and test-case files from disk (CPython side only).

The engine never reads files; this module turns files into validated models and
reports problems with the file name, so a policy office sees "which file, which field".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..engine.places import Places
from ..engine.resolve import Catalog, RuleError
from ..models.places import PlaceList
from ..models.errors import problems_from
from ..models.rules import RuleSet
from .lint import author_checks, verify_quotes  # noqa: F401 - verify_quotes is part of this module's interface

CASES_SUFFIX = ".cases.yaml"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys: a silently overwritten number is a wrong number."""


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_IMPOSSIBLE_DATE = "日期“{value}”不存在（月份应为 1–12，日不超过当月天数）"


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"字段“{key}”重复出现", key_node.start_mark
            )
        seen.add(key)
        if value_node.tag == _TIMESTAMP_TAG:
            try:
                yaml.SafeLoader.construct_yaml_timestamp(loader, value_node)
            except ValueError:  # 2026-13-01 looks like a date to YAML; datetime refuses it
                raise yaml.constructor.ConstructorError(
                    None, None, f"字段“{key}”：" + _IMPOSSIBLE_DATE.format(value=value_node.value),
                    value_node.start_mark,
                ) from None
    return loader.construct_mapping(node, deep=deep)


def _timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # a date in a list (a mapping's value is caught above, with its field)
        raise yaml.constructor.ConstructorError(
            None, None, _IMPOSSIBLE_DATE.format(value=node.value), node.start_mark
        ) from None


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_constructor(_TIMESTAMP_TAG, _timestamp)

# PyYAML's English problems -> what to fix, in Chinese. Matched on (context, problem) parts.
_YAML_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    ("quoted scalar", "end of stream", "引号没有闭合：从这一行开始的引号一直到文件末尾都没有找到对应的结束引号"),
    ("quoted scalar", "", "引号内的内容有误（引号没有闭合，或含有不能出现的字符）"),
    ("", "mapping values are not allowed", "此处不能出现“冒号+空格”；值里含冒号时请把整个值用引号括起来"),
    ("", "cannot start any token", "不能用 Tab 缩进或以此字符开头，请改用空格，或给值加引号"),
    ("flow sequence", "", "方括号 [ ] 没有闭合，或列表项之间缺少逗号"),
    ("flow mapping", "", "花括号 { } 没有闭合，或项之间缺少逗号"),
    ("simple key", "", "缺少冒号：每一行应为“名称: 值”，或是以“- ”开头的列表项"),
    ("block", "expected <block end>", "缩进不一致：同一层的字段应对齐，子项应比上一层多缩进"),
    ("block", "", "缩进或结构有误：同一层的字段应对齐，列表项以“- ”开头"),
    ("", "undefined alias", "引用了未定义的锚点（*名称）"),
    ("", "duplicate anchor", "锚点（&名称）重复定义"),
    ("", "end of stream", "文件意外结束（可能有未闭合的引号或括号）"),
)


def _yaml_problem(error: yaml.YAMLError) -> str:
    """A Chinese sentence with the line to look at; never PyYAML's English text."""
    ours = isinstance(error, yaml.constructor.ConstructorError) and error.problem and not error.context
    if ours:
        text = str(error.problem)  # duplicate field, impossible date: already Chinese
    else:
        context = str(getattr(error, "context", "") or "")
        problem = str(getattr(error, "problem", "") or "")
        text = next(
            (msg for ctx, prob, msg in _YAML_PROBLEMS if ctx in context and prob in problem),
            "无法按 YAML 格式读取此处（请检查缩进、冒号和引号）",
        )
    mark = getattr(error, "problem_mark", None)
    # An unclosed quote or bracket is noticed where the file ends: point at where it opened.
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and "end of stream" in str(getattr(error, "problem", "")):
        mark = context_mark
    if context_mark is not None and "flow" in str(getattr(error, "context", "")):
        mark = context_mark
    if ours:
        return f"第{mark.line + 1}行第{mark.column + 1}列：{text}" if mark else text
    where = f"（第{mark.line + 1}行第{mark.column + 1}列）" if mark else ""
    return f"YAML 格式有误{where}：{text}"


class FileError(Exception):
    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def read_data(path: Path) -> Any:
    """Parse a JSON or YAML file; raise FileError with a Chinese message on failure."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(path, ["文件不是 UTF-8 编码的文本"]) from None
    except OSError as error:
        raise FileError(path, [f"无法读取文件：{error.strerror}"]) from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except json.JSONDecodeError as error:
        raise FileError(path, [f"JSON 格式有误（第{error.lineno}行第{error.colno}列）：{error.msg}"]) from None
    except yaml.YAMLError as error:
        raise FileError(path, [_yaml_problem(error)]) from None


def rule_files(rules_dir: Path) -> list[Path]:
    return sorted(
        p for p in rules_dir.rglob("*.yaml")
        if not p.name.endswith(CASES_SUFFIX) and "schema" not in p.relative_to(rules_dir).parts
    )


def load_rule_file(path: Path) -> RuleSet:
    data = read_data(path)
    if not isinstance(data, dict):
        raise FileError(path, ["规则文件应为一组“名称: 值”"])
    try:
        rule_set = RuleSet.model_validate(data)
    except ValidationError as error:
        raise FileError(path, [f"{p.path}: {p.message}" for p in problems_from(error)]) from None
    if path.stem != rule_set.id:
        raise FileError(path, [f"文件名应与 id 一致：{rule_set.id}.yaml"])
    return rule_set


PLACES_FILE = "places.json"


def load_places(rules_dir: Path) -> Places | None:
    """The place registry beside the rule files (rules/places.json), if there is one."""
    path = rules_dir / PLACES_FILE
    if not path.is_file():
        return None
    try:
        return Places(PlaceList.model_validate(read_data(path)).places)
    except ValidationError as error:
        raise FileError(path, [f"{p.path}: {p.message}" for p in problems_from(error)]) from None


def load_catalog(rules_dir: Path) -> Catalog:
    return Catalog((load_rule_file(p) for p in rule_files(rules_dir)), load_places(rules_dir))


def validate_all(rules_dir: Path) -> tuple[Catalog | None, list[str]]:
    """Load, resolve and quote-check every rule file; return human-readable problems."""
    sets: list[RuleSet] = []
    problems: list[str] = []
    for path in rule_files(rules_dir):
        try:
            sets.append(load_rule_file(path))
        except FileError as error:
            problems.extend(f"{path.relative_to(rules_dir)}: {p}" for p in error.problems)
    try:
        places = load_places(rules_dir)
    except FileError as error:
        places = None
        problems.extend(f"{PLACES_FILE}: {p}" for p in error.problems)
    try:
        catalog = Catalog(sets, places)
    except RuleError as error:
        return None, problems + [str(p) for p in error.problems]
    for rule_set in catalog.all():
        try:
            catalog.resolve(rule_set.id)
        except RuleError as error:
            problems.extend(str(p) for p in error.problems)
    if not problems:
        problems.extend(author_checks(catalog, rules_dir, rule_files(rules_dir)))
    return catalog, problems


@dataclass
class WorkedExample:
    """One worked example: input case, expected (partial) output, the clauses it proves."""

    name: str
    rule_set: str
    file: Path
    input: dict[str, Any]
    output: dict[str, Any]
    proves: list[str] = field(default_factory=list)
    description: str | None = None


def load_test_cases(path: Path) -> list[WorkedExample]:
    data = read_data(path)
    rule_set = path.name.removesuffix(CASES_SUFFIX)
    if not isinstance(data, list):
        raise FileError(path, ["测试用例文件应为一个列表"])
    cases = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not {"name", "input", "output"} <= set(item):
            raise FileError(path, [f"第{i + 1}个用例须有 name、input、output"])
        extra = set(item) - {"name", "input", "output", "proves", "description"}
        if extra:
            raise FileError(path, [f"第{i + 1}个用例有不认识的字段：{sorted(extra)}"])
        case_input = dict(item["input"])
        case_input.setdefault("rule_set", rule_set)
        cases.append(WorkedExample(
            name=item["name"], rule_set=rule_set, file=path, input=case_input,
            output=item["output"], proves=list(item.get("proves", [])), description=item.get("description"),
        ))
    return cases


def all_test_cases(rules_dir: Path) -> list[WorkedExample]:
    return [c for p in sorted(rules_dir.rglob(f"*{CASES_SUFFIX}")) for c in load_test_cases(p)]


def rules_payload(catalog: Catalog) -> str:
    """All rule sets and the place registry as one JSON object: what the browser's `init` loads
    (no YAML parser there)."""
    return json.dumps(
        {
            "rule_sets": [rs.model_dump(mode="json", exclude_defaults=True) for rs in catalog.all()],
            "places": [p.model_dump(mode="json", exclude_defaults=True) for p in catalog.places.all()]
            if catalog.places is not None else [],
        },
        ensure_ascii=False, separators=(",", ":"),
    )
