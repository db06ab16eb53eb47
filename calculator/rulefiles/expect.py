"""Compare a result with the expected output written in a test-case file.

Expected outputs are partial: they name only the figures the case is about. Requirement
lines are keyed by requirement id, so a case reads `requirements: {professional:
{earned: 60}}` rather than a position in a list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models.result import Result, result_data

if TYPE_CHECKING:
    from ..engine.resolve import Catalog


def result_view(result: Result) -> dict[str, Any]:
    data = result_data(result)
    data["requirements"] = {line["id"]: line for line in data["requirements"]}
    data["exceptions"] = {line["id"]: line for line in data["exceptions"]}
    return data


def differences(expected: Any, actual: Any, path: str = "output") -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: 期望一组字段，实际为 {actual!r}"]
        out: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: 结果中没有这一项")
            else:
                out.extend(differences(value, actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: 期望 {len(expected)} 项，实际为 {actual!r}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")]
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(actual, (int, float)):
        return [] if abs(float(expected) - float(actual)) < 1e-9 else [f"{path}: 期望 {expected}，实际 {actual}"]
    return [] if expected == actual else [f"{path}: 期望 {expected!r}，实际 {actual!r}"]


def check_example(example_input: dict[str, Any], expected: dict[str, Any], catalog: "Catalog") -> tuple["Result | None", list[str]]:
    """Run one worked example; return its result and how it differs from what is expected.

    Input problems count as a difference unless the example expects them (`problems:`).
    """
    from ..engine.run import run_case

    outcome = run_case(example_input, catalog)
    if outcome.result is None:
        return None, [f"输入问题：{p.path} {p.message}" for p in outcome.problems]
    diffs = differences(expected, result_view(outcome.result))
    if outcome.problems and "problems" not in expected:
        diffs += [f"输入问题：{p.path} {p.message}" for p in outcome.problems]
    return outcome.result, diffs
