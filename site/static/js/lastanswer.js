// The answer last computed, drawn again at once on the next visit (issue #22).
//
// A person who comes back sees their saved inputs and the answer last computed for them
// before the engine has started: it is kept with the draft (js/storage.js, `last`), shown
// plainly marked with the words PAGE_STATES.stale_result (calculator/engine/words.py, through
// form().vocabulary.page) and replaced as soon as the engine has computed the answer again.
// Nothing here computes: the stored answer is the engine's JSON, drawn by the same code as
// a fresh one (js/outcome.js showOutcome). The same marking covers the figures on screen while an
// engine that stopped is started again (js/engine.js restart).
//
// `rules` and `forms` are the addresses of the build's rules and forms data (content-hashed
// file names, see the page's <meta name="xueshi-rules|xueshi-forms">): when either differs from
// the stored answer's, the rules or the engine that wrote the forms changed since, and a new
// answer that differs from the stored one is announced as such (rulesChanged/sameAnswer).

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || "";

/** What is kept with the draft for `outcome` (evaluateTolerant's, as shown) of `ruleSet`. */
export function answerToKeep(outcome, ruleSet) {
  return { rules: meta("xueshi-rules"), forms: meta("xueshi-forms"), rule_set: ruleSet, outcome };
}

/** The stored answer if it belongs to the draft's rule set, else null. */
export function answerFor(last, draft) {
  return last && last.rule_set === draft.rule_set ? last : null;
}

/** Whether the rules data or the forms the engine made have changed since `last` was computed. */
export function rulesChanged(last) {
  return last.rules !== meta("xueshi-rules") || last.forms !== meta("xueshi-forms");
}

/** Whether two outcomes say the same (the result and its summary). */
export function sameAnswer(a, b) {
  const key = (o) => JSON.stringify([o.result, o.summaryLines, o.dropped]);
  return key(a) === key(b);
}

/**
 * Mark the figures in #status and #result-body as not (yet) computed for what is on screen
 * (`text`), or remove the mark (null). <body data-stale> says so for tests and tools.
 */
export function markStale(text) {
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  document.getElementById("status-stale")?.remove();
  if (text === null) {
    delete document.body.dataset.stale;
    results?.removeAttribute("data-stale");
    return;
  }
  document.body.dataset.stale = "1";
  results?.setAttribute("data-stale", "1");
  const note = document.createElement("p");
  note.id = "status-stale";
  note.className = "status-stale";
  note.textContent = text;
  status?.prepend(note);
}
