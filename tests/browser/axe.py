"""axe-core, the accessibility checker, for the browser tests (never served by the site).

The npm package is fetched once with ``npm pack`` into the same cache the site build uses
(``$XUESHI_CACHE`` or ``~/.cache/xueshi``, see `sitebuild.runtime.vendor`), checked against the
pinned npm integrity, and its ``axe.min.js`` read from there; CI installs it the same way.

    source = axe_source()                       # the script text
    results = run_axe(page, source)             # {"violations": [...], ...}
    serious = serious_violations(results)       # "serious" and "critical" only

The script is evaluated through the DevTools protocol (``page.evaluate``), which the
page's Content-Security-Policy does not apply to, so the page keeps its real policy.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from sitebuild.runtime.vendor import VendorError, _npm_pack, default_cache_dir, npm_integrity

AXE_VERSION = "4.11.0"
# npm `dist.integrity` of axe-core-<AXE_VERSION>.tgz.
AXE_INTEGRITY = "sha512-ilYanEU8vxxBexpJd8cWM4ElSQq4QctCLKih0TSfjIfCQTeyH/6zVrmIJfLPrKTKJRbiG+cfnZbQIjAlJmF1jQ=="
AXE_FILE = "package/axe.min.js"

# WCAG 2.1 A and AA, plus the best-practice rules (landmarks, headings, regions).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source(cache_dir: Path | None = None) -> str:
    """The text of axe.min.js, from the cache (fetched and verified when missing)."""
    cache = (cache_dir or default_cache_dir()).expanduser().resolve()
    tgz = cache / "npm" / f"axe-core-{AXE_VERSION}.tgz"
    if not (tgz.is_file() and npm_integrity(tgz) == AXE_INTEGRITY):
        _npm_pack(f"axe-core@{AXE_VERSION}", tgz)
    actual = npm_integrity(tgz)
    if actual != AXE_INTEGRITY:
        tgz.unlink()
        raise VendorError(
            f"axe-core@{AXE_VERSION}: integrity mismatch\n  pinned: {AXE_INTEGRITY}\n  actual: {actual}"
        )
    with tarfile.open(tgz, "r:gz") as tar:
        member = tar.extractfile(AXE_FILE)
        if member is None:
            raise VendorError(f"axe-core@{AXE_VERSION}: {AXE_FILE} missing from the package")
        with member:
            return member.read().decode("utf-8")


def run_axe(page: Page, source: str, *, include: str | None = None) -> dict[str, Any]:
    """Run axe on the page as it is now (load the script first if it is not there yet)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # A plain script, not a function: evaluate it as an expression statement.
        page.evaluate(f"(() => {{ {source}\n; return true; }})()")
    return page.evaluate(
        """([include, tags]) => window.axe.run(include ? document.querySelector(include) : document,
                                             {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        [include, AXE_TAGS],
    )


def serious_violations(results: dict[str, Any]) -> list[str]:
    """One line per serious or critical violation: rule, impact, and the elements."""
    lines = []
    for v in results["violations"]:
        if v.get("impact") in ("serious", "critical"):
            targets = "; ".join(
                f"{' '.join(map(str, n['target']))} ({(n.get('failureSummary') or '').splitlines()[-1].strip()})"
                for n in v["nodes"][:6]
            )
            lines.append(f"{v['id']} [{v['impact']}]: {v['help']} -> {targets}")
    return lines
