"""The pages' scripts as built: one bundle per page, versioned imports, immutable caching
(sitebuild/site/bundles.py, sitebuild/site/modules.py, sitebuild/site/serve.py).

A return visit must not revalidate the page's modules one import level after another (issue #22:
the answer kept from the last visit waited for a dozen round trips), and the first visit's bytes
must stay within budget: each page is one bundle, what remains separate (the worker's import)
carries the build's version, and the server sends such URLs `immutable`.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest

from sitebuild.site.modules import static_imports, version_imports
from sitebuild.site.serve import is_versioned, serve

IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}/[^"']+)["']""", re.M)


def _page_version(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    match = re.search(r'src="static/[\w/]+\.js\?v=(\w+)"', html)
    assert match, f"{page}: no versioned entry script"
    return match[1]


def test_imports_inside_static_get_the_version_and_others_do_not(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    for name in ("js/a.js", "js/b.js", "c.js"):
        (static / name).write_text("", encoding="utf-8")
    text = (
        'import "./b.js";\nimport { x } from "../c.js";\nconst m = import("../../pyodide/pyodide.mjs");\n'
        "import { y } from './missing.js';\n/** @param {import(\"./b.js\").B} b */\n"
    )
    out = version_imports(text, PurePosixPath("js/a.js"), static, "abc123")
    assert 'import "./b.js?v=abc123";' in out
    assert 'from "../c.js?v=abc123";' in out
    assert 'import("../../pyodide/pyodide.mjs")' in out  # leaves static/: the runtime has its own versions
    assert "'./missing.js'" in out  # no such file: left alone, the browser reports it
    assert static_imports(static, "js/a.js") == []  # nothing written in a.js itself


def test_the_import_graph_is_followed_and_comments_are_no_imports(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    (static / "app.js").write_text('import "./js/a.js";\n// import "./js/never.js";\n', encoding="utf-8")
    (static / "js/a.js").write_text(
        'import { b } from "./b.js";\n/* import "./c.js" */\nexport const later = () => import("./c.js");\n',
        encoding="utf-8",
    )
    (static / "js/b.js").write_text('export { a } from "./a.js";\n', encoding="utf-8")
    for name in ("js/c.js", "js/never.js"):
        (static / name).write_text("", encoding="utf-8")
    # a dynamic import is loaded when it runs, not before: not preloaded
    assert static_imports(static, "app.js") == ["js/a.js", "js/b.js"]


@pytest.mark.parametrize("page", ["index.html", "batch.html", "studio.html"])
def test_every_own_import_in_the_built_site_carries_the_pages_version(built_site: Path, page: str) -> None:
    version = _page_version(built_site, page)
    static = built_site / "static"
    unversioned = []
    for path in sorted(static.rglob("*.js")):
        if path.parent.name == "studio" and path.name.startswith("editor."):
            continue  # the editor bundle: one file, named by its content hash
        for spec in IMPORT.findall(path.read_text(encoding="utf-8")):
            target = (path.parent / spec.split("?")[0]).resolve()
            if target.is_relative_to(static.resolve()) and not spec.endswith(f"?v={version}"):
                unversioned.append(f"{path.relative_to(built_site)}: {spec}")
    assert not unversioned


@pytest.mark.parametrize(("page", "entry"), [("index.html", "app.js"), ("batch.html", "batch.js"),
                                             ("studio.html", "studio/studio.js")])
def test_each_page_loads_one_bundle_and_the_modules_only_it_used_are_not_shipped(
    built_site: Path, page: str, entry: str
) -> None:
    html = (built_site / page).read_text(encoding="utf-8")
    assert f'src="static/{entry}?v={_page_version(built_site, page)}"' in html
    bundle = (built_site / "static" / entry).read_text(encoding="utf-8")
    assert not IMPORT.findall(bundle), "the bundle still imports modules of its own"
    source = Path(__file__).parents[1] / "site" / "static"
    used = static_imports(source, entry)
    assert len(used) > 5
    kept = {"snapshot.js"}  # the worker's own import (worker.js is not bundled)
    shipped = [m for m in used if m not in kept and (built_site / "static" / m).exists()]
    assert not shipped
    assert (built_site / "static" / "snapshot.js").is_file()


def test_versioned_urls_are_sent_immutable_and_pages_are_not(built_site: Path) -> None:
    import urllib.request

    assert is_versioned("static/snapshot.js", "v=0123abcd")
    assert not is_versioned("static/snapshot.js", "")
    assert not is_versioned("static/snapshot.js", "view=1")
    version = _page_version(built_site, "index.html")
    with serve(built_site, cache=True) as server:
        def cache_control(path: str) -> str:
            with urllib.request.urlopen(server.url + path) as response:
                return response.headers["Cache-Control"]

        assert "immutable" in cache_control(f"static/snapshot.js?v={version}")
        assert "immutable" not in cache_control("static/snapshot.js")
        assert "immutable" not in cache_control("index.html")


@pytest.mark.parametrize(("page", "entry"), [("index.html", "app.js"), ("batch.html", "batch.js")])
def test_start_js_runs_before_the_page_script(built_site: Path, page: str, entry: str) -> None:
    """Module scripts without `async` run in document order: start.js (which starts the engine's
    worker) always before the page's script, which adopts that worker. An `async` start.js could
    run after the bundle, which then started a worker itself, and start.js a second runtime."""
    html = (built_site / page).read_text(encoding="utf-8")
    modules = re.findall(r"<script ([^>]*)type=\"module\"([^>]*)src=\"static/([^\"?]+)", html)
    names = [src for _, _, src in modules]
    assert names[:1] == ["start.js"] and entry in names, names
    assert not any("async" in before + after for before, after, _ in modules), modules
