// The per-person result table of the batch page: one row per spreadsheet row, as
// calculator.doors.browser.batch_compute returns them ({row, name, staff_id, unit, status,
// status_label, left_out, group_label, requirements: [{label, required, earned, shortfall,
// met}], problems}). A verdict computed with input left out (left_out > 0) is counted and
// filtered apart from the clean ones, under the words Python gives (group_label).
//
// Filter (status, text) and sort (click or Enter/Space on a column header; aria-sort
// tells which) work on all rows; only the first `limit` rows of the view are in the DOM
// ("显示更多" adds a page), so 10,000 rows never make the page slow.

import { fmt, h } from "./dom.js";
import { STATUS } from "./results.js";

export const PAGE_ROWS = 100;
const ERROR = { icon: "!", cls: "bad" };
// Worst first: the ascending order of the 结论 column.
const STATUS_ORDER = ["error", "short", "exemption_available", "provisionally_met", "deemed_complete", "met"];
const PROBLEMS_FILTER = "__problems";
const collator = new Intl.Collator("zh-CN", { numeric: true });

export function statusStyle(status) {
  return status === "error" ? ERROR : STATUS[status] || { icon: "?", cls: "pending" };
}

export function statusBadge(row) {
  const s = statusStyle(row.status);
  return h("span", { class: `badge badge-${s.cls}${row.left_out ? " badge-check" : ""}` },
    h("span", { class: "badge-icon", "aria-hidden": "true" }, s.icon), row.status_label);
}

/** The count and filter group of a row: its status, apart when input was left out. */
function groupOf(row) {
  return row.left_out ? `${row.status}:check` : row.status;
}

/** Every group in order: each status, then the same status with input left out. */
function groupOrder() {
  return STATUS_ORDER.slice().reverse().flatMap((s) => [s, `${s}:check`]);
}

export class ResultTable {
  /** @param {{table, more, shown, counts, status, text}} els  elements of the page
   *  @param {(row: object) => void} onOpen  a person's name was clicked */
  constructor(els, onOpen = () => {}) {
    this.els = els;
    this.onOpen = onOpen;
    // One listener for every name button, however often the body is rebuilt.
    els.table.addEventListener("click", (event) => {
      const button = event.target.closest?.("button.person-open");
      if (!button) return;
      const row = this.byIndex.get(Number(button.dataset.index));
      if (row) this.onOpen(row);
    });
    this.renderTimer = 0;
    this.lastRender = 0;
    els.more.addEventListener("click", () => this.showMore());
    els.status.addEventListener("change", () => { this.limit = PAGE_ROWS; this.render(); });
    let timer = 0;
    els.text.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { this.limit = PAGE_ROWS; this.render(); }, 150);
    });
    this.reset();
  }

  reset() {
    this.rows = [];
    this.byIndex = new Map(); // person index (calculator.doors.browser.batch_person) -> row
    this.labels = []; // requirement labels, in order of first appearance
    this.counts = new Map(); // status -> [label, count]
    this.withProblems = 0;
    this.sort = { key: "row", dir: 1 };
    this.limit = PAGE_ROWS;
    this.headKey = "";
    this.optionsKey = "";
    this.shownRows = null;
    clearTimeout(this.renderTimer);
    this.renderTimer = 0;
  }

  /** Rows from one batch_compute chunk. */
  add(rows) {
    for (const r of rows) {
      r.req = new Map();
      for (const line of r.requirements) {
        if (!this.labels.includes(line.label)) this.labels.push(line.label);
        r.req.set(line.label, line);
      }
      r.rank = STATUS_ORDER.indexOf(r.status);
      r.haystack = `${r.name}\n${r.staff_id}\n${r.unit}`.toLowerCase();
      r.group = groupOf(r);
      const entry = this.counts.get(r.group) || [r.group_label || r.status_label, 0];
      entry[1] += 1;
      this.counts.set(r.group, entry);
      if (r.problems.length) this.withProblems += 1;
      this.rows.push(r);
      this.byIndex.set(r.index, r);
    }
  }

  /** Re-render soon: at once for the first rows, then at most every 700 ms (each table layout costs). */
  scheduleRender() {
    if (this.renderTimer) return;
    const first = !this.shownRows || !this.shownRows.length;
    const wait = first ? 0 : Math.max(0, 700 - (performance.now() - this.lastRender));
    this.renderTimer = setTimeout(() => { this.renderTimer = 0; this.render(); }, wait);
  }

  columns() {
    const cols = [
      { key: "row", label: "行号", num: true, value: (r) => r.row, cell: (r) => String(r.row) },
      { key: "name", label: "姓名", value: (r) => r.name,
        cell: (r) => [
          h("button", { type: "button", class: "cell-name person-open", dataset: { index: r.index },
            "aria-haspopup": "dialog", title: "查看此人的完整结果" }, r.name || "（空）"),
          r.staff_id ? h("span", { class: "cell-sub" }, r.staff_id) : null] },
      { key: "status", label: "结论", num: true, value: (r) => r.rank, cell: (r) => statusBadge(r) },
      { key: "unit", label: "工作单位", value: (r) => r.unit, cell: (r) => r.unit },
    ];
    for (const label of this.labels) {
      cols.push({
        key: `earned:${label}`, label, sub: "已取得 / 要求", num: true, cls: "num",
        value: (r) => r.req.get(label)?.earned ?? null,
        cell: (r) => {
          const line = r.req.get(label);
          if (!line) return "";
          return [h("strong", {}, fmt(line.earned)), h("span", { class: "cell-sub-inline" }, ` / ${fmt(line.required)}`),
            line.deemed ? h("span", { class: "tag" }, "视同") : null,
            line.provisional ? h("span", { class: "tag" }, "暂") : null];
        },
      });
      cols.push({
        key: `short:${label}`, label, sub: "尚差", num: true, cls: "num",
        value: (r) => r.req.get(label)?.shortfall ?? null,
        cell: (r) => {
          const line = r.req.get(label);
          if (!line) return "";
          return line.shortfall > 0 ? h("span", { class: "shortfall" }, fmt(line.shortfall)) : h("span", { class: "no-shortfall" }, "0");
        },
      });
    }
    cols.push({
      key: "problems", label: "需要修改的输入", num: true, value: (r) => r.problems.length,
      cell: (r) => (r.problems.length ? h("ul", { class: "row-problems" }, r.problems.map((p) => h("li", {}, p))) : ""),
      cls: "problems-cell",
    });
    return cols;
  }

  /** The rows that pass the filters, sorted. */
  view() {
    const wanted = this.els.status.value;
    const text = this.els.text.value.trim().toLowerCase();
    let out = this.rows;
    if (wanted === PROBLEMS_FILTER) out = out.filter((r) => r.problems.length);
    else if (wanted) out = out.filter((r) => r.group === wanted);
    if (text) out = out.filter((r) => r.haystack.includes(text));
    const col = this.columns().find((c) => c.key === this.sort.key) || this.columns()[0];
    const dir = this.sort.dir;
    const cmp = col.num
      ? (a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1; // blanks last either way
        return (x - y) * dir;
      }
      : (a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        if (!x || !y) return x === y ? 0 : !x ? 1 : -1;
        return collator.compare(x, y) * dir;
      };
    return [...out].sort((a, b) => cmp(a, b) || a.row - b.row);
  }

  setSort(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: 1 };
    this.limit = PAGE_ROWS;
    this.render();
    this.els.table.querySelector(`button[data-sort="${CSS.escape(key)}"]`)?.focus();
  }

  showMore() {
    const before = this.limit;
    this.limit += PAGE_ROWS * 5;
    this.render();
    const first = this.els.table.tBodies[0]?.rows[before];
    if (first) {
      first.tabIndex = -1;
      if (this.els.more.hidden) first.focus();
    }
  }

  renderFilterOptions() {
    const select = this.els.status;
    const keep = select.value;
    const options = [["", `全部（${this.rows.length}）`]];
    for (const group of groupOrder()) {
      const entry = this.counts.get(group);
      if (entry) options.push([group, `${statusStyle(group.split(":")[0]).icon} ${entry[0]}（${entry[1]}）`]);
    }
    if (this.withProblems) options.push([PROBLEMS_FILTER, `有需要修改的输入（${this.withProblems}）`]);
    const key = JSON.stringify(options);
    if (key === this.optionsKey) return; // rebuilding would close a list the person has open
    this.optionsKey = key;
    select.replaceChildren(...options.map(([v, label]) => h("option", { value: v }, label)));
    select.value = options.some(([v]) => v === keep) ? keep : "";
  }

  renderCounts() {
    const parts = [];
    for (const group of groupOrder()) {
      const entry = this.counts.get(group);
      if (!entry) continue;
      const s = statusStyle(group.split(":")[0]);
      parts.push(h("span", { class: `count badge badge-${s.cls}${group.endsWith(":check") ? " badge-check" : ""}` },
        h("span", { class: "badge-icon", "aria-hidden": "true" }, s.icon), `${entry[0]} ${entry[1]} 人`));
    }
    this.els.counts.replaceChildren(h("span", {}, `共 ${this.rows.length} 人：`), ...parts);
  }

  renderHead(cols) {
    const key = `${cols.map((c) => c.key).join("|")}#${this.sort.key}:${this.sort.dir}`;
    if (key === this.headKey) return false;
    this.headKey = key;
    const focused = document.activeElement?.dataset?.sort;
    const thead = h("thead", {}, h("tr", {}, cols.map((c) => {
      const active = c.key === this.sort.key;
      const arrow = active ? (this.sort.dir > 0 ? "▲" : "▼") : "↕";
      return h("th", { scope: "col", class: c.cls || null, "aria-sort": active ? (this.sort.dir > 0 ? "ascending" : "descending") : null },
        h("button", { type: "button", class: "sort", dataset: { sort: c.key }, onclick: () => this.setSort(c.key) },
          h("span", {}, c.label, c.sub ? h("span", { class: "sort-sub" }, c.sub) : null),
          h("span", { class: "sort-arrow", "aria-hidden": "true" }, arrow)));
    })));
    const table = this.els.table;
    if (table.tHead) table.tHead.replaceWith(thead);
    else table.append(thead);
    if (focused) table.querySelector(`button[data-sort="${CSS.escape(focused)}"]`)?.focus();
    return true;
  }

  render() {
    clearTimeout(this.renderTimer);
    this.renderTimer = 0;
    const started = performance.now();
    this.lastRender = started;
    const cols = this.columns();
    this.renderFilterOptions();
    this.renderCounts();
    const headChanged = this.renderHead(cols);
    const rows = this.view();
    const shown = rows.slice(0, this.limit);
    // While rows stream in, the first page usually stays the same: then the table is left
    // alone (laying out a table is the costly part, far more than filtering or sorting).
    const same = !headChanged && this.shownRows && shown.length === this.shownRows.length &&
      shown.every((r, i) => r === this.shownRows[i]);
    if (!same) {
      this.shownRows = shown;
      const body = h("tbody", {});
      for (const r of shown) {
        body.append(h("tr", { class: `row-${statusStyle(r.status).cls}${r.left_out ? " row-check" : ""}`,
          dataset: r.left_out ? { row: r.row, leftOut: r.left_out } : { row: r.row } },
          cols.map((c, i) => h(i === 1 ? "th" : "td", { class: c.cls || null, scope: i === 1 ? "row" : null,
            dataset: { label: c.sub ? `${c.label} ${c.sub}` : c.label } }, c.cell(r) || null))));
      }
      const table = this.els.table;
      if (table.tBodies[0]) table.tBodies[0].replaceWith(body);
      else table.append(body);
    }
    const filtered = rows.length !== this.rows.length;
    this.els.shown.textContent = rows.length
      ? `显示 ${shown.length} 人${filtered ? `，符合条件的共 ${rows.length} 人（全表 ${this.rows.length} 人）` : `，共 ${rows.length} 人`}`
      : (this.rows.length ? "没有符合条件的人员" : "");
    const rest = rows.length - shown.length;
    this.els.more.hidden = rest <= 0;
    this.els.more.textContent = `显示更多（还有 ${rest} 人）`;
    performance.measure("xueshi:batch-render", { start: started, detail: { rebuilt: !same } });
  }
}
