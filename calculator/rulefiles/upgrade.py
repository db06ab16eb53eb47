"""Old-format files rewritten in the current format, as text (the `migrate` command):
the models read old formats anyway (`models/migrate.py`); this keeps the files current.
"""

from __future__ import annotations

from ..models.migrate import RULES_V2, migrate_case


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
