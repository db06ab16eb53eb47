// The banner shown while the engine starts: the worker's progress stages,
// elapsed seconds, and — if it cannot start — what to check.
//
// A watchdog bounds the wait. Pyodide can hang instead of failing when one of its
// files is missing or served with the wrong type, so after WATCHDOG seconds every
// runtime file listed in pyodide/manifest.json is checked (HTTP status, and the
// MIME type of .mjs/.js/.wasm) and the first problem named; if every file looks
// right (a slow network), the page says it is still loading and gives up only
// after HARD_FACTOR x WATCHDOG seconds. The same check runs when the worker
// reports a failure, to add the likely cause.
//
// WATCHDOG defaults to 30 s; tests shorten it with ?watchdog=<seconds> or
// <html data-watchdog="<seconds>">.

import { h } from "./dom.js";

const $ = (id) => document.getElementById(id);
const DEFAULT_WATCHDOG_S = 30;
const HARD_FACTOR = 4;
const EXPECTED_TYPES = [
  [/\.m?js$/, /^(text|application)\/(x-)?javascript\b/, "text/javascript"],
  [/\.wasm$/, /^application\/wasm\b/, "application/wasm"],
];

function watchdogSeconds() {
  const fromURL = Number(new URLSearchParams(location.search).get("watchdog"));
  if (fromURL > 0) return fromURL;
  const fromPage = Number(document.documentElement.dataset.watchdog);
  return fromPage > 0 ? fromPage : DEFAULT_WATCHDOG_S;
}

/** What is wrong with the runtime files on the server, in Chinese, or null if nothing is found. */
export async function findRuntimeProblem() {
  const base = new URL("pyodide/", document.baseURI);
  let paths;
  try {
    const response = await fetch(new URL("manifest.json", base), { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    paths = (await response.json()).files.map((f) => f.path);
  } catch (err) {
    return `计算引擎文件清单 pyodide/manifest.json 无法读取（${err.message}）`;
  }
  for (const path of paths) {
    const response = await fetch(new URL(path, base), { method: "HEAD", cache: "no-store" }).catch(() => null);
    if (!response || !response.ok) {
      return `计算引擎文件缺失：pyodide/${path}（${response ? `HTTP ${response.status}` : "无法连接"}）`;
    }
    const type = (response.headers.get("content-type") || "").toLowerCase();
    for (const [name, ok, want] of EXPECTED_TYPES) {
      if (name.test(path) && !ok.test(type)) {
        return `服务器发送 pyodide/${path} 时的 MIME 类型是“${type || "（无）"}”，应为“${want}”：请按 README“在单位内网部署”一节设置服务器的 MIME 类型`;
      }
    }
  }
  return null;
}

export class LoadingBanner {
  /** @param {import("./engine.js").Engine} engine */
  constructor(engine) {
    this.engine = engine;
    this.watchdog = watchdogSeconds();
    const started = performance.now();
    this.clock = setInterval(() => {
      const seconds = Math.round((performance.now() - started) / 1000);
      const text = $("engine-text");
      if (text) text.dataset.elapsed = `（已用 ${seconds} 秒）`;
    }, 1000);
    this.timers = [
      setTimeout(() => this.check(), this.watchdog * 1000),
      setTimeout(() => this.giveUp(), this.watchdog * HARD_FACTOR * 1000),
    ];
  }

  get settled() {
    return Boolean(document.body.dataset.engine);
  }

  stop() {
    clearInterval(this.clock);
    for (const t of this.timers) clearTimeout(t);
  }

  progress(stage, detail) {
    const box = $("engine");
    const text = $("engine-text");
    if (stage === "ready") {
      // the worker's runtime is up; init() with the rules follows
      performance.mark("xueshi:runtime-ready");
      text.textContent = "正在载入规则…";
    } else if (stage === "initialised") {
      this.stop();
      document.body.dataset.engine = "ready";
      performance.mark("xueshi:engine-ready");
      box.classList.remove("engine-slow");
      box.classList.add("engine-ready");
      text.textContent = "计算引擎已就绪";
      text.dataset.elapsed = "";
      $("engine-progress").max = 1;
      $("engine-progress").value = 1;
      $("engine-slow")?.remove();
      setTimeout(() => { box.hidden = true; }, 800);
    } else if (stage === "failed") {
      this.stop();
    } else {
      text.textContent = detail;
    }
  }

  fatal(message) {
    this.stop();
    document.body.dataset.engine = "failed";
    const box = $("engine");
    box.hidden = false;
    box.className = "engine wrap engine-failed";
    box.setAttribute("role", "alert");
    const detail = String(message).replace(/^计算引擎加载失败：/, "");
    const headline = h("p", {}, h("strong", {}, "计算引擎未能加载："), detail);
    const cause = h("p", { id: "engine-cause", class: "engine-cause" });
    box.replaceChildren(
      headline,
      cause,
      h("p", {}, "请检查：① 使用较新版本的浏览器（近两年的 Chrome、Edge、Firefox 或 Safari），并允许运行 JavaScript 和 WebAssembly；",
        "② 网络连接正常，且本站的 pyodide/ 和 data/ 文件夹能够访问（服务器的设置见 README“在单位内网部署”）；",
        "③ 广告拦截等浏览器插件没有拦截本站文件。然后刷新页面重试。"),
      h("p", {}, "你已填写的内容保存在本机浏览器中，刷新不会丢失。"),
    );
    // Name the likely cause, unless the message already does.
    // Name the likely cause, unless the message already does; the browser's own
    // words (often English) then follow as a detail.
    if (!/pyodide\/\S+（|MIME/.test(detail)) {
      findRuntimeProblem().then((problem) => {
        if (!problem) return;
        headline.replaceChildren(h("strong", {}, "计算引擎未能加载："), problem);
        cause.textContent = `（浏览器报告：${detail}）`;
      }, () => {});
    }
  }

  /** At the watchdog bound: name a broken file, or say that it is still loading. */
  async check() {
    if (this.settled) return;
    const problem = await findRuntimeProblem().catch(() => null);
    if (this.settled) return;
    if (problem) {
      this.engine.fail(problem);
      return;
    }
    const box = $("engine");
    box.classList.add("engine-slow");
    if (!$("engine-slow")) {
      box.append(h("p", { id: "engine-slow", class: "engine-slow-note" },
        `计算引擎加载较慢：服务器上的文件都在，可能是网络较慢，请稍候；`,
        `如 ${this.watchdog * HARD_FACTOR} 秒内仍未完成，页面会提示检查什么。`));
    }
  }

  giveUp() {
    if (this.settled) return;
    this.engine.fail(`计算引擎在 ${this.watchdog * HARD_FACTOR} 秒内没有启动（网络太慢，或浏览器无法运行它）`);
  }
}
