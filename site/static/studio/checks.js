// The live check: after every change (0.3 s after the last keystroke) the draft goes to
// Python (calculator/doors/studio.py `validate`: every check of `python -m calculator
// validate`, one list in calculator/rulefiles/lint.py), then its worked examples
// (`examples`); this module shows what comes back, at its lines in both editors.

import { fmt, h } from "../js/dom.js";
import { $ } from "./page.js";

const CHECK_DELAY_MS = 300; // after the last keystroke

export class Checker {
  /** @param {object} ctx  the studio (store, engine, cm, ruleView, casesView, ready)
   *  @param {(index: number) => void} onPreview  "预览" of the index-th example */
  constructor(ctx, onPreview) {
    this.ctx = ctx;
    this.onPreview = onPreview;
    this.timer = 0;
  }

  schedule(delay = CHECK_DELAY_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), delay);
  }

  async check() {
    const { ctx } = this;
    if (!ctx.ready) return;
    const store = ctx.store;
    const seq = ++store.checkSeq;
    const { rule, source, cases } = store.current;
    let answer;
    try {
      answer = await ctx.engine.call("validate", rule, source);
    } catch (err) {
      $("validation").textContent = err.message;
      return;
    }
    if (seq !== store.checkSeq) return; // a newer change is being checked
    this.showProblems(answer.problems || []);
    if (!document.body.dataset.validated) performance.mark("xueshi:first-validation");
    document.body.dataset.validated = String(seq);
    if (!answer.ok) {
      this.renderExamples(null, "规则文件有问题，改正后再运行计算示例。");
      return;
    }
    const examples = await ctx.engine.call("examples", rule, source, cases).catch((err) => ({ error: err.message }));
    if (seq !== store.checkSeq) return;
    this.renderExamples(examples);
  }

  showProblems(problems) {
    const { cm, ruleView } = this.ctx;
    const box = $("validation");
    box.className = problems.length ? "validation bad" : "validation good";
    box.textContent = problems.length
      ? `有 ${problems.length} 处问题（与 python -m calculator validate 的检查相同）：`
      : "✓ 校验通过：结构、引用、继承、引文逐字核对、数字在引文中、来源说明、辖区代码。";
    $("problem-list").replaceChildren(...problems.map((p) => h("li", {},
      h("button", { type: "button", class: "link-button", onclick: () => cm.goToLine(ruleView, p.line) },
        `第 ${p.line} 行`), `：${p.message}`)));
    cm.showProblems(ruleView, problems);
  }

  renderExamples(answer, message = "") {
    const { cm, casesView, store } = this.ctx;
    const summary = $("example-summary");
    const list = $("example-list");
    store.examples = answer && answer.cases ? answer.cases : [];
    // The same findings as marks in the cases editor, at their lines.
    const marks = !answer || answer.error ? []
      : (answer.problems || []).length ? answer.problems
        : answer.cases.filter((c) => !c.passed).map((c) => ({ line: c.line, message: `${c.name}：${c.differences.join("；")}` }));
    cm.showProblems(casesView, marks);
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
        h("button", { type: "button", class: "link-button", onclick: () => cm.goToLine(casesView, c.line) }, `第 ${c.line} 行`),
        h("button", { type: "button", class: "preview-button", onclick: () => this.onPreview(i) }, "预览")),
      c.figures ? h("p", { class: "hint" }, c.figures.summary) : null,
      figuresTable(c.figures),
      c.differences.length ? h("ul", { class: "differences" }, c.differences.map((d) => h("li", {}, d))) : null)));
  }
}

function figuresTable(figures) {
  if (!figures || !figures.requirements.length) return null;
  return h("table", { class: "figures" },
    h("thead", {}, h("tr", {}, ["要求", "应完成", "已完成", "还差", "是否达标"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, figures.requirements.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.label), h("td", {}, fmt(r.required)), h("td", {}, fmt(r.earned)),
      h("td", {}, fmt(r.shortfall)), h("td", {}, r.met ? "是" : "否")))));
}
