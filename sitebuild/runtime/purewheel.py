"""Pure-Python wheels repacked from a pinned platform wheel (``[[repack]]`` in pins.toml).

PyYAML publishes no wheel Pyodide can install, but its ``yaml/`` package is pure
Python with an optional libyaml extension. The studio page needs the very loader
`python -m calculator validate` uses, so the build takes the pure modules from a
pinned (sha256-checked) wheel and writes them, byte for byte, into a
``<name>-<version>-py3-none-any.whl`` with fixed timestamps: the same pin always
gives the same bytes, so the runtime's content-hashed URL changes only with the pin.

    repack_all(cache_dir=None) -> list[RepackedWheel]
"""

from __future__ import annotations

import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .vendor import PINS_FILE, VendorError, canonicalize, default_cache_dir, sha256_hex
from .wheel import _record_hash, write_zip


@dataclass(frozen=True)
class RepackPin:
    name: str
    version: str
    file: str  # the platform wheel the modules come from
    sha256: str
    platform: str
    keep: str  # folder prefix of the pure-Python package inside the wheel
    drop: tuple[str, ...] = ()  # modules left out (they only import the extension)


@dataclass(frozen=True)
class RepackedWheel:
    name: str  # canonical name, as in the lock file
    path: Path


def load_repack_pins(path: Path | None = None) -> list[RepackPin]:
    data = tomllib.loads((path or PINS_FILE).read_text(encoding="utf-8"))
    return [
        RepackPin(r["name"], r["version"], r["file"], r["sha256"].lower(), r["platform"], r["keep"],
                  tuple(r.get("drop", [])))
        for r in data.get("repack", [])
    ]


def _ensure_source(pin: RepackPin, cache: Path) -> Path:
    import subprocess
    import sys
    import tempfile

    wheel_dir = cache / "wheels"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    path = wheel_dir / pin.file
    if path.is_file() and sha256_hex(path) == pin.sha256:
        return path
    with tempfile.TemporaryDirectory(dir=wheel_dir) as tmp:
        cmd = [
            sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-input", "--no-deps", "--only-binary=:all:", "--platform", pin.platform,
            "--python-version", "3.14", "--implementation", "cp", "--dest", tmp,
            f"{pin.name}=={pin.version}",
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        got = Path(tmp) / pin.file
        if proc.returncode != 0 or not got.is_file():
            raise VendorError(f"pip download {pin.name}=={pin.version} failed:\n{proc.stderr.strip()}")
        actual = sha256_hex(got)
        if actual != pin.sha256:
            raise VendorError(f"{pin.file}: sha256 mismatch\n  pinned: {pin.sha256}\n  actual: {actual}")
        got.replace(path)
    return path


def repack(pin: RepackPin, source: Path, out_dir: Path) -> Path:
    """Write the pure-Python wheel for ``pin`` from ``source`` into ``out_dir``."""
    dist = f"{pin.name.replace('-', '_')}-{pin.version}"
    info = f"{dist}.dist-info"
    entries: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(source) as zf:
        for name in sorted(zf.namelist()):
            if name.startswith(pin.keep) and name.endswith(".py") and name not in pin.drop:
                entries.append((name, zf.read(name)))
            elif name.endswith(".dist-info/METADATA") or name.endswith("/licenses/LICENSE"):
                entries.append((f"{info}/{name.rsplit('/', 1)[-1]}", zf.read(name)))
    if not any(n.startswith(pin.keep) for n, _ in entries):
        raise VendorError(f"{pin.file}: nothing under {pin.keep}")
    return _write_wheel(dist, entries, out_dir)


def _write_wheel(dist: str, entries: list[tuple[str, bytes]], out_dir: Path) -> Path:
    """``<dist>-py3-none-any.whl`` from ``entries`` plus WHEEL and RECORD, fixed timestamps."""
    info = f"{dist}.dist-info"
    entries = [*entries, (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: sitebuild.runtime.purewheel\n"
                          b"Root-Is-Purelib: true\nTag: py3-none-any\n")]
    record = "".join(f"{p},{_record_hash(d)},{len(d)}\n" for p, d in entries) + f"{info}/RECORD,,\n"
    entries.append((f"{info}/RECORD", record.encode("utf-8")))
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_zip(out_dir / f"{dist}-py3-none-any.whl", entries)


def repack_all(cache_dir: Path | None = None) -> list[RepackedWheel]:
    cache = (cache_dir or default_cache_dir()).expanduser().resolve()
    out = []
    for pin in load_repack_pins():
        target = repack(pin, _ensure_source(pin, cache), cache / "repacked" / pin.sha256[:16])
        out.append(RepackedWheel(canonicalize(pin.name), target))
    return out


# The guide page generator (pure Python, stdlib and calculator only), for the studio's
# preview of the guide page a draft will produce; loaded on demand by the studio only.
GUIDE_PREVIEW_NAME = "xueshi-guide-preview"
GUIDE_PREVIEW_FILES = ("__init__.py", "guides/__init__.py", "guides/compare.py", "guides/examples.py",
                       "guides/markdown.py", "guides/rules.py", "guides/context.py")


def guide_preview_wheel(root: Path, version: str, out_dir: Path) -> RepackedWheel:
    dist = f"{GUIDE_PREVIEW_NAME.replace('-', '_')}-{version}"
    meta = f"Metadata-Version: 2.1\nName: {GUIDE_PREVIEW_NAME}\nVersion: {version}\n".encode()
    entries = [(f"sitebuild/{name}", (root / "sitebuild" / name).read_bytes()) for name in GUIDE_PREVIEW_FILES]
    entries.append((f"{dist}.dist-info/METADATA", meta))
    return RepackedWheel(GUIDE_PREVIEW_NAME, _write_wheel(dist, entries, out_dir))
