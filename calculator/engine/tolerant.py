"""Evaluate what can be evaluated: a case with a half-typed entry still gets a result.

The case model refuses a whole case for one bad entry (an activity without a quantity, a
leave whose end is before its start). Here such entries are left out, each with its
problem at its original place, and the rest is evaluated once. The page, the CLI and batch
checking all go through this, so the tolerance is the same everywhere.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..models.result import Problem
from .evaluate import evaluate
from .resolve import Catalog
from .run import Outcome, parse_case, rules_for

# A problem at one of these places makes just that entry unusable.
_UNIT = re.compile(r"^(activities|history|person\.leaves|person\.postings)\[(\d+)\]")
_PERSON_FIELD = re.compile(r"^person\.(\w+)")
ROUNDS = 5  # each round leaves out every entry its problems name; nested problems rarely need a second


@dataclass(frozen=True)
class TolerantOutcome(Outcome):
    """An outcome plus, per list, the original positions of the entries left out."""

    dropped: dict[str, list[int]] = field(default_factory=dict)


def _lists(data: dict) -> dict[str, list]:
    person = data.get("person") if isinstance(data.get("person"), dict) else {}
    return {
        "activities": data.get("activities") if isinstance(data.get("activities"), list) else [],
        "history": data.get("history") if isinstance(data.get("history"), list) else [],
        "person.leaves": person.get("leaves") if isinstance(person.get("leaves"), list) else [],
        "person.postings": person.get("postings") if isinstance(person.get("postings"), list) else [],
    }


def run_case_tolerant(data: Any, catalog: Catalog, today: dt.date | None = None,
                      known: list[Problem] | None = None) -> TolerantOutcome:
    """`known`: problems of input already left out where the case was made (batch checking: cells
    that could not be read never entered the case); the result counts them among what it left out."""
    if not isinstance(data, dict):
        _, problems = parse_case(data)
        return TolerantOutcome(None, list(known or []) + problems)
    work = copy.deepcopy(data)
    # original position of each remaining entry, per list
    origin = {name: list(range(len(items))) for name, items in _lists(work).items()}
    dropped: dict[str, list[int]] = {}
    reported: list[Problem] = list(known or [])
    for _ in range(ROUNDS):
        case, problems = parse_case(work)
        if case is not None:
            rules, rule_problems, fallback = rules_for(case, catalog, today)
            if rules is None:
                return TolerantOutcome(None, reported + rule_problems, dropped)
            result = evaluate(case, rules, today, positions=origin["activities"], left_out=reported, fallback=fallback)
            result.problems = [p if p in reported or p.path.startswith("activities[") else _renumber(p, origin)
                               for p in result.problems]
            return TolerantOutcome(result, list(result.problems), dropped)
        units: dict[str, set[int]] = {}
        person_fields: set[str] = set()
        for p in problems:
            m = _UNIT.match(p.path)
            if m:
                units.setdefault(m.group(1), set()).add(int(m.group(2)))
            elif (m := _PERSON_FIELD.match(p.path)) and m.group(1) not in ("leaves", "postings"):
                person_fields.add(m.group(1))
            else:
                return TolerantOutcome(None, reported + [_renumber(q, origin) for q in problems], dropped)
        reported += [_renumber(p, origin) for p in problems]
        lists = _lists(work)
        for name, positions in units.items():
            for i in sorted(positions, reverse=True):
                if i < len(lists[name]):
                    dropped.setdefault(name, []).append(origin[name][i])
                    del lists[name][i]
                    del origin[name][i]
        for name in person_fields:
            work["person"].pop(name, None)
            dropped.setdefault("person", []).append(name)  # type: ignore[arg-type]
    return TolerantOutcome(None, reported, dropped)


def _renumber(problem: Problem, origin: dict[str, list[int]]) -> Problem:
    """A problem's path at the entry's place in the case as it was sent."""
    m = _UNIT.match(problem.path)
    if not m or int(m.group(2)) >= len(origin[m.group(1)]):
        return problem
    original = origin[m.group(1)][int(m.group(2))]
    return Problem(path=f"{m.group(1)}[{original}]{problem.path[m.end():]}", code=problem.code, message=problem.message)
