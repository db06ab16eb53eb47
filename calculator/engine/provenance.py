"""Which texts a rule set's figures rest on, and how far each can be trusted.

Every effective citation names a source; the result lists those sources with their
provenance (the issuer's own publication, a repost, an excerpt ...) and, for every kind that
is not the issuer's own text, the caution a person must read (words.PROVENANCE_CAUTIONS).
"""

from __future__ import annotations

from ..models.result import SourceRef
from ..models.rules import PROVENANCE_KINDS, PROVENANCE_ORDER
from .resolve import ResolvedRuleSet, cited_sources
from .words import provenance_caution

_KEY = "__sources__"


def source_refs(rules: ResolvedRuleSet) -> tuple[list[SourceRef], list[str]]:
    """The cited sources (weakest first) and one caution per kind that needs one; memoised."""
    cached = rules.citations.get(_KEY)
    if cached is None:
        cached = _build(rules)
        rules.citations[_KEY] = cached
    return cached


def _build(rules: ResolvedRuleSet) -> tuple[list[SourceRef], list[str]]:
    refs: list[SourceRef] = []
    for source in cited_sources(rules):
        prov = source.provenance
        kind = prov.kind if prov is not None else "supplied"
        refs.append(SourceRef(
            id=source.id, name=source.name, title=source.title, issuer=source.issuer or "",
            date=source.date.isoformat() if source.date else "", kind=kind, kind_name=PROVENANCE_KINDS[kind],
            complete=prov.complete if prov is not None else True,
            urls=list(prov.urls) if prov is not None else [],
            retrieved=prov.retrieved.isoformat() if prov is not None and prov.retrieved else None,
            missing=prov.missing if prov is not None else None,
            caution=provenance_caution(kind, [source.name]),
        ))
    refs.sort(key=lambda r: PROVENANCE_ORDER.index(r.kind))
    cautions = []
    for kind in PROVENANCE_ORDER:
        names = [r.name for r in refs if r.kind == kind]
        sentence = provenance_caution(kind, names) if names else None
        if sentence:
            cautions.append(sentence)
    return refs, cautions
