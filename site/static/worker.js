// Module Web Worker: a generic bridge from the page to the Python module
// `calculator.doors.browser`. No rules live here; every calculation is Python.
//
// Page -> worker:  {id, fn, args}   fn in calculator.doors.browser.__all__,
//                                   args: array of strings (JSON text)
//                  {id, load: [names]}  load packages that the lock marks on-demand
//                                   (tool.xueshi.load, see sitebuild/runtime/vendor.py), e.g.
//                                   ["openpyxl"] before the batch page reads an XLSX;
//                                   answered like a call, result '{"ok":true,"loaded":[...]}'
//                  {type: "ping"}   answered {type: "pong"} (the page's heartbeat where there
//                                   are no Web Locks, see js/engine.js)
// Worker -> page:  {type: "alive", lock}  first: the name of the Web Lock held while this worker
//                                   lives (secure contexts only); the page asks for it and is
//                                   granted it the moment the worker is gone
//                  {type: "progress", stage: "runtime"|"packages"|"ready", detail}
//                  {type: "ready"} | {type: "fatal", message}
//                  {id, ok: true, result} | {id, ok: false, error, errorType?}
//
//                  {type: "snapshot", state: "restored"|"missing"|"stale"|"impossible"}  after start-up:
//                                   whether this runtime came from a memory snapshot (static/snapshot.js),
//                                   and whether one is worth making (missing, or made with other rules)
//
// With ?role=snapshot it answers one message only: {type: "make", rules, case} -> it starts a runtime
// of its own in snapshot mode, loads the rules, computes the case (building the models a result
// needs), stores the snapshot and says {type: "snapshot-stored"} or {type: "snapshot-failed", message}.
//
// Create it with: new Worker(new URL("static/worker.js", document.baseURI), {type: "module"})
// The runtime lives in ../pyodide/ relative to this file; every URL is
// derived from import.meta.url so the site works under any sub-path.

import * as snap from "./snapshot.js";

const INDEX_URL = new URL("../pyodide/", import.meta.url).href;
const PARAMS = new URL(import.meta.url).searchParams;
// The studio page (studio.html) asks for its own bridge with ?entry=studio.
const ENTRIES = { studio: "calculator.doors.studio" };
const ENTRY_MODULE = ENTRIES[PARAMS.get("entry")] || "calculator.doors.browser";
const ROLE = PARAMS.get("role"); // "snapshot": make and store a memory snapshot, see above
// Snapshots hold the calculator's bridge only (the studio's start is not worth 38 MB of storage).
const SNAPSHOTS = !PARAMS.get("entry") && snap.possible();
const ENV = { PYDANTIC_DISABLE_PLUGINS: "__all__" };

let pyodide = null; // the runtime, once ready
let entry = null; // PyProxy of calculator.doors.browser
let exported = new Set(); // names in calculator.doors.browser.__all__
let fatal = null; // Chinese message once loading failed
let onDemand = new Set(); // lock packages left out at start-up, loaded on request
const queued = []; // requests that arrived before ready
let restored = null; // {rules, init} when this runtime is a restored snapshot (rules: SHA-256 of their text)

// A worker obeys the CSP of its own response; log violations so that they
// show up on the page's console (tests collect console errors).
self.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation in worker: ${e.violatedDirective} blocked ${e.blockedURI}`);
});

// Held until this worker ends, however it ends (closed, terminated, crashed, out of memory):
// the page learns of it at once by asking for the same lock (js/engine.js watchLife).
if (self.navigator && navigator.locks && self.crypto && crypto.randomUUID) {
  const lock = `xueshi-engine-${crypto.randomUUID()}`;
  navigator.locks.request(lock, () => {
    self.postMessage({ type: "alive", lock });
    return new Promise(() => {}); // never released while the worker lives
  }).catch(() => {});
}

function progress(stage, detail) {
  self.postMessage({ type: "progress", stage, detail });
}

async function fetchLock() {
  const lockURL = new URL("pyodide-lock.json", INDEX_URL);
  const resp = await fetch(lockURL, { cache: "no-cache" });
  if (!resp.ok) throw new Error(`${lockURL.pathname}: HTTP ${resp.status}`);
  return resp.text();
}

/** The lock's packages: those installed at start-up, and those loaded on demand. */
function packageLists(lock) {
  const isOnDemand = (p) => p && p.tool && p.tool.xueshi && p.tool.xueshi.load === "on-demand";
  const later = new Set(Object.keys(lock.packages).filter((name) => isOnDemand(lock.packages[name])));
  return { startup: Object.keys(lock.packages).filter((name) => !later.has(name)), later };
}

/**
 * The runtime restored from the snapshot kept for this lock file and worker version, or null
 * (none kept, or it cannot be restored: then it is deleted and the usual start follows).
 */
async function restoreSnapshot(loadPyodide, lock, lockText, packages) {
  const key = await snap.snapshotKey(lockText, PARAMS.get("v") || "");
  const kept = await snap.readSnapshot(key).catch(() => null);
  if (!kept) return null;
  try {
    const [files, { default: createPyodideModule }] = await Promise.all([
      snap.wheelFiles(lock, INDEX_URL, packages),
      import("../pyodide/pyodide.asm.mjs"),
    ]);
    const libraries = await snap.compileLibraries(files);
    const runtime = await loadPyodide({
      indexURL: INDEX_URL, lockFileContents: lock, packageBaseUrl: INDEX_URL, env: ENV,
      _loadSnapshot: kept.bytes,
      createPyodideModule: snap.withPreloadedLibraries(createPyodideModule, files, libraries, kept.bytes),
      fsInit: async () => progress("packages", "正在恢复上次使用的计算引擎…"),
    });
    const module = runtime.pyimport(ENTRY_MODULE);
    const check = module.catalog(); // the restored Python answers, its extension module included
    if (typeof check !== "string" || !JSON.parse(check).ok) throw new Error("restored engine does not answer");
    restored = { rules: kept.rules, init: kept.init };
    return { runtime, module };
  } catch (err) {
    console.warn("engine snapshot not used:", err);
    await snap.dropSnapshot(key);
    return null;
  }
}

async function start() {
  progress("runtime", "正在下载 Python 运行环境…");
  // Dynamic import (not a static one) so that a missing runtime becomes a
  // "fatal" message instead of a bare worker error. We fetch the small lock
  // file ourselves, in parallel, to learn the package list; passing it as
  // lockFileContents saves Pyodide a second request for it.
  const [{ loadPyodide }, lockText] = await Promise.all([
    import("../pyodide/pyodide.mjs"),
    fetchLock(),
  ]);
  const lock = JSON.parse(lockText);
  const { startup: packages, later } = packageLists(lock);
  onDemand = later;

  const fromSnapshot = SNAPSHOTS ? await restoreSnapshot(loadPyodide, lock, lockText, packages) : null;
  let module;
  if (fromSnapshot) {
    ({ runtime: pyodide, module } = fromSnapshot);
  } else {
    pyodide = await loadPyodide({
      indexURL: INDEX_URL,
      lockFileContents: lock,
      packageBaseUrl: INDEX_URL, // required with lockFileContents; relative file_name resolve here
      packages, // fetched in parallel with interpreter start-up
      // pydantic would otherwise read every installed package's entry points, looking for
      // plugins, when the first model is defined; the site installs none.
      env: ENV,
      // Called once the wasm runtime is instantiated, before Python starts.
      fsInit: async () => progress("packages", "正在加载计算所需的 Python 包…"),
    });
    module = pyodide.pyimport(ENTRY_MODULE);
  }
  self.postMessage({ type: "snapshot", state: fromSnapshot ? "restored" : SNAPSHOTS ? "missing" : "impossible" });
  const all = module.__all__;
  if (!all || typeof all.toJs !== "function") throw new Error(`${ENTRY_MODULE}.__all__ 缺失`);
  exported = new Set(all.toJs());
  all.destroy();
  entry = module; // from here on, requests are served
  progress("ready", "计算引擎已就绪");
  self.postMessage({ type: "ready" });
}

// Deepest JSON nesting accepted (a case file needs about 5 levels).
const MAX_DEPTH = 100;

/** Whether a JSON text nests deeper than MAX_DEPTH (brackets inside strings do not count). */
function tooDeep(text) {
  if (!/^\s*[[{]/.test(text)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      depth += 1;
      if (depth > MAX_DEPTH) return true;
    } else if (c === 93 || c === 125) {
      depth -= 1;
    }
  }
  return false;
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
  if (args.some(tooDeep)) {
    // Refused here: Python's JSON parser would overflow the WebAssembly stack and
    // take the whole runtime down (a Pyodide "fatal error"), not raise RecursionError.
    const problems = [{ path: "（整个文件）", code: "too_deep", message: `内容嵌套超过 ${MAX_DEPTH} 层，不是本工具的文件，无法读取` }];
    return { id, ok: true, result: JSON.stringify({ ok: false, problems }) };
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

async function load(msg) {
  const { id, load: names } = msg;
  if (fatal !== null) return { id, ok: false, error: fatal };
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && onDemand.has(n))) {
    return { id, ok: false, error: `未知的组件：${String(names)}` };
  }
  try {
    await pyodide.loadPackage(names, { messageCallback: () => {}, checkIntegrity: true });
    return { id, ok: true, result: JSON.stringify({ ok: true, loaded: names }) };
  } catch (err) {
    console.error(`loadPackage(${names}) failed:`, err);
    return { id, ok: false, error: `无法加载所需组件（${names.join("、")}），请检查网络后重试。` };
  }
}

/**
 * init() in a restored runtime: the snapshot holds rules already; for the same text (by its
 * SHA-256) its answer is the one recorded when the snapshot was made. Other rules are loaded as
 * usual, and the page is told that the snapshot is stale.
 */
async function initRestored(msg) {
  const { rules, init } = restored;
  restored = null; // once: a later init loads what it is given
  if (typeof msg.args?.[0] === "string" && init && (await snap.sha256(msg.args[0])) === rules) {
    return { id: msg.id, ok: true, result: init };
  }
  self.postMessage({ type: "snapshot", state: "stale" });
  return call(msg);
}

let serial = Promise.resolve(); // requests are answered in the order they came
function dispatch(msg) {
  serial = serial.then(async () => {
    if (Array.isArray(msg.load)) self.postMessage(await load(msg));
    else if (msg.fn === "init" && restored) self.postMessage(await initRestored(msg));
    else self.postMessage(call(msg));
  });
}

self.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg !== null && typeof msg === "object" && msg.type === "ping") {
    self.postMessage({ type: "pong" });
    return;
  }
  if (msg === null || typeof msg !== "object" || !("id" in msg)) return;
  if (entry === null && fatal === null) {
    queued.push(msg);
    return;
  }
  dispatch(msg);
});

/** role=snapshot: a runtime in snapshot mode, the rules loaded and a case computed, stored (static/snapshot.js). */
async function makeSnapshot(rulesText, caseText) {
  const [{ loadPyodide }, lockText, { default: createPyodideModule }] = await Promise.all([
    import("../pyodide/pyodide.mjs"), fetchLock(), import("../pyodide/pyodide.asm.mjs"),
  ]);
  const lock = JSON.parse(lockText);
  const { startup } = packageLists(lock);
  const files = await snap.wheelFiles(lock, INDEX_URL, startup);
  const runtime = await loadPyodide({
    indexURL: INDEX_URL, lockFileContents: lock, packageBaseUrl: INDEX_URL, env: ENV,
    _makeSnapshot: true,
    createPyodideModule: snap.withPreloadedLibraries(createPyodideModule, files, await snap.compileLibraries(files), null),
  });
  runtime.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(snap.FILES)})`);
  const module = runtime.pyimport(ENTRY_MODULE);
  const init = module.init(rulesText);
  if (!JSON.parse(init).ok) throw new Error("the rules do not load");
  if (caseText) module.evaluate(caseText); // builds the models a result needs, now rather than on restore
  module.destroy();
  const bytes = runtime.makeMemorySnapshot();
  await snap.storeSnapshot(await snap.snapshotKey(lockText, PARAMS.get("v") || ""), bytes, await snap.sha256(rulesText), init);
}

if (ROLE === "snapshot") {
  self.addEventListener("message", (event) => {
    const msg = event.data;
    if (!msg || msg.type !== "make" || typeof msg.rules !== "string") return;
    makeSnapshot(msg.rules, typeof msg.case === "string" ? msg.case : "").then(
      () => self.postMessage({ type: "snapshot-stored" }),
      (err) => {
        console.warn("engine snapshot not made:", err);
        self.postMessage({ type: "snapshot-failed", message: String((err && err.message) || err) });
      },
    );
  });
} else start()
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
    for (const msg of queued.splice(0)) dispatch(msg);
  });
