// Module Web Worker: a generic bridge from the page to the Python module
// `calculator.browser`. No rules live here; every calculation is Python.
//
// Page -> worker:  {id, fn, args}   fn in calculator.browser.__all__,
//                                   args: array of strings (JSON text)
// Worker -> page:  {type: "progress", stage: "runtime"|"packages"|"ready", detail}
//                  {type: "ready"} | {type: "fatal", message}
//                  {id, ok: true, result} | {id, ok: false, error, errorType?}
//
// Create it with: new Worker(new URL("static/worker.js", document.baseURI), {type: "module"})
// The runtime lives in ../pyodide/ relative to this file; every URL is
// derived from import.meta.url so the site works under any sub-path.

const INDEX_URL = new URL("../pyodide/", import.meta.url).href;
const ENTRY_MODULE = "calculator.browser";

let pyodide = null; // the runtime, once ready
let entry = null; // PyProxy of calculator.browser
let exported = new Set(); // names in calculator.browser.__all__
let fatal = null; // Chinese message once loading failed
const queued = []; // requests that arrived before ready

// A worker obeys the CSP of its own response; log violations so that they
// show up on the page's console (tests collect console errors).
self.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation in worker: ${e.violatedDirective} blocked ${e.blockedURI}`);
});

function progress(stage, detail) {
  self.postMessage({ type: "progress", stage, detail });
}

async function fetchLock() {
  const lockURL = new URL("pyodide-lock.json", INDEX_URL);
  const resp = await fetch(lockURL, { cache: "no-cache" });
  if (!resp.ok) throw new Error(`${lockURL.pathname}: HTTP ${resp.status}`);
  return resp.json();
}

async function start() {
  progress("runtime", "正在下载 Python 运行环境…");
  // Dynamic import (not a static one) so that a missing runtime becomes a
  // "fatal" message instead of a bare worker error. We fetch the small lock
  // file ourselves, in parallel, to learn the package list; passing it as
  // lockFileContents saves Pyodide a second request for it.
  const [{ loadPyodide }, lock] = await Promise.all([
    import("../pyodide/pyodide.mjs"),
    fetchLock(),
  ]);
  const packages = Object.keys(lock.packages);

  pyodide = await loadPyodide({
    indexURL: INDEX_URL,
    lockFileContents: lock,
    packageBaseUrl: INDEX_URL, // required with lockFileContents; relative file_name resolve here
    packages, // fetched in parallel with interpreter start-up
    // Called once the wasm runtime is instantiated, before Python starts.
    fsInit: async () => progress("packages", "正在加载计算所需的 Python 包…"),
  });

  const module = pyodide.pyimport(ENTRY_MODULE);
  const all = module.__all__;
  if (!all || typeof all.toJs !== "function") throw new Error(`${ENTRY_MODULE}.__all__ 缺失`);
  exported = new Set(all.toJs());
  all.destroy();
  entry = module; // from here on, requests are served
  progress("ready", "计算引擎已就绪");
  self.postMessage({ type: "ready" });
}

function call(msg) {
  const { id, fn, args } = msg;
  if (fatal !== null) return { id, ok: false, error: fatal };
  if (typeof fn !== "string" || !exported.has(fn)) {
    return { id, ok: false, error: `未知的计算功能：${String(fn)}` };
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    return { id, ok: false, error: "调用参数无效（必须是字符串）" };
  }
  const func = entry[fn];
  try {
    const result = func(...args);
    if (typeof result !== "string") {
      if (result && typeof result.destroy === "function") result.destroy();
      console.error(`${ENTRY_MODULE}.${fn} returned ${typeof result}, expected str`);
      return { id, ok: false, error: "计算引擎返回了无效结果" };
    }
    return { id, ok: true, result };
  } catch (err) {
    // Full details (Python traceback) go to the console only; the page gets
    // a short message that never contains Python internals.
    const isPython = pyodide && err instanceof pyodide.ffi.PythonError;
    console.error(`${ENTRY_MODULE}.${fn} failed:`, isPython ? err.message : err);
    return {
      id,
      ok: false,
      error: "计算过程中出现内部错误，请检查输入后重试。",
      errorType: isPython ? err.type : "Error",
    };
  } finally {
    func.destroy();
  }
}

self.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg === null || typeof msg !== "object" || !("id" in msg)) return;
  if (entry === null && fatal === null) {
    queued.push(msg);
    return;
  }
  self.postMessage(call(msg));
});

start()
  .catch((err) => {
    console.error("Python runtime failed to load:", err);
    // One line of reason, never a traceback: for a Python error its last line
    // ("ModuleNotFoundError: ..."), otherwise the JS message's first line.
    const lines = String((err && err.message) || err).trim().split("\n");
    const isPython = pyodide && err instanceof pyodide.ffi.PythonError;
    const detail = isPython ? lines[lines.length - 1] : lines[0];
    fatal = `计算引擎加载失败：${detail}`;
    self.postMessage({ type: "fatal", message: fatal });
  })
  .finally(() => {
    for (const msg of queued.splice(0)) self.postMessage(call(msg));
  });
