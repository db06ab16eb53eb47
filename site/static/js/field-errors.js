// Each problem next to its field (<p class="field-error" id="<field>-error">, see dom.js field),
// and aria-invalid on its control. The problems are the store's: those of the latest previews
// and of the latest evaluation, located by field id.

const $ = (id) => document.getElementById(id);

export class FieldErrors {
  /** @param {import("./store.js").Store} store  @param {import("./presses.js").Presses} presses */
  constructor(store, presses) {
    this.store = store;
    this.presses = presses;
    this.apply = this.apply.bind(this); // one function: queued once while a press lasts
  }

  /** Show each problem next to its field; "missing" ones only once the field has been visited. */
  apply() {
    if (this.presses.pressing) {
      this.presses.after(this.apply);
      return;
    }
    const { store } = this;
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
}
