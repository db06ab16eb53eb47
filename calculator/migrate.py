"""Upgrade older file formats to the current ones, on load and on demand.

`xueshi.rules/1` -> `/2`: the shape is a subset of /2, so only the format line changes
(every new field has a default that keeps the /1 meaning).
`xueshi.case/1` -> `/2`: earlier years' hours were two fixed fields (`public`,
`professional`, `required_public`, `required_professional`); /2 keys them by the rule
set's own category ids (`hours`, `required`).

Pure functions on plain data: the CLI (`python -m calculator migrate`), the loader, the
case model and the page's stored data all use these, so an old file means the same
everywhere.
"""

from __future__ import annotations

from typing import Any

RULES_V1, RULES_V2 = "xueshi.rules/1", "xueshi.rules/2"
CASE_V1, CASE_V2 = "xueshi.case/1", "xueshi.case/2"

_V1_HISTORY = {"public", "professional", "required_public", "required_professional"}


def _history_v1_to_v2(row: Any) -> Any:
    if not isinstance(row, dict) or not (_V1_HISTORY & row.keys()):
        return row
    out = {k: v for k, v in row.items() if k not in _V1_HISTORY}
    hours = {k: row[k] for k in ("public", "professional") if k in row}
    required = {k[len("required_"):]: row[k] for k in ("required_public", "required_professional")
                if row.get(k) is not None}
    out["hours"] = {**hours, **(out.get("hours") or {})}
    if required:
        out["required"] = {**required, **(out.get("required") or {})}
    return out


def migrate_case(data: Any) -> Any:
    """A case of any published format as the current format (other data unchanged)."""
    if not isinstance(data, dict) or data.get("format") not in (None, CASE_V1):
        return data
    out = dict(data)
    if "format" in out:
        out["format"] = CASE_V2
    history = out.get("history")
    if isinstance(history, list):
        out["history"] = [_history_v1_to_v2(row) for row in history]
    return out


def migrate_rules(data: Any) -> Any:
    """A rule file of any published format as the current format."""
    if isinstance(data, dict) and data.get("format") == RULES_V1:
        return {**data, "format": RULES_V2}
    return data


def migrate_rule_text(text: str) -> str:
    """A rule file's text in the current format: only the format line changes (/1 is a subset)."""
    import re

    return re.sub(r"^format:\s*xueshi\.rules/1\s*$", f"format: {RULES_V2}", text, count=1, flags=re.M)


def migrate_case_file(text: str, json_file: bool = False) -> str:
    """A case file (JSON or YAML) or a worked-examples file (a YAML list of {input: case})."""
    import json

    import yaml

    if json_file:
        data = json.loads(text)
        new = migrate_case(data)
        return text if new == data else json.dumps(new, ensure_ascii=False, indent=2) + "\n"
    data = yaml.safe_load(text)
    if isinstance(data, list):
        new = [dict(item, input=migrate_case(item["input"])) if isinstance(item, dict) and "input" in item else item
               for item in data]
    else:
        new = migrate_case(data)
    if new == data:
        return text
    return yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=120)
