"""What every guide page needs to know: where pages live, how to link them, Chinese labels.

URL scheme of the built guides (relative to the guide root, e.g. `_site/guide/`):

    index.html                          home page
    <rule-set-id>/                      one page per rule set
    <rule-set-id>/#<section>-<entry-id> one entry of that rule set, e.g. #conversions-paper
    <rule-set-id>/#example-<n>          its n-th worked example (1-based, file order)
    compare/                            every rule set side by side
    compare/<old-id>--<new-id>/         entry-by-entry differences of two rule sets
    authors/                            guide for rule authors
    authors/reference/                  field reference generated from the pydantic models
    schema/<name>.schema.json           the JSON Schemas, for download
    sources/<text-file-stem>/           an original notice, full text (guides/sources.py)
    offline/                            shown offline for a page not kept (guides/offline.py)

A result citation (`rule: "conversions/paper"`, `origin: "xiangxi-zhuanji-2020"`) links to
`guide/<origin>/#conversions-paper`; `guide_href()` builds exactly that.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calculator.models.facts import FACT_LABELS
from calculator.engine.resolve import Catalog, ResolvedRuleSet
from calculator.models.rules import LEVEL_NAMES, REGIME_NAMES, UNIT_NAMES, RuleSet

if TYPE_CHECKING:
    from .sources import SourceIndex

HOME = "index.md"
COMPARE = "compare/index.md"
AUTHORS = "authors/index.md"
REFERENCE = "authors/reference.md"
SCHEMA_DIR = "schema"
# Top-level folders of the guide that a rule set id may not take.
RESERVED_IDS = frozenset({"compare", "authors", "schema", "assets", "search", "units", "sources", "offline"})

SECTION_TITLES: dict[str, str] = {
    "requirements": "学时要求",
    "categories": "科目",
    "conversions": "学时折算",
    "exceptions": "例外情形",
    "exclusions": "不计学时的情形",
    "deadlines": "截止日期",
    "title_windows": "职称申报的学时年限",
    "makeup": "补学",
    "carry_over": "结转",
    "caps": "计入上限",
    "fees": "费用",
    "notes": "其他说明",
    "sources": "来源文件",
    "not_encoded": "引用但未编码的文件",
}
# Page order of the sections of a rule set.
PAGE_SECTIONS: tuple[str, ...] = (
    "requirements", "categories", "conversions", "exceptions", "exclusions", "deadlines",
    "title_windows", "makeup", "carry_over", "caps", "fees", "notes", "sources", "not_encoded",
)

# One vocabulary: the guides say what the calculator says (calculator/engine/words.py).
from calculator.engine.words import EXCEPTION_EFFECTS, EXCLUSION_EFFECTS, num  # noqa: E402,F401
TITLE_LEVELS = {"zhenggao": "正高级", "fugao": "副高级", "zhongji": "中级", "chuji": "初级"}
DEGREES = {"doctor": "博士", "master": "硕士", "bachelor": "学士", "other": "其他"}
FIELDS = {"medical": "医学类", "other": "其他"}
FEE_KINDS = {"rate": "课时费用", "free_hours": "免费学时", "reimbursement_limit": "报账限额"}
OPS = {"is_true": "成立", "is_false": "不成立", ">=": "不少于", ">": "超过", "<=": "不超过", "<": "不足"}
ROUNDING = {"none": "按比例折算", "floor": "不足一个计量单位的部分不计"}

# Every Literal value a rule author may write, with its Chinese meaning (field reference).
VALUE_LABELS: dict[str, str] = {
    **REGIME_NAMES, **LEVEL_NAMES, **UNIT_NAMES, **EXCEPTION_EFFECTS, **EXCLUSION_EFFECTS,
    **TITLE_LEVELS, **DEGREES, **FIELDS, **FEE_KINDS, **FACT_LABELS, **OPS,
    "choice": "从若干选项中选择", "integer": "填写整数",
    "floor": ROUNDING["floor"], "none": ROUNDING["none"],
    "xueshi.rules/1": "规则文件格式第1版", "xueshi.case/1": "个人情况文件格式第1版",
    "xueshi.rules/2": "规则文件格式第2版", "xueshi.case/2": "个人情况文件格式第2版",
}
VALUE_LABELS["other"] = "其他"


def headline(resolved) -> str:
    """A rule set's main figure for a table cell: its yearly (or cycle) total, else each requirement
    it has on its own (a cycle-only rule set: 周期专业科目学时 180（周期合计）), in its own unit."""
    rs = resolved.rules
    reqs = [r for r in rs.requirements if r.applies_when is None] or list(rs.requirements)
    totals = [r for r in reqs if r.category is None and r.categories is None]

    def figure(req) -> str:
        cycle = "（周期合计）" if req.over == "period" and rs.period_years > 1 else ""
        amount = num(req.hours) if req.hours is not None else req.share.fraction
        return f"{amount} {rs.unit_name}{cycle}" if rs.unit_name != "学时" or cycle else amount
    if totals:
        return figure(totals[0])
    return "；".join(f"{r.label} {figure(r)}" for r in reqs) or "—"


def anchor(section: str, entry_id: str) -> str:
    """The HTML id of a rule entry on its rule set's page: `conversions-paper`."""
    return f"{section}-{entry_id}"


def guide_href(rule: str, origin: str) -> str:
    """Guide URL (relative to the guide root) of a result citation's rule.

    `guide_href("conversions/paper", "xiangxi-zhuanji-2020")` ->
    `"xiangxi-zhuanji-2020/#conversions-paper"`. Alternatives of a requirement
    (`requirements/total/alternative`) link to the requirement itself.
    """
    section, entry_id = rule.split("/")[:2]
    return f"{origin}/#{anchor(section, entry_id)}"


def rule_page(rule_set_id: str) -> str:
    # `<id>.md`, not `<id>/index.md`: same URL (`<id>/`), but not taken for a nav section's index.
    return f"{rule_set_id}.md"


def compare_page(old_id: str, new_id: str) -> str:
    return f"compare/{old_id}--{new_id}.md"


def url_depth(page: str) -> int:
    """How many folders below the guide root the page's URL is (directory URLs)."""
    parts = page.removesuffix(".md").split("/")
    if parts[-1] == "index":
        parts = parts[:-1]
    return len(parts)


def md_link(from_page: str, to_page: str, fragment: str = "") -> str:
    """A relative link between two generated Markdown files (MkDocs turns it into a URL)."""
    rel = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return rel + (f"#{fragment}" if fragment else "")


class GuideBuildError(Exception):
    """The guides cannot be built: invalid rules, a wrong worked example, a page that would
    load something from another host, or an MkDocs warning (strict mode)."""


@dataclass
class GuideContext:
    catalog: Catalog
    calculator_href: str
    sources: SourceIndex | None = None  # the original notices' pages, when built

    def resolved(self, rule_set_id: str) -> ResolvedRuleSet:
        return self.catalog.resolve(rule_set_id)

    def title(self, rule_set_id: str) -> str:
        return self.catalog.get(rule_set_id).title

    def short(self, rule_set_id: str) -> str:
        """Jurisdiction and year, e.g. “西宁市2021”: for narrow places (nav, table columns)."""
        rs = self.catalog.get(rule_set_id)
        return f"{rs.jurisdiction.name}{rs.year}"

    def calculator(self, from_page: str, fragment: str = "", query: str = "") -> str:
        """The calculator page as seen from a guide page (relative unless configured absolute)."""
        href = self.calculator_href
        if not (href.startswith("/") or "://" in href):
            href = "../" * url_depth(from_page) + href
        return href + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")

    def ordered(self) -> list[RuleSet]:
        """Rule sets in guide order: grouped by top jurisdiction, then level, year, id."""
        levels = list(LEVEL_NAMES)
        # Groups in the place registry's order (the nation first, then the provinces as the
        # registry lists them); without a registry, by code.
        order = {p.code: i for i, p in enumerate(self.catalog.places.all())} if self.catalog.places else {}

        def key(rs: RuleSet) -> tuple:
            group = self.group_of(rs)[0]
            return (order.get(group, len(order)), group, levels.index(rs.jurisdiction.level), rs.year, rs.id)

        return sorted(self.catalog.all(), key=key)

    def group_of(self, rs: RuleSet) -> tuple[str, str]:
        """(code, name) of the top jurisdiction a rule set belongs to (Xiangxi -> Hunan): its
        province in the place registry (青岛 -> 山东省 also where 山东 has no rule set), else
        the top of its rule sets' parents."""
        place = self.catalog.place_of(rs.jurisdiction.code)
        if place is not None and self.catalog.places is not None:
            top = next((p for p in self.catalog.places.lineage(place.code) if p.level in ("province", "national")), place)
            return top.code, top.name
        parents = {r.jurisdiction.code: r.jurisdiction.parent for r in self.catalog.all()}
        names = {r.jurisdiction.code: r.jurisdiction.name for r in self.catalog.all()}
        code, seen = rs.jurisdiction.code, set()
        while parents.get(code) and code not in seen:
            seen.add(code)
            code = parents[code]  # type: ignore[assignment]
        return code, names.get(code, code)
