"""Which guide pages a visitor keeps for reading offline, and when (issue #24).

The site's service worker (`sitebuild/site/offline.py`, `site/sw.js`) precaches only the
guides' shell, whose size does not depend on the number of rule sets: the shared assets,
the home page and the page shown for a page not kept (`offline/`). Every other page is kept
when it is opened; and a rule set's pages as one group when its guide page is opened or
when it is chosen in the calculator:

    <id>/                      the rule set's own page, first (the page it is opened at)
    <ancestor>/                the pages of the rule sets it extends (inherited entries link there)
    sources/<text-file-stem>/  the original notices it quotes (every citation links there)

That list is build data (`GuidePages.rule_sets`), written next to the worker; no script
decides which pages belong together.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import HOME, GuideContext, rule_page

OFFLINE = "offline.md"  # the page shown for a guide page not kept (served by the worker)


def page_url(md_path: str) -> str:
    """Directory URL of a generated page, relative to the guide root (`index.md` -> "")."""
    stem = md_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


@dataclass(frozen=True)
class GuidePages:
    shell: tuple[str, ...]  # page URLs (relative to the guide root) precached with the site
    missing: str  # the page shown in place of a page not kept
    rule_sets: dict[str, list[str]]  # rule set id -> its pages, its own page first


def guide_pages(ctx: GuideContext) -> GuidePages:
    quoted = ctx.sources.texts if ctx.sources is not None else {}
    groups: dict[str, list[str]] = {}
    for rs in ctx.ordered():
        resolved = ctx.resolved(rs.id)
        pages = [page_url(rule_page(i)) for i in resolved.chain]
        for source in resolved.sources.values():
            text = quoted.get(source.text_file or "")
            if text is not None and page_url(text.page) not in pages:
                pages.append(page_url(text.page))
        groups[rs.id] = pages
    return GuidePages(shell=(page_url(HOME), page_url(OFFLINE)), missing=page_url(OFFLINE), rule_sets=groups)


def offline_markdown(ctx: GuideContext) -> str:
    """The page the worker shows offline for a guide page this browser has not kept."""
    page = OFFLINE
    return "\n\n".join([
        "---\nsearch:\n  exclude: true\n---",
        "# 这一页还没有存入本机",
        "现在无法连接网络，而您要打开的指南页面还没有存入这个浏览器，所以暂时不能显示。联网后重新打开即可。",
        '<p markdown="0"><a class="md-button md-button--primary" id="xs-offline-retry" href="./">重新打开这一页</a></p>',
        "## 断网时可以打开的页面 {#offline-pages}",
        "\n".join([
            f"- [计算器]({ctx.calculator(page)})、单位批量核查和规则编写工作室：打开过一次之后，断网也能打开和计算。",
            f"- [政策指南首页](index.md)。",
            "- 联网时打开过的指南页面；打开一个规则集的页面时，它引用的原文页面一并存入。",
            "- 在计算器中选过的规则集：它的指南页面和原文页面。",
            "- 指南的搜索：联网时打开过指南的任何一页之后。搜索结果中没有存入的页面，断网时显示本页。",
        ]),
    ]) + "\n"
