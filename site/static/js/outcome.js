// Drawing an evaluation's outcome across the page: the status block and its echoes, the
// activities' lines, the missing earlier years, the result (js/results.js), the problems next
// to their fields, the print header; and the marks tests and tools wait for. Also the answer kept
// from the last visit (js/lastanswer.js), drawn the same way but marked, and the engine's memory
// snapshot for the next visit (static/snapshot.js), asked for once a result has been shown.

import { h, pacer } from "./dom.js";
import { activityFieldId } from "./problems.js";
import { answerFor, answerToKeep, markStale, rulesChanged, sameAnswer } from "./lastanswer.js";
import { say } from "./messages.js";
import { headline, renderStatus } from "./results.js";
import { buildCase, duplicateYears, emptyDraft, integerProblems } from "./state.js";

// The engine's memory snapshot for the next visit (static/snapshot.js) is made once the page has
// shown a result and nothing was typed for this long: it costs a second engine start in the
// background, which should not compete with a person typing.
const SNAPSHOT_IDLE_MS = 5_000;
const LOADING = "计算引擎加载中，你可以先填写，加载完成后自动显示结果。";

const $ = (id) => document.getElementById(id);

/** The problems the page finds itself (whole numbers, an earlier year entered twice), located. */
function clientProblems(store) {
  const out = [];
  store.draft.activities.forEach((a, i) => {
    const conv = store.form.conversions.find((c) => c.id === a.kind);
    for (const p of integerProblems(a, conv)) {
      out.push({ ...p, fieldId: activityFieldId(a.uid, p.path), where: `第${i + 1}项活动${a.name.trim() ? `“${a.name.trim()}”` : ""}` });
    }
  });
  const dupes = duplicateYears(store.draft.history);
  store.draft.history.forEach((row, i) => {
    if (dupes.has(row.uid)) out.push({ fieldId: `hist-${row.uid}-year`, where: `以往年度第${i + 1}行`, message: dupes.get(row.uid), code: "duplicate" });
  });
  return out;
}

/**
 * Draw an outcome, paced (js/dom.js pacer: no long task on a phone). Drawn afresh (nothing on
 * screen yet, another draft), the status and the form's figures come first, then the result
 * part by part. Otherwise the result is built first and everything changes in one task, so the
 * status never stands beside the figures of the input before.
 * @param {object} app  the page's parts (app.js): store, activities, person, results, fieldErrors, evaluation
 * @param {object} outcome  evaluateTolerant's answer (js/problems.js)
 * @param {{stale?: boolean, wanted?: () => boolean}} [how]  stale: the answer kept from the last
 *   visit, not computed now; wanted: false once the outcome is no longer for what is on screen
 * @returns {Promise<boolean>} whether it was drawn (not given up for newer input or other data)
 */
export async function showOutcome(app, outcome, { stale = false, wanted = () => true } = {}) {
  const { store } = app;
  const problems = located(store, outcome);
  const r = outcome.result;
  const categories = new Map(store.form.categories.map((c) => [c.id, c.name]));
  const view = { result: r, problems };
  const ctx = {
    ruleSet: store.draft.rule_set,
    generation: store.generation,
    vocabulary: store.form.vocabulary,
    personName: store.draft.person.name.trim(),
    provenanceLines: outcome.provenanceLines,
    categoryName: (id) => categories.get(id) || id,
    activityNumber: (i) => store.draft.activities.findIndex((a) => a.uid === outcome.index.activities[i]) + 1,
  };
  const head = () => {
    showVerdict(app, outcome, problems, stale);
    const lines = new Map();
    if (r) for (const line of r.activities) lines.set(outcome.index.activities[line.index], line);
    app.activities.setLines(lines);
    app.person.setMissingYears(r && r.title ? r.title.missing_years : []);
  };
  if (app.results.afresh(ctx)) {
    head();
    if (!(await app.results.draw(view, ctx, pacer({ frames: true, wanted })))) return false;
  } else {
    const built = await app.results.build(view, ctx, pacer({ wanted }));
    if (!built || !wanted()) return false;
    head();
    app.results.place(built);
  }
  app.fieldErrors.apply();
  if (stale) return true; // not computed on this visit: no data-evaluated, and data-busy stays
  replaceLastAnswer(app, outcome);
  scheduleSnapshot(app);
  updateStatusEcho(app, r);
  const name = store.draft.person.name.trim();
  const today = new Date(); // as toLocaleDateString("zh-CN") writes it, without loading ICU's locale data (~10 ms)
  $("print-meta").textContent = `自查日期 ${today.getFullYear()}/${today.getMonth() + 1}/${today.getDate()}${name ? ` · ${name}` : ""}`;
  document.body.dataset.evaluated = String(app.evaluation.seq); // for tests and tools: a result is on screen
  delete document.body.dataset.busy;
  return true;
}

/** The problems the page found and the engine's, each once, located at their fields. */
function located(store, outcome) {
  const client = clientProblems(store);
  const clientIds = new Set(client.map((p) => p.fieldId));
  return client.concat(outcome.problems.filter((p) => !clientIds.has(p.fieldId)));
}

/** The status block (the verdict and its summary lines) and its echoes; marked when `stale`. */
function showVerdict(app, outcome, problems, stale) {
  const { store } = app;
  const r = outcome.result;
  store.caseProblems = problems;
  if (r) {
    renderStatus($("status"), { state: "result", result: r, summaryLines: outcome.summaryLines, dropped: outcome.dropped });
  } else {
    renderStatus($("status"), { state: "blocked", message: "输入有误，暂时无法计算：" + problems.map((p) => p.message).join("；") });
  }
  const mark = stale ? "xueshi:last-answer" : "xueshi:first-result"; // the verdict is on screen
  if (stale) {
    markStale(store.form.vocabulary.page.stale_result);
    updateStatusEcho(app, r);
  }
  if (!performance.getEntriesByName(mark).length) performance.mark(mark);
}

/** Repeat the status where people type (on a phone the result is far below the form). */
function updateStatusEcho(app, result) {
  const status = $("status");
  const tone = [...status.classList].find((c) => c.startsWith("status-") && c !== "status") || "status-pending";
  for (const echo of document.querySelectorAll(".status-echo")) {
    echo.className = `status-echo ${tone}`;
    echo.replaceChildren(
      h("span", { class: "status-icon", "aria-hidden": "true" }, status.querySelector(".status-icon").textContent),
      `${app.store.stale ? app.store.form.vocabulary.page.stale_echo : "当前结果"}：${result ? headline(result).label : status.querySelector(".status-label").textContent}`,
      h("a", { href: "#results" }, "查看结果"),
    );
  }
}

// ------------------------------------------------------------------ the last answer (js/lastanswer.js)

/**
 * On a return visit, at once (before the form is drawn): the verdict of the answer kept with the
 * draft, marked, until the engine recomputes it. Its parts follow (showLastAnswer).
 */
export function showLastVerdict(app, last) {
  const kept = last && answerFor(last, app.store.draft);
  if (!kept) return;
  app.store.stale = kept;
  try {
    showVerdict(app, kept.outcome, located(app.store, kept.outcome), true);
  } catch (err) { // written by another version of the page in a shape this one cannot draw
    console.warn("last answer not shown:", err);
    dropLastAnswer(app);
  }
}

/** The rest of the kept answer (its figures beside the form, the result's parts), drawn in parts. */
export async function showLastAnswer(app) {
  const kept = app.store.stale;
  if (!kept || !kept.outcome || app.store.answered) return; // dropped, or computed already
  try {
    // given up once it is replaced or dropped (a fresh answer, other data, a stopped engine)
    await showOutcome(app, kept.outcome, { stale: true, wanted: () => app.store.stale === kept });
  } catch (err) {
    console.warn("last answer not shown:", err);
    dropLastAnswer(app);
  }
}

/** A fresh answer is on screen: unmark it, say so if the rules changed it, keep it for the next visit. */
function replaceLastAnswer(app, outcome) {
  const { store } = app;
  store.answered = true;
  const previous = store.stale;
  if (previous) {
    store.stale = null;
    markStale(null);
    if (previous.outcome && rulesChanged(previous) && !sameAnswer(previous.outcome, outcome)) {
      say(store.form.vocabulary.page.rules_changed);
    }
  }
  store.keepAnswer(answerToKeep(outcome, store.draft.rule_set));
}

/** The answer on screen belongs to other data now (another rule set, an import, cleared): remove it. */
export function dropLastAnswer(app) {
  app.store.stale = null;
  markStale(null);
  app.results.clear();
  app.activities.setLines(new Map());
  renderStatus($("status"), { state: "loading", message: LOADING });
  updateStatusEcho(app, null);
}

/** The engine stopped (js/engine.js restart): the figures on screen wait, marked, for the new engine. */
export function engineStopped(app) {
  const { store } = app;
  if (!store) return;
  store.stale = { rule_set: store.draft.rule_set, outcome: null };
  markStale(store.form.vocabulary.page.engine_stopped);
  updateStatusEcho(app, null);
  document.body.dataset.busy = "1";
}

/** After SNAPSHOT_IDLE_MS without a new result: make the engine's snapshot, if one is worth making. <html data-snapshot> says how it went. */
function scheduleSnapshot(app) {
  clearTimeout(app.snapshotTimer);
  const state = app.engine.snapshotState;
  if (state) document.documentElement.dataset.snapshot = state;
  if (state !== "missing" && state !== "stale") return;
  app.snapshotTimer = setTimeout(() => {
    document.documentElement.dataset.snapshot = "making";
    // an empty case of the chosen rule set: it builds the models a result needs, and keeps nothing
    // of the person's in the snapshot's memory
    const blank = buildCase(emptyDraft(app.store.draft.rule_set), app.store.form).case;
    app.engine.makeSnapshot(JSON.stringify(blank)).then((ok) => {
      document.documentElement.dataset.snapshot = ok ? "stored" : "failed";
    });
  }, SNAPSHOT_IDLE_MS);
}
