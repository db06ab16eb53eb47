// The person's data as typed (the "draft"), and its conversion to and from the
// case JSON the engine reads (format xueshi.case/2, calculator/case_model.py).
// Earlier years' hours are keyed by the rule set's own category ids (form().top_categories).
//
// The draft keeps every typed value as text, so nothing a person enters is
// lost, even when it is not (yet) valid; buildCase() turns it into the case
// JSON, and the engine reports what is wrong, field by field.

import { uid } from "./dom.js";

export const CASE_FORMAT = "xueshi.case/2";

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
  const used = new Set(form ? form.circumstances : []);
  const convs = new Map((form ? form.conversions : []).map((c) => [c.id, c]));
  const p = draft.person;
  const person = {};
  const index = { activities: [], leaves: [], postings: [], history: [] };
  if (p.name.trim()) person.name = p.name.trim();
  if (used.has("months_to_retirement_at_year_end") && p.retirement_date) person.retirement_date = p.retirement_date;
  if (used.has("leave_months_in_year") && p.leaves.length) {
    person.leaves = p.leaves.map((lv) => dateRange(lv, { kind: lv.kind }));
    index.leaves = p.leaves.map((lv) => lv.uid);
  }
  if ((used.has("posting_months_in_year") || used.has("longest_posting_months")) && p.postings.length) {
    person.postings = p.postings.map((ps) => dateRange(ps, { kind: ps.kind, assessment_passed: !!ps.assessment_passed }));
    index.postings = p.postings.map((ps) => ps.uid);
  }
  for (const flag of ["disability", "covid_frontline", "covid_frontline_designated", "makeup_eligible"]) {
    if (used.has(flag) && p[flag]) person[flag] = true;
  }
  if (used.has("title_applicant") && p.title.applying) {
    const title = { degree: p.title.degree || "other", field: p.title.field || "other" };
    if (p.title.level) title.level = p.title.level;
    person.title_application = title;
  }
  const out = { format: CASE_FORMAT, rule_set: draft.rule_set, person, activities: [], history: [] };
  if (form && form.period && form.period.period_years > 1 && draft.year) {
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

function dateRange(row, extra) {
  const out = { ...extra };
  if (row.start) out.start = row.start;
  if (row.end) out.end = row.end;
  return out;
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
  const person = draft.person;
  person.name = p.name || "";
  person.retirement_date = p.retirement_date || "";
  person.leaves = (p.leaves || []).map((lv) => ({ uid: uid(), kind: lv.kind, start: lv.start || "", end: lv.end || "" }));
  person.postings = (p.postings || []).map((ps) => ({
    uid: uid(), kind: ps.kind, start: ps.start || "", end: ps.end || "", assessment_passed: !!ps.assessment_passed,
  }));
  for (const flag of ["disability", "covid_frontline", "covid_frontline_designated", "makeup_eligible"]) {
    person[flag] = !!p[flag];
  }
  if (p.title_application) {
    const t = p.title_application;
    person.title = { applying: true, level: t.level || "", degree: t.degree || "other", field: t.field || "other" };
  }
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

// ------------------------------------------------------------------ storage: js/storage.js

export function isEmpty(draft) {
  const p = draft.person;
  return !draft.activities.length && !draft.history.length && !p.name && !p.retirement_date
    && !p.leaves.length && !p.postings.length && !p.title.applying
    && !p.disability && !p.covid_frontline && !p.covid_frontline_designated && !p.makeup_eligible;
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
