// Circumstances ("个人情况"): only the groups whose facts the rule set tests
// (form().circumstances), plus the earlier years' hours when a title window or
// make-up hours need them.

import { field, fmtDate, h, select } from "./dom.js";
import { asksFor, historyShown, newHistory, newLeave, newPosting } from "./state.js";

const LEAVE_KINDS = [["sick", "病休"], ["maternity", "孕产假"]];
const POSTING_KINDS = [
  ["yuanzang", "援藏"], ["yuanjiang", "援疆"], ["yuanwai", "援外"],
  ["dongxi", "东西部扶贫协作"], ["other_special", "其他省级以上特定任务"],
];
const LEVELS = [["zhenggao", "正高级"], ["fugao", "副高级"], ["zhongji", "中级"]];
const DEGREES = [["doctor", "博士"], ["master", "硕士"], ["bachelor", "学士（本科）"], ["other", "其他"]];
const FIELDS = [["medical", "医学类（卫生系列）"], ["other", "其他"]];
const CHECKS = [
  ["covid_frontline", "参与疫情防控一线工作"],
  ["covid_frontline_designated", "经卫生健康部门确定的疫情防控一线卫生专业技术人员"],
  ["disability", "因身体残疾等原因不能按期培训"],
  ["makeup_eligible", "因机构改革（如由管理岗位转为专业技术岗位）等客观原因确需补学以往年度学时"],
];

export class PersonForm {
  /** @param {HTMLElement} container  @param {import("./store.js").Store} store  every edit goes through it */
  constructor(container, store) {
    this.container = container;
    // change(mutate, structural, focusId): structural = rows or groups appear or go
    this.changed = (mutate, structural = false, focusId = null) => store.change("person", mutate, { structural, focusId });
    this.tableChanged = (mutate, structural = false, focusId = null) => store.change("history", mutate, { structural, focusId });
    this.missingYears = [];
  }

  /** @returns {boolean} whether anything is shown */
  render(draft, form) {
    this.draft = draft;
    this.form = form;
    const asks = (key) => asksFor(form, key);
    const p = draft.person;
    const parts = [];
    if (form.period && form.period.years.length > 1) parts.push(this.checkedYear(draft, form.period));
    if (form.exceptions.length) {
      parts.push(h("div", { class: "exceptions-note" },
        h("p", {}, "本规则集规定的例外情形（符合的请在下面填写相关情况）："),
        h("ul", {}, form.exceptions.map((e) => h("li", {}, e.label)))));
    }
    if (asks("retirement_date")) {
      const el = h("input", { type: "date", value: p.retirement_date });
      const set = () => this.changed(() => { p.retirement_date = el.value; });
      el.addEventListener("change", set);
      el.addEventListener("input", set);
      parts.push(field("person-retirement_date", "法定退休日期", el, { hint: "由本人或单位人事部门确认；不临近退休可不填" }));
    }
    if (asks("leaves")) parts.push(this.leaves(p));
    if (asks("postings")) parts.push(this.postings(p));
    const checks = CHECKS.filter(([key]) => asks(key)).map(([key, label]) => this.check(`person-${key}`, label, p[key], (v) => {
      this.changed(() => { p[key] = v; }, key === "makeup_eligible");
    }));
    if (checks.length) parts.push(h("div", { class: "checks" }, checks));
    if (asks("title")) parts.push(this.title(p));
    if (historyShown(draft, form)) parts.push(this.history(draft));
    this.container.replaceChildren(...parts);
    return parts.length > 0;
  }

  /**
   * Which year is checked, among the years the form offers (form().period.years): a cycle's
   * years (per-year requirements, undated activities), or every year a standing rule set has stood.
   */
  checkedYear(draft, period) {
    const years = period.years.map((y) => [String(y), `${y}年`]);
    if (period.standing) {
      const el = select([["", `今年（${period.default_year}年）`], ...years.filter(([y]) => y !== String(period.default_year))], draft.year || "");
      el.addEventListener("change", () => this.changed(() => { draft.year = el.value; }));
      return field("case-year", `核查年度（本规定自${period.year}年起适用）`, el,
        { hint: "按这一年度核查；未填日期的学习计入这一年" });
    }
    const el = select([["", `周期最后一年（${period.default_year}年）`], ...years], draft.year || "");
    el.addEventListener("change", () => this.changed(() => { draft.year = el.value; }));
    return field("case-year", `核查年度（${period.year}—${period.last_year}年周期）`, el,
      { hint: "每年度的要求按这一年核查；未填日期的学习计入这一年；周期合计的要求按整个周期" });
  }

  check(id, label, checked, onChange) {
    const box = h("input", { type: "checkbox", id, checked });
    box.addEventListener("change", () => onChange(box.checked));
    return h("div", { class: "check" }, box, h("label", { for: id }, label),
      h("p", { class: "field-error", id: `${id}-error`, "aria-live": "polite" }));
  }

  rangeRow(prefix, row, kindOptions, kindLabel, onRemove, extra = []) {
    const kind = select(kindOptions, row.kind);
    kind.addEventListener("change", () => this.changed(() => { row.kind = kind.value; }));
    const dateInput = (key) => {
      const el = h("input", { type: "date", value: row[key] });
      const set = () => this.changed(() => { row[key] = el.value; });
      el.addEventListener("change", set);
      el.addEventListener("input", set);
      return el;
    };
    return h("li", { class: "range-row" },
      field(`${prefix}-kind`, kindLabel, kind),
      field(`${prefix}-start`, "开始日期", dateInput("start")),
      field(`${prefix}-end`, "结束日期（含当日）", dateInput("end")),
      extra,
      h("button", { type: "button", class: "link-button danger", onclick: onRemove }, "删除这一段"),
    );
  }

  leaves(p) {
    return h("fieldset", { class: "group" },
      h("legend", {}, "病休、孕产假"),
      h("ol", { class: "ranges" }, p.leaves.map((lv) => this.rangeRow(`leave-${lv.uid}`, lv, LEAVE_KINDS, "类型", () => {
        this.changed(() => { p.leaves = p.leaves.filter((x) => x !== lv); }, true);
      }))),
      h("button", { type: "button", onclick: () => {
        const row = newLeave();
        this.changed(() => { p.leaves.push(row); }, true, `leave-${row.uid}-kind`);
      } }, "＋ 添加一段假期"),
    );
  }

  postings(p) {
    return h("fieldset", { class: "group" },
      h("legend", {}, "外派经历（“三援”、东西部扶贫协作等）"),
      h("ol", { class: "ranges" }, p.postings.map((ps) => this.rangeRow(`posting-${ps.uid}`, ps, POSTING_KINDS, "任务", () => {
        this.changed(() => { p.postings = p.postings.filter((x) => x !== ps); }, true);
      }, [this.check(`posting-${ps.uid}-assessment_passed`, "考核合格", ps.assessment_passed, (v) => {
        this.changed(() => { ps.assessment_passed = v; });
      })]))),
      h("button", { type: "button", onclick: () => {
        const row = newPosting();
        this.changed(() => { p.postings.push(row); }, true, `posting-${row.uid}-kind`);
      } }, "＋ 添加一段外派"),
    );
  }

  title(p) {
    const t = p.title;
    const parts = [this.check("title-applying", "本年度申报职称", t.applying, (v) => {
      this.changed(() => { t.applying = v; }, true, "title-applying");
    })];
    if (t.applying) {
      const pick = (key, label, options, placeholder) => {
        const el = select(options, t[key], placeholder ? { placeholder } : {});
        el.addEventListener("change", () => this.changed(() => { t[key] = el.value; }));
        return field(`title-${key}`, label, el);
      };
      parts.push(h("div", { class: "inline-fields" },
        pick("level", "申报级别", LEVELS, "请选择…"),
        pick("degree", "最高学历（学位）", DEGREES),
        pick("field", "专业领域", FIELDS)));
      for (const d of this.form.title_deadlines) {
        parts.push(h("p", { class: "deadline title-deadline" }, `${d.label}：`, h("strong", {}, fmtDate(d.date))));
      }
    }
    return h("fieldset", { class: "group" }, h("legend", {}, "职称申报"), parts);
  }

  /** One row per earlier year, one input per top category of the rule set (form().top_categories). */
  history(draft) {
    const rows = draft.history;
    const unit = this.form.unit_name;
    const cols = [{ key: "year", label: "年度", get: (row) => row.year, set: (row, v) => { row.year = v; } }];
    for (const c of this.form.top_categories) {
      cols.push({ key: `hours-${c.id}`, label: `${c.name}${unit}`, get: (row) => row.hours[c.id] ?? "", set: (row, v) => { row.hours[c.id] = v; } });
    }
    if (this.form.history_required) {
      for (const c of this.form.top_categories) {
        cols.push({ key: `required-${c.id}`, label: `该年${c.name}要求（可选）`, get: (row) => row.required[c.id] ?? "", set: (row, v) => { row.required[c.id] = v; } });
      }
    }
    const firstInput = this.form.top_categories.length ? `hours-${this.form.top_categories[0].id}` : "year";
    return h("fieldset", { class: "group history" },
      h("legend", {}, `以往年度已认定的${unit}`),
      h("p", { class: "hint" }, "按《学时认定单》、合格证书或登记手册填写。",
        h("span", { id: "history-wanted" }, wantedText(this.neededYears(draft)))),
      h("ol", { class: "history-rows" }, rows.map((row) => h("li", { class: "history-row" },
        cols.map((col) => {
          const el = h("input", { type: "text", inputmode: col.key === "year" ? "numeric" : "decimal", autocomplete: "off", value: col.get(row) });
          el.addEventListener("input", () => this.tableChanged(() => col.set(row, el.value)));
          return field(`hist-${row.uid}-${col.key}`, col.label, el);
        }),
        h("button", { type: "button", class: "link-button danger", onclick: () => {
          this.tableChanged((d) => { d.history = d.history.filter((x) => x !== row); }, true);
        } }, "删除这一年"),
      ))),
      h("button", { type: "button", onclick: () => {
        const row = newHistory(this.wantedYears(draft)[0] ?? "");
        this.tableChanged((d) => { d.history.push(row); }, true, `hist-${row.uid}-${firstInput}`);
      } }, "＋ 添加一个年度"),
    );
  }

  /** After a result: show which years the title window still lacks. */
  setMissingYears(years) {
    this.missingYears = years;
    const el = document.getElementById("history-wanted");
    if (el && this.draft) el.textContent = wantedText(this.neededYears(this.draft));
  }

  /**
   * Years still to enter, the first one offered by "添加一个年度": those the result says the
   * title window lacks (earliest first); else the make-up years; else the earlier years the
   * rule set can look at (form().history_years), latest first.
   */
  wantedYears(draft) {
    const needed = this.neededYears(draft);
    if (needed.length) return needed;
    const have = new Set(draft.history.map((r) => String(r.year).trim()));
    return [...this.form.history_years].reverse().filter((y) => !have.has(String(y)));
  }

  /** Years the result says the title window lacks, else the make-up years, not yet entered. */
  neededYears(draft) {
    const have = new Set(draft.history.map((r) => String(r.year).trim()));
    const years = this.missingYears.length ? this.missingYears
      : draft.person.makeup_eligible ? this.form.makeup_years : [];
    return years.filter((y) => !have.has(String(y)));
  }
}

const wantedText = (years) => (years.length ? `需要填写的年度：${years.join("、")}。` : "");
