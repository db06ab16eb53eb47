"""The policy guides in a real browser (Debian's Chromium): search in Chinese, the CSP,
the light/dark toggle, phone layout, and an example opened in the calculator.

The site is the session's one build (tests/conftest.py), served under a sub-path with the
CSP also sent as a header (the search worker obeys only its own response's policy); the test
that follows an example into the calculator uses the same build.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from calculator.engine.run import run_case
from calculator.rulefiles.loader import all_test_cases, load_catalog
from sitebuild.guides.build import GUIDE_CSP
from sitebuild.site.serve import StaticServer, serve

from ..conftest import RULES
from .calc import Calculator
from .harness import RequestGuard, new_context
from .snapshot_seed import EngineSnapshot, seed_snapshot

SUB_PATH = "/tools/xueshi/"


@pytest.fixture(scope="module")
def guide_site(site_dir: Path) -> Path:
    """The guides as the site build makes them (the session's one build, tests/conftest.py)."""
    return site_dir


@pytest.fixture(scope="module")
def guide_server(guide_site: Path) -> Iterator[StaticServer]:
    with serve(guide_site, base_path=SUB_PATH, headers={"Content-Security-Policy": GUIDE_CSP}) as running:
        yield running


@pytest.fixture
def gcontext(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture
def gguard(gcontext: BrowserContext, guide_server: StaticServer) -> Iterator[RequestGuard]:
    recorder = RequestGuard.attach(gcontext, guide_server.origin)
    yield recorder
    recorder.assert_clean()


@pytest.fixture
def gpage(gcontext: BrowserContext, gguard: RequestGuard) -> Page:
    return gcontext.new_page()


def guide_url(server: StaticServer, path: str = "") -> str:
    return f"{server.url}guide/{path}"


def visit(page: Page, url: str | None = None) -> None:
    """Go to `url` (or reload) and let the page finish loading (the favicon too, which a
    quick next navigation would abort and the guard would count as a failed request)."""
    page.wait_for_load_state("networkidle")
    if url is None:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_load_state("networkidle")


def search(page: Page, term: str) -> None:
    """Type a query and wait for results.

    mkdocs-material reads the query on `keyup` (fill() only fires `input`, hence the End
    key), and a query typed before its worker has built the index is not re-run, so the
    query is typed again until the index answers.
    """
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    for _ in range(40):
        box.fill("")
        box.press("End")
        box.fill(term)
        box.press("End")
        try:
            expect(meta).to_have_text(re.compile(r"\d+ 个符合条件的结果"), timeout=500)
            return
        except AssertionError:
            continue
    raise AssertionError(f"search for {term!r} never answered: {meta.inner_text()!r}")


@pytest.mark.parametrize("term,target", [
    ("免训", "hunan-college-shiye-2023/"),
    ("论文", "xiangxi-zhuanji-2020/#conversions-paper"),
    ("报账", "hunan-college-shiye-2023/"),
    ("援藏", "xiangxi-zhuanji-2020/"),
])
def test_search_finds_chinese_words(gpage: Page, guide_server: StaticServer, term: str, target: str) -> None:
    visit(gpage, guide_url(guide_server))
    search(gpage, term)
    hrefs = gpage.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    path, _, fragment = target.partition("#")
    hits = [h for h in hrefs if f"/guide/{path}" in h and (not fragment or h.endswith("#" + fragment))]
    assert hits, f"{term}: {target} not among the results {hrefs}"
    section_hits = [h for h in hits if re.search(r"[?&]h=[^&#]", h)] or hits
    visit(gpage, section_hits[0])
    expect(gpage.locator("article h1")).to_be_visible()
    if re.search(r"[?&]h=[^&#]", section_hits[0]):
        # search.highlight marks what matched. mkdocs-material's query segmentation may match a
        # two-character word by its first character as a prefix (报账 -> 报*).
        expect(gpage.locator("article mark").first).to_have_text(re.compile("^" + re.escape(term[0])))


# What a policy-office reader types (issue #15): numbers with units, document numbers, amounts,
# names; each with the pages that may rightly come first (a rule set that says it, or the
# original notice's own page).
TYPED_QUERIES = [
    ("40分钟", ("hunan-shiye-2023/", "hunan-college-shiye-2023/", "sources/hunan-2023-college-notice/")),
    ("135学时", ("qinghai-zhuanji-2021/", "xining-zhuanji-2021/")),
    ("144元", ("hunan-college-shiye-2023/", "sources/hunan-2023-college-notice/")),
    ("63号", ("hunan-shiye-2023/", "hunan-college-shiye-2023/", "sources/hunan-2023-college-notice/")),
    ("湘人社函〔2021〕61号", ("hunan-shiye-2021/", "sources/hunan-2021-xiang-ren-she-han-61/")),
    ("法宣在线", ("qinghai-zhuanji-2021/", "xining-zhuanji-2021/", "sources/qinghai-xining-2021-ning-ren-she-ju-fa-227/")),
]


@pytest.mark.parametrize("query,first", TYPED_QUERIES, ids=[q for q, _ in TYPED_QUERIES])
def test_search_finds_what_people_type(gpage: Page, guide_server: StaticServer, query: str,
                                       first: tuple[str, ...]) -> None:
    """Typed as a reader types it, without spaces: the right page comes first, and the
    first result shows the query's figures highlighted."""
    visit(gpage, guide_url(guide_server))
    search(gpage, query)
    top = gpage.locator(".md-search-result__item a").first.evaluate("a => a.href")
    page_path = top.split("/guide/", 1)[1].split("#")[0].split("?")[0]
    assert page_path in first, f"{query}: first result {top}, expected one of {first}"
    # and that page says what was typed, as typed (white space aside)
    text = re.sub(r"<[^>]+>|\s+", "", gpage.context.request.get(top.split("?")[0]).text())
    assert re.sub(r"\s+", "", query) in text, f"{query}: not on {top}"
    figures = re.findall(r"\d+", query)
    if figures:
        marks = gpage.locator(".md-search-result__item").first.locator("mark").all_inner_texts()
        assert any(m == figures[-1] or m.startswith(figures[-1]) for m in marks), (query, marks)


def test_every_page_runs_clean_under_the_csp(gpage: Page, guide_server: StaticServer, guide_site: Path,
                                             gguard: RequestGuard) -> None:
    pages = sorted(p.relative_to(guide_site / "guide").parent.as_posix() for p in (guide_site / "guide").rglob("index.html"))
    assert len(pages) > 10
    for rel in pages:
        visit(gpage, guide_url(guide_server, "" if rel == "." else rel + "/"))
        expect(gpage.locator("article h1")).to_be_visible()
    assert all(u.startswith(guide_server.origin) or u.startswith(("data:", "blob:")) for u in gguard.requests)
    # (the gguard fixture then asserts: no CSP violation, no other host, no console error, no 404)


def test_the_csp_is_enforced(browser: Browser, guide_server: StaticServer) -> None:
    """An injected inline script is refused: the policy is really in force on the page."""
    ctx = new_context(browser)
    try:
        guard = RequestGuard.attach(ctx, guide_server.origin)
        page = ctx.new_page()
        visit(page, guide_url(guide_server, "xiangxi-zhuanji-2020/"))
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.__inline = 1'; document.head.append(s); }""")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.__inline") is None
        assert guard.csp_violations and {v.directive for v in guard.csp_violations} == {"script-src-elem"}
    finally:
        ctx.close()


def test_light_dark_toggle_is_remembered(gpage: Page, guide_server: StaticServer) -> None:
    visit(gpage, guide_url(guide_server, "compare/"))
    body = gpage.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    gpage.locator('label[title="切换到深色模式"]').click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    visit(gpage)  # reload: restored before first paint by xueshi-md-palette.js (the inline snippet's file)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    visit(gpage, guide_url(guide_server))  # and on every page of the guides (same storage scope)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_a_citation_anchor_lands_on_its_entry(gpage: Page, guide_server: StaticServer) -> None:
    visit(gpage, guide_url(guide_server, "xiangxi-zhuanji-2020/#conversions-paper"))
    heading = gpage.locator("#conversions-paper")
    expect(heading).to_be_in_viewport()
    expect(heading).to_contain_text("论文")


@pytest.mark.parametrize("path", ["", "xiangxi-zhuanji-2020/", "compare/", "compare/hunan-shiye-2021--hunan-shiye-2023/",
                                  "authors/reference/"])
def test_phone_width_scrolls_tables_not_the_page(browser: Browser, guide_server: StaticServer, path: str) -> None:
    ctx = new_context(browser, viewport={"width": 375, "height": 740})
    try:
        guard = RequestGuard.attach(ctx, guide_server.origin)
        page = ctx.new_page()
        visit(page, guide_url(guide_server, path))
        expect(page.locator("article h1")).to_be_visible()
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page itself scrolls sideways: {width}"
        wraps = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
            const wrap = t.closest('.md-typeset__scrollwrap');
            return wrap ? getComputedStyle(wrap).overflowX : 'none'; })""")
        assert wraps and set(wraps) == {"auto"}, wraps  # every table scrolls inside its own box
        guard.assert_clean()
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["", "xiangxi-zhuanji-2020/", "national-shiye-2020/"])
def test_axe_finds_nothing_serious_on_guide_pages_with_wide_tables(browser: Browser, guide_server: StaticServer,
                                                                  path: str) -> None:
    """At 375 px the coverage table and a rule page's tables scroll in their own boxes: a
    keyboard user reaches each box (axe 'scrollable-region-focusable'), a screen reader names it."""
    from .axe import axe_source, run_axe, serious_violations

    axe = axe_source()
    for width in (375, 1280):
        ctx = new_context(browser, viewport={"width": width, "height": 740})
        try:
            guard = RequestGuard.attach(ctx, guide_server.origin)
            page = ctx.new_page()
            visit(page, guide_url(guide_server, path))
            expect(page.locator("article table").first).to_be_visible()
            guard.assert_clean()  # before axe, which adds its own <style> elements
            assert serious_violations(run_axe(page, axe)) == [], (path, width)
            # Every box that scrolls is reachable and named; one that does not adds no tab stop.
            boxes = page.evaluate("""() => [...document.querySelectorAll('article .md-typeset__scrollwrap')]
                .map(w => [w.scrollWidth > w.clientWidth, w.getAttribute('tabindex'), w.getAttribute('role'),
                           w.getAttribute('aria-label')])""")
            assert boxes, path
            for scrolls, tabindex, role, name in boxes:
                assert (tabindex, role, bool(name)) == (("0", "region", True) if scrolls else (None, None, False)), boxes
        finally:
            ctx.close()


# ---------------------------------------------------------------- guides + calculator


@pytest.fixture(scope="module")
def full_site(site_dir: Path) -> Path:
    """The whole site (calculator + guides): the session's one build, which has the guides
    step (it used to be built a second and a third time here)."""
    return site_dir


def test_example_link_opens_the_case_in_the_calculator(browser: Browser, full_site: Path,
                                                       engine_snapshot: EngineSnapshot) -> None:
    example = next(e for e in all_test_cases(RULES) if e.rule_set == "xiangxi-zhuanji-2020")
    result = run_case(example.input, load_catalog(RULES)).result
    assert result is not None
    with serve(full_site, base_path=SUB_PATH, headers={"Content-Security-Policy": GUIDE_CSP}) as server:
        ctx = new_context(browser)
        ctx.set_default_timeout(20_000)
        try:
            seed_snapshot(ctx, engine_snapshot, [server.origin])
            guard = RequestGuard.attach(ctx, server.origin)
            page = ctx.new_page()
            visit(page, f"{server.url}guide/xiangxi-zhuanji-2020/#example-1")
            page.locator("#example-1 ~ p a.xs-open-case").first.click()
            calc = Calculator(page, {"catalog": [], "forms": {}})
            calc.wait_engine()
            expect(page.locator("#toolbar-message")).to_contain_text("已导入")
            calc.settle()
            assert page.url.rstrip("/") == server.url.rstrip("/") or page.url.startswith(server.url + "?")
            assert calc.status_label() == result.status_label
            shown = [float(re.sub(r"[^\d.]", "", t)) for t in calc.activity_hours()]
            assert shown == [a.hours for a in result.activities]
            # the result's citations link to the quoted passage in the original notice
            passages = page.locator("a.cite-passage")
            expect(passages.first).to_be_attached()
            assert passages.count() >= 3
            for i in range(passages.count()):
                link = passages.nth(i)
                quote = link.evaluate("a => a.closest('.cite').querySelector('.cite-quote').textContent")
                href = link.evaluate("a => a.href")
                assert "/guide/sources/" in href and "#passage-" in href, href
                marked = _passage_text(page, href)
                assert _squash(quote.strip("“”")) in _squash(marked), (quote, href, marked)
            # and back: the result's citation links into the guides, to the entry's anchor
            cite = page.locator('a.cite-link[href*="guide/xiangxi-zhuanji-2020/#conversions-paper"]').first
            expect(cite).to_be_attached()
            visit(page, cite.evaluate("a => a.href"))
            expect(page.locator("#conversions-paper")).to_be_in_viewport()
            guard.assert_clean()
        finally:
            ctx.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _passage_text(page: Page, href: str) -> str:
    """The text of the passage `href` points at (all its marks: it may cross a paragraph),
    read from the served source page with a request of the page's own context."""
    number = href.rsplit("#passage-", 1)[1]
    html = page.context.request.get(href.split("#")[0]).text()
    marks = re.findall(rf'<mark class="xs-passage"[^>]*data-passage="{number}"[^>]*>(.*?)</mark>', html, re.S)
    return re.sub(r"<[^>]+>", "", "".join(marks))


def test_a_guide_page_opened_online_opens_offline_with_its_notices(browser: Browser, full_site: Path) -> None:
    """One visit to the guides (on localhost with ?sw=1, as HTTPS would) registers the site's
    worker and keeps their shell; a rule set's page opened online keeps itself, the original
    notices it quotes and the search index (issue #24). With the server gone, those open and
    the search works; a page never opened says it was not kept and links back to itself."""
    server = serve(full_site, base_path=SUB_PATH, headers={"Content-Security-Policy": GUIDE_CSP})
    ctx = new_context(browser, service_workers="allow")
    ctx.set_default_timeout(20_000)
    try:
        guard = RequestGuard.attach(ctx, server.origin)
        page = ctx.new_page()
        visit(page, f"{server.url}guide/?sw=1")
        page.locator("html[data-offline='ready']").wait_for(state="attached", timeout=60_000)
        page.locator("html[data-offline-kept='']").wait_for(state="attached")  # the home page: no rule set
        visit(page, f"{server.url}guide/hunan-shiye-2021/")
        page.locator("html[data-offline-kept='hunan-shiye-2021']").wait_for(state="attached")
        guard.assert_clean()
        server.stop()  # the network is gone for real: nothing answers on that port
        for path, heading in [("hunan-shiye-2021/", "湖南"), ("", "政策指南")]:
            page.goto(f"{server.url}guide/{path}")
            expect(page.locator("article h1")).to_contain_text(heading)
        # never opened, kept with the rule set: the notice its citations link to
        page.goto(f"{server.url}guide/sources/hunan-2021-xiang-ren-she-han-61/#passage-4")
        expect(page.locator("#passage-4")).to_be_in_viewport()
        search(page, "144元")
        first = page.locator(".md-search-result__item a").first.evaluate("a => a.href")
        assert "hunan-college" in first, first
        page.goto(first)  # a search result this browser never kept
        expect(page.locator("article h1")).to_have_text(re.compile("这一页还没有存入本机"))
        retry = page.locator("#xs-offline-retry").evaluate("a => a.href")
        assert retry == first.split("#")[0], (retry, first)
        page.goto(f"{server.url}guide/compare/")
        expect(page.locator("article h1")).to_have_text(re.compile("这一页还没有存入本机"))
    finally:
        ctx.close()
        server.stop()


# Check for a new sw.js, wait until the new worker is active (its install fetched what it
# keeps, its activation deleted the older caches), and list the caches left.
UPDATE_WORKER = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const worker = registration.installing || registration.waiting;
  if (worker) await new Promise((resolve) => {
    const done = () => { if (worker.state === "activated") resolve(); };
    worker.addEventListener("statechange", done);
    done();
  });
  return (await caches.keys()).filter((name) => name.startsWith("xueshi-"));
}"""


def test_a_new_version_fetches_again_what_the_old_one_kept(browser: Browser, full_site: Path, tmp_path: Path) -> None:
    """After an update (a new sw.js), the pages kept under the old version are fetched again
    for the new one: offline, the person reads the new text, not nothing and not the old."""
    site = tmp_path / "site"
    shutil.copytree(full_site, site, ignore=shutil.ignore_patterns("*.gz", "*.br", "*.zst"))
    server = serve(site, base_path=SUB_PATH, headers={"Content-Security-Policy": GUIDE_CSP})
    ctx = new_context(browser, service_workers="allow")
    ctx.set_default_timeout(20_000)
    try:
        guard = RequestGuard.attach(ctx, server.origin)
        page = ctx.new_page()
        visit(page, f"{server.url}guide/henan-zhuanji-2021/?sw=1")
        page.locator("html[data-offline-kept='henan-zhuanji-2021']").wait_for(state="attached", timeout=60_000)
        old = page.evaluate("async () => (await caches.keys()).filter((k) => k.startsWith('xueshi-'))")
        assert len(old) == 1, old
        # a new build: another version, in which the kept page says something new
        kept = site / "guide" / "henan-zhuanji-2021" / "index.html"
        kept.write_text(kept.read_text(encoding="utf-8").replace("</h1>", "（新版本）</h1>", 1), encoding="utf-8")
        sw = site / "sw.js"
        sw.write_text(re.sub(r'const VERSION = "[0-9a-f]+";', 'const VERSION = "0123456789ab";',
                             sw.read_text(encoding="utf-8")), encoding="utf-8")
        assert page.evaluate(UPDATE_WORKER) == ["xueshi-0123456789ab"]  # the old cache is gone
        guard.assert_clean()
        server.stop()
        page.goto(f"{server.url}guide/henan-zhuanji-2021/")
        expect(page.locator("article h1")).to_contain_text("（新版本）")
        page.goto(f"{server.url}guide/sources/henan-2021-yu-ren-she-ban-19/")
        expect(page.locator("article h1")).to_contain_text("19号")
    finally:
        ctx.close()
        server.stop()
