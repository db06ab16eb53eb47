"""Package the `calculator` engine as a pure-Python wheel for Pyodide.

Written directly with `zipfile` instead of `pip wheel`: no build backend or
network is needed, the same sources always give the same bytes (fixed
timestamps, sorted entries), so the content-hashed URL only changes when the
engine does.

The wheel declares only the dependencies installed in the browser runtime
(the wheels pinned in ``sitebuild/runtime/pins.toml``): Pyodide's lock file (see
`sitebuild.runtime.vendor`) must list every dependency a wheel declares. The others
(PyYAML for rule files, openpyxl for spreadsheets) serve the CPython side
(`loader`, `cli`, batch checking); the page hands the engine JSON. Should the
page ever import one of them, pin its wheel and it is declared again.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
import zipfile
from pathlib import Path

PACKAGE = "calculator"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


class WheelError(RuntimeError):
    """The project metadata or sources cannot be packaged."""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return canonical(re.split(r"[\s\[(<>=!~;]", spec.strip(), maxsplit=1)[0])


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _metadata(project: dict, name: str, version: str, runtime: frozenset[str]) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
    ]
    if project.get("description"):
        lines.append(f"Summary: {project['description']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    for spec in project.get("dependencies", []):
        if _requirement_name(spec) in runtime:
            lines.append(f"Requires-Dist: {spec}")
    return "\n".join(lines) + "\n"


# The command line's own modules and the JSON Schema export (the build writes the schemas
# out as files): the pages never import them, and leaving them out keeps what they import
# (multiprocessing for `batch --jobs`, argparse) out of the browser's pruned standard
# library (`sitebuild.runtime.vendor.stdlib_roots` reads every import).
# tests/test_package_structure.py checks the wheel holds exactly what the pages can reach.
CPYTHON_ONLY = frozenset({"__main__.py", "doors/cli.py", "doors/batch_cli.py", "models/schemas.py",
                          "rulefiles/upgrade.py"})


def _sources(root: Path) -> list[tuple[str, bytes]]:
    package_dir = root / PACKAGE
    if not (package_dir / "__init__.py").is_file():
        raise WheelError(f"找不到 Python 包：{package_dir}/__init__.py")
    files = sorted(
        p for p in package_dir.rglob("*.py")
        if "__pycache__" not in p.parts and p.relative_to(package_dir).as_posix() not in CPYTHON_ONLY
    )
    return [(p.relative_to(root).as_posix(), p.read_bytes()) for p in files]


def left_out(root: Path, runtime: frozenset[str]) -> list[str]:
    """Dependencies of the project that the browser wheel does not declare."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [s for s in project.get("dependencies", []) if _requirement_name(s) not in runtime]


def build_wheel(root: Path, out_dir: Path, runtime: frozenset[str]) -> Path:
    """Write ``<name>-<version>-py3-none-any.whl`` for ``root/calculator`` into ``out_dir``.

    ``runtime``: canonical names of the distributions installed next to it.
    """
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        name, version = project["name"], project["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise WheelError(f"pyproject.toml 中缺少 project.name / project.version：{error}") from None
    dist = re.sub(r"[-_.]+", "_", name)
    info = f"{dist}-{version}.dist-info"
    entries = _sources(root)
    entries.append((f"{info}/METADATA", _metadata(project, name, version, runtime).encode("utf-8")))
    entries.append(
        (
            f"{info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: sitebuild.runtime.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
    )
    entries.append((f"{info}/top_level.txt", f"{PACKAGE}\n".encode()))
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode("utf-8")))

    out_dir.mkdir(parents=True, exist_ok=True)
    return write_zip(out_dir / f"{dist}-{version}-py3-none-any.whl", entries)


def write_zip(target: Path, entries: list[tuple[str, bytes]]) -> Path:
    """The same bytes for the same entries: fixed timestamps and modes, entries in the given order."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries:
            item = zipfile.ZipInfo(path, date_time=_EPOCH)
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(item, data)
    return target
