"""Worked examples on the guide pages: run by the engine at build time, never copied by hand.

Each example in `rules/**/<id>.cases.yaml` is checked with `check_example`; one that
disagrees with the engine stops the build (`ExampleMismatch`). The page shows the input
readably, the engine's figures (each `<td>` carries `data-figure="<path in the result>"`
so tests can compare the page with the engine), the clauses it proves, and a link that
opens the calculator with the case preloaded (`#case=` + base64url of the case JSON).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from calculator.models.case import CASE_FORMAT, Case, Person
from calculator.rulefiles.expect import check_example
from calculator.rulefiles.loader import WorkedExample
from calculator.engine.resolve import Catalog, ResolvedRuleSet
from calculator.models.result import Result
from calculator.models.rules import ChoiceOption

from .markdown import esc, h, num
from calculator.engine.words import LINE_STATES, in_unit

from .context import DEGREES, EXCEPTION_EFFECTS, FIELDS, TITLE_LEVELS, GuideBuildError, GuideContext, rule_page

LEAVE_KINDS = {"sick": "病休", "maternity": "孕产假"}
POSTING_KINDS = {
    "yuanzang": "援藏", "yuanjiang": "援疆", "yuanwai": "援外",
    "dongxi": "东西部扶贫协作", "other_special": "其他省级以上特定工作任务",
}


class ExampleMismatch(GuideBuildError):
    """A worked example whose expected output disagrees with the engine."""

    def __init__(self, failures: list[str]):
        self.failures = failures
        super().__init__("计算示例与计算引擎的结果不一致：\n" + "\n".join(failures))


@dataclass(frozen=True)
class RunExample:
    number: int  # 1-based position in its cases file: the `#example-<n>` anchor
    example: WorkedExample
    result: Result


def run_examples(examples: list[WorkedExample], catalog: Catalog) -> dict[str, list[RunExample]]:
    """Every example through the engine; raise if any expected figure differs."""
    runs: dict[str, list[RunExample]] = {}
    failures: list[str] = []
    for example in examples:
        result, diffs = check_example(example.input, example.output, catalog)
        where = f"{example.file.name} · {example.name}"
        if result is None or diffs:
            failures.extend(f"{where}: {d}" for d in (diffs or ["没有结果"]))
            continue
        bucket = runs.setdefault(example.rule_set, [])
        bucket.append(RunExample(len(bucket) + 1, example, result))
    if failures:
        raise ExampleMismatch(failures)
    return runs


def case_json(example_input: dict[str, Any]) -> dict[str, Any]:
    """The example's case in the calculator's file format (`calculator/models/case.py`)."""
    try:
        case = Case.model_validate(example_input)
    except ValidationError:  # an example about bad input: hand it over as written
        return json.loads(json.dumps(example_input, ensure_ascii=False, default=str))
    data = case.model_dump(mode="json", exclude_defaults=True)
    return {"format": CASE_FORMAT, "rule_set": case.rule_set or example_input.get("rule_set"), **data}


def case_fragment(case: dict[str, Any]) -> str:
    """`case=<base64url without padding of the UTF-8 JSON>`: what the calculator reads."""
    raw = json.dumps(case, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "case=" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_case_fragment(fragment: str) -> dict[str, Any]:
    """Inverse of `case_fragment` (tests, and anyone checking a link by hand)."""
    value = fragment.removeprefix("#").removeprefix("case=")
    return json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("utf-8"))


# ---------------------------------------------------------------- input, readably


def person_lines(person: Person) -> list[str]:
    out: list[str] = []
    if person.retirement_date:
        out.append(f"法定退休日期：{person.retirement_date.isoformat()}")
    for leave in person.leaves:
        out.append(f"{LEAVE_KINDS[leave.kind]}：{leave.start.isoformat()} 至 {leave.end.isoformat()}")
    if person.disability:
        out.append("因身体残疾等原因不能按期培训")
    for post in person.postings:
        passed = "考核合格" if post.assessment_passed else "考核未合格"
        out.append(f"{POSTING_KINDS[post.kind]}：{post.start.isoformat()} 至 {post.end.isoformat()}，{passed}")
    if person.covid_frontline_designated:
        out.append("经卫生健康部门确定的疫情防控一线卫生专业技术人员")
    elif person.covid_frontline:
        out.append("参与疫情防控一线工作")
    if person.title_application:
        ta = person.title_application
        extra = "，".join(x for x in (
            DEGREES[ta.degree] if ta.degree != "other" else "",
            FIELDS[ta.field] if ta.field != "other" else "",
        ) if x)
        out.append(f"本年度申报{TITLE_LEVELS[ta.level]}职称" + (f"（{extra}）" if extra else ""))
    if person.makeup_eligible:
        out.append("因机构改革转岗等客观原因确需补学")
    return out


def _options_text(activity, rules: ResolvedRuleSet) -> str:
    conv = rules.conversions.get(activity.kind)
    if conv is None:
        return ""
    parts = []
    for option in conv.options:
        value = activity.options.get(option.name)
        if value is None:
            continue
        shown = option.choices.get(str(value), str(value)) if isinstance(option, ChoiceOption) else str(value)
        parts.append(f"{option.label}：{shown}")
    return "；".join(parts)


# ---------------------------------------------------------------- figures, as HTML


def _td(text: object, figure: str | None = None, value: object | None = None) -> str:
    attrs = ""
    if figure is not None:
        attrs += f' data-figure="{h(figure)}"'
    if value is not None:
        attrs += f' data-value="{h(json.dumps(value, ensure_ascii=False))}"'
    return f"<td{attrs}>{h(text)}</td>"


def _table(caption: str, headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in headers)
    body = "\n".join(f"<tr>{r}</tr>" for r in rows)
    return f'<p class="xs-caption">{h(caption)}</p>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def _state(line) -> str:
    """The line's state in the calculator's own words (calculator/engine/words.py)."""
    return LINE_STATES[line.state]


def figures_html(run: RunExample, case: Case | None, rules: ResolvedRuleSet) -> str:
    result = run.result
    unit = rules.rules.unit_name

    def u(text: str) -> str:
        return in_unit(text, unit)

    def key_name(key: str) -> str:
        return rules.categories[key].name if key in rules.categories else rules.label(None) if key == "total" else key
    parts: list[str] = [
        f'<div class="xs-example" data-example="{h(run.example.name)}" data-rule-set="{h(run.example.rule_set)}">',
        f'<p class="xs-status xs-status--{h(result.status)}">结论：<strong data-figure="status" '
        f'data-value="{h(json.dumps(result.status))}">{h(result.status_label)}</strong>'
        f'<span class="xs-summary">{h(result.summary)}</span></p>',
    ]
    if case is not None and case.activities:
        rows = []
        for i, line in enumerate(result.activities):
            act = case.activities[line.index]
            name = act.name + (f"（{act.date.isoformat()}）" if act.date else "")
            options = _options_text(act, rules)
            detail = line.reason + (f"（{options}）" if options else "")
            rows.append(
                f'<td>{h(name)}<br><span class="xs-kind">{h(detail)}</span></td>'
                + _td(num(line.hours), f"activities.{i}.hours")
                + _td("计入" if line.counted else "不计入", f"activities.{i}.counted", line.counted)
                + _td(f"{num(act.quantity)} {line.unit}") + _td(line.category_name or "—")
            )
        parts.append(_table("活动与折算", ["活动与计算", unit, "是否计入", "数量", "科目"], rows))
    rows = []
    for line in result.requirements:
        key = f"requirements.{line.id}"
        alt = ""
        if line.alternative:
            alt = f"或 {num(line.alternative.amount)} {line.alternative.unit}：已有 {num(line.alternative.earned)} {line.alternative.unit}"
        rows.append(
            _td(line.label) + _td(num(line.required), f"{key}.required") + _td(num(line.earned), f"{key}.earned")
            + _td(num(line.shortfall), f"{key}.shortfall") + _td(_state(line), f"{key}.met", line.met) + _td(alt or "—")
        )
    parts.append(_table(u("要求与完成情况（学时）"), ["要求", u("要求学时"), "已取得", "尚差", "结果", "其他方式"], rows))
    expected_exc = set((run.example.output.get("exceptions") or {}))
    shown = [e for e in result.exceptions if e.applies or e.id in expected_exc]
    if shown:
        rows = [
            _td(e.label) + _td(EXCEPTION_EFFECTS[e.effect]) + _td("适用" if e.applies else "不适用", f"exceptions.{e.id}.applies", e.applies)
            + _td(e.reason)
            for e in shown
        ]
        parts.append(_table("例外情形", ["情形", "效果", "是否适用", "说明"], rows))
    if result.fees:
        fees = result.fees
        rows = [
            _td(fc.category_name) + _td(num(fc.yuan_per_hour), f"fees.categories.{i}.yuan_per_hour")
            + _td(num(fc.paid_hours), f"fees.categories.{i}.paid_hours")
            + _td(num(fc.free_hours_used), f"fees.categories.{i}.free_hours_used")
            + _td(num(fc.amount), f"fees.categories.{i}.amount")
            + _td(num(fc.amount_to_complete), f"fees.categories.{i}.amount_to_complete")
            for i, fc in enumerate(fees.categories)
        ]
        limit = "—" if fees.reimbursement_limit is None else num(fees.reimbursement_limit)
        rows.append(
            _td("合计") + _td("") + _td("") + _td("") + _td(num(fees.total), "fees.total")
            + _td(num(fees.amount_to_complete), "fees.amount_to_complete")
        )
        parts.append(_table("费用（元）", [u(x) for x in ("科目", "元/学时", "平台学时", "免费学时", "金额", "补足还需")], rows))
        parts.append(
            '<p class="xs-caption">报账限额 '
            + f'<span data-figure="fees.reimbursement_limit">{h(limit)}</span> 元，可报销 '
            + f'<span data-figure="fees.reimbursable">{h(num(fees.reimbursable))}</span> 元</p>'
        )
    if result.title_window:
        tw = result.title_window
        cats = rules.top_categories
        rows = [
            _td(str(y.year))
            + "".join(_td(num(y.hours.get(c)), f"title_window.years.{i}.hours.{c}") if y.hours is not None
                      else _td("—") for c in cats)
            + _td(num(y.total), f"title_window.years.{i}.total")
            + _td(y.state_label if tw.measure == "sum" else "达标" if y.met else ("未填写" if y.source == "missing" else "未达标"),
                  f"title_window.years.{i}.met", y.met)
            for i, y in enumerate(tw.years)
        ]
        parts.append(_table(f"职称申报年限：{tw.label}（{tw.start_year}—{tw.end_year}年）",
                            ["年度"] + [rules.label(c) for c in cats] + [rules.label(None), "是否达标"], rows))
    if result.title_window and result.title_window.sums:
        parts.append(f'<p class="xs-caption">{h(result.title_window.text)}</p>')
    if result.title:
        parts.append(f'<p class="xs-caption">职称申报：<span data-figure="title.status" data-value="{h(json.dumps(result.title.status))}">{h(result.title.status_label)}</span>'
                     f'——{h(result.title.summary)}</p>')
    if result.makeup:
        mk = result.makeup
        rows = [
            _td(str(a.year)) + _td(key_name(a.category))
            + _td(num(a.hours), f"makeup.allocations.{i}.hours")
            for i, a in enumerate(mk.allocations)
        ]
        rows += [
            _td("未分配") + _td(key_name(cat))
            + _td(num(hours), f"makeup.unallocated.{cat}")
            for cat, hours in sorted(mk.unallocated.items())
        ]
        parts.append(_table(f"补学分配：{mk.label}", ["年度", "科目", unit], rows))
    notes = [w.message for w in result.warnings if w.code != "interpretation"]
    notes += [f"输入问题：{p.path} {p.message}" for p in result.problems]
    if notes:
        parts.append('<ul class="xs-warnings">' + "".join(f"<li>{h(n)}</li>" for n in notes) + "</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def example_markdown(run: RunExample, ctx: GuideContext) -> str:
    example = run.example
    page = rule_page(example.rule_set)
    rules = ctx.resolved(example.rule_set)
    try:
        case: Case | None = Case.model_validate(example.input)
    except ValidationError:
        case = None
    out = [f"### 示例 {run.number}：{esc(example.name)} {{#example-{run.number}}}\n"]
    if example.description:
        out.append(esc(example.description) + "\n")
    if example.proves:
        out.append("证明的条款：" + "、".join(f"`{p}`" for p in example.proves) + "\n")
    if case is not None:
        lines = person_lines(case.person)
        if lines:
            out.append("个人情况：" + "；".join(esc(x) for x in lines) + "\n")
        if case.history:
            rows = []
            for y in case.history:
                req = "、".join(f"{rules.label(c)}要求 {num(v)}" for c, v in (y.required or {}).items())
                got = "、".join(f"{rules.label(c)} {num(v)}" for c, v in y.hours.items())
                if y.total is not None:
                    got += f"{'、' if got else ''}总计 {num(y.total)}"
                rows.append(f"{y.year}年：{got or '0'}" + (f"（{req}）" if req else ""))
            out.append(in_unit("以往年度已认定学时：", rules.rules.unit_name) + "；".join(rows) + "\n")
    out.append(figures_html(run, case, rules) + "\n")
    link = ctx.calculator(page, case_fragment(case_json(example.input)))
    out.append(f"[在计算器中打开此示例]({link}){{ .md-button .xs-open-case }}\n")
    return "\n".join(out)
