// The worked-example form: a person's activities (kind, quantity, subject) and the figures
// worked out by hand (status, and per requirement what is required and earned). Python
// appends it to the cases file (doors/studio.py `add_case`); the examples run after, as
// `python -m calculator examples` runs them.

import { h } from "../js/dom.js";
import { $, call, note, problemsText } from "./page.js";

let rows = 0;

function input(id, label, type = "text") {
  return h("div", { class: "field" }, h("label", { for: id }, label),
    h("input", { id, type, step: "any", autocomplete: "off", inputmode: type === "number" ? "decimal" : undefined }));
}

function activityRow(number) {
  const n = ++rows;
  return h("fieldset", { class: "case-row", "data-row": "activity" },
    h("legend", {}, `活动 ${number}`),
    input(`case-act-${n}-kind`, "活动类型（折算条目的 id，如 online）"),
    input(`case-act-${n}-name`, "名称（如 网络学习，可不填）"),
    input(`case-act-${n}-quantity`, "数量（学时、天数、篇数……）", "number"),
    input(`case-act-${n}-category`, "计入科目 id（可不填）"));
}

function requirementRow(number) {
  const n = ++rows;
  return h("fieldset", { class: "case-row", "data-row": "requirement" },
    h("legend", {}, `期望的数字 ${number}`),
    input(`case-req-${n}-id`, "要求 id（如 total）"),
    input(`case-req-${n}-required`, "应完成（学时）", "number"),
    input(`case-req-${n}-earned`, "已完成（学时）", "number"));
}

export function drawCaseForm(words) {
  const status = $("case-status");
  status.replaceChildren(h("option", { value: "" }, "（不核对）"),
    ...Object.entries(words.status || {}).map(([v, label]) => h("option", { value: v }, `${label}（${v}）`)));
  $("case-activities").replaceChildren(activityRow(1));
  $("case-requirements").replaceChildren(requirementRow(1));
}

export function wireCaseForm(ctx) {
  const more = (id, row) => $(id).append(row($(id).children.length + 1));
  $("btn-case-activity").addEventListener("click", () => more("case-activities", activityRow));
  $("btn-case-requirement").addEventListener("click", () => more("case-requirements", requirementRow));
  $("btn-add-case").addEventListener("click", () => addCase(ctx));
}

function fields(row) {
  const out = {};
  for (const el of row.querySelectorAll("input")) {
    const key = el.id.replace(/^case-(act|req)-\d+-/, "");
    const v = el.value.trim();
    if (v !== "") out[key] = el.type === "number" ? Number(v) : v;
  }
  return out;
}

function formCase() {
  const activities = [...$("case-activities").children].map(fields).filter((a) => Object.keys(a).length);
  const requirements = {};
  for (const row of $("case-requirements").children) {
    const { id, ...figures } = fields(row);
    if (id) requirements[id] = figures;
  }
  const output = {};
  if ($("case-status").value) output.status = $("case-status").value;
  if (Object.keys(requirements).length) output.requirements = requirements;
  return { name: $("case-name").value.trim(), input: { activities }, output };
}

async function addCase(ctx) {
  const example = formCase();
  if (!example.name) return note("case-message", "请填写示例的名称（如 网络学习90学时（达标））。", true);
  if (!Object.keys(example.output).length) return note("case-message", "请至少填写一项期望的结果（结论或某项要求的数字）。", true);
  const answer = await call(ctx.engine, "add_case", ctx.store.current.cases, JSON.stringify(example));
  if (!answer.ok) return note("case-message", problemsText(answer), true);
  ctx.store.edit("cases", answer.text, "form"); // the editor shows it; the examples run
  note("case-message", `已添加计算示例“${example.name}”；结果见下方。`);
}
