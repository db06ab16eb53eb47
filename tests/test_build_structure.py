"""The build's structure (issue #15): `sitebuild/` in three parts whose imports run one way,
and the rules validated once per build, the guide step reusing the validated catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

import sitebuild.build as build_module
import sitebuild.guides.build as guides_module
from sitebuild.build import Step, build_site, validate_rules
from sitebuild.guides.build import guide_step

from .imports import find_cycle, import_graph as graph_of

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sitebuild"


def import_graph() -> dict[str, set[str]]:
    return graph_of(ROOT, PACKAGE)


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
