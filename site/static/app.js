// 学时自查 — the calculator page. Collects input, asks the Python engine (in a
// Web Worker, see static/worker.js and calculator/doors/browser.py), renders. No
// rule lives here: the form comes from form(rule_set), figures from evaluate().
//
// URL parameters (all optional):
//   ?rule_set=<id>                          preselect a rule set, e.g. ?rule_set=hunan-college-shiye-2023
//   ?jurisdiction=<code>&regime=<shiye|zhuanji>&year=<yyyy>
//                                           the same by its parts; any year of a cycle finds the cycle's
//                                           rule set; a missing or unknown regime/year falls back to the
//                                           first regime and the latest year (an unknown year with a notice);
//                                           a year inside a cycle is also the cycle's checked year
//   &compact=1                              compact view for an <iframe> in an intranet page (js/embed.js)
//   #case=<base64url of the case JSON>      a shared case (see "分享链接"); checked with parse_import,
//                                           loaded (after confirmation if local data exists), then removed
//                                           from the address. The fragment never reaches the server.
// URL parameters win over the saved selection; after loading, the address is kept
// in step with the chosen rule set (?rule_set=<id>).
//
// Page state: one store (js/store.js) holds the draft and the page state; every change goes
// through it, is saved there at once, and comes back here to `react`, the one place that decides
// what to recompute and redraw.
// Saved state: localStorage["xueshi.state"] = {version: 2, saved, draft}, saved on every change;
// older formats are migrated, unreadable data set aside with a notice (js/storage.js).
// For tests and timing: <body data-engine="ready|failed" data-evaluated data-busy>, and
// performance marks xueshi:form-ready, xueshi:runtime-ready (Python up), xueshi:engine-ready
// (rules loaded), xueshi:first-result.

import { pageLink } from "./js/embed.js"; // first: sets compact mode before anything is drawn
import { ActivityList } from "./js/activities.js";
import { h } from "./js/dom.js";
import { fetchText } from "./js/data.js";
import { Engine } from "./js/engine.js";
import { LoadingBanner } from "./js/loading.js";
import { confirmDialog, say, sayError } from "./js/messages.js";
import { PersonForm } from "./js/person.js";
import { Picker, buildTree, checkedYearFromParams, coversYear, defaultRuleSet, findRuleSet, fromParams } from "./js/picker.js";
import { activityFieldId, evaluateTolerant } from "./js/problems.js";
import { ResultView, headline, renderStatus } from "./js/results.js";
import {
  buildActivity, buildCase, draftFromCase, duplicateYears, emptyDraft,
  integerProblems, isEmpty, newActivity,
} from "./js/state.js";
import { showSetAside } from "./js/setaside.js";
import { loadState } from "./js/storage.js";
import { keepGuidePages } from "./js/keep.js";
import { answerFor, answerToKeep, markStale, rulesChanged, sameAnswer } from "./js/lastanswer.js";
import { Store } from "./js/store.js";
import { exportCase, hideShareLink, readChosenFile, shareLink, takeSharedCase } from "./js/transfer.js";

const DEBOUNCE_MS = 150; // previews of one activity; the result itself is recomputed at once (runEvaluate)
// An evaluation takes milliseconds; a call unanswered this long means the worker is gone
// (closed, crashed, out of memory): it is replaced and everything computed again.
const ENGINE_TIMEOUT_MS = 20_000;
// The engine's memory snapshot for the next visit (static/snapshot.js) is made once the page has
// shown a result and nothing was typed for this long: it costs a second engine start in the
// background, which should not compete with a person typing.
const SNAPSHOT_IDLE_MS = 5_000;
const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || null;

const SAVE_REFUSED = "浏览器不允许保存数据（可能处于无痕模式）：刷新后内容会丢失，请用“导出文件”保存。";

// The page's state lives in `store` (js/store.js); `app` holds the page's parts and the
// machinery of previews and evaluations.
let store = null;
const app = {
  engine: null,
  loading: null,
  tree: null,
  forms: null,
  evalSeq: 0,
  evalTimer: 0,
  previewTimers: new Map(),
  previewSeq: new Map(),
  pressing: false, // a pointer is down (see watchPresses)
  afterPress: new Set(), // updates of the form's layout waiting for the press to end
};

// ------------------------------------------------------------------ start-up

async function main() {
  const version = new URL(import.meta.url).searchParams.get("v");
  const workerURL = new URL(`worker.js${version ? `?v=${version}` : ""}`, import.meta.url);
  const progress = (stage, detail) => {
    app.loading?.progress(stage, detail);
    if (stage === "failed" && app.engine?.started) showFatal(detail); // kept failing after restarts
  };
  app.engine = new Engine(workerURL, progress, {
    callTimeoutMs: ENGINE_TIMEOUT_MS,
    onStop: (reason) => engineStopped(reason),
    onRestart: (reason) => {
      say(`${reason}，已自动重新启动并重新计算；填写的内容没有丢失。`);
      store.recompute();
    },
  });
  app.loading = new LoadingBanner(app.engine);

  // The rules go to the engine when they arrive; the page is drawn as soon as the forms are here
  // (with the last answer, if one was kept), without waiting for them.
  fetchText(meta("xueshi-rules")).then(
    (rules) => app.engine.start(rules),
    (err) => app.engine.fail(`无法读取规则数据（${err.message}）`),
  );
  let forms;
  try {
    forms = await fetchText(meta("xueshi-forms"));
  } catch (err) {
    showFatal(`无法读取表单数据（${err.message}）`);
    return;
  }
  app.forms = JSON.parse(forms);
  app.tree = buildTree(app.forms.catalog);

  const params = new URLSearchParams(location.search);
  const fromURL = fromParams(app.tree, params);
  const stored = loadState(); // unreadable data is set aside, never wiped (js/storage.js)
  const draft = stored.draft || emptyDraft();
  showSetAside($("toolbar-message"), stored.setAside);
  if (fromURL) {
    draft.rule_set = fromURL;
    const year = checkedYearFromParams(app.tree, fromURL, params);
    if (year) draft.year = year; // saved with the first change, as the rule set is
  }
  if (!app.tree.byId.has(draft.rule_set)) draft.rule_set = defaultRuleSet(app.tree);
  store = new Store(draft, app.forms.forms);
  if ((params.get("rule_set") || params.get("jurisdiction")) && !fromURL) {
    say("链接中指定的地区或规则集不存在，已显示其他规则集，请在第 1 步重新选择。");
  } else if (fromURL && params.get("jurisdiction") && params.has("year") && !coversYear(app.tree, fromURL, Number(params.get("year")))) {
    say(`链接中的${params.get("year")}年没有规则集，已显示${app.tree.byId.get(fromURL).year}年度的规则，请在第 1 步核对年度。`);
  }

  app.picker = new Picker($("picker"), app.tree, (id) => store.change("rule_set", (d) => { d.rule_set = id; }));
  app.activities = new ActivityList($("activity-list"), store, { remove: removeActivity });
  app.person = new PersonForm($("person-fields"), store);
  app.results = new ResultView($("result-body"), { guideBase: meta("xueshi-guide"), passages: app.forms.passages, focusField });
  wireToolbar();
  showRuleSet();
  store.subscribe(react);
  renderStatus($("status"), { state: "loading", message: "计算引擎加载中，你可以先填写，加载完成后自动显示结果。" });
  showLastAnswer(stored.last);

  for (const button of ["btn-export", "btn-share", "btn-clear", "btn-add-activity"]) $(button).disabled = false;
  performance.mark("xueshi:form-ready");
  document.addEventListener("focusout", (event) => {
    if (store.touch(event.target.id)) applyFieldErrors();
  });
  watchPresses();

  app.engine.ready.then(
    () => {
      store.recompute();
      openSharedCase();
    },
    (err) => showFatal(err.message),
  );
}

// ------------------------------------------------------------------ the reaction to a change

/**
 * The one place that decides what a change means for the page: what is drawn again and where
 * the focus goes, which previews run again; the result is computed again after every change.
 * The change is already saved (js/store.js).
 */
function react(change) {
  if (!change.saved) say(SAVE_REFUSED);
  if (store.stale && WHOLE.has(change.kind) && change.kind !== "recompute") dropLastAnswer(); // for other data
  redraw(change);
  if (WHOLE.has(change.kind)) previewAll();
  else if (change.kind === "activity" || change.kind === "activity_added") schedulePreview(change.uid);
  else if (change.kind === "activity_restored") schedulePreview(change.uid, 0);
  scheduleEvaluate();
}

/** Changes after which every activity is previewed again. */
const WHOLE = new Set(["recompute", "rule_set", "replaced", "cleared"]);

function redraw({ kind, uid: uidValue, structural, focusId, pos }) {
  switch (kind) {
    case "recompute":
    case "name":
      return;
    case "rule_set":
      showRuleSet();
      return;
    case "replaced":
    case "cleared":
      hideShareLink(); // it held the data just replaced
      showRuleSet();
      if (kind === "cleared") $("btn-add-activity").focus();
      return;
    case "person":
    case "history":
      if (structural) {
        keepFocus(renderPerson, focusId);
        applyFieldErrors();
      }
      return;
    case "activity":
      if (structural) keepFocus(() => app.activities.refreshCard(uidValue));
      return;
    case "activity_added":
      renderInputs();
      $(`act-${uidValue}-kind`).focus();
      return;
    case "activity_removed": {
      renderInputs();
      const list = store.draft.activities;
      const next = list[pos] || list[pos - 1];
      (next ? $(`act-${next.uid}-toggle`) : $("btn-add-activity")).focus();
      return;
    }
    case "activity_restored":
      renderInputs();
      $(`act-${uidValue}-toggle`).focus();
      return;
    default:
      throw new Error(`unknown change: ${kind}`);
  }
}

function previewAll() {
  for (const a of store.draft.activities) schedulePreview(a.uid, 0);
}

// ------------------------------------------------------------------ rule set and rendering

/** Draw everything that depends on the chosen rule set. */
function showRuleSet() {
  const id = store.draft.rule_set;
  app.activities.previews.clear();
  app.activities.setLines(new Map());
  app.picker.show(id);
  renderRuleSetInfo();
  renderInputs();
  updateAddress(id);
  keepGuidePages(id); // its guide pages and original notices, for reading offline
}

function renderRuleSetInfo() {
  const f = store.form;
  const rs = f.rule_set;
  const notes = f.notes.length
    ? h("details", { class: "notes" }, h("summary", {}, `须知（${f.notes.length} 条）`),
      h("dl", {}, f.notes.map((n) => [h("dt", {}, n.title), h("dd", {}, n.text)])))
    : null;
  // replaceChildren would print a null as the word "null": only elements go in
  $("ruleset-info").replaceChildren(...[
    h("p", { class: "ruleset-title" }, rs.title),
    rs.summary ? h("p", { class: "ruleset-summary" }, rs.summary) : null,
    h("p", { class: "hint" }, `规则最近与原文核对于 ${rs.last_checked}`,
      f.deadlines.length ? `；${f.deadlines.map((d) => `${d.label} ${d.date}`).join("，")}` : ""),
    notes,
  ].filter(Boolean));
}

function renderInputs() {
  keepFocus(() => {
    const name = $("person-name");
    if (name.value !== store.draft.person.name) name.value = store.draft.person.name;
    app.activities.render(store.draft, store.form);
    renderPerson();
  });
  applyFieldErrors();
}

function renderPerson() {
  $("person").hidden = !app.person.render(store.draft, store.form);
}

/** Re-render without losing the keyboard position (ids are stable across renders). */
function keepFocus(render, focusId = null) {
  const active = document.activeElement && document.activeElement.id;
  render();
  const target = (focusId && $(focusId)) || (active && $(active));
  if (target && target !== document.activeElement) target.focus();
}

function updateAddress(id) {
  $("link-batch")?.setAttribute("href", pageLink("batch.html", { rule_set: id }));
  const params = new URLSearchParams(location.search);
  if (params.get("rule_set") === id && !params.has("jurisdiction")) return;
  for (const key of ["jurisdiction", "regime", "year"]) params.delete(key);
  params.set("rule_set", id);
  history.replaceState(null, "", `?${params}${location.hash}`);
}

// ------------------------------------------------------------------ edits

function addActivity() {
  const first = store.form.conversions[0];
  const a = newActivity(first.id, first.label);
  store.open.add(a.uid);
  store.change("activity_added", (d) => { d.activities.push(a); }, { uid: a.uid });
}

function removeActivity(uidValue) {
  const pos = store.draft.activities.findIndex((a) => a.uid === uidValue);
  if (pos < 0) return;
  const removed = store.draft.activities[pos];
  store.change("activity_removed", (d) => { d.activities.splice(pos, 1); }, { uid: uidValue, pos });
  const label = removed.name.trim() || "（未命名）";
  say(`已删除第${pos + 1}项：${label}`, {
    label: "撤销",
    run: () => {
      store.change("activity_restored", (d) => {
        d.activities.splice(Math.min(pos, d.activities.length), 0, removed);
      }, { uid: removed.uid });
      say(`已恢复：${label}`);
    },
  });
}

/** Bring a field into view and focus it (opening its activity card if needed). */
function focusField(id) {
  const m = /^act-([^-]+)-/.exec(id);
  if (m && !$(id)) {
    store.open.add(m[1]);
    app.activities.refreshCard(m[1]);
    applyFieldErrors();
  }
  const el = $(id);
  if (!el) return;
  el.scrollIntoView({ block: "center" });
  el.focus();
}

// ------------------------------------------------------------------ preview and evaluation

function schedulePreview(uidValue, delay = DEBOUNCE_MS) {
  clearTimeout(app.previewTimers.get(uidValue));
  const seq = (app.previewSeq.get(uidValue) || 0) + 1;
  app.previewSeq.set(uidValue, seq);
  app.previewTimers.set(uidValue, setTimeout(() => runPreview(uidValue, seq), delay));
}

async function runPreview(uidValue, seq) {
  try {
    await app.engine.ready;
  } catch {
    return;
  }
  const a = store.draft.activities.find((x) => x.uid === uidValue);
  if (!a || app.previewSeq.get(uidValue) !== seq) return;
  const conv = store.form.conversions.find((c) => c.id === a.kind);
  const ruleSet = store.draft.rule_set;
  let answer;
  try {
    answer = await app.engine.call("preview", ruleSet, JSON.stringify(buildActivity(a, conv)));
  } catch (err) {
    if (err.restarting) return; // asked again once the engine is back (onRestart)
    answer = { ok: false, problems: [{ path: "activity", code: "internal", message: err.message }] };
  }
  if (app.previewSeq.get(uidValue) !== seq || ruleSet !== store.draft.rule_set) return; // stale
  const client = integerProblems(a, conv).map((p) => ({ ...p, fieldId: activityFieldId(uidValue, p.path) }));
  const clientIds = new Set(client.map((p) => p.fieldId));
  const engine = (answer.ok ? [] : answer.problems)
    .map((p) => ({ ...p, fieldId: activityFieldId(uidValue, p.path) }))
    .filter((p) => !clientIds.has(p.fieldId));
  afterPress(() => { // the preview line can change height: not under a pointer being pressed
    if (app.previewSeq.get(uidValue) !== seq || ruleSet !== store.draft.rule_set) return;
    store.previewProblems.set(uidValue, client.concat(engine));
    app.activities.setPreview(uidValue, answer.ok ? { hours: answer.hours, text: answer.text } : null);
    applyFieldErrors();
  });
}

function scheduleEvaluate(delay = 0) {
  clearTimeout(app.evalTimer);
  const seq = ++app.evalSeq;
  document.body.dataset.busy = "1"; // removed once the result for the latest input is on screen
  app.evalTimer = setTimeout(() => runEvaluate(seq), delay);
}

/**
 * No debounce: the result follows every keystroke (an evaluation takes a few ms in
 * the worker). At most one evaluation is in flight; input that arrives meanwhile is
 * evaluated, as a whole, when it returns, so fast typing never queues stale work.
 */
async function runEvaluate(seq) {
  try {
    await app.engine.ready;
  } catch {
    return;
  }
  if (seq !== app.evalSeq || app.evaluating) return; // the one in flight picks up the latest input
  app.evaluating = true;
  try {
    let current;
    do {
      current = app.evalSeq;
      await evaluateLatest(current);
    } while (current !== app.evalSeq);
  } finally {
    app.evaluating = false;
  }
}

async function evaluateLatest(seq) {
  const ruleSet = store.draft.rule_set;
  const built = buildCase(store.draft, store.form);
  let outcome;
  try {
    outcome = await evaluateTolerant(app.engine, built, store.draft);
  } catch (err) {
    if (err.restarting) {
      say(`${err.message}…`); // the figures on screen are for the input before; onRestart computes again
      return;
    }
    if (seq === app.evalSeq) {
      renderStatus($("status"), { state: "failed", message: err.message });
      delete document.body.dataset.busy;
    }
    return;
  }
  if (seq !== app.evalSeq || ruleSet !== store.draft.rule_set) return; // a newer evaluation is on its way
  showOutcome(outcome);
}

function clientProblems() {
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

function showOutcome(outcome, { stale = false } = {}) {
  const client = clientProblems();
  const clientIds = new Set(client.map((p) => p.fieldId));
  store.caseProblems = client.concat(outcome.problems.filter((p) => !clientIds.has(p.fieldId)));
  const r = outcome.result;
  if (r) {
    renderStatus($("status"), { state: "result", result: r, summaryLines: outcome.summaryLines, dropped: outcome.dropped });
  } else {
    renderStatus($("status"), { state: "blocked", message: "输入有误，暂时无法计算：" + store.caseProblems.map((p) => p.message).join("；") });
  }
  const lines = new Map();
  if (r) for (const line of r.activities) lines.set(outcome.index.activities[line.index], line);
  app.activities.setLines(lines);
  app.person.setMissingYears(r && r.title ? r.title.missing_years : []);
  const categories = new Map(store.form.categories.map((c) => [c.id, c.name]));
  app.results.render({ result: r, problems: store.caseProblems }, {
    ruleSet: store.draft.rule_set,
    vocabulary: store.form.vocabulary,
    personName: store.draft.person.name.trim(),
    categoryName: (id) => categories.get(id) || id,
    activityNumber: (i) => store.draft.activities.findIndex((a) => a.uid === outcome.index.activities[i]) + 1,
  });
  applyFieldErrors();
  if (stale) {
    markStale(store.form.vocabulary.page.stale_result);
    updateStatusEcho(r);
    performance.mark("xueshi:last-answer");
    return; // not computed for this visit: no data-evaluated, and data-busy stays
  }
  replaceLastAnswer(outcome);
  scheduleSnapshot();
  updateStatusEcho(r);
  const name = store.draft.person.name.trim();
  const today = new Date(); // as toLocaleDateString("zh-CN") writes it, without loading ICU's locale data (~10 ms)
  $("print-meta").textContent = `自查日期 ${today.getFullYear()}/${today.getMonth() + 1}/${today.getDate()}${name ? ` · ${name}` : ""}`;
  if (!document.body.dataset.evaluated) performance.mark("xueshi:first-result");
  document.body.dataset.evaluated = String(app.evalSeq); // for tests and tools: a result is on screen
  delete document.body.dataset.busy;
}

/** Repeat the status where people type (on a phone the result is far below the form). */
function updateStatusEcho(result) {
  const status = $("status");
  const tone = [...status.classList].find((c) => c.startsWith("status-") && c !== "status") || "status-pending";
  for (const echo of document.querySelectorAll(".status-echo")) {
    echo.className = `status-echo ${tone}`;
    echo.replaceChildren(
      h("span", { class: "status-icon", "aria-hidden": "true" }, status.querySelector(".status-icon").textContent),
      `${store.stale ? store.form.vocabulary.page.stale_echo : "当前结果"}：${result ? headline(result).label : status.querySelector(".status-label").textContent}`,
      h("a", { href: "#results" }, "查看结果"),
    );
  }
}

/**
 * Pressing a button takes focus from the field being typed in, and leaving a field shows its
 * message: a line of text appearing above the button moved it away from under the pointer
 * between press and release, and the click was lost (found as a flaky test; a person presses
 * for longer than a test does). While a press is in progress, messages and activity previews
 * (their line changes height too) wait for its release.
 */
function watchPresses() {
  const release = () => {
    if (!app.pressing) return;
    app.pressing = false;
    const waiting = [...app.afterPress];
    app.afterPress.clear();
    if (waiting.length) setTimeout(() => waiting.forEach((run) => run()), 0); // after the click that follows
  };
  document.addEventListener("pointerdown", () => { app.pressing = true; }, true);
  document.addEventListener("pointerup", release, true);
  document.addEventListener("pointercancel", release, true);
  window.addEventListener("blur", release); // released outside the window
}

/** Run `update` now, or when the press in progress ends (it may move what is being pressed). */
function afterPress(update) {
  if (app.pressing) app.afterPress.add(update);
  else update();
}

/** Show each problem next to its field; "missing" ones only once the field has been visited. */
function applyFieldErrors() {
  if (app.pressing) {
    app.afterPress.add(applyFieldErrors); // a Set: once, however often asked
    return;
  }
  const byField = new Map();
  const add = (p) => {
    if (!p.fieldId) return;
    if (p.code === "missing" && !store.touched.has(p.fieldId)) return;
    const list = byField.get(p.fieldId) || [];
    if (!list.includes(p.message)) list.push(p.message);
    byField.set(p.fieldId, list);
  };
  for (const list of store.previewProblems.values()) list.forEach(add);
  store.caseProblems.forEach(add);
  for (const el of document.querySelectorAll(".field-error")) {
    const fieldId = el.id.slice(0, -"-error".length);
    const messages = byField.get(fieldId);
    const text = messages ? messages.join("；") : "";
    if (el.textContent !== text) el.textContent = text;
    const control = $(fieldId);
    if (control) {
      if (messages) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  }
}

// ------------------------------------------------------------------ the last answer (js/lastanswer.js)

/** On a return visit: draw the answer kept with the draft at once, marked, until the engine recomputes it. */
function showLastAnswer(last) {
  const kept = last && answerFor(last, store.draft);
  if (!kept) return;
  store.stale = kept;
  try {
    showOutcome(kept.outcome, { stale: true });
  } catch (err) { // written by another version of the page in a shape this one cannot draw
    console.warn("last answer not shown:", err);
    dropLastAnswer();
  }
}

/** A fresh answer is on screen: unmark it, say so if the rules changed it, keep it for the next visit. */
function replaceLastAnswer(outcome) {
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

/** After SNAPSHOT_IDLE_MS without a new result: make the engine's snapshot, if one is worth making. <html data-snapshot> says how it went. */
function scheduleSnapshot() {
  clearTimeout(app.snapshotTimer);
  const state = app.engine.snapshotState;
  if (state) document.documentElement.dataset.snapshot = state;
  if (state !== "missing" && state !== "stale") return;
  app.snapshotTimer = setTimeout(() => {
    document.documentElement.dataset.snapshot = "making";
    // an empty case of the chosen rule set: it builds the models a result needs, and keeps nothing
    // of the person's in the snapshot's memory
    const blank = buildCase(emptyDraft(store.draft.rule_set), store.form).case;
    app.engine.makeSnapshot(JSON.stringify(blank)).then((ok) => {
      document.documentElement.dataset.snapshot = ok ? "stored" : "failed";
    });
  }, SNAPSHOT_IDLE_MS);
}

/** The answer on screen belongs to other data now (another rule set, an import, cleared): remove it. */
function dropLastAnswer() {
  store.stale = null;
  markStale(null);
  $("result-body").replaceChildren();
  app.activities.setLines(new Map());
  renderStatus($("status"), { state: "loading", message: "计算引擎加载中，你可以先填写，加载完成后自动显示结果。" });
  updateStatusEcho(null);
}

/** The engine stopped (js/engine.js restart): the figures on screen wait, marked, for the new engine. */
function engineStopped(reason) {
  if (!store) return;
  store.stale = { rule_set: store.draft.rule_set, outcome: null };
  markStale(store.form.vocabulary.page.engine_stopped);
  updateStatusEcho(null);
  document.body.dataset.busy = "1";
}

// ------------------------------------------------------------------ toolbar: export, import, share, clear, print

function wireToolbar() {
  $("btn-add-activity").addEventListener("click", addActivity);
  $("person-name").addEventListener("input", () => {
    const name = $("person-name").value;
    store.change("name", (d) => { d.person.name = name; });
  });
  $("btn-export").addEventListener("click", () => exportCase(currentCase(), store.caseProblems.length));
  $("import-file").addEventListener("change", importFile);
  $("btn-share").addEventListener("click", () => shareLink(currentCase()));
  $("btn-clear").addEventListener("click", clearAll);
  $("btn-print").addEventListener("click", () => window.print());
  const opened = [];
  window.addEventListener("beforeprint", () => {
    for (const d of document.querySelectorAll("#results details:not([open])")) {
      d.open = true;
      opened.push(d);
    }
  });
  window.addEventListener("afterprint", () => {
    for (const d of opened.splice(0)) d.open = false;
  });
}

function currentCase() {
  return buildCase(store.draft, store.form).case;
}

async function importFile(event) {
  const chosen = await readChosenFile(event.target);
  if (chosen) await importText(chosen.text, `文件“${chosen.name}”${chosen.encoding === "utf-8" ? "" : "（GBK 编码）"}`);
}

/** Check a case with parse_import; replace the data only if it can be read. */
async function importText(text, source) {
  say(`正在检查${source}…`);
  try {
    await app.engine.ready;
  } catch {
    sayError("导入失败，当前数据没有改动：", [{ message: "计算引擎未加载，无法检查文件" }]);
    return;
  }
  let answer;
  try {
    answer = await app.engine.call("parse_import", text);
  } catch (err) {
    answer = { ok: false, problems: [{ path: "", message: err.message }] };
  }
  if (!answer.ok) {
    sayError(`无法导入${source}，当前数据没有改动：`, answer.problems || []);
    return;
  }
  const draft = draftFromCase(answer.case, (j, r, y) => findRuleSet(app.tree, j, r, y));
  if (!app.tree.byId.has(draft.rule_set)) {
    sayError(`无法导入${source}，当前数据没有改动：`, [{ message: "文件中的规则集在本工具中不存在" }]);
    return;
  }
  store.replace(draft);
  say(`已导入${source}：${draft.activities.length} 项学习。`);
}

async function openSharedCase() {
  const text = takeSharedCase();
  if (text === null) return;
  if (!isEmpty(store.draft)) {
    const ok = await confirmDialog("打开分享链接中的数据，将替换本机已保存的内容。需要保留的话，请先取消并“导出文件”。", "替换为链接中的数据");
    if (!ok) {
      say("已保留本机数据，未打开分享链接中的数据。");
      return;
    }
  }
  await importText(text, "分享链接中的数据");
}

async function clearAll() {
  const ok = await confirmDialog("清空已填写的全部内容（学习、个人情况、以往年度学时）？清空后不能恢复；如需保留，请先“导出文件”。", "清空");
  if (!ok) return;
  store.replace(emptyDraft(store.draft.rule_set), "cleared");
  say("已清空。");
}

function showFatal(message) {
  delete document.body.dataset.busy;
  if (store?.stale) dropLastAnswer(); // it will not be computed again: no figures without their engine
  app.loading.fatal(message);
  // The reason and what to check are in the banner above (#engine); here only where to look.
  renderStatus($("status"), { state: "failed", message: "计算引擎未能加载，原因和检查办法见页面上方的红色提示；已填写的内容不会丢失。" });
}

main().catch((err) => {
  console.error(err);
  showFatal("页面脚本出错，请刷新重试");
});
