"""Step: the service worker (``sw.js`` in the site root) that lets a second visit work offline.

``site/sw.js`` is the worker; this step fills in the list of files to cache on install
(everything the calculator and batch pages load: the pages, ``static/``, ``data/`` and
``pyodide/``; not the guides, which are cached as they are visited) and a version (a hash
of those files), so that every build that changes a file installs a fresh cache and
deletes the old one. ``static/boot.js`` registers it only over HTTPS (or on localhost
with ``?sw=1``, for tests): browsers have no service workers on plain-HTTP hosts, where
the site works exactly as without one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import BuildContext

SW_NAME = "sw.js"
CACHED_FOLDERS = ("static", "data", "pyodide")
# Compressed siblings and source maps are never requested by the pages.
SKIPPED_SUFFIXES = (".gz", ".br", ".zst", ".map")


def precache_list(out: Path) -> list[str]:
    """Site-relative paths to cache on install; ``./`` stands for the calculator page."""
    pages = sorted(p.name for p in out.glob("*.html"))
    files: list[str] = []
    for folder in CACHED_FOLDERS:
        root = out / folder
        if root.is_dir():
            files += sorted(
                p.relative_to(out).as_posix()
                for p in root.rglob("*")
                if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SKIPPED_SUFFIXES)
            )
    return ["./", *pages, *files]


def write_service_worker(ctx: BuildContext) -> None:
    """Step: ``site/sw.js`` with its file list and version -> ``out/sw.js``."""
    paths = precache_list(ctx.out)
    digest = hashlib.sha256()
    for rel in paths[1:]:
        digest.update(rel.encode() + b"\0" + (ctx.out / rel).read_bytes())
    template = (ctx.site_dir / SW_NAME).read_text(encoding="utf-8")
    assert "__VERSION__" in template and "__PRECACHE__" in template, "site/sw.js lost its placeholders"
    text = template.replace("__VERSION__", digest.hexdigest()[:12]).replace(
        "__PRECACHE__", json.dumps(paths, ensure_ascii=False, indent=0)
    )
    (ctx.out / SW_NAME).write_text(text, encoding="utf-8")
    size = sum((ctx.out / rel).stat().st_size for rel in paths[1:])
    ctx.log(f"  {len(paths)} 个文件，{size / 1e6:.1f} MB 可离线使用")
