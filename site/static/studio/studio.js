// The authoring studio (studio.html): a policy office writes a rule file, its worked
// examples and the notice's text; Python (calculator/doors/studio.py in the page's worker)
// checks them on every change with the checks of `python -m calculator validate` and
// `examples`, renders nothing itself. This file wires editors, panes and storage.

import { fetchText } from "../js/data.js";
import { fmt, h } from "../js/dom.js";
import { Engine } from "../js/engine.js";
import { download } from "../js/batch-files.js";
import { confirmDialog } from "../js/messages.js";
import { ResultView, renderStatus } from "../js/results.js";
import { loadDrafts, newKey, saveDrafts } from "./drafts.js";
import { completer, hoverHelp } from "./schema-help.js";

const $ = (id) => document.getElementById(id);
const meta = (name) => {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.getAttribute("content") : null;
};
const VERSION = new URL(import.meta.url).searchParams.get("v");
const EDITOR_CSS = new URL(`editor.css?v=${VERSION}`, import.meta.url).href; // styles inside the editors' shadow roots
const CHECK_DELAY_MS = 300; // after the last keystroke

const studio = {
  store: null,
  cm: null, // the editor bundle's exports
  ruleView: null,
  casesView: null,
  schema: null,
  engine: null,
  ready: false,
  checkTimer: 0,
  checkSeq: 0,
  lastExamples: [],
};

performance.mark("xueshi:studio-start");

// ------------------------------------------------------------------ drafts

function current() {
  return studio.store.drafts[studio.store.current];
}

function persist() {
  if (!saveDrafts(studio.store)) note("drafts-message", "浏览器拒绝保存草稿（存储已满或被禁用）；请下载 zip 保留内容。", true);
}

async function template() {
  const base = new URL(meta("xueshi-templates"), document.baseURI);
  const [rule, cases] = await Promise.all([
    fetchText(new URL(`blank-province.yaml?v=${VERSION}`, base)),
    fetchText(new URL(`blank-province.cases.yaml?v=${VERSION}`, base)),
  ]);
  return { rule, cases };
}

function addDraft(name, rule, cases, source) {
  const key = newKey();
  studio.store.drafts[key] = { name, rule, cases, source, saved: new Date().toISOString() };
  studio.store.current = key;
  persist();
  return key;
}

function fillDraftSelect() {
  const select = $("draft-select");
  select.replaceChildren(...Object.entries(studio.store.drafts).map(([key, d]) =>
    h("option", { value: key, selected: key === studio.store.current }, d.name)));
}

function showDraft() {
  const d = current();
  studio.cm.setText(studio.ruleView, d.rule);
  studio.cm.setText(studio.casesView, d.cases);
  $("source-text").value = d.source;
  fillDraftSelect();
  scheduleCheck(0);
}

function edited(field, value) {
  const d = current();
  if (!d || d[field] === value) return;
  d[field] = value;
  d.saved = new Date().toISOString();
  persist();
  scheduleCheck();
}

function note(id, text, error = false) {
  const el = $(id);
  el.className = error ? "toolbar-message error" : "toolbar-message";
  el.textContent = text;
}

// ------------------------------------------------------------------ checking

function scheduleCheck(delay = CHECK_DELAY_MS) {
  clearTimeout(studio.checkTimer);
  studio.checkTimer = setTimeout(check, delay);
}

async function check() {
  if (!studio.ready) return;
  const seq = ++studio.checkSeq;
  const d = current();
  const [rule, source, cases] = [d.rule, d.source, d.cases];
  let answer;
  try {
    answer = await studio.engine.call("validate", rule, source);
  } catch (err) {
    $("validation").textContent = err.message;
    return;
  }
  if (seq !== studio.checkSeq) return; // a newer change is being checked
  showProblems(answer.problems || []);
  if (!document.body.dataset.validated) performance.mark("xueshi:first-validation");
  document.body.dataset.validated = String(seq);
  if (!answer.ok) {
    renderExamples(null, "规则文件有问题，改正后再运行计算示例。");
    return;
  }
  const examples = await studio.engine.call("examples", rule, source, cases).catch((err) => ({ error: err.message }));
  if (seq !== studio.checkSeq) return;
  renderExamples(examples);
}

function showProblems(problems) {
  const box = $("validation");
  box.className = problems.length ? "validation bad" : "validation good";
  box.textContent = problems.length
    ? `有 ${problems.length} 处问题（与 python -m calculator validate 的检查相同）：`
    : "✓ 校验通过：结构、引用、继承、引文逐字核对。";
  $("problem-list").replaceChildren(...problems.map((p) => h("li", {},
    h("button", { type: "button", class: "link-button", onclick: () => studio.cm.goToLine(studio.ruleView, p.line) },
      `第 ${p.line} 行`), `：${p.message}`)));
  studio.cm.showProblems(studio.ruleView, problems);
}

function figuresTable(figures) {
  if (!figures || !figures.requirements.length) return null;
  return h("table", { class: "figures" },
    h("thead", {}, h("tr", {}, ["要求", "应完成", "已完成", "还差", "是否达标"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, figures.requirements.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.label), h("td", {}, fmt(r.required)), h("td", {}, fmt(r.earned)),
      h("td", {}, fmt(r.shortfall)), h("td", {}, r.met ? "是" : "否")))));
}

function renderExamples(answer, message = "") {
  const summary = $("example-summary");
  const list = $("example-list");
  studio.lastExamples = answer && answer.cases ? answer.cases : [];
  // The same findings as marks in the cases editor, at their lines.
  const marks = !answer || answer.error ? []
    : (answer.problems || []).length ? answer.problems
      : answer.cases.filter((c) => !c.passed).map((c) => ({ line: c.line, message: `${c.name}：${c.differences.join("；")}` }));
  studio.cm.showProblems(studio.casesView, marks);
  if (!answer || answer.error) {
    summary.className = "validation";
    summary.textContent = answer ? answer.error : message;
    list.replaceChildren();
    return;
  }
  if (answer.problems && answer.problems.length) {
    summary.className = "validation bad";
    summary.textContent = "示例文件有问题：";
    list.replaceChildren(...answer.problems.map((p) => h("li", {}, `第 ${p.line} 行：${p.message}`)));
    return;
  }
  const failed = answer.cases.filter((c) => !c.passed).length;
  summary.className = failed ? "validation bad" : "validation good";
  summary.textContent = answer.cases.length
    ? `${answer.cases.length - failed} 个通过，${failed} 个不一致`
    : "还没有计算示例。";
  list.replaceChildren(...answer.cases.map((c, i) => h("li", { class: c.passed ? "passed" : "failed" },
    h("p", { class: "example-head" },
      h("span", { class: "example-mark", "aria-hidden": "true" }, c.passed ? "✓" : "✗"),
      h("strong", {}, c.name), ` ${c.passed ? "通过" : "不一致"}`,
      h("button", { type: "button", class: "link-button", onclick: () => studio.cm.goToLine(studio.casesView, c.line) }, `第 ${c.line} 行`),
      h("button", { type: "button", class: "preview-button", onclick: () => preview(i) }, "预览")),
    c.figures ? h("p", { class: "hint" }, c.figures.summary) : null,
    figuresTable(c.figures),
    c.differences.length ? h("ul", { class: "differences" }, c.differences.map((d) => h("li", {}, d))) : null)));
}

async function preview(index) {
  const example = studio.lastExamples[index];
  if (!example) return;
  const d = current();
  const status = $("status");
  renderStatus(status, { state: "loading", message: "正在计算…" });
  const answer = await studio.engine.call("preview", d.rule, d.source, JSON.stringify(example.input))
    .catch((err) => ({ ok: false, problems: [{ message: err.message }] }));
  if (!answer.result) {
    renderStatus(status, { state: "failed", message: (answer.problems || []).map((p) => p.message).join("；") });
    $("result-body").replaceChildren();
    return;
  }
  renderStatus(status, { state: "result", result: answer.result });
  const view = new ResultView($("result-body"), { guideBase: null, focusField: () => {} });
  const categories = new Map();
  view.render({ result: answer.result, problems: [] }, {
    ruleSet: answer.result.rule_set.id,
    vocabulary: answer.vocabulary,
    personName: "",
    categoryName: (id) => categories.get(id) || id,
    activityNumber: (i) => i + 1,
  });
  $("preview-pane").dataset.previewed = example.name;
}

async function guidePreview() {
  const d = current();
  note("guide-message", "正在生成…");
  const answer = await studio.engine.loadPackages(["xueshi-guide-preview"])
    .then(() => studio.engine.call("guide", d.rule, d.source, d.cases))
    .catch((err) => ({ ok: false, problems: [{ message: err.message }] }));
  const pre = $("guide-markdown");
  if (!answer.ok) {
    note("guide-message", answer.problems.map((p) => p.message).join("；"), true);
    pre.hidden = true;
    return;
  }
  note("guide-message", "指南页面（Markdown 源文）：");
  pre.textContent = answer.markdown;
  pre.hidden = false;
}

// ------------------------------------------------------------------ source text and quotes

function insertQuote() {
  const area = $("source-text");
  const selected = area.value.slice(area.selectionStart, area.selectionEnd).trim();
  if (!selected) {
    note("quote-message", "请先在原文中选中要引用的文字。", true);
    return;
  }
  const { lineText, column } = studio.cm.cursor(studio.ruleView);
  const before = lineText.slice(0, column);
  // JSON string syntax is valid YAML (double-quoted): the text goes in exactly as selected.
  const quoted = JSON.stringify(selected);
  const quoteLine = lineText.match(/^(\s*(?:- )?)quote:/);
  if (quoteLine) {
    studio.cm.replaceCursorLine(studio.ruleView, `${quoteLine[1]}quote: ${quoted}`); // a new quote for this citation
  } else {
    studio.cm.insertAtCursor(studio.ruleView, before.trim() === "" ? `quote: ${quoted}` : quoted);
  }
  note("quote-message", `已插入引文（${selected.length} 字）。`);
}

// ------------------------------------------------------------------ forms

const FORMS = {
  requirements: [
    ["id", "编号（小写英文，如 total、public）"], ["label", "名称（如 年度总学时）"], ["hours", "学时", "number"],
    ["category", "科目 id（不填表示年度总学时）"],
  ],
  conversions: [
    ["id", "编号（如 online）"], ["label", "名称（如 网络学习）"], ["unit", "计量单位", "enum:Quantity.unit"],
    ["quantity_label", "输入框标题（如 学习学时）"], ["category", "计入科目 id"], ["row_hours", "每单位折合学时", "number"],
  ],
  exceptions: [
    ["id", "编号（如 sick_leave）"], ["label", "名称"], ["effect", "效果", "enum:YearException.effect"],
    ["fact", "条件：事实名称", "enum:Condition.fact"], ["op", "条件：比较", "enum:Condition.op"], ["value", "条件：数值（可不填）", "number"],
  ],
};
const CITATION_FIELDS = [["section", "出处条款（如 一、学时要求）"], ["quote", "原文摘录（可从原文中选中后点“用选中文字”）"]];

function enumValues(spec) {
  const [def, prop] = spec.slice(5).split(".");
  const node = studio.schema && studio.schema.$defs[def] && studio.schema.$defs[def].properties[prop];
  if (!node) return [];
  const flat = node.anyOf ? node.anyOf.flatMap((x) => (x.$ref ? [studio.schema.$defs[x.$ref.split("/").pop()]] : [x])) : [node];
  // An open field (a condition's fact: the engine's facts or the rule set's questions) lists its examples.
  return node.examples || flat.flatMap((x) => x.enum || []);
}

function drawForm() {
  const kind = $("form-kind").value;
  const fields = [...FORMS[kind], ...CITATION_FIELDS].map(([name, label, type]) => {
    const id = `form-${name}`;
    let control;
    if (type && type.startsWith("enum:")) {
      control = h("select", { id }, h("option", { value: "" }, "（不填）"), enumValues(type).map((v) => h("option", { value: v }, v)));
    } else if (name === "quote") {
      control = h("textarea", { id, rows: "2" });
    } else {
      control = h("input", { id, type: type === "number" ? "number" : "text", step: "any" });
    }
    return h("div", { class: "field" }, h("label", { for: id }, label), control,
      name === "quote" ? h("button", { type: "button", onclick: () => {
        const area = $("source-text");
        $("form-quote").value = area.value.slice(area.selectionStart, area.selectionEnd).trim();
      } }, "用选中文字") : null);
  });
  $("form-fields").replaceChildren(...fields);
}

/** The entry as the rule file writes it (the form's field names are the format's). */
function formEntry(kind) {
  const v = (name) => {
    const el = $(`form-${name}`);
    return el ? el.value.trim() : "";
  };
  const num = (name) => (v(name) === "" ? undefined : Number(v(name)));
  const entry = { id: v("id"), label: v("label") };
  if (kind === "requirements") {
    entry.hours = num("hours");
    if (v("category")) entry.category = v("category");
  } else if (kind === "conversions") {
    entry.quantity = { unit: v("unit") || undefined, label: v("quantity_label") };
    if (v("category")) entry.category = v("category");
    entry.rows = [{ hours: num("row_hours") }];
  } else {
    entry.effect = v("effect") || undefined;
    entry.when = { fact: v("fact") || undefined, op: v("op") || undefined, value: num("value") };
  }
  entry.citation = { source: "", section: v("section"), quote: v("quote") };
  return JSON.parse(JSON.stringify(entry)); // drops the fields left empty (undefined)
}

async function addEntry() {
  const kind = $("form-kind").value;
  const answer = await studio.engine.call("add_entry", current().rule, kind, JSON.stringify(formEntry(kind)))
    .catch((err) => ({ ok: false, problems: [{ message: err.message }] }));
  if (!answer.ok) {
    note("form-message", answer.problems.map((p) => p.message).join("；"), true);
    return;
  }
  studio.cm.setText(studio.ruleView, answer.text); // onChange saves and validates
  note("form-message", "已添加到规则文件；校验结果见上方。");
}

// ------------------------------------------------------------------ files

async function openFiles(files) {
  const d = current();
  const opened = [];
  for (const file of files) {
    const text = await file.text();
    if (/\.cases\.ya?ml$/i.test(file.name)) {
      studio.cm.setText(studio.casesView, text);
    } else if (/\.(ya?ml|json)$/i.test(file.name)) {
      studio.cm.setText(studio.ruleView, text);
    } else {
      $("source-text").value = text;
      edited("source", text);
    }
    opened.push(file.name);
  }
  if (opened.length) d.name = opened[0].replace(/\.(cases\.)?(ya?ml|json|txt)$/i, "");
  persist();
  fillDraftSelect();
  note("drafts-message", `已打开：${opened.join("、")}`);
}

async function downloadZip() {
  const d = current();
  const answer = await studio.engine.call("bundle", d.rule, d.source, d.cases)
    .catch((err) => ({ ok: false, problems: [{ message: err.message }] }));
  if (!answer.ok) {
    note("drafts-message", answer.problems.map((p) => p.message).join("；"), true);
    return;
  }
  download(answer);
  note("drafts-message", `已下载 ${answer.filename}：解压到项目的 rules/ 目录（规则文件可放入所属地区的子目录），运行 python -m calculator validate 和 examples 后提交。`);
}

// ------------------------------------------------------------------ start-up

function wire() {
  $("draft-select").addEventListener("change", (e) => {
    studio.store.current = e.target.value;
    persist();
    showDraft();
  });
  $("btn-new").addEventListener("click", async () => {
    const t = await template();
    addDraft(`新草稿 ${Object.keys(studio.store.drafts).length + 1}`, t.rule, t.cases, "");
    showDraft();
  });
  $("btn-copy").addEventListener("click", async () => {
    const id = $("copy-select").value;
    if (!id) return;
    const answer = await studio.engine.call("rule_text", id);
    if (!answer.ok) return note("drafts-message", answer.problems.map((p) => p.message).join("；"), true);
    addDraft(`${id} 的副本`, answer.text, "[]\n", "");
    showDraft();
    note("drafts-message", `已复制 ${id}：请修改 id、年度等，并粘贴该通知的原文。`);
  });
  $("btn-delete").addEventListener("click", async () => {
    if (!(await confirmDialog(`删除草稿“${current().name}”？删除后无法恢复（可先下载 zip 保留）。`, "删除"))) return;
    const keys = Object.keys(studio.store.drafts);
    delete studio.store.drafts[studio.store.current];
    if (keys.length <= 1) {
      const t = await template();
      addDraft("新草稿 1", t.rule, t.cases, "");
    } else {
      studio.store.current = Object.keys(studio.store.drafts)[0];
      persist();
    }
    showDraft();
    note("drafts-message", "草稿已删除。");
  });
  $("open-files").addEventListener("change", (e) => openFiles([...e.target.files]));
  $("btn-download").addEventListener("click", downloadZip);
  $("btn-guide").addEventListener("click", guidePreview);
  $("btn-quote").addEventListener("click", insertQuote);
  $("source-text").addEventListener("input", (e) => edited("source", e.target.value));
  $("form-kind").addEventListener("change", drawForm);
  $("btn-add-entry").addEventListener("click", addEntry);
}

function progress(stage, detail) {
  const text = $("engine-text");
  if (stage === "failed") {
    $("engine").className = "engine wrap failed";
    text.textContent = detail;
    return;
  }
  text.textContent = detail;
}

async function startEngine() {
  const workerURL = new URL(`static/worker.js?v=${VERSION}&entry=studio`, document.baseURI);
  studio.engine = new Engine(workerURL, progress);
  // Asked first: the worker downloads PyYAML while it loads the published rule sets.
  const yamlLoaded = studio.engine.loadPackages(["pyyaml"]);
  yamlLoaded.catch(() => {}); // awaited below
  const rulesText = await fetchText(new URL(meta("xueshi-rules"), document.baseURI));
  await studio.engine.start(rulesText);
  await studio.engine.ready;
  performance.mark("xueshi:studio-engine"); // Python running, published rule sets loaded
  await yamlLoaded;
  const answer = await studio.engine.call("catalog");
  const select = $("copy-select");
  for (const rs of answer.rule_sets || []) select.append(h("option", { value: rs.id }, `${rs.title}（${rs.id}）`));
  studio.ready = true;
  $("btn-copy").disabled = false;
  $("btn-download").disabled = false;
  $("btn-guide").disabled = false;
  $("engine").hidden = true;
  document.body.dataset.ready = "1";
  performance.mark("xueshi:studio-ready");
  scheduleCheck(0);
}

async function main() {
  const loaded = loadDrafts();
  studio.store = loaded.store;
  const enginePromise = startEngine().catch((err) => progress("failed", err.message));
  const [cm, schemaText] = await Promise.all([
    import(new URL(meta("xueshi-editor"), document.baseURI).href),
    fetchText(new URL(meta("xueshi-schema"), document.baseURI)),
  ]);
  studio.cm = cm;
  studio.schema = JSON.parse(schemaText);
  if (!current()) {
    const t = await template();
    addDraft("新草稿 1", t.rule, t.cases, "");
  }
  const d = current();
  studio.ruleView = cm.createEditor($("rule-editor"), {
    doc: d.rule, label: "规则文件（YAML）", stylesheet: EDITOR_CSS, onChange: (text) => edited("rule", text),
    complete: completer(() => studio.schema), hover: hoverHelp(() => studio.schema),
  });
  studio.casesView = cm.createEditor($("cases-editor"), {
    doc: d.cases, label: "计算示例（YAML）", stylesheet: EDITOR_CSS, onChange: (text) => edited("cases", text),
  });
  $("source-text").value = d.source;
  fillDraftSelect();
  wire();
  drawForm();
  document.body.dataset.editor = "1";
  performance.mark("xueshi:editor-ready");
  if (loaded.setAside) note("drafts-message", `以前保存的草稿无法读取，已原样另存为 ${loaded.setAside}。`, true);
  await enginePromise;
}

main().catch((err) => {
  console.error("studio failed to start:", err);
  progress("failed", `工作室无法启动：${err.message}`);
});
