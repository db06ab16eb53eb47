// Where the engine's problems belong on the page. The engine reports a JSON
// path ("activities[2].quantity", "person.leaves[0].end", "history[1].year");
// here it becomes the id of the field to show the message next to, and a
// Chinese description of the place for the list of problems.
//
// evaluateTolerant(): one call; the engine itself leaves out a structurally invalid
// entry (say an activity without a quantity) and computes the rest, so one
// half-typed line never hides the result.

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
  if ((m = /^person\.answers\.(\w+)/.exec(path))) return out(`answer-${m[1]}`, "个人情况");
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

/**
 * Evaluate once. The engine leaves out entries the case model refuses (calculator/engine/tolerant.py),
 * names each at its place in the case as sent, and computes the rest; result lines keep those
 * places too, so `built.index` maps them back to the draft unchanged.
 * @returns {Promise<{result: object|null, summaryLines: string[], provenanceLines: string[], problems: object[], dropped: number, index: object}>}
 */
export async function evaluateTolerant(engine, built, draft) {
  const answer = await engine.call("evaluate", JSON.stringify(built.case));
  const problems = (answer.problems || []).map((p) => locate(p, built.index, draft));
  const dropped = Object.values(answer.dropped || {}).reduce((n, list) => n + list.length, 0);
  return {
    result: answer.ok ? answer.result : null,
    summaryLines: answer.summary_lines || [],
    provenanceLines: answer.provenance_lines || [],
    problems,
    dropped,
    index: built.index,
  };
}
