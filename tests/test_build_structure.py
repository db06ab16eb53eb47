"""The build's structure (issue #15): `sitebuild/` in three parts whose imports run one way,
and the rules validated once per build, the guide step reusing the validated catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sitebuild.build as build_module
import sitebuild.guides.build as guides_module
from sitebuild.build import Step, build_site, validate_rules
from sitebuild.guides.build import guide_step

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sitebuild"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every sitebuild module -> the sitebuild modules it imports anywhere in its text
    (top level, inside functions, under TYPE_CHECKING: a circle is a circle)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_cycle_finder_finds_a_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_sitebuild_has_no_import_circle() -> None:
    graph = import_graph()
    assert find_cycle(graph) is None, f"import circle: {' -> '.join(find_cycle(graph) or [])}"


def test_no_step_imports_the_orchestration() -> None:
    graph = import_graph()
    importers = sorted(name for name, targets in graph.items() if "sitebuild.build" in targets)
    assert importers == [], importers


def test_three_parts_with_their_own_jobs() -> None:
    graph = import_graph()
    parts = {name.split(".")[1] for name in graph if name.count(".") >= 2}
    assert parts == {"runtime", "site", "guides"}
    # The Pyodide vendoring stands alone: it knows nothing of pages or guides.
    for name, targets in graph.items():
        if name.startswith("sitebuild.runtime."):
            assert not {t for t in targets if not t.startswith("sitebuild.runtime")}, (name, targets)


def test_the_rules_are_validated_once_per_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[Path] = []
    real = build_module.validate_all

    def counting(rules_dir: Path):  # type: ignore[no-untyped-def]
        calls.append(rules_dir)
        return real(rules_dir)

    monkeypatch.setattr(build_module, "validate_all", counting)
    monkeypatch.setattr(guides_module, "validate_all", counting)
    ctx = build_site(
        tmp_path / "site", steps=[Step("校验规则", validate_rules), Step("政策指南", guide_step)], log=lambda _l: None
    )
    assert len(calls) == 1
    assert ctx.guide_base == "guide/" and (ctx.out / "guide" / "index.html").is_file()
