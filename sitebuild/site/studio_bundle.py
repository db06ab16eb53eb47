"""Bundle the studio's code editor (CodeMirror 6) from pinned npm packages.

``sitebuild/site/studio_npm/package-lock.json`` pins every package with its npm integrity
hash (written without registry addresses: npm resolves names from its configured
registry and refuses any tarball whose hash differs). ``npm ci`` installs them once
into the cache (``$XUESHI_CACHE/npm-studio/<hash of the lock>/``), and esbuild (one of
the pinned packages) bundles ``site/studio-src/editor.js`` into one ES module, also
cached: a rebuild with a warm cache touches no network and runs no npm.

Step: writes ``static/studio/editor.<hash>.js`` and sets ``ctx.urls["editor"]``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .pages import content_hash
from ..runtime.vendor import VendorError, default_cache_dir, replace_dir

if TYPE_CHECKING:
    from ..context import BuildContext

NPM_DIR = Path(__file__).with_name("studio_npm")
ENTRY = Path("studio-src") / "editor.js"  # below site/


def _lock_key() -> str:
    h = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        h.update((NPM_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def run_tool(cmd: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                          env=None if env is None else {**os.environ, **env})
    if proc.returncode != 0:
        raise VendorError(f"{what} failed:\n{(proc.stdout + proc.stderr).strip()}")


def ensure_packages(cache: Path) -> Path:
    """The installed node_modules for the pinned lock (``npm ci`` once per lock)."""
    dest = cache / "npm-studio" / _lock_key()
    if (dest / ".complete").is_file():
        return dest
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is needed to install the studio's editor packages (not found on PATH)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".install-", dir=dest.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NPM_DIR / name, tmp / name)
        # --ignore-scripts: no install script runs; esbuild's JS launcher finds its
        # platform binary in the pinned optional package without one.
        run_tool([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], tmp, "npm ci (studio editor)")
        (tmp / ".complete").write_text("ok\n")
        replace_dir(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def esbuild_command(cache: Path) -> list[str]:
    """How to run the pinned esbuild (also used for the pages' scripts, `sitebuild.site.bundles`)."""
    node = shutil.which("node")
    if node is None:
        raise VendorError("node is needed to run esbuild (not found on PATH)")
    return [node, str(ensure_packages(cache) / "node_modules" / "esbuild" / "bin" / "esbuild")]


def bundle(site_dir: Path, cache: Path) -> Path:
    """The minified ES module for ``site/studio-src/editor.js`` (cached by lock and sources)."""
    modules = ensure_packages(cache)
    src_dir = site_dir / ENTRY.parent
    h = hashlib.sha256(_lock_key().encode())
    for path in sorted(src_dir.rglob("*.js")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    out = cache / "studio-bundle" / h.hexdigest()[:16] / "editor.js"
    if out.is_file():
        return out
    node = shutil.which("node")
    if node is None:
        raise VendorError("node is needed to bundle the studio's editor (not found on PATH)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(".tmp.js")
    # NODE_PATH: the entry's bare imports resolve to the cached packages.
    run_tool([node, str(modules / "node_modules" / "esbuild" / "bin" / "esbuild"), str((site_dir / ENTRY).resolve()),
          "--bundle", "--format=esm", "--minify", "--target=es2020", "--legal-comments=eof",
          f"--outfile={tmp_out}"], modules, "esbuild (studio editor)",
         env={"NODE_PATH": str(modules / "node_modules")})  # fmt: skip
    tmp_out.replace(out)
    return out


def bundle_step(ctx: BuildContext) -> None:
    """Step: the editor bundle into ``out/static/studio/`` under a content-hashed name."""
    cache = (ctx.cache_dir or default_cache_dir()).expanduser().resolve()
    try:
        built = bundle(ctx.site_dir, cache)
    except VendorError as error:
        from ..context import BuildError

        raise BuildError("打包规则编辑器", [str(error)]) from None
    data = built.read_bytes()
    rel = f"static/studio/editor.{content_hash(data)}.js"
    target = ctx.out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    ctx.urls["editor"] = rel
    # The rule file's JSON Schema, for the editor's completion, hover help and forms.
    from calculator.models.schemas import schema

    from .pages import _write_hashed

    text = json.dumps(schema("ruleset"), ensure_ascii=False, separators=(",", ":"))
    ctx.urls["ruleset_schema"] = _write_hashed(ctx.out, "data", "ruleset.schema", text)
    ctx.log(f"  {rel}（{len(data) / 1000:.0f} KB）")
