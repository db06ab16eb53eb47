"""The rules core's layout (issue #23): `calculator/` in layers whose imports run one way,
doors -> batch and rule files -> engine -> models; an engine that does no I/O; a browser
wheel that holds exactly what the pages can import."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

from sitebuild.runtime.wheel import build_wheel

from .imports import find_cycle, import_graph

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "calculator"
LAYERS = ("models", "engine", "rulefiles", "batch", "doors")
# Which layer may import which (besides itself): the direction of the whole package.
MAY_IMPORT: dict[str, set[str]] = {
    "models": set(),
    "engine": {"models"},
    "rulefiles": {"engine", "models"},
    "batch": {"engine", "models"},
    "doors": {"batch", "rulefiles", "engine", "models"},
}
# The worker's entry modules (site/static/worker.js ENTRIES): what the pages import.
PAGE_ENTRIES = ("calculator.doors.browser", "calculator.doors.studio")
IO_MODULES = {"os", "pathlib", "io", "shutil", "tempfile", "subprocess", "socket", "urllib", "sys", "yaml"}


def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, PACKAGE)


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "root"


def test_every_module_sits_in_a_layer() -> None:
    loose = sorted(m for m in graph() if layer(m) == "root" and m not in ("calculator", "calculator.__main__"))
    assert loose == [], f"modules outside the layers {LAYERS}: {loose}"


def test_imports_run_one_way() -> None:
    wrong = sorted(
        f"{name} -> {target}"
        for name, targets in graph().items()
        for target in targets
        if layer(name) in MAY_IMPORT and layer(target) != layer(name) and layer(target) not in MAY_IMPORT[layer(name)]
    )
    assert wrong == [], wrong


def test_a_wrong_way_import_would_be_caught(tmp_path: Path) -> None:
    pkg = tmp_path / "calculator"
    for sub in ("models", "engine"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "engine" / "run.py").write_text("x = 1\n")
    (pkg / "models" / "rules.py").write_text("def f():\n    from ..engine.run import x\n")
    g = import_graph(tmp_path, pkg)
    assert "calculator.engine.run" in g["calculator.models.rules"]


def test_no_import_circle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_engine_and_models_do_no_io() -> None:
    """They take objects and return objects, so they run unchanged under Pyodide."""
    found = []
    for path in sorted((PACKAGE / "engine").rglob("*.py")) + sorted((PACKAGE / "models").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module.split(".")[0]]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("open", "print", "input"):
                names = [f"{node.func.id}()"]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in IO_MODULES or n.endswith("()")]
    assert found == [], found


def test_the_browser_wheel_holds_what_the_pages_can_import(tmp_path: Path) -> None:
    g = graph()
    reachable: set[str] = set()
    todo = list(PAGE_ENTRIES)
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable.add(name)
        todo += g[name]
        parts = name.split(".")
        todo += [".".join(parts[:k]) for k in range(1, len(parts))]  # a module needs its packages
    wheel = build_wheel(ROOT, tmp_path, frozenset({"pydantic"}))
    with zipfile.ZipFile(wheel) as zf:
        shipped = {
            m.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            for m in zf.namelist() if m.endswith(".py")
        }
    assert shipped == reachable, {"shipped, never imported": sorted(shipped - reachable),
                                  "imported, not shipped": sorted(reachable - shipped)}
