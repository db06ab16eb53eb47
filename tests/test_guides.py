"""The policy guides (issue #4), built once from the real rules and read back as HTML.

These tests parse the built pages, never the generator's intermediate data: a figure is
right only if the page shows what the engine computes, an anchor exists only if the HTML
has it, a page is offline only if no tag in it loads from another host.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from calculator.engine.run import run_case
from calculator.rulefiles.expect import result_view
from calculator.rulefiles.loader import all_test_cases, load_catalog
from calculator.engine.resolve import Catalog
from calculator.models.result import result_data
from calculator.models.rules import SECTIONS
from sitebuild.guides.examples import ExampleMismatch, decode_case_fragment
from sitebuild.guides.reference import MODEL_TITLES
from sitebuild.guides.context import guide_href
from sitebuild.guides.build import GUIDE_CSP, GuideBuildError, GuideReport, build_guides

from .conftest import RULES

# ---------------------------------------------------------------- reading HTML


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Page:
    """What the tests need from one built HTML file."""

    path: Path
    ids: set[str] = field(default_factory=set)
    elements: list[Element] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[Element] = []
        self.in_script: dict[str, str] | None = None
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.page.elements.append(element)
        if "id" in element.attrs:
            self.page.ids.add(element.attrs["id"])
        if tag == "script" and "src" not in element.attrs:
            self.in_script = element.attrs
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None
        while self.stack:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_script is not None:
            if data.strip() and self.in_script.get("type") != "application/json":
                self.page.inline_scripts.append(data.strip())
            return
        self.chunks.append(data)
        for element in self.stack:
            element.text += data


def read_page(path: Path) -> Page:
    page = Page(path)
    reader = _Reader(page)
    reader.feed(path.read_text(encoding="utf-8"))
    page.text = "".join(reader.chunks)
    return page


# ---------------------------------------------------------------- the build


@dataclass
class Built:
    report: GuideReport
    site: Path  # the site root: the guides are in site/guide, a stand-in calculator at site/
    catalog: Catalog
    pages: dict[str, Page]  # path relative to the guide root -> page

    @property
    def guide(self) -> Path:
        return self.site / "guide"

    def page(self, rel: str) -> Page:
        return self.pages[rel]

    def rule_page(self, rule_set: str) -> Page:
        return self.pages[f"{rule_set}/index.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    site = tmp_path_factory.mktemp("guides") / "site"
    report = build_guides(RULES, site / "guide", calculator_href="../")
    (site / "index.html").write_text("<!doctype html><title>calculator stand-in</title>\n", encoding="utf-8")
    (site / "batch.html").write_text("<!doctype html><title>batch page stand-in</title>\n", encoding="utf-8")
    (site / "studio.html").write_text("<!doctype html><title>studio stand-in</title>\n", encoding="utf-8")
    pages = {p.relative_to(site / "guide").as_posix(): read_page(p) for p in sorted((site / "guide").rglob("*.html"))}
    return Built(report, site, load_catalog(RULES), pages)


def test_every_page_is_built(built: Built) -> None:
    expected = {"index.html", "compare/index.html", "authors/index.html", "authors/reference/index.html"}
    expected |= {f"{rs}/index.html" for rs in built.catalog.ids()}
    expected |= {
        "compare/qinghai-zhuanji-2021--xining-zhuanji-2021/index.html",  # child vs parent
        "compare/hunan-shiye-2023--hunan-college-shiye-2023/index.html",  # the college vs Hunan 2023
        "compare/hunan-shiye-2021--hunan-shiye-2023/index.html",  # one year vs the next
    }
    assert expected <= set(built.pages), sorted(expected - set(built.pages))
    assert set(built.report.pages) == set(built.pages)
    assert built.report.rule_sets == built.catalog.ids()
    for name in ("ruleset", "case", "result"):
        copied = built.guide / "schema" / f"{name}.schema.json"
        assert copied.read_bytes() == (RULES / "schema" / f"{name}.schema.json").read_bytes()


def test_home_page_says_what_and_for_whom(built: Built) -> None:
    home = built.page("index.html")
    for words in ("个人", "单位人事部门", "政策部门", "不会发送到任何服务器", "怎样使用"):
        assert words in home.text
    links = {e.attrs.get("href") for e in home.elements if e.tag == "a"}
    assert "../" in links  # the calculator
    for rs in built.catalog.ids():
        assert f"{rs}/" in links


def _resolve(built: Built, page_rel: str, href: str) -> tuple[Path, str]:
    """File and fragment a relative link of a guide page points at (directory URLs)."""
    parts = urlsplit(href)
    page_url_dir = posixpath.dirname("guide/" + page_rel)  # "guide/x/index.html" -> "guide/x"
    target = posixpath.normpath(posixpath.join(page_url_dir, unquote(parts.path))) if parts.path else "guide/" + page_rel
    path = built.site / target
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def test_every_internal_link_resolves(built: Built) -> None:
    broken: list[str] = []
    checked = 0
    for rel, page in built.pages.items():
        for element in page.elements:
            for attr in ("href", "src"):
                url = element.attrs.get(attr)
                if url is None or urlsplit(url).scheme or url.startswith("//"):
                    continue
                path, fragment = _resolve(built, rel, url)
                checked += 1
                if not path.is_file():
                    broken.append(f"{rel}: {element.tag} {attr}={url!r} -> {path}")
                    continue
                if fragment and not fragment.startswith("case=") and path.suffix == ".html":
                    target = page if path == page.path else read_page(path)
                    if unquote(fragment) not in target.ids:
                        broken.append(f"{rel}: {url!r}: no id {fragment!r} in {path.name}")
    assert checked > 1000
    assert broken == []


def test_every_rule_entry_has_its_anchor(built: Built) -> None:
    """Every id of every section (effective entries for children) has `<section>-<id>`."""
    for rs_id in built.catalog.ids():
        page = built.rule_page(rs_id)
        resolved = built.catalog.resolve(rs_id)
        for section in SECTIONS:
            for entry in getattr(resolved.rules, section):
                assert f"{section}-{entry.id}" in page.ids, f"{rs_id}: #{section}-{entry.id} missing"


def test_child_pages_name_each_entrys_origin(built: Built) -> None:
    for rs in built.catalog.all():
        if rs.extends is None:
            continue
        page = built.rule_page(rs.id)
        hrefs = {e.attrs.get("href", "") for e in page.elements if e.tag == "a"}
        resolved = built.catalog.resolve(rs.id)
        assert "changes" in page.ids and "与上级规则的差异" in page.text
        for section in SECTIONS:
            for entry in getattr(resolved.rules, section):
                origin = resolved.origin_of(section, entry.id)
                if origin != rs.id:  # inherited: links to the entry on the origin's page
                    assert f"../{origin}/#{section}-{entry.id}" in hrefs, (rs.id, section, entry.id)


def _citations(data: Any) -> list[dict[str, Any]]:
    """Every citation anywhere in a result (requirements, activities, trace, fees ...)."""
    if isinstance(data, dict):
        found = [data] if {"rule", "origin", "quote"} <= data.keys() else []
        return found + [c for value in data.values() for c in _citations(value)]
    if isinstance(data, list):
        return [c for value in data for c in _citations(value)]
    return []


def test_citations_of_results_link_into_the_guides(built: Built) -> None:
    """The calculator's citation (`rule`, `origin`) -> guide/<origin>/#<section>-<id> exists."""
    seen: set[str] = set()
    for example in all_test_cases(RULES):
        result = run_case(example.input, built.catalog).result
        assert result is not None
        for cite in _citations(result_data(result)):
            href = guide_href(cite["rule"], cite["origin"])
            path, fragment = href.split("#")
            assert fragment in built.page(path + "index.html").ids, href
            seen.add(href)
    assert guide_href("conversions/paper", "xiangxi-zhuanji-2020") == "xiangxi-zhuanji-2020/#conversions-paper"
    assert len(seen) > 60
    sections = {h.split("#")[1].split("-")[0] for h in seen}
    assert {"requirements", "conversions", "exceptions", "exclusions", "fees", "title_windows", "makeup"} <= sections


def test_quote_and_interpretation_are_shown_apart(built: Built) -> None:
    page = built.rule_page("xiangxi-zhuanji-2020")
    quotes = [e for e in page.elements if e.tag == "div" and "xs-source" in e.attrs.get("class", "").split()]
    readings = [e for e in page.elements if e.tag == "div" and "xs-reading" in e.attrs.get("class", "").split()]
    rules = built.catalog.resolve("xiangxi-zhuanji-2020").rules
    interpreted = [e for s in SECTIONS for e in getattr(rules, s) if getattr(e, "interpretation", None)]
    assert len(readings) >= len(interpreted) > 0
    assert all(q.text.lstrip().startswith("原文") for q in quotes)
    assert all(r.text.lstrip().startswith("本工具的理解") for r in readings)
    paper = rules.conversions[[c.id for c in rules.conversions].index("paper")]
    assert any(paper.citation.quote in q.text for q in quotes)


# ---------------------------------------------------------------- worked examples


def _figure(view: dict[str, Any], path: str) -> Any:
    value: Any = view
    for key in path.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def test_example_figures_on_the_pages_are_the_engines(built: Built) -> None:
    examples = all_test_cases(RULES)
    by_rule_set: dict[str, list] = {}
    for example in examples:
        by_rule_set.setdefault(example.rule_set, []).append(example)
    compared = 0
    for rs_id, cases in by_rule_set.items():
        page = built.rule_page(rs_id)
        blocks = [e for e in page.elements if e.tag == "div" and "xs-example" in e.attrs.get("class", "").split()]
        assert [b.attrs["data-example"] for b in blocks] == [c.name for c in cases]
        # Figures in document order, split by the example they follow.
        figures: list[list[Element]] = []
        for element in page.elements:
            if element in blocks:
                figures.append([])
            elif "data-figure" in element.attrs and figures:
                figures[-1].append(element)
        for case, shown in zip(cases, figures):
            result = run_case(case.input, built.catalog).result
            assert result is not None
            view = result_view(result)
            paths = {e.attrs["data-figure"] for e in shown}
            assert "status" in paths
            for line in result.requirements:
                assert {f"requirements.{line.id}.{k}" for k in ("required", "earned", "shortfall")} <= paths
            for element in shown:
                expected = _figure(view, element.attrs["data-figure"])
                if "data-value" in element.attrs:
                    assert element.attrs["data-value"] in (repr(expected).lower(), f'"{expected}"'), (case.name, element)
                else:
                    text = element.text.strip()
                    got = None if text == "—" else float(text)
                    assert got == (None if expected is None else pytest.approx(float(expected))), (case.name, element)
                compared += 1
            status = next(e for e in shown if e.attrs["data-figure"] == "status")
            assert status.text.strip() == result.status_label
    assert compared > 500


def test_example_links_open_the_calculator_with_the_case(built: Built) -> None:
    links = 0
    for rs_id in built.catalog.ids():
        for element in built.rule_page(rs_id).elements:
            if element.tag == "a" and "xs-open-case" in element.attrs.get("class", ""):
                href = element.attrs["href"]
                assert href.startswith("../../#case="), href  # guide/<id>/ -> the site root
                case = decode_case_fragment(urlsplit(href).fragment)
                assert case["rule_set"] == rs_id and case["format"] == "xueshi.case/2"
                assert run_case(case, built.catalog).result is not None
                links += 1
    assert links == len(all_test_cases(RULES))


def test_a_wrong_expected_output_stops_the_build(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    cases_file = rules / "hunan" / "xiangxi" / "xiangxi-zhuanji-2020.cases.yaml"
    cases = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
    cases[0]["output"]["requirements"]["total"]["earned"] = 91  # the engine says 90
    cases_file.write_text(yaml.safe_dump(cases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ExampleMismatch) as failure:
        build_guides(rules, tmp_path / "out")
    assert cases[0]["name"] in str(failure.value)
    assert "output.requirements.total.earned: 期望 91，实际 90" in str(failure.value)
    assert not (tmp_path / "out").exists()
    assert isinstance(failure.value, GuideBuildError)


# ---------------------------------------------------------------- offline and CSP

# (tag, attribute) through which a browser fetches by itself.
LOADS = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("iframe", "src"), ("embed", "src"), ("object", "data"), ("video", "src"), ("audio", "src"),
    ("video", "poster"), ("track", "src"), ("input", "src"), ("use", "href"), ("image", "href"),
}
LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}


def _absolute(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.I))


def test_no_page_loads_anything_from_another_host(built: Built) -> None:
    loads: list[str] = []
    for rel, page in built.pages.items():
        for e in page.elements:
            for tag, attr in LOADS:
                if e.tag == tag and attr in e.attrs and any(_absolute(u) for u in e.attrs[attr].split(",")):
                    loads.append(f"{rel}: <{tag} {attr}={e.attrs[attr]}>")
            if e.tag == "link" and set(e.attrs.get("rel", "").split()) & LINK_RELS and _absolute(e.attrs.get("href", "")):
                loads.append(f"{rel}: <link {e.attrs}>")
    for css in built.guide.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        loads += [f"{css.name}: {m}" for m in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", text)]
        loads += [f"{css.name}: {m}" for m in re.findall(r"@import\s+['\"]((?:https?:)?//[^'\"]+)", text)]
    assert loads == []


def test_every_page_carries_the_csp_and_nothing_it_would_block(built: Built) -> None:
    for rel, page in built.pages.items():
        metas = [e for e in page.elements if e.tag == "meta" and e.attrs.get("http-equiv", "").lower() == "content-security-policy"]
        assert [m.attrs["content"] for m in metas] == [GUIDE_CSP], rel
        head = [e for e in page.elements if e.tag not in ("html", "head")]
        assert head[0] is metas[0], f"{rel}: the CSP must come first in <head>, before any link or script"
        assert page.inline_scripts == [], f"{rel}: inline script {page.inline_scripts[:1]}"
        assert not [e for e in page.elements if e.tag == "style" or "style" in e.attrs], f"{rel}: inline style"
        assert not [e for e in page.elements if any(a.startswith("on") for a in e.attrs)], f"{rel}: inline handler"


def test_guide_csp_is_the_sites(built: Built) -> None:
    from sitebuild.site.pages import SITE_CSP

    assert GUIDE_CSP == SITE_CSP


# ---------------------------------------------------------------- comparisons and the author guide


def _section_hrefs(page: Page, heading: str) -> set[str]:
    """hrefs of the links between the h2 `heading` and the next h2."""
    inside, out = False, set()
    for e in page.elements:
        if e.tag == "h2":
            inside = e.text.strip().startswith(heading)
        elif inside and e.tag == "a" and "headerlink" not in e.attrs.get("class", ""):
            out.add(e.attrs.get("href", ""))
    return out


@pytest.mark.parametrize("old,new", [
    ("qinghai-zhuanji-2021", "xining-zhuanji-2021"),
    ("hunan-shiye-2023", "hunan-college-shiye-2023"),
    ("hunan-shiye-2021", "hunan-shiye-2023"),
])
def test_difference_pages_list_added_removed_changed(built: Built, old: str, new: str) -> None:
    page = built.page(f"compare/{old}--{new}/index.html")
    a, b = built.catalog.resolve(old).rules, built.catalog.resolve(new).rules
    for section in SECTIONS:
        ea = {e.id: e for e in getattr(a, section)}
        eb = {e.id: e for e in getattr(b, section)}
        for entry_id in eb.keys() - ea.keys():
            assert f"../../{new}/#{section}-{entry_id}" in _section_hrefs(page, "新增的条目"), (section, entry_id)
        for entry_id in ea.keys() - eb.keys():
            assert f"../../{old}/#{section}-{entry_id}" in _section_hrefs(page, "删除的条目"), (section, entry_id)
        changed = {i for i in ea.keys() & eb.keys() if ea[i] != eb[i]}
        hrefs = _section_hrefs(page, "变化的条目")
        for entry_id in changed:
            assert f"../../{new}/#{section}-{entry_id}" in hrefs, (section, entry_id)
        unchanged = (ea.keys() & eb.keys()) - changed
        for entry_id in unchanged:
            assert f"../../{new}/#{section}-{entry_id}" not in hrefs


def test_overview_compares_every_rule_set(built: Built) -> None:
    page = built.page("compare/index.html")
    hrefs = {e.attrs.get("href") for e in page.elements if e.tag == "a"}
    for rs in built.catalog.all():
        assert f"../{rs.id}/" in hrefs
        # Every requirement's figure is shown: a rule set needs no total (a cycle-only one has none).
        for req in built.catalog.resolve(rs.id).rules.requirements:
            if req.categories is None:
                assert f"{req.hours:g}" in page.text, (rs.id, req.id)


def test_field_reference_covers_every_model_field(built: Built) -> None:
    from pydantic import BaseModel

    from calculator.models.rules import RuleSet

    page = built.page("authors/reference/index.html")
    models: list[type[BaseModel]] = [RuleSet]
    for model in models:  # grows while iterating: every model a rule file can contain
        assert f"model-{model.__name__.lower()}" in page.ids, model.__name__
        for name, info in model.model_fields.items():
            assert name in page.text, (model.__name__, name)
            if info.description:
                assert info.description in page.text
            for sub in re.findall(r"calculator\.rules_model\.(\w+)", repr(info.annotation)):
                import calculator.models.rules as rm

                cls = getattr(rm, sub)
                if isinstance(cls, type) and issubclass(cls, BaseModel) and cls not in models:
                    models.append(cls)
    assert {m.__name__ for m in models} <= set(MODEL_TITLES)


def test_author_guide_explains_validation_and_schema(built: Built) -> None:
    page = built.page("authors/index.html")
    for words in ("python -m calculator validate", "python -m calculator examples", "yaml-language-server", "extends"):
        assert words in page.text
    hrefs = {e.attrs.get("href") for e in page.elements if e.tag == "a"}
    assert {"../schema/ruleset.schema.json", "../schema/case.schema.json"} <= hrefs


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_build_is_deterministic(built: Built, tmp_path: Path) -> None:
    # Same bytes from the same rules. Its speed is the benchmark's business, not a test's: on
    # the busy 2-core machine the build took 56 s once where it takes 14 s alone.
    build_guides(RULES, tmp_path / "guide")
    assert _digest(tmp_path / "guide") == _digest(built.guide)


def test_the_build_refuses_pages_the_csp_would_break(tmp_path: Path) -> None:
    """The build's own check (run on every build) catches what a theme update could bring."""
    from sitebuild.guides.build import offline_problems

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<html><head><script>var x = 1</script><script id="__config" type="application/json">{}</script>'
        '<link rel="stylesheet" href="https://fonts.example/css"><script src="//cdn.example/x.js"></script></head>'
        '<body><p style="color:red" onclick="go()">x</p><a href="/assets/x.css">root-relative</a>'
        '<a href="https://example.org/">a link, not a load</a></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "x.css").write_text("@import 'https://fonts.example/x.css'; b { background: url(//x.example/i.png) }")
    problems = offline_problems(tmp_path)
    expected = ["内联 <script>", "fonts.example/css", "cdn.example/x.js", "style=", "内联事件处理程序",
                "/assets/x.css", "fonts.example/x.css", "x.example/i.png"]
    assert len(problems) == len(expected), problems
    for words in expected:
        assert any(words in p for p in problems), words
    assert not any("example.org" in p for p in problems)  # a link is not a load


# ---------------------------------------------------------------- original notices (issue #15)


def _passage_text(page: Page, number: str) -> str:
    return "".join(e.text for e in page.elements if e.tag == "mark" and e.attrs.get("data-passage") == number)


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_source_text_has_its_page_with_numbered_paragraphs(built: Built) -> None:
    texts = sorted(p.stem for p in (RULES / "sources").glob("*.txt"))
    for stem in texts:
        page = built.page(f"sources/{stem}/index.html")
        original = (RULES / "sources" / f"{stem}.txt").read_text(encoding="utf-8")
        paragraphs = [e for e in page.elements if e.tag == "p" and e.attrs.get("id", "").startswith("p-")]
        assert len(paragraphs) == len([b for b in re.split(r"\n\s*\n", original) if b.strip()])
        # the full text, nothing left out (white space aside)
        assert _squashed(original) in _squashed("".join(re.sub(r"^\d+", "", p.text.strip()) for p in paragraphs))


def test_every_citation_links_to_a_highlighted_passage_holding_its_quote(built: Built) -> None:
    checked = 0
    for rs in built.catalog.all():
        resolved = built.catalog.resolve(rs.id)
        for section in SECTIONS:
            for entry in getattr(rs, section):
                cites = [getattr(entry, "citation", None), getattr(entry, "evidence_citation", None)]
                if getattr(entry, "alternative", None) is not None:
                    cites.append(entry.alternative.citation)
                for cite in filter(None, cites):
                    source = resolved.sources[cite.source]
                    if source.text_file is None:
                        continue
                    rule_page = built.rule_page(rs.id)
                    links = [e.attrs["href"] for e in rule_page.elements
                             if e.tag == "a" and e.text == "在原文中查看"]
                    stem = Path(source.text_file).stem
                    mine = [h for h in links if h.startswith(f"../sources/{stem}/#passage-")]
                    matching = [h for h in mine
                                if _squashed(cite.quote) in _squashed(
                                    _passage_text(built.page(f"sources/{stem}/index.html"), h.rsplit("-", 1)[1]))]
                    assert matching, f"{rs.id} {section}/{entry.id}: no link to a passage holding {cite.quote!r}"
                    target = built.page(f"sources/{stem}/index.html")
                    anchor = matching[0].split("#", 1)[1]
                    assert anchor in target.ids
                    marked = next(e for e in target.elements if e.attrs.get("id") == anchor)
                    # a <mark>, or the block around a passage that crosses a paragraph break
                    assert (marked.tag, marked.attrs["class"]) in {("mark", "xs-passage"), ("div", "xs-passage-run")}
                    # and back: the passage lists this entry
                    back = f"../../{rs.id}/#{section}-{entry.id}"
                    assert any(e.tag == "a" and e.attrs.get("href") == back for e in target.elements), back
                    checked += 1
    assert checked > 50


class _Highlighted(HTMLParser):
    """The highlighted text (inside `mark.xs-passage`) within the element whose id is `anchor`:
    what a person sees marked where a link to `#anchor` lands."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self, anchor: str) -> None:
        super().__init__(convert_charrefs=True)
        self.anchor = anchor
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside the target, inside a mark)
        self.found = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = {k: v or "" for k, v in attrs}
        inside, marked = self.stack[-1][1:] if self.stack else (False, False)
        if a.get("id") == self.anchor:
            inside, self.found = True, True
        marked = marked or (tag == "mark" and "xs-passage" in a.get("class", ""))
        self.stack.append((tag, inside, marked))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1] and self.stack[-1][2]:
            self.text += data


def _landing(built: Built, href_from_rule_page: str) -> tuple[bool, str]:
    path, _, anchor = href_from_rule_page.removeprefix("../").partition("#")
    reader = _Highlighted(anchor)
    reader.feed((built.site / "guide" / path / "index.html").read_text(encoding="utf-8"))
    return reader.found, reader.text


def _quote_links(page: Page) -> list[tuple[str, str]]:
    """(quote, href of its “在原文中查看” link) for every quoted passage on a rule set page."""
    pairs: list[tuple[str, str]] = []
    quote: list[str] | None = None
    for e in page.elements:
        classes = e.attrs.get("class", "").split()
        if e.tag == "div" and "xs-source" in classes:
            quote = []
        elif quote is not None and e.tag == "p" and not classes:
            quote.append(e.text)
        elif quote is not None and e.tag == "a" and e.text == "在原文中查看":
            pairs.append(("".join(quote), e.attrs["href"]))
            quote = None
    return pairs


def test_every_citation_link_lands_on_a_highlighted_run_holding_the_whole_quote(built: Built) -> None:
    """Issue #21, item 6: the element a link lands on (`#passage-<k>`) holds the whole quote
    in its highlighted text, also where the notice's layout breaks the quoted sentence
    across paragraphs (white space ignored, as the validator compares quotes)."""
    links, short = 0, []
    for rs in built.catalog.all():
        for quote, href in _quote_links(built.rule_page(rs.id)):
            links += 1
            found, marked = _landing(built, href)
            if not found or _squashed(quote) not in _squashed(marked):
                short.append(f"{rs.id}: {href} holds {marked!r}, not all of {quote!r}")
    assert links >= 190  # every quote of every rule set page with a text (194 when written)
    assert short == [], f"{len(short)} of {links} links land on part of their quote:\n" + "\n".join(short)


def test_the_calculator_gets_a_passage_link_for_every_quote(built: Built) -> None:
    from sitebuild.guides.sources import SourceIndex

    links = SourceIndex.build(built.catalog, RULES / "sources").quote_links(built.catalog)
    for rs in built.catalog.all():
        resolved = built.catalog.resolve(rs.id)
        for section in SECTIONS:
            for entry in getattr(resolved.rules, section):
                cite = getattr(entry, "citation", None)
                if cite is None or resolved.sources[cite.source].text_file is None:
                    continue
                href = links[f"{resolved.sources[cite.source].name}\n{_squashed(cite.quote)}"]
                path, _, anchor = href.partition("#")
                assert anchor in built.page(path + "index.html").ids


# ---------------------------------------------------------------- coverage and provenance (issue #21)


def _rows(page: Page) -> list[Element]:
    return [e for e in page.elements if e.tag == "tr"]


def _hrefs(element_text_page: Page) -> set[str]:
    return {e.attrs.get("href", "") for e in element_text_page.elements if e.tag == "a"}


def test_home_page_shows_coverage_by_province(built: Built) -> None:
    from calculator.engine.provenance import source_refs
    from calculator.engine.words import frame_coverage_note, span_text

    home = built.page("index.html")
    assert "coverage" in home.ids
    rows = _rows(home)
    for rs in built.catalog.all():
        row = next((r for r in rows if f"{rs.id}/" in r.text or rs.title in r.text), None)
        assert row is not None, rs.id
        province = next(p for p in built.catalog.places.lineage(built.catalog.place_of(rs.jurisdiction.code).code)
                        if p.level in ("province", "national"))
        refs, _ = source_refs(built.catalog.resolve(rs.id))
        for words in (province.name, rs.jurisdiction.name, rs.regime_name, rs.last_checked.isoformat(),
                      span_text(rs.year, rs.last_year, rs.standing, rs.period_years), refs[0].kind_name):
            assert words in row.text, (rs.id, words, row.text)
    assert {f"{rs}/" for rs in built.catalog.ids()} <= _hrefs(home)
    # Provinces without a rule set of their own are said to be answered by the national frame.
    places = built.catalog.places
    for regime, name in (("zhuanji", "专业技术人员继续教育"), ("shiye", "事业单位工作人员培训")):
        national = next(rs for rs in built.catalog.all() if rs.jurisdiction.code == "national" and rs.regime == regime)
        block = next(e for e in home.elements if e.attrs.get("id") == f"coverage-frame-{regime}")
        assert frame_coverage_note(name, "国家") in home.text
        own = {built.catalog.place_of(rs.jurisdiction.code).code for rs in built.catalog.all() if rs.regime == regime}
        own_provinces = {p.code for c in own for p in places.lineage(c) if p.level == "province"}
        without = [p for p in places.all() if p.level == "province" and p.code not in own_provinces]
        assert without
        for p in without:
            assert p.name in block.text, (regime, p.name)
        for code in own_provinces & {p.code for p in places.all() if p.level == "province"}:
            if code in {rs.jurisdiction.code for rs in built.catalog.all() if rs.regime == regime}:
                assert places.get(code).name not in block.text, (regime, code)
        assert national.title in block.text


def test_every_rule_page_shows_the_provenance_of_its_texts(built: Built) -> None:
    from calculator.engine.provenance import source_refs
    from calculator.engine.words import PROVENANCE_LABELS

    for rs in built.catalog.all():
        page = built.rule_page(rs.id)
        assert "provenance" in page.ids, rs.id
        box = next(e for e in page.elements if e.attrs.get("id") == "provenance-box")
        refs, cautions = source_refs(built.catalog.resolve(rs.id))
        for caution in cautions:
            assert caution in box.text, (rs.id, caution)
        assert rs.last_checked.isoformat() in box.text
        source_of = {s.id: s for s in built.catalog.resolve(rs.id).rules.sources}
        for ref in refs:
            prov = source_of[ref.id].provenance
            for words in (ref.issuer, ref.date, ref.kind_name, ref.name, *(ref.urls),
                          *([ref.retrieved] if ref.retrieved else []), *([ref.missing] if ref.missing else []),
                          *([prov.disagreements] if prov and prov.disagreements else []),
                          *([prov.via] if prov and prov.via else [])):
                assert " ".join(words.split()) in " ".join(page.text.split()), (rs.id, ref.id, words)
            assert set(ref.urls) <= _hrefs(page), (rs.id, ref.urls)
        assert PROVENANCE_LABELS["kind"] in page.text


def test_the_navigation_groups_rule_sets_by_province_names() -> None:
    """Each group of the guides' 规则集 menu is a province (or the nation) by its name in the
    place registry, also for a city whose province has no rule set of its own (青岛 in 山东省)."""
    from sitebuild.guides.build import navigation
    from sitebuild.guides.context import GuideContext

    ctx = GuideContext(load_catalog(RULES), "../")
    places = ctx.catalog.places
    assert places is not None
    tops = {p.name for p in places.all() if p.level in ("province", "national")}
    (groups,) = [item["规则集"] for item in navigation(ctx) if "规则集" in item]
    names = [next(iter(group)) for group in groups]
    assert names and set(names) <= tops, names
    assert len(names) == len(set(names))  # one group per province
    assert names[0] == places.get("national").name  # the national frame first, then the registry's order


def test_author_guide_explains_what_the_frame_work_added(built: Built) -> None:
    """provenance, share, standing, questions/applies_when, reductions and places (issue #21)."""
    page = built.page("authors/index.html")
    assert "provenance" in page.ids
    for words in ("provenance", "依据转载文本，请以发文机关公布的原文为准", "share:", "fraction", "standing: true",
                  "questions", "applies_when", "reductions", "complement", "rules/places.json", "jurisdiction.code"):
        assert words in page.text, words
    assert "按比例减免的要求" not in page.text  # no longer a limit: reductions
