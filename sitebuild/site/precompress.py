"""Build step: a gzip sibling (``X.gz``) next to every file worth compressing.

A server that has them sends the ready-made ``X.gz`` with ``Content-Encoding: gzip``
to browsers that accept gzip (nginx ``gzip_static on``, Apache ``mod_rewrite`` rules,
`sitebuild.site.serve`), instead of compressing the 9.6 MB WebAssembly runtime again for
every visitor; at level 9, which a server would not spend on every request. Servers
that ignore them still serve the plain files; the pages never request ``.gz`` URLs
and the service worker does not list them (`sitebuild.site.offline.SKIPPED_SUFFIXES`).

Zip archives (``python_stdlib.zip``, wheels) and images are already compressed and
get no sibling; nor does a file that gzip would not shrink by a tenth.
"""

from __future__ import annotations

import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import BuildContext

SUFFIXES = frozenset({".wasm", ".mjs", ".js", ".json", ".css", ".html", ".svg", ".txt", ".xml", ".map"})
MIN_BYTES = 1024  # below this the headers weigh more than the saving
MAX_RATIO = 0.9  # keep a sibling only if it is at most 90 % of the original


def candidates(out: Path) -> list[Path]:
    return sorted(
        p for p in out.rglob("*")
        if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith(".") and p.stat().st_size >= MIN_BYTES
    )  # fmt: skip


def _compress(path: Path) -> int:
    """Write ``path.gz`` if it is worth it; return the bytes saved (0 if none written)."""
    data = path.read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0)  # mtime=0: the same bytes on every build
    if len(packed) > len(data) * MAX_RATIO:
        return 0
    path.with_name(path.name + ".gz").write_bytes(packed)
    return len(data) - len(packed)


def precompress(ctx: BuildContext) -> None:
    """Step: gzip siblings for the whole site (run after every file is in place)."""
    files = candidates(ctx.out)
    with ThreadPoolExecutor() as pool:  # zlib releases the GIL
        saved = list(pool.map(_compress, files))
    written = sum(1 for s in saved if s)
    ctx.log(f"  {written} 个文件，压缩后共少 {sum(saved) / 1e6:.1f} MB")
