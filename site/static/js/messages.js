// Short messages under the toolbar, and a confirmation dialog (<dialog>, not
// window.confirm, so it is styled, keyboard-friendly and never blocks the page).

import { h } from "./dom.js";
import { describePath } from "./problems.js";

const $ = (id) => document.getElementById(id);

/** A line under the toolbar; optionally with one action button (e.g. 撤销). */
export function say(text, action = null) {
  const el = $("toolbar-message");
  el.className = "toolbar-message";
  el.replaceChildren(text, action ? h("button", { type: "button", class: "link-button", onclick: () => action.run() }, action.label) : "");
}

/** A refusal with its reasons (problems from the engine: {path, message}). */
export function sayError(title, problems) {
  const el = $("toolbar-message");
  el.className = "toolbar-message error";
  el.replaceChildren(h("strong", {}, title), problems.length ? h("ul", {}, problems.map((p) => {
    const where = describePath(p.path || "");
    return h("li", {}, where ? `${where}：${p.message}` : p.message);
  })) : "");
}

/** Resolves true when the person presses the confirming button. */
export function confirmDialog(text, okLabel) {
  const dialog = $("confirm");
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = okLabel;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}
