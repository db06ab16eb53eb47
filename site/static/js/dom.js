// Tiny DOM helpers. Text always goes in through text nodes (never innerHTML),
// so whatever a person types, or a file contains, renders as text.

import morphdom from "morphdom";

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

/**
 * Make `el`'s children those of `next` (built with h), changing only what differs (morphdom):
 * a result recomputed on every keystroke leaves its unchanged parts alone, so the browser does
 * not lay out and paint the whole result again, and what the person opened (a <details> such as
 * 依据 or 计算过程) stays open. Listeners are not carried over: give patched content data
 * attributes and one delegated listener instead of per-element handlers. Give parts that come and
 * go an id or a data-key, so that a new part is not matched against the one that was there.
 */
export function patch(el, next) {
  morphdom(el, next, {
    childrenOnly: true,
    // Elements are matched by id or data-key (unique in `el`), the rest by position.
    getNodeKey: (node) => node.id || (node.dataset ? node.dataset.key : undefined) || undefined,
    onBeforeElUpdated(from, to) {
      if (from.tagName === "DETAILS") to.open = from.open; // the person's choice, not the render's default
      return !from.isEqualNode(to);
    },
  });
  return el;
}

/** Let the browser draw and handle input before the rest (scheduler.yield where there is one). */
export function yieldToBrowser() {
  return globalThis.scheduler && typeof scheduler.yield === "function"
    ? scheduler.yield()
    : new Promise((resolve) => setTimeout(resolve, 0));
}

/** After the browser has drawn a frame (a task queued from requestAnimationFrame runs after it). */
export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// A task's share of work before a pacer lets the browser in: wall time, so a slower phone does
// less per task. Issue #22 asks for no task of 50 ms or more; one part more may follow the check.
const PACE_BUDGET_MS = 10;

/**
 * Pacing for work done in parts (drawing the form, a result): `await pace()` after each part
 * goes on at once while the task is young, else first lets the browser handle input (and, with
 * `frames`, draw what was added, so each frame lays out a share, not everything). Resolves to
 * false once `wanted()` is false: the work is no longer wanted (newer input, other data).
 * `frames` only where the page is visible: a hidden page draws no frames.
 */
export function pacer({ frames = false, wanted = () => true } = {}) {
  let since = performance.now();
  return async () => {
    if (performance.now() - since >= PACE_BUDGET_MS) {
      await (frames && document.visibilityState === "visible" ? nextFrame() : yieldToBrowser());
      since = performance.now();
    }
    return wanted();
  };
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
