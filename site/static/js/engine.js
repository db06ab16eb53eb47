// Client of the Python engine running in static/worker.js (protocol documented
// there). Every call returns the parsed JSON answer of calculator.doors.browser;
// a rejected promise carries a short Chinese message, never a traceback.

/**
 * The worker static/start.js started for this URL, once (null if there is none):
 * {worker, release() -> events kept so far}.
 */
function takeEarlyWorker(workerURL) {
  const early = globalThis.xueshiEarlyWorker;
  if (!early || early.taken) return null;
  early.taken = true;
  if (early.url !== new URL(workerURL).href) {
    early.worker.terminate(); // another version of the page: never run two Python runtimes
    return null;
  }
  return early;
}

const MAX_RESTARTS = 3; // then the person is told to reload (the data stays saved)
// Without Web Locks (plain-HTTP hosts are not a secure context): a ping every HEARTBEAT_MS once
// started; one left unanswered HEARTBEAT_MISSED_MS means the worker is gone. The worst case is
// about HEARTBEAT_MS + HEARTBEAT_MISSED_MS + HEARTBEAT_MS (the ping after the worker stopped, its
// wait, the tick that sees it): 2.5 s, within issue #22's 3 s with room for a busy machine's late
// timers (with a 700 ms tick it was 2.8 s at worst, and the browser test missed 3 s under load).
// The wait stays 2 s: a worker busy with a long computation must not be taken for a stopped one.
const HEARTBEAT_MS = 250;
const HEARTBEAT_MISSED_MS = 2000;

export class Engine {
  /**
   * @param {URL} workerURL  @param {(stage: string, detail: string) => void} onProgress
   * @param {{callTimeoutMs?: number, onStop?: (reason: string) => void, onRestart?: (reason: string) => void}} [recovery]
   *   with callTimeoutMs, a started engine is replaced by a new worker when its worker stops
   *   (closed, crashed, out of memory: noticed at once through the Web Lock it holds while it
   *   lives, see static/worker.js, or, where the browser has no Web Locks, by a heartbeat within
   *   HEARTBEAT_MISSED_MS), reports an error, or leaves a call unanswered callTimeoutMs;
   *   onStop(reason) runs when that is noticed, onRestart(reason) once it answers again, for the
   *   page to compute afresh.
   */
  constructor(workerURL, onProgress, recovery = {}) {
    this.workerURL = workerURL;
    this.onProgress = onProgress;
    this.callTimeoutMs = recovery.callTimeoutMs || 0;
    this.onRestart = recovery.onRestart || null;
    this.onStop = recovery.onStop || null;
    this.pingSent = 0; // when the unanswered heartbeat ping was sent (0: none outstanding)
    this.leaving = false; // the page is being left: its workers end with it, nothing is restarted
    globalThis.addEventListener?.("pagehide", () => {
      this.leaving = true;
      this.snapshotWorker?.terminate();
    });
    // What the worker said about memory snapshots (static/snapshot.js): "restored", "missing",
    // "stale", "impossible", then "stored" once makeSnapshot() has kept one.
    this.snapshotState = null;
    this.snapshotWorker = null;
    this.restarts = 0;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    this.newReady();
    const early = takeEarlyWorker(workerURL);
    if (early) {
      this.attach(early.worker);
    } else if (!this.spawn()) {
      return;
    }
    if (early) {
      // What the worker said before we listened. Replayed after the current task's
      // synchronous code, so that the caller has finished wiring its progress display;
      // no later message can overtake them (messages are tasks, this is a microtask).
      const kept = early.release();
      queueMicrotask(() => {
        for (const event of kept) {
          if (event.type === "error") this.workerError(early.worker, event);
          else this.heard(early.worker, event.data);
        }
      });
    }
  }

  newReady() {
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // callers handle it; avoid an "unhandled rejection" line
  }

  spawn() {
    try {
      this.attach(new Worker(this.workerURL, { type: "module" }));
      return true;
    } catch (err) {
      this.fail(`浏览器无法启动后台计算线程（${err && err.name ? err.name : "Worker"}）`);
      return false;
    }
  }

  attach(worker) {
    this.worker = worker;
    this.pingSent = 0;
    worker.addEventListener("message", (event) => this.heard(worker, event.data));
    worker.addEventListener("error", (event) => this.workerError(worker, event));
  }

  /** A message from `worker`; a replaced worker is not heard. */
  heard(worker, msg) {
    if (worker !== this.worker) return;
    this.pingSent = 0; // any message shows it is alive
    if (msg && msg.type === "alive") this.watchLife(worker, msg.lock);
    else if (msg && msg.type === "snapshot") this.snapshotState = msg.state;
    else if (!(msg && msg.type === "pong")) this.receive(msg);
  }

  /**
   * The worker holds the Web Lock `lock` while it lives: asking for it here is granted the
   * moment the worker is gone, however it went (static/worker.js).
   */
  watchLife(worker, lock) {
    if (typeof lock !== "string" || !globalThis.navigator?.locks) return;
    navigator.locks.request(lock, () => {
      if (worker === this.worker) this.stopped("计算引擎意外停止");
    }).catch(() => {});
  }

  /** Where there are no Web Locks: ping the started worker; one ping long unanswered means it is gone. */
  startHeartbeat() {
    if (this.heartbeat || globalThis.navigator?.locks || !this.callTimeoutMs) return;
    this.heartbeat = setInterval(() => {
      if (this.restarting || this.failure || this.leaving) return;
      if (!this.pingSent) {
        this.pingSent = performance.now();
        this.worker.postMessage({ type: "ping" });
      } else if (performance.now() - this.pingSent > HEARTBEAT_MISSED_MS) {
        this.stopped("计算引擎没有响应");
      }
    }, HEARTBEAT_MS);
  }

  /** The current worker is gone or silent: restart it if started and allowed, else say so. */
  stopped(reason) {
    if (this.failure || this.restarting || this.leaving) return;
    if (this.started && this.callTimeoutMs) this.restart(reason);
    else if (this.started) this.fail("计算引擎意外停止，请刷新页面（已填写的内容保存在本机，不会丢失）");
    // before start-up, the loading banner's watchdog names what is wrong
  }

  workerError(worker, event) {
    event.preventDefault();
    if (worker !== this.worker) return;
    // Before start-up this is a worker file that did not load; after, a crash.
    if (this.started && this.callTimeoutMs) this.restart("计算引擎意外停止");
    else {
      this.fail(this.started
        ? "计算引擎意外停止，请刷新页面（已填写的内容保存在本机，不会丢失）"
        : "计算程序文件未能加载（worker.js）");
    }
  }

  /** Replace a worker that crashed or stopped answering; pending calls are rejected (err.restarting). */
  restart(reason) {
    if (this.failure || this.restarting) return;
    this.restarts += 1;
    if (this.restarts > MAX_RESTARTS) {
      this.fail(`计算引擎多次停止响应（${reason}），请刷新页面重试；已填写的内容保存在本机，不会丢失`);
      return;
    }
    this.restarting = true;
    this.worker.terminate();
    if (this.onStop) this.onStop(reason);
    for (const entry of this.pending.values()) {
      const err = new Error(`${reason}，正在重新启动`);
      err.restarting = true;
      entry.reject(err);
    }
    this.pending.clear();
    this.loaded = null; // packages are loaded again by whoever needs them
    this.newReady();
    if (!this.spawn()) return;
    this.start(this.rulesText).then(() => {
      this.restarting = false;
      this.pingSent = 0;
      if (!this.failure && this.onRestart) this.onRestart(reason);
    });
  }

  receive(msg) {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "progress") {
      if (!this.restarting) this.onProgress(msg.stage, msg.detail || ""); // the page is already up
      return;
    }
    if (msg.type === "ready") return; // "ready" for us means: init() succeeded (see start())
    if (msg.type === "fatal") {
      this.fail(msg.message || "计算引擎加载失败");
      return;
    }
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.pending.delete(msg.id);
    if (!msg.ok) {
      entry.reject(new Error(msg.error || "计算引擎出错"));
      return;
    }
    try {
      entry.resolve(JSON.parse(msg.result));
    } catch {
      entry.reject(new Error("计算引擎返回了无法读取的结果"));
    }
  }

  fail(message) {
    if (this.failure) return;
    this.failure = message;
    clearInterval(this.heartbeat);
    if (this.worker) this.worker.terminate();
    this.rejectReady(new Error(message));
    for (const entry of this.pending.values()) entry.reject(new Error(message));
    this.pending.clear();
    this.onProgress("failed", message);
  }

  /** Call calculator.doors.browser.<fn>(...args); args are strings. */
  call(fn, ...args) {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let timer = 0;
      const done = (settle) => (value) => {
        clearTimeout(timer);
        settle(value);
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      if (this.callTimeoutMs && this.started && !this.restarting) {
        timer = setTimeout(() => {
          if (this.pending.has(id)) this.restart("计算引擎没有响应");
        }, this.callTimeoutMs);
      }
      this.worker.postMessage({ id, fn, args });
    });
  }

  /**
   * Load packages the runtime keeps for later (e.g. ["openpyxl"] for XLSX); once per
   * name per page, later calls share the first promise. Rejects with a Chinese message.
   */
  loadPackages(names) {
    this.loaded = this.loaded || new Map();
    const key = [...names].sort().join(",");
    if (!this.loaded.has(key)) {
      const promise = this.failure ? Promise.reject(new Error(this.failure)) : new Promise((resolve, reject) => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        this.worker.postMessage({ id, load: names });
      });
      promise.catch(() => { // a failed load may be tried again
        if (this.loaded?.get(key) === promise) this.loaded.delete(key);
      });
      this.loaded.set(key, promise);
    }
    return this.loaded.get(key);
  }

  /**
   * Make a memory snapshot of the engine for the next visit, in a worker of its own
   * (static/worker.js role=snapshot), when the running one came from none or from one made
   * with other rules. `caseText`: a case to compute first (the models a result needs are then
   * built in the snapshot). Resolves true once it is stored, false when there is nothing to do
   * or it could not be made (the next visit then starts the usual way).
   */
  makeSnapshot(caseText) {
    if (this.failure || this.snapshotWorker || !this.started || !["missing", "stale"].includes(this.snapshotState)) {
      return Promise.resolve(false);
    }
    const url = new URL(this.workerURL);
    url.searchParams.set("role", "snapshot");
    let worker;
    try {
      worker = new Worker(url, { type: "module" });
    } catch {
      return Promise.resolve(false);
    }
    this.snapshotWorker = worker;
    return new Promise((resolve) => {
      const done = (ok) => {
        worker.terminate();
        this.snapshotWorker = null;
        this.snapshotState = ok ? "stored" : "failed"; // failed: not tried again on this page
        resolve(ok);
      };
      worker.addEventListener("message", (event) => {
        if (event.data?.type === "snapshot-stored") done(true);
        else if (event.data?.type === "snapshot-failed") done(false);
      });
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        done(false);
      });
      worker.postMessage({ type: "make", rules: this.rulesText, case: caseText });
    });
  }

  /** Load the rules; `ready` resolves once the engine can answer. */
  async start(rulesText) {
    this.rulesText = rulesText; // kept for a restart
    try {
      const answer = await this.call("init", rulesText);
      if (!answer.ok) {
        const why = (answer.problems || []).map((p) => p.message).join("；");
        throw new Error(`规则数据无法加载：${why}`);
      }
      if (!this.started) this.onProgress("initialised", "计算引擎已就绪");
      this.started = true;
      this.startHeartbeat();
      this.resolveReady();
    } catch (err) {
      this.fail(err.message);
    }
  }
}
