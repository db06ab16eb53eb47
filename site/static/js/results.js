// Rendering a result (calculator/result_model.py, format xueshi.result/1).
// Status first, then requirement lines, money, multi-year tables, activities,
// warnings, evidence, and the trace where every line carries its citation.
//
// Citations: <div class="cite" data-rule-set data-origin data-rule>. When the
// page has <meta name="xueshi-guide" content="guide/">, each also links to
// guide/<origin>/#<section>-<entry-id> (rule = "<section>/<entry-id>").

import { fmt, fmtDate, h } from "./dom.js";

export const STATUS = {
  met: { icon: "✓", cls: "good" },
  deemed_complete: { icon: "✓", cls: "good" },
  provisionally_met: { icon: "◐", cls: "caution" },
  exemption_available: { icon: "!", cls: "caution" },
  short: { icon: "✗", cls: "bad" },
};

/** The status block: {state: "loading"|"failed"|"blocked"|"result", ...}. */
export function renderStatus(el, view) {
  const line = (icon, label, summary, cls) => {
    el.className = `status status-${cls}`;
    el.replaceChildren(
      h("p", { class: "status-line" }, h("span", { class: "status-icon", "aria-hidden": "true" }, icon),
        h("span", { class: "status-label" }, label)),
      h("p", { class: "status-summary" }, summary),
    );
  };
  if (view.state === "loading") line("…", "正在准备计算", view.message, "pending");
  else if (view.state === "failed") line("!", "无法计算", view.message, "bad");
  else if (view.state === "blocked") line("!", "请先修改输入", view.message, "caution");
  else {
    const r = view.result;
    const s = STATUS[r.status] || { icon: "?", cls: "pending" };
    line(s.icon, r.status_label, r.summary, s.cls);
    if (view.dropped) {
      el.append(h("p", { class: "status-note" }, `另有${view.dropped}处输入有误，相关条目暂未计入，见下方“需要修改的输入”。`));
    }
  }
}

export class ResultView {
  /** @param {HTMLElement} body  @param {{guideBase: string|null, passages?: Record<string, string>, focusField: (id: string) => void}} opts */
  constructor(body, opts) {
    this.body = body;
    this.opts = opts;
  }

  /** @param {{result: object|null, problems: Array<{fieldId, where, message}>}} outcome */
  render(outcome, ctx) {
    const r = outcome.result;
    this.ruleSet = r ? r.rule_set.id : ctx.ruleSet;
    const parts = [this.problems(outcome.problems)];
    if (r) {
      parts.push(
        h("p", { class: "ruleset-ref" }, "依据：", h("strong", {}, r.rule_set.title),
          `（${r.rule_set.regime_name}，${r.rule_set.year}年度；规则最近核对于 ${fmtDate(r.rule_set.last_checked)}）`),
        this.requirements(r),
        this.deadline(r),
        this.exceptions(r),
        this.fees(r),
        this.window(r),
        this.makeup(r, ctx),
        this.activities(r, ctx),
        this.warnings(r),
        this.evidence(r),
        this.trace(r),
        this.printCitations(r),
      );
    }
    this.body.replaceChildren(...parts.filter(Boolean));
  }

  section(title, cls, ...content) {
    return h("section", { class: `result-part ${cls}` }, h("h3", {}, title), content);
  }

  problems(list) {
    if (!list.length) return null;
    return h("section", { class: "result-part problems", id: "problem-list" },
      h("h3", {}, `需要修改的输入（${list.length}处）`),
      h("ul", {}, list.map((p) => h("li", {},
        p.fieldId
          ? h("a", { href: `#${p.fieldId}`, onclick: (e) => { e.preventDefault(); this.opts.focusField(p.fieldId); } },
            p.where ? `${p.where}：${p.message}` : p.message)
          : (p.where ? `${p.where}：${p.message}` : p.message)))));
  }

  requirements(r) {
    return this.section("学时要求与完成情况", "requirements",
      h("ul", { class: "req-list" }, r.requirements.map((line) => {
        const state = line.deemed ? "视同完成" : line.met ? "已达到" : line.provisional ? "暂视同完成"
          : `还差 ${fmt(line.shortfall)} 学时`;
        const ok = line.deemed || line.met || line.provisional;
        const value = Math.min(line.earned, line.required);
        return h("li", { class: `req ${ok ? "req-ok" : "req-short"}`, dataset: { req: line.id } },
          h("div", { class: "req-head" },
            h("span", { class: "req-label" }, line.label),
            h("span", { class: "req-figures" },
              h("span", { class: "req-earned" }, fmt(line.earned)), " / ",
              h("span", { class: "req-required" }, fmt(line.required)), " 学时"),
            h("span", { class: "req-state" }, h("span", { "aria-hidden": "true" }, ok ? "✓ " : "✗ "), state)),
          h("progress", { max: String(line.required), value: String(value),
            "aria-label": `${line.label}：已取得${fmt(line.earned)}学时，要求${fmt(line.required)}学时` }),
          line.alternative ? h("p", { class: "req-alt" },
            `或按${line.alternative.unit}数：要求 ${fmt(line.alternative.amount)} ${line.alternative.unit}，已有 ${fmt(line.alternative.earned)} ${line.alternative.unit}`,
            line.alternative.met ? "（已达到）" : "") : null,
        );
      })));
  }

  deadline(r) {
    if (!r.deadline) return null;
    return h("p", { class: "deadline" }, `${r.deadline.label}：`, h("strong", {}, fmtDate(r.deadline.date)));
  }

  exceptions(r) {
    const applied = r.exceptions.filter((e) => e.applies);
    if (!applied.length) return null;
    return this.section("适用的例外情形", "exceptions",
      h("ul", {}, applied.map((e) => h("li", {}, h("strong", {}, e.label), `：${e.reason}`,
        e.evidence.length ? h("p", { class: "hint" }, `需提供：${e.evidence.join("；")}`) : null))));
  }

  fees(r) {
    const f = r.fees;
    if (!f) return null;
    return this.section("课时费用", "fees",
      h("ul", {}, f.categories.map((c) => h("li", {},
        `${c.category_name}：${fmt(c.yuan_per_hour)} 元/学时；已学平台课程 ${fmt(c.paid_hours)} 学时`,
        c.free_hours_used ? `（其中免费 ${fmt(c.free_hours_used)} 学时）` : "",
        `，${fmt(c.amount)} 元`,
        c.hours_to_complete ? `；补足还需 ${fmt(c.hours_to_complete)} 学时，约 ${fmt(c.amount_to_complete)} 元` : ""))),
      h("dl", { class: "money" },
        h("dt", {}, "已发生费用"), h("dd", { id: "fee-so-far" }, `${fmt(f.amount_so_far)} 元`),
        f.amount_to_complete ? [h("dt", {}, "补足约需"), h("dd", {}, `${fmt(f.amount_to_complete)} 元`)] : null,
        h("dt", {}, "费用合计"), h("dd", { id: "fee-total" }, `${fmt(f.total)} 元`),
        f.reimbursement_limit !== null ? [h("dt", {}, "报账限额"), h("dd", {}, `${fmt(f.reimbursement_limit)} 元`)] : null,
        h("dt", {}, "可报销"), h("dd", { id: "fee-reimbursable" }, h("strong", {}, `${fmt(f.reimbursable)} 元`))));
  }

  window(r) {
    const w = r.title_window;
    if (!w) return null;
    const source = { this_case: "本次填写", history: "以往年度", missing: "未填写" };
    const need = (y) => `${fmt(y.public_required)}/${fmt(y.professional_required)}/${fmt(y.total_required)}`;
    const uniform = new Set(w.years.map(need)).size === 1;
    const first = w.years[0];
    const head = ["年度", "公需", "专业", "合计", uniform ? null : "要求", "达标", "来源"].filter(Boolean);
    return this.section(`职称申报学时年限：${w.label}`, "window",
      h("p", {}, `计 ${w.start_year}—${w.end_year} 年，`, h("strong", {}, w.all_met ? "各年度均已达标" : "尚有年度未达标或未填写"),
        uniform && first ? `；每年要求公需 ${fmt(first.public_required)}、专业 ${fmt(first.professional_required)}、合计 ${fmt(first.total_required)} 学时。` : "。"),
      h("div", { class: "table-wrap" }, h("table", { class: "compact" },
        h("thead", {}, h("tr", {}, head.map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, w.years.map((y) => h("tr", { class: y.met ? "" : "row-short" },
          h("th", { scope: "row" }, String(y.year)),
          h("td", {}, y.public === null ? "—" : fmt(y.public)),
          h("td", {}, y.professional === null ? "—" : fmt(y.professional)),
          h("td", {}, y.total === null ? "—" : fmt(y.total)),
          uniform ? null : h("td", {}, need(y)),
          h("td", {}, y.met ? "✓ 是" : "✗ 否"),
          h("td", {}, source[y.source] || y.source)))))),
      this.cite(w.citation));
  }

  makeup(r, ctx) {
    const m = r.makeup;
    if (!m) return null;
    const name = (id) => ctx.categoryName(id);
    const surplus = Object.entries(m.surplus);
    const left = Object.entries(m.unallocated);
    return this.section(`补学：${m.label}`, "makeup",
      h("p", {}, `本年度超出要求的学时：${surplus.length ? surplus.map(([k, v]) => `${name(k)} ${fmt(v)} 学时`).join("、") : "无"}；可分配至 ${m.target_years.join("、")} 年度。`),
      m.allocations.length ? h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ["年度", "科目", "分配学时"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, m.allocations.map((a) => h("tr", {},
          h("th", { scope: "row" }, String(a.year)), h("td", {}, name(a.category)), h("td", {}, fmt(a.hours))))))) 
        : h("p", { class: "hint" }, "没有可分配的学时（或以往年度未填写该年要求）。"),
      left.length ? h("p", {}, `未分配：${left.map(([k, v]) => `${name(k)} ${fmt(v)} 学时`).join("、")}`) : null,
      this.cite(m.citation));
  }

  activities(r, ctx) {
    if (!r.activities.length) return this.section("各项学习", "activities-result", h("p", { class: "hint" }, "尚未填写任何学习或成果。"));
    return this.section("各项学习", "activities-result",
      h("ol", { class: "activity-lines" }, r.activities.map((a) => h("li", {
        class: a.counted ? "counted" : "not-counted", value: String(ctx.activityNumber(a.index)),
      },
        h("div", { class: "line-head" },
          h("span", { class: "line-name" }, a.name),
          h("span", { class: "line-hours" }, a.counted ? `${fmt(a.hours)} 学时` : "不计入")),
        h("p", { class: "line-meta" }, [a.kind_label, a.category_name, `${fmt(a.quantity)} ${a.unit}`].filter(Boolean).join(" · ")),
        h("p", { class: "line-reason" }, a.reason)))));
  }

  warnings(r) {
    if (!r.warnings.length) return null;
    return this.section("提示", "warnings",
      h("ul", {}, r.warnings.map((w) => h("li", {}, h("p", {}, w.message), w.citation ? this.cite(w.citation, true) : null))));
  }

  evidence(r) {
    const groups = new Map();
    for (const a of r.activities) {
      if (!a.evidence.length) continue;
      const list = groups.get(a.kind_label) || new Set();
      a.evidence.forEach((e) => list.add(e));
      groups.set(a.kind_label, list);
    }
    for (const e of r.exceptions.filter((x) => x.applies && x.evidence.length)) groups.set(e.label, new Set(e.evidence));
    if (!groups.size) return null;
    return this.section("请保存的证明材料", "evidence-list",
      h("ul", {}, [...groups].map(([label, items]) => h("li", {}, h("strong", {}, label), h("ul", {}, [...items].map((e) => h("li", {}, e)))))));
  }

  trace(r) {
    return h("details", { class: "result-part trace-box", id: "trace" },
      h("summary", {}, `计算过程（${r.trace.length} 步，每步附政策原文）`),
      h("ol", { class: "trace" }, r.trace.map((t) => h("li", { class: `trace-${t.step}` },
        h("p", { class: "trace-text" }, t.text),
        t.citation ? this.cite(t.citation) : h("p", { class: "cite cite-none" }, "（本步骤没有单独的条文依据）")))));
  }

  /** For print: every distinct quote once (the trace repeats them), with the tool's readings of it. */
  printCitations(r) {
    const byQuote = new Map();
    for (const t of r.trace) {
      if (!t.citation) continue;
      const c = t.citation;
      const key = `${c.document}|${c.section}|${c.quote}`;
      const entry = byQuote.get(key) || { ...c, readings: [] };
      if (c.interpretation && !entry.readings.includes(c.interpretation)) entry.readings.push(c.interpretation);
      byQuote.set(key, entry);
    }
    return h("section", { class: "result-part print-only print-cites" },
      h("h3", {}, "政策依据（原文摘录）"),
      [...byQuote.values()].map((c) => this.cite({ ...c, interpretation: c.readings.join(" ") || null }, true)));
  }

  /** One citation: document, section, quote, and the tool's reading (visibly distinct). */
  cite(c, compact = false) {
    const [section, entry] = c.rule.split("/");
    const guide = this.opts.guideBase
      ? h("a", { class: "cite-link", href: `${this.opts.guideBase}${encodeURIComponent(c.origin)}/#${encodeURIComponent(`${section}-${entry}`)}` }, "在政策指南中查看")
      : null;
    // The quoted passage in the original notice (a link the build computed: forms data "passages").
    const passage = this.opts.guideBase && this.opts.passages
      ? this.opts.passages[`${c.document}\n${c.quote.replace(/\s+/g, "")}`] : undefined;
    const original = passage ? h("a", { class: "cite-link cite-passage", href: `${this.opts.guideBase}${passage}` }, "在原文中查看") : null;
    return h("div", { class: `cite${compact ? " cite-compact" : ""}`, dataset: { ruleSet: this.ruleSet || "", origin: c.origin, rule: c.rule } },
      h("p", { class: "cite-source" }, h("span", { class: "cite-tag" }, "依据"),
        h("span", { class: "cite-doc" }, c.document),
        c.document_title ? h("span", { class: "cite-title" }, `《${c.document_title}》`) : null,
        h("span", { class: "cite-section" }, c.section)),
      h("blockquote", { class: "cite-quote" }, `“${c.quote}”`),
      c.interpretation ? h("p", { class: "cite-interp" }, h("span", { class: "cite-interp-tag" }, "本工具的理解"), c.interpretation) : null,
      guide, original);
  }
}
