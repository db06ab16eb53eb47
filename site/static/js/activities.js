// The activities list: one card per activity, its form drawn from
// form(rule_set).conversions (quantity, category, options, date, flags), the
// hours it converts to shown as you type (preview() in the engine).

import { field, fmt, h, select } from "./dom.js";

export class ActivityList {
  /**
   * @param {HTMLElement} list  the <ol>
   * @param {import("./store.js").Store} store  every edit goes through it; it keeps which cards are open
   * @param {{remove: (uid: string) => void}} handlers
   */
  constructor(list, store, handlers) {
    this.list = list;
    this.store = store;
    this.handlers = handlers;
    this.open = store.open;
    this.previews = new Map(); // uid -> {hours, text} | null
    this.lines = new Map(); // uid -> ActivityLine from the last result
  }

  render(draft, form) {
    this.draft = draft;
    this.form = form;
    this.convs = new Map(form.conversions.map((c) => [c.id, c]));
    this.list.replaceChildren(...draft.activities.map((a, i) => this.card(a, i)));
  }

  card(a, i) {
    const conv = this.convs.get(a.kind);
    const id = `act-${a.uid}`;
    const open = this.open.has(a.uid);
    const toggle = h("button", {
      type: "button", class: "link-button", "aria-expanded": String(open), "aria-controls": `${id}-body`,
      onclick: () => {
        if (this.open.has(a.uid)) this.open.delete(a.uid);
        else this.open.add(a.uid);
        this.refreshCard(a.uid);
        document.getElementById(`${id}-toggle`)?.focus();
      },
    }, open ? "收起" : "编辑");
    toggle.id = `${id}-toggle`;
    if (conv) a.kind_label = conv.label;
    const title = (a.name || "").trim() || (conv ? conv.label : a.kind_label || a.kind);
    return h("li", { class: "activity", id, dataset: { uid: a.uid } },
      h("div", { class: "activity-head" },
        h("span", { class: "activity-no" }, `第${i + 1}项`),
        h("span", { class: "activity-title" }, title),
        h("span", { class: "activity-category", id: `${id}-cat` }, this.categoryText(a)),
        h("span", { class: "activity-hours", id: `${id}-hours` }, this.hoursText(a.uid)),
        h("span", { class: "activity-actions" },
          toggle,
          h("button", {
            type: "button", class: "link-button danger", "aria-label": `删除第${i + 1}项：${title}`,
            onclick: () => this.handlers.remove(a.uid),
          }, "删除"),
        ),
      ),
      open ? this.body(a, conv, id) : null,
    );
  }

  refreshCard(uidValue) {
    const i = this.draft.activities.findIndex((a) => a.uid === uidValue);
    const old = document.getElementById(`act-${uidValue}`);
    if (i < 0 || !old) return;
    old.replaceWith(this.card(this.draft.activities[i], i));
  }

  body(a, conv, id) {
    // structural: the card's fields change (another kind of activity)
    const changed = (mutate, structural = false) => this.store.change("activity", mutate, { uid: a.uid, structural });
    const kinds = this.form.conversions.map((c) => [c.id, c.label]);
    if (!conv) kinds.unshift([a.kind, `（本规则集没有这类活动：${a.kind_label || a.kind}）`]);
    const kind = select(kinds, a.kind);
    kind.addEventListener("change", () => changed(() => {
      a.kind = kind.value;
      const next = this.convs.get(a.kind);
      if (next) a.kind_label = next.label;
      if (next && !next.categories.some((c) => c.id === a.category)) a.category = "";
      a.options = {};
      a.flags = a.flags.filter((f) => next && next.flags.some((x) => x.id === f));
    }, true));

    const name = h("input", { type: "text", maxlength: "200", autocomplete: "off", value: a.name,
      placeholder: conv ? `例如：${conv.label}` : "" });
    name.addEventListener("input", () => {
      changed(() => { a.name = name.value; });
      const t = document.querySelector(`#${id} .activity-title`);
      if (t) t.textContent = name.value.trim() || (conv ? conv.label : a.kind_label || a.kind);
    });

    const parts = [
      field(`${id}-kind`, "活动类型", kind, { hint: conv && conv.description ? conv.description : undefined }),
      field(`${id}-name`, "名称", name, { hint: "课程、培训或成果的名称；不填则用活动类型的名称" }),
    ];
    if (conv) {
      const quantity = h("input", {
        type: "text", inputmode: conv.whole ? "numeric" : "decimal", autocomplete: "off", value: a.quantity,
      });
      quantity.addEventListener("input", () => changed(() => { a.quantity = quantity.value; }));
      parts.push(field(`${id}-quantity`, conv.quantity_label, quantity, {
        extra: h("span", { class: "unit" }, conv.counter), cls: "field-quantity",
      }));
      parts.push(this.categoryField(a, conv, id, changed));
      for (const opt of conv.options) parts.push(this.optionField(a, opt, id, changed));
      const date = h("input", { type: "date", value: a.date });
      const setDate = () => changed(() => { a.date = date.value; });
      date.addEventListener("change", setDate);
      date.addEventListener("input", setDate);
      parts.push(field(`${id}-date`, "日期（可选）", date, { hint: "完成、结业、发表或授权的日期" }));
      if (conv.flags.length) parts.push(this.flagsField(a, conv, id, changed));
    }
    parts.push(h("p", { class: "preview", id: `${id}-preview`, "aria-live": "polite" }, this.previewText(a.uid)));
    if (conv && conv.evidence.length) {
      parts.push(h("details", { class: "evidence" },
        h("summary", {}, "需要保存的证明材料"),
        h("ul", {}, conv.evidence.map((e) => h("li", {}, e)))));
    }
    return h("div", { class: "activity-body", id: `${id}-body` }, parts);
  }

  categoryField(a, conv, id, changed) {
    if (conv.categories.length === 1) {
      return h("div", { class: "field" },
        h("span", { class: "label" }, "计入科目"),
        h("p", { class: "static", id: `${id}-category` }, conv.categories[0].name),
        h("p", { class: "field-error", id: `${id}-category-error`, "aria-live": "polite" }));
    }
    const el = select(conv.categories.map((c) => [c.id, c.name]), a.category, { placeholder: "请选择…" });
    el.addEventListener("change", () => changed(() => { a.category = el.value; }));
    return field(`${id}-category`, "计入科目", el);
  }

  optionField(a, opt, id, changed) {
    const fid = `${id}-opt-${opt.name}`;
    let el;
    if ((opt.type || "choice") === "integer") {
      el = h("input", { type: "text", inputmode: "numeric", autocomplete: "off", value: a.options[opt.name] ?? "" });
      el.addEventListener("input", () => changed(() => { a.options[opt.name] = el.value; }));
      return field(fid, opt.label, el, { hint: `${opt.min}～${opt.max} 的整数` });
    }
    el = select(Object.entries(opt.choices), a.options[opt.name] ?? "", { placeholder: "请选择…" });
    el.addEventListener("change", () => changed(() => { a.options[opt.name] = el.value; }));
    return field(fid, opt.label, el);
  }

  flagsField(a, conv, id, changed) {
    const boxes = conv.flags.map((flag) => {
      const cid = `${id}-flag-${flag.id}`;
      const box = h("input", { type: "checkbox", id: cid, checked: a.flags.includes(flag.id) });
      box.addEventListener("change", () => changed(() => {
        a.flags = box.checked ? [...new Set([...a.flags, flag.id])] : a.flags.filter((f) => f !== flag.id);
      }));
      return h("div", { class: "check" }, box, h("label", { for: cid }, flag.question));
    });
    return h("fieldset", { class: "field flags", id: `${id}-flags`, "aria-describedby": `${id}-flags-error` },
      h("legend", {}, `如属于以下情况请勾选（这类学习不计${this.form ? this.form.unit_name : "学时"}）`),
      boxes,
      h("p", { class: "field-error", id: `${id}-flags-error`, "aria-live": "polite" }));
  }

  // --------------------------------------------------------------- figures

  hoursText(uidValue) {
    const unit = this.form ? this.form.unit_name : "";
    const line = this.lines.get(uidValue);
    if (line) return line.counted ? `${fmt(line.hours)} ${unit}` : "不计入";
    const p = this.previews.get(uidValue);
    return p ? `${fmt(p.hours)} ${unit}` : "—";
  }

  /** The category the hours count toward, so a collapsed card says 公需/专业…: the result's, else the form's. */
  categoryText(a) {
    const line = this.lines.get(a.uid);
    if (line && line.category_name) return line.category_name;
    const conv = this.convs && this.convs.get(a.kind);
    if (!conv) return "";
    const cat = conv.categories.length === 1 ? conv.categories[0] : conv.categories.find((c) => c.id === a.category);
    return cat ? cat.name : "";
  }

  previewText(uidValue) {
    const p = this.previews.get(uidValue);
    if (p === undefined) return "";
    return p ? `折算：${p.text}` : `填好后在这里显示折算的${this.form ? this.form.unit_name : "学时"}。`;
  }

  setPreview(uidValue, preview) {
    this.previews.set(uidValue, preview);
    const el = document.getElementById(`act-${uidValue}-preview`);
    if (el) el.textContent = this.previewText(uidValue);
    this.setHours(uidValue);
  }

  /** Lines of the latest result, by activity uid (hours after exclusions and deadlines). */
  setLines(lines) {
    this.lines = lines;
    for (const a of this.draft ? this.draft.activities : []) this.setHours(a.uid);
  }

  setHours(uidValue) {
    const el = document.getElementById(`act-${uidValue}-hours`);
    if (el) el.textContent = this.hoursText(uidValue);
    const a = this.draft && this.draft.activities.find((x) => x.uid === uidValue);
    const cat = document.getElementById(`act-${uidValue}-cat`);
    if (a && cat) cat.textContent = this.categoryText(a);
  }
}
