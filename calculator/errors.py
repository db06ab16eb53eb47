"""Pydantic validation errors as Chinese messages with a JSON path: never a traceback."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .result_model import Problem

FIELD_NAMES: dict[str, str] = {
    "rule_set": "规则集", "jurisdiction": "地区", "regime": "类别", "year": "年度",
    "person": "个人情况", "activities": "活动", "history": "以往年度学时",
    "kind": "活动类型", "name": "名称", "quantity": "数量", "category": "科目",
    "options": "选项", "date": "日期", "flags": "标记", "start": "开始日期", "end": "结束日期",
    "retirement_date": "法定退休日期", "leaves": "病休/孕产假", "postings": "外派经历",
    "assessment_passed": "考核是否合格", "title_application": "职称申报", "level": "职称级别",
    "degree": "学历学位", "field": "专业领域", "public": "公需学时", "professional": "专业学时",
    "format": "格式版本", "citation": "出处", "quote": "原文摘录", "source": "引用文件",
    "section": "条款", "hours": "学时", "id": "编号",
}

_TEMPLATES: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段（可能拼写有误）",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能超过 {le}",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "finite_number": "须为有限的数字",
    "bool_parsing": "须为“是”或“否”",
    "bool_type": "须为“是”或“否”",
    "date_parsing": "日期格式应为 年-月-日，例如 2021-06-30",
    "date_from_datetime_parsing": "日期格式应为 年-月-日，例如 2021-06-30",
    "date_from_datetime_inexact": "日期不能带时间",
    "date_type": "日期格式应为 年-月-日，例如 2021-06-30",
    "literal_error": "只能是：{expected}",
    "string_type": "须为文字",
    "string_too_short": "不能为空",
    "string_too_long": "太长（最多 {max_length} 个字符）",
    "string_pattern_mismatch": "格式不对（只能用小写英文字母、数字、下划线和连字符）",
    "too_long": "条目太多（最多 {max_length} 条）",
    "too_short": "至少需要 {min_length} 条",
    "dict_type": "应为一组“名称: 值”",
    "list_type": "应为列表",
    "model_type": "应为一组“名称: 值”",
    "model_attributes_type": "应为一组“名称: 值”",
    "union_tag_invalid": "类型只能是：{expected_tags}",
    "union_tag_not_found": "缺少类型标记 {discriminator}",
    "json_invalid": "不是有效的 JSON",
    "recursion_loop": "嵌套层次太深",
}


_DATE_KINDS = frozenset({"date_parsing", "date_from_datetime_parsing"})


def _shown(value: Any) -> str:
    """The refused input, quoted, when short enough to help find it; else nothing."""
    return f"“{value}”" if isinstance(value, str) and 0 < len(value) <= 20 else ""


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and ("[" in part or part in {"int", "str", "float", "bool"}):
            continue  # pydantic's union-member markers: noise for a person
        else:
            out += f".{part}" if out else str(part)
    return out or "（整个文件）"


def _label(loc: tuple[Any, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part in FIELD_NAMES:
            return FIELD_NAMES[part]
    return ""


def problems_from(error: ValidationError, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for item in error.errors(include_url=False):
        kind = item["type"]
        if kind == "value_error":
            text = str(item.get("msg", "")).removeprefix("Value error, ")
        elif kind in _DATE_KINDS and "outside expected range" in str((item.get("ctx") or {}).get("error", "")):
            text = f"日期{_shown(item.get('input'))}不存在（月份应为 1–12，日不超过当月天数）"
        else:
            template = _TEMPLATES.get(kind, "不符合要求")
            ctx = {k: _number(v) for k, v in (item.get("ctx") or {}).items()}
            try:
                text = template.format(**ctx)
            except (KeyError, IndexError):
                text = template
        path = _path(item["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path != "（整个文件）" else prefix
        if (path, text) in seen:
            continue  # a union reports the same miss once per member
        seen.add((path, text))
        label = _label(item["loc"])
        problems.append(Problem(path=path, code=kind, message=f"{label}：{text}" if label else text))
    return problems
