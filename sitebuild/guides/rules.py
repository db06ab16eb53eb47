"""One guide page per rule set, written from its effective (resolved) rules.

Every entry is a heading with the anchor `<section>-<entry-id>`; under it, what the
entry says, then its source text in a 原文 box and, where the rule file records one, the
tool's reading in a separate 本工具的理解 box. A child rule set shows the full effective
rules with the origin of each entry, and a section listing what it changes.
"""

from __future__ import annotations

from typing import Any

from calculator.engine.conditions import describe
from calculator.engine.resolve import ResolvedRuleSet
from calculator.engine.words import days_text, in_unit, total_name
from calculator.models.rules import (
    LEVEL_NAMES, UNIT_NAMES, Citation, ChoiceOption, Conversion, ConversionRow, IntRange, RuleSet,
)

from calculator.engine.provenance import source_refs
from calculator.engine.words import PROVENANCE_COMPLETE, PROVENANCE_ISSUERS_OWN, PROVENANCE_LABELS, provenance_caution
from calculator.models.rules import PROVENANCE_KINDS

from .compare import child_changes_markdown
from .examples import RunExample, example_markdown
from .markdown import admonition, bullet_list, cell, code, esc, num, table
from .context import (
    DEGREES, EXCEPTION_EFFECTS, EXCLUSION_EFFECTS, FIELDS, PAGE_SECTIONS, SECTION_TITLES, TITLE_LEVELS,
    GuideContext, anchor, md_link, rule_page,
)


# How the calculator applies each section (what the engine does, in one sentence each).
SECTION_INTROS: dict[str, str] = {
    "requirements": "每一项要求都须分别达到：一个科目多学的学时不能弥补另一个科目的不足。",
    "conversions": "每类活动按下表折算；有多行时，适用第一行符合所填选项的标准。",
    "exceptions": (
        "“视同完成”：本年度视为已完成全部要求；“可申请免训”：须本人申请并提供证明，本工具只作提示，不视为完成；"
        "“暂视同完成”：相关科目暂按完成处理，之后须按规定补充证明。"
    ),
    "exclusions": "在计算器中对某项活动勾选了下列问题时，该项活动不计入学时。",
    "title_windows": "申报职称的人员按下列顺序匹配，适用第一个符合申报级别、学历和专业类别的条目。",
    "makeup": "适用第一个条件成立的补学规定。",
}


class _Page:
    """Writes one rule set's page; knows the effective rules and where each entry came from."""

    def __init__(self, rs: RuleSet, ctx: GuideContext, examples: list[RunExample]):
        self.rs = rs
        self.ctx = ctx
        self.examples = examples
        self.resolved: ResolvedRuleSet = ctx.resolved(rs.id)
        self.rules = self.resolved.rules
        self.page = rule_page(rs.id)
        self.parent: ResolvedRuleSet | None = ctx.resolved(rs.extends) if rs.extends else None

    # ------------------------------------------------------------ small pieces

    def u(self, text: str) -> str:
        """The tool's own words in this rule set's unit (学时 or 学分)."""
        return in_unit(text, self.rs.unit_name)

    def cat_name(self, category: str | None, over: str = "year") -> str:
        if category is None:
            return total_name(self.rs.unit_name, over == "period")
        cat = self.resolved.categories.get(category)
        return cat.name if cat else category

    def _target(self, req) -> str:
        """What a requirement adds up: a category, several, or the total (of a year or the cycle)."""
        if req.categories:
            return ("或".join if req.combine == "any" else "+".join)(self.cat_name(c) for c in req.categories) + (
                "（任一科目达到即可）" if req.combine == "any" else "")
        return self.cat_name(req.category, req.over if self.rs.period_years > 1 else "year")

    def entry_ref(self, section: str, entry_id: str, text: str) -> str:
        return f"[{esc(text)}](#{anchor(section, entry_id)})"

    def conv_ref(self, kind: str) -> str:
        conv = self.resolved.conversions.get(kind)
        return self.entry_ref("conversions", kind, conv.label if conv else kind)

    def citation(self, cite: Citation, title: str = "原文") -> str:
        source = self.resolved.sources[cite.source]
        heading = f"{title} · {source.name} · {cite.section}"
        passage = (
            self.ctx.sources.passage_href(source.text_file, cite.quote, self.page) if self.ctx.sources else None
        )
        in_context = f"，[在原文中查看]({passage})" if passage else ""
        body = esc(cite.quote) + "\n\n" + (
            f"出处：《{esc(source.title)}》，[{esc(source.name)}](#{anchor('sources', source.id)})，{esc(cite.section)}"
            f"{in_context}\n{{: .xs-cite }}"
        )
        return admonition("quote", heading, body, classes="xs-source")

    def interpretation(self, text: str | None) -> str:
        if not text:
            return ""
        return admonition("note", "本工具的理解", esc(text), classes="xs-reading")

    def origin_line(self, section: str, entry_id: str) -> str:
        """For a child rule set: where this effective entry comes from."""
        if self.parent is None:
            return ""
        origin = self.resolved.origin_of(section, entry_id)
        if origin != self.rs.id:
            link = md_link(self.page, rule_page(origin), anchor(section, entry_id))
            return f'<span class="xs-origin">沿用：[{esc(self.ctx.title(origin))}]({link})</span>\n'
        in_parent = any(e.id == entry_id for e in getattr(self.parent.rules, section))
        what = "替换上级规则的同名条目" if in_parent else "新增"
        return f'<span class="xs-origin xs-origin--own">本规则集{what}</span>\n'

    def heading(self, section: str, entry_id: str, title: str) -> str:
        return f"### {esc(title)} {{#{anchor(section, entry_id)}}}\n\n" + self.origin_line(section, entry_id)

    def cited(self, section: str, entry: Any, title: str, body: str) -> str:
        parts = [self.heading(section, entry.id, title), body]
        if getattr(entry, "citation", None) is not None:
            parts.append(self.citation(entry.citation))
        parts.append(self.interpretation(getattr(entry, "interpretation", None)))
        return "\n".join(p for p in parts if p) + "\n"

    # ------------------------------------------------------------ sections

    def overview(self) -> str:
        rs, j = self.rs, self.rs.jurisdiction
        facts = [
            f"**辖区**：{esc(j.name)}（{LEVEL_NAMES[j.level]}级）",
            f"**适用对象**：{esc(rs.regime_name)}",
            f"**年度**：{rs.year}" if rs.period_years == 1 else f"**周期**：{rs.year}—{rs.last_year}年（{rs.period_years}年一个周期）",
            *([f"**年度的起止**：{days_text(rs.span(rs.year)[0], rs.span(rs.last_year)[1])}（每个年度从"
               f"{'上一年' if rs.year_begins.year == 'previous' else '当年'}{rs.year_begins.month}月{rs.year_begins.day}日开始）"]
              if rs.year_begins else []),
            f"**计量单位**：{rs.unit_name}",
            f"**最近与原文核对**：{rs.last_checked.isoformat()}",
            f"**规则集 id**：{code(rs.id)}",
        ]
        if rs.extends:
            link = md_link(self.page, rule_page(rs.extends))
            facts.insert(1, f"**上级规则**：[{esc(self.ctx.title(rs.extends))}]({link})")
        calc = self.ctx.calculator(self.page, query=f"rule_set={rs.id}")
        span = f"{rs.year}年度" if rs.period_years == 1 else f"{rs.year}—{rs.last_year}年周期"
        scope = f"本规则集适用于{esc(j.name)}的{esc(rs.regime_name)}（{span}）。"
        if rs.extends:
            scope += "它建立在上级规则之上，只写明自己增加、替换或删除的条目；本页列出合并后的完整有效规则。"
        out = [
            f"# {esc(rs.title)}\n",
            '<div class="xs-meta" markdown>\n\n' + bullet_list(facts) + "\n</div>\n",
            self.provenance_box(),
            f"[{self.u('用本规则自查学时')}]({calc}){{ .md-button .md-button--primary }}\n",
            "## 适用范围 {#scope}\n",
            scope + "\n",
        ]
        if rs.summary:
            out.append(esc(rs.summary) + "\n")
        if rs.year_begins is not None:
            out += [self.citation(rs.year_begins.citation, "原文（年度的起止）"), self.interpretation(rs.year_begins.interpretation)]
        reqs = self.rules.requirements
        if reqs:
            rows = []
            for req in reqs:
                alt = ""
                if req.alternative:
                    alt = f"或 {num(req.alternative.amount)} {UNIT_NAMES[req.alternative.unit]}"
                rows.append([
                    self.entry_ref("requirements", req.id, req.label), cell(self._target(req)),
                    num(req.hours) + ("（周期合计）" if req.over == "period" and self.rs.period_years > 1 else ""),
                    cell(alt or "—"),
                ])
            out += [self.u("\n**学时要求一览**\n"), table(["要求", "科目", self.u("学时（不少于）"), "其他方式"], rows)]
        return "\n".join(out) + "\n"

    def requirements(self) -> str:
        out = []
        for req in self.rules.requirements:
            rows = [["科目", cell(self._target(req))], [f"{self.rs.unit_name}（不少于）", num(req.hours)],
                    ["累计", "整个周期合计" if req.over == "period" else "每个年度"]]
            parts = [self.heading("requirements", req.id, req.label), table(["项目", "内容"], rows),
                     self.citation(req.citation), self.interpretation(req.interpretation)]
            if req.alternative:
                alt = req.alternative
                kinds = "、".join(self.conv_ref(k) for k in alt.counted_from)
                parts += [
                    f"也可以按 **{num(alt.amount)} {UNIT_NAMES[alt.unit]}** 达到（计入：{kinds}）。\n",
                    self.citation(alt.citation, "原文（其他方式）"), self.interpretation(alt.interpretation),
                ]
            out.append("\n".join(p for p in parts if p) + "\n")
        return "".join(out)

    def categories(self) -> str:
        out = []
        for cat in self.rules.categories:
            body = f"科目 id：{code(cat.id)}"
            if cat.within:
                body += f"；属于{self.entry_ref('categories', cat.within, self.cat_name(cat.within))}"
            out.append(self.cited("categories", cat, cat.name, body + "\n"))
        return "".join(out)

    def _when(self, conv: Conversion, row: ConversionRow) -> str:
        parts = []
        options = {o.name: o for o in conv.options}
        for name, expected in row.when.items():
            option = options[name]
            if isinstance(expected, IntRange):
                if expected.min is not None and expected.max is not None:
                    value = f"{expected.min}—{expected.max}"
                elif expected.min is not None:
                    value = f"{expected.min} 及以上"
                else:
                    value = f"不超过 {expected.max}"
            else:
                value = option.choices.get(expected, expected) if isinstance(option, ChoiceOption) else str(expected)
            parts.append(f"{option.label}：{value}")
        return "；".join(parts) or "任何情况"

    def _rate(self, conv: Conversion, row: ConversionRow) -> str:
        text = self._one_rate(conv, row.hours, row.per)
        if row.then:
            unit = conv.quantity.counter_name
            stretches = [f"前 {num(row.up_to)} {unit}：{text}"]
            for tier in row.then:
                rate = self._one_rate(conv, tier.hours, tier.per)
                stretches.append(f"至 {num(tier.up_to)} {unit}：{rate}" if tier.up_to else f"其后：{rate}")
            text = "；".join(stretches)
        if row.max_hours is not None:
            text += f"；每项最多 {num(row.max_hours)} {self.rs.unit_name}"
        return text

    def _one_rate(self, conv: Conversion, hours: float, per: float) -> str:
        counter = conv.quantity.counter_name
        if per == 1:
            return f"每{counter} {num(hours)} {self.rs.unit_name}"
        return f"每 {num(per)} {UNIT_NAMES[conv.quantity.unit]} {num(hours)} {self.rs.unit_name}"

    def conversions(self) -> str:
        out = []
        for conv in self.rules.conversions:
            if conv.category:
                where = f"固定计入{self.entry_ref('categories', conv.category, self.cat_name(conv.category))}"
            else:
                where = "由本人选择计入：" + "、".join(
                    self.entry_ref("categories", c, self.cat_name(c)) for c in conv.category_choices or []
                )
            unit = UNIT_NAMES[conv.quantity.unit]
            facts = [
                f"填写：{esc(conv.quantity.label)}（单位：{unit}" + (f"，量词：{esc(conv.quantity.counter)}" if conv.quantity.counter else "") + "）",
                where,
            ]
            if not conv.produces_hours:
                facts.append(self.u("只计数量，不折算学时"))
            elif any(r.per != 1 for r in conv.rows):
                facts.append("不足一个计量单位的部分不计" if conv.rounding == "floor" else "按比例折算（不取整）")
            if conv.fee_applies:
                facts.append(self.u("属于按学时收费的平台课程（适用本规则集的费用规定）"))
            body = (esc(conv.description) + "\n\n" if conv.description else "") + bullet_list(facts)
            for option in conv.options:
                if isinstance(option, ChoiceOption):
                    choices = "、".join(esc(v) for v in option.choices.values())
                else:
                    choices = f"整数 {option.min}—{option.max}"
                body += f"\n本人需回答：**{esc(option.label)}**（{choices}）\n"
            if conv.rows:
                columns = [("条件", lambda r: self._when(conv, r), any(r.when for r in conv.rows)),
                           ("折算", lambda r: self._rate(conv, r), True),
                           ("标准", lambda r: r.label or "—", any(r.label for r in conv.rows))]
                shown = [(name, fn) for name, fn, used in columns if used]
                rows = [[cell(fn(r)) for _, fn in shown] for r in conv.rows]
                body += "\n" + table([name for name, _ in shown], rows)
            if conv.evidence:
                body += "\n需保存的证明材料：\n\n" + bullet_list(esc(e) for e in conv.evidence)
            parts = [self.heading("conversions", conv.id, conv.label), body, self.citation(conv.citation)]
            if conv.evidence_citation:
                parts.append(self.citation(conv.evidence_citation, "原文（证明材料）"))
            parts.append(self.interpretation(conv.interpretation))
            out.append("\n".join(p for p in parts if p) + "\n")
        return "".join(out)

    def exceptions(self) -> str:
        out = []
        for exc in self.rules.exceptions:
            facts = [f"效果：**{EXCEPTION_EFFECTS[exc.effect]}**", f"条件：{esc(describe(exc.when, self.resolved.questions))}"]
            if exc.effect == "provisional":
                cats = exc.categories or list(self.resolved.categories)
                facts.append("适用科目：" + "、".join(esc(self.cat_name(c)) for c in cats))
            if exc.evidence:
                facts.append("证明材料：" + "；".join(esc(e) for e in exc.evidence))
            out.append(self.cited("exceptions", exc, exc.label, bullet_list(facts)))
        return "".join(out)

    def exclusions(self) -> str:
        out = []
        for excl in self.rules.exclusions:
            kinds = "、".join(self.conv_ref(k) for k in excl.kinds) if excl.kinds else "所有活动"
            facts = [
                f"效果：**{EXCLUSION_EFFECTS[excl.effect]}**",
                f"适用的活动：{kinds}",
                f"计算器中的勾选问题：“{esc(excl.question)}”",
            ]
            out.append(self.cited("exclusions", excl, excl.label, bullet_list(facts)))
        return "".join(out)

    def deadlines(self) -> str:
        out = []
        for dl in self.rules.deadlines:
            facts = ([f"开始日期：**{dl.starts.isoformat()}**（早于此日期的学习不计入）"] if dl.starts else []) + [
                     f"日期：**{dl.date.isoformat()}**",
                     "适用于：" + (esc(describe(dl.applies_when, self.resolved.questions)) if dl.applies_when else "所有人")]
            out.append(self.cited("deadlines", dl, dl.label, bullet_list(facts)))
        return "".join(out)

    def title_windows(self) -> str:
        out = []
        for tw in self.rules.title_windows:
            m = tw.match
            facts = [
                "申报级别：" + "、".join(TITLE_LEVELS[x] for x in m.levels),
                "学历：" + ("、".join(DEGREES[x] for x in m.degrees) if m.degrees else "不限"),
                "专业类别：" + ("、".join(FIELDS[x] for x in m.fields) if m.fields else "不限"),
                (f"需核查的年度：**{tw.start_year}年起**" if tw.start_year is not None
                 else f"需核查的年度：**{'含申报当年在内的' if tw.through == 'this_year' else '申报当年之前的'}最近{tw.years}年**")
                + ("，各年度合计计算" if tw.measure == "sum" else "，每一年度都须达到当年要求"),
            ]
            if tw.start_year is not None and tw.through == "previous_year":
                facts[-1] = facts[-1].replace("年起**", "年起，到申报当年的上一年度为止**")
            for key, hours in (tw.totals or {}).items():
                name = self.cat_name(None) if key == "total" and key not in self.resolved.categories else self.cat_name(key)
                facts.append(f"年限内累计{esc(name)}不少于：**{num(hours)}{self.rs.unit_name}**")
            out.append(self.cited("title_windows", tw, tw.label, bullet_list(facts)))
        return "".join(out)

    def makeup(self) -> str:
        out = []
        for mk in self.rules.makeup:
            years = ("、".join(f"{y}年" for y in sorted(mk.target_years)) if mk.target_years
                     else f"本年度之前{mk.years_back}年")
            facts = [f"条件：{esc(describe(mk.when, self.resolved.questions))}", "可补的年度：" + years]
            if mk.max_years is not None:
                facts.append(f"一次最多认定：{mk.max_years}个年度")
            if mk.max_hours is not None:
                facts.append(f"最多补认定：{num(mk.max_hours)}{self.rs.unit_name}")
            if mk.categories:
                facts.append("科目：" + "、".join(self.cat_name(c) for c in mk.categories))
            out.append(self.cited("makeup", mk, mk.label, bullet_list(facts)))
        return "".join(out)

    def carry_over(self) -> str:
        out = []
        for co in self.rules.carry_over:
            facts = [f"条件：{esc(describe(co.when, self.resolved.questions))}", f"可从之前{co.years_back}年结转超出当年要求的部分"]
            if co.max_hours is not None:
                facts.append(f"最多结转：{num(co.max_hours)}{self.rs.unit_name}")
            if co.categories:
                facts.append("科目：" + "、".join(self.cat_name(c) for c in co.categories))
            out.append(self.cited("carry_over", co, co.label, bullet_list(facts)))
        return "".join(out)

    def caps(self) -> str:
        out = []
        for cap in self.rules.caps:
            facts = ["活动类型：" + "、".join(self.conv_ref(k) for k in cap.kinds),
                     f"{'每个年度' if cap.per == 'year' else '整个周期'}最多计入：**{num(cap.max_hours)}{self.rs.unit_name}**"]
            out.append(self.cited("caps", cap, cap.label, bullet_list(facts)))
        return "".join(out)

    def fees(self) -> str:
        out = []
        for fee in self.rules.fees:
            if fee.kind == "rate":
                title = f"{self.cat_name(fee.category)}课时费用"
                body = self.u(f"**{num(fee.yuan_per_hour)} 元/学时**（{esc(self.cat_name(fee.category))}，只对按学时收费的平台课程计算）")
            elif fee.kind == "free_hours":
                title = self.u(f"{self.cat_name(fee.category)}免费学时")
                body = f"**{num(fee.hours)} {self.rs.unit_name}**免费（{esc(self.cat_name(fee.category))}）"
            else:
                title = "报账限额"
                body = f"每人不超过 **{num(fee.yuan)} 元**"
            out.append(self.cited("fees", fee, title, body + "\n"))
        return "".join(out)

    def notes(self) -> str:
        return "".join(self.cited("notes", n, n.title, esc(n.text) + "\n") for n in self.rules.notes)

    def provenance_box(self) -> str:
        """What the figures rest on, before them: each cited text's kind, the cautions, the last check."""
        refs, cautions = source_refs(self.resolved)
        items = []
        for ref in refs:
            link = f"[{esc(ref.name)}](#{anchor('sources', ref.id)})"
            got = "；".join(filter(None, [
                f"{PROVENANCE_LABELS['retrieved']} {ref.retrieved}" if ref.retrieved else "",
                PROVENANCE_COMPLETE[ref.complete],
            ]))
            said = "，".join(filter(None, [esc(ref.issuer), ref.date]))  # a repost may lack 落款 and date
            items.append(f"{link}{f'（{said}）' if said else ''}：{esc(ref.kind_name)}；{got}")
        lines = [esc(c) + "。" for c in cautions] or [PROVENANCE_ISSUERS_OWN + "。"]
        body = "\n\n".join(lines + [
            bullet_list(items),
            f"**最近与原文核对**：{self.rs.last_checked.isoformat()}。各文件的网页地址、取得方式和未取得的部分见"
            f"[来源文件](#sources)。",
        ])
        kind = "warning" if cautions else "info"
        return (f'<div id="provenance-box" markdown>\n\n<span id="provenance"></span>\n\n'
                + admonition(kind, "本页依据的文本", body, classes="xs-provenance") + "\n</div>\n")

    def provenance_rows(self, src: Any) -> list[list[str]]:
        prov = src.provenance
        if prov is None:
            return []
        label = PROVENANCE_LABELS
        rows = [[label["kind"], cell(PROVENANCE_KINDS[prov.kind])]]
        if prov.urls:
            rows.append([label["urls"], "<br>".join(f"<{u}>" for u in prov.urls)])
        if prov.retrieved:
            rows.append([label["retrieved"], prov.retrieved.isoformat()])
        if prov.via:
            rows.append([label["via"], cell(prov.via)])
        rows.append([label["complete"], PROVENANCE_COMPLETE[prov.complete]])
        if prov.missing:
            rows.append([label["missing"], cell(prov.missing)])
        if prov.disagreements:
            rows.append([label["disagreements"], cell(prov.disagreements)])
        caution = provenance_caution(prov.kind, [src.name])
        if caution:
            rows.append(["注意", cell(caution)])
        return rows

    def sources(self) -> str:
        out = []
        for src in self.rules.sources:
            rows = [["文号", cell(src.number or "（无文号）")], ["标题", cell(src.title)], ["发文机关", cell(src.issuer or "（保存的文本没有落款）")],
                    ["日期", src.date.isoformat() if src.date else "（保存的文本没有日期）"]]
            rows += self.provenance_rows(src)
            if src.text_file:
                text = code(f"rules/sources/{src.text_file}") + "（引文逐字核对）"
                if self.ctx.sources and src.text_file in self.ctx.sources.texts:
                    page = self.ctx.sources.texts[src.text_file].page
                    text = f"[原文全文，引文处标出]({md_link(self.page, page)})；" + text
                rows.append(["原文文本", text])
            if src.note:
                rows.append(["说明", cell(src.note)])
            out.append(self.cited("sources", src, src.name, table(["项目", "内容"], rows)))
        return "".join(out)

    def not_encoded(self) -> str:
        out = []
        for doc in self.rules.not_encoded:
            body = f"《{esc(doc.title)}》\n\n未编码的原因：{esc(doc.why)}\n"
            out.append(self.cited("not_encoded", doc, doc.number, body))
        return "".join(out)

    # ------------------------------------------------------------ the page

    def examples_section(self) -> str:
        if not self.examples:
            return ""
        intro = (
            "以下示例来自规则文件旁的测试用例文件，**每个数字都由计算引擎在生成本页时算出**，"
            "并与用例中写明的期望结果逐项核对；不一致时本页不会生成。\n"
        )
        return "## 计算示例 {#examples}\n\n" + intro + "\n" + "\n".join(
            example_markdown(run, self.ctx) for run in self.examples
        )

    def markdown(self) -> str:
        out = [self.overview()]
        if self.parent is not None:
            out.append(child_changes_markdown(self.ctx, self.rs, self.page))
        for section in PAGE_SECTIONS:
            entries = getattr(self.rules, section)
            if not entries:
                continue
            body = getattr(self, section)()
            intro = self.u(SECTION_INTROS.get(section, ""))
            intro = f"{intro}\n\n" if intro else ""
            out.append(f"## {self.u(SECTION_TITLES[section])} {{#{section}}}\n\n{intro}{body}")
        examples = self.examples_section()
        if examples:
            # Examples read best right after the rules they exercise, before the sources.
            idx = next((i for i, part in enumerate(out) if part.startswith("## 来源文件")), len(out))
            out.insert(idx, examples)
        return "\n".join(out)


def rule_set_markdown(rs: RuleSet, ctx: GuideContext, examples: list[RunExample]) -> str:
    return _Page(rs, ctx, examples).markdown()
