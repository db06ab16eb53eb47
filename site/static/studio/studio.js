// The authoring studio (studio.html): a policy office writes a rule file, its worked
// examples and the notice's text; Python (calculator/doors/studio.py in the page's worker)
// checks them on every change with the checks of `python -m calculator validate` and
// `examples`, and writes what the forms fill in. This file starts the page: the editors, the
// engine, the store (store.js) and how the page reacts to each kind of change. Each job has
// its module: checks.js (the live check), forms.js and case-form.js (the forms), quotes.js,
// preview.js (result and guide previews), files.js (open, zip), drafts.js (saving).

import { fetchText } from "../js/data.js";
import { h } from "../js/dom.js";
import { Engine } from "../js/engine.js";
import { confirmDialog } from "../js/messages.js";
import { drawCaseForm, wireCaseForm } from "./case-form.js";
import { Checker } from "./checks.js";
import { loadDrafts } from "./drafts.js";
import { openFiles, downloadZip } from "./files.js";
import { addEntry, drawForm } from "./forms.js";
import { $, call, meta, note, problemsText } from "./page.js";
import { guidePreview, preview } from "./preview.js";
import { insertQuote } from "./quotes.js";
import { completer, hoverHelp } from "./schema-help.js";
import { StudioStore } from "./store.js";

const VERSION = new URL(import.meta.url).searchParams.get("v");
const EDITOR_CSS = new URL(`editor.css?v=${VERSION}`, import.meta.url).href; // styles inside the editors' shadow roots

// Everything the modules share: the store, the engine, the editors and the schema.
const ctx = {
  store: null,
  engine: null,
  cm: null, // the editor bundle's exports
  ruleView: null,
  casesView: null,
  schema: null,
  places: [], // rules/places.json, for the place picker
  words: {}, // the forms' words from Python (engine/words.py)
  ready: false,
};
const checker = new Checker(ctx, (index) => preview(ctx, index));

performance.mark("xueshi:studio-start");

async function template() {
  const base = new URL(meta("xueshi-templates"), document.baseURI);
  const [rule, cases] = await Promise.all([
    fetchText(new URL(`blank-province.yaml?v=${VERSION}`, base)),
    fetchText(new URL(`blank-province.cases.yaml?v=${VERSION}`, base)),
  ]);
  return { rule, cases };
}

function fillDraftSelect() {
  const { store } = ctx;
  $("draft-select").replaceChildren(...Object.entries(store.drafts).map(([key, d]) =>
    h("option", { value: key, selected: key === store.record.current }, d.name)));
}

function showDraft() {
  const d = ctx.store.current;
  ctx.cm.setText(ctx.ruleView, d.rule);
  ctx.cm.setText(ctx.casesView, d.cases);
  $("source-text").value = d.source;
  fillDraftSelect();
}

/** The page's answer to every change of the store (store.js lists the kinds). */
function react(event) {
  if (!event.saved) note("drafts-message", "浏览器拒绝保存草稿（存储已满或被禁用）；请下载 zip 保留内容。", true);
  if (event.kind === "edited") {
    if (event.from !== "editor") {
      const d = ctx.store.current;
      if (event.field === "rule") ctx.cm.setText(ctx.ruleView, d.rule);
      else if (event.field === "cases") ctx.cm.setText(ctx.casesView, d.cases);
      else $("source-text").value = d.source;
    }
    checker.schedule();
  } else if (event.kind === "renamed") {
    fillDraftSelect();
  } else {
    showDraft();
    checker.schedule(0);
  }
}

// ------------------------------------------------------------------ start-up

async function newDraft(name) {
  const t = await template();
  ctx.store.add(name, t.rule, t.cases, "");
}

function wire() {
  const { store } = ctx;
  $("draft-select").addEventListener("change", (e) => store.select(e.target.value));
  $("btn-new").addEventListener("click", () => newDraft(`新草稿 ${Object.keys(store.drafts).length + 1}`));
  $("btn-copy").addEventListener("click", async () => {
    const id = $("copy-select").value;
    if (!id) return;
    const answer = await call(ctx.engine, "rule_text", id);
    if (!answer.ok) return note("drafts-message", problemsText(answer), true);
    store.add(`${id} 的副本`, answer.text, "[]\n", "");
    note("drafts-message", `已复制 ${id}：请修改 id、年度等，并粘贴该通知的原文。`);
  });
  $("btn-delete").addEventListener("click", async () => {
    if (!(await confirmDialog(`删除草稿“${store.current.name}”？删除后无法恢复（可先下载 zip 保留）。`, "删除"))) return;
    if (!store.remove()) await newDraft("新草稿 1");
    note("drafts-message", "草稿已删除。");
  });
  $("open-files").addEventListener("change", (e) => openFiles(ctx, [...e.target.files]));
  $("btn-download").addEventListener("click", () => downloadZip(ctx));
  $("btn-guide").addEventListener("click", () => guidePreview(ctx));
  $("btn-quote").addEventListener("click", () => insertQuote(ctx));
  $("source-text").addEventListener("input", (e) => store.edit("source", e.target.value));
  $("form-kind").addEventListener("change", () => drawForm(ctx));
  $("btn-add-entry").addEventListener("click", () => addEntry(ctx));
  wireCaseForm(ctx);
}

function progress(stage, detail) {
  if (stage === "failed") $("engine").className = "engine wrap failed";
  $("engine-text").textContent = detail;
}

async function startEngine() {
  const workerURL = new URL(`static/worker.js?v=${VERSION}&entry=studio`, document.baseURI);
  ctx.engine = new Engine(workerURL, progress);
  // Asked first: the worker downloads PyYAML while it loads the published rule sets.
  const yamlLoaded = ctx.engine.loadPackages(["pyyaml"]);
  yamlLoaded.catch(() => {}); // awaited below
  const rulesText = await fetchText(new URL(meta("xueshi-rules"), document.baseURI));
  await ctx.engine.start(rulesText);
  await ctx.engine.ready;
  performance.mark("xueshi:studio-engine"); // Python running, published rule sets loaded
  await yamlLoaded;
  const answer = await ctx.engine.call("catalog");
  const select = $("copy-select");
  for (const rs of answer.rule_sets || []) select.append(h("option", { value: rs.id }, `${rs.title}（${rs.id}）`));
  ctx.places = answer.places || [];
  ctx.words = answer.words || {};
  ctx.ready = true;
  for (const id of ["btn-copy", "btn-download", "btn-guide", "btn-add-entry", "btn-add-case"]) $(id).disabled = false;
  drawForm(ctx); // with the places and the words
  drawCaseForm(ctx.words);
  $("engine").hidden = true;
  document.body.dataset.ready = "1";
  performance.mark("xueshi:studio-ready");
  checker.schedule(0);
}

async function main() {
  const loaded = loadDrafts();
  ctx.store = new StudioStore(loaded.store);
  const enginePromise = startEngine().catch((err) => progress("failed", err.message));
  const [cm, schemaText] = await Promise.all([
    import(new URL(meta("xueshi-editor"), document.baseURI).href),
    fetchText(new URL(meta("xueshi-schema"), document.baseURI)),
  ]);
  ctx.cm = cm;
  ctx.schema = JSON.parse(schemaText);
  if (!ctx.store.current) await newDraft("新草稿 1");
  const d = ctx.store.current;
  ctx.ruleView = cm.createEditor($("rule-editor"), {
    doc: d.rule, label: "规则文件（YAML）", stylesheet: EDITOR_CSS, onChange: (text) => ctx.store.edit("rule", text),
    complete: completer(() => ctx.schema), hover: hoverHelp(() => ctx.schema),
  });
  ctx.casesView = cm.createEditor($("cases-editor"), {
    doc: d.cases, label: "计算示例（YAML）", stylesheet: EDITOR_CSS, onChange: (text) => ctx.store.edit("cases", text),
  });
  $("source-text").value = d.source;
  fillDraftSelect();
  ctx.store.subscribe(react); // after the editors exist: a change redraws them
  wire();
  drawForm(ctx);
  drawCaseForm(ctx.words);
  document.body.dataset.editor = "1";
  performance.mark("xueshi:editor-ready");
  if (loaded.setAside) note("drafts-message", `以前保存的草稿无法读取，已原样另存为 ${loaded.setAside}。`, true);
  await enginePromise;
}

main().catch((err) => {
  console.error("studio failed to start:", err);
  progress("failed", `工作室无法启动：${err.message}`);
});
