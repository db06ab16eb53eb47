"""The engine's memory snapshot, made once per test run and put into each test's browser profile.

A person's browser starts the engine from scratch once: after the first result and 5 s of
quiet the page makes a memory snapshot in a second worker (site/static/js/outcome.js
scheduleSnapshot, static/worker.js role=snapshot) and keeps it in Cache Storage; every later
visit restores it (static/snapshot.js). Cache Storage belongs to one browser profile and one
origin, so every fresh test context would start cold, and then make a snapshot of its own
competing with the test for the machine's two cores.

Here the snapshot is made the way a person's browser makes it, once per test run
(`shared_snapshot`: the first pytest-xdist worker makes it, the other waits for it), read out of
the page, and written into a test's context before the test opens a page (`seed_snapshot`), on every
origin the test uses. The worker then finds it as on a repeat visit (`data-snapshot="restored"`)
and makes no second one. The key is the page's own (`/__xueshi-snapshot/<sha>`, static/snapshot.js
snapshotKey: the lock file and the worker's version), so a site whose lock or worker differs
from the one the snapshot was made with simply does not find it and starts cold.

Nothing here knows a rule: a page over other rules (tests/browser/pagesite.py) restores the
snapshot, sees that its rules differ and loads its own (`data-snapshot="stale"`), as a person's
browser does after a rules update.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Route

from .harness import RequestGuard, new_context

CACHE = "engine-snapshot.xueshi"  # site/static/snapshot.js CACHE
KEY_PREFIX = "/__xueshi-snapshot/"  # site/static/snapshot.js snapshotKey
# Harness-only addresses on the origin being seeded: answered by a route of the seeding page,
# never asked of the server.
SEED_PATH = "/__xueshi-test-seed"
SNAPSHOT_WAIT_MS = 90_000  # tests/browser/test_return.py: a second engine start in the background

_SEED_PAGE = "<!doctype html><meta charset=utf-8><link rel=icon href='data:,'><title>seed</title><input type=file multiple>"

# Every entry of the snapshot cache, as {url, data: base64} (FileReader: native base64).
_READ = """async (name) => {
  const cache = await caches.open(name);
  const out = [];
  for (const request of await cache.keys()) {
    const blob = await (await cache.match(request)).blob();
    const data = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
    out.push({ url: request.url, data });
  }
  return out;
}"""

# Both entries as static/snapshot.js storeSnapshot writes them, from the page's file input
# (memory.bin, about.json); resolves once both are kept.
_PUT = """async ({ name, key }) => {
  const files = Object.fromEntries([...document.querySelector("input").files].map((f) => [f.name, f]));
  const cache = await caches.open(name);
  await cache.put(`${key}?about`, new Response(files["about.json"], { headers: { "content-type": "application/json" } }));
  await cache.put(key, new Response(files["memory.bin"], { headers: { "content-type": "application/octet-stream" } }));
  return (await cache.keys()).map((r) => r.url);
}"""


@dataclass(frozen=True)
class EngineSnapshot:
    key_path: str  # "/__xueshi-snapshot/<sha>": the Cache Storage key, on the page's origin
    memory: Path  # the entry `<key>`: the engine's memory
    about: Path  # the entry `<key>?about`: JSON {rules, init}

    def save(self, folder: Path) -> None:
        (folder / "key.txt").write_text(self.key_path + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> EngineSnapshot:
        key = (folder / "key.txt").read_text(encoding="utf-8").strip()
        return cls(key, folder / "memory.bin", folder / "about.json")


def make_snapshot(browser: Browser, url: str, folder: Path) -> EngineSnapshot:
    """Open the calculator at `url` in a fresh profile, let it keep its snapshot as it does
    for a person (first result, then idle), and write both entries into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ctx = new_context(browser)
    try:
        ctx.set_default_timeout(20_000)
        guard = RequestGuard.attach(ctx, url)
        page = ctx.new_page()
        page.goto(url)
        html = page.locator("html")
        page.locator("html[data-snapshot=stored], html[data-snapshot=failed]").wait_for(
            state="attached", timeout=SNAPSHOT_WAIT_MS
        )
        assert html.get_attribute("data-snapshot") == "stored", "the page made no engine snapshot"
        entries = {e["url"]: base64.b64decode(e["data"]) for e in page.evaluate(_READ, CACHE)}
        guard.assert_clean()
    finally:
        ctx.close()
    keys = [u for u in entries if not u.endswith("?about")]
    assert len(keys) == 1 and f"{keys[0]}?about" in entries, sorted(entries)
    key_path = "/" + keys[0].split("/", 3)[3]
    assert key_path.startswith(KEY_PREFIX), key_path
    json.loads(entries[f"{keys[0]}?about"])  # {rules, init}
    snapshot = EngineSnapshot(key_path, folder / "memory.bin", folder / "about.json")
    snapshot.memory.write_bytes(entries[keys[0]])
    snapshot.about.write_bytes(entries[f"{keys[0]}?about"])
    snapshot.save(folder)
    return snapshot


def shared_snapshot(browser: Browser, url: str, tmp_path_factory: pytest.TempPathFactory,
                    config: pytest.Config) -> EngineSnapshot:
    """One snapshot per test run: with pytest-xdist the first worker makes it under the run's
    shared temporary folder, the others wait behind a file lock (as tests/conftest.py built_site)."""
    if not hasattr(config, "workerinput"):
        return make_snapshot(browser, url, tmp_path_factory.mktemp("engine-snapshot"))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent
    folder = shared / "engine-snapshot"
    with FileLock(str(shared / "engine-snapshot.lock")):
        if (folder / "done").exists():
            return EngineSnapshot.load(folder)
        snapshot = make_snapshot(browser, url, folder)
        (folder / "done").write_text("ok\n", encoding="utf-8")
        return snapshot


def seed_snapshot(context: BrowserContext, snapshot: EngineSnapshot, origins: Iterable[str]) -> None:
    """Put the snapshot into `context`'s Cache Storage for each origin ("http://127.0.0.1:PORT"),
    as the page keeps it; returns once both entries are stored. Call before the test opens a page.

    Each origin gets a page of its own at a harness-only address (answered by a route, never
    asked of the server); the bytes reach it through a file input, which Chromium reads from
    the disk itself (through a route or page.evaluate 45 MB took 15 s)."""
    page = context.new_page()
    try:
        for origin in dict.fromkeys(o.rstrip("/") for o in origins):
            address = origin + SEED_PATH
            page.route(address, _seed_page)
            page.goto(address)
            page.unroute(address)
            page.locator("input").set_input_files([snapshot.memory, snapshot.about])
            kept = page.evaluate(_PUT, {"name": CACHE, "key": origin + snapshot.key_path})
            assert sorted(kept) == [origin + snapshot.key_path, origin + snapshot.key_path + "?about"], kept
    finally:
        page.close()


def _seed_page(route: Route) -> None:
    route.fulfill(body=_SEED_PAGE, content_type="text/html; charset=utf-8")
