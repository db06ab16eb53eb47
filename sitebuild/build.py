"""Build the static site: a list of steps run in order over one `BuildContext`.

    build_site(Path("_site"))            # everything, into _site/
    build_site(out, steps=[...])         # a custom list (tests, partial builds)

The site is assembled in a fresh folder next to ``out`` and swapped in only when
every step succeeded, so a failed build leaves the previous site untouched. An
existing ``out`` is replaced only if it is empty or carries the marker file a
previous build wrote (never some unrelated folder given by mistake).

The policy guides (``sitebuild/guides/build.py``, mkdocs-material) are the step "政策指南":
it builds into ``ctx.out / "guide"`` and sets ``ctx.guide_base = "guide/"``, so the
calculator page links every citation to ``guide/<origin>/#<section>-<entry-id>``:
``origin`` is the rule-set id that defines the cited entry (a child rule set's
inherited entries link to the parent's guide), ``section`` is the rule-file section,
``entry-id`` the entry's ``id``.
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from calculator.rulefiles.loader import validate_all

from .context import BuildContext, BuildError, Step
from .guides.build import guide_step
from .site.offline import write_service_worker
from .site.bundles import bundle_pages
from .site.pages import copy_static, render_pages, write_data
from .site.precompress import precompress
from .runtime.vendor import VendorError, canonicalize, install_runtime, load_pins
from .runtime.purewheel import guide_preview_wheel, repack_all
from .runtime.wheel import WheelError, build_wheel, left_out
from .site.studio_bundle import bundle_step

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".xueshi-site"  # written into every built site; see _replace


def validate_rules(ctx: BuildContext) -> None:
    catalog, problems = validate_all(ctx.rules_dir)
    if catalog is None or problems:
        raise BuildError("规则校验未通过", problems or ["无法读取规则"])
    ctx.catalog = catalog
    ctx.log(f"  {len(catalog.ids())} 个规则集：{'、'.join(catalog.ids())}")


def build_engine_wheel(ctx: BuildContext) -> None:
    # On-demand wheels (openpyxl for the batch page) are not declared: a declared
    # dependency would be loaded with the engine on every page.
    pins = load_pins().wheels
    runtime = frozenset(canonicalize(w.name) for w in pins if not w.on_demand)
    on_demand = frozenset(canonicalize(w.name) for w in pins if w.on_demand)
    try:
        ctx.wheel = build_wheel(ctx.root, ctx.work / "wheel", runtime)
    except WheelError as error:
        raise BuildError("打包计算引擎失败", [str(error)]) from None
    project = tomllib.loads((ctx.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    ctx.engine_version = str(project["version"])
    skipped = left_out(ctx.root, runtime | on_demand)
    ctx.log(f"  {ctx.wheel.name}" + (f"（浏览器中不安装：{'、'.join(skipped)}）" if skipped else "")
            + (f"（按需加载：{'、'.join(sorted(on_demand))}）" if on_demand else ""))


def vendor_runtime(ctx: BuildContext) -> None:
    assert ctx.wheel is not None, "build_engine_wheel must run first"
    try:
        # PyYAML, repacked as pure Python, only for the studio page (loaded on demand there).
        # The guide page generator likewise, for the studio's guide preview.
        repacked = [*repack_all(ctx.cache_dir), guide_preview_wheel(ctx.root, ctx.engine_version, ctx.work / "guide-preview")]
        ctx.runtime = install_runtime(ctx.out, [ctx.wheel, *(r.path for r in repacked)], ctx.cache_dir,
                                      on_demand_extra=tuple(r.name for r in repacked))
    except VendorError as error:
        raise BuildError("安装 Python 运行环境失败", [str(error)]) from None
    ctx.log(f"  Pyodide {ctx.runtime.pyodide_version}，{ctx.runtime.total_bytes / 1e6:.1f} MB")


def write_marker(ctx: BuildContext) -> None:
    (ctx.out / MARKER).write_text("由 build.py 生成；重新构建时会整个替换本目录。\n", encoding="utf-8")


STEPS: list[Step] = [
    Step("校验规则", validate_rules),
    Step("打包计算引擎", build_engine_wheel),
    Step("安装 Python 运行环境", vendor_runtime),
    Step("写入规则与表单数据", write_data),
    Step("政策指南", guide_step),
    Step("规则编写工作室：编辑器", bundle_step),
    Step("生成页面", render_pages),
    Step("复制静态文件", copy_static),
    Step("打包页面脚本", bundle_pages),
    Step("离线缓存（service worker）", write_service_worker),
    Step("预压缩（.gz）", precompress),
    Step("写入标记文件", write_marker),
]


def _replace(out: Path, built: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise BuildError("输出目录无效", [f"{out} 不是目录"])
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise BuildError("输出目录无效", [f"{out} 不是空目录，也不是以前构建的站点；为安全起见不覆盖它"])
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        built.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        built.rename(out)


def build_site(
    out: Path,
    *,
    root: Path = ROOT,
    steps: Sequence[Step] | None = None,
    cache_dir: Path | None = None,
    log: Callable[[str], None] = print,
    rules_dir: Path | None = None,
) -> BuildContext:
    """Run ``steps`` (default `STEPS`) and put the result at ``out``; ``rules_dir`` replaces
    the repository's ``rules/`` (a test's scratch copy; the author guide also reads
    ``examples/`` beside it)."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server may run as another user
    try:
        with tempfile.TemporaryDirectory(prefix="xueshi-build-") as work:
            ctx = BuildContext(
                root=Path(root).resolve(), out=staging, work=Path(work), cache_dir=cache_dir, log=log,
                rules=Path(rules_dir).resolve() if rules_dir else None,
            )
            for step in STEPS if steps is None else steps:
                log(f"· {step.name}")
                step.run(ctx)
        _replace(out, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    ctx.out = out
    return ctx
