"""The runtime the build ships: a standard library pruned to what the pages can import,
wheels without their unused parts, archives stored for the build's brotli/zstd/gzip.

That the pruned runtime still runs every rule set's worked examples and the batch page
(CSV and XLSX) is checked in the browser: tests/browser/test_calculator.py and
tests/browser/test_batch.py run against the same build.
"""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest

from sitebuild.runtime.vendor import canonicalize, fetch_all, hot_modules, install_runtime, load_pins, stdlib_roots
from sitebuild.runtime.wheel import build_wheel

ROOT = Path(__file__).resolve().parent.parent


def _modules(archive: Path) -> set[str]:
    """Dotted names of the modules in a zip (from .py and .pyc members)."""
    names = set()
    for member in zipfile.ZipFile(archive).namelist():
        if member.endswith((".py", ".pyc")) and "__pycache__" not in member:
            names.add(member.rsplit(".", 1)[0].replace("/", ".").removesuffix(".__init__"))
    return names


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the installed ``pyodide/`` folder, the engine wheel as built)."""
    out = tmp_path_factory.mktemp("runtime")
    pins = load_pins().wheels
    wheel = build_wheel(ROOT, out / "wheel", frozenset(canonicalize(w.name) for w in pins if not w.on_demand))
    install_runtime(out / "site", [wheel])
    return out / "site" / "pyodide", wheel


def test_the_stdlib_keeps_every_module_the_pages_imported_and_drops_the_rest(runtime: tuple[Path, Path]) -> None:
    folder, _ = runtime
    upstream = _modules(fetch_all().pyodide_dir / "python_stdlib.zip")
    shipped = _modules(folder / "python_stdlib.zip")
    recorded = set(hot_modules() or []) & upstream
    assert recorded, "hot_modules.txt names no stdlib module"
    assert recorded <= shipped, sorted(recorded - shipped)
    # Pyodide's own start-up and the batch page's XLSX reader are in the recording.
    assert {"_pyodide", "pyodide._package_loader", "xml.etree.ElementTree", "zipfile"} <= shipped
    for unused in ("unittest", "pydoc", "doctest", "multiprocessing", "tkinter", "idlelib", "sqlite3"):
        assert unused not in shipped, unused
    assert len(shipped) < len(upstream) / 2


def test_every_import_written_in_the_engine_is_shipped(runtime: tuple[Path, Path]) -> None:
    """Found from the source, not from the recording: an import added to the engine
    after hot_modules.txt was written still ships."""
    folder, wheel = runtime
    upstream = _modules(fetch_all().pyodide_dir / "python_stdlib.zip")
    shipped = _modules(folder / "python_stdlib.zip")
    written: set[str] = set()
    with zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if member.endswith(".py"):
                for node in ast.walk(ast.parse(zf.read(member))):
                    if isinstance(node, ast.Import):
                        written.update(a.name for a in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                        written.add(node.module)
    assert written & upstream <= shipped, sorted((written & upstream) - shipped)
    # Codecs named in the engine's source are imported at run time by name.
    assert {"encodings.gb18030", "encodings.utf_8_sig"} <= shipped


def test_stdlib_roots_adds_the_engines_imports_and_codecs(tmp_path: Path) -> None:
    wheel = tmp_path / "x-1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("x/a.py", "import fractions\nfrom email import utils\ndef f(b):\n    return b.decode('gb2312')\n")
    roots = stdlib_roots([wheel], hot=["json"])
    assert {"json", "fractions", "email", "email.utils", "encodings.gb2312"} <= set(roots)


def test_wheels_leave_out_what_nothing_imports(runtime: tuple[Path, Path]) -> None:
    folder, _ = runtime
    (pydantic,) = folder.glob("*/pydantic-*.whl")
    members = zipfile.ZipFile(pydantic).namelist()
    assert not [m for m in members if m.startswith("pydantic/v1/") or m == "pydantic/mypy.py" or m.endswith(".pyi")]
    assert "pydantic/main.pyc" in members
    for archive in [folder / "python_stdlib.zip", *folder.glob("*/*.whl")]:
        kinds = {info.compress_type for info in zipfile.ZipFile(archive).infolist()}
        assert kinds == {zipfile.ZIP_STORED}, archive.name


def _docstring(source: str) -> str:
    doc = ast.get_docstring(ast.parse(source), clean=False)
    assert doc, "the module has a docstring to look for"
    return doc


def test_the_bytecode_leaves_docstrings_out_but_not_where_a_module_reads_them(runtime: tuple[Path, Path]) -> None:
    """Docstrings are about a megabyte of the pages' bytecode and nothing the pages run reads them
    (sitebuild/runtime/_pyc_in_pyodide.py `without_docstrings`); a module whose code mentions
    ``__doc__`` keeps them."""
    folder, _ = runtime
    (wheel,) = folder.glob("*/xueshi_calculator-*.whl")
    with zipfile.ZipFile(wheel) as z:
        stripped = z.read("calculator/engine/evaluate.pyc")
        kept = z.read("calculator/doors/browser.pyc")
    evaluate = (ROOT / "calculator/engine/evaluate.py").read_text(encoding="utf-8")
    browser = (ROOT / "calculator/doors/browser.py").read_text(encoding="utf-8")
    assert "__doc__" not in evaluate and "__doc__" in browser
    assert _docstring(evaluate).encode()[:60] not in stripped
    assert _docstring(browser).encode()[:60] in kept
    # the standard library too: json's docstrings are gone, its names are there
    with zipfile.ZipFile(folder / "python_stdlib.zip") as z:
        json_init = z.read("json/__init__.pyc")
    assert b"JSONDecodeError" in json_init and b"Serialize ``obj``" not in json_init
