"""Build step: brotli, zstd and gzip siblings (``X.br``, ``X.zst``, ``X.gz``) next to
every file worth compressing.

A server that has them sends the ready-made sibling with the matching
``Content-Encoding`` to browsers that accept it (nginx ``brotli_static``/``gzip_static``,
Apache rewrite rules, `sitebuild.site.serve`), instead of compressing the 9.6 MB WebAssembly
runtime again for every visitor, and at the highest levels, which a server would not
spend on every request: brotli 11, zstd 19, gzip 9. Chromium sends
``Accept-Encoding: gzip, deflate, br, zstd``; brotli is the smallest (the wasm runtime:
2.7 MB against 3.5 MB gzip), zstd a little larger but quicker to decode, gzip what
every server and browser knows. Servers that ignore the siblings still serve the
plain files; the pages never request these URLs and the service worker does not
list them (`sitebuild.site.offline.SKIPPED_SUFFIXES`).

The runtime's archives (``python_stdlib.zip``, wheels) are stored uncompressed by the
build (`sitebuild.runtime.vendor`), so they get siblings too; an archive or image that is
already compressed gets none: a sibling is kept only if it is at most 90 % of the
original. Brotli 11 takes over a minute for the wasm runtime, so the siblings of
large files are cached by content hash next to the download cache.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import brotli
import zstandard

from ..runtime.vendor import default_cache_dir

if TYPE_CHECKING:
    from ..context import BuildContext

SUFFIXES = frozenset(
    {".wasm", ".mjs", ".js", ".json", ".css", ".html", ".svg", ".txt", ".xml", ".map", ".zip", ".whl"}
)
MIN_BYTES = 1024  # below this the headers weigh more than the saving
MAX_RATIO = 0.9  # keep a sibling only if it is at most 90 % of the original
CACHED_FROM = 256 * 1024  # siblings of files this large are kept in the cache


def _brotli(data: bytes) -> bytes:
    # lgwin 24: a 16 MB window, so the whole wasm runtime can refer back to itself.
    return brotli.compress(data, quality=11, lgwin=24)


def _zstd(data: bytes) -> bytes:
    # Level 19 uses at most an 8 MB window, the most browsers accept (RFC 8878 section 3.1.1.1.2).
    return zstandard.ZstdCompressor(level=19).compress(data)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)  # mtime=0: the same bytes on every build


# Suffix of the sibling -> compressor; also the order a server should prefer them in.
ENCODERS: dict[str, Callable[[bytes], bytes]] = {".br": _brotli, ".zst": _zstd, ".gz": _gzip}
# The Content-Encoding token of each sibling.
ENCODINGS: dict[str, str] = {".br": "br", ".zst": "zstd", ".gz": "gzip"}


def candidates(out: Path) -> list[Path]:
    return sorted(
        p for p in out.rglob("*")
        if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith(".") and p.stat().st_size >= MIN_BYTES
    )  # fmt: skip


def _packed(data: bytes, suffix: str, cache: Path | None) -> bytes:
    if cache is None or len(data) < CACHED_FROM:
        return ENCODERS[suffix](data)
    stored = cache / f"{hashlib.sha256(data).hexdigest()}{suffix}"
    if stored.is_file():
        return stored.read_bytes()
    packed = ENCODERS[suffix](data)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = stored.with_name(stored.name + ".tmp")
    tmp.write_bytes(packed)
    tmp.replace(stored)  # atomic: a concurrent build never reads half a file
    return packed


def compress_file(path: Path, cache: Path | None = None) -> int:
    """Write the siblings of ``path`` that are worth it; return the bytes the smallest saves."""
    data = path.read_bytes()
    best = 0
    for suffix in ENCODERS:
        packed = _packed(data, suffix, cache)
        if len(packed) > len(data) * MAX_RATIO:
            continue
        path.with_name(path.name + suffix).write_bytes(packed)
        best = max(best, len(data) - len(packed))
    return best


def smallest_size(path: Path, cache: Path | None = None) -> int:
    """The bytes a browser receives for ``path`` from a server that sends the smallest sibling
    worth keeping (the sibling is cached as `compress_file` would make it, so it is made once)."""
    data = path.read_bytes()
    if path.suffix not in SUFFIXES or len(data) < MIN_BYTES:
        return len(data)
    sizes = [len(_packed(data, suffix, cache)) for suffix in ENCODERS]
    return min([len(data), *(n for n in sizes if n <= len(data) * MAX_RATIO)])


def siblings_cache(ctx: BuildContext) -> Path:
    return (ctx.cache_dir or default_cache_dir()) / "precompressed"


def precompress(ctx: BuildContext) -> None:
    """Step: compressed siblings for the whole site (run after every file is in place)."""
    files = candidates(ctx.out)
    cache = siblings_cache(ctx)
    with ThreadPoolExecutor() as pool:  # zlib, brotli and zstd release the GIL
        saved = list(pool.map(lambda p: compress_file(p, cache), files))
    written = sum(1 for s in saved if s)
    ctx.log(f"  {written} 个文件，压缩后共少 {sum(saved) / 1e6:.1f} MB（.br/.zst/.gz）")
