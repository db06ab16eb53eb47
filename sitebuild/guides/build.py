"""Policy guides (issue #4): readable pages for every rule set, generated from the rule files
and built with mkdocs-material into the same static site as the calculator.

    from sitebuild.guides.build import build_guides
    report = build_guides(Path("rules"), Path("_site/guide"), calculator_href="../")

Flow: the validated rules (the site build's catalog, or `validate_all` when run alone) ->
run every worked example through the engine (`check_example`; a disagreement stops the
build) -> find every quoted passage in the original texts (`sources.SourceIndex`) -> write
Markdown pages (rule sets, comparisons, original notices ...) into a temporary docs folder
-> MkDocs (strict) -> check the output loads nothing from another host and has no inline
script or style (the CSP below forbids both).

URL scheme and anchors: see `sitebuild/guides/context.py` (`guide_href`). The calculator is
`calculator_href` relative to the guide root (default "../": the guides live in `guide/`
next to the calculator's `index.html`); every link is relative, so the site works under
any sub-path.

CLI: `python -m sitebuild.guides.build [OUT_DIR] [--rules DIR] [--calculator-href ../]`.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from calculator.rulefiles.loader import all_test_cases, validate_all
from calculator.engine.resolve import Catalog
from calculator.engine.words import TABLE_REGION_LABEL
from calculator.models.schemas import MODELS, schema

from .coverage import coverage_markdown
from .compare import compare_pair_markdown, comparison_pairs, overview_markdown
from .examples import RunExample, run_examples
from .markdown import admonition, bullet_list, cell, esc, num, table
from .offline import OFFLINE, GuidePages, guide_pages, offline_markdown
from .reference import authors_markdown, reference_markdown
from .rules import rule_set_markdown
from .sources import SourceIndex, source_markdown
from .units import UNITS, batch_href, page_link, units_markdown
from .context import (
    headline, AUTHORS, COMPARE, HOME, REFERENCE, RESERVED_IDS, SECTION_TITLES, SCHEMA_DIR, GuideBuildError,
    GuideContext, compare_page, md_link, rule_page,
)
from ..context import BuildContext, BuildError
from ..site.security import SITE_CSP

ROOT = Path(__file__).resolve().parents[2]
GUIDE_SRC = ROOT / "site" / "guide"

# Every guide page carries this policy (a <meta> in <head>, see site/guide/overrides/main.html).
GUIDE_CSP = SITE_CSP  # one policy for the whole site: sitebuild/site/security.py

__all__ = ["GUIDE_CSP", "GuideBuildError", "GuideReport", "build_guides", "guide_step", "offline_problems"]


@dataclass
class GuideReport:
    out_dir: Path
    pages: list[str]  # built HTML files, relative to out_dir, sorted
    rule_sets: list[str]
    examples: int
    comparisons: list[tuple[str, str]]
    seconds: float
    offline: GuidePages  # which pages the site's service worker keeps when (guides/offline.py)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- pages


def home_markdown(ctx: GuideContext, runs: dict[str, list[RunExample]]) -> str:
    page = HOME
    calc = ctx.calculator(page)
    lines = [
        "# 学时自查 · 政策指南",
        "“学时自查”是一个帮助核对年度培训、继续教育学时的工具：选择所在地区、类别和年度，填写参加过的培训、网络课程、"
        "论文、课题等活动以及特殊情况，就能看到是否达到要求、还差多少，以及每一个数字依据的是哪份文件的哪一条。"
        "本指南把计算器所用的每一条规则连同原文公开出来，供核对。",
        f"[打开学时计算器]({calc}){{ .md-button .md-button--primary }} {page_link(batch_href(ctx, page), '单位批量核查', 'md-button')} "
        f"[各地规则对照]({md_link(page, COMPARE)}){{ .md-button }}",
        admonition(
            "success", "您的数据不会离开浏览器",
            "计算器的全部计算都在您自己的浏览器中完成：填写的个人情况、活动和计算结果不会发送到任何服务器，"
            "本站不使用任何统计、广告或第三方服务，页面也不从其他网站加载任何内容。"
            "填写的内容只保存在本机浏览器中；“分享链接”把数据放在网址中 # 之后的部分，这部分不会发送给任何服务器。",
        ),
        "## 适合谁使用 {#who}",
        bullet_list([
            "**个人**（事业单位工作人员、专业技术人员）：自查本年度学时是否达标，了解论文、专利、外派、病休等情况怎样计算，"
            "申报职称前核对各年度学时。",
            "**单位人事部门**：按同一规则为本单位人员核对学时；向职工解释“为什么还差这几个学时”时，可直接引用本指南的条目。"
            f"整个单位的人员表可以一次核查，计算器也可以嵌入单位内网，见[单位使用：批量核查与内网嵌入]({md_link(page, UNITS)})。",
            f"**政策部门**：核对本工具对文件的理解是否正确；按[规则编写指南]({md_link(page, AUTHORS)})维护本辖区的规则文件，"
            "不需要改动程序。",
        ]),
        "## 怎样使用 {#how}",
        f"1. 打开[计算器]({calc})，选择地区、类别和年度（即下表中的一个规则集）。\n"
        "2. 逐项填写本年度的活动：培训天数、网络课程学时或分钟、论文篇数和作者排序等；如有外派、病休、申报职称等情况，一并填写。\n"
        "3. 查看结论和计算过程。每个数字都附有依据：文件文号、条款和原文，并可链接到本指南中对应的条目。\n"
        "4. 原文没有写明、本工具不得不作出理解的地方，都单独标为“本工具的理解”，请以主管部门的解释为准。\n",
        coverage_markdown(ctx, page),
        "每个规则集页面包括：适用范围、学时要求、各类活动的折算标准、例外情形、不计学时的情形、截止日期、费用、来源文件，"
        "以及由计算引擎算出的计算示例。页面中的原文和本工具的理解分开显示：",
        admonition("quote", "原文 · 文号 · 条款", "来源文件的原文逐字摘录（生成时已与原文文本逐字核对）。", classes="xs-source"),
        admonition("note", "本工具的理解", "原文没有写明或有歧义时，本工具采用的理解及理由。", classes="xs-reading"),
    ]
    return "\n\n".join(lines) + "\n"


def generate_pages(ctx: GuideContext, runs: dict[str, list[RunExample]], rules_dir: Path) -> dict[str, str]:
    """Every page of the guide: path (relative to docs_dir) -> Markdown."""
    pages = {HOME: home_markdown(ctx, runs)}
    for rs in ctx.ordered():
        pages[rule_page(rs.id)] = rule_set_markdown(rs, ctx, runs.get(rs.id, []))
    pages[COMPARE] = overview_markdown(ctx)
    for old, new, why in comparison_pairs(ctx):
        pages[compare_page(old, new)] = compare_pair_markdown(ctx, old, new, why)
    pages[UNITS] = units_markdown(ctx)
    pages[AUTHORS] = authors_markdown(ctx, rules_dir)
    pages[REFERENCE] = reference_markdown(ctx)
    pages[OFFLINE] = offline_markdown(ctx)
    if ctx.sources is not None:
        titles = {rs.id: rs.title for rs in ctx.catalog.all()}
        for source in ctx.sources.texts.values():
            pages[source.page] = source_markdown(source, titles, SECTION_TITLES)
    return pages


def navigation(ctx: GuideContext) -> list:
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for rs in ctx.ordered():
        code_, name = ctx.group_of(rs)
        names[code_] = name
        groups.setdefault(code_, []).append({rs.title: rule_page(rs.id)})
    compare = [COMPARE] + [
        {f"{ctx.short(new)} 与 {ctx.short(old)}": compare_page(old, new)} for old, new, _ in comparison_pairs(ctx)
    ]
    return [
        {"首页": HOME},
        {"规则集": [{names[c]: items} for c, items in groups.items()]},
        {"各地对照": compare},
        {"单位使用：批量核查与内网嵌入": UNITS},
        *([{"原文": [{s.heading: s.page} for s in ctx.sources.texts.values()]}] if ctx.sources else []),
        {"规则编写指南": [AUTHORS, {"字段参考": REFERENCE}]},
        {"计算器": ctx.calculator_href},
    ]


# ---------------------------------------------------------------- MkDocs


def _config(ctx: GuideContext, docs_dir: Path, out_dir: Path, service_worker: str | None = None) -> dict:
    config = yaml.safe_load((GUIDE_SRC / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(out_dir)
    config["nav"] = navigation(ctx)
    config["not_in_nav"] = OFFLINE  # shown by the service worker only, never browsed to
    config["theme"]["custom_dir"] = str(GUIDE_SRC / config["theme"]["custom_dir"])
    config.setdefault("extra", {})["xueshi"] = {"csp": GUIDE_CSP, "sw": service_worker, "table_label": TABLE_REGION_LABEL}
    # Headings without an explicit {#id} get readable Unicode slugs (Chinese kept).
    from pymdownx.slugs import slugify

    extensions = []
    for ext in config["markdown_extensions"]:
        if ext == "toc" or (isinstance(ext, dict) and "toc" in ext):
            options = dict(ext["toc"]) if isinstance(ext, dict) else {}
            options["slugify"] = slugify(case="lower")
            ext = {"toc": options}
        extensions.append(ext)
    config["markdown_extensions"] = extensions
    return config


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _search_words(words: Path) -> None:
    """Teach jieba the guides' words (学时, 免训 ...), the same way in every build.

    mkdocs-material segments Chinese text with jieba's process-wide tokenizer. Its own
    `jieba_dict_user` option reloads the list on every build, and each reload adds to
    jieba's frequency total, so a second build in one process cut words differently.
    Here a word is added only while its frequency is not yet the listed one.
    """
    try:
        import jieba
    except ImportError:
        raise GuideBuildError("缺少 jieba：pip install -e '.[site]'（中文搜索需要在构建时分词）") from None
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    for line in words.read_text(encoding="utf-8").splitlines():
        word, _, freq = line.strip().partition(" ")
        if word and jieba.dt.FREQ.get(word) != int(freq):
            jieba.add_word(word, int(freq))


def _mkdocs_build(config: dict, config_path: Path) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config.base import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _search_words(GUIDE_SRC / "search-words.txt")
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    old_level = logger.level
    logger.addHandler(collect)
    logger.setLevel(logging.WARNING)
    try:
        with config_path.open("w", encoding="utf-8") as fh:
            fh.write("# generated by sitebuild/guides/build.py\n")
        cfg = load_config(config_file=str(config_path), **config)
        build(cfg)
    except (Abort, ConfigurationError) as error:
        raise GuideBuildError(f"MkDocs 构建失败：{error}\n" + "\n".join(collect.messages)) from None
    finally:
        logger.removeHandler(collect)
        logger.setLevel(old_level)
    return collect.messages


# ---------------------------------------------------------------- output checks

# Elements/attributes through which a browser loads something by itself.
_LOADING = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("iframe", "src"), ("embed", "src"), ("object", "data"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("track", "src"), ("input", "src"), ("image", "href"), ("use", "href"),
}
_LINK_LOADS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)


def _external(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme in ("http", "https")


class _PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("href", "src"):
            if a.get(attr, "").startswith("/") and not a[attr].startswith("//"):
                self.problems.append(f"<{tag} {attr}={a[attr]!r}>：以 / 开头的链接在子路径下会失效")
        for (t, attr) in _LOADING:
            if tag == t and attr in a and any(_external(u.split()[0]) for u in a[attr].split(",") if u.strip()):
                self.problems.append(f"<{tag} {attr}={a[attr]!r}> 会从其他网站加载")
        if tag == "link" and set(a.get("rel", "").lower().split()) & _LINK_LOADS and _external(a.get("href", "")):
            self.problems.append(f"<link rel={a['rel']!r} href={a['href']!r}> 会从其他网站加载")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh" and "http" in a.get("content", ""):
            self.problems.append(f"<meta http-equiv=refresh content={a['content']!r}>")
        if "style" in a:
            self.problems.append(f"<{tag} style={a['style']!r}>：内联样式违反 style-src 'self'")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"<{tag}> 带有内联事件处理程序，违反 script-src 'self'")
        if tag == "style":
            self.problems.append("<style> 元素：内联样式违反 style-src 'self'")
        if tag == "script" and "src" not in a and a.get("type", "text/javascript") not in ("application/json",):
            self._inline_script = True

    def handle_data(self, data: str) -> None:
        if self._inline_script and data.strip():
            self.problems.append(f"内联 <script>：{data.strip()[:80]!r} 违反 script-src 'self'")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False


def offline_problems(out_dir: Path) -> list[str]:
    """Anything in the built guides that the CSP would block or that loads from another host."""
    problems: list[str] = []
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir).as_posix()
        if path.suffix == ".html":
            scan = _PageScan()
            scan.feed(path.read_text(encoding="utf-8"))
            problems += [f"{rel}: {p}" for p in scan.problems]
        elif path.suffix == ".css":
            for match in _CSS_URL.finditer(path.read_text(encoding="utf-8")):
                problems.append(f"{rel}: 样式表从其他网站加载 {match.group(1)}")
    return problems


# ---------------------------------------------------------------- entry point


def build_guides(
    rules_dir: Path,
    out_dir: Path,
    calculator_href: str = "../",
    catalog: Catalog | None = None,
    service_worker: str | None = None,
) -> GuideReport:
    """Run the worked examples and build the guides into `out_dir`.

    `catalog` is the rules already validated by the caller (the site build's step 校验规则);
    without it the rules in `rules_dir` are validated here (`python -m sitebuild.guides.build`).
    `service_worker`: the site's service worker relative to the guide root ("../sw.js" in
    the site build), which the pages then register; None for guides built on their own.

    Raises `GuideBuildError` (its subclass `ExampleMismatch` for a worked example that
    disagrees with the engine) when anything is wrong. The guides are built and checked in
    a temporary folder; `out_dir` is replaced only by a complete build.
    """
    start = time.perf_counter()
    rules_dir, out_dir = Path(rules_dir).resolve(), Path(out_dir).resolve()
    if catalog is None:
        catalog, problems = validate_all(rules_dir)
        if catalog is None or problems:
            raise GuideBuildError("规则文件校验未通过：\n" + "\n".join(problems))
    clash = RESERVED_IDS & set(catalog.ids())
    if clash:
        raise GuideBuildError(f"规则集 id 与指南的目录名冲突：{sorted(clash)}")
    examples = all_test_cases(rules_dir)
    runs = run_examples(examples, catalog)
    ctx = GuideContext(catalog, calculator_href, SourceIndex.build(catalog, rules_dir / "sources"))
    pages = generate_pages(ctx, runs, rules_dir)

    with tempfile.TemporaryDirectory(prefix="xueshi-guide-") as tmp:
        docs, staged = Path(tmp) / "docs", Path(tmp) / "site"
        for rel, text in pages.items():
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        schema_dir = docs / SCHEMA_DIR
        schema_dir.mkdir(parents=True, exist_ok=True)
        for name in sorted(MODELS):
            source = rules_dir / "schema" / f"{name}.schema.json"
            if source.is_file():
                shutil.copyfile(source, schema_dir / source.name)
            else:  # a rules folder without schemas (a test copy): generate them
                (schema_dir / f"{name}.schema.json").write_text(
                    json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
        warnings = _mkdocs_build(_config(ctx, docs, staged, service_worker), Path(tmp) / "mkdocs.yml")
        # A sitemap needs an absolute site_url (we have none) and carries the build date; without
        # site_url MkDocs writes 404.html with root-relative links ("/assets/..."), which break
        # under a sub-path. A static host's own 404 page serves better.
        for name in ("sitemap.xml", "sitemap.xml.gz", "404.html"):
            (staged / name).unlink(missing_ok=True)
        problems = offline_problems(staged)
        if problems:
            raise GuideBuildError("指南页面违反内容安全策略或会从其他网站加载：\n" + "\n".join(problems[:50]))
        # Only a complete, checked build replaces the previous guides.
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), str(out_dir))
    return GuideReport(
        out_dir=out_dir,
        pages=sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.html")),
        rule_sets=catalog.ids(),
        examples=sum(len(v) for v in runs.values()),
        comparisons=[(old, new) for old, new, _ in comparison_pairs(ctx)],
        seconds=time.perf_counter() - start,
        warnings=warnings,
        offline=guide_pages(ctx),
    )


def guide_step(ctx: BuildContext) -> None:
    """The site build's step (`sitebuild.build.Step("政策指南", guide_step)`, before "生成页面"):
    builds into `<site>/guide/` from the catalog the step 校验规则 validated, and tells the
    calculator page to link citations there."""
    assert ctx.catalog is not None, "validate_rules must run first"
    try:
        report = build_guides(
            ctx.rules_dir, ctx.out / "guide", calculator_href="../", catalog=ctx.catalog, service_worker="../sw.js"
        )
    except GuideBuildError as error:
        raise BuildError("生成政策指南失败", str(error).splitlines()) from None
    ctx.guide_base = "guide/"
    ctx.guide_pages = report.offline
    ctx.log(f"  {len(report.pages)} 个页面，{report.examples} 个计算示例，{report.seconds:.1f} 秒")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild.guides.build", description="生成政策指南")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "_site" / "guide")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules")
    parser.add_argument("--calculator-href", default="../")
    args = parser.parse_args(argv)
    try:
        report = build_guides(args.rules, args.out, args.calculator_href)
    except GuideBuildError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"政策指南：{len(report.pages)} 个页面，{len(report.rule_sets)} 个规则集，"
          f"{report.examples} 个计算示例，用时 {report.seconds:.2f} 秒 -> {report.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
