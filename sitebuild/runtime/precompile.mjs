// Precompile Python sources to bytecode with Pyodide's own CPython (run in
// Node), because .pyc files are only valid for the exact Python version
// (3.14 here) and the build machine's Python is another one.
//
//   node sitebuild/runtime/precompile.mjs PYODIDE_DIR WORK_DIR JOBS_JSON
//
// PYODIDE_DIR: the extracted npm package; WORK_DIR: a host directory that
// is mounted at /work inside Pyodide; JOBS_JSON: a file in WORK_DIR, see
// _pyc_in_pyodide.py. Called by sitebuild/runtime/vendor.py, not by hand.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, workDir, jobsFile] = process.argv.slice(2);
if (!jobsFile) {
  console.error("usage: node precompile.mjs PYODIDE_DIR WORK_DIR JOBS_JSON");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + path.sep,
  stdout: (s) => console.log(s),
  stderr: (s) => console.error(s),
});
pyodide.mountNodeFS("/work", path.resolve(workDir));
const code = await readFile(new URL("./_pyc_in_pyodide.py", import.meta.url), "utf8");
pyodide.globals.set("JOBS_JSON", await readFile(jobsFile, "utf8"));
pyodide.runPython(code, { filename: "_pyc_in_pyodide.py" });
