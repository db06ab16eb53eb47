// Service worker of 学时自查: a second visit works without a network.
//
// Written into the site root as sw.js by sitebuild/site/offline.py, which fills in
// VERSION (a hash of the cached files) and PRECACHE (every file the calculator and
// batch pages need, relative to the site root). static/boot.js registers it only
// where browsers allow service workers on a real site, HTTPS (on a plain-HTTP
// intranet host there is none, and the page works as before), or on localhost
// with ?sw=1 for testing.
//
// * install: cache PRECACHE in "xueshi-<VERSION>"; activate: delete older caches.
// * files whose URL changes with their content (pyodide/ except its .json index
//   files, names with a content hash, ?v=<hash>): cache first.
// * everything else (pages, index files): network first, the cache when the
//   network fails or is slower than NETWORK_TIMEOUT_MS.
// Only GET requests to this site, within its folder, are touched.

const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = `xueshi-${VERSION}`;
const SCOPE = new URL("./", self.location.href).href;
const NETWORK_TIMEOUT_MS = 5000;
const HASH_TOKEN = /(?:^|[./_-])(?=[0-9]*[a-f])[0-9a-f]{8,}(?:[./_-]|$)/;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE.map((path) => new Request(new URL(path, SCOPE), { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("xueshi-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isVersioned(url) {
  const rel = url.href.slice(SCOPE.length).split(/[?#]/)[0];
  if (rel.startsWith("pyodide/") && !rel.endsWith(".json")) return true;
  return url.searchParams.has("v") || HASH_TOKEN.test(rel);
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true })) || null;
}

async function keep(request, response) {
  if (response.ok && response.status === 200 && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  try {
    return await keep(request, await fetch(request));
  } catch (err) {
    const fallback = await fromCache(request);
    if (fallback) return fallback;
    throw err;
  }
}

async function networkFirst(request) {
  const network = fetch(request).then((response) => keep(request, response));
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, null); });
  try {
    const response = await Promise.race([network, slow]);
    if (response) return response;
    const cached = await fromCache(request);
    return cached || (await network);
  } catch (err) {
    const cached = await fromCache(request);
    if (cached) return cached;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  if (request.headers.has("range")) return;
  event.respondWith(isVersioned(url) ? cacheFirst(request) : networkFirst(request));
});
