// Where the engine's problems belong on the page. The engine reports a JSON
// path ("activities[2].quantity", "person.leaves[0].end", "history[1].year");
// here it becomes the id of the field to show the message next to, and a
// Chinese description of the place for the list of problems.
//
// evaluateTolerant(): a structurally invalid entry (say an activity without a
// quantity) makes the engine refuse the whole case; it is then left out and
// the rest evaluated again, so one half-typed line never hides the result.

const ACTIVITY_FIELDS = new Set(["kind", "name", "quantity", "category", "date", "flags"]);

/** Field id for a problem inside activity `uidValue` ("activity.options.author" or "activities[0].quantity"). */
export function activityFieldId(uidValue, path) {
  const m = /^(?:activity|activities\[\d+\])(?:\.(\w+)(?:\.(\w+))?)?/.exec(path);
  const name = m && m[1];
  if (name === "options" && m[2]) return `act-${uidValue}-opt-${m[2]}`;
  return `act-${uidValue}-${ACTIVITY_FIELDS.has(name) ? name : "kind"}`;
}

/**
 * {fieldId, where, message, code} for a problem path, given the uids behind
 * the lists of the case that was sent (`index`) and the draft (for names and numbers).
 */
export function locate(problem, index, draft) {
  const { path, message, code } = problem;
  const out = (fieldId, where) => ({ fieldId, where, message, code, path });
  let m;
  if ((m = /^activities\[(\d+)\]/.exec(path))) {
    const id = index.activities[Number(m[1])];
    const pos = draft.activities.findIndex((a) => a.uid === id);
    if (pos < 0) return out(null, describePath(path));
    const name = draft.activities[pos].name.trim();
    return out(activityFieldId(id, path), `第${pos + 1}项活动${name ? `“${name}”` : ""}`);
  }
  if ((m = /^person\.(leaves|postings)\[(\d+)\](?:\.(\w+))?/.exec(path))) {
    const [list, i, name] = [m[1], Number(m[2]), m[3]];
    const id = index[list][i];
    const rows = draft.person[list];
    const pos = rows.findIndex((r) => r.uid === id);
    const prefix = list === "leaves" ? "leave" : "posting";
    const where = list === "leaves" ? `第${pos + 1}段病休、孕产假` : `第${pos + 1}段外派`;
    return out(pos < 0 ? null : `${prefix}-${id}-${name || "end"}`, where);
  }
  if ((m = /^person\.title_application(?:\.(\w+))?/.exec(path))) return out(`title-${m[1] || "level"}`, "职称申报");
  if ((m = /^person\.(\w+)$/.exec(path))) return out(`person-${m[1]}`, "");
  if ((m = /^history\[(\d+)\](?:\.(\w+)(?:\.([\w-]+))?)?/.exec(path))) {
    // history[i].hours.<category id> -> hist-<uid>-hours-<category id> (js/person.js)
    const id = index.history[Number(m[1])];
    const pos = draft.history.findIndex((r) => r.uid === id);
    const field = (m[2] === "hours" || m[2] === "required") && m[3] ? `${m[2]}-${m[3]}` : "year";
    return out(pos < 0 ? null : `hist-${id}-${field}`, `以往年度第${pos + 1}行`);
  }
  if (/^(rule_set|jurisdiction|regime|year)$/.test(path)) return out("pick-root", "");
  return out(null, describePath(path));
}

/** A Chinese place for a path when there is no field (e.g. in an imported file). */
export function describePath(path) {
  let m;
  if ((m = /^activities\[(\d+)\]/.exec(path))) return `第${Number(m[1]) + 1}项活动`;
  if ((m = /^person\.leaves\[(\d+)\]/.exec(path))) return `第${Number(m[1]) + 1}段病休、孕产假`;
  if ((m = /^person\.postings\[(\d+)\]/.exec(path))) return `第${Number(m[1]) + 1}段外派`;
  if ((m = /^history\[(\d+)\]/.exec(path))) return `以往年度第${Number(m[1]) + 1}行`;
  if (path.startsWith("person")) return "个人情况";
  return "";
}

/** The part of the case a hard problem makes unusable: [list, index] or ["person", field]. */
function unitOf(path) {
  let m;
  if ((m = /^activities\[(\d+)\]/.exec(path))) return ["activities", Number(m[1])];
  if ((m = /^person\.(leaves|postings)\[(\d+)\]/.exec(path))) return [m[1], Number(m[2])];
  if ((m = /^history\[(\d+)\]/.exec(path))) return ["history", Number(m[1])];
  if (path.startsWith("person.title_application")) return ["person", "title_application"];
  if ((m = /^person\.(\w+)/.exec(path))) return ["person", m[1]];
  return null;
}

function drop(data, index, units) {
  const lists = { activities: data.activities, history: data.history || [], leaves: data.person.leaves || [], postings: data.person.postings || [] };
  const seen = new Set();
  const sorted = units.filter((u) => {
    const key = u.join(":");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort((a, b) => (typeof b[1] === "number" ? b[1] : 0) - (typeof a[1] === "number" ? a[1] : 0));
  for (const [list, i] of sorted) {
    if (list === "person") delete data.person[i];
    else {
      lists[list].splice(i, 1);
      index[list].splice(i, 1);
    }
  }
}

/**
 * Evaluate; while the engine refuses the case for problems that belong to
 * single entries, leave those out and try again (at most a few rounds).
 * @returns {Promise<{result: object|null, problems: object[], dropped: number, index: object}>}
 */
export async function evaluateTolerant(engine, built, draft) {
  const data = structuredClone(built.case);
  const index = structuredClone(built.index);
  const problems = [];
  let dropped = 0;
  for (let round = 0; round < 5; round += 1) {
    const answer = await engine.call("evaluate", JSON.stringify(data));
    const located = (answer.problems || []).map((p) => locate(p, index, draft));
    if (answer.ok) {
      return { result: answer.result, summaryLines: answer.summary_lines || [], problems: problems.concat(located), dropped, index };
    }
    const units = (answer.problems || []).map((p) => unitOf(p.path));
    problems.push(...located);
    if (!units.length || units.some((u) => u === null)) break;
    dropped += new Set(units.map((u) => u.join(":"))).size;
    drop(data, index, units);
  }
  return { result: null, summaryLines: [], problems, dropped, index };
}
