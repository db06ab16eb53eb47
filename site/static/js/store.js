// The calculator page's state, in one place, changed along one path.
//
// The store owns the draft (what the person typed, js/state.js) and the page state that goes
// with it: the form of the chosen rule set, the fields visited (a "missing" message waits for
// them), the activity cards open, the problems of the latest previews and evaluation.
//
// Every change to the draft goes through change() (or replace() for a whole new draft): it
// applies the mutation, saves at once — synchronously, so what was typed is on disk before any
// timer runs and nothing is lost when the tab closes — and then tells the subscribers what kind
// of change it was. What to recompute and redraw is decided there (app.js `react`), not by
// whoever made the change.
//
// Kinds of change ({kind, ...detail, saved}):
//   rule_set                              another rule set chosen (or a place, with the rule set answering for it)
//   name                                  the person's name
//   person     {structural, focusId}      a circumstance or the checked year of a cycle
//   history    {structural, focusId}      the earlier years' table
//   activity   {uid, structural}          one activity's fields
//   activity_added / activity_removed / activity_restored   {uid, ...}
//   replaced                              a whole new draft (an import, a share link)
//   cleared                               emptied (the saved copy is removed, not overwritten)
//   recompute                             nothing changed: compute everything again (engine ready
//                                         or restarted); not saved
// `structural`: the form's shape changes (rows added or removed, a group shown or hidden).
// `saved` is false when the browser refused to save.

import { isEmpty } from "./state.js";
import { forgetDraft, saveAnswer, saveDraft } from "./storage.js";

export class Store {
  /**
   * @param {object} draft  the starting draft (its rule set one of `forms`)
   * @param {Record<string, object>} forms  form(rule_set) of every rule set, by id
   * @param {{save: (draft: object) => boolean, forget: () => void, keep?: (draft: object, last: object) => boolean}} storage
   */
  constructor(draft, forms, storage = { save: saveDraft, forget: forgetDraft, keep: saveAnswer }) {
    this.draft = draft;
    this.forms = forms;
    this.storage = storage;
    this.subscribers = [];
    this.touched = new Set(); // ids of the fields the person has left
    this.open = new Set(); // uids of the activity cards shown open
    this.previewProblems = new Map(); // uid -> located problems of the latest preview
    this.caseProblems = []; // located problems of the latest evaluation
    this.stale = null; // the answer of the last visit while it is on screen, not yet recomputed (js/lastanswer.js)
    this.answered = false; // an answer computed on this visit has been drawn (the kept one no longer is)
    // Counts the drafts that are new documents (another rule set, an import, cleared): a result
    // for a new one is drawn afresh, not patched (js/results.js), so nothing opened stays open.
    this.generation = 0;
  }

  /**
   * Keep the answer just computed with the draft, for the next visit (js/lastanswer.js). Not a
   * change: nothing is written for a draft with nothing typed (no answer worth drawing, and a
   * page that has not been used leaves storage as it found it).
   */
  keepAnswer(last) {
    if (this.storage.keep && !isEmpty(this.draft)) this.storage.keep(this.draft, last);
  }

  /** The form of the chosen rule set (calculator/doors/browser.py form()). */
  get form() {
    return this.forms[this.draft.rule_set];
  }

  subscribe(react) {
    this.subscribers.push(react);
  }

  /** Change the draft: `mutate(draft)`, save, then tell the subscribers. */
  change(kind, mutate, detail = {}) {
    mutate(this.draft);
    if (kind === "rule_set") {
      this.forgetProblems();
      this.generation += 1;
    }
    if (kind === "activity" || kind === "activity_removed") this.forgetActivityProblems(detail.uid);
    this.emit({ kind, ...detail, saved: this.storage.save(this.draft) });
  }

  /** A whole new draft ("replaced"), or an empty one ("cleared": the saved copy is removed). */
  replace(draft, kind = "replaced") {
    this.draft = draft;
    this.generation += 1;
    this.touched.clear();
    this.open.clear();
    this.forgetProblems();
    let saved = true;
    if (kind === "cleared") this.storage.forget();
    else saved = this.storage.save(this.draft);
    this.emit({ kind, saved });
  }

  /** Nothing changed, but everything is to be computed again. */
  recompute() {
    this.emit({ kind: "recompute", saved: true });
  }

  emit(change) {
    for (const react of this.subscribers) react(change);
  }

  // ---------------------------------------------------------------- page state

  /** Mark a field visited; true the first time. */
  touch(id) {
    if (!id || this.touched.has(id)) return false;
    this.touched.add(id);
    return true;
  }

  forgetProblems() {
    this.previewProblems.clear();
    this.caseProblems = [];
  }

  /**
   * The problems known for an activity describe its previous values until its next preview
   * and evaluation return: drop them, so that leaving the field does not show "缺少必填项"
   * for a quantity just typed (the fresh answers put back whatever is still wrong).
   */
  forgetActivityProblems(uidValue) {
    const prefix = `act-${uidValue}-`;
    this.previewProblems.delete(uidValue);
    this.caseProblems = this.caseProblems.filter((p) => !(p.fieldId || "").startsWith(prefix));
  }
}
