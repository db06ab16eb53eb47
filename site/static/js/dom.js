// Tiny DOM helpers. Text always goes in through text nodes (never innerHTML),
// so whatever a person types, or a file contains, renders as text.

/**
 * h("p", {class: "x", dataset: {a: "1"}, onclick: fn}, "text", child, [more])
 * Props: class, dataset, on<event>, boolean props (checked, disabled, hidden,
 * selected, open), value (set after children, so a <select> keeps it);
 * anything else becomes an attribute. null/undefined/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (key === "class") el.className = v;
    else if (key === "dataset") Object.assign(el.dataset, v);
    else if (key === "value") value = v;
    else if (key.startsWith("on") && typeof v === "function") el.addEventListener(key.slice(2), v);
    else if (v === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(v));
  }
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Hours and other figures: "30", "7.5", "0.33" (at most two decimals; as words.num in Python). */
export function fmt(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const r = Math.round(n * 100) / 100;
  if (r === 0) return "0"; // never "-0"
  if (Number.isInteger(r)) return String(r);
  return r.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}

/** "2023-09-01" -> "2023年9月1日" (anything else unchanged). */
export function fmtDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : String(iso || "");
}

let counter = 0;
/** A short id for list items, unique within this page (and random enough across reloads). */
export function uid() {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A labelled form field with an error line (aria-describedby) under the control. */
export function field(id, label, control, { hint, extra, cls } = {}) {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.id = id;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h("div", { class: `field${cls ? ` ${cls}` : ""}` },
    h("label", { for: id }, label),
    extra ? h("div", { class: "control-row" }, control, extra) : control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errorId, "aria-live": "polite" }),
  );
}

/** <select> with [value, label] pairs; an optional placeholder first. */
export function select(options, value, { placeholder } = {}) {
  const el = h("select", {},
    placeholder !== undefined ? h("option", { value: "" }, placeholder) : null,
    options.map(([v, label]) => h("option", { value: v }, label)),
  );
  el.value = value ?? "";
  return el;
}
