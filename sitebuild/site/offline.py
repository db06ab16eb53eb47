"""Step: the service worker (``sw.js`` in the site root) that lets a second visit work offline.

``site/sw.js`` is the worker; this step fills in the list of files to cache on install
(everything the calculator and batch pages load: the pages, ``static/``, ``data/`` and
``pyodide/``; and the policy guides with what they load, within `GUIDE_BUDGET_BYTES`) and
a version (a hash of those files), so that every build that changes a file installs a
fresh cache and deletes the old one. The guides register the same worker (their pages
carry ``xueshi-md-offline.js``), so one visit to either part keeps both. ``static/boot.js`` registers it only over HTTPS (or on localhost
with ``?sw=1``, for tests): browsers have no service workers on plain-HTTP hosts, where
the site works exactly as without one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..context import BuildError

if TYPE_CHECKING:
    from ..context import BuildContext

SW_NAME = "sw.js"
CACHED_FOLDERS = ("static", "data", "pyodide")
# Compressed siblings and source maps are never requested by the pages.
SKIPPED_SUFFIXES = (".gz", ".br", ".zst", ".map")


GUIDE_DIR = "guide"
# Never requested by the guides: lunr's language packs (the search runs with lang "en" and
# loads none) and the JSON Schemas (downloads for rule authors).
GUIDE_SKIPPED = ("assets/javascripts/lunr/", "schema/")
# What the guides may add to the offline cache (uncompressed bytes; README, 离线使用).
GUIDE_BUDGET_BYTES = 4_000_000


def _files(root: Path, out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SKIPPED_SUFFIXES)
    )


def guide_files(out: Path) -> list[str]:
    """The guides' pages (as the directory URLs people open: ``guide/<page>/``) and assets."""
    root = out / GUIDE_DIR
    if not root.is_dir():
        return []
    listed = []
    for rel in _files(root, out):
        inner = rel.removeprefix(f"{GUIDE_DIR}/")
        if inner.startswith(GUIDE_SKIPPED):
            continue
        listed.append(rel.removesuffix("index.html") if rel.endswith("/index.html") else rel)
    return listed


def on_disk(out: Path, rel: str) -> Path:
    """The file a precache entry stands for (``guide/x/`` -> ``guide/x/index.html``)."""
    return out / (rel + "index.html" if rel.endswith("/") else rel)


def precache_list(out: Path) -> list[str]:
    """Site-relative paths to cache on install; ``./`` stands for the calculator page."""
    pages = sorted(p.name for p in out.glob("*.html"))
    files: list[str] = []
    for folder in CACHED_FOLDERS:
        if (out / folder).is_dir():
            files += _files(out / folder, out)
    return ["./", *pages, *files, *guide_files(out)]


def write_service_worker(ctx: BuildContext) -> None:
    """Step: ``site/sw.js`` with its file list and version -> ``out/sw.js``."""
    paths = precache_list(ctx.out)
    guide_bytes = sum(on_disk(ctx.out, rel).stat().st_size for rel in guide_files(ctx.out))
    if guide_bytes > GUIDE_BUDGET_BYTES:
        raise BuildError("离线缓存超出预算", [
            f"政策指南共 {guide_bytes / 1e6:.2f} MB，超过离线缓存预算 {GUIDE_BUDGET_BYTES / 1e6:.1f} MB"
            "（sitebuild/site/offline.py 的 GUIDE_BUDGET_BYTES，README“离线使用”）"
        ])
    digest = hashlib.sha256()
    for rel in paths[1:]:
        digest.update(rel.encode() + b"\0" + on_disk(ctx.out, rel).read_bytes())
    template = (ctx.site_dir / SW_NAME).read_text(encoding="utf-8")
    assert "__VERSION__" in template and "__PRECACHE__" in template, "site/sw.js lost its placeholders"
    text = template.replace("__VERSION__", digest.hexdigest()[:12]).replace(
        "__PRECACHE__", json.dumps(paths, ensure_ascii=False, indent=0)
    )
    (ctx.out / SW_NAME).write_text(text, encoding="utf-8")
    size = sum(on_disk(ctx.out, rel).stat().st_size for rel in paths[1:])
    ctx.log(f"  {len(paths)} 个文件，{size / 1e6:.1f} MB 可离线使用（其中政策指南 {guide_bytes / 1e6:.2f} MB）")
