"""A calculator page built over another rules folder, and a guarded page on it: for browser
tests whose rule sets are not the project's (the example rules, a rule set written by the test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page

from sitebuild.build import STEPS, build_site
from sitebuild.site.security import SECURITY_HEADERS
from sitebuild.site.serve import serve

from .cases import ROOT
from .harness import RequestGuard, new_context
from .snapshot_seed import EngineSnapshot, seed_snapshot

# The site build's own steps for the calculator page: no guides, studio editor or .gz copies.
PAGE_STEPS = {"校验规则", "打包计算引擎", "安装 Python 运行环境", "写入规则与表单数据", "生成页面", "复制静态文件", "打包页面脚本",
              "离线缓存（service worker）", "写入标记文件"}


def project_with_rules(root: Path) -> Path:
    """`root` as a copy of the project that reads its own rules/ (the caller fills it in)."""
    for name in ("calculator", "sitebuild", "site", "pyproject.toml"):
        (root / name).symlink_to(ROOT / name)
    return root


def build_page_site(root: Path, out: Path) -> Path:
    steps = [step for step in STEPS if step.name in PAGE_STEPS]
    assert len(steps) == len(PAGE_STEPS), [s.name for s in STEPS]
    return build_site(out, root=root, steps=steps, log=lambda _line: None).out


@contextmanager
def guarded_page(browser: Browser, site: Path, snapshot: EngineSnapshot | None) -> Iterator[tuple[Page, str]]:
    """A fresh page on `site` served like production, checked for foreign requests and errors.
    With `snapshot` its profile has the engine's snapshot (tests/browser/snapshot_seed.py; made
    with the project's rules, so the page restores it and loads its own rules: "stale")."""
    with serve(site, headers=SECURITY_HEADERS) as running:
        ctx = new_context(browser)
        ctx.set_default_timeout(20_000)
        if snapshot is not None:
            seed_snapshot(ctx, snapshot, [running.origin])
        guard = RequestGuard.attach(ctx, running.origin)
        try:
            yield ctx.new_page(), running.url
            guard.assert_clean()
        finally:
            ctx.close()
