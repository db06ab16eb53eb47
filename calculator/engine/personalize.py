"""The requirements that apply to this person: those stated for some people only
(`applies_when`, e.g. by the title held) chosen, those reduced in proportion (`reductions`,
e.g. a new hire's months in post) scaled. Every other mechanism then reads the person's own
requirements as it reads anyone's, so a reduced year is a reduced year everywhere."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from ..models.facts import FACT_LABELS
from ..models.result import Problem
from ..models.rules import Reduction, Requirement
from .conditions import describe, holds, unknown
from .mechanisms.state import Evaluation
from .words import bad_answer_text, needs_answer_text, reduction_text

PERSON_FIELDS = {"months_in_post_in_year": "in_post_since", "months_to_retirement_at_year_end": "retirement_date"}


def check_answers(ev: Evaluation) -> None:
    """An answer that does not fit its question (a number question answered with text, a choice
    that is not one of its choices, yes/no with anything but true/false) is reported at its place
    and left out, so it is asked for like an unanswered one instead of being compared wrongly."""
    for qid, question in ev.rules.questions.items():
        value = ev.facts.get(qid)
        if value is None:
            continue
        fits = (isinstance(value, bool) if question.type == "yes_no"
                else isinstance(value, (int, float)) and not isinstance(value, bool) if question.type == "number"
                else isinstance(value, str) and value in (question.choices or {}))
        if not fits:
            del ev.facts[qid]
            ev.problems.append(Problem(path=f"person.answers.{qid}", code="bad_answer",
                                       message=bad_answer_text(question.label, question.type, question.unit)))


def personalize(ev: Evaluation) -> None:
    """Replace `ev.rules` by the person's own requirements (a no-op for rule sets without any)."""
    check_answers(ev)
    rs = ev.rules.rules
    if not rs.reductions and not any(r.applies_when for r in rs.requirements):
        return
    questions = ev.rules.questions
    kept: list[Requirement] = []
    unanswered: set[str] = set()
    for req in rs.requirements:
        if req.applies_when is None or holds(req.applies_when, ev.facts):
            kept.append(req)
        else:
            unanswered |= unknown(req.applies_when, ev.facts)
    for fact in sorted(unanswered):
        label = questions[fact].label if fact in questions else FACT_LABELS.get(fact, fact)
        path = f"person.answers.{fact}" if fact in questions else f"person.{PERSON_FIELDS.get(fact, fact)}"
        ev.problems.append(Problem(path=path, code="needs_answer", message=needs_answer_text(label)))
    for red in rs.reductions:
        kept = _reduce(ev, red, kept)
    ev.rules = replace(ev.rules, rules=rs.model_copy(update={"requirements": kept}))
    ev.applies_to = {r.id: describe(r.applies_when, questions) for r in kept if r.applies_when is not None}


def _reduce(ev: Evaluation, red: Reduction, requirements: list[Requirement]) -> list[Requirement]:
    from .cite import cite_entry

    value = ev.facts.get(red.factor.fact)
    if not holds(red.when, ev.facts) or value is None or isinstance(value, (str, bool)):
        return requirements
    amount = math.floor(float(value)) if red.factor.whole else float(value)
    # Exact arithmetic: 72 x 10/12 is 60, not 60.000000000000005 rounded up to 61.
    ratio = min(Fraction(1), max(Fraction(0), Fraction(str(amount)) / Fraction(str(red.factor.of))))
    if red.factor.complement:
        ratio = 1 - ratio
    targets = set(red.requirements) if red.requirements is not None else {r.id for r in requirements if r.over == "year"}
    out, changes = [], []
    for req in requirements:
        if req.id not in targets or req.hours is None:
            out.append(req)
            continue
        hours = _rounded(Fraction(str(req.hours)) * ratio, red.rounding)
        changes.append((req.label, req.hours, hours))
        ev.reduced[req.id] = red.label
        out.append(req.model_copy(update={"hours": hours}))
    question = ev.rules.questions.get(red.factor.fact)
    fact_label = question.label if question is not None else FACT_LABELS.get(red.factor.fact, red.factor.fact)
    ev.note("reduction", reduction_text(red.label, fact_label, amount, red.factor.of, red.factor.complement, float(ratio),
                                        changes, ev.unit),
            cite_entry(ev.rules, "reductions", red), f"reductions/{red.id}", ratio=round(float(ratio), 4))
    return out


def _rounded(value: Fraction, rounding: str) -> float:
    if rounding == "up":
        return float(math.ceil(value))
    if rounding == "down":
        return float(math.floor(value))
    return float(Decimal(value.numerator) / Decimal(value.denominator))
