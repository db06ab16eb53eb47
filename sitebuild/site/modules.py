"""The site's JavaScript modules as the build ships them.

`version_imports`: every import of another file of ``static/`` carries the build's version
(``./snapshot.js?v=<version>``). Without it the browser must revalidate each imported module
on every visit (a round trip per module, one level of imports after another); with it every
module URL changes with the build and the server can send it ``immutable``
(`sitebuild.site.serve.is_versioned`), so a return visit asks for nothing.

`static_imports`: the modules an entry imports before it runs, for the pages' bundles
(`sitebuild.site.bundles`), which decide from it which modules need not be shipped.

Only specifiers that stay inside ``static/`` are versioned: ``../pyodide/…`` changes with the
runtime's pin, not with these files, and is cached by its own rules.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

# `from "./x.js"`, `import "./x.js"`, `import("./x.js")` with a relative, literal specifier.
_SPECIFIER = re.compile(
    r"""(?P<head>\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(?P<quote>["'])(?P<spec>\.{1,2}/[^"'?#\s]+\.m?js)(?P=quote)"""
)
# Static imports only (what the browser loads before the module runs).
_STATIC = re.compile(
    r"""^\s*(?:import\s*|(?:import|export)\b[^;"']*?\bfrom\s*)["'](\.{1,2}/[^"'?#\s]+\.m?js)["']""", re.M
)


def _inside(static_dir: Path, module: PurePosixPath, spec: str) -> PurePosixPath | None:
    """`spec` imported by `module` (both relative to ``static/``), or None when it leaves ``static/``."""
    parts: list[str] = list(module.parent.parts)
    for part in PurePosixPath(spec).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    target = PurePosixPath(*parts)
    return target if (static_dir / target).is_file() else None


def version_imports(text: str, module: PurePosixPath, static_dir: Path, version: str) -> str:
    """`text` of `module` with ``?v=<version>`` on every import of another file in ``static/``."""

    def add(match: re.Match[str]) -> str:
        if _inside(static_dir, module, match["spec"]) is None:
            return match[0]
        return f"{match['head']}{match['quote']}{match['spec']}?v={version}{match['quote']}"

    return _SPECIFIER.sub(add, text)


def static_imports(static_dir: Path, entry: str) -> list[str]:
    """Every module `entry` (relative to ``static/``) imports, directly or not, before it runs;
    in a stable order (depth first, as the browser would reach them)."""
    seen: dict[PurePosixPath, None] = {}
    todo = [PurePosixPath(entry)]
    while todo:
        module = todo.pop(0)
        text = (static_dir / module).read_text(encoding="utf-8")
        for spec in _STATIC.findall(_without_comments(text)):
            target = _inside(static_dir, module, spec)
            if target is not None and target not in seen and target != PurePosixPath(entry):
                seen[target] = None
                todo.append(target)
    return [p.as_posix() for p in seen]


def _without_comments(text: str) -> str:
    """Line comments and block comments blanked (a JSDoc `import("./x.js")` type is no import)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$", " ", text)
