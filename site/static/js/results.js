// Rendering a result (calculator/models/result.py, format xueshi.result/2), in layers:
//   1. the status block: the verdict (a title applicant's title verdict first, the year's
//      beside it) and the CLI's own summary lines (bridge: summary_lines), one phone screen;
//   2. what is left and how to close it (result.plan), one block per requirement, the title
//      application, the facts the verdict rests on, exceptions (those that apply, then the
//      others, phrased as what would make them apply), money, multi-year tables, activities;
//   3. the full trace, collapsed, each quoted passage shown once (later steps refer to it).
// Every word comes from the result or from form().vocabulary (calculator/engine/words.py); the
// only number format is dom.js fmt (the same as words.num).
//
// Citations: <div class="cite" data-rule-set data-origin data-rule>. When the
// page has <meta name="xueshi-guide" content="guide/">, each also links to
// guide/<origin>/#<section>-<entry-id> (rule = "<section>/<entry-id>").

import { fmt, fmtDate, h, patch } from "./dom.js";

/**
 * A part as drawn (null: nothing), keyed for patch by its class: a part that appears, such as
 * the plan when a requirement falls short, must not be matched against the part that was there.
 */
function keyed(value) {
  const parts = [value].flat().filter(Boolean);
  for (const part of parts) if (part.nodeType === 1 && !part.id) part.dataset.key = `part:${part.className}`;
  return parts;
}

export const STATUS = {
  met: { icon: "✓", cls: "good" },
  deemed_complete: { icon: "✓", cls: "good" },
  provisionally_met: { icon: "◐", cls: "caution" },
  exemption_available: { icon: "!", cls: "caution" },
  short: { icon: "✗", cls: "bad" },
};

/** The verdict a person asked about: the title application's for an applicant, else the year's. */
export function headline(r) {
  return r.title ? { status: r.title.status, label: r.title.status_label } : { status: r.status, label: r.status_label };
}

/** The status block: {state: "loading"|"failed"|"blocked"|"result", ...}. */
export function renderStatus(el, view) {
  const line = (icon, label, summary, cls, extra = null) => {
    el.className = `status status-${cls}`;
    el.replaceChildren(
      h("p", { class: "status-line" }, h("span", { class: "status-icon", "aria-hidden": "true" }, icon),
        h("span", { class: "status-label" }, label), extra),
      summary,
    );
  };
  const text = (message) => h("p", { class: "status-summary" }, message);
  if (view.state === "loading") line("…", "正在准备计算", text(view.message), "pending");
  else if (view.state === "failed") line("!", "无法计算", text(view.message), "bad");
  else if (view.state === "blocked") line("!", "请先修改输入", text(view.message), "caution");
  else {
    const r = view.result;
    const head = headline(r);
    const s = STATUS[head.status] || { icon: "?", cls: "pending" };
    const year = r.title ? h("span", { class: "status-year", dataset: { status: r.status } }, `${r.year}年度：${r.status_label}`) : null;
    const lines = view.summaryLines && view.summaryLines.length ? view.summaryLines : [r.summary];
    line(s.icon, head.label, h("ul", { class: "status-summary summary-lines" }, lines.map((t) => h("li", {}, t))), s.cls, year);
    const deadline = r.title && r.title.deadline;
    if (deadline) el.append(h("p", { class: "deadline title-deadline" }, `${deadline.label}：`, h("strong", {}, fmtDate(deadline.date))));
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
    this.token = 0; // the latest drawing begun: an older one still under way stops
    // One listener for the problems' links (the drawn result is patched in place, js/dom.js patch).
    body.addEventListener("click", (e) => {
      const link = e.target.closest("a[data-field]");
      if (!link || !body.contains(link)) return;
      e.preventDefault();
      this.opts.focusField(link.dataset.field);
    });
  }

  /**
   * The result's parts, built one at a time: a paced drawing (js/dom.js pacer) lets the browser
   * draw and handle input between them, so that no task is long on a phone (issue #22).
   * @param {{result: object|null, problems: Array<{fieldId, where, message}>}} outcome
   */
  *parts(outcome, ctx) {
    const r = outcome.result;
    this.ruleSet = r ? r.rule_set.id : ctx.ruleSet;
    this.words = ctx.vocabulary;
    this.unit = r ? r.rule_set.unit_name : "";
    yield this.problems(outcome.problems);
    if (!r) return;
    const rs = r.rule_set;
    const span = rs.period_years > 1 ? `${rs.year}—${rs.last_year}年周期，核查${r.year}年` : `${rs.year}年度`;
    yield h("p", { class: "ruleset-ref" }, "依据：", h("strong", {}, rs.title),
      `（${rs.regime_name}，${span}；规则最近核对于 ${fmtDate(rs.last_checked)}）`);
    yield this.provenance(r, ctx.provenanceLines || []);
    yield this.warnings(r);
    yield this.plan(r);
    yield this.requirements(r);
    yield this.deadline(r);
    yield this.title(r);
    yield this.facts(r);
    yield this.exceptions(r);
    yield this.fees(r);
    yield this.carryOver(r);
    yield this.makeup(r, ctx);
    yield this.activities(r, ctx);
    yield this.evidence(r);
    yield this.trace(r);
    yield this.printCitations(r);
  }

  /**
   * Whether `ctx` is drawn afresh (`draw`) rather than patched into what is there (`build`,
   * `place`): another draft (ctx.generation, js/store.js), no generation given, or nothing drawn.
   */
  afresh(ctx) {
    return ctx.generation === undefined || ctx.generation !== this.generation || !this.body.firstChild;
  }

  /**
   * Draw into an empty body, each part as soon as it is built (so each frame lays out a part,
   * not the whole result). False when `pace` said stop or another drawing began meanwhile.
   */
  async draw(outcome, ctx, pace) {
    const token = ++this.token;
    this.body.replaceChildren();
    this.generation = ctx.generation;
    for (const value of this.parts(outcome, ctx)) {
      this.body.append(...keyed(value));
      if (!(await pace()) || token !== this.token) return false;
    }
    return true;
  }

  /**
   * Build the parts (paced) for `place`, which changes what is on screen in one go: the same
   * draft recomputed, only what differs changes (what the person opened stays open). Null when
   * `pace` said stop or another drawing began meanwhile.
   */
  async build(outcome, ctx, pace) {
    const token = ++this.token;
    const drawn = [];
    for (const value of this.parts(outcome, ctx)) {
      drawn.push(...keyed(value));
      if (!(await pace()) || token !== this.token) return null;
    }
    return { drawn, token, generation: ctx.generation };
  }

  /** Put what `build` made on screen, unless another drawing began since. */
  place(built) {
    if (built.token !== this.token) return false;
    this.generation = built.generation;
    patch(this.body, h("div", {}, built.drawn));
    return true;
  }

  /** Draw `outcome` at once, in one task (the batch page's one person). */
  render(outcome, ctx) {
    const token = ++this.token;
    const drawn = [...this.parts(outcome, ctx)].flatMap(keyed);
    if (this.afresh(ctx)) this.body.replaceChildren();
    this.place({ drawn, token, generation: ctx.generation });
  }

  /** Remove the result (and stop any drawing under way). */
  clear() {
    this.token += 1;
    this.body.replaceChildren();
  }

  /**
   * Where the figures come from: the bridge's provenance lines (a parent's rules applied for lack
   * of the place's own, a standing rule, each caution about the texts: explain.provenance_lines),
   * then every source with its kind, document number, issuer, date and where it was found.
   */
  provenance(r, lines) {
    const w = this.words.provenance;
    const rs = r.rule_set;
    const warned = lines.length > 0 && (rs.fallback || rs.cautions.length);
    const bare = (t) => t.replace(/^《|》$/g, ""); // a text without a number is named by its title
    const source = (s) => h("li", { class: "source", dataset: { kind: s.kind } },
      h("strong", {}, s.name), s.title && bare(s.title) !== bare(s.name) ? `《${bare(s.title)}》` : "",
      h("span", { class: `source-kind kind-${s.kind}` }, s.kind_name),
      h("dl", { class: "source-facts" },
        s.issuer ? [h("dt", {}, w.issuer), h("dd", {}, s.issuer)] : null,
        s.date ? [h("dt", {}, w.date), h("dd", {}, fmtDate(s.date))] : null,
        s.retrieved ? [h("dt", {}, w.retrieved), h("dd", {}, fmtDate(s.retrieved))] : null,
        s.missing ? [h("dt", {}, w.missing), h("dd", {}, s.missing)] : null,
        s.urls && s.urls.length ? [h("dt", {}, w.original), h("dd", {}, s.urls.map((u) =>
          h("a", { href: u, rel: "noopener noreferrer", target: "_blank", class: "source-url" }, u)))] : null,
      ));
    return h("section", { class: `result-part provenance${warned ? " warned" : ""}`, id: "provenance", "aria-labelledby": "provenance-title" },
      h("h3", { id: "provenance-title" }, w.heading),
      lines.length ? h("ul", { class: "provenance-lines" }, lines.map((t) => h("li", {}, t))) : null,
      h("details", { class: "sources", open: warned ? true : null },
        h("summary", {}, `${w.source}（${rs.sources.length}）`),
        h("ul", { class: "source-list" }, rs.sources.map(source))),
      h("p", { class: "hint" }, `${w.last_checked} ${fmtDate(rs.last_checked)}`),
    );
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
          ? h("a", { href: `#${p.fieldId}`, dataset: { field: p.fieldId } },
            p.where ? `${p.where}：${p.message}` : p.message)
          : (p.where ? `${p.where}：${p.message}` : p.message)))));
  }

  /** What is left and how to close it: each shortfall with the rule set's ways, cheapest first. */
  plan(r) {
    if (!r.plan.length) return null;
    const u = this.unit;
    return this.section("还差多少、怎样补足", "plan",
      h("p", { class: "hint" }, "按本规则集的折算标准，下面任选一种（或组合）即可补足；有费用的按费用从低到高排列。"),
      r.plan.map((gap) => h("div", { class: "gap", dataset: { req: gap.requirement, key: `gap:${gap.requirement}` } },
        h("h4", {}, `${gap.label}：还差 `, h("strong", { class: "gap-shortfall" }, fmt(gap.shortfall)), ` ${u}`),
        gap.ways.length
          ? h("ol", { class: "ways" }, gap.ways.map((w) => h("li", { class: "way", dataset: { kind: w.kind } },
            h("p", { class: "way-text" }, w.text),
            h("details", { class: "way-cite" }, h("summary", {}, "依据"), this.cite(w.citation, true)))))
          : h("p", { class: "hint" }, "本规则集没有可用于补足这一项的折算方式。"))));
  }

  requirements(r) {
    const u = this.unit;
    return this.section(`${u}要求与完成情况`, "requirements",
      h("ul", { class: "req-list" }, r.requirements.map((line) => {
        const ok = line.state !== "short";
        const value = Math.min(line.earned, line.required);
        const scope = line.over === "period" ? "（整个周期合计）" : "";
        return h("li", { class: `req ${ok ? "req-ok" : "req-short"}`, dataset: { req: line.id, state: line.state, key: `req:${line.id}` } },
          h("div", { class: "req-head" },
            h("span", { class: "req-label" }, line.label, scope),
            h("span", { class: "req-figures" },
              h("span", { class: "req-earned" }, fmt(line.earned)), " / ",
              h("span", { class: "req-required" }, fmt(line.required)), ` ${u}`),
            h("span", { class: "req-state" }, h("span", { "aria-hidden": "true" }, ok ? "✓ " : "✗ "), line.state_label)),
          h("progress", { max: String(line.required), value: String(value),
            "aria-label": `${line.label}：已取得${fmt(line.earned)}${u}，要求${fmt(line.required)}${u}` }),
          line.alternative ? h("p", { class: "req-alt" },
            `或按${line.alternative.unit}数：要求 ${fmt(line.alternative.amount)} ${line.alternative.unit}，已有 ${fmt(line.alternative.earned)} ${line.alternative.unit}`,
            line.alternative.met ? "（已达到）" : "") : null,
          h("details", { class: "req-cite" }, h("summary", {}, "依据"), this.cite(line.citation, true)),
        );
      })));
  }

  deadline(r) {
    if (!r.deadline) return null;
    return h("p", { class: "deadline" }, `${r.deadline.label}：`, h("strong", {}, fmtDate(r.deadline.date)));
  }

  /** Exceptions that apply; the others apart, each said as what would make it apply (its reason). */
  exceptions(r) {
    const applied = r.exceptions.filter((e) => e.applies);
    const others = r.exceptions.filter((e) => !e.applies);
    return [
      applied.length ? this.section("适用的例外情形", "exceptions",
        h("ul", {}, applied.map((e) => h("li", { dataset: { exception: e.id } }, e.reason,
          e.evidence.length ? h("p", { class: "hint" }, `需提供：${e.evidence.join("；")}`) : null)))) : null,
      others.length ? h("details", { class: "result-part exceptions-other" },
        h("summary", {}, `其他例外情形（目前不适用，${others.length} 项）`),
        h("ul", {}, others.map((e) => h("li", { dataset: { exception: e.id } }, e.reason)))) : null,
    ];
  }

  /** The derived facts the verdict rests on, by their names (vocabulary.facts). */
  facts(r) {
    const entries = Object.entries(r.facts || {});
    if (!entries.length) return null;
    const w = this.words;
    const shown = (v) => (v === null || v === undefined ? w.fact_none : v === true ? w.yes : v === false ? w.no
      : typeof v === "string" ? v : fmt(v)); // a question's answer comes by its choice's name
    return this.section("据以判断的情况", "facts",
      h("dl", { class: "facts-list" }, entries.map(([name, value]) => [
        h("dt", {}, (r.fact_labels || {})[name] || w.facts[name] || name), h("dd", { dataset: { fact: name } }, shown(value))])));
  }

  /** The title application: its verdict, deadline and the year-by-year window. */
  title(r) {
    const t = r.title;
    if (!t) return this.window(r.title_window, r);
    return this.section(`职称申报：${t.status_label}`, `title title-${t.status}`,
      h("p", { class: "title-summary" }, t.summary),
      t.deadline ? h("p", { class: "deadline" }, `${t.deadline.label}：`, h("strong", {}, fmtDate(t.deadline.date))) : null,
      t.late_hours ? h("p", { class: "hint" }, `其中 ${fmt(t.late_hours)} ${this.unit}晚于申报截止日期，不能用于本次申报。`) : null,
      this.window(t.window, r, false));
  }

  carryOver(r) {
    const co = r.carry_over;
    if (!co) return null;
    const u = this.unit;
    return this.section(`结转：${co.label}`, "carry-over",
      co.lines.length
        ? h("ul", {}, co.lines.map((x) => h("li", {}, `${x.from_year}年${x.category_name}：${fmt(x.hours)} ${u}`)))
        : h("p", { class: "hint" }, `没有可结转的${u}。`),
      this.cite(co.citation, true));
  }

  fees(r) {
    const f = r.fees;
    if (!f) return null;
    return this.section("课时费用", "fees",
      h("ul", {}, f.categories.map((c) => h("li", {},
        `${c.category_name}：${fmt(c.yuan_per_hour)} 元/${this.unit}；已学平台课程 ${fmt(c.paid_hours)} ${this.unit}`,
        c.free_hours_used ? `（其中免费 ${fmt(c.free_hours_used)} ${this.unit}）` : "",
        `，${fmt(c.amount)} 元`,
        c.hours_to_complete ? `；补足还需 ${fmt(c.hours_to_complete)} ${this.unit}，约 ${fmt(c.amount_to_complete)} 元` : ""))),
      h("dl", { class: "money" },
        h("dt", {}, "已发生费用"), h("dd", { id: "fee-so-far" }, `${fmt(f.amount_so_far)} 元`),
        f.amount_to_complete ? [h("dt", {}, "补足约需"), h("dd", {}, `${fmt(f.amount_to_complete)} 元`)] : null,
        h("dt", {}, "费用合计"), h("dd", { id: "fee-total" }, `${fmt(f.total)} 元`),
        f.reimbursement_limit !== null ? [h("dt", {}, "报账限额"), h("dd", {}, `${fmt(f.reimbursement_limit)} 元`)] : null,
        h("dt", {}, "可报销"), h("dd", { id: "fee-reimbursable" }, h("strong", {}, `${fmt(f.reimbursable)} 元`))));
  }

  /** A title window as a table: one column per category the years require (result.categories). */
  window(w, r, own = true) {
    if (!w) return null;
    const u = this.unit;
    const source = this.words.window_sources;
    const cats = [];
    for (const y of w.years) for (const c of Object.keys(y.required)) if (!cats.includes(c)) cats.push(c);
    const name = (c) => r.categories[c] || c;
    const need = (y) => [...cats.map((c) => fmt(y.required[c] ?? 0)), fmt(y.total_required)].join("/");
    const uniform = new Set(w.years.map(need)).size === 1;
    const first = w.years[0];
    const head = ["年度", ...cats.map(name), "合计", uniform ? null : "要求", "达标", "来源"].filter(Boolean);
    const each = uniform && first
      ? `；每年要求${cats.map((c) => `${name(c)} ${fmt(first.required[c])}`).join("、")}、合计 ${fmt(first.total_required)} ${u}。` : "。";
    const content = [
      w.measure === "sum" ? h("p", {}, h("strong", {}, w.text)) :
      h("p", {}, `${w.label}：计 ${w.start_year}—${w.end_year} 年，`, h("strong", {}, w.all_met ? "各年度均已达标" : "尚有年度未达标或未填写"), each),
      // focusable: on a phone the table scrolls sideways, and a keyboard must reach that
      h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${w.label}：各年度${u}` }, h("table", { class: "compact window-table" },
        h("thead", {}, h("tr", {}, head.map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, w.years.map((y) => h("tr", { class: y.met || w.measure === "sum" ? "" : "row-short", dataset: { year: String(y.year) } },
          h("th", { scope: "row" }, String(y.year)),
          cats.map((c) => h("td", {}, y.hours === null || y.hours[c] === undefined ? "—" : fmt(y.hours[c]))),
          h("td", {}, y.total === null ? "—" : fmt(y.total)),
          uniform ? null : h("td", {}, need(y)),
          h("td", {}, w.measure === "sum" ? y.state_label : y.met ? "✓ 是" : "✗ 否"),
          h("td", {}, source[y.source] || y.source)))))),
      this.cite(w.citation),
    ];
    return own ? this.section(`职称申报${u}年限：${w.label}`, "window", content) : h("div", { class: "window" }, content);
  }

  makeup(r, ctx) {
    const m = r.makeup;
    if (!m) return null;
    const name = (id) => r.categories[id] || ctx.categoryName(id);  // "total" of a total-only rule set: named by the result
    const surplus = Object.entries(m.surplus);
    const left = Object.entries(m.unallocated);
    return this.section(`补学：${m.label}`, "makeup",
      h("p", {}, `本年度超出要求的${this.unit}：${surplus.length ? surplus.map(([k, v]) => `${name(k)} ${fmt(v)} ${this.unit}`).join("、") : "无"}；可分配至 ${m.target_years.join("、")} 年度。`),
      m.allocations.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `补学分配` }, h("table", {},
        h("thead", {}, h("tr", {}, ["年度", "科目", `分配${this.unit}`].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, m.allocations.map((a) => h("tr", {},
          h("th", { scope: "row" }, String(a.year)), h("td", {}, name(a.category)), h("td", {}, fmt(a.hours))))))) 
        : h("p", { class: "hint" }, `没有可分配的${this.unit}（或以往年度未填写该年要求）。`),
      left.length ? h("p", {}, `未分配：${left.map(([k, v]) => `${name(k)} ${fmt(v)} ${this.unit}`).join("、")}`) : null,
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
          h("span", { class: "line-hours" }, a.counted ? `${fmt(a.hours)} ${this.unit}` : "不计入")),
        h("p", { class: "line-meta" }, [a.kind_label, a.category_name, `${fmt(a.quantity)} ${a.unit}`].filter(Boolean).join(" · ")),
        h("p", { class: "line-reason" }, a.reason)))));
  }

  /** Warnings (e.g. a year outside the title window); the tool's readings of the text are in the trace. */
  warnings(r) {
    const list = r.warnings.filter((w) => w.code !== "interpretation");
    if (!list.length) return null;
    return this.section("提示", "warnings",
      h("ul", {}, list.map((w) => h("li", { dataset: { code: w.code } }, h("p", {}, w.message),
        w.citation ? h("details", { class: "warning-cite" }, h("summary", {}, "依据"), this.cite(w.citation, true)) : null))));
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

  /**
   * The full calculation, collapsed. Each quoted passage is shown once, numbered 〔n〕 and
   * itself collapsed; a later step resting on the same passage says "依据：同〔n〕" (as the CLI).
   * Exceptions that do not apply are listed apart above, so they are left out here too.
   */
  trace(r) {
    const steps = r.trace.filter((t) => !(t.step === "exception" && !(t.figures && t.figures.applies)));
    const seen = new Map();
    const basis = (c) => {
      if (!c) return h("p", { class: "cite cite-none" }, "（本步骤没有单独的条文依据）");
      const key = `${c.document}|${c.section}|${c.quote}`;
      if (seen.has(key)) return h("p", { class: "cite-ref" }, `依据：同〔${seen.get(key)}〕`);
      seen.set(key, seen.size + 1);
      return h("details", { class: "trace-cite" }, h("summary", {}, `依据〔${seen.get(key)}〕：${c.document} ${c.section}`), this.cite(c));
    };
    return h("details", { class: "result-part trace-box", id: "trace" },
      h("summary", {}, `计算过程（${steps.length} 步，附政策原文）`),
      h("ol", { class: "trace" }, steps.map((t) => h("li", { class: `trace-${t.step}`, dataset: { rule: t.rule || "" } },
        h("p", { class: "trace-text" }, t.text),
        basis(t.citation)))));
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
