"""JSON Schemas of the file formats, generated from the pydantic models (one source of truth)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .case import Case
from .result import Result
from .rules import RuleSet

MODELS = {"ruleset": RuleSet, "case": Case, "result": Result}
ADAPTERS = {name: TypeAdapter(model) for name, model in MODELS.items()}
TITLES = {"ruleset": "学时自查 规则文件", "case": "学时自查 个人情况（案例）文件", "result": "学时自查 计算结果"}


def schema(name: str) -> dict[str, Any]:
    mode = "serialization" if name == "result" else "validation"
    data = ADAPTERS[name].json_schema(mode=mode)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = TITLES[name]
    return data
