"""Step: each page's script as one file, bundled by esbuild from the small modules in
``site/static/js/`` (and ``site/static/studio/``).

Why: the calculator page is 29 modules. Served one by one they cost 29 requests, each with its
own headers and its own compression (57 KB brotli + ~10 KB of headers), and the browser learns
of a module only when the one importing it has arrived. One bundle per page is 30 KB brotli and
one request: the first visit's bytes stay within issue #22's budget as rule sets are added, and
a phone waits for one round trip instead of one per import level.

The bundle keeps its entry's URL (``static/app.js?v=<version>``): the page finds its worker
relative to ``import.meta.url`` with the same version, as static/start.js does. Identifiers are
kept (whitespace and syntax minified only) so an error in the console still names the function.
Modules that only the bundles use are not shipped; the worker's own imports
(``worker.js`` -> ``snapshot.js``) stay separate files with versioned specifiers
(`sitebuild.site.modules`). esbuild and the pages' one npm dependency (morphdom, which
updates a drawn result in place: js/dom.js `patch`) are pinned with the studio's editor packages
(`sitebuild/site/studio_npm/`, installed once into the cache by `sitebuild.site.studio_bundle`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..context import BuildError
from ..runtime.vendor import VendorError, default_cache_dir
from .modules import static_imports
from .studio_bundle import ensure_packages, esbuild_command, run_tool

if TYPE_CHECKING:
    from ..context import BuildContext

# Each page's entry module, relative to static/.
PAGE_SCRIPTS = ("app.js", "batch.js", "studio/studio.js")
# Scripts loaded on their own (not bundled): their imports must stay.
SEPARATE_SCRIPTS = ("worker.js", "start.js", "boot.js")


def bundle_pages(ctx: BuildContext) -> None:
    """Step: ``out/static/<entry>`` replaced by its bundle; modules only the bundles used removed."""
    source = ctx.site_dir / "static"
    out = ctx.out / "static"
    cache = (ctx.cache_dir or default_cache_dir()).expanduser().resolve()
    try:
        command = esbuild_command(cache)
        # NODE_PATH: bare imports (morphdom) resolve to the pinned, cached packages.
        packages = {"NODE_PATH": str(ensure_packages(cache) / "node_modules")}
        for entry in PAGE_SCRIPTS:
            run_tool([*command, str((source / entry).resolve()), "--bundle", "--format=esm", "--target=es2020",
                      "--minify-whitespace", "--minify-syntax", "--legal-comments=none", "--charset=utf8",
                      f"--outfile={(out / entry).resolve()}", "--allow-overwrite", "--log-level=warning"],
                     source, f"esbuild ({entry})", env=packages)  # fmt: skip
    except VendorError as error:
        raise BuildError("打包页面脚本", [str(error)]) from None
    bundled = {m for entry in PAGE_SCRIPTS for m in static_imports(source, entry)}
    needed = {m for script in SEPARATE_SCRIPTS if (source / script).is_file() for m in static_imports(source, script)}
    for module in sorted(bundled - needed - set(PAGE_SCRIPTS)):
        (out / module).unlink(missing_ok=True)
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    sizes = ", ".join(f"{entry} {(out / entry).stat().st_size / 1000:.0f} KB" for entry in PAGE_SCRIPTS)
    ctx.log(f"  {sizes}")
