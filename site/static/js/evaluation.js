// Previews of one activity and evaluations of the whole case, in the engine's worker
// (js/engine.js), each discarded when the input moved on while it was computed.

import { activityFieldId, evaluateTolerant } from "./problems.js";
import { say } from "./messages.js";
import { renderStatus } from "./results.js";
import { buildActivity, buildCase, integerProblems } from "./state.js";

const DEBOUNCE_MS = 150; // previews of one activity; the result itself is recomputed at once (runEvaluate)
const $ = (id) => document.getElementById(id);

export class Evaluation {
  /**
   * @param {object} app  the page's parts (app.js): engine, store, activities, presses, fieldErrors,
   *   formDrawn (resolves once the form is drawn: nothing is computed into a form half drawn)
   * @param {(outcome: object, wanted: () => boolean) => Promise<boolean>} showOutcome  draws an
   *   evaluation's outcome (js/outcome.js), giving up once `wanted()` is false
   */
  constructor(app, showOutcome) {
    this.app = app;
    this.showOutcome = showOutcome;
    this.seq = 0; // the latest evaluation asked for
    this.timer = 0;
    this.evaluating = false;
    this.previewTimers = new Map();
    this.previewSeq = new Map();
    this.previewsWaiting = new Set(); // uids whose preview timer has not fired yet
    this.previewsRunning = 0; // previews asked of the engine, not yet drawn or discarded
  }

  /** <body data-previewing> while a preview is waiting, computing or not yet drawn (for tests). */
  markPreviews() {
    if (this.previewsWaiting.size || this.previewsRunning) document.body.dataset.previewing = "1";
    else delete document.body.dataset.previewing;
  }

  /** Preview every activity again. */
  previewAll() {
    for (const a of this.app.store.draft.activities) this.schedulePreview(a.uid, 0);
  }

  schedulePreview(uidValue, delay = DEBOUNCE_MS) {
    clearTimeout(this.previewTimers.get(uidValue));
    const seq = (this.previewSeq.get(uidValue) || 0) + 1;
    this.previewSeq.set(uidValue, seq);
    this.previewsWaiting.add(uidValue);
    this.markPreviews();
    this.previewTimers.set(uidValue, setTimeout(() => {
      this.previewsWaiting.delete(uidValue);
      this.previewsRunning += 1;
      this.runPreview(uidValue, seq).finally(() => {
        this.previewsRunning -= 1;
        this.markPreviews();
      });
    }, delay));
  }

  async runPreview(uidValue, seq) {
    const { engine, store, activities, presses, fieldErrors } = this.app;
    try {
      await this.app.formDrawn; // a preview is drawn into its card
      await engine.ready;
    } catch {
      return;
    }
    const a = store.draft.activities.find((x) => x.uid === uidValue);
    if (!a || this.previewSeq.get(uidValue) !== seq) return;
    const conv = store.form.conversions.find((c) => c.id === a.kind);
    const ruleSet = store.draft.rule_set;
    let answer;
    try {
      answer = await engine.call("preview", ruleSet, JSON.stringify(buildActivity(a, conv)));
    } catch (err) {
      if (err.restarting) return; // asked again once the engine is back (onRestart)
      answer = { ok: false, problems: [{ path: "activity", code: "internal", message: err.message }] };
    }
    if (this.previewSeq.get(uidValue) !== seq || ruleSet !== store.draft.rule_set) return; // stale
    const client = integerProblems(a, conv).map((p) => ({ ...p, fieldId: activityFieldId(uidValue, p.path) }));
    const clientIds = new Set(client.map((p) => p.fieldId));
    const fromEngine = (answer.ok ? [] : answer.problems)
      .map((p) => ({ ...p, fieldId: activityFieldId(uidValue, p.path) }))
      .filter((p) => !clientIds.has(p.fieldId));
    // The preview line can change height: not drawn under a pointer being pressed. Resolved once
    // drawn or discarded, so that data-previewing lasts until then.
    await new Promise((drawn) => presses.after(() => {
      try {
        if (this.previewSeq.get(uidValue) !== seq || ruleSet !== store.draft.rule_set) return;
        store.previewProblems.set(uidValue, client.concat(fromEngine));
        activities.setPreview(uidValue, answer.ok ? { hours: answer.hours, text: answer.text } : null);
        fieldErrors.apply();
      } finally {
        drawn();
      }
    }));
  }

  scheduleEvaluate(delay = 0) {
    clearTimeout(this.timer);
    const seq = ++this.seq;
    document.body.dataset.busy = "1"; // removed once the result for the latest input is on screen
    this.timer = setTimeout(() => this.runEvaluate(seq), delay);
  }

  /**
   * No debounce: the result follows every keystroke (an evaluation takes a few ms in
   * the worker). At most one evaluation is in flight; input that arrives meanwhile is
   * evaluated, as a whole, when it returns, so fast typing never queues stale work.
   */
  async runEvaluate(seq) {
    try {
      await this.app.formDrawn; // the outcome is drawn beside the form's fields
      await this.app.engine.ready;
    } catch {
      return;
    }
    if (seq !== this.seq || this.evaluating) return; // the one in flight picks up the latest input
    this.evaluating = true;
    try {
      let current;
      do {
        current = this.seq;
        await this.evaluateLatest(current);
      } while (current !== this.seq);
    } finally {
      this.evaluating = false;
    }
  }

  async evaluateLatest(seq) {
    const { engine, store } = this.app;
    const ruleSet = store.draft.rule_set;
    const built = buildCase(store.draft, store.form);
    let outcome;
    try {
      outcome = await evaluateTolerant(engine, built, store.draft);
    } catch (err) {
      if (err.restarting) {
        say(`${err.message}…`); // the figures on screen are for the input before; onRestart computes again
        return;
      }
      if (seq === this.seq) {
        renderStatus($("status"), { state: "failed", message: err.message });
        delete document.body.dataset.busy;
      }
      return;
    }
    const wanted = () => seq === this.seq && ruleSet === store.draft.rule_set; // else a newer one is on its way
    if (wanted()) await this.showOutcome(outcome, wanted);
  }
}
