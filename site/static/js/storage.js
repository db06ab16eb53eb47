// Keeping the person's data in this browser (localStorage) so that nothing typed is lost:
// saved on every change (synchronously, so a crash or a closed tab loses nothing),
// restored on the next visit, migrated from older formats, and — when it cannot be
// read — set aside under another key (never wiped), with a message and a download.
//
//   localStorage["xueshi.state"] = {version: STORAGE_VERSION, saved: "<ISO time>", draft, last?}
//
// `last` (optional, since issue #22) is the answer last computed for the draft, drawn at once on
// the next visit while the engine starts (js/lastanswer.js): {rules, forms, rule_set, outcome}.
// It is derived data: a `last` this page cannot read is ignored (the engine computes it again),
// never set aside, and it needs no format version of its own.
//
// Formats released so far (each has a fixture: tests/fixtures/storage/v<N>.json, and a
// browser test loads every fixture):
//   1  the first: draft = {rule_set, person, activities, history}, values as typed (js/state.js);
//      history rows {uid, year, <two fixed fields per year and their requirements>}
//   2  history rows keyed by the rule set's category ids: {uid, year, hours: {id: text},
//      required: {id: text}} (xueshi.case/2)
// Changing the format: bump STORAGE_VERSION, add MIGRATIONS[n] turning a version-n record
// into version n+1, and save a real example of the new format as a fixture.
//
// Unreadable data (not JSON, a wrong shape, a version this page does not know, e.g. from a
// newer build) is copied to "xueshi.state.unreadable.<time>" before anything else is saved.

import { uid } from "./dom.js";
import { emptyPerson, shapeLike } from "./state.js";

export const STORAGE_KEY = "xueshi.state";
export const STORAGE_VERSION = 2;
export const SET_ASIDE_PREFIX = `${STORAGE_KEY}.unreadable.`;

/** version n -> a function turning a version-n record into version n+1. */
const MIGRATIONS = {
  1: (record) => ({ ...record, version: 2, draft: isObject(record.draft) ? historyRowsV2(record.draft) : record.draft }),
};

const REQUIRED_V1 = "required_"; // v1 named a year's requirement "required_<category id>"

/**
 * Version 1 kept each earlier year's figures as fields named after the category ids
 * (and "required_<id>" for that year's requirement); version 2 groups them, as
 * calculator/models/migrate.py does for case files. Whatever else a row holds is left as it is.
 */
function historyRowsV2(draft) {
  if (!Array.isArray(draft.history)) return draft;
  const row = (r) => {
    if (!isObject(r) || isObject(r.hours)) return r;
    const out = { uid: r.uid, year: r.year, hours: {}, required: {} };
    for (const [key, value] of Object.entries(r)) {
      if (key === "uid" || key === "year") continue;
      if (key.startsWith(REQUIRED_V1)) out.required[key.slice(REQUIRED_V1.length)] = value;
      else out.hours[key] = value;
    }
    return out;
  };
  return { ...draft, history: draft.history.map(row) };
}

class ShapeError extends Error {}

let readOnly = false; // the main key holds unreadable data that could not be set aside
// The answer kept with the draft on every save (see `last` above), as JSON: serialised once when
// it is kept, so that a keystroke serialises only the draft.
let lastAnswerText = null;

// ------------------------------------------------------------------ reading

/**
 * The saved draft (or null), the answer last computed for it (or null), and whether something
 * unreadable was set aside just now.
 * @returns {{draft: object|null, last: object|null, setAside: {key: string, reason: string}|null, blocked: boolean}}
 */
export function loadState() {
  let text;
  try {
    text = localStorage.getItem(STORAGE_KEY);
  } catch {
    return { draft: null, last: null, setAside: null, blocked: false }; // storage disabled: store() says so
  }
  if (!text) return { draft: null, last: null, setAside: null, blocked: false };
  let reason;
  try {
    const data = JSON.parse(text);
    const draft = readRecord(data);
    const last = readLast(data.last);
    lastAnswerText = last ? JSON.stringify(last) : null;
    return { draft, last, setAside: null, blocked: false };
  } catch (err) {
    reason = err instanceof SyntaxError ? "不是有效的 JSON" : err instanceof ShapeError ? err.message : "内容无法识别";
  }
  const key = setAside(text, reason);
  if (!key) {
    readOnly = true; // keep it where it is rather than overwrite it
    return { draft: null, last: null, setAside: { key: STORAGE_KEY, reason }, blocked: true };
  }
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // it stays; the next save replaces it (its copy is safe)
  }
  return { draft: null, last: null, setAside: { key, reason }, blocked: false };
}

/** A saved `last` as js/lastanswer.js wrote it, or null when it is missing or has another shape. */
function readLast(v) {
  if (!isObject(v) || !isObject(v.outcome)) return null;
  if (!["rules", "forms", "rule_set"].every((k) => typeof v[k] === "string")) return null;
  const o = v.outcome;
  const ok = (o.result === null || isObject(o.result)) && Array.isArray(o.summaryLines) && Array.isArray(o.problems)
    && Number.isInteger(o.dropped) && isObject(o.index) && Array.isArray(o.index.activities);
  return ok ? v : null;
}

/** A parsed record of any released version -> the current draft (throws ShapeError). */
export function readRecord(data) {
  if (!isObject(data)) throw new ShapeError("保存的内容不是对象");
  let record = data;
  if (!Number.isInteger(record.version) || record.version < 1) throw new ShapeError("缺少格式版本号");
  if (record.version > STORAGE_VERSION) {
    throw new ShapeError(`由较新版本的本工具保存（格式 ${record.version}），本页面只能读取到格式 ${STORAGE_VERSION}`);
  }
  while (record.version < STORAGE_VERSION) {
    const step = MIGRATIONS[record.version];
    if (!step) throw new ShapeError(`无法从格式 ${record.version} 升级`);
    record = step(record);
  }
  return normalizeDraft(record.draft);
}

// ------------------------------------------------------------------ shape of a draft

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const UID = /^[A-Za-z0-9_]{1,40}$/; // uids become parts of element ids and selectors

function text(v, where, { optional = true } = {}) {
  if (v === undefined || v === null) {
    if (optional) return "";
    throw new ShapeError(`缺少${where}`);
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") throw new ShapeError(`${where}的类型不对`);
  return v;
}

function bool(v, where) {
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw new ShapeError(`${where}的类型不对`);
  return v;
}

function list(v, where, item) {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${where}不是列表`);
  return v.map((x, i) => {
    if (!isObject(x)) throw new ShapeError(`${where}第${i + 1}项的类型不对`);
    return item(x, `${where}第${i + 1}项`);
  });
}

const rowId = (v) => (typeof v === "string" && UID.test(v) ? v : uid());

// Names of the person's fields in messages about unreadable data (by key; others are not named).
const FIELD_NAMES = {
  name: "姓名", retirement_date: "退休日期", leaves: "假期", postings: "外派经历", title: "职称申报",
  level: "申报级别", degree: "学历", field: "专业领域", kind: "类型", start: "开始日期", end: "结束日期",
};

/** ["leaves", 0, "start"] -> "假期第1项的开始日期"; nothing named -> "个人情况". */
function personWhere(path) {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `第${part + 1}项`;
    else if (FIELD_NAMES[part]) out += `${out ? "的" : ""}${FIELD_NAMES[part]}`;
  }
  return out || "个人情况";
}

/** Reading the saved person (shapeLike over emptyPerson()): wrong types throw ShapeError, blanks take the default. */
const SAVED_PERSON = {
  text: (v, blank, path) => (path.at(-1) === "uid" ? (typeof v === "string" && UID.test(v) ? v : blank)
    : text(v, personWhere(path)) || blank),
  bool: (v, path) => bool(v, personWhere(path)),
  object: (v, path) => {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) throw new ShapeError(`${personWhere(path)}的类型不对`);
    return v;
  },
  list: (v, path) => list(v, personWhere(path), (x) => x),
};

/** Check every field's type and fill in what is missing; wrong types throw ShapeError. */
export function normalizeDraft(raw) {
  if (!isObject(raw)) throw new ShapeError("缺少填写的内容");
  if (!Array.isArray(raw.activities)) throw new ShapeError("学习列表缺失或不是列表");
  const p = raw.person === undefined || raw.person === null ? {} : raw.person;
  if (!isObject(p)) throw new ShapeError("个人情况的类型不对");
  const person = shapeLike(emptyPerson(), p, SAVED_PERSON);
  const activities = list(raw.activities, "学习", (a, w) => {
    const options = a.options === undefined || a.options === null ? {} : a.options;
    if (!isObject(options)) throw new ShapeError(`${w}的选项类型不对`);
    return {
      uid: rowId(a.uid),
      kind: text(a.kind, `${w}的活动类型`, { optional: false }),
      kind_label: text(a.kind_label, w),
      name: text(a.name, `${w}的名称`),
      quantity: text(a.quantity, `${w}的数量`),
      category: text(a.category, `${w}的科目`),
      options: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, text(v, `${w}的选项`)])),
      date: text(a.date, `${w}的日期`),
      flags: (() => {
        if (a.flags === undefined || a.flags === null) return [];
        if (!Array.isArray(a.flags) || !a.flags.every((f) => typeof f === "string")) throw new ShapeError(`${w}的勾选项类型不对`);
        return a.flags;
      })(),
    };
  });
  const figures = (v, where) => {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) throw new ShapeError(`${where}的类型不对`);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x, where)]));
  };
  const history = list(raw.history, "以往年度学时", (r, w) => ({
    uid: rowId(r.uid), year: text(r.year, w), hours: figures(r.hours, w), required: figures(r.required, w),
  }));
  const ruleSet = raw.rule_set === undefined || raw.rule_set === null ? null : text(raw.rule_set, "规则集");
  // `year`: the year checked within a cycle rule set (optional; drafts saved before it have none)
  // `place`: where the person works (optional; drafts saved before it have none)
  return { rule_set: ruleSet || null, place: text(raw.place, "所在地区"), year: text(raw.year, "核查年度"), person, activities, history };
}

// ------------------------------------------------------------------ writing

/** Save the draft now (with the answer last computed, if any). False if the browser refuses (private mode, storage full, or blocked). */
export function saveDraft(draft) {
  if (readOnly) return false;
  const head = JSON.stringify({ version: STORAGE_VERSION, saved: new Date().toISOString(), draft });
  const text = lastAnswerText ? `${head.slice(0, -1)},"last":${lastAnswerText}}` : head;
  try {
    localStorage.setItem(STORAGE_KEY, text);
    return true;
  } catch {
    if (!lastAnswerText) return false;
    lastAnswerText = null; // the answer is not worth losing the draft for (storage full): save without it
    return saveDraft(draft);
  }
}

/** Keep `last` (see above) with `draft` and save both now; null forgets it. */
export function saveAnswer(draft, last) {
  lastAnswerText = last ? JSON.stringify(last) : null;
  return saveDraft(draft);
}

export function forgetDraft() {
  lastAnswerText = null;
  if (readOnly) return;
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // ignore
  }
}

// ------------------------------------------------------------------ set-aside copies

/** Copy unreadable text to a new key (the same text is kept once). Returns the key, or null. */
function setAside(text, reason) {
  try {
    for (const entry of setAsideEntries()) if (entry.text === text) return entry.key;
    const key = `${SET_ASIDE_PREFIX}${new Date().toISOString()}`;
    localStorage.setItem(key, JSON.stringify({ reason, text }));
    return key;
  } catch {
    return null;
  }
}

/** Every set-aside copy: {key, when (ISO), reason, text}, oldest first. */
export function setAsideEntries() {
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(SET_ASIDE_PREFIX)) continue;
      const raw = localStorage.getItem(key);
      let entry;
      try {
        entry = JSON.parse(raw);
      } catch {
        entry = null;
      }
      const ok = isObject(entry) && typeof entry.text === "string";
      out.push({
        key, when: key.slice(SET_ASIDE_PREFIX.length),
        reason: ok && typeof entry.reason === "string" ? entry.reason : "",
        text: ok ? entry.text : raw,
      });
    }
  } catch {
    return out;
  }
  if (readOnly) {
    try {
      out.push({ key: STORAGE_KEY, when: "", reason: "", text: localStorage.getItem(STORAGE_KEY) || "" });
    } catch {
      // ignore
    }
  }
  return out.sort((a, b) => a.when.localeCompare(b.when));
}

/** Delete a set-aside copy (after the person confirmed). */
export function discardSetAside(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // ignore
  }
  if (key === STORAGE_KEY) readOnly = false;
}
