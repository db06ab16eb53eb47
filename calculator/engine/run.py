"""From raw data (parsed JSON/YAML) to a result or a list of problems. No I/O.

The CLI, the browser bridge and batch checking all go through here, so a bad case gets
the same Chinese message everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..models.case import Case
from ..models.errors import problems_from
from ..models.result import Problem, Result
from ..models.rules import REGIME_NAMES
from .evaluate import evaluate
from .resolve import Catalog, ResolvedRuleSet, RuleError


@dataclass(frozen=True)
class Outcome:
    result: Result | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.problems


def parse_case(data: Any) -> tuple[Case | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem(path="（整个文件）", code="not_a_case", message="内容不是一份个人情况记录（应为一组“名称: 值”）")]
    try:
        return Case.model_validate(data), []
    except ValidationError as error:
        return None, problems_from(error)


def rules_for(case: Case, catalog: Catalog, today: dt.date | None = None) -> tuple[ResolvedRuleSet | None, list[Problem]]:
    """The effective rules for the case: its rule set, or the one that answers for its place,
    regime and year; a standing rule set resolved for the case's year (else today's)."""
    rule_set_id = case.rule_set
    if rule_set_id is None:
        assert case.jurisdiction and case.regime and case.year
        rule_set_id = catalog.find(case.jurisdiction, case.regime, case.year)
        if rule_set_id is None:
            regime = REGIME_NAMES.get(case.regime, case.regime)
            return None, [Problem(
                path="jurisdiction", code="unknown_rule_set",
                message=f"没有“{case.jurisdiction}”{case.year}年度{regime}的规则；可选规则集：{'、'.join(catalog.ids())}",
            )]
    if rule_set_id not in catalog:
        return None, [Problem(
            path="rule_set", code="unknown_rule_set",
            message=f"没有规则集“{rule_set_id}”；可选：{'、'.join(catalog.ids())}",
        )]
    year = case.year if case.year is not None else today.year if today is not None else None
    try:
        return catalog.resolve(rule_set_id, year), []
    except RuleError as error:
        return None, [Problem(path="rule_set", code="broken_rules", message=f"规则文件有误：{p}") for p in error.problems]


def run_case(data: Any, catalog: Catalog, today: "dt.date | None" = None) -> Outcome:
    case, problems = parse_case(data)
    if case is None:
        return Outcome(None, problems)
    rules, problems = rules_for(case, catalog, today)
    if rules is None:
        return Outcome(None, problems)
    result = evaluate(case, rules, today)
    return Outcome(result, list(result.problems))
