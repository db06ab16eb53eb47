// 学时自查 — the calculator page. Collects input, asks the Python engine (in a
// Web Worker, see static/worker.js and calculator/doors/browser.py), renders. No
// rule lives here: the form comes from form(rule_set), figures from evaluate().
// This file only puts the page's parts together; each part is a module in js/:
//   startup.js   the engine, the page's data, a fatal error      address.js  the URL in and out
//   view.js      the reaction to a change, drawing the rule set   toolbar.js  buttons, import, share
//   evaluation.js  previews and evaluations                      outcome.js  drawing an outcome
//   edits.js     choosing a place or rule set, adding/removing activities, focusing a field
//   place-picker.js  finding one's place by name or pinyin     field-errors.js, presses.js
//
// URL parameters (all optional):
//   ?rule_set=<id>                          preselect a rule set, e.g. ?rule_set=hunan-college-shiye-2023
//   ?jurisdiction=<code>&regime=<shiye|zhuanji>&year=<yyyy>
//                                           the same by its parts; any year of a cycle finds the cycle's
//                                           rule set; a missing or unknown regime/year falls back to the
//                                           first regime and the latest year (an unknown year with a notice);
//                                           a year inside a cycle is also the cycle's checked year
//   ?place=<code>                           where the person works (rules/places.json), e.g. ?place=guangdong:
//                                           alone, the rule set answering for it (a parent's or the national
//                                           frame's, labelled as such); beside ?rule_set=, that rule set
//   &compact=1                              compact view for an <iframe> in an intranet page (js/embed.js)
//   #case=<base64url of the case JSON>      a shared case (see "分享链接"); checked with parse_import,
//                                           loaded (after confirmation if local data exists), then removed
//                                           from the address. The fragment never reaches the server.
// URL parameters win over the saved selection; after loading, the address is kept
// in step with the chosen rule set and place (?rule_set=<id>&place=<code>) (js/address.js).
//
// Page state: one store (js/store.js) holds the draft and the page state; every change goes
// through it, is saved there at once, and comes back to `react` (js/view.js), the one place that
// decides what to recompute and redraw.
// Saved state: localStorage["xueshi.state"] = {version: 2, saved, draft, last}, saved on every change
// (`last`: the answer last computed, drawn at once on the next visit, js/lastanswer.js);
// older formats are migrated, unreadable data set aside with a notice (js/storage.js).
// For tests and timing: <body data-engine="ready|failed" data-evaluated data-busy data-previewing>, and
// performance marks xueshi:form-ready, xueshi:runtime-ready (Python up), xueshi:engine-ready
// (rules loaded), xueshi:first-result.

import "./js/embed.js"; // first: sets compact mode before anything is drawn
import { ActivityList } from "./js/activities.js";
import { applyAddress } from "./js/address.js";
import { pacer, yieldToBrowser } from "./js/dom.js";
import { chooseRuleSet, choosePlace, focusField, removeActivity } from "./js/edits.js";
import { Evaluation } from "./js/evaluation.js";
import { FieldErrors } from "./js/field-errors.js";
import { say } from "./js/messages.js";
import { showLastAnswer, showLastVerdict, showOutcome } from "./js/outcome.js";
import { PersonForm } from "./js/person.js";
import { Picker, buildTree } from "./js/picker.js";
import { PlacePicker } from "./js/place-picker.js";
import { Presses } from "./js/presses.js";
import { ResultView, renderStatus } from "./js/results.js";
import { showSetAside } from "./js/setaside.js";
import { emptyDraft } from "./js/state.js";
import { loadState } from "./js/storage.js";
import { Store } from "./js/store.js";
import { loadData, meta, showFatal, startEngine } from "./js/startup.js";
import { openSharedCase, wireToolbar } from "./js/toolbar.js";
import { drawRuleSet, react } from "./js/view.js";

const $ = (id) => document.getElementById(id);

// The page's parts: the store (its state) and what draws, computes and listens.
const app = {
  engine: null, loading: null, forms: null, tree: null, places: null, store: null,
  placePicker: null, picker: null, activities: null, person: null, results: null,
  presses: new Presses(), fieldErrors: null, evaluation: null, formDrawn: null,
};

async function main() {
  const version = new URL(import.meta.url).searchParams.get("v");
  startEngine(app, new URL(`worker.js${version ? `?v=${version}` : ""}`, import.meta.url));
  app.forms = await loadData(app);
  if (!app.forms) return;
  // The page is built in short tasks (issue #22: no start-up task of 50 ms or more with the CPU
  // 4 times slower): the forms' parse, the state, the page's parts, the form drawn part by part
  // (js/dom.js pacer), then the kept answer, also part by part. Changes are listened to before
  // anything is drawn, so nothing typed meanwhile is missed; buttons wait for the whole form.
  await yieldToBrowser();
  app.tree = buildTree(app.forms.catalog);
  const stored = loadState(); // unreadable data is set aside, never wiped (js/storage.js)
  await yieldToBrowser();

  const draft = stored.draft || emptyDraft();
  // Someone who has used the page in this browser before is not told about the first download.
  if (stored.draft) $("engine-note")?.remove();
  showSetAside($("toolbar-message"), stored.setAside);
  app.places = new Map((app.forms.places || []).map((p) => [p.code, p]));
  const notice = applyAddress(app.tree, app.places, draft);
  const store = app.store = new Store(draft, app.forms.forms);
  if (notice) say(notice);
  await yieldToBrowser();

  app.placePicker = new PlacePicker($("place-picker"), app.forms.places || [], app.tree.byId, store.form.vocabulary.place_picker, {
    pickPlace: (code) => choosePlace(app, code),
    pickRuleSet: (id) => store.change("rule_set", (d) => { d.rule_set = id; }),
  });
  app.picker = new Picker($("picker"), app.tree, (id) => chooseRuleSet(app, id));
  app.activities = new ActivityList($("activity-list"), store, { remove: (uid) => removeActivity(app, uid) });
  app.person = new PersonForm($("person-fields"), store);
  app.results = new ResultView($("result-body"), {
    guideBase: meta("xueshi-guide"), passages: app.forms.passages, focusField: (id) => focusField(app, id),
  });
  app.fieldErrors = new FieldErrors(store, app.presses);
  app.evaluation = new Evaluation(app, (outcome, wanted) => showOutcome(app, outcome, { wanted }));
  wireToolbar(app);
  store.subscribe((change) => react(app, change));
  document.addEventListener("focusout", (event) => {
    if (store.touch(event.target.id)) app.fieldErrors.apply();
  });
  app.presses.watch();
  // A return visit: the verdict kept with the draft first, marked until recomputed.
  showLastVerdict(app, stored.last);
  app.formDrawn = drawRuleSet(app, pacer({ frames: true }));
  await app.formDrawn;
  if (!store.stale) renderStatus($("status"), { state: "loading", message: "计算引擎加载中，你可以先填写，加载完成后自动显示结果。" });
  for (const button of ["btn-export", "btn-share", "btn-clear", "btn-add-activity"]) $(button).disabled = false;
  performance.mark("xueshi:form-ready");

  // Then the rest of the kept answer, in parts; the engine, once ready, computes meanwhile (its
  // answer replaces the kept one).
  await yieldToBrowser();
  showLastAnswer(app);
  app.engine.ready.then(
    () => {
      store.recompute();
      openSharedCase(app);
    },
    (err) => showFatal(app, err.message),
  );
}

main().catch((err) => {
  console.error(err);
  showFatal(app, "页面脚本出错，请刷新重试");
});
