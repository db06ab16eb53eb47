// A memory snapshot of the engine's Python, made in this browser and restored on the next
// visit (issue #22): the interpreter's start-up, installing the packages, importing pydantic
// and the calculator and loading the rules are then one copy of memory instead of seconds of
// WebAssembly work. Used by static/worker.js; nothing here knows any rule.
//
// Pyodide 314's `_makeSnapshot` / `_loadSnapshot` options copy the WebAssembly linear memory.
// What is not in that memory must be the same in the run that made the snapshot and the one
// that restores it:
// * pydantic-core's extension module (a dynamic library): its code is a separate WebAssembly
//   instance whose data lives at a memory base and whose functions sit in the function table at
//   a table base. Loaded the usual way (at import, after the interpreter started) both depend on
//   what ran before, and a restored snapshot calls into table slots that hold nothing ("table
//   index is out of bounds"). Here it is loaded in both runs at the same moment, before the
//   runtime's constructors run (a preRun step, through loadPyodide's createPyodideModule
//   option): its memory comes from the bump allocator at __heap_base and its table base is the
//   main module's table length, the same in every run, as Cloudflare's Python Workers keep them
//   (workerd src/pyodide/internal/snapshot.ts: load order, memory and table bases replayed).
//   Python's import later finds it already loaded (LDSO.loadedLibsByName).
// * the files: the snapshot holds no file system, so the wheels are unpacked into FILES in both
//   runs (pydantic imports some modules lazily, when first used), outside site-packages so that
//   Pyodide does not take them for installed packages (a package list it would then have to
//   serialise).
// * no JavaScript object may be left in Python's reference table (Pyodide refuses to snapshot
//   one): the packages are not installed with loadPackage, and only strings cross.
//
// The snapshot is made in a worker of its own (role=snapshot) once a page has shown a result
// and stayed idle, and kept in Cache Storage under a key made of the lock file (Pyodide's
// version, every wheel's sha256) and the worker's own version; the rules it was made with are
// recorded by their SHA-256. A snapshot that cannot be read, was made by another runtime build
// or fails its check is deleted and the engine starts the usual way.

// Not "xueshi-…": the service worker (sw.js) deletes every cache of that prefix but its own when it activates.
export const CACHE = "engine-snapshot.xueshi";
export const FILES = "/xueshi/lib/";

const enc = new TextEncoder();

export async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", typeof text === "string" ? enc.encode(text) : text);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether this browser can keep a snapshot (Cache Storage and SubtleCrypto: secure contexts). */
export function possible() {
  return Boolean(self.caches && self.crypto && crypto.subtle && self.isSecureContext);
}

/** The entries of a zip whose files are stored uncompressed (how the build writes wheels): name -> bytes. */
export function unzipStored(buf) {
  const out = new Map();
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = buf.length - 22;
  while (eocd >= 0 && dv.getUint32(eocd, true) !== 0x06054b50) eocd -= 1;
  if (eocd < 0) throw new Error("not a zip file");
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const names = new TextDecoder();
  for (let i = 0; i < count; i += 1) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new Error("damaged zip directory");
    const method = dv.getUint16(p + 10, true);
    const size = dv.getUint32(p + 20, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const local = dv.getUint32(p + 42, true);
    const name = names.decode(buf.subarray(p + 46, p + 46 + nameLen));
    if (method !== 0) throw new Error(`${name}: compressed in the zip (method ${method})`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (!name.endsWith("/")) out.set(name, buf.subarray(start, start + size));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Every file of the start-up wheels (lock entries not loaded on demand): path -> bytes. */
export async function wheelFiles(lock, indexURL, packages) {
  const files = new Map();
  const wheels = await Promise.all(packages.map(async (name) => {
    const url = new URL(lock.packages[name].file_name, indexURL);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }));
  for (const wheel of wheels) for (const [name, bytes] of unzipStored(wheel)) files.set(name, bytes);
  return files;
}

/** The dynamic libraries among `files`, compiled (in the background, unlike a compilation at load): name -> WebAssembly.Module. */
export async function compileLibraries(files) {
  const names = [...files.keys()].filter((n) => n.endsWith(".so")).sort();
  const modules = await Promise.all(names.map((n) => WebAssembly.compile(files.get(n))));
  return new Map(names.map((n, i) => [n, modules[i]]));
}

/**
 * loadPyodide's createPyodideModule option: the runtime's own, with a preRun step that writes
 * `files` under FILES, makes the memory as large as `snapshot` (its size is fixed in the wasm
 * file) and loads every dynamic library (`libraries`, compileLibraries) before the runtime's
 * constructors (see above), always in the same order.
 */
export function withPreloadedLibraries(createPyodideModule, files, libraries, snapshot) {
  return (settings) => {
    settings.preRun = [...(settings.preRun || []), (Module) => {
      for (const [name, bytes] of files) {
        const path = FILES + name;
        Module.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
        Module.FS.writeFile(path, bytes);
      }
      if (snapshot) Module.growMemory(snapshot.length);
      for (const [name, compiled] of libraries) {
        const path = FILES + name;
        const dso = Module.newDSO(path, undefined, "loading");
        dso.refcount = Infinity;
        dso.global = false;
        dso.exports = Module.loadWebAssemblyModule(compiled, { allowUndefined: true }, path, {});
        Module.LDSO.loadedLibsByName[path] = dso;
        Module.LDSO.loadedLibsByName[name.split("/").at(-1)] = dso;
      }
    }];
    return createPyodideModule(settings);
  };
}

/** The Cache Storage key of a snapshot for this lock file and worker version. */
export async function snapshotKey(lockText, version) {
  return new URL(`/__xueshi-snapshot/${await sha256(`${version}\n${lockText}`)}`, self.location.origin).href;
}

/** {bytes, rules (SHA-256 of the rules text it holds), init (init's answer for them)} or null. */
export async function readSnapshot(key) {
  const cache = await caches.open(CACHE);
  const [response, about] = await Promise.all([cache.match(key), cache.match(`${key}?about`)]);
  if (!response || !about) return null;
  const { rules, init } = await about.json();
  return { bytes: new Uint8Array(await response.arrayBuffer()), rules, init };
}

export async function storeSnapshot(key, bytes, rules, init) {
  const cache = await caches.open(CACHE);
  for (const old of await cache.keys()) await cache.delete(old); // one snapshot: the current version's
  await cache.put(`${key}?about`, new Response(JSON.stringify({ rules, init }), { headers: { "content-type": "application/json" } }));
  await cache.put(key, new Response(bytes, { headers: { "content-type": "application/octet-stream" } }));
}

export async function dropSnapshot(key) {
  try {
    const cache = await caches.open(CACHE);
    await Promise.all([cache.delete(key), cache.delete(`${key}?about`)]);
  } catch {
    // nothing kept, or storage refused: the next start is the usual one anyway
  }
}
