// Forms for the rule file, so that an office that knows no YAML can finish a rule set: what it
// is (id, title, place, year), categories, requirements (hours or a share of another),
// conversions, exceptions, a source's provenance and whether the rule is standing. Python
// writes each into the YAML (doors/studio.py `add_entry`, `set_field`), leaving the rest of
// the text and its comments as they are; the live check runs after.

import { h } from "../js/dom.js";
import { $, call, note, problemsText } from "./page.js";
import { selectedSource } from "./quotes.js";

// [field, label, type]; type: "number", "bool", "lines" (one per line), "enum:<Def>.<prop>",
// "place" (from rules/places.json), "date"; none = text. Field names are the format's own.
const FORMS = {
  identity: [
    ["id", "规则集 id（小写英文，如 guangdong-zhuanji-2026；决定文件名）"], ["title", "标题"],
    ["jurisdiction.code", "所在地（rules/places.json 中的地区）", "place"], ["jurisdiction.name", "辖区名称（如 广东省）"],
    ["jurisdiction.level", "辖区级别", "enum:Jurisdiction.level"], ["regime", "适用对象", "enum:RuleSet.regime"],
    ["year", "年度（常设规定填起始年度）", "number"], ["last_checked", "最近与原文核对的日期（如 2026-01-15）", "date"],
  ],
  categories: [
    ["id", "编号（如 public、professional）"], ["name", "名称（如 公需科目）"],
    ["within", "上级科目 id（属于另一个科目时填，如 必修属于公需）"], ["counts_toward_total", "计入总学时", "bool"],
  ],
  requirements: [
    ["id", "编号（小写英文，如 total、public）"], ["label", "名称（如 年度总学时）"], ["hours", "学时", "number"],
    ["category", "科目 id（不填表示年度总学时）"],
    ["share_of", "或按另一条要求的比例：基数要求 id（如 total）"], ["share_fraction", "比例（如 2/3、30%）"],
  ],
  conversions: [
    ["id", "编号（如 online）"], ["label", "名称（如 网络学习）"], ["unit", "计量单位", "enum:Quantity.unit"],
    ["quantity_label", "输入框标题（如 学习学时）"], ["category", "计入科目 id"], ["row_hours", "每单位折合学时", "number"],
  ],
  exceptions: [
    ["id", "编号（如 sick_leave）"], ["label", "名称"], ["effect", "效果", "enum:YearException.effect"],
    ["fact", "条件：事实名称", "fact"], ["op", "条件：比较", "enum:Condition.op"], ["value", "条件：数值（可不填）", "number"],
  ],
  provenance: [
    ["source_index", "第几个来源（sources 中的顺序，1 为第一个）", "number"],
    ["kind", "原文从哪里来", "enum:Provenance.kind"], ["urls", "网页地址（每行一个）", "lines"],
    ["retrieved", "取得日期（如 2026-01-15）", "date"], ["via", "取得方式（如 检索工具保存的网页）"],
    ["complete", "保存的是全文", "bool"], ["missing", "不是全文时：未取得哪些部分"],
    ["disagreements", "几个转载文本不一致时：哪里不同、采用哪一个、为什么"],
  ],
  standing: [
    ["standing", "常设规定（自起始年度起每年适用，不必每年一份）", "bool"],
    ["period_years", "几年一个周期（每年一个年度填 1）", "number"],
  ],
};
const CITED = new Set(["categories", "requirements", "conversions", "exceptions"]);
const CITATION_FIELDS = [["section", "出处条款（如 一、学时要求）"], ["quote", "原文摘录（可从原文中选中后点“用选中文字”）"]];

// The provenance form's fields are named apart ("kind" would be the form-kind select's id).
const fieldId = (name, form = "") => `form-${form === "provenance" ? "provenance-" : ""}${name.replace(/\./g, "-")}`;

function enumValues(ctx, spec) {
  const [def, prop] = spec.slice(5).split(".");
  const schema = ctx.schema;
  const node = def === "RuleSet" ? schema && schema.properties[prop]
    : schema && schema.$defs[def] && schema.$defs[def].properties[prop];
  if (!node) return [];
  const flat = node.anyOf ? node.anyOf.flatMap((x) => (x.$ref ? [schema.$defs[x.$ref.split("/").pop()]] : [x])) : [node];
  return flat.flatMap((x) => x.enum || []);
}

function control(ctx, form, name, type) {
  const id = fieldId(name, form);
  if (type === "bool") {
    return h("select", { id }, h("option", { value: "" }, "（不填）"), h("option", { value: "true" }, "是"),
      h("option", { value: "false" }, "否"));
  }
  if (type === "fact") {
    // The engine's facts by their names (models/facts.py); a rule set's own question is written in the editor.
    return h("select", { id }, h("option", { value: "" }, "（不填）"),
      Object.entries((ctx.words && ctx.words.facts) || {}).map(([v, label]) => h("option", { value: v }, `${label}（${v}）`)));
  }
  if (type === "place") {
    return h("select", { id }, h("option", { value: "" }, "（不改）"),
      (ctx.places || []).map((p) => h("option", { value: p.code }, `${p.name}（${p.code}）`)));
  }
  if (type && type.startsWith("enum:")) {
    const names = type === "enum:Provenance.kind" ? (ctx.words && ctx.words.provenance_kinds) || {} : {};
    return h("select", { id }, h("option", { value: "" }, "（不填）"),
      enumValues(ctx, type).map((v) => h("option", { value: v }, names[v] ? `${names[v]}（${v}）` : v)));
  }
  if (name === "quote" || type === "lines" || name === "missing" || name === "disagreements") {
    return h("textarea", { id, rows: "2" });
  }
  return h("input", { id, type: type === "number" ? "number" : "text", step: "any", autocomplete: "off" });
}

export function drawForm(ctx) {
  const kind = $("form-kind").value;
  const specs = [...FORMS[kind], ...(CITED.has(kind) ? CITATION_FIELDS : [])];
  $("form-fields").replaceChildren(...specs.map(([name, label, type]) => h("div", { class: "field" },
    h("label", { for: fieldId(name, kind) }, label), control(ctx, kind, name, type),
    name === "quote" ? h("button", { type: "button", onclick: () => { $("form-quote").value = selectedSource(); } },
      "用选中文字") : null)));
  $("btn-add-entry").textContent = CITED.has(kind) ? "添加到规则文件" : "写入规则文件";
}

function value(name, form = "") {
  const el = $(fieldId(name, form));
  return el ? el.value.trim() : "";
}

function typed(name, type, form = "") {
  const v = value(name, form);
  if (v === "") return undefined;
  if (type === "number") return Number(v);
  if (type === "bool") return v === "true";
  if (type === "lines") return v.split(/\n+/).map((s) => s.trim()).filter(Boolean);
  return v;
}

/** The entry as the rule file writes it (the form's field names are the format's). */
function formEntry(kind) {
  const v = value;
  const num = (name) => typed(name, "number");
  const entry = kind === "categories" ? { id: v("id"), name: v("name") } : { id: v("id"), label: v("label") };
  if (kind === "categories") {
    if (v("within")) entry.within = v("within");
    entry.counts_toward_total = typed("counts_toward_total", "bool");
  } else if (kind === "requirements") {
    if (v("share_fraction")) entry.share = { of: v("share_of"), fraction: v("share_fraction") };
    else entry.hours = num("hours");
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

/** [path, value] pairs a field form writes, in order; fields left empty are not written. */
function fieldWrites(kind) {
  if (kind === "provenance") {
    const index = (typed("source_index", "number", kind) || 1) - 1;
    const prov = {};
    for (const [name, , type] of FORMS.provenance.slice(1)) {
      const v = typed(name, type, kind);
      if (v !== undefined) prov[name] = v;
    }
    return [[["sources", index, "provenance"], prov]];
  }
  const writes = [];
  for (const [name, , type] of FORMS[kind]) {
    const v = typed(name, type);
    if (v !== undefined) writes.push([name.split("."), v]);
  }
  return writes;
}

export async function addEntry(ctx) {
  const kind = $("form-kind").value;
  let text = ctx.store.current.rule;
  if (CITED.has(kind)) {
    const answer = await call(ctx.engine, "add_entry", text, kind, JSON.stringify(formEntry(kind)));
    if (!answer.ok) return note("form-message", problemsText(answer), true);
    text = answer.text;
  } else {
    const writes = fieldWrites(kind);
    if (!writes.length) return note("form-message", "请至少填写一项。", true);
    for (const [path, v] of writes) {
      const answer = await call(ctx.engine, "set_field", text, JSON.stringify(path), JSON.stringify(v));
      if (!answer.ok) return note("form-message", problemsText(answer), true);
      text = answer.text;
    }
  }
  ctx.store.edit("rule", text, "form"); // the editor shows it; the live check runs
  note("form-message", CITED.has(kind) ? "已添加到规则文件；校验结果见上方。" : "已写入规则文件；校验结果见上方。");
}
