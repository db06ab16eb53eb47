"""The original notices as guide pages: full text, anchored paragraphs, every quoted passage
highlighted and linked both ways (issue #15).

    sources/<text-file-stem>/           one page per text file under rules/sources/
    sources/<stem>/#p-<n>               its n-th paragraph (1-based, blank-line separated)
    sources/<stem>/#passage-<k>         its k-th highlighted passage (document order): its <mark>, or
                                        for a passage across a paragraph break the block around
                                        its paragraphs, so the link lands on the whole quote

A passage is the stretch of text one or more rule citations quote; quotes that overlap are
one passage, so every passage is one highlighted run (it may cross a paragraph break, as
the notices' layout sometimes breaks a sentence). Quotes are found as the validator checks
them (`calculator.rulefiles.lint.verify_quotes`): verbatim, ignoring white space. Each passage lists
the rule entries that cite it; each citation in the guides and on the calculator page links
to its passage (`SourceIndex.passage_href`).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from calculator.engine.resolve import Catalog
from calculator.models.rules import SECTIONS

SOURCES_DIR = "sources"


def source_page(text_file: str) -> str:
    """Markdown path (relative to docs_dir) of a text file's page: `sources/<stem>.md`."""
    return f"{SOURCES_DIR}/{Path(text_file).stem}.md"


@dataclass(frozen=True)
class CitingEntry:
    rule_set: str  # where the entry is defined (its own page carries the anchor)
    section: str
    entry_id: str
    label: str


@dataclass
class Passage:
    number: int  # 1-based, document order
    start: int  # offsets into the original text, end exclusive
    end: int
    cited_by: list[CitingEntry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"passage-{self.number}"


@dataclass
class SourceText:
    text_file: str
    text: str
    document: str  # the document number, e.g. 湘人社函〔2021〕61号
    title: str
    issuer: str
    passages: list[Passage] = field(default_factory=list)
    _by_quote: dict[str, Passage] = field(default_factory=dict, repr=False)

    @property
    def page(self) -> str:
        return source_page(self.text_file)

    @property
    def heading(self) -> str:
        """The document number, or the title where the notice has none."""
        return self.document

    def passage_of(self, quote: str) -> Passage | None:
        return self._by_quote.get(_squash(quote))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """Span of `quote` in `text`, white space ignored (how the validator compares them)."""
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    squashed = "".join(text[i] for i in kept)
    at = squashed.find(_squash(quote))
    if at < 0 or not quote.strip():
        return None
    return kept[at], kept[at + len(_squash(quote)) - 1] + 1


def _citations(entry: object) -> list:
    found = [getattr(entry, "citation", None), getattr(entry, "evidence_citation", None)]
    alternative = getattr(entry, "alternative", None)
    if alternative is not None:
        found.append(alternative.citation)
    return [c for c in found if c is not None]


@dataclass
class SourceIndex:
    """Every source text that some rule entry quotes, with its passages."""

    texts: dict[str, SourceText]  # text_file -> SourceText

    @classmethod
    def build(cls, catalog: Catalog, sources_dir: Path) -> SourceIndex:
        texts: dict[str, SourceText] = {}
        quotes: dict[str, dict[tuple[int, int], list[CitingEntry]]] = {}
        for rule_set in catalog.all():
            resolved = catalog.resolve(rule_set.id)
            for section in SECTIONS:
                for entry in getattr(rule_set, section):  # own entries: their anchors are on this page
                    for cite in _citations(entry):
                        source = resolved.sources.get(cite.source)
                        if source is None or source.text_file is None:
                            continue
                        name = source.text_file
                        if name not in texts:
                            texts[name] = SourceText(
                                name, (sources_dir / name).read_text(encoding="utf-8"),
                                source.name, source.title, source.issuer or "",
                            )
                        span = _find(texts[name].text, cite.quote)
                        if span is None:  # the validator reports it; nothing to highlight
                            continue
                        label = (getattr(entry, "label", None) or getattr(entry, "title", None)
                                 or getattr(entry, "name", None) or entry.id)
                        citing = CitingEntry(rule_set.id, section, entry.id, str(label))
                        found = quotes.setdefault(name, {}).setdefault(span, [])
                        if citing not in found:
                            found.append(citing)
        for name, spans in quotes.items():
            source = texts[name]
            merged: list[Passage] = []
            for (start, end) in sorted(spans):
                if merged and start < merged[-1].end:  # overlapping quotes: one passage
                    merged[-1].end = max(merged[-1].end, end)
                else:
                    merged.append(Passage(len(merged) + 1, start, end))
                merged[-1].cited_by.extend(c for c in spans[(start, end)] if c not in merged[-1].cited_by)
            source.passages = merged
            for (start, end) in spans:
                passage = next(p for p in merged if p.start <= start and end <= p.end)
                source._by_quote[_squash(source.text[start:end])] = passage
        return cls(dict(sorted(texts.items())))

    def passage_href(self, text_file: str | None, quote: str, from_page: str | None = None) -> str | None:
        """Link to the passage holding `quote`: relative to the guide root, or to `from_page`'s
        Markdown file when given (for `md_link`-style links inside the guides)."""
        source = self.texts.get(text_file or "")
        passage = source.passage_of(quote) if source else None
        if source is None or passage is None:
            return None
        if from_page is None:
            return f"{source.page.removesuffix('.md')}/#{passage.anchor}"
        rel = posixpath.relpath(source.page, posixpath.dirname(from_page) or ".")
        return f"{rel}#{passage.anchor}"

    def quote_links(self, catalog: Catalog) -> dict[str, str]:
        """For the calculator page: "<document number>\\n<quote>" -> passage URL relative to the
        guide root, for every quote of every rule set (a result citation carries both)."""
        links: dict[str, str] = {}
        for rule_set in catalog.all():
            resolved = catalog.resolve(rule_set.id)
            for source in resolved.sources.values():
                text = self.texts.get(source.text_file or "")
                if text is None:
                    continue
                for squashed, passage in text._by_quote.items():
                    links[f"{source.name}\n{squashed}"] = f"{text.page.removesuffix('.md')}/#{passage.anchor}"
        return dict(sorted(links.items()))


# ---------------------------------------------------------------- the page


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs, leading/trailing white space trimmed."""
    spans = []
    for match in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, re.S):
        spans.append((match.start(), match.end()))
    return spans


def _entry_href(from_page: str, citing: CitingEntry) -> str:
    # Raw HTML is not rewritten by MkDocs: a directory URL relative to this page's URL.
    depth = len(from_page.removesuffix(".md").split("/"))
    return "../" * depth + f"{citing.rule_set}/#{citing.section}-{citing.entry_id}"


@dataclass
class _Blocks:
    """Where the blocks around passages that cross a paragraph break open and close."""

    opening: dict[int, list[Passage]]  # paragraph index -> blocks opened before it, outermost first
    closing: dict[int, int]  # paragraph index -> how many blocks close after it

    @property
    def anchored(self) -> set[int]:
        return {p.number for blocks in self.opening.values() for p in blocks}


def _blocks(paragraphs: list[tuple[int, int]], passages: list[Passage]) -> _Blocks:
    """A passage within one paragraph is its own <mark>, which carries its anchor. One that
    crosses a break (a sentence the notice's layout broke across paragraphs) is several
    <mark>s, so its anchor goes on a block around its paragraphs instead: a link then lands
    on an element that holds the whole quote (issue #21). Blocks of passages sharing a
    paragraph all start at the first paragraph of that run, so they nest.
    """
    def paragraph_of(offset: int) -> int:
        return next(i for i, (_, end) in enumerate(paragraphs) if offset < end or i == len(paragraphs) - 1)

    crossing = sorted(
        (span for span in ((paragraph_of(p.start), paragraph_of(p.end - 1), p) for p in passages) if span[0] < span[1]),
        key=lambda span: span[0],
    )
    opening: dict[int, list[tuple[int, Passage]]] = {}
    closing: dict[int, int] = {}
    first, last = -1, -1
    for start, end, passage in crossing:
        if start > last:  # a new run of paragraphs
            first = start
        last = max(last, end)
        opening.setdefault(first, []).append((end, passage))
        closing[end] = closing.get(end, 0) + 1
    return _Blocks({k: [p for _, p in sorted(v, key=lambda e: -e[0])] for k, v in opening.items()}, closing)


def source_markdown(source: SourceText, titles: dict[str, str], section_titles: dict[str, str]) -> str:
    """The page of one original notice: title, how to read it, then the full text."""
    esc = html.escape
    page = source.page
    starts = {p.start: p for p in source.passages}
    ends = {p.end: p for p in source.passages}
    out = [
        f"# {esc(source.heading)} 原文\n",
        f"《{esc(source.title)}》{'，' + esc(source.issuer) if source.issuer else ''}。下面是本工具所用的原文全文，按段编号；"
        "规则文件逐字引用的段落用底色标出，旁边列出引用它的规则条目，点击可跳到该条目。"
        "原文的排版（换行、空格）照录，可能与正式文件略有不同；以发文机关公布的文件为准。\n",
        '<div class="xs-original" markdown="0">',
    ]
    paragraphs = _paragraphs(source.text)
    blocks = _blocks(paragraphs, source.passages)
    in_block = blocks.anchored
    open_passage: Passage | None = None
    for index, (start, end) in enumerate(paragraphs):
        number = index + 1
        for passage in blocks.opening.get(index, []):
            out.append(f'<div class="xs-passage-run" id="{passage.anchor}" data-passage="{passage.number}">')
        parts = [f'<p id="p-{number}"><a class="xs-para" href="#p-{number}">{number}</a> ']
        pending: list[Passage] = []
        cursor = start
        if open_passage is not None:  # a passage continued from the previous paragraph
            parts.append(f'<mark class="xs-passage" data-passage="{open_passage.number}">')
        for pos in sorted(set(starts) | set(ends)):
            if not start <= pos <= end:
                continue
            parts.append(esc(source.text[cursor:pos]))
            cursor = pos
            if pos in ends and open_passage is not None and ends[pos] is open_passage:
                parts.append("</mark>")
                pending.append(open_passage)
                open_passage = None
            if pos in starts and pos < end:
                open_passage = starts[pos]
                anchor = "" if open_passage.number in in_block else f' id="{open_passage.anchor}"'
                parts.append(f'<mark class="xs-passage"{anchor} data-passage="{open_passage.number}">')
        parts.append(esc(source.text[cursor:end]))
        if open_passage is not None:
            parts.append("</mark>")
        parts.append("</p>")
        out.append("".join(parts).replace("\n", "<br>"))
        out += ["</div>"] * blocks.closing.get(index, 0)
        for passage in pending:
            links = "；".join(
                f'<a href="{_entry_href(page, c)}">{esc(titles.get(c.rule_set, c.rule_set))} · '
                f"{esc(section_titles.get(c.section, c.section))} · {esc(c.label)}</a>"
                for c in passage.cited_by
            )
            out.append(
                f'<p class="xs-cited-by"><a href="#{passage.anchor}">引文 {passage.number}</a> 被这些规则条目引用：{links}</p>'
            )
    out.append("</div>")
    return "\n".join(out) + "\n"
