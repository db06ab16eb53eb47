"""Turn a rule entry's citation into the self-contained form every result line carries."""

from __future__ import annotations

from ..models.result import CitationOut
from ..models.rules import Citation
from .resolve import ResolvedRuleSet


def cite(
    rules: ResolvedRuleSet,
    section: str,
    entry_id: str,
    citation: Citation,
    interpretation: str | None = None,
) -> CitationOut:
    source = rules.sources[citation.source]
    return CitationOut(
        rule=f"{section}/{entry_id}",
        origin=rules.origin_of(section, entry_id),
        document=source.name,
        document_title=source.title,
        section=citation.section,
        quote=citation.quote,
        interpretation=interpretation,
    )


def cite_entry(rules: ResolvedRuleSet, section: str, entry) -> CitationOut:
    """Cite a rule entry (anything with id, citation and interpretation); memoised per rule set."""
    key = f"{section}/{entry.id}"
    cached = rules.citations.get(key)
    if cached is None:
        cached = cite(rules, section, entry.id, entry.citation, getattr(entry, "interpretation", None))
        rules.citations[key] = cached
    return cached
