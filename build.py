"""Build the static site of 学时自查, or build it and serve it locally.

    python build.py                      # -> _site/
    python build.py --out public         # -> public/
    python build.py serve [--port 8000] [--base /tools/xueshi/]
    python build.py bench [--quick] [--runs N] [--out FILE]   # speed vs stock Pyodide (bench/page_bench.py)

The steps live in sitebuild/build.py (STEPS); pages and assets in sitebuild/site/pages.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitebuild.build import BuildError, build_site
from sitebuild.site.security import SECURITY_HEADERS
from sitebuild.site.serve import serve

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:  # its own options (--out is the JSON report there)
        from bench.page_bench import main as bench

        return bench(argv[1:])
    parser = argparse.ArgumentParser(prog="python build.py", description="构建学时自查静态站点")
    parser.add_argument(
        "command",
        nargs="?",
        choices=["build", "serve"],
        default="build",
        help="build（默认）：只构建；serve：构建后在本机提供访问",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="输出目录（默认 _site/）")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="Pyodide 与 wheel 的下载缓存（默认 $XUESHI_CACHE 或 ~/.cache/xueshi）",
    )
    parser.add_argument("--port", type=int, default=8000, help="serve 的端口（默认 8000；0 为任选空闲端口）")
    parser.add_argument("--base", default="/", help="serve 的子路径，例如 /tools/xueshi/")
    parser.add_argument("--gzip", action="store_true", help="serve 时压缩传输")
    args = parser.parse_args(argv)

    try:
        ctx = build_site(args.out, root=ROOT, cache_dir=args.cache)
    except BuildError as error:
        print(f"构建失败：{error.step}", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"已构建：{ctx.out}")
    if args.command == "build":
        return 0

    # The same security headers a real server should send (README, 在单位内网部署): the
    # engine's worker obeys only the Content-Security-Policy of its own response.
    server = serve(ctx.out, port=args.port, base_path=args.base, gzip=args.gzip, headers=SECURITY_HEADERS)
    print(f"请在浏览器中打开：{server.url}  （按 Ctrl-C 停止）", flush=True)
    server.wait_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
