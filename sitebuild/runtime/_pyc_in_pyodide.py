"""Runs INSIDE Pyodide (CPython 3.14 under Node), started by precompile.mjs.

Rewrites zip archives (the stdlib zip, wheels) so that every ``.py`` gets
bytecode compiled by the very interpreter that will run it. The pycs are
hash-based and unchecked (PEP 552): no mtime checks, so they stay valid
after extraction and are reproducible.

JOBS_JSON (set by precompile.mjs): {"jobs": [{"kind": "stdlib"|"wheel",
"src": "/work/...", "dst": "/work/..."}], "keep_source": bool,
"hot": [module names] | null}

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

import importlib.util
import json
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore[attr-defined]  # what py_compile uses

STDLIB_PREFIX = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
SITE_PREFIX = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages/"
TAG = sys.implementation.cache_tag


def pyc_bytes(source: bytes, filename: str) -> bytes | None:
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError:
        return None  # e.g. deliberately broken test data: ship as is
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def module_name(path: str) -> str:
    """ "pydantic/v1/main.py" -> "pydantic.v1.main"; "email/__init__.py" -> "email"."""
    dotted = path[: -len(".py")].replace("/", ".")
    return dotted.removesuffix(".__init__")


def rewrite(kind: str, src: str, dst: str, keep_source: bool, hot: frozenset[str] | None) -> tuple[int, int]:
    done = skipped = 0
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            cold = hot is not None and module_name(name) not in hot
            if not name.endswith(".py") or ".dist-info/" in name or cold:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
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
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
                continue
            done += 1
            out = zipfile.ZipInfo(pyc_name, date_time=info.date_time)
            out.external_attr = info.external_attr
            zout.writestr(out, pyc, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
            if keep_source:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return done, skipped


config = json.loads(globals()["JOBS_JSON"])  # set by precompile.mjs
hot_modules = None if config.get("hot") is None else frozenset(config["hot"])
for job in config["jobs"]:
    n, s = rewrite(job["kind"], job["src"], job["dst"], bool(config["keep_source"]), hot_modules)
    print(f"{job['kind']}: {job['src'].rsplit('/', 1)[-1]}: {n} compiled, {s} left as source")
