"""Fetch, verify and install the self-hosted Pyodide runtime.

Every third-party byte the site ships is pinned in ``sitebuild/runtime/pins.toml``:
the npm package ``pyodide`` (checked against its npm sha512 integrity) and
the wheels (checked against sha256). Downloads land in a cache outside the
output folder (``$XUESHI_CACHE`` or ``~/.cache/xueshi``), so a rebuild with a
warm cache touches no network and only copies files.

Public API::

    fetch_all(cache_dir=None) -> VendorAssets
    install_runtime(out_dir, extra_wheels, cache_dir=None, *, precompile="sourceless")
        -> RuntimeManifest

CLI: ``python -m sitebuild.runtime.vendor [--cache DIR] [--out SITE_DIR WHEEL... [--precompile MODE]]``
(without --out it only fills the cache, e.g. to warm it before going offline).
"""

from __future__ import annotations

import argparse
import ast
import base64
import codecs
import encodings
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from dataclasses import asdict, dataclass
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath
from typing import Any, Literal

PINS_FILE = Path(__file__).with_name("pins.toml")
# The modules the pages import (stdlib, pinned wheels, the engine): these get
# bytecode, the rest keep their source; with the engine's own imports they are also
# the roots of the pruned standard library (`stdlib_roots`). Regenerate with
# `python -m bench.hot_modules`.
HOT_MODULES = Path(__file__).with_name("hot_modules.txt")

# The files loadPyodide() fetches from indexURL in a browser (checked against
# Chromium's network log). Source maps, .d.ts, pyodide.js (UMD build) and the
# consoles are never requested, so they are not shipped.
CORE_FILES: tuple[str, ...] = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
LOCK_NAME = "pyodide-lock.json"
# A package pinned with `load = "on-demand"` carries this in its lock entry's "tool"
# table; static/worker.js leaves it out at start-up and loads it only when a page asks
# (the batch page, for openpyxl). Its dependencies must be on-demand or start-up pins.
ON_DEMAND_TOOL = {"xueshi": {"load": "on-demand"}}
MANIFEST_NAME = "manifest.json"
RUNTIME_SUBDIR = "pyodide"

# Marker environment of Pyodide's CPython, to evaluate `Requires-Dist` markers.
_EMSCRIPTEN_MARKERS: dict[str, str] = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}

_CANON_RE = re.compile(r"[-_.]+")

# See install_runtime(precompile=...).
Precompile = Literal["none", "with-source", "sourceless"]


class VendorError(RuntimeError):
    """A pinned file could not be fetched, or its hash does not match the pin."""


@dataclass(frozen=True)
class WheelPin:
    name: str
    version: str
    file: str
    sha256: str
    load: str = "startup"  # "startup" | "on-demand" (see ON_DEMAND_TOOL)
    drop: tuple[str, ...] = ()  # members left out of the shipped wheel (fnmatch patterns)

    @property
    def on_demand(self) -> bool:
        return self.load == "on-demand"


@dataclass(frozen=True)
class Pins:
    pyodide_version: str
    pyodide_integrity: str  # npm SRI string, "sha512-<base64>"
    platform: str
    python_version: str
    implementation: str
    wheels: tuple[WheelPin, ...]


@dataclass(frozen=True)
class VendorAssets:
    """Verified files in the cache."""

    pins: Pins
    pyodide_dir: Path  # extracted npm package (the tarball's ``package/``)
    wheels: tuple[Path, ...]  # pinned wheels, in pins.toml order


@dataclass(frozen=True)
class RuntimeFile:
    path: str  # POSIX path relative to ``out_dir/pyodide/``
    size: int
    sha256: str


@dataclass(frozen=True)
class RuntimeManifest:
    """What ``install_runtime`` wrote; also saved as ``pyodide/manifest.json``."""

    pyodide_version: str
    python: str
    packages: tuple[str, ...]  # canonical names, the ``packages`` of loadPyodide
    files: tuple[RuntimeFile, ...]
    on_demand: tuple[str, ...] = ()  # canonical names loaded only when a page asks

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def startup_files(self) -> tuple[RuntimeFile, ...]:
        """The files every page's engine loads when it starts: all but the wheels of the
        packages loaded on demand (a wheel's file name begins with its distribution name)."""
        later = set(self.on_demand)
        return tuple(
            f for f in self.files
            if not (f.path.endswith(".whl") and canonicalize(PurePosixPath(f.path).name.split("-")[0]) in later)
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            "pyodide_version": self.pyodide_version,
            "python": self.python,
            "packages": list(self.packages),
            "on_demand": list(self.on_demand),
            "files": [asdict(f) for f in self.files],
            "total_bytes": self.total_bytes,
        }


# --------------------------------------------------------------------- pins


def load_pins(path: Path | None = None) -> Pins:
    """Parse ``pins.toml`` (default: ``PINS_FILE``, looked up at call time for tests)."""
    data = tomllib.loads((path or PINS_FILE).read_text(encoding="utf-8"))
    pyo, target = data["pyodide"], data["target"]
    wheels = tuple(
        WheelPin(
            w["name"], w["version"], w["file"], w.get("sha256", "").lower(), w.get("load", "startup"),
            tuple(w.get("drop", ())),
        )
        for w in data.get("wheel", [])
    )
    for w in wheels:
        if w.load not in ("startup", "on-demand"):
            raise VendorError(f"{w.file}: load = {w.load!r}; expected \"startup\" or \"on-demand\"")
    return Pins(
        pyodide_version=pyo["version"],
        pyodide_integrity=pyo.get("integrity", ""),
        platform=target["platform"],
        python_version=target["python_version"],
        implementation=target["implementation"],
        wheels=wheels,
    )


def default_cache_dir() -> Path:
    """``$XUESHI_CACHE`` if set, else ``~/.cache/xueshi``."""
    env = os.environ.get("XUESHI_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "xueshi"


def canonicalize(name: str) -> str:
    """PEP 503 name, the key Pyodide uses in its lock file."""
    return _CANON_RE.sub("-", name).lower()


# ------------------------------------------------------------------ hashing


def _digest(path: Path, algo: str) -> bytes:
    h = hashlib.new(algo)
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.digest()


def sha256_hex(path: Path) -> str:
    return _digest(path, "sha256").hex()


def npm_integrity(path: Path) -> str:
    """Subresource-integrity string as npm records it in ``dist.integrity``."""
    return "sha512-" + base64.b64encode(_digest(path, "sha512")).decode("ascii")


# ------------------------------------------------------------------ fetching


def fetch_all(cache_dir: Path | None = None) -> VendorAssets:
    """Make sure every pinned file is in the cache and verified; return paths.

    Only files missing from the cache (or failing their hash) are downloaded,
    with ``npm pack`` and ``pip download``; a warm cache needs no network.
    """
    pins = load_pins()
    cache = (cache_dir or default_cache_dir()).expanduser().resolve()
    cache.mkdir(parents=True, exist_ok=True)
    pyodide_dir = _ensure_pyodide(cache, pins)
    wheels = _ensure_wheels(cache, pins)
    return VendorAssets(pins=pins, pyodide_dir=pyodide_dir, wheels=wheels)


def _ensure_pyodide(cache: Path, pins: Pins) -> Path:
    version = pins.pyodide_version
    dest = cache / f"pyodide-{version}"
    marker = dest / ".integrity"
    # Why a marker: re-hashing the 6 MB tarball is cheap, but the extracted
    # tree is what we copy from, so we trust it only if it came from a
    # tarball that matched the pin.
    if marker.is_file() and marker.read_text().strip() == pins.pyodide_integrity:
        return dest

    tgz = cache / "npm" / f"pyodide-{version}.tgz"
    if not (tgz.is_file() and npm_integrity(tgz) == pins.pyodide_integrity):
        _npm_pack(f"pyodide@{version}", tgz)
    actual = npm_integrity(tgz)
    if actual != pins.pyodide_integrity:
        tgz.unlink()
        raise VendorError(
            f"pyodide@{version}: integrity mismatch\n"
            f"  pinned: {pins.pyodide_integrity or '(none)'}\n  actual: {actual}"
        )

    tmp = Path(tempfile.mkdtemp(prefix=".extract-", dir=cache))
    try:
        _extract_npm_package(tgz, tmp)
        (tmp / ".integrity").write_text(pins.pyodide_integrity + "\n")
        replace_dir(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def replace_dir(complete: Path, dest: Path) -> None:
    """Put a fully written cache folder in place: a reader never sees a half-written one."""
    if dest.exists():
        shutil.rmtree(dest)
    complete.rename(dest)


def _npm_pack(spec: str, target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError(f"npm is needed to fetch {spec} into the cache (not found on PATH)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        # `npm pack` writes <name>-<version>.tgz into its working directory.
        proc = subprocess.run(
            [npm, "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise VendorError(f"npm pack {spec} failed:\n{proc.stderr.strip()}")
        produced = list(Path(tmp).glob("*.tgz"))
        if len(produced) != 1:
            raise VendorError(f"npm pack {spec} produced {produced!r}, expected one .tgz")
        os.replace(produced[0], target)


def _extract_npm_package(tgz: Path, dest: Path) -> None:
    """Extract regular files under ``package/`` (no links, no path escapes)."""
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar.getmembers():
            rel = PurePosixPath(member.name)
            if not member.isfile() or rel.parts[:1] != ("package",) or ".." in rel.parts:
                continue
            out = dest.joinpath(*rel.parts[1:])
            out.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            assert src is not None
            with src, out.open("wb") as f:
                shutil.copyfileobj(src, f)


def _ensure_wheels(cache: Path, pins: Pins) -> tuple[Path, ...]:
    wheel_dir = cache / "wheels"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    missing: list[WheelPin] = []
    for pin in pins.wheels:
        path = wheel_dir / pin.file
        if path.is_file() and sha256_hex(path) != pin.sha256:
            path.unlink()  # corrupt or stale cache entry: fetch again, then verify
        if not path.is_file():
            missing.append(pin)
    if missing:
        _pip_download(pins, missing, wheel_dir)
    return tuple(wheel_dir / pin.file for pin in pins.wheels)


def _pip_download(pins: Pins, wanted: list[WheelPin], wheel_dir: Path) -> None:
    with tempfile.TemporaryDirectory(dir=wheel_dir) as tmp:
        # The emscripten target flags also accept pure py3-none-any wheels,
        # so one pip call fetches them all; --no-deps because pins are complete.
        cmd = [
            sys.executable, "-m", "pip", "download", "--quiet",
            "--disable-pip-version-check", "--no-input", "--no-deps",
            "--only-binary=:all:",
            "--platform", pins.platform,
            "--python-version", pins.python_version,
            "--implementation", pins.implementation,
            "--dest", tmp,
            *(f"{pin.name}=={pin.version}" for pin in wanted),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise VendorError(f"pip download failed:\n{proc.stderr.strip()}")
        problems: list[str] = []
        for pin in wanted:
            got = Path(tmp) / pin.file
            if not got.is_file():
                found = sorted(p.name for p in Path(tmp).iterdir())
                problems.append(f"{pin.file}: not produced by pip (got {found})")
                continue
            actual = sha256_hex(got)
            if actual != pin.sha256:
                problems.append(
                    f"{pin.file}: sha256 mismatch\n"
                    f"  pinned: {pin.sha256 or '(none)'}\n  actual: {actual}"
                )
                continue
            os.replace(got, wheel_dir / pin.file)
        if problems:
            raise VendorError("refusing unverified wheels:\n" + "\n".join(problems))


# --------------------------------------------------------------- installing


def install_runtime(
    out_dir: Path,
    extra_wheels: list[Path],
    cache_dir: Path | None = None,
    *,
    precompile: Precompile = "sourceless",
    on_demand_extra: tuple[str, ...] = (),
) -> RuntimeManifest:
    """Write the runtime into ``out_dir/pyodide/`` and return its manifest.

    ``out_dir/pyodide/`` is recreated from scratch and receives: the Pyodide
    core files (``CORE_FILES``), every wheel (pinned + ``extra_wheels``, each
    in a folder named after the first 16 hex digits of its sha256), a
    minimal ``pyodide-lock.json`` listing only these packages (loaded at
    start-up, except pins with ``load = "on-demand"``, marked with
    ``ON_DEMAND_TOOL``) and ``manifest.json`` (the returned manifest). All paths
    inside are relative, so the site works under any sub-path.

    ``precompile`` ships CPython 3.14 bytecode in ``python_stdlib.zip`` and
    all wheels, compiled by Pyodide's own Python under Node (needs ``node``;
    results are cached). "sourceless" (default) replaces sources by pycs:
    start-up about twice as fast; tracebacks (console only) lose source
    lines. Only the modules listed in ``hot_modules.txt`` (what the pages
    import, see `HOT_MODULES`) get a pyc; the rest keep their source, so
    this adds about 1 MB to the download instead of 2.4 MB. "with-source"
    keeps both (no faster); "none" ships the sources as published.
    ``on_demand_extra``: canonical names of ``extra_wheels`` to mark on-demand too
    (PyYAML for the studio page, see `sitebuild.runtime.purewheel`).

    With precompile, the standard library is also pruned to the modules the
    pages can import (`stdlib_roots` and what those import, see
    `_pyc_in_pyodide.import_closure`), each pin's ``drop`` patterns are left out of
    its wheel, and the archives are written uncompressed: the build's brotli,
    zstd and gzip siblings (`sitebuild.site.precompress`) compress them far better
    than zip's per-member deflate.
    """
    assets = fetch_all(cache_dir)
    cache = (cache_dir or default_cache_dir()).expanduser().resolve()
    dest = Path(out_dir) / RUNTIME_SUBDIR
    if dest.exists():
        shutil.rmtree(dest)  # stale wheels of older builds must not linger
    dest.mkdir(parents=True)

    stdlib = assets.pyodide_dir / "python_stdlib.zip"
    wheels = [*assets.wheels, *(Path(w) for w in extra_wheels)]
    if precompile != "none":
        drops = {pin.file: list(pin.drop) for pin in assets.pins.wheels}
        # Without a recording (hot_modules.txt missing) the whole stdlib ships.
        roots = None if hot_modules() is None else stdlib_roots(
            [*(Path(w) for w in extra_wheels),
             *(w for pin, w in zip(assets.pins.wheels, assets.wheels) if pin.on_demand)]
        )  # fmt: skip
        jobs: list[Job] = [Job("stdlib", stdlib, [], roots)]
        jobs += [Job("wheel", w, drops.get(w.name, []), None) for w in wheels]
        compiled = _precompile(assets, jobs, cache, precompile)
        stdlib, wheels = compiled[0], compiled[1:]

    for name in CORE_FILES:
        src = stdlib if name == stdlib.name else assets.pyodide_dir / name
        shutil.copyfile(src, dest / name)

    placed: list[tuple[str, str]] = []  # (rel file_name, sha256)
    for src in wheels:
        digest = sha256_hex(src)
        # A wheel's bytes can change under the same name (our own wheel on
        # every build; pinned ones with the precompile mode), and the lock
        # pins its sha256: a content-hash folder gives each version its own
        # URL, so pyodide/ can be cached as immutable.
        rel = f"{digest[:16]}/{src.name}"
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        placed.append((rel, digest))

    upstream = json.loads((assets.pyodide_dir / LOCK_NAME).read_text(encoding="utf-8"))
    info: dict[str, Any] = upstream["info"]
    lock = _build_lock(info, [(dest / rel, rel, sha) for rel, sha in placed])
    on_demand = sorted({canonicalize(pin.name) for pin in assets.pins.wheels if pin.on_demand}
                       | set(on_demand_extra))
    for name in on_demand:
        lock["packages"][name]["tool"] = json.loads(json.dumps(ON_DEMAND_TOOL))
    for name, entry in lock["packages"].items():
        if name not in on_demand and set(entry["depends"]) & set(on_demand):
            raise VendorError(f"{name} is loaded at start-up but depends on on-demand {entry['depends']}")
    (dest / LOCK_NAME).write_text(
        json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )

    files = tuple(
        RuntimeFile(p.relative_to(dest).as_posix(), p.stat().st_size, sha256_hex(p))
        for p in sorted(dest.rglob("*"))
        if p.is_file()
    )
    manifest = RuntimeManifest(
        pyodide_version=assets.pins.pyodide_version,
        python=str(info.get("python", "")),
        packages=tuple(sorted(lock["packages"])),
        files=files,
        on_demand=tuple(on_demand),
    )
    (dest / MANIFEST_NAME).write_text(
        json.dumps(manifest.to_json(), indent=1) + "\n", encoding="utf-8"
    )
    return manifest


@dataclass(frozen=True)
class Job:
    """One archive for `_precompile` (see `_pyc_in_pyodide.py`)."""

    kind: Literal["stdlib", "wheel"]
    src: Path
    drop: list[str]  # fnmatch patterns of members to leave out
    roots: list[str] | None  # stdlib: ship only these modules and their imports


def stdlib_roots(code: list[Path], hot: list[str] | None = None) -> list[str]:
    """The modules the pruned standard library is built from.

    The recorded ``hot_modules.txt`` (every module the pages imported when every engine
    function ran: Pyodide's own start-up, pydantic, openpyxl, the codecs of the files
    read), plus every module named in an import statement anywhere in ``code`` (the
    engine's wheel and the on-demand wheels: paths the recording may not have taken, and
    imports added since it was made), plus the codecs named by string literals there
    (``data.decode("gb18030")`` imports ``encodings.gb18030`` at run time). Names that
    are not in the standard library are ignored by the pruning."""
    names = set(hot if hot is not None else hot_modules() or [])
    for wheel in code:
        with zipfile.ZipFile(wheel) as zf:
            for member in zf.namelist():
                if member.endswith(".py") and ".dist-info/" not in member:
                    names |= _named_imports(zf.read(member))
    return sorted(names)


def _named_imports(source: bytes) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # newer syntax than the build's Python: the recording covers it
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) < 20:
            codec = _codec_module(node.value)
            if codec:
                names.add(codec)
    return names


def _codec_module(text: str) -> str | None:
    """ "gb18030" -> "encodings.gb18030", "utf-8-sig" -> "encodings.utf_8_sig"; None if no codec."""
    try:
        codecs.lookup(text)
    except (LookupError, ValueError):
        return None
    norm = encodings.normalize_encoding(text).lower()
    return "encodings." + encodings.aliases.aliases.get(norm, norm)


def _precompile(assets: VendorAssets, jobs: list[Job], cache: Path, mode: Precompile) -> list[Path]:
    """Compiled (and pruned) copies of the ``jobs``' archives, from the cache when possible."""
    node = shutil.which("node")
    script = Path(__file__).with_name("precompile.mjs")
    inner = Path(__file__).with_name("_pyc_in_pyodide.py")
    hot = hot_modules()
    # The key covers everything the output depends on, so stale pycs are
    # impossible: input bytes, interpreter, mode, the compiler scripts and
    # the list of modules to compile.
    salt = hashlib.sha256(
        f"{assets.pins.pyodide_version}|{mode}|".encode() + script.read_bytes() + inner.read_bytes()
        + "\n".join(hot or ["*"]).encode()
    ).hexdigest()
    results: list[Path] = []
    todo: list[tuple[Job, Path]] = []
    for job in jobs:
        pruning = json.dumps([job.drop, job.roots])
        key = hashlib.sha256(f"{salt}|{job.kind}|{sha256_hex(job.src)}|{pruning}".encode()).hexdigest()[:32]
        out = cache / "pyc" / key / job.src.name
        results.append(out)
        if not out.is_file():
            todo.append((job, out))
    if not todo:
        return results
    if node is None:
        raise VendorError("precompile needs Node.js (`node` on PATH) to run Pyodide's Python")

    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        spec = []
        for i, (job, _) in enumerate(todo):
            name = job.src.name
            shutil.copyfile(job.src, work / "in" / f"{i}-{name}")
            spec.append(
                {
                    "kind": job.kind,
                    "src": f"/work/in/{i}-{name}",
                    "dst": f"/work/out/{i}-{name}",
                    "drop": job.drop,
                    "roots": job.roots,
                }
            )
        (work / "jobs.json").write_text(
            json.dumps({"jobs": spec, "keep_source": mode == "with-source", "hot": hot}), encoding="utf-8"
        )
        proc = subprocess.run(
            [node, str(script), str(assets.pyodide_dir), str(work), str(work / "jobs.json")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise VendorError(f"precompile failed:\n{proc.stdout}{proc.stderr}".strip())
        for i, (job, out) in enumerate(todo):
            out.parent.mkdir(parents=True, exist_ok=True)
            os.replace(work / "out" / f"{i}-{job.src.name}", out)
    return results


def hot_modules(path: Path | None = None) -> list[str] | None:
    """Modules to precompile: ``HOT_MODULES`` (one dotted name a line, ``#`` comments);
    None (compile everything) if the file is missing."""
    file = path or HOT_MODULES
    if not file.is_file():
        return None
    names = (line.split("#", 1)[0].strip() for line in file.read_text(encoding="utf-8").splitlines())
    return sorted({n for n in names if n})


def _build_lock(info: dict[str, Any], wheels: list[tuple[Path, str, str]]) -> dict[str, Any]:
    """A pyodide-lock.json with the same shape as the npm package's own."""
    metas = {rel: _wheel_metadata(path) for path, rel, _ in wheels}
    keys = {rel: canonicalize(m["Name"]) for rel, m in metas.items()}
    if len(set(keys.values())) != len(keys):
        raise VendorError(f"two wheels for the same package: {sorted(keys.values())}")
    known = set(keys.values())
    python = str(info.get("python", "3"))

    packages: dict[str, Any] = {}
    for path, rel, sha in wheels:
        meta = metas[rel]
        packages[keys[rel]] = {
            "name": meta["Name"],
            "version": meta["Version"],
            "file_name": rel,
            "install_dir": "site",
            "sha256": sha,
            "package_type": "package",
            "imports": _wheel_imports(path),
            "depends": _wheel_depends(meta, known, python, keys[rel]),
            "unvendored_tests": False,
            "tool": {},
        }
    return {"info": dict(info), "packages": packages, "tool": {}}


def _wheel_metadata(path: Path) -> Any:
    with zipfile.ZipFile(path) as zf:
        names = [
            n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
        ]
        if len(names) != 1:
            raise VendorError(f"{path.name}: expected one .dist-info/METADATA, found {names}")
        text = zf.read(names[0]).decode("utf-8")
    return HeaderParser().parsestr(text)


def _wheel_imports(path: Path) -> list[str]:
    """Top-level importable names (packages, modules, extension modules)."""
    found: set[str] = set()
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            top, sep, _ = name.partition("/")
            if top.endswith((".dist-info", ".data")) or top == "__pycache__":
                continue
            if sep:  # a directory: a package (or a namespace package)
                found.add(top)
            elif top.endswith((".py", ".pyc")):  # .pyc: a precompiled sourceless module
                found.add(top.rsplit(".", 1)[0])
            elif top.endswith(".so"):
                found.add(top.split(".", 1)[0])
    return sorted(n for n in found if n.isidentifier())


def _wheel_depends(meta: Any, known: set[str], python: str, own: str) -> list[str]:
    """Canonical names of required dists; unknown unconditional ones are an error."""
    env = dict(_EMSCRIPTEN_MARKERS)
    env["python_full_version"] = python
    env["python_version"] = ".".join(python.split(".")[:2])
    deps: set[str] = set()
    for req in meta.get_all("Requires-Dist") or []:
        spec, _, marker = req.partition(";")
        name = canonicalize(re.split(r"[\s\[(<>=!~;]", spec.strip(), maxsplit=1)[0])
        if marker.strip() and not _marker_applies(marker, env):
            continue
        if name not in known:
            raise VendorError(
                f"{own} requires {req.strip()!r} but no wheel for it is installed; "
                "add it to sitebuild/runtime/pins.toml or pass it in extra_wheels"
            )
        deps.add(name)
    return sorted(deps)


def _marker_applies(marker: str, env: dict[str, str]) -> bool:
    try:
        from packaging.markers import Marker  # pytest depends on packaging
    except ImportError:  # pragma: no cover - fallback without packaging
        return "extra" not in marker
    return Marker(marker.strip()).evaluate(env)


# ----------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitebuild.runtime.vendor", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--cache", type=Path, help="cache dir (default: $XUESHI_CACHE or ~/.cache/xueshi)"
    )
    parser.add_argument("--out", type=Path, help="site dir: install the runtime into OUT/pyodide/")
    parser.add_argument("wheels", nargs="*", type=Path, help="extra wheels to install with --out")
    parser.add_argument(
        "--precompile", choices=["none", "with-source", "sourceless"], default="sourceless",
        help="ship CPython 3.14 bytecode (compiled by Pyodide under Node)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        if args.out is None:
            assets = fetch_all(args.cache)
            print(f"cached and verified: {assets.pyodide_dir}")
            for w in assets.wheels:
                print(f"  {w.name}")
            return 0
        manifest = install_runtime(
            args.out, list(args.wheels), args.cache, precompile=args.precompile
        )
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for f in manifest.files:
        print(f"{f.size:>10}  {f.path}")
    print(f"{manifest.total_bytes:>10}  total; packages: {', '.join(manifest.packages)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
