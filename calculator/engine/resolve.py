"""Resolve inheritance: a child rule set over its parent gives the effective rules.

A child states only what it changes, by id: an entry with a parent's id replaces it, a
new id adds one, `remove` deletes one. The result remembers which rule set each
effective entry came from, so every explanation can say "from Qinghai" or "from Xining".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from ..models.facts import FACT_NAMES
from ..models.places import Place
from ..models.rules import SECTIONS, Category, Citation, Condition, Conversion, Exclusion, Question, RuleSet, SourceDocument
from .places import Answer, Places


class RuleError(Exception):
    """A rule set that cannot be used: a broken reference, a loop, a missing parent."""

    def __init__(self, problems: list["RuleProblem"]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class RuleProblem:
    rule_set: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule_set}: {self.where}: {self.message}"


@dataclass(frozen=True)
class ResolvedRuleSet:
    """Effective rules for one rule set, with indexes the engine uses on every case.

    A standing rule set is resolved for one period at a time (`Catalog.resolve(id, year)`):
    `rules.year` is then that period's first year and `standing_since` the year it began.
    """

    rules: RuleSet
    chain: tuple[str, ...]
    origin: dict[str, str]
    sources: dict[str, SourceDocument] = field(repr=False)
    categories: dict[str, Category] = field(repr=False)
    conversions: dict[str, Conversion] = field(repr=False)
    exclusions: dict[str, Exclusion] = field(repr=False)
    questions: dict[str, Question] = field(default_factory=dict, repr=False)
    # Citations are immutable per rule set: built once, shared by every result.
    citations: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    standing_since: int | None = None

    @property
    def id(self) -> str:
        return self.rules.id

    def origin_of(self, section: str, entry_id: str) -> str:
        return self.origin.get(f"{section}/{entry_id}", self.rules.id)

    @property
    def top_categories(self) -> list[str]:
        """Categories within no other, in rule-file order: the columns of a year's hours."""
        return [c.id for c in self.rules.categories if c.within is None]

    def label(self, category: str | None) -> str:
        if category is None:
            return "总" + self.rules.unit_name
        cat = self.categories.get(category)
        return cat.name if cat else category

    def ancestors(self, category: str) -> list[str]:
        """The category and every category it sits within, innermost first."""
        chain: list[str] = []
        current: str | None = category
        while current is not None and current not in chain:
            chain.append(current)
            current = self.categories[current].within if current in self.categories else None
        return chain


def _merge(parent: RuleSet, child: RuleSet, origin: dict[str, str]) -> RuleSet:
    merged: dict[str, list] = {}
    for section in SECTIONS:
        # A replaced entry keeps its place; a new one follows the child's previous entry, so the
        # child's own order holds (a province that restates "total, public, professional" over a
        # national "total, professional" reads as it wrote), and one only adding comes last.
        entries = list(getattr(parent, section))
        after = -1
        for entry in getattr(child, section):
            at = next((i for i, e in enumerate(entries) if e.id == entry.id), None)
            if at is None:
                at = after + 1 if after >= 0 else len(entries)
                entries.insert(at, entry)
            else:
                entries[at] = entry
            after = at
            origin[f"{section}/{entry.id}"] = child.id
        merged[section] = entries
    for removal in child.remove:
        kept = [e for e in merged[removal.section] if e.id != removal.id]
        if len(kept) == len(merged[removal.section]):
            raise RuleError([RuleProblem(child.id, f"remove/{removal.id}", "父规则集中没有该条目")])
        merged[removal.section] = kept
        origin.pop(f"{removal.section}/{removal.id}", None)
    # Settings a child does not state (unit_name, exception_precedence ...) are inherited;
    # its period is its own (a yearly province over a standing national rule).
    own = {"year", "standing"}
    data = {
        name: getattr(child if name in child.model_fields_set or name in own else parent, name)
        for name in RuleSet.model_fields
        if name not in SECTIONS and name not in ("remove", "extends")
    }
    # model_construct: both halves are already validated; re-validating costs time only.
    return RuleSet.model_construct(**data, extends=None, remove=[], **merged)


def _with_shares(rules: RuleSet) -> tuple[RuleSet, list[RuleProblem]]:
    """Requirements stated as a share of another get their hours from it, after inheritance,
    so a child that raises the base raises them too."""
    by_id = {r.id: r for r in rules.requirements}
    problems: list[RuleProblem] = []
    hours: dict[str, Any] = {}

    def value(req_id: str, seen: tuple[str, ...]) -> Any:
        from fractions import Fraction

        if req_id in hours:
            return hours[req_id]
        req = by_id[req_id]
        if req.share is None:
            hours[req_id] = Fraction(str(req.hours))
            return hours[req_id]
        base = by_id.get(req.share.of)
        where = f"requirements/{req.id}"
        if base is None:
            problems.append(RuleProblem(rules.id, where, f"share.of：没有 id 为 {req.share.of} 的要求"))
        elif base.id in seen:
            problems.append(RuleProblem(rules.id, where, "share.of 的基数关系成环"))
        elif base.over != req.over:
            problems.append(RuleProblem(rules.id, where, f"share.of：{base.id} 按{base.over}累计，本条按{req.over}累计，须相同"))
        else:
            base_value = value(base.id, (*seen, req.id))
            if base_value is not None:
                hours[req_id] = base_value * req.share.value
                return hours[req_id]
        hours[req_id] = None
        return None

    if not any(r.share for r in rules.requirements):
        return rules, []
    updated = []
    for req in rules.requirements:
        amount = value(req.id, ())
        updated.append(req if req.share is None or amount is None else req.model_copy(update={"hours": float(amount)}))
    return rules.model_copy(update={"requirements": updated}), problems


def citations(rules: RuleSet) -> Iterable[tuple[str, Citation]]:
    """Every citation a rule set writes, with where it stands (validate checks each quote against its text)."""
    if rules.year_begins is not None:
        yield "year_begins", rules.year_begins.citation
    for section in SECTIONS:
        for entry in getattr(rules, section):
            for name in ("citation", "evidence_citation"):
                cite = getattr(entry, name, None)
                if cite is not None:
                    yield f"{section}/{entry.id}", cite
            alternative = getattr(entry, "alternative", None)
            if alternative is not None:
                yield f"{section}/{entry.id}/alternative", alternative.citation


def cited_sources(resolved: ResolvedRuleSet) -> list[SourceDocument]:
    """The sources the effective rules cite, in the order the rule files list them."""
    cited = {cite.source for _, cite in citations(resolved.rules)}
    return [s for s in resolved.rules.sources if s.id in cited]


def check_references(resolved: ResolvedRuleSet) -> list[RuleProblem]:
    """Everything an entry names must exist in the effective rules."""
    rules, rid = resolved.rules, resolved.id
    problems: list[RuleProblem] = []

    def need(cond: bool, where: str, message: str) -> None:
        if not cond:
            problems.append(RuleProblem(rid, where, message))

    for where, cite in citations(rules):
        need(cite.source in resolved.sources, where, f"引用的文件 {cite.source} 不在 sources 中")
    cats = resolved.categories
    for cat in rules.categories:
        need(cat.within is None or cat.within in cats, f"categories/{cat.id}", f"上级科目 {cat.within} 未定义")
    for req in rules.requirements:
        where = f"requirements/{req.id}"
        for cat in [req.category] if req.category else req.categories or []:
            need(cat in cats, where, f"科目 {cat} 未定义")
        need(req.over == "year" or rules.period_years > 1, where,
             "over: period 只用于周期规则集（period_years 大于 1）")
        if req.alternative:
            for kind in req.alternative.counted_from:
                need(kind in resolved.conversions, where, f"活动类型 {kind} 未定义")
    for over in ("year", "period"):
        need(
            sum(1 for r in rules.requirements
                if r.category is None and r.categories is None and r.over == over and r.applies_when is None) <= 1,
            "requirements", "每年度（或整个周期）适用于所有人的总学时要求只能有一条（按人分别规定的，写 applies_when）",
        )
    problems.extend(_condition_problems(resolved))
    by_req = {r.id: r for r in rules.requirements}
    for red in rules.reductions:
        where = f"reductions/{red.id}"
        for req_id in red.requirements or []:
            need(req_id in by_req, where, f"要求 {req_id} 未定义")
            need(req_id not in by_req or by_req[req_id].over == "year", where, f"要求 {req_id} 按整个周期累计，不能按月数折算")
    for deadline in rules.deadlines:
        need(not rules.standing, f"deadlines/{deadline.id}",
             "常设规则集（standing）每年都适用，不能有具体日期的截止日期；请在按年度编写的规则集中写")
        need(rules.year_of(deadline.date) in rules.years or rules.year_of(deadline.date) == rules.last_year + 1,
             f"deadlines/{deadline.id}",
             f"日期 {deadline.date.isoformat()} 不在本规则集的期间（{rules.year}—{rules.last_year}年）内")
    for conv in rules.conversions:
        where = f"conversions/{conv.id}"
        for cat in [conv.category] if conv.category else conv.category_choices or []:
            need(cat in cats, where, f"科目 {cat} 未定义")
    for exc in rules.exceptions:
        for cat in exc.categories or []:
            need(cat in cats, f"exceptions/{exc.id}", f"科目 {cat} 未定义")
    for excl in rules.exclusions:
        for kind in excl.kinds or []:
            need(kind in resolved.conversions, f"exclusions/{excl.id}", f"活动类型 {kind} 未定义")
        for other in excl.overrides + excl.yields_to:
            need(other in resolved.exclusions, f"exclusions/{excl.id}", f"overrides/yields_to 中的排除条目 {other} 未定义")
    problems.extend(_exclusion_conflicts(resolved))
    for tw in rules.title_windows:
        for key in tw.totals or {}:
            need(key in cats or key == "total", f"title_windows/{tw.id}", f"totals 中的 {key} 既不是科目 id，也不是 total（总学时）")
    for mk in rules.makeup:
        for kind in mk.counted_from or []:
            need(kind in resolved.conversions, f"makeup/{mk.id}", f"活动类型 {kind} 未定义")
        for cat in mk.categories or []:
            need(cat in cats, f"makeup/{mk.id}", f"科目 {cat} 未定义")
    for co in rules.carry_over:
        for cat in co.categories or []:
            need(cat in cats, f"carry_over/{co.id}", f"科目 {cat} 未定义")
    for cap in rules.caps:
        for kind in cap.kinds:
            need(kind in resolved.conversions, f"caps/{cap.id}", f"活动类型 {kind} 未定义")
        need(cap.per == "year" or rules.period_years > 1, f"caps/{cap.id}",
             "per: period 只用于周期规则集（period_years 大于 1）")
    for fee in rules.fees:
        category = getattr(fee, "category", None)
        need(category is None or category in cats, f"fees/{fee.id}", f"科目 {category} 未定义")
    return problems


def _condition_problems(resolved: ResolvedRuleSet) -> list[RuleProblem]:
    """A condition tests a fact the engine derives or a question the rule set asks; `in` lists
    that question's choices; a reduction scales by a number."""
    from .conditions import conditions_of

    rules = resolved.rules
    questions = {q.id: q for q in rules.questions}
    problems: list[RuleProblem] = []

    def check(cond: Condition, where: str) -> None:
        for sub in (cond.any or []) + (cond.all or []):
            check(sub, where)
        if cond.fact is None:
            return
        question = questions.get(cond.fact)
        if cond.fact not in FACT_NAMES and question is None:
            problems.append(RuleProblem(rules.id, where, f"条件中的 {cond.fact} 既不是程序推导的情况，也不是本规则集 questions 中的问题"))
        elif cond.op == "in":
            allowed = set(question.choices or {}) if question is not None and question.type == "choice" else None
            if allowed is None:
                problems.append(RuleProblem(rules.id, where, f"op: in 只用于 type 为 choice 的问题（{cond.fact}）"))
            elif set(cond.values or []) - allowed:
                wrong = "、".join(sorted(set(cond.values or []) - allowed))
                problems.append(RuleProblem(rules.id, where, f"{cond.fact} 没有这些选项：{wrong}"))

    for where, cond in conditions_of(rules):
        check(cond, where)
    for red in rules.reductions:
        question = questions.get(red.factor.fact)
        if red.factor.fact not in FACT_NAMES and (question is None or question.type != "number"):
            problems.append(RuleProblem(rules.id, f"reductions/{red.id}",
                                        f"factor.fact：{red.factor.fact} 须是程序推导的数量（如 months_in_post_in_year）或数字型问题"))
    return problems


def _exclusion_conflicts(resolved: ResolvedRuleSet) -> list[RuleProblem]:
    """Two exclusions with different effects that can both apply to one activity need a
    declared order (`overrides`): a conflict is reported, never settled by list order."""
    entries = resolved.rules.exclusions
    problems = []
    for i, a in enumerate(entries):
        for b in entries[i + 1:]:
            if a.effect == b.effect:
                continue
            kinds_a = set(a.kinds) if a.kinds is not None else None
            kinds_b = set(b.kinds) if b.kinds is not None else None
            overlap = kinds_a is None or kinds_b is None or bool(kinds_a & kinds_b)
            ordered = b.id in a.overrides + a.yields_to or a.id in b.overrides + b.yields_to
            if overlap and not ordered:
                problems.append(RuleProblem(
                    resolved.id, f"exclusions/{b.id}",
                    f"与 {a.id} 可能同时适用于同一活动而效果不同，须在其中一条写 overrides 或 yields_to 声明先后",
                ))
    return problems


def _check_period(parent: RuleSet, child: RuleSet) -> None:
    """A child covers the same period as its parent; over a standing parent, any period from
    the parent's start on (a province's 2023 notice over the national rule)."""
    period = (child.regime, child.period_years)
    if parent.standing:
        ok = period == (parent.regime, parent.period_years) and child.year >= parent.year
        message = "子规则集的 regime、period_years 须与常设的父规则集相同，year 不早于父规则集的起始年度"
    else:
        ok = (*period, child.year, child.standing) == (parent.regime, parent.period_years, parent.year, False)
        message = "子规则集的 regime、year 和 period_years 须与父规则集相同"
    if not ok:
        raise RuleError([RuleProblem(child.id, "extends", message)])


class Catalog:
    """All rule sets known to one run; resolution is memoised per catalog, not globally."""

    def __init__(self, rule_sets: Iterable[RuleSet], places: Places | None = None):
        self.places = places  # where people are from (models/places.py), for places without rules
        self._sets: dict[str, RuleSet] = {}
        for rs in rule_sets:
            if rs.id in self._sets:
                raise RuleError([RuleProblem(rs.id, "id", "规则集 id 重复")])
            self._sets[rs.id] = rs
        self._resolved: dict[str, ResolvedRuleSet] = {}

    def __contains__(self, rule_set_id: str) -> bool:
        return rule_set_id in self._sets

    def ids(self) -> list[str]:
        return sorted(self._sets)

    def get(self, rule_set_id: str) -> RuleSet:
        return self._sets[rule_set_id]

    def all(self) -> list[RuleSet]:
        return [self._sets[i] for i in self.ids()]

    def children(self, rule_set_id: str) -> list[str]:
        return [i for i in self.ids() if self._sets[i].extends == rule_set_id]

    def find(self, jurisdiction: str, regime: str, year: int) -> str | None:
        """The rule set that answers for `year`: one whose period contains it (a cycle answers
        for each of its years), else the standing one that began last before it."""
        mine = [rs for rs in self._sets.values()
                if (rs.jurisdiction.code, rs.regime) == (jurisdiction, regime) and rs.covers(year)]
        dated = [rs for rs in mine if not rs.standing]
        if dated:
            return dated[0].id
        standing = max(mine, key=lambda rs: rs.year, default=None)
        return standing.id if standing else None

    def place_of(self, jurisdiction: str) -> Place | None:
        """The registry place a rule set's jurisdiction is, or sits under (a unit under its province)."""
        if self.places is None:
            return None
        seen: set[str] = set()
        current: str | None = jurisdiction
        while current is not None and current not in seen:
            if current in self.places:
                return self.places.get(current)
            seen.add(current)
            parents = [rs.jurisdiction.parent for rs in self._sets.values() if rs.jurisdiction.code == current]
            current = parents[0] if parents else None
        return None

    def answer_for(self, place_code: str, regime: str, year: int) -> Answer | None:
        """The rule set for a place: its own, else the nearest parent's that has one for this
        regime and year. A code that is a rule-set jurisdiction but no registry place (a unit)
        is answered by its own rule sets only."""
        own = self.find(place_code, regime, year)
        place = self.places.get(place_code) if self.places is not None else None
        if own is not None:
            return Answer(own, place, place_code)
        if place is None or self.places is None:
            return None
        for parent in self.places.lineage(place_code)[1:]:
            found = self.find(parent.code, regime, year)
            if found is not None:
                return Answer(found, place, parent.code)
        return None

    def resolve(self, rule_set_id: str, year: int | None = None) -> ResolvedRuleSet:
        """The effective rules; of a standing rule set, for the period holding `year` (by default
        its first period)."""
        if rule_set_id not in self._resolved:
            self._resolved[rule_set_id] = self._resolve(rule_set_id)
        resolved = self._resolved[rule_set_id]
        rules = resolved.rules
        if not rules.standing or year is None or rules.period_start(year) == rules.year:
            return resolved
        key = f"{rule_set_id}@{rules.period_start(year)}"
        if key not in self._resolved:
            # The same entries for a later period: only the years move (no re-validation).
            self._resolved[key] = replace(
                resolved, rules=rules.model_copy(update={"year": rules.period_start(year)}), citations={},
            )
        return self._resolved[key]

    def _resolve(self, rule_set_id: str) -> ResolvedRuleSet:
        chain: list[RuleSet] = []
        current: str | None = rule_set_id
        while current is not None:
            if current not in self._sets:
                where = chain[-1].id if chain else rule_set_id
                raise RuleError([RuleProblem(where, "extends", f"找不到规则集 {current}")])
            if any(rs.id == current for rs in chain):
                raise RuleError([RuleProblem(rule_set_id, "extends", "继承关系成环")])
            chain.append(self._sets[current])
            current = self._sets[current].extends
        root = chain[-1]
        origin = {
            f"{section}/{entry.id}": root.id for section in SECTIONS for entry in getattr(root, section)
        }
        rules = root
        for child in reversed(chain[:-1]):
            _check_period(rules, child)
            rules = _merge(rules, child, origin)
        rules, share_problems = _with_shares(rules)
        if share_problems:
            raise RuleError(share_problems)
        resolved = ResolvedRuleSet(
            rules=rules,
            chain=tuple(rs.id for rs in chain),
            origin=origin,
            sources={s.id: s for s in rules.sources},
            categories={c.id: c for c in rules.categories},
            conversions={c.id: c for c in rules.conversions},
            exclusions={e.id: e for e in rules.exclusions},
            questions={q.id: q for q in rules.questions},
            standing_since=rules.year if rules.standing else None,
        )
        problems = check_references(resolved)
        if problems:
            raise RuleError(problems)
        return resolved
