"""Small Markdown/HTML writing helpers for the generated guides (no policy knowledge here).

Everything that comes from a rule file is text written by a policy office; it is escaped
on the way out so that a `*` or `|` in a quote is shown, never interpreted.
"""

from __future__ import annotations

import html
import re
from typing import Iterable

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


def esc(text: object) -> str:
    """Inline Markdown text: HTML-escaped, Markdown punctuation backslash-escaped."""
    value = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", value)


def cell(text: object) -> str:
    """A Markdown table cell: escaped, on one line."""
    return re.sub(r"\s*\n\s*", "<br>", esc(text)).strip() or "—"


def code(text: object) -> str:
    value = str(text)
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def h(text: object) -> str:
    """HTML text (for raw HTML blocks)."""
    return html.escape(str(text), quote=True)


def num(value: float | int | None) -> str:
    """90.0 -> "90", 22.5 -> "22.5", None -> "—"."""
    if value is None:
        return "—"
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


def table(headers: list[str], rows: Iterable[list[str]]) -> str:
    """A Markdown table; cells must already be escaped (use `cell`)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def admonition(kind: str, title: str, body: str, *, classes: str = "") -> str:
    """`!!! kind "title"` with a Markdown body (already escaped where needed)."""
    extra = f" {classes}" if classes else ""
    quoted = title.replace('"', "&quot;")
    return f'!!! {kind}{extra} "{quoted}"\n\n{indent(body)}\n'


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items) + "\n"
