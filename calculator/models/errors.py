"""Pydantic validation errors as Chinese messages with a JSON path: never a traceback."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .result import Problem

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

# A field name that means different things in different places, by (parent, field).
CONTEXT_NAMES: dict[tuple[str, str], str] = {
    ("jurisdiction", "level"): "辖区级别", ("jurisdiction", "code"): "辖区代码", ("jurisdiction", "name"): "辖区名称",
    ("jurisdiction", "parent"): "上级辖区代码", ("title_application", "level"): "职称级别",
    ("match", "levels"): "申报级别", ("sources", "date"): "发文日期", ("history", "hours"): "该年度学时",
    ("history", "required"): "该年度要求", ("requirements", "hours"): "学时要求",
}
# Literal values a person reads in Chinese (the English id in brackets, since files use the id).
VALUE_NAMES: dict[str, str] = {
    "national": "国家", "province": "省", "prefecture": "市州", "city": "市", "unit": "单位",
    "shiye": "事业单位工作人员培训", "zhuanji": "专业技术人员继续教育",
    "zhenggao": "正高", "fugao": "副高", "zhongji": "中级", "chuji": "初级",
    "doctor": "博士", "master": "硕士", "bachelor": "学士", "other": "其他", "medical": "医学类",
    "deemed_complete": "视同完成", "provisional": "暂视同完成", "exemption_available": "可申请免训",
    "never_counts": "一律不计", "not_verifiable": "暂不能认定", "year": "每年度", "period": "整个周期",
    "sick": "病休", "maternity": "孕产假",
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
    names = [p for p in loc if isinstance(p, str)]
    for i in range(len(names) - 1, -1, -1):
        if i > 0 and (names[i - 1], names[i]) in CONTEXT_NAMES:
            return CONTEXT_NAMES[(names[i - 1], names[i])]
        if names[i] in FIELD_NAMES:
            return FIELD_NAMES[names[i]]
    return ""


def _expected(text: str) -> str:
    """'national', 'province' or 'city' -> 国家（national）、省（province）或 市（city）."""
    import re

    values = re.findall(r"'([^']*)'", text)
    if not values:
        return text
    shown = [f"{VALUE_NAMES[v]}（{v}）" if v in VALUE_NAMES else v for v in values]
    return "、".join(shown)


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
            if kind == "literal_error" and "expected" in ctx:
                ctx["expected"] = _expected(str(ctx["expected"]))
            if kind == "string_too_short" and int(ctx.get("min_length", 1)) > 1:
                template = "太短（至少 {min_length} 个字）"
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
