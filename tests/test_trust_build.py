"""Trust, checked on the built site and the documents (no browser): one Content-Security-Policy
on every page and in the README, nothing loaded from another host, no analytics, the privacy
promise written where people read it, the offline cache list, and a fixture for every
released format of the saved state. Issue #7; the browser side is tests/browser/test_trust.py.
"""

from __future__ import annotations

import gzip
import json
import re
import zipfile
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

import build as build_script
import brotli
import zstandard

from sitebuild.site.offline import GUIDE_PAGES_NAME, SHELL_BUDGET_BYTES, SKIPPED_SUFFIXES, SW_NAME, on_disk
from sitebuild.site.precompress import candidates
from sitebuild.site.security import SECURITY_HEADERS, SITE_CSP
from sitebuild.site import serve as serve_module
from sitebuild.site.serve import serve

if TYPE_CHECKING:
    from calculator.engine.resolve import Catalog

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIXTURES = ROOT / "tests" / "fixtures" / "storage"

# Tags and attributes through which a page loads something (an <a href> only navigates).
LOADING_ATTRS = {
    ("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
    ("source", "src"), ("source", "srcset"), ("audio", "src"), ("video", "src"), ("video", "poster"),
    ("embed", "src"), ("object", "data"), ("track", "src"), ("input", "src"), ("form", "action"),
}
ANALYTICS = re.compile(
    r"googletagmanager|google-analytics|gtag\(|hm\.baidu\.com|cnzz\.com|umami|plausible\.io|matomo|"
    r"sentry|clarity\.ms|fonts\.googleapis|fonts\.gstatic|font\.im|bootcdn|staticfile\.org|cdnjs|unpkg\.com|jsdelivr",
    re.IGNORECASE,
)
ABSOLUTE = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}""", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site  # the session's build (tests/conftest.py), shared with the browser tests


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.csp: list[str] = []
        self.loads: list[tuple[str, str, str]] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.styles = 0
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(a.get("content", ""))
        for name, value in a.items():
            if (tag, name) in LOADING_ATTRS and value:
                self.loads.append((tag, name, value))
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name == "style":
                self.styles += 1
        if tag == "script":
            self._in_script = not a.get("src") and a.get("type", "") not in ("application/json", "application/ld+json")
        if tag == "style":
            self.styles += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1
        self.text.append(data)


def scan(path: Path) -> _Scan:
    s = _Scan()
    s.feed(path.read_text(encoding="utf-8"))
    return s


# ---------------------------------------------------------------- Content-Security-Policy


def test_the_policy_is_strict() -> None:
    parts = dict(p.strip().split(" ", 1) for p in SITE_CSP.split(";"))
    assert parts["default-src"] == "'self'"
    assert parts["script-src"] == "'self' 'wasm-unsafe-eval'"  # never 'unsafe-eval' or 'unsafe-inline'
    assert parts["worker-src"] == "'self'"
    assert parts["object-src"] == "'none'"
    assert "unsafe-inline" not in SITE_CSP and "'unsafe-eval'" not in SITE_CSP and "*" not in SITE_CSP


def test_every_page_carries_the_policy_and_no_inline_script(site: Path) -> None:
    found = pages(site)
    names = {p.relative_to(site).as_posix() for p in found}
    assert {"index.html", "batch.html", "studio.html", "guide/index.html"} <= names
    for path in found:
        s = scan(path)
        rel = path.relative_to(site)
        assert s.csp == [SITE_CSP], rel
        assert s.inline_scripts == 0, f"{rel}: inline <script>"
        assert not s.handlers, f"{rel}: event-handler attributes {s.handlers}"
        assert s.styles == 0, f"{rel}: inline style"


def test_the_readme_gives_servers_the_same_headers() -> None:
    block = re.search(r"```\n\s*(Content-Security-Policy:.*?)\n\s*```", README, re.S)
    assert block, "README: the header block of 在单位内网部署 is missing"
    headers = dict(line.strip().split(": ", 1) for line in block.group(1).strip().splitlines())
    assert headers == SECURITY_HEADERS
    nginx = dict(re.findall(r'add_header ([\w-]+) "?(.*?)"? always;', README))
    assert nginx == SECURITY_HEADERS


def test_build_py_serve_sends_the_headers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict = {}

    class Ctx:
        out = tmp_path

    class Server:
        url = "http://127.0.0.1:1/"

        def wait_until_interrupted(self) -> None:
            seen["served"] = True

    def fake_serve(root, **kw):
        seen.update(kw)
        return Server()

    monkeypatch.setattr(build_script, "build_site", lambda *a, **k: Ctx())
    monkeypatch.setattr(build_script, "serve", fake_serve)
    assert build_script.main(["serve", "--port", "0"]) == 0
    assert seen["headers"] == SECURITY_HEADERS and seen["served"]


def test_a_served_site_stops_on_ctrl_c(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Event:
        def wait(self) -> None:
            raise KeyboardInterrupt

    server = serve(tmp_path)
    monkeypatch.setattr(serve_module.threading, "Event", Event)  # after the server's own thread started
    server.wait_until_interrupted()
    with pytest.raises(OSError):  # the socket is closed
        urllib.request.urlopen(server.url, timeout=2)


def test_a_stopped_server_answers_nothing_on_a_connection_kept_alive(tmp_path: Path) -> None:
    """The offline browser tests stop the server to take the network away: a connection the
    browser kept open (HTTP/1.1 keep-alive) must not go on answering."""
    import http.client

    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    server = serve(tmp_path)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        connection.request("GET", "/index.html")
        first = connection.getresponse()
        assert first.status == 200 and first.read() == b"<p>x</p>"
        server.stop()
        with pytest.raises((OSError, http.client.HTTPException)):
            connection.request("GET", "/index.html")
            connection.getresponse()
    finally:
        connection.close()
        server.stop()


# ---------------------------------------------------------------- nothing from elsewhere


def test_pages_load_nothing_from_another_host(site: Path) -> None:
    for path in pages(site):
        for tag, attr, value in scan(path).loads:
            for url in value.split(","):
                parts = urlsplit(url.strip().split(" ")[0])
                assert not parts.scheme or parts.scheme == "data", f"{path.relative_to(site)}: <{tag} {attr}={value}>"
                assert not parts.netloc, f"{path.relative_to(site)}: <{tag} {attr}={value}>"


def test_the_tool_pages_carry_their_icon_inline(site: Path) -> None:
    """A linked icon is fetched again after each address change and cancelled by the next
    navigation (a flaky test): the pages that change their address carry it as data."""
    for name in ("index.html", "batch.html", "studio.html"):
        html = (site / name).read_text(encoding="utf-8")
        icons = re.findall(r'<link rel="icon" href="([^"]*)"', html)
        assert len(icons) == 1 and icons[0].startswith("data:image/svg+xml,"), (name, icons)


def test_stylesheets_and_own_scripts_name_no_other_host(site: Path) -> None:
    own = [*(site / "static").rglob("*.js"), *(site / "static").rglob("*.css"), site / SW_NAME,
           *(site / "guide" / "assets" / "stylesheets").rglob("*.css"),
           *(site / "guide" / "assets" / "javascripts").glob("xueshi-*.js")]
    assert len(own) > 10
    for path in own:
        text = path.read_text(encoding="utf-8")
        code = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)  # comments may name hosts
        hits = [m for m in ABSOLUTE.findall(code) if "127.0.0.1" not in m and "localhost" not in m]
        assert not hits, f"{path.relative_to(site)}: {hits}"
    for css in site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8"))
        assert not [u for u in urls if ABSOLUTE.match(u)], css.relative_to(site)


def test_no_analytics_fonts_or_cdn_in_any_page(site: Path) -> None:
    for path in pages(site):
        text = path.read_text(encoding="utf-8")
        assert not ANALYTICS.search(text), f"{path.relative_to(site)}: {ANALYTICS.search(text).group()}"


# ---------------------------------------------------------------- the promise, in words


def test_the_readme_and_the_guides_say_where_the_data_stays(site: Path) -> None:
    privacy = README.split("## 隐私", 1)[1].split("\n## ", 1)[0]
    for words in ("只向提供它的服务器请求", "没有统计", "外部字体或脚本", "本机浏览器", "#", "不会发送给服务器"):
        assert words in privacy, words
    home = "".join(scan(site / "guide" / "index.html").text)
    for words in ("不会发送到任何服务器", "不使用任何统计", "不从其他网站加载", "只保存在本机浏览器", "# 之后"):
        assert words in home, words
    calculator = "".join(scan(site / "index.html").text)
    assert "只保存在本机浏览器" in calculator and "不会发送给服务器" in calculator


# ---------------------------------------------------------------- offline cache


def test_the_service_worker_caches_what_the_pages_need(site: Path) -> None:
    sw = (site / SW_NAME).read_text(encoding="utf-8")
    assert "__VERSION__" not in sw and "__PRECACHE__" not in sw and "__GUIDE__" not in sw
    listed = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", sw, re.S).group(1))
    assert listed[0] == "./" and {"index.html", "batch.html", "studio.html"} <= set(listed)
    for rel in listed[1:]:
        assert on_disk(site, rel).is_file(), rel
    needed = {p.relative_to(site).as_posix() for folder in ("static", "data", "pyodide")
              for p in (site / folder).rglob("*") if p.is_file() and not p.name.endswith(SKIPPED_SUFFIXES)}
    assert needed <= set(listed)
    # The guides' shell (issue #24): what every guide page loads, the home page, and the page
    # shown offline for a page not kept; no page of a rule set, no original notice.
    guide = [p for p in listed if p.startswith("guide/")]
    assert [p for p in guide if not p.startswith("guide/assets/")] == ["guide/", "guide/offline/"]
    assert "guide/assets/javascripts/workers/xueshi-search.js" in guide
    assert any(re.fullmatch(r"guide/assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", p) for p in guide)
    assert any(re.fullmatch(r"guide/assets/javascripts/bundle\.[0-9a-f]+\.min\.js", p) for p in guide)
    assert not [p for p in listed if p.startswith(("guide/assets/javascripts/lunr/", "guide/schema/", "guide/search/"))]
    guide_bytes = sum(on_disk(site, p).stat().st_size for p in guide)
    assert 0 < guide_bytes <= SHELL_BUDGET_BYTES
    offline = README[README.index("离线使用："):]
    assert f"固定的预算 {SHELL_BUDGET_BYTES // 1_000_000} MB" in offline  # stated where deployers read
    assert not [p for p in listed if p.endswith(".gz")]  # pre-compressed siblings are never requested
    # Where the worker finds each rule set's pages, and the page for one not kept.
    guide_config = json.loads(re.search(r"const GUIDE = (\{.*?\});", sw).group(1))
    assert guide_config == {"pages": GUIDE_PAGES_NAME, "missing": "guide/offline/", "root": "guide/",
                            "search": "guide/search/search_index.json"}
    assert on_disk(site, guide_config["search"]).is_file() and on_disk(site, guide_config["missing"]).is_file()


def test_every_guide_page_is_kept_on_demand_with_its_rule_set(site: Path, catalog: Catalog) -> None:
    """Each rule set's group: its own page first, the pages of the rule sets it extends, and
    every original notice it quotes (the calculator's citation links go there). Every other
    guide page is kept when opened: the groups and the shell together cover the pages a
    rule set's citations lead to."""
    kept = json.loads((site / GUIDE_PAGES_NAME).read_text(encoding="utf-8"))
    assert kept["format"] == "xueshi.guide-pages/1"
    assert sorted(kept["rule_sets"]) == sorted(catalog.ids())
    forms = json.loads(next((site / "data").glob("forms.*.json")).read_text(encoding="utf-8"))
    for rule_set_id, pages in kept["rule_sets"].items():
        assert pages[0] == f"guide/{rule_set_id}/"
        assert len(set(pages)) == len(pages)
        for rel in pages:
            assert on_disk(site, rel).is_file(), rel
        resolved = catalog.resolve(rule_set_id)
        assert {f"guide/{i}/" for i in resolved.chain} <= set(pages)
        numbers = {source.number for source in resolved.sources.values()}
        for key, href in forms["passages"].items():  # the citation links the calculator shows
            if key.split("\n")[0] in numbers:
                assert "guide/" + href.split("#")[0] in pages, (rule_set_id, href)


# ---------------------------------------------------------------- pre-compressed files


DECODERS = {
    ".gz": gzip.decompress,
    ".br": brotli.decompress,
    ".zst": lambda data: zstandard.ZstdDecompressor().decompress(data),
}


def test_every_compressible_file_has_identical_compressed_siblings(site: Path) -> None:
    files = candidates(site)
    assert site / "pyodide" / "pyodide.asm.wasm" in files
    for path in files:
        for suffix, decode in DECODERS.items():
            sibling = path.with_name(path.name + suffix)
            if sibling.exists():
                assert decode(sibling.read_bytes()) == path.read_bytes(), sibling
            else:  # only a file gzip would barely shrink goes without
                assert len(gzip.compress(path.read_bytes(), 9)) > 0.9 * path.stat().st_size, sibling
    wasm = site / "pyodide" / "pyodide.asm.wasm"
    sizes = {suffix: wasm.with_name(wasm.name + suffix).stat().st_size for suffix in DECODERS}
    assert sizes[".br"] < sizes[".zst"] < sizes[".gz"] < wasm.stat().st_size
    assert (site / "index.html.br").exists()
    # The runtime's archives are stored uncompressed, so they get siblings too.
    stdlib = site / "pyodide" / "python_stdlib.zip"
    assert stdlib.with_name(stdlib.name + ".br").exists()
    assert {i.compress_type for i in zipfile.ZipFile(stdlib).infolist()} == {zipfile.ZIP_STORED}
    for suffix in DECODERS:  # no stray sibling lacks its original
        for sibling in site.rglob("*" + suffix):
            assert sibling.with_suffix("").is_file(), sibling


@pytest.mark.parametrize(
    ("accept", "encoding", "suffix"),
    [
        ("gzip, deflate, br, zstd", "br", ".br"),  # what Chromium sends: the smallest
        ("gzip, zstd", "zstd", ".zst"),
        ("gzip", "gzip", ".gz"),
        ("gzip, br;q=0", "gzip", ".gz"),  # q=0 refuses a coding
        ("identity", None, ""),
    ],
)
def test_the_server_sends_the_best_prebuilt_sibling_the_browser_accepts(
    site: Path, accept: str, encoding: str | None, suffix: str
) -> None:
    wasm = site / "pyodide" / "pyodide.asm.wasm"
    with serve(site, gzip=True) as server:
        request = urllib.request.Request(server.url + "pyodide/pyodide.asm.wasm", headers={"Accept-Encoding": accept})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == encoding
            assert response.headers["Content-Type"] == "application/wasm"
            body = response.read()
    assert body == wasm.with_name(wasm.name + suffix).read_bytes()


# ---------------------------------------------------------------- saved-state formats


def test_a_fixture_for_every_released_storage_format() -> None:
    source = (ROOT / "site" / "static" / "js" / "storage.js").read_text(encoding="utf-8")
    current = int(re.search(r"export const STORAGE_VERSION = (\d+);", source).group(1))
    for version in range(1, current + 1):
        path = FIXTURES / f"v{version}.json"
        assert path.is_file(), f"save a real record of format {version} as {path}"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["version"] == version and data["draft"]["activities"]
    for version in range(1, current):
        assert re.search(rf"MIGRATIONS\[{version}\]|\b{version}: ", source), f"no migration from format {version}"


def _iter_json_depth(value: object, depth: int = 0) -> Iterator[int]:
    yield depth
    if isinstance(value, dict):
        for v in value.values():
            yield from _iter_json_depth(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from _iter_json_depth(v, depth + 1)


def test_real_files_stay_far_below_the_nesting_limit() -> None:
    """worker.js refuses JSON nested deeper than MAX_DEPTH before Python sees it."""
    worker = (ROOT / "site" / "static" / "worker.js").read_text(encoding="utf-8")
    limit = int(re.search(r"const MAX_DEPTH = (\d+);", worker).group(1))
    record = json.loads((FIXTURES / "v1.json").read_text(encoding="utf-8"))
    assert max(_iter_json_depth(record)) * 5 < limit
