"""Step: the service worker (``sw.js`` in the site root) that lets a second visit work offline.

``site/sw.js`` is the worker; this step fills in

* the files to cache on install (PRECACHE): everything the calculator, batch and studio
  pages load (the pages, ``static/``, ``data/``, ``pyodide/``) and the guides' shell (their
  shared assets, home page and the page shown for a page not kept: `GuidePages.shell`).
  Which files these are does not depend on the number of rule sets, and the guides' part
  stays within `SHELL_BUDGET_BYTES`, so adding a province never fails the build (issue #24);
* GUIDE: where the worker finds the list of each rule set's guide pages, written here as
  `GUIDE_PAGES_NAME` (site-relative paths, from `sitebuild/guides/offline.py`), and the
  page shown offline for a guide page not kept, and the search index. The worker keeps a
  rule set's pages when a page asks it to (the calculator when a rule set is chosen, a
  guide page when it is opened, which also keeps itself and the search index); every other
  guide page is kept when it is loaded;
* a version (a hash of the precached files), so that every build that changes a file
  installs a fresh cache; the new worker fetches again what the old cache had kept.

The guides register the same worker (their pages carry ``xueshi-md-offline.js``), so one
visit to either part keeps both. ``static/boot.js`` registers it only over HTTPS (or on
localhost with ``?sw=1``, for tests): browsers have no service workers on plain-HTTP hosts,
where the site works exactly as without one.
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
# The guides' shared files (theme, styles, scripts, the search worker), all precached except
# lunr's language packs, which the search (lang "en") never loads.
GUIDE_ASSETS = "assets/"
GUIDE_SKIPPED = ("assets/javascripts/lunr/",)
# Loaded by every guide page; it grows with the rule sets, so it is kept when a guide page
# is first opened, not precached.
GUIDE_SEARCH_INDEX = "search/search_index.json"
# Each rule set's guide pages, for the worker (not precached: read when a page asks).
GUIDE_PAGES_NAME = "guide-pages.json"
GUIDE_PAGES_FORMAT = "xueshi.guide-pages/1"
# What the guides' shell may add to the install-time cache (uncompressed bytes; README,
# 离线使用). A constant: the shell holds no page per rule set.
SHELL_BUDGET_BYTES = 1_000_000


def _files(root: Path, out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SKIPPED_SUFFIXES)
    )


def guide_shell(ctx: BuildContext) -> list[str]:
    """The guides' precached files: their assets and the shell pages (as directory URLs)."""
    root = ctx.out / GUIDE_DIR
    if ctx.guide_pages is None or not root.is_dir():
        return []
    assets = [
        rel for rel in _files(root / GUIDE_ASSETS, ctx.out)
        if not rel.removeprefix(f"{GUIDE_DIR}/").startswith(GUIDE_SKIPPED)
    ]
    return [*assets, *(f"{GUIDE_DIR}/{page}" for page in ctx.guide_pages.shell)]


def on_disk(out: Path, rel: str) -> Path:
    """The file a cache entry stands for (``guide/x/`` -> ``guide/x/index.html``)."""
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def precache_list(ctx: BuildContext) -> list[str]:
    """Site-relative paths to cache on install; ``./`` stands for the calculator page."""
    out = ctx.out
    pages = sorted(p.name for p in out.glob("*.html"))
    files: list[str] = []
    for folder in CACHED_FOLDERS:
        if (out / folder).is_dir():
            files += _files(out / folder, out)
    return ["./", *pages, *files, *guide_shell(ctx)]


def guide_config(ctx: BuildContext) -> dict[str, str] | None:
    """What the worker needs to keep guide pages (None: a site without guides)."""
    if ctx.guide_pages is None:
        return None
    return {"pages": GUIDE_PAGES_NAME, "missing": f"{GUIDE_DIR}/{ctx.guide_pages.missing}",
            "root": f"{GUIDE_DIR}/", "search": f"{GUIDE_DIR}/{GUIDE_SEARCH_INDEX}"}


def write_guide_pages(ctx: BuildContext) -> None:
    assert ctx.guide_pages is not None
    data = {
        "format": GUIDE_PAGES_FORMAT,
        "rule_sets": {
            rs: [f"{GUIDE_DIR}/{page}" for page in pages] for rs, pages in ctx.guide_pages.rule_sets.items()
        },
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (ctx.out / GUIDE_PAGES_NAME).write_text(text + "\n", encoding="utf-8")


def write_service_worker(ctx: BuildContext) -> None:
    """Step: ``site/sw.js`` with its file list, guide pages and version -> ``out/sw.js``."""
    paths = precache_list(ctx)
    shell_bytes = sum(on_disk(ctx.out, rel).stat().st_size for rel in guide_shell(ctx))
    if shell_bytes > SHELL_BUDGET_BYTES:  # only a theme or shell change can do this, never a rule set
        raise BuildError("离线缓存超出预算", [
            f"政策指南的公共部分（样式、脚本、首页）共 {shell_bytes / 1e6:.2f} MB，超过预先缓存的预算 "
            f"{SHELL_BUDGET_BYTES / 1e6:.1f} MB（sitebuild/site/offline.py 的 SHELL_BUDGET_BYTES，README“离线使用”）"
        ])
    guide = guide_config(ctx)
    if guide is not None:
        write_guide_pages(ctx)
    digest = hashlib.sha256()
    for rel in paths[1:]:
        digest.update(rel.encode() + b"\0" + on_disk(ctx.out, rel).read_bytes())
    if guide is not None:  # a changed list of kept pages is a new version too
        digest.update((ctx.out / GUIDE_PAGES_NAME).read_bytes())
    template = (ctx.site_dir / SW_NAME).read_text(encoding="utf-8")
    for placeholder in ("__VERSION__", "__PRECACHE__", "__GUIDE__"):
        assert placeholder in template, f"site/sw.js lost its placeholder {placeholder}"
    text = (
        template.replace("__VERSION__", digest.hexdigest()[:12])
        .replace("__PRECACHE__", json.dumps(paths, ensure_ascii=False, indent=0))
        .replace("__GUIDE__", json.dumps(guide, ensure_ascii=False))
    )
    (ctx.out / SW_NAME).write_text(text, encoding="utf-8")
    size = sum(on_disk(ctx.out, rel).stat().st_size for rel in paths[1:])
    kept = len(ctx.guide_pages.rule_sets) if ctx.guide_pages else 0
    ctx.log(f"  预先缓存 {len(paths)} 个文件，{size / 1e6:.1f} MB（其中政策指南公共部分 {shell_bytes / 1e6:.2f} MB）；"
            f"{kept} 个规则集的指南页面按需存入")
