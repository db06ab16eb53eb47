// The studio's state, in one place, changed along one path (like the calculator page's
// js/store.js).
//
// The store owns the drafts (drafts.js: {version, current, drafts: {key: {name, rule, cases,
// source, saved}}}) and the page state that goes with them: the latest examples run, the
// sequence number of the latest check. Every change goes through a method here: it applies
// the change, saves at once (synchronously, so what was typed is on disk before any timer
// runs) and tells the subscribers what kind of change it was; what to redraw and re-check is
// decided there (studio.js `react`), not by whoever made the change.
//
// Kinds of change ({kind, ...detail, saved}):
//   edited    {field, from}   one text of the current draft (rule, cases, source); from
//                             "editor" (typed there), "form" or "file" (the editor must show it)
//   added     {key}           a new draft, now current
//   selected  {key}           another draft chosen
//   removed                   the current draft deleted (another, or a new one, is current)
//   renamed                   the current draft's name
// `saved` is false when the browser refused to save.

import { newKey, saveDrafts } from "./drafts.js";

export class StudioStore {
  constructor(record, storage = { save: saveDrafts }) {
    this.record = record;
    this.storage = storage;
    this.subscribers = [];
    this.examples = []; // the latest examples answer's cases (for 预览)
    this.checkSeq = 0;
  }

  get current() {
    return this.record.drafts[this.record.current];
  }

  get drafts() {
    return this.record.drafts;
  }

  subscribe(react) {
    this.subscribers.push(react);
  }

  emit(kind, detail = {}) {
    const event = { kind, ...detail, saved: this.storage.save(this.record) };
    for (const react of this.subscribers) react(event);
  }

  edit(field, value, from = "editor") {
    const d = this.current;
    if (!d || d[field] === value) return;
    d[field] = value;
    d.saved = new Date().toISOString();
    this.emit("edited", { field, from });
  }

  add(name, rule, cases, source) {
    const key = newKey();
    this.record.drafts[key] = { name, rule, cases, source, saved: new Date().toISOString() };
    this.record.current = key;
    this.emit("added", { key });
    return key;
  }

  select(key) {
    if (!(key in this.record.drafts)) return;
    this.record.current = key;
    this.emit("selected", { key });
  }

  /** Delete the current draft; false when it was the last one (the caller adds a new one). */
  remove() {
    delete this.record.drafts[this.record.current];
    const keys = Object.keys(this.record.drafts);
    this.record.current = keys[0] || null;
    if (keys.length) this.emit("removed");
    return keys.length > 0;
  }

  rename(name) {
    if (!this.current) return;
    this.current.name = name;
    this.emit("renamed");
  }
}
