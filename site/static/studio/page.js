// Small helpers every studio module uses: elements by id, the page's <meta> values, and the
// one-line messages under each toolbar.

export const $ = (id) => document.getElementById(id);

export function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.getAttribute("content") : null;
}

export function note(id, text, error = false) {
  const el = $(id);
  el.className = error ? "toolbar-message error" : "toolbar-message";
  el.textContent = text;
}

/** The messages of a bridge answer that failed, in one line. */
export function problemsText(answer) {
  return (answer.problems || []).map((p) => p.message).join("；");
}

/** A bridge call that never throws: a failure comes back as {ok: false, problems}. */
export function call(engine, name, ...args) {
  return engine.call(name, ...args).catch((err) => ({ ok: false, problems: [{ line: 0, message: err.message }] }));
}
