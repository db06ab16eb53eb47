// Service worker of 学时自查: a second visit works without a network.
//
// Written into the site root as sw.js by sitebuild/site/offline.py, which fills in
// VERSION (a hash of the cached files), PRECACHE (every file the calculator, batch and
// studio pages need, and the guides' shell: assets, home page, the "not kept" page;
// relative to the site root) and GUIDE (where each rule set's guide pages are listed, or
// null for a site without guides). static/boot.js registers it only where browsers allow
// service workers on a real site, HTTPS (on a plain-HTTP intranet host there is none, and
// the page works as before), or on localhost with ?sw=1 for testing.
//
// * install: cache PRECACHE in "xueshi-<VERSION>", and fetch again what the previous
//   version's cache had kept beyond its precache (guide pages opened, the search index);
//   activate: delete older caches.
// * files whose URL changes with their content (pyodide/ except its .json index
//   files, names with a content hash, ?v=<hash>): cache first.
// * everything else (pages, index files): network first, the cache when the
//   network fails or is slower than NETWORK_TIMEOUT_MS. What loads is kept, so a guide
//   page opened once opens offline. A guide page never kept, opened offline, shows
//   GUIDE.missing (which says so) instead of the browser's error page.
// * message {type: "xueshi-keep", rule_set: id}: keep that rule set's guide pages (the
//   calculator sends it when a rule set is chosen). {type: "xueshi-keep", page: url}: keep
//   that guide page, the search index and, when it is a rule set's own page, that rule set's
//   pages (a guide page sends it once the worker is ready: the first page of a first visit
//   was loaded before the worker controlled it). Which pages belong to a rule set is build
//   data (GUIDE.pages), not decided here. Answers on the message's port with
//   {kept: [rule set ids], failed: [paths]}.
// Only GET requests to this site, within its folder, are touched.

const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const GUIDE = __GUIDE__;
const CACHE = `xueshi-${VERSION}`;
const SCOPE = new URL("./", self.location.href).href;
const NETWORK_TIMEOUT_MS = 5000;
const HASH_TOKEN = /(?:^|[./_-])(?=[0-9]*[a-f])[0-9a-f]{8,}(?:[./_-]|$)/;

const fresh = (href) => new Request(href, { cache: "no-cache" });

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const precached = PRECACHE.map((path) => new URL(path, SCOPE).href);
    await cache.addAll(precached.map(fresh));
    await keepAgain(new Set(precached));
    await self.skipWaiting();
  })());
});

/** What earlier versions kept beyond their precache, fetched again for this version (a page
 * the new build no longer has, or one that cannot be fetched now, is left out). */
async function keepAgain(precached) {
  const wanted = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith("xueshi-") || name === CACHE) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const url = new URL(request.url);
      if (!precached.has(url.href) && url.href.startsWith(SCOPE) && !isVersioned(url)) wanted.add(url.href);
    }
  }
  await Promise.allSettled([...wanted].map((href) => fetch(fresh(href)).then((response) => keep(fresh(href), response))));
}

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

/** Offline, a guide page this browser never kept: the page that says so (its own URL, so
 * that its relative links work), told which page was asked for. */
function missingGuidePage(request) {
  if (!GUIDE || request.mode !== "navigate") return null;
  const root = new URL(GUIDE.root, SCOPE).href;
  if (!request.url.startsWith(root)) return null;
  const target = new URL(GUIDE.missing, SCOPE);
  target.searchParams.set("page", request.url.slice(SCOPE.length));
  return Response.redirect(target.href, 302);
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
    const missing = missingGuidePage(request);
    if (missing) return missing;
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

// ------------------------------------------------------------------ keeping a rule set's guide pages

/** {rule set id: [site-relative paths, its own page first]}, read from the network each time
 * (a page asks only while online is useful; the list is small and not precached). */
async function guidePages() {
  const response = await fetch(fresh(new URL(GUIDE.pages, SCOPE).href));
  if (!response.ok) throw new Error(`${GUIDE.pages}: HTTP ${response.status}`);
  return (await response.json()).rule_sets;
}

function ruleSetsAsked(pages, message) {
  if (typeof message.rule_set === "string") return Object.hasOwn(pages, message.rule_set) ? [message.rule_set] : [];
  if (typeof message.page !== "string") return [];
  const page = new URL(message.page, SCOPE);
  page.search = "";
  page.hash = "";
  return Object.keys(pages).filter((id) => new URL(pages[id][0], SCOPE).href === page.href);
}

/** The guide page a message names (without query and fragment), with the search index. */
function pageAsked(message) {
  if (typeof message.page !== "string") return [];
  const page = new URL(message.page, SCOPE);
  page.search = "";
  page.hash = "";
  if (page.origin !== self.location.origin || !page.href.startsWith(new URL(GUIDE.root, SCOPE).href)) return [];
  return [page.href.slice(SCOPE.length), GUIDE.search];
}

async function keepRuleSets(message) {
  if (!GUIDE) return { kept: [], failed: [] };
  const pages = await guidePages();
  const ids = ruleSetsAsked(pages, message);
  const cache = await caches.open(CACHE);
  const failed = [];
  for (const path of new Set([...pageAsked(message), ...ids.flatMap((id) => pages[id])])) {
    const href = new URL(path, SCOPE).href;
    if (await cache.match(href)) continue;
    try {
      const response = await keep(fresh(href), await fetch(fresh(href)));
      if (!response.ok) failed.push(path);
    } catch {
      failed.push(path);
    }
  }
  return { kept: failed.length ? [] : ids, failed };
}

self.addEventListener("message", (event) => {
  const message = event.data;
  if (!message || message.type !== "xueshi-keep") return;
  const port = event.ports[0];
  event.waitUntil(keepRuleSets(message).then(
    (answer) => port?.postMessage(answer),
    (err) => port?.postMessage({ kept: [], failed: [], error: String(err) }),
  ));
});
