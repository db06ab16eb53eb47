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
from ..models.result import Fallback, Problem, Result
from ..models.rules import REGIME_NAMES
from .evaluate import evaluate
from .resolve import Catalog, ResolvedRuleSet, RuleError
from .words import fallback_note


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


def rules_for(case: Case, catalog: Catalog, today: dt.date | None = None
              ) -> tuple[ResolvedRuleSet | None, list[Problem], Fallback | None]:
    """The effective rules for the case: its rule set, or the one that answers for its place,
    regime and year (the nearest parent's where the place has none of its own, said so);
    a standing rule set resolved for the case's year (else today's)."""
    rule_set_id = case.rule_set
    year = case.year if case.year is not None else today.year if today is not None else None
    answer = None
    if rule_set_id is None:
        code = case.jurisdiction or case.place
        assert code and case.regime and case.year
        answer = catalog.answer_for(code, case.regime, case.year)
        if answer is None:
            regime = REGIME_NAMES.get(case.regime, case.regime)
            return None, [Problem(
                path="jurisdiction" if case.jurisdiction else "place", code="unknown_rule_set",
                message=f"没有“{code}”{case.year}年度{regime}的规则，也没有可适用的上级或国家规定；"
                        f"可选规则集：{'、'.join(catalog.ids())}",
            )], None
        rule_set_id = answer.rule_set
    if rule_set_id not in catalog:
        return None, [Problem(
            path="rule_set", code="unknown_rule_set",
            message=f"没有规则集“{rule_set_id}”；可选：{'、'.join(catalog.ids())}",
        )], None
    try:
        rules = catalog.resolve(rule_set_id, year)
    except RuleError as error:
        return None, [Problem(path="rule_set", code="broken_rules", message=f"规则文件有误：{p}") for p in error.problems], None
    return rules, [], _fallback(catalog, case, rules)


def _fallback(catalog: Catalog, case: Case, rules: ResolvedRuleSet) -> Fallback | None:
    """Said when the person's place is not the rule set's place nor under it."""
    code = case.place or case.jurisdiction
    place = catalog.places.get(code) if catalog.places is not None and code else None
    if place is None:
        return None
    applied = catalog.place_of(rules.rules.jurisdiction.code)
    lineage = [p.code for p in catalog.places.lineage(place.code)]
    if applied is None or applied.code == place.code or rules.rules.jurisdiction.code == place.code:
        return None
    if applied.code not in lineage:  # another place's rules chosen by hand: not a fallback
        return None
    rs = rules.rules
    answer = catalog.answer_for(place.code, rs.regime, rs.year)
    if answer is None or answer.applied != applied.code:  # the place (or a nearer parent) has its own
        return None
    applied_name = "国家" if applied.level == "national" else applied.name
    return Fallback(place=place.code, place_name=place.name, applied=applied.code,
                    note=fallback_note(place.name, REGIME_NAMES[rs.regime], applied_name))


def run_case(data: Any, catalog: Catalog, today: "dt.date | None" = None) -> Outcome:
    case, problems = parse_case(data)
    if case is None:
        return Outcome(None, problems)
    rules, problems, fallback = rules_for(case, catalog, today)
    if rules is None:
        return Outcome(None, problems)
    result = evaluate(case, rules, today, fallback=fallback)
    return Outcome(result, list(result.problems))
