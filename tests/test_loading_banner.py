"""The loading banner tells a first visitor what the engine costs to download: the start-up
files as a compressing server sends them, and as they are (issue #22: it said 24 MB, the
unpacked size of every runtime file, where a first visit transfers about 6 MB)."""

from __future__ import annotations

import json
import re
from pathlib import Path

SIBLINGS = (".br", ".zst", ".gz")
FIGURES = re.compile(r"首次使用需下载约 ([\d.]+) MB 的计算引擎（服务器不压缩时约 ([\d.]+) MB）")


def _banner_figures(page: Path) -> tuple[float, float]:
    note = re.search(r'<span[^>]* id="engine-note">(.*?)</span>', page.read_text(encoding="utf-8"), re.S)
    assert note is not None, f"{page.name}: no #engine-note"
    found = FIGURES.search(note.group(1))
    assert found, note.group(1)
    return float(found.group(1)), float(found.group(2))


def _startup_files(site: Path) -> list[Path]:
    """Every runtime file but the wheels the lock file names for the packages loaded on demand."""
    root = site / "pyodide"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    lock = json.loads((root / "pyodide-lock.json").read_text(encoding="utf-8"))
    later = {lock["packages"][name]["file_name"] for name in manifest["on_demand"]}
    assert later, "the build has packages loaded on demand (openpyxl for the batch page)"
    return [root / f["path"] for f in manifest["files"] if f["path"] not in later]


def _as_sent(path: Path) -> int:
    """The smallest of the file and the compressed siblings the build wrote next to it."""
    sizes = [path.stat().st_size]
    sizes += [p.stat().st_size for p in (path.with_name(path.name + s) for s in SIBLINGS) if p.is_file()]
    return min(sizes)


def _mb(size: int) -> float:
    return round(size / 1e6) if size >= 10e6 else round(size / 1e6, 1)


def test_the_banner_gives_the_first_download_compressed_and_unpacked(built_site: Path) -> None:
    files = _startup_files(built_site)
    download, unpacked = _banner_figures(built_site / "index.html")
    assert download == _mb(sum(_as_sent(p) for p in files))
    assert unpacked == _mb(sum(p.stat().st_size for p in files))
    assert download < unpacked / 2  # the wasm runtime and the archives compress well
    assert _banner_figures(built_site / "batch.html") == (download, unpacked)


def test_the_banner_leaves_out_what_only_the_batch_page_loads_later(built_site: Path) -> None:
    manifest = json.loads((built_site / "pyodide" / "manifest.json").read_text(encoding="utf-8"))
    _, unpacked = _banner_figures(built_site / "index.html")
    everything = sum(f["size"] for f in manifest["files"])
    later = everything - sum(p.stat().st_size for p in _startup_files(built_site))
    assert later > 1e6  # openpyxl and the rest
    assert unpacked == _mb(everything - later) < _mb(everything)
