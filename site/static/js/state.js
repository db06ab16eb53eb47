// The person's data as typed (the "draft"), and its conversion to and from the
// case JSON the engine reads (format xueshi.case/2, calculator/models/case.py).
// Earlier years' hours are keyed by the rule set's own category ids (form().top_categories).
//
// The draft keeps every typed value as text, so nothing a person enters is
// lost, even when it is not (yet) valid; buildCase() turns it into the case
// JSON, and the engine reports what is wrong, field by field.

import { uid } from "./dom.js";

export const CASE_FORMAT = "xueshi.case/2";

/**
 * The person's circumstances as typed: the one list of their fields. Everything else about the
 * person derives from it: reading saved drafts (js/storage.js) and imported cases (draftFromCase,
 * both through shapeLike), the case sent to the engine (buildCase), isEmpty.
 * Text fields hold what was typed; true/false fields are facts the rules test by the same name
 * (see PERSON_FACTS for the others); lists hold rows shaped as PERSON_ROWS makes them.
 */
export function emptyPerson() {
  return {
    name: "",
    retirement_date: "",
    leaves: [],
    postings: [],
    disability: false,
    covid_frontline: false,
    covid_frontline_designated: false,
    makeup_eligible: false,
    title: { applying: false, level: "", degree: "other", field: "other" },
  };
}

/** The rows of the person's lists (the array fields of emptyPerson()), blank. */
export const PERSON_ROWS = { leaves: () => newLeave(), postings: () => newPosting() };

/**
 * The facts of the rules (form().circumstances) each field of emptyPerson() feeds, where they are
 * not the field's own name: a field is asked for, and sent to the engine, only when its rule set
 * tests one of them. The name is always asked for.
 */
export const PERSON_FACTS = {
  retirement_date: ["months_to_retirement_at_year_end"],
  leaves: ["leave_months_in_year"],
  postings: ["posting_months_in_year", "longest_posting_months"],
  title: ["title_applicant"],
};

/** Does `form`'s rule set ask for the person's field `key`? (No form: only the name.) */
export function asksFor(form, key) {
  if (key === "name") return true;
  return !!form && (PERSON_FACTS[key] || [key]).some((fact) => form.circumstances.includes(fact));
}

/**
 * `raw` in the shape of `blank` (emptyPerson(), a row, …): each field of `blank`, and only those,
 * read by `read`: read.text(value, blankValue, path), read.bool(value, path), read.object(value,
 * path) -> an object, read.list(value, path) -> raw rows, each shaped as PERSON_ROWS makes its
 * list's rows. `path` locates the field (["leaves", 0, "start"]) for messages.
 */
export function shapeLike(blank, raw, read, path = []) {
  const out = {};
  for (const [key, b] of Object.entries(blank)) {
    const at = [...path, key];
    const v = raw[key];
    if (Array.isArray(b)) out[key] = read.list(v, at).map((row, i) => shapeLike(PERSON_ROWS[key](), row, read, [...at, i]));
    else if (typeof b === "boolean") out[key] = read.bool(v, at);
    else if (b !== null && typeof b === "object") out[key] = shapeLike(b, read.object(v, at), read, at);
    else out[key] = read.text(v, b, at);
  }
  return out;
}

export function emptyDraft(ruleSet = null) {
  // year: which year of a cycle rule set is checked ("" = the engine's default, the cycle's last year)
  return { rule_set: ruleSet, year: "", person: emptyPerson(), activities: [], history: [] };
}

/** `kind_label` remembers the kind's name, for when another rule set does not have it. */
export function newActivity(kind, kindLabel = "") {
  return { uid: uid(), kind, kind_label: kindLabel, name: "", quantity: "", category: "", options: {}, date: "", flags: [] };
}
export const newLeave = () => ({ uid: uid(), kind: "sick", start: "", end: "" });
export const newPosting = () => ({ uid: uid(), kind: "yuanzang", start: "", end: "", assessment_passed: false });
/** One earlier year: {uid, year, hours: {<category id>: text}, required: {<category id>: text}}. */
export const newHistory = (year = "") => ({ uid: uid(), year: String(year), hours: {}, required: {} });

// ------------------------------------------------------------------ numbers

const FULLWIDTH = /[０-９．－＋]/g;

/** Text typed into a number field -> a number, or the text itself (the engine then says why). */
export function parseNumber(text) {
  const s = String(text ?? "")
    .replace(FULLWIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s]/g, "");
  if (s === "") return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : String(text).trim();
}

export function parseInteger(text) {
  const n = parseNumber(text);
  return typeof n === "number" && Number.isInteger(n) ? n : n === undefined ? undefined : NaN;
}

const numberText = (v) => (v === undefined || v === null ? "" : String(v));

// ------------------------------------------------------------------ draft -> case

/** The JSON the engine reads for one activity (also what preview() gets). */
export function buildActivity(a, conv) {
  const out = { kind: a.kind, name: (a.name || "").trim() || (conv ? conv.label : a.kind_label || a.kind) };
  const quantity = parseNumber(a.quantity);
  if (quantity !== undefined) out.quantity = quantity;
  if (conv && conv.categories.length === 1) out.category = conv.categories[0].id;
  else if (a.category) out.category = a.category;
  const options = {};
  for (const opt of conv ? conv.options : []) {
    const raw = a.options[opt.name];
    if (raw === undefined || raw === "") continue;
    if ((opt.type || "choice") === "integer") {
      const n = parseInteger(raw);
      if (Number.isInteger(n)) options[opt.name] = n; // else: reported by integerProblems()
    } else {
      options[opt.name] = raw;
    }
  }
  if (Object.keys(options).length) out.options = options;
  if (a.date) out.date = a.date;
  const flagIds = new Set((conv ? conv.flags : []).map((f) => f.id));
  const flags = a.flags.filter((f) => flagIds.has(f));
  if (flags.length) out.flags = flags;
  return out;
}

/** Integer option fields holding something that is not a whole number (checked here: it never reaches the engine). */
export function integerProblems(a, conv) {
  const problems = [];
  for (const opt of conv ? conv.options : []) {
    const raw = a.options[opt.name];
    if ((opt.type || "choice") === "integer" && raw !== undefined && raw !== "" && !Number.isInteger(parseInteger(raw))) {
      problems.push({ path: `activity.options.${opt.name}`, code: "int_parsing", message: `${opt.label}：须为整数` });
    }
  }
  return problems;
}

/** Years entered twice in the history table: uid -> message (later rows are left out of the case). */
export function duplicateYears(history) {
  const seen = new Set();
  const dupes = new Map();
  for (const row of history) {
    const y = parseNumber(row.year);
    if (y === undefined) continue;
    if (seen.has(y)) dupes.set(row.uid, `以往年度学时：${row.year}年已经填写过一行`);
    seen.add(y);
  }
  return dupes;
}

/**
 * The case JSON for the engine, plus, for every list, the draft uids in the
 * order they appear (problems come back as paths such as "activities[2].quantity").
 */
export function buildCase(draft, form) {
  const convs = new Map((form ? form.conversions : []).map((c) => [c.id, c]));
  const index = { activities: [], history: [], ...Object.fromEntries(Object.keys(PERSON_ROWS).map((k) => [k, []])) };
  const person = casePerson(draft.person, form, index);
  const out = { format: CASE_FORMAT, rule_set: draft.rule_set, person, activities: [], history: [] };
  if (form && form.period && form.period.years.length > 1 && draft.year) {
    const year = parseNumber(draft.year);
    if (year !== undefined) out.year = year;
  }
  for (const a of draft.activities) {
    out.activities.push(buildActivity(a, convs.get(a.kind)));
    index.activities.push(a.uid);
  }
  if (historyShown(draft, form)) {
    const dupes = duplicateYears(draft.history);
    const cats = form.top_categories.map((c) => c.id);
    const figures = (typed) => {
      const out = {};
      for (const id of cats) {
        const v = parseNumber(typed[id]);
        if (v !== undefined) out[id] = v;
      }
      return out;
    };
    for (const row of draft.history) {
      if (dupes.has(row.uid)) continue;
      const item = {};
      const year = parseNumber(row.year);
      if (year !== undefined) item.year = year;
      item.hours = figures(row.hours);
      if (form.history_required) {
        const required = figures(row.required);
        if (Object.keys(required).length) item.required = required;
      }
      out.history.push(item);
      index.history.push(row.uid);
    }
  }
  if (!out.history.length) delete out.history;
  return { case: out, index };
}

/**
 * The case's `person`: the fields the rule set asks for (asksFor), as the engine reads them: the
 * name trimmed, no empty text, only the true facts, rows without their uids (which go into
 * `index[field]`), the title only when applying, as `title_application`.
 */
function casePerson(p, form, index) {
  const blankTitle = emptyPerson().title;
  const person = {};
  for (const [key, value] of Object.entries(p)) {
    if (!asksFor(form, key)) continue;
    if (key === "title") {
      if (!value.applying) continue;
      const entries = Object.entries(value).filter(([k]) => k !== "applying").map(([k, v]) => [k, v || blankTitle[k]]);
      person.title_application = Object.fromEntries(entries.filter(([, v]) => v));
    } else if (Array.isArray(value)) {
      if (!value.length) continue;
      person[key] = value.map(({ uid: _uid, ...row }) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== "")));
      index[key] = value.map((row) => row.uid);
    } else if (typeof value === "boolean") {
      if (value) person[key] = true;
    } else if (value.trim()) {
      person[key] = key === "name" ? value.trim() : value;
    }
  }
  return person;
}

/** The earlier years' table matters when the form says so (form().history_when: a title
 * window, catch-up or carry-over may use it), given what the person ticked. */
export function historyShown(draft, form) {
  if (!form) return false;
  const when = form.history_when;
  const ticked = (fact) => (fact === "title_applicant" ? draft.person.title.applying : !!draft.person[fact]);
  return when.always || when.facts.some(ticked);
}

// ------------------------------------------------------------------ case -> draft

/** A checked case (from parse_import or a share link) as a draft; `findRuleSet` resolves jurisdiction/regime/year. */
export function draftFromCase(data, findRuleSet) {
  const draft = emptyDraft(data.rule_set || findRuleSet(data.jurisdiction, data.regime, data.year));
  draft.year = data.year ? String(data.year) : "";
  const p = data.person || {};
  const t = p.title_application;
  draft.person = shapeLike(emptyPerson(), { ...p, title: t ? { ...t, applying: true } : undefined }, FROM_CASE);
  draft.activities = (data.activities || []).map((a) => ({
    uid: uid(),
    kind: a.kind,
    kind_label: "",
    name: a.name || "",
    quantity: numberText(a.quantity),
    category: a.category || "",
    options: Object.fromEntries(Object.entries(a.options || {}).map(([k, v]) => [k, String(v)])),
    date: a.date || "",
    flags: [...(a.flags || [])],
  }));
  const texts = (figures) => Object.fromEntries(Object.entries(figures || {}).map(([k, v]) => [k, numberText(v)]));
  draft.history = (data.history || []).map((row) => ({
    uid: uid(), year: numberText(row.year), hours: texts(row.hours), required: texts(row.required),
  }));
  return draft;
}

/** Reading a case checked by parse_import: what is missing is blank (rows get new uids). */
const FROM_CASE = {
  text: (v, blank) => (v === undefined || v === null || v === "" ? blank : String(v)),
  bool: (v) => !!v,
  object: (v) => (v !== null && typeof v === "object" ? v : {}),
  list: (v) => (Array.isArray(v) ? v : []),
};

// ------------------------------------------------------------------ storage: js/storage.js

/** Nothing typed (the title's details count only when applying is ticked). */
export function isEmpty(draft) {
  const p = draft.person;
  const blank = (v) => v === "" || v === false || (Array.isArray(v) && !v.length);
  return !draft.activities.length && !draft.history.length && !p.title.applying
    && Object.keys(emptyPerson()).every((key) => key === "title" || blank(p[key]));
}

// ------------------------------------------------------------------ share links

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
