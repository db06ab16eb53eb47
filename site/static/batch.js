// 学时批量核查 — the batch page for HR officers. Picks a rule set, hands a staff sheet
// (CSV or XLSX) to the Python engine in the worker (calculator.doors.browser.batch_load),
// computes it in chunks (batch_compute) so that progress shows and the page stays
// responsive, and renders, filters, sorts and exports the per-person table. No rule
// lives here either.
//
// URL parameters (all optional), as on the calculator page:
//   ?rule_set=<id>  or  ?jurisdiction=<code>&regime=<shiye|zhuanji>&year=<yyyy>
//   &compact=1      compact view for an <iframe> (js/embed.js)
//
// XLSX needs openpyxl, which the runtime keeps out of start-up: it is loaded
// (engine.loadPackages) the first time an XLSX is read or written.
//
// For tests and tools: <body data-engine="ready|failed" data-batch="loading|computing|
// done|stopped|failed|empty" data-batch-rows="<rows in the table>">: a refused file puts
// data-batch back to what it was ("empty": no sheet yet). Performance marks
// xueshi:batch-start and xueshi:batch-done (one pair per computed sheet), and a
// measure xueshi:batch-render per table render.

import { pageLink } from "./js/embed.js"; // first: sets compact mode before anything is drawn
import { download, readSheetFile, wireFileInputs } from "./js/batch-files.js";
import { ResultTable } from "./js/batch-table.js";
import { fmt, h } from "./js/dom.js";
import { fetchText } from "./js/data.js";
import { Engine } from "./js/engine.js";
import { LoadingBanner } from "./js/loading.js";
import { say, sayError } from "./js/messages.js";
import { ResultView, renderStatus } from "./js/results.js";
import { Picker, buildTree, defaultRuleSet, fromParams } from "./js/picker.js";

const XLSX_PACKAGES = ["openpyxl"];
const TARGET_CHUNK_MS = 150; // one worker call: long enough to be efficient, short enough to stop quickly
const ENCODINGS = {
  gbk: "CSV，GBK 编码（Excel 默认）", "utf-8": "CSV，UTF-8 编码", "utf-8-sig": "CSV，UTF-8 编码（带 BOM）",
  "utf-16": "Unicode 文本（UTF-16）", xlsx: "XLSX 工作簿",
};

const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || null;
const body = document.body;

const app = {
  engine: null,
  tree: null,
  ruleSet: null,
  sheet: null, // the loaded file {filename, base64, isZip}: kept to recompute under another rule set
  loadSeq: 0,
  run: 0, // bumped to stop the running computation
  table: null,
  computing: false,
  finalState: null, // done | stopped | failed, of the sheet on screen
  leftOutNote: "", // Python's line on verdicts computed with input left out (batch_compute, last chunk)
};

// ------------------------------------------------------------------ start-up

async function main() {
  const version = new URL(import.meta.url).searchParams.get("v");
  app.engine = new Engine(new URL(`worker.js${version ? `?v=${version}` : ""}`, import.meta.url),
    (stage, detail) => app.loading?.progress(stage, detail));
  app.loading = new LoadingBanner(app.engine);
  app.table = new ResultTable({
    table: $("result-table"), more: $("btn-more"), shown: $("shown"), counts: $("counts"),
    status: $("filter-status"), text: $("filter-text"),
  }, openPerson);
  app.person = new ResultView($("person-body"), { guideBase: meta("xueshi-guide"), focusField: () => {} });
  wire();

  const [forms, rules] = await Promise.allSettled([fetchText(meta("xueshi-forms")), fetchText(meta("xueshi-rules"))]);
  if (rules.status === "fulfilled") app.engine.start(rules.value);
  else app.engine.fail(`无法读取规则数据（${rules.reason.message}）`);
  if (forms.status === "rejected") {
    app.loading.fatal(`无法读取规则集目录（${forms.reason.message}）`);
    return;
  }
  app.tree = buildTree(JSON.parse(forms.value).catalog);
  const params = new URLSearchParams(location.search);
  const fromURL = fromParams(app.tree, params);
  if ((params.get("rule_set") || params.get("jurisdiction")) && !fromURL) {
    say("链接中指定的地区或规则集不存在，已显示其他规则集，请在第 1 步重新选择。");
  }
  app.picker = new Picker($("picker"), app.tree, changeRuleSet);
  selectRuleSet(fromURL || defaultRuleSet(app.tree));

  app.engine.ready.then(
    () => { $("btn-template").disabled = false; $("btn-template-xlsx").disabled = false; },
    (err) => {
      app.loading.fatal(err.message);
      body.dataset.batch = "failed";
    },
  );
}

function wire() {
  $("btn-template").addEventListener("click", () => downloadTemplate("csv"));
  $("btn-template-xlsx").addEventListener("click", () => downloadTemplate("xlsx"));
  $("btn-person-close").addEventListener("click", () => $("person").close());
  $("person").addEventListener("click", (event) => { if (event.target === $("person")) $("person").close(); });
  wireFileInputs($("sheet-file"), $("drop"), openFile);
  $("btn-stop").addEventListener("click", stop);
  $("btn-export-csv").addEventListener("click", () => exportFile("results", "csv"));
  $("btn-export-xlsx").addEventListener("click", () => exportFile("results", "xlsx"));
  $("btn-titles-csv").addEventListener("click", () => exportFile("titles", "csv"));
  $("btn-titles-xlsx").addEventListener("click", () => exportFile("titles", "xlsx"));
  $("btn-titles-print").addEventListener("click", () => window.print());
}

// ------------------------------------------------------------------ rule set

function changeRuleSet(id) {
  selectRuleSet(id);
  if (app.sheet) loadSheet(app.sheet, `已改用“${app.tree.byId.get(id).title}”，正在重新核查…`);
}

function selectRuleSet(id) {
  app.ruleSet = id;
  app.picker.show(id);
  $("ruleset-info").textContent = app.tree.byId.get(id).title;
  $("link-calculator").setAttribute("href", pageLink("index.html", { rule_set: id }));
  const params = new URLSearchParams(location.search);
  if (params.get("rule_set") !== id || params.has("jurisdiction")) {
    for (const key of ["jurisdiction", "regime", "year"]) params.delete(key);
    params.set("rule_set", id);
    history.replaceState(null, "", `?${params}${location.hash}`);
  }
}

async function downloadTemplate(format) {
  try {
    if (format === "xlsx") await app.engine.loadPackages(XLSX_PACKAGES);
    const layout = $("template-layout").value;
    const answer = await app.engine.call("batch_template", JSON.stringify({ rule_set: app.ruleSet, layout, format }));
    if (!answer.ok) throw new Error(answer.problems.map((p) => p.message).join("；"));
    download(answer);
    const how = layout === "activity" ? "每项活动一行（同一人的各行按工号或姓名合并）" : "每人一行";
    say(`已下载模板“${answer.filename}”：用 Excel 或 WPS 打开，${how}填写，保存后在第 2 步上传（XLSX 或 CSV 均可）。标有“（示例）”的行核查时自动跳过。`);
  } catch (err) {
    sayError("无法生成模板：", [{ message: err.message }]);
  }
}

// ------------------------------------------------------------------ loading a sheet

function refuse(filename, problems) {
  const kept = app.sheet ? "已载入的表格和核查结果没有改动。" : "";
  sayError(`无法读取文件“${filename}”。${kept}`, problems.map((p) => ({ message: p.message })));
  // Back to what was on screen: still computing the previous sheet, its final state, or nothing yet.
  if (body.dataset.batch === "loading") body.dataset.batch = app.computing ? "computing" : app.finalState || "empty";
}

async function openFile(file) {
  const seq = ++app.loadSeq;
  body.dataset.batch = "loading";
  say(`正在读取“${file.name}”…`);
  let sheet;
  try {
    sheet = await readSheetFile(file);
  } catch (err) {
    refuse(file.name, [{ message: err.message }]);
    return;
  }
  if (seq === app.loadSeq) await loadSheet(sheet);
}

async function loadSheet(sheet, message = null) {
  const seq = ++app.loadSeq;
  body.dataset.batch = "loading";
  try {
    if (document.body.dataset.engine !== "ready") say("计算引擎加载中，完成后自动读取文件…");
    await app.engine.ready;
    if (sheet.isZip) {
      say(`正在准备读取 XLSX…`);
      await app.engine.loadPackages(XLSX_PACKAGES);
    }
  } catch (err) {
    refuse(sheet.filename, [{ message: err.message }]);
    return;
  }
  // Reading a large workbook takes seconds in the worker: say what is happening meanwhile.
  const mb = (sheet.base64.length * 0.75) / 1024 / 1024;
  say(`正在读取“${sheet.filename}”${mb >= 1 ? `（${fmt(Math.round(mb * 10) / 10)} MB，需要几秒）` : ""}：查找工作表和列名行…`);
  let answer;
  try {
    answer = await app.engine.call("batch_load", JSON.stringify({
      filename: sheet.filename, base64: sheet.base64, rule_set: app.ruleSet, sheet: sheet.sheet || null,
    }));
  } catch (err) {
    answer = { ok: false, problems: [{ message: err.message }] };
  }
  if (seq !== app.loadSeq) return; // another file was chosen meanwhile
  if (!answer.ok && answer.choose_sheet) {
    askSheet(sheet, answer);
    return;
  }
  if (!answer.ok) {
    refuse(sheet.filename, answer.problems || []);
    return;
  }
  app.sheet = sheet;
  say(message || `已读取“${sheet.filename}”。`);
  showLoadInfo(sheet, answer);
  compute(answer.rows);
}

/** Several sheets hold people: the person picks one; the sheet on screen stays until then. */
function askSheet(sheet, answer) {
  body.dataset.batch = app.computing ? "computing" : app.finalState || "empty";
  say(answer.problems[0].message);
  const select = h("select", { id: "sheet-choice" }, answer.choose_sheet.map((name) => h("option", { value: name }, name)));
  $("load-info").replaceChildren(h("div", { class: "sheet-choice" },
    h("div", { class: "field" }, h("label", { for: "sheet-choice" }, `“${sheet.filename}”中要核查的工作表`), select),
    h("button", { type: "button", id: "btn-sheet", onclick: () => loadSheet({ ...sheet, sheet: select.value }) }, "核查这个工作表")));
  select.focus();
}

function showLoadInfo(sheet, answer) {
  const unknown = answer.unknown_columns || [];
  const where = [
    answer.sheet && answer.sheet_names.length > 1 ? `工作表“${answer.sheet}”` : null,
    answer.header_row > 1 ? `列名在第 ${answer.header_row} 行` : null,
    answer.layout === "activity" ? `每项活动一行（${answer.sheet_rows} 行活动）` : null,
  ].filter(Boolean).join("，");
  const skipped = [
    answer.examples.length ? `示例行 ${answer.examples.length} 行` : null,
    answer.skipped.length ? `说明或合计行：${answer.skipped.slice(0, 5).join("、")}${answer.skipped.length > 5 ? " 等" : ""}` : null,
  ].filter(Boolean).join("；");
  $("load-info").replaceChildren(
    h("p", {}, h("strong", {}, sheet.filename), `：${answer.rows} 行人员，${answer.headers.length} 列（${ENCODINGS[answer.encoding] || answer.encoding}${where ? `；${where}` : ""}）`),
    ...(skipped ? [h("p", { class: "hint" }, `已跳过${skipped}。`)] : []),
    ...(unknown.length
      ? [h("p", { class: "warn" }, h("span", { class: "badge-icon", "aria-hidden": "true" }, "!"),
        `以下列未能识别，已忽略：${unknown.join("、")}。列名写错会漏算学时，请对照模板检查。`)]
      : []),
  );
}

// ------------------------------------------------------------------ computing in chunks

async function compute(total) {
  const run = ++app.run;
  app.table.reset();
  showBasis($("results-basis"), "", []);
  app.leftOutNote = "";
  $("results-empty").hidden = true;
  $("results-body").hidden = false;
  $("titles").hidden = true;
  setExports(false);
  $("run").hidden = false;
  $("btn-stop").hidden = false;
  body.dataset.batch = "computing";
  body.dataset.batchRows = "0";
  app.computing = true;
  performance.mark("xueshi:batch-start");
  const started = performance.now();
  let start = 0;
  let chunk = 25;
  showProgress(0, total, started);
  app.table.render();
  while (start < total) {
    const end = Math.min(total, start + chunk);
    const asked = performance.now();
    let answer;
    try {
      answer = await app.engine.call("batch_compute", JSON.stringify({ start, end }));
    } catch (err) {
      answer = { ok: false, problems: [{ message: err.message }] };
    }
    if (run !== app.run) return; // stopped, or another file / rule set took over
    if (!answer.ok) {
      finish(run, "failed", `核查中断：${(answer.problems || []).map((p) => p.message).join("；")}`);
      return;
    }
    app.table.add(answer.rows);
    showBasis($("results-basis"), answer.basis_header, answer.bases);
    app.leftOutNote = answer.left_out_note || ""; // Python's words, on the last chunk
    body.dataset.batchRows = String(app.table.rows.length);
    start = end;
    const took = performance.now() - asked;
    chunk = Math.max(10, Math.min(2000, Math.round((chunk * TARGET_CHUNK_MS) / Math.max(took, 1))));
    showProgress(start, total, started);
    app.table.scheduleRender();
  }
  performance.mark("xueshi:batch-done");
  const seconds = (performance.now() - started) / 1000;
  const title = app.tree.byId.get(app.ruleSet).title;
  finish(run, "done", `核查完成（${title}）：共 ${total} 行，用时 ${fmt(Math.round(seconds * 10) / 10)} 秒。`);
}

function showProgress(done, total, started) {
  const bar = $("run-progress");
  bar.max = Math.max(total, 1);
  bar.value = done;
  const seconds = (performance.now() - started) / 1000;
  const rate = done && seconds > 0.5 ? `，约 ${Math.round(done / seconds)} 行/秒` : "";
  $("run-text").textContent = `正在核查：${done} / ${total} 行${rate}`;
}

function stop() {
  if (body.dataset.batch !== "computing") return;
  const run = ++app.run;
  finish(run, "stopped", `已停止：只核查了前 ${app.table.rows.length} 行。导出的结果也只含这些行；重新选择文件可再次核查。`);
}

async function finish(run, state, text) {
  body.dataset.batch = state;
  app.computing = false;
  app.finalState = state;
  $("run-text").textContent = text;
  $("btn-stop").hidden = true;
  $("run").hidden = state === "done"; // the message below the file name says it all
  app.table.render();
  const problems = app.table.withProblems;
  // Verdicts computed with some input left out: Python's note, once the whole sheet is done.
  const note = state === "done" ? app.leftOutNote || "" : "";
  say(state === "failed" ? text : `${text}${problems ? `有 ${problems} 行需要修改输入，可在“结论”中选“有需要修改的输入”只看这些行。${note}` : ""}`);
  if (!app.table.rows.length) return;
  setExports(true);
  await showTitles(run);
}

/**
 * What the figures rest on (words.basis_text: a parent's rules applied, cautions about the
 * texts), each text once above its table; the exports keep it as a column on every row.
 */
function showBasis(el, header, texts) {
  const list = texts || [];
  el.hidden = !list.length;
  el.replaceChildren(...(list.length ? [h("p", { class: "batch-basis-title" }, header), h("ul", {}, list.map((t) => h("li", {}, t)))] : []));
}

function setExports(on) {
  for (const id of ["btn-export-csv", "btn-export-xlsx"]) $(id).disabled = !on;
}

// ------------------------------------------------------------------ title applicants' summary (X20-12 attachment 2)

async function showTitles(run) {
  let answer;
  try {
    answer = await app.engine.call("batch_table", JSON.stringify({ what: "titles", basis: false }));
  } catch {
    return;
  }
  if (run !== app.run || !answer.ok || !answer.rows.length) return;
  const table = $("titles-table");
  showBasis($("titles-basis"), answer.basis_header, answer.bases);
  const cell = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? fmt(v) : String(v));
  const yearOf = (header) => /^(\d{4})年/.exec(header)?.[1];
  // Two header rows as in the form: the year over 公需 / 专业 / 总学时.
  const top = [];
  const sub = [];
  answer.headers.forEach((header, i) => {
    const year = yearOf(header);
    if (!year) {
      top.push(h("th", { scope: "col", rowspan: "2" }, header));
      return;
    }
    if (yearOf(answer.headers[i - 1] || "") !== year) top.push(h("th", { scope: "colgroup", colspan: "3", class: "year" }, `${year}年`));
    sub.push(h("th", { scope: "col", class: "num" }, header.slice(5)));
  });
  const rows = answer.rows;
  const tbody = h("tbody", {});
  const numeric = answer.headers.map((header) => Boolean(yearOf(header)));
  // Built detached, 200 rows per task, then attached once: a long list never blocks the page.
  for (let i = 0; i < rows.length; i += 200) {
    if (i) await new Promise((resolve) => setTimeout(resolve, 0));
    if (run !== app.run) return;
    tbody.append(...rows.slice(i, i + 200).map((row) =>
      h("tr", {}, row.map((v, j) => h("td", { class: numeric[j] ? "num" : null }, cell(v))))));
  }
  table.replaceChildren(h("thead", {}, h("tr", {}, top), h("tr", {}, sub)), tbody);
  const rs = app.tree.byId.get(app.ruleSet);
  $("titles-print-title").textContent = `${rs.year}年度高（中）级职称参评人员学时（分）认定汇总表`;
  $("titles-print-date").textContent = `填报时间：${new Date().toLocaleDateString("zh-CN", { year: "numeric", month: "long", day: "numeric" })}`;
  $("titles-print-basis").textContent = `依据：${rs.title}。由“学时自查”批量核查生成，仅供核对，以主管部门认定为准。`;
  $("titles").hidden = false;
}

// ------------------------------------------------------------------ one person's full result

async function openPerson(row) {
  const dialog = $("person");
  $("person-title").textContent = `${row.name || "（无姓名）"}${row.staff_id ? `（${row.staff_id}）` : ""}`;
  $("person-rows").textContent = `人员表第 ${row.rows.join("、")} 行`;
  renderStatus($("person-status"), { state: "loading", message: "正在计算…" });
  $("person-body").replaceChildren();
  if (!dialog.open) dialog.showModal();
  let answer;
  try {
    answer = await app.engine.call("batch_person", JSON.stringify({ index: row.index }));
  } catch (err) {
    answer = { ok: false, problems: [{ message: err.message }] };
  }
  if (!answer.ok) {
    renderStatus($("person-status"), { state: "failed", message: answer.problems.map((p) => p.message).join("；") });
    return;
  }
  const problems = answer.problems.map((p) => ({ message: p.message }));
  if (answer.result) renderStatus($("person-status"), { state: "result", result: answer.result });
  else renderStatus($("person-status"), { state: "blocked", message: "人员表中这一行有需要修改的输入，见下方。" });
  app.person.render({ result: answer.result, problems }, {
    ruleSet: row.rule_set,
    vocabulary: answer.vocabulary,
    categoryName: (id) => answer.categories[id] || id,
    activityNumber: (index) => index + 1,
    provenanceLines: answer.provenance_lines || [],
  });
  dialog.dataset.person = String(row.index);
}

// ------------------------------------------------------------------ exports

async function exportFile(what, format) {
  tell(what, format === "xlsx" ? "正在生成 XLSX…" : "正在生成 CSV…");
  try {
    if (format === "xlsx") await app.engine.loadPackages(XLSX_PACKAGES);
    const answer = await app.engine.call("batch_export", JSON.stringify({ what, format }));
    if (!answer.ok) throw new Error(answer.problems.map((p) => p.message).join("；"));
    download(answer);
    tell(what, `已导出“${answer.filename}”。`);
  } catch (err) {
    tell(what, `无法导出：${err.message}`, true);
  }
}

/** A line next to the export buttons (the upload section's message may be out of sight). */
function tell(what, text, error = false) {
  const el = $(what === "titles" ? "titles-message" : "export-message");
  el.className = `export-message${error ? " error" : ""}`;
  el.textContent = text;
}

main().catch((err) => {
  console.error(err);
  app.loading?.fatal("页面脚本出错，请刷新重试");
});
