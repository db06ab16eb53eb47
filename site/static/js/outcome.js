// Drawing an evaluation's outcome across the page: the status block and its echoes, the
// activities' lines, the missing earlier years, the result (js/results.js), the problems next
// to their fields, the print header; and the marks tests and tools wait for.

import { h } from "./dom.js";
import { activityFieldId } from "./problems.js";
import { headline, renderStatus } from "./results.js";
import { duplicateYears, integerProblems } from "./state.js";

const $ = (id) => document.getElementById(id);

/** The problems the page finds itself (whole numbers, an earlier year entered twice), located. */
function clientProblems(store) {
  const out = [];
  store.draft.activities.forEach((a, i) => {
    const conv = store.form.conversions.find((c) => c.id === a.kind);
    for (const p of integerProblems(a, conv)) {
      out.push({ ...p, fieldId: activityFieldId(a.uid, p.path), where: `第${i + 1}项活动${a.name.trim() ? `“${a.name.trim()}”` : ""}` });
    }
  });
  const dupes = duplicateYears(store.draft.history);
  store.draft.history.forEach((row, i) => {
    if (dupes.has(row.uid)) out.push({ fieldId: `hist-${row.uid}-year`, where: `以往年度第${i + 1}行`, message: dupes.get(row.uid), code: "duplicate" });
  });
  return out;
}

/**
 * @param {object} app  the page's parts (app.js): store, activities, person, results, fieldErrors, evaluation
 * @param {object} outcome  evaluateTolerant's answer (js/problems.js)
 */
export function showOutcome(app, outcome) {
  const { store } = app;
  const client = clientProblems(store);
  const clientIds = new Set(client.map((p) => p.fieldId));
  store.caseProblems = client.concat(outcome.problems.filter((p) => !clientIds.has(p.fieldId)));
  const r = outcome.result;
  if (r) {
    renderStatus($("status"), { state: "result", result: r, summaryLines: outcome.summaryLines, dropped: outcome.dropped });
  } else {
    renderStatus($("status"), { state: "blocked", message: "输入有误，暂时无法计算：" + store.caseProblems.map((p) => p.message).join("；") });
  }
  const lines = new Map();
  if (r) for (const line of r.activities) lines.set(outcome.index.activities[line.index], line);
  app.activities.setLines(lines);
  app.person.setMissingYears(r && r.title ? r.title.missing_years : []);
  const categories = new Map(store.form.categories.map((c) => [c.id, c.name]));
  app.results.render({ result: r, problems: store.caseProblems }, {
    ruleSet: store.draft.rule_set,
    vocabulary: store.form.vocabulary,
    personName: store.draft.person.name.trim(),
    provenanceLines: outcome.provenanceLines,
    categoryName: (id) => categories.get(id) || id,
    activityNumber: (i) => store.draft.activities.findIndex((a) => a.uid === outcome.index.activities[i]) + 1,
  });
  app.fieldErrors.apply();
  updateStatusEcho(r);
  const name = store.draft.person.name.trim();
  const today = new Date(); // as toLocaleDateString("zh-CN") writes it, without loading ICU's locale data (~10 ms)
  $("print-meta").textContent = `自查日期 ${today.getFullYear()}/${today.getMonth() + 1}/${today.getDate()}${name ? ` · ${name}` : ""}`;
  if (!document.body.dataset.evaluated) performance.mark("xueshi:first-result");
  document.body.dataset.evaluated = String(app.evaluation.seq); // for tests and tools: a result is on screen
  delete document.body.dataset.busy;
}

/** Repeat the status where people type (on a phone the result is far below the form). */
function updateStatusEcho(result) {
  const status = $("status");
  const tone = [...status.classList].find((c) => c.startsWith("status-") && c !== "status") || "status-pending";
  for (const echo of document.querySelectorAll(".status-echo")) {
    echo.className = `status-echo ${tone}`;
    echo.replaceChildren(
      h("span", { class: "status-icon", "aria-hidden": "true" }, status.querySelector(".status-icon").textContent),
      `当前结果：${result ? headline(result).label : status.querySelector(".status-label").textContent}`,
      h("a", { href: "#results" }, "查看结果"),
    );
  }
}
