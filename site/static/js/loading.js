// The banner shown while the engine starts: the worker's progress stages,
// elapsed seconds, and — if it cannot start — what to check. Pyodide can hang
// instead of failing when one of its files is missing, so after a while every
// runtime file listed in pyodide/manifest.json is checked and the first
// missing one named.

import { h } from "./dom.js";
import { say } from "./messages.js";

const $ = (id) => document.getElementById(id);
const DIAGNOSE_AFTER_MS = 15_000;
const SLOW_NOTICE_S = 45;

export class LoadingBanner {
  /** @param {import("./engine.js").Engine} engine */
  constructor(engine) {
    this.engine = engine;
    const started = performance.now();
    this.clock = setInterval(() => {
      const seconds = Math.round((performance.now() - started) / 1000);
      $("engine-text").dataset.elapsed = `（已用 ${seconds} 秒）`;
      if (seconds === SLOW_NOTICE_S) say("计算引擎加载较慢：可能网络较慢，请稍候；如长时间没有结果，请刷新页面。");
    }, 1000);
    setTimeout(() => this.diagnose(), DIAGNOSE_AFTER_MS);
  }

  progress(stage, detail) {
    const box = $("engine");
    const text = $("engine-text");
    if (stage === "ready") {
      // the worker's runtime is up; init() with the rules follows
      performance.mark("xueshi:runtime-ready");
      text.textContent = "正在载入规则…";
    } else if (stage === "initialised") {
      clearInterval(this.clock);
      document.body.dataset.engine = "ready";
      performance.mark("xueshi:engine-ready");
      box.classList.add("engine-ready");
      text.textContent = "计算引擎已就绪";
      text.dataset.elapsed = "";
      $("engine-progress").max = 1;
      $("engine-progress").value = 1;
      setTimeout(() => { box.hidden = true; }, 800);
    } else if (stage === "failed") {
      clearInterval(this.clock);
    } else {
      text.textContent = detail;
    }
  }

  fatal(message) {
    clearInterval(this.clock);
    document.body.dataset.engine = "failed";
    const box = $("engine");
    box.hidden = false;
    box.className = "engine wrap engine-failed";
    box.setAttribute("role", "alert");
    box.replaceChildren(
      h("p", {}, h("strong", {}, "计算引擎未能加载："), message),
      h("p", {}, "请检查：① 使用较新版本的浏览器（近两年的 Chrome、Edge、Firefox 或 Safari），并允许运行 JavaScript 和 WebAssembly；",
        "② 网络连接正常，且本站的 pyodide/ 和 data/ 文件夹能够访问；③ 广告拦截等浏览器插件没有拦截本站文件。然后刷新页面重试。"),
      h("p", {}, "你已填写的内容保存在本机浏览器中，刷新不会丢失。"),
    );
  }

  async diagnose() {
    if (document.body.dataset.engine) return;
    const base = new URL("pyodide/", document.baseURI);
    let paths;
    try {
      const response = await fetch(new URL("manifest.json", base), { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      paths = (await response.json()).files.map((f) => f.path);
    } catch (err) {
      this.engine.fail(`计算引擎文件清单 pyodide/manifest.json 无法读取（${err.message}）`);
      return;
    }
    for (const path of paths) {
      if (document.body.dataset.engine) return;
      const response = await fetch(new URL(path, base), { method: "HEAD", cache: "no-store" }).catch(() => null);
      if (!response || !response.ok) {
        this.engine.fail(`计算引擎文件缺失：pyodide/${path}（${response ? `HTTP ${response.status}` : "无法连接"}）`);
        return;
      }
    }
  }
}
