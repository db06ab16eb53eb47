"""Site content: the data files the page loads, the rendered pages, the static assets.

Every step takes the `BuildContext` (see `sitebuild.build`) and writes below
``ctx.out``. All URLs written into pages are relative, so the site works from
any static server and under any sub-path.

Data files (content-hashed names, safe to cache forever):

``data/rules.<hash>.json``
    `calculator.rulefiles.loader.rules_payload`: what the worker hands to
    `calculator.doors.browser.init`.
``data/forms.<hash>.json``
    ``{"format": "xueshi.forms/2", "catalog": [...], "passages": {...}, "places": "<JSON>",
    "forms": {id: "<JSON>"}}``: the answers of `calculator.doors.browser.catalog()` and
    `form(id)` for every rule set, computed at build time by the same Python code, so that the
    page can draw the form before Pyodide has started (the rules still never appear in
    JavaScript; results always come from the engine in the worker). The places and each form
    are JSON texts inside the document: the page parses the places in a task of their own and a
    rule set's form only when it is chosen (site/static/js/data.js readForms), so that no
    start-up task is long on a phone (issue #22).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from calculator.doors import browser
from calculator.rulefiles.loader import rules_payload

from ..guides.sources import SourceIndex

# Every page carries this policy as a <meta> tag; servers also send it as a header
# (the worker obeys only the policy of its own response): see sitebuild/site/security.py.
from .modules import version_imports
from .precompress import siblings_cache, smallest_size
from .security import SITE_CSP

if TYPE_CHECKING:
    from ..context import BuildContext

FORMS_FORMAT = "xueshi.forms/2"
HASH_CHARS = 12


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def _write_hashed(out: Path, folder: str, stem: str, text: str) -> str:
    data = text.encode("utf-8")
    rel = f"{folder}/{stem}.{content_hash(data)}.json"
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return rel


def _engine_answer(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not data.get("ok"):
        messages = "；".join(p.get("message", "") for p in data.get("problems", []))
        raise RuntimeError(f"calculator.doors.browser 拒绝了规则数据：{messages}")
    return data


def forms_payload(rules_json: str, passages: dict[str, str] | None = None) -> str:
    """`catalog()` and every `form(id)`, asked of `calculator.doors.browser` as the page would;
    `passages` ("<document number>\\n<quote without white space>" -> the quoted passage's
    URL in the guides) lets the page link each result citation to the original text."""
    answer = _engine_answer(browser.init(rules_json))
    catalog = answer["rule_sets"]
    forms = {rs["id"]: _compact(_engine_answer(browser.form(rs["id"]))) for rs in catalog}
    payload = {"format": FORMS_FORMAT, "catalog": catalog, "places": _compact(answer.get("places", [])),
               "forms": forms, "passages": passages or {}}
    return _compact(payload)


def read_forms_payload(text: str) -> dict[str, Any]:
    """The forms data as the page reads it (site/static/js/data.js readForms): the places and
    every form decoded."""
    data = json.loads(text)
    data["places"] = json.loads(data["places"])
    data["forms"] = {rule_set: json.loads(form) for rule_set, form in data["forms"].items()}
    return data


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_data(ctx: BuildContext) -> None:
    """Step: the rules for the engine and the form specs for the page."""
    assert ctx.catalog is not None, "validate_rules must run first"
    rules_json = rules_payload(ctx.catalog)
    ctx.urls["rules"] = _write_hashed(ctx.out, "data", "rules", rules_json)
    passages = SourceIndex.build(ctx.catalog, ctx.rules_dir / "sources").quote_links(ctx.catalog)
    ctx.urls["forms"] = _write_hashed(ctx.out, "data", "forms", forms_payload(rules_json, passages))


def _static_files(static_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in static_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(static_dir).parts)
    )


def asset_version(static_dir: Path) -> str:
    """One hash over all static files: appended as ``?v=`` so a new build is fetched at once."""
    h = hashlib.sha256()
    for path in _static_files(static_dir):
        h.update(path.relative_to(static_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:HASH_CHARS]


def icon_data_url(static_dir: Path) -> str:
    """The page icon inlined as a ``data:`` URL (the CSP allows ``img-src data:``). As a file,
    Chromium fetches it again after every address change (``history.replaceState``) and the
    next navigation cancels that fetch: a request per change for 238 bytes, and a cancelled
    request in every browser test that leaves a page (found as a flaky test)."""
    svg = (static_dir / "icon.svg").read_text(encoding="utf-8").strip()
    return "data:image/svg+xml," + quote(svg, safe="/:=")


def copy_static(ctx: BuildContext) -> None:
    """Step: ``site/static/`` -> ``out/static/`` (hidden files skipped); the imports between its
    modules carry the build's version (`sitebuild.site.modules`)."""
    source = ctx.site_dir / "static"
    version = asset_version(source)
    for path in _static_files(source):
        rel = path.relative_to(source)
        target = ctx.out / "static" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in (".js", ".mjs"):
            text = version_imports(path.read_text(encoding="utf-8"), PurePosixPath(rel.as_posix()), source, version)
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, target)



def runtime_download(ctx: BuildContext) -> dict[str, float]:
    """What the loading banner says a first visit downloads: the engine's start-up files as a
    compressing server sends them (``download_mb``) and as they are (``runtime_mb``).
    0 and 0 when the build has no runtime (the banner is left out)."""
    if ctx.runtime is None:
        return {"download_mb": 0, "runtime_mb": 0}
    files = [ctx.out / "pyodide" / f.path for f in ctx.runtime.startup_files()]
    cache = siblings_cache(ctx)
    with ThreadPoolExecutor() as pool:  # the compressors release the GIL
        sent = sum(pool.map(lambda path: smallest_size(path, cache), files))
    return {"download_mb": _mb(sent), "runtime_mb": _mb(sum(f.size for f in ctx.runtime.startup_files()))}


def _mb(size: int) -> float:
    """Megabytes as the banner writes them: whole ones, or one decimal below 10."""
    return round(size / 1e6) if size >= 10e6 else round(size / 1e6, 1)


def page_context(ctx: BuildContext) -> dict[str, Any]:
    assert ctx.catalog is not None
    sets = sorted(ctx.catalog.all(), key=lambda rs: (rs.jurisdiction.code, rs.regime, rs.year))
    return {
        "csp": SITE_CSP,
        "asset_version": asset_version(ctx.site_dir / "static"),
        "icon_url": icon_data_url(ctx.site_dir / "static"),
        "rules_url": ctx.urls["rules"],
        "forms_url": ctx.urls["forms"],
        # The studio's editor bundle and the rule file's JSON Schema (sitebuild.site.studio_bundle).
        "editor_url": ctx.urls.get("editor", ""),
        "schema_url": ctx.urls.get("ruleset_schema", ""),
        # Set by a guide step (see sitebuild.build); citations then link into it.
        "guide_base": ctx.guide_base,
        "engine_version": ctx.engine_version,
        "pyodide_version": ctx.runtime.pyodide_version if ctx.runtime else "",
        **runtime_download(ctx),
        "rule_sets": [
            {"id": rs.id, "title": rs.title, "last_checked": rs.last_checked.isoformat()} for rs in sets
        ],
    }


def render_pages(ctx: BuildContext) -> None:
    """Step: every ``site/templates/*.html.j2`` (not ``_partials``) -> ``out/*.html``."""
    env = Environment(
        loader=FileSystemLoader(ctx.site_dir / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context = page_context(ctx)
    for template in sorted((ctx.site_dir / "templates").glob("*.html.j2")):
        if template.name.startswith("_"):
            continue
        html = env.get_template(template.name).render(**context)
        (ctx.out / template.name.removesuffix(".j2")).write_text(html, encoding="utf-8")
