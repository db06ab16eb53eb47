// Start-up of the calculator page: the engine in its worker (js/engine.js, restarted when it
// stops answering), the page's data (forms and rules, named by <meta> tags), and what the page
// shows when it cannot start.

import { fetchText, readForms } from "./data.js";
import { yieldToBrowser } from "./dom.js";
import { Engine } from "./engine.js";
import { LoadingBanner } from "./loading.js";
import { say } from "./messages.js";
import { dropLastAnswer, engineStopped } from "./outcome.js";
import { renderStatus } from "./results.js";

// An evaluation takes milliseconds; a call unanswered this long means the worker is gone
// (closed, crashed, out of memory): it is replaced and everything computed again.
const ENGINE_TIMEOUT_MS = 20_000;
const $ = (id) => document.getElementById(id);
export const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || null;

/** Sets app.engine and app.loading; after a restart everything is computed again (app.store). */
export function startEngine(app, workerURL) {
  const progress = (stage, detail) => {
    app.loading?.progress(stage, detail);
    if (stage === "failed" && app.engine?.started) showFatal(app, detail); // kept failing after restarts
  };
  app.engine = new Engine(workerURL, progress, {
    callTimeoutMs: ENGINE_TIMEOUT_MS,
    onStop: () => engineStopped(app),
    onRestart: (reason) => {
      say(`${reason}，已自动重新启动并重新计算；填写的内容没有丢失。`);
      app.store.recompute();
    },
  });
  app.loading = new LoadingBanner(app.engine);
}

/**
 * The forms (form() of every rule set, catalog, passages); starts the engine on the rules. Null
 * after a fatal error. The rules go to the engine when they arrive: the page is drawn as soon as
 * the forms are here (with the last answer, if one was kept), without waiting for them.
 */
export async function loadData(app) {
  fetchText(meta("xueshi-rules")).then(
    (rules) => app.engine.start(rules),
    (err) => app.engine.fail(`无法读取规则数据（${err.message}）`),
  );
  try {
    return await readForms(await fetchText(meta("xueshi-forms")), yieldToBrowser);
  } catch (err) {
    showFatal(app, `无法读取表单数据（${err instanceof SyntaxError ? "文件不完整或已损坏" : err.message}）`);
    return null;
  }
}

export function showFatal(app, message) {
  delete document.body.dataset.busy;
  if (app.store?.stale) dropLastAnswer(app); // it will not be computed again: no figures without their engine
  app.loading.fatal(message);
  // The reason and what to check are in the banner above (#engine); here only where to look.
  renderStatus($("status"), { state: "failed", message: "计算引擎未能加载，原因和检查办法见页面上方的红色提示；已填写的内容不会丢失。" });
}
