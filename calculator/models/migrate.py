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
