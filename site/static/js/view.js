// The calculator page's reaction to a change in the store (js/store.js): what is drawn again,
// where the focus goes, which previews run again; the result is computed again after every
// change. Also drawing everything that depends on the chosen rule set.

import { updateAddress } from "./address.js";
import { h } from "./dom.js";
import { keepGuidePages } from "./keep.js";
import { say } from "./messages.js";
import { dropLastAnswer } from "./outcome.js";
import { hideShareLink } from "./transfer.js";

const $ = (id) => document.getElementById(id);

const SAVE_REFUSED = "浏览器不允许保存数据（可能处于无痕模式）：刷新后内容会丢失，请用“导出文件”保存。";

/** Changes after which every activity is previewed again. */
const WHOLE = new Set(["recompute", "rule_set", "replaced", "cleared"]);

/**
 * The one place that decides what a change means for the page. The change is already saved
 * (js/store.js). `app`: the page's parts (app.js).
 */
export function react(app, change) {
  if (!change.saved) say(SAVE_REFUSED);
  if (app.store.stale && WHOLE.has(change.kind) && change.kind !== "recompute") dropLastAnswer(app); // for other data
  redraw(app, change);
  const { evaluation } = app;
  if (WHOLE.has(change.kind)) evaluation.previewAll();
  else if (change.kind === "activity" || change.kind === "activity_added") evaluation.schedulePreview(change.uid);
  else if (change.kind === "activity_restored") evaluation.schedulePreview(change.uid, 0);
  evaluation.scheduleEvaluate();
}

function redraw(app, { kind, uid: uidValue, structural, focusId, pos }) {
  switch (kind) {
    case "recompute":
    case "name":
      return;
    case "rule_set":
      showRuleSet(app);
      return;
    case "replaced":
    case "cleared":
      hideShareLink(); // it held the data just replaced
      showRuleSet(app);
      if (kind === "cleared") $("btn-add-activity").focus();
      return;
    case "person":
    case "history":
      if (structural) {
        keepFocus(() => renderPerson(app), focusId);
        app.fieldErrors.apply();
      }
      return;
    case "activity":
      if (structural) keepFocus(() => app.activities.refreshCard(uidValue));
      return;
    case "activity_added":
      renderInputs(app);
      $(`act-${uidValue}-kind`).focus();
      return;
    case "activity_removed": {
      renderInputs(app);
      const list = app.store.draft.activities;
      const next = list[pos] || list[pos - 1];
      (next ? $(`act-${next.uid}-toggle`) : $("btn-add-activity")).focus();
      return;
    }
    case "activity_restored":
      renderInputs(app);
      $(`act-${uidValue}-toggle`).focus();
      return;
    default:
      throw new Error(`unknown change: ${kind}`);
  }
}

/** Draw everything that depends on the chosen rule set. */
export function showRuleSet(app) {
  for (const step of ruleSetSteps(app)) step();
}

/**
 * The same, paced (js/dom.js pacer): the page's first drawing, a part per task on a phone. Each
 * step draws from the store as it is then, so a change made meanwhile (drawn at once by `react`)
 * is not undone by a later step.
 */
export async function drawRuleSet(app, pace) {
  for (const step of ruleSetSteps(app)) {
    step();
    await pace();
  }
}

function ruleSetSteps(app) {
  const { store } = app;
  return [
    () => {
      app.activities.previews.clear();
      app.activities.setLines(new Map());
      app.picker.show(store.draft.rule_set);
    },
    () => app.placePicker.show(store.draft.place, store.draft.rule_set),
    () => renderRuleSetInfo(store.form),
    () => {
      const name = $("person-name");
      if (name.value !== store.draft.person.name) name.value = store.draft.person.name;
      keepFocus(() => app.activities.render(store.draft, store.form));
    },
    () => {
      keepFocus(() => renderPerson(app));
      app.fieldErrors.apply();
    },
    () => {
      updateAddress(store.draft.rule_set, store.draft.place);
      keepGuidePages(store.draft.rule_set); // its guide pages and original notices, for reading offline
    },
  ];
}

function renderRuleSetInfo(f) {
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

function renderInputs(app) {
  const { store } = app;
  keepFocus(() => {
    const name = $("person-name");
    if (name.value !== store.draft.person.name) name.value = store.draft.person.name;
    app.activities.render(store.draft, store.form);
    renderPerson(app);
  });
  app.fieldErrors.apply();
}

function renderPerson(app) {
  $("person").hidden = !app.person.render(app.store.draft, app.store.form);
}

/** Re-render without losing the keyboard position (ids are stable across renders). */
function keepFocus(render, focusId = null) {
  const active = document.activeElement && document.activeElement.id;
  render();
  const target = (focusId && $(focusId)) || (active && $(active));
  if (target && target !== document.activeElement) target.focus();
}
