"""Runs INSIDE Pyodide (CPython 3.14 under Node), started by precompile.mjs.

Rewrites zip archives (the stdlib zip, wheels) so that every ``.py`` gets
bytecode compiled by the very interpreter that will run it. The pycs are
hash-based and unchecked (PEP 552): no mtime checks, so they stay valid
after extraction and are reproducible.

JOBS_JSON (set by precompile.mjs): {"jobs": [{"kind": "stdlib"|"wheel",
"src": "/work/...", "dst": "/work/...", "drop": [glob patterns],
"roots": [module names] | null}], "keep_source": bool, "hot": [module names] | null}

"drop": archive members left out (e.g. ``pydantic/v1/*``, never imported).
Docstrings are left out of the bytecode (`without_docstrings`), except in modules that
read ``__doc__`` themselves.

"roots" (stdlib only): ship only these modules and what they import, see
`import_closure`; the rest of the standard library is left out.

The archives are written uncompressed (ZIP_STORED): the build writes brotli,
zstd and gzip siblings of them (`sitebuild.site.precompress`), and one stream over
the whole archive compresses far better than each member on its own (the
pruned stdlib: 1.23 MB brotli against 1.77 MB deflated member by member).

With "hot", only those modules get bytecode and the others keep their
source (still importable, compiled on first import): the pages import a
few hundred of the stdlib's and pydantic's modules, and a pyc is about
twice the size of its compressed source, so compiling everything would
add over a megabyte of download for modules no page runs.

Where the pyc goes: zipimport (stdlib) wants ``mod.pyc`` next to where
``mod.py`` would be; wheels are extracted to site-packages, where a pyc
beside its source must be ``__pycache__/mod.<cache_tag>.pyc``, and a
sourceless one ``mod.pyc``. With keep_source the .py files stay
(tracebacks show source lines). A wheel's RECORD is left alone: Pyodide
does not check it and nothing uninstalls wheels in the browser.
"""

import ast
import fnmatch
import importlib.util
import json
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore[attr-defined]  # what py_compile uses

STDLIB_PREFIX = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
SITE_PREFIX = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages/"
TAG = sys.implementation.cache_tag


_DOC_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def without_docstrings(tree: ast.Module) -> ast.Module:
    """`tree` with its docstrings removed (what ``python -OO`` drops; assertions stay).

    Docstrings are about a megabyte of the bytecode the pages download (the standard
    library's hot modules, pydantic, the calculator) and nothing the pages run reads them;
    `pyc_bytes` keeps them in a module whose own code mentions ``__doc__``. Line numbers are
    unchanged; a body that was only a docstring becomes ``pass``.
    """
    for node in ast.walk(tree):
        if not isinstance(node, _DOC_OWNERS) or not node.body:
            continue
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            node.body[0] = ast.copy_location(ast.Pass(), first)
            if len(node.body) > 1:
                del node.body[0]
    return tree


def pyc_bytes(source: bytes, filename: str) -> bytes | None:
    try:
        tree = ast.parse(source, filename)
    except SyntaxError:
        return None  # e.g. deliberately broken test data: ship as is
    if b"__doc__" not in source:
        tree = without_docstrings(tree)
    code = compile(tree, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def module_name(path: str) -> str:
    """ "pydantic/v1/main.py" -> "pydantic.v1.main"; "email/__init__.py" -> "email"."""
    dotted = path[: -len(".py")].replace("/", ".")
    return dotted.removesuffix(".__init__")


def _runs_on_import(tree: ast.Module) -> list[ast.AST]:
    """Statements executed when the module is imported: everything outside function
    bodies and outside ``if __name__ == "__main__":`` blocks."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            continue
        found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _imported(source: bytes, module: str, is_package: bool) -> set[str]:
    """Dotted names a module imports when it is imported (candidates; filtered by the caller)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _runs_on_import(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)  # "from pkg import submodule"
    return names


def import_closure(zin: zipfile.ZipFile, roots: frozenset[str]) -> set[str]:
    """The stdlib modules of ``roots`` (those found in the archive), their parent
    packages, and everything these import when imported, transitively.

    The roots are what the pages imported when every engine function ran (recorded,
    so imports inside functions on those paths are in) plus every import written in
    the engine and the on-demand packages (see `sitebuild.runtime.vendor.stdlib_roots`);
    the closure adds what importing them pulls in, whichever branch runs."""
    sources: dict[str, tuple[str, bool]] = {}
    for name in zin.namelist():
        if name.endswith(".py"):
            is_package = name.endswith("/__init__.py")
            sources[module_name(name)] = (name, is_package)
    keep: set[str] = set()
    todo = [r for r in roots if r in sources]
    while todo:
        module = todo.pop()
        if module in keep:
            continue
        keep.add(module)
        parent = module.rpartition(".")[0]
        if parent:
            todo.append(parent)
        path, is_package = sources[module]
        for name in _imported(zin.read(path), module, is_package):
            parts = name.split(".")
            todo.extend(p for p in (".".join(parts[:k]) for k in range(1, len(parts) + 1)) if p in sources)
    return keep


def _member_module(name: str) -> str | None:
    """The module an archive member belongs to ("a/b.py" -> "a.b"), its package for
    data files ("ctypes/macholib/README" -> "ctypes.macholib"), None at the top level."""
    if name.endswith(".py"):
        return module_name(name)
    folder = name.rstrip("/").rpartition("/")[0] if not name.endswith("/") else name.rstrip("/")
    return folder.replace("/", ".") or None


def rewrite(
    kind: str, src: str, dst: str, keep_source: bool, hot: frozenset[str] | None,
    drop: list[str], roots: frozenset[str] | None,
) -> tuple[int, int, int]:
    done = skipped = dropped = 0
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout,
    ):
        keep = import_closure(zin, roots) if roots is not None else None
        for info in zin.infolist():
            name = info.filename
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in drop):
                dropped += 1
                continue
            if keep is not None and _member_module(name) not in keep:
                dropped += 1
                continue
            data = zin.read(info)
            cold = hot is not None and module_name(name) not in hot
            if not name.endswith(".py") or ".dist-info/" in name or cold:
                zout.writestr(info, data, compress_type=zipfile.ZIP_STORED)
                continue
            shown = (STDLIB_PREFIX if kind == "stdlib" else SITE_PREFIX) + name
            if kind == "stdlib" or not keep_source:
                pyc_name = name + "c"  # sourceless import: mod.pyc where mod.py was
            else:
                folder, _, base = name.rpartition("/")
                pyc_name = (folder + "/" if folder else "") + f"__pycache__/{base[:-3]}.{TAG}.pyc"
            pyc = pyc_bytes(data, shown)
            if pyc is None:
                skipped += 1
                zout.writestr(info, data, compress_type=zipfile.ZIP_STORED)
                continue
            done += 1
            out = zipfile.ZipInfo(pyc_name, date_time=info.date_time)
            out.external_attr = info.external_attr
            zout.writestr(out, pyc, compress_type=zipfile.ZIP_STORED)
            if keep_source:
                zout.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    return done, skipped, dropped


config = json.loads(globals()["JOBS_JSON"])  # set by precompile.mjs
hot_modules = None if config.get("hot") is None else frozenset(config["hot"])
for job in config["jobs"]:
    roots = job.get("roots")
    n, s, d = rewrite(
        job["kind"], job["src"], job["dst"], bool(config["keep_source"]), hot_modules,
        list(job.get("drop") or []), None if roots is None else frozenset(roots),
    )
    print(f"{job['kind']}: {job['src'].rsplit('/', 1)[-1]}: {n} compiled, {s} left as source, {d} left out")
