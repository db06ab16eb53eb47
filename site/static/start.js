// Starts the Python engine's Web Worker before the page's own script runs.
//
// Python's start-up in the worker is the longest step before the first result, and the
// page's script (one bundle, sitebuild/site/bundles.py) takes a further while to compile and
// evaluate before it could start it. This module has no imports and is the first
// <script type="module"> of the page: module scripts run in document order, so it always runs
// before the page's script. (It was `async` once, to run the moment it arrived; once the page's
// script was one bundle, that script sometimes ran first and started a worker of its own, and
// start.js then a second runtime.) The worker's messages and errors are kept until
// js/engine.js adopts the worker (takeEarlyWorker) and replays them; if this script did not
// run or the Worker could not be created, the Engine starts its own worker and reports any
// failure.
//
// One worker per page: the Engine adopts this one only for the same worker URL
// (static/worker.js?v=<asset version>), and this script never runs twice.

const version = new URL(import.meta.url).searchParams.get("v");
const url = new URL(`worker.js${version ? `?v=${version}` : ""}`, import.meta.url);

function startEarly() {
  let worker;
  try {
    worker = new Worker(url, { type: "module" });
  } catch {
    return null; // the Engine tries again and shows the reason
  }
  const events = [];
  const keep = (event) => {
    if (event.type === "error") event.preventDefault(); // reported once the Engine replays it
    events.push(event);
  };
  worker.addEventListener("message", keep);
  worker.addEventListener("error", keep);
  performance.mark("xueshi:worker-started");
  return {
    url: url.href,
    worker,
    /** Stop keeping events; return those kept so far. */
    release() {
      worker.removeEventListener("message", keep);
      worker.removeEventListener("error", keep);
      return events.splice(0);
    },
  };
}

if (!globalThis.xueshiEarlyWorker) globalThis.xueshiEarlyWorker = startEarly();
