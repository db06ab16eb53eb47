"""Every Chinese word the results use, in one place.

The engine computes figures and keeps its reasons as data; this module puts them into
words. The CLI text, the page (through the result JSON and `vocabulary()`), the batch
tables and the guides all take their wording from here, so they cannot drift apart.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

STATUS_LABELS: dict[str, str] = {
    "met": "已达标",
    "short": "未达标",
    "deemed_complete": "视同完成",
    "exemption_available": "未达标，可申请免训",
    "provisionally_met": "暂视同达标",
    "out_of_scope": "不在适用范围",
}

TITLE_STATUS_LABELS: dict[str, str] = {
    "met": "职称申报学时已满足",
    "provisionally_met": "职称申报学时暂视同满足",
    "short": "职称申报学时尚不满足",
}

def no_title_window_text(level: str, degree: str) -> str:
    """A title application that none of the rule set's windows names (株洲: 博士参评副高按相关规定执行)."""
    from ..models.errors import VALUE_NAMES

    who = (VALUE_NAMES[degree] if degree not in ("other",) else "") + "申报" + VALUE_NAMES[level]
    return (f"本规则集的职称申报年限没有规定{who}的情形，本工具不给出职称申报的结论，只核查本年度；"
            "申报年限请以主管部门的规定为准")


LINE_STATES: dict[str, str] = {
    "met": "达到",
    "deemed": "视同完成",
    "provisional": "暂视同完成",
    "short": "未达到",
}

EXCEPTION_EFFECTS: dict[str, str] = {
    "deemed_complete": "视同完成",
    "provisional": "暂视同完成",
    "exemption_available": "可申请免训",
}

EXCLUSION_EFFECTS: dict[str, str] = {
    "never_counts": "一律不计学时",
    "not_verifiable": "暂不能认定，条件满足后才可计入",
}

WINDOW_SOURCES: dict[str, str] = {"this_case": "本次填写", "history": "以往年度", "missing": "未填写"}
WINDOW_STATES: dict[str, str] = {
    "met": "达标", "provisional": "暂视同达标", "deemed": "视同完成", "short": "未达标", "missing": "未填写",
    "counted": "计入合计",  # a title window measured by its years added up (measure: sum)
}

TRACE_STEPS: dict[str, str] = {
    "activity": "学习活动",
    "exclusion": "不计入",
    "cap": "上限",
    "carry_over": "结转",
    "requirement": "要求",
    "exception": "例外",
    "deadline": "期限",
    "fee": "费用",
    "window": "职称年限",
    "title": "职称申报",
    "makeup": "补学",
    "status": "结论",
    "reduction": "折算",
}


# A result computed with some input left out (tolerant.py) never reads like a clean verdict:
# the batch table, the title applicants' summary, the exports, the CLI and the batch page
# all mark it with these words.
CANNOT_COMPUTE = "无法计算"
NEEDS_CHECK = "需核对"


def left_out_text(count: int) -> str:
    return f"{count}处输入有误，未计入"


def needs_check_label(label: str, left_out: int) -> str:
    """未达标 -> 未达标（需核对：2处输入有误，未计入）; unchanged when nothing was left out."""
    return f"{label}（{NEEDS_CHECK}：{left_out_text(left_out)}）" if left_out else label


def needs_check_group(label: str, left_out: int) -> str:
    """The same verdict counted as a group (未达标（需核对） 3 人), whatever each one left out."""
    return f"{label}（{NEEDS_CHECK}）" if left_out else label


def needs_check_note(people: int) -> str:
    """The line under a batch's counts (CLI and page) when some verdicts were computed with input left out."""
    if not people:
        return ""
    return f"其中 {people} 人略去了有误的输入、由其余输入算出结论，结论标有“{NEEDS_CHECK}”，请核对。"


def num(value: float | Decimal | int | None) -> str:
    """The one number format for Chinese text: 90, 12.5, 0.33 (two decimals at most), — for none."""
    if value is None:
        return "—"
    if abs(float(value)) >= 1e12:
        return f"{float(value):.4g}"  # a refused 1e308 is echoed as "1e+308", not as 309 digits
    number = round(float(value), 2)
    if number == 0:
        return "0"
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


HOURS_WORD = "学时"


def in_unit(text: str, unit: str) -> str:
    """A generated phrase written in 学时, said in the rule set's unit (学分): 每天 8 学时 -> 每天 8 学分.
    Only for the tool's own words; a quote, an author's label or an activity's quantity unit
    (平台记录的学时) is never passed through it."""
    return text if unit == HOURS_WORD else text.replace(HOURS_WORD, unit)


def total_name(unit: str, over_period: bool = False) -> str:
    """The total requirement's name: 年度总学时, 周期总学分."""
    return ("周期总" if over_period else "年度总") + unit


def years_text(years: list[int]) -> str:
    return "、".join(f"{y}年" for y in years)


def before_start_text(label: str, starts: str) -> str:
    """早于培训期间的开始日期（2025-01-05）."""
    return f"早于{label}的开始日期（{starts}）"


def days_text(first: Any, last: Any) -> str:
    """A year that is not the calendar year, by its days: 2024-11-01至2025-10-31."""
    return f"{first.isoformat()}至{last.isoformat()}"


def period_text(first: int, last: int) -> str:
    return f"{first}年度" if first == last else f"{first}—{last}年周期"


def line_state(state: str, shortfall: float, unit: str) -> str:
    return f"差{num(shortfall)}{unit}" if state == "short" else LINE_STATES[state]


def requirement_text(label: str, required: float, earned: float, unit: str, state: str, shortfall: float,
                     over_period: bool, alternative: tuple[float, float, str] | None = None,
                     applies_to: str | None = None) -> str:
    scope = "（整个周期合计）" if over_period else ""
    scope += f"（适用于：{applies_to}）" if applies_to else ""
    alt = ""
    if alternative is not None:
        amount, earned_alt, alt_unit = alternative
        alt = f"（或按{alt_unit}数：要求{num(amount)}{alt_unit}，已有{num(earned_alt)}{alt_unit}）"
    return (f"{label}{scope}：要求{num(required)}{unit}，已取得{num(earned)}{unit}{alt}，"
            f"{line_state(state, shortfall, unit)}")


def reduction_text(label: str, fact_label: str, value: float, of: float, complement: bool, ratio: float,
                   changes: list[tuple[str, float, float]], unit: str) -> str:
    """新进人员按在岗月数折算：本年度在岗月数 6，按 6/12 折算：年度总学时 90→45学时."""
    share = f"1 - {num(value)}/{num(of)}" if complement else f"{num(value)}/{num(of)}"
    moved = "、".join(f"{name} {num(old)}→{num(new)}{unit}" for name, old, new in changes)
    return f"{label}：{fact_label}{num(value)}，按 {share} 折算：{moved}"


def window_sum_text(name: str, required: float, earned: float, shortfall: float, unit: str) -> str:
    """A title window added up: 累计总学时370学时（要求360学时），达到."""
    state = "达到" if not shortfall else f"差{num(shortfall)}{unit}"
    return f"累计{name}{num(earned)}{unit}（要求{num(required)}{unit}），{state}"


def window_sum_short(start: int, end: int, gaps: list[tuple[str, float]], unit: str, missing: list[int]) -> str:
    """2022—2024年累计总学时还差96学时（2024年未填写）。"""
    span = f"{start}—{end}年" if start != end else f"{start}年"
    text = f"{span}累计" + "、".join(f"{name}还差{num(gap)}{unit}" for name, gap in gaps)
    return text + (f"（{years_text(missing)}未填写）" if missing else "") + "。"


def tier_text(first: bool, up_to: float | None, amount: Any, unit: str, per: float, rate: float,
              hours: Any, u: str) -> str:
    """One stretch of a tiered conversion: 前20学时 × 1学时 = 20学时; 其后10学时 × 0.5学时 = 5学时."""
    if first and up_to is not None:
        where = f"前{num(up_to)}{unit}" if num(amount) == num(up_to) else f"前{num(up_to)}{unit}内的{num(amount)}{unit}"
    else:
        where = f"其后{num(amount)}{unit}"
    how = f"× {num(rate)}{u}" if per == 1 else f"每{num(per)}{unit}计{num(rate)}{u}"
    return f"{where} {how} = {num(hours)}{u}"


def row_cap_text(max_hours: float, hours: Any, u: str) -> str:
    """每次最多计8学时：本项只计8学时."""
    return f"每项最多计{num(max_hours)}{u}，本项只计{num(hours)}{u}"


def unanswered_text(count: int) -> str:
    return f"有{count}项与本人有关的情况未填写，只按适用于所有人的要求核算"


def bad_answer_text(label: str, kind: str, unit: str | None = None) -> str:
    wanted = {"number": f"一个数字{f'（{unit}）' if unit else ''}", "yes_no": "“是”或“否”"}.get(kind, "所列选项之一")
    return f"“{label}”应填写{wanted}，这一项暂未计入"


def needs_answer_text(label: str) -> str:
    return f"本规则集的要求取决于“{label}”，请填写；未填写时只按适用于所有人的要求核算"


def exception_text(label: str, applies: bool, known: bool, condition: str) -> str:
    if applies:
        return f"{label}：适用（{condition}）"
    if not known:
        return f"{label}：未填写相关情况（{condition}时适用）"
    return f"{label}：不适用；{condition}时才适用"


# What a person must be told about a text that is not the issuer's own publication.
PROVENANCE_CAUTIONS: dict[str, str] = {
    "repost": "依据转载文本，请以发文机关公布的原文为准",
    "excerpt": "依据原文的摘录，未取得的部分未编码，请以发文机关公布的原文为准",
    "report": "依据新闻报道对文件的转述，请以发文机关公布的原文为准",
    "supplied": "依据项目收集的文件文本，原始出处未记录，请以发文机关公布的原文为准",
    "fictional": "虚构的示例，不是真实规定",
}


def provenance_caution(kind: str, names: list[str]) -> str | None:
    """One sentence for the texts of one kind: 依据转载文本（人社部令第25号），请以…为准."""
    sentence = PROVENANCE_CAUTIONS.get(kind)
    if sentence is None:
        return None
    head, _, tail = sentence.partition("，")
    return f"{head}（{'、'.join(names)}）" + (f"，{tail}" if tail else "")


def standing_text(since: int, period_years: int) -> str:
    every = "每个年度" if period_years == 1 else f"每{period_years}年一个周期"
    return f"常设规定：自{since}年起{every}适用"


def fallback_note(place_name: str, regime_name: str, applied_name: str) -> str:
    return (f"本工具尚未收录{place_name}的{regime_name}规则，以下按{applied_name}的规定计算；"
            f"{place_name}可能另有更具体的规定（学时要求、科目、折算办法），请向当地人社部门核实")


# A source's provenance, field by field (guide pages; the same names as the rule file's fields).
PROVENANCE_LABELS: dict[str, str] = {
    "kind": "文本来源",
    "urls": "网页地址",
    "retrieved": "取得日期",
    "via": "取得方式",
    "complete": "是否全文",
    "missing": "未取得的部分",
    "disagreements": "各转载文本的不同之处",
}
PROVENANCE_COMPLETE = {True: "全文", False: "不完整"}
# The kinds as an office picks one in the studio's provenance form.
PROVENANCE_KINDS_SHORT: dict[str, str] = {
    "official": "发文机关公布的原文（官方网站）",
    "repost": "其他网站转载的全文",
    "excerpt": "只取得部分原文（摘录）",
    "report": "新闻报道对文件的转述",
    "supplied": "项目收集的文件文本（出处未记录）",
    "fictional": "虚构的示例",
}
PROVENANCE_ISSUERS_OWN = "依据发文机关公布的原文"  # a rule set that rests only on official texts

TABLE_REGION_LABEL = "表格（可左右滑动查看）"  # a wide table's scroll box, for screen readers


def frame_coverage_note(regime_name: str, applied_name: str) -> str:
    """Places without a rule set of their own for a regime, as the coverage list says them
    (the same reading as fallback_note, which the result, CLI and batch give one place)."""
    return (f"下列地区尚未收录本地的{regime_name}规则，计算器按{applied_name}的规定计算，并在结果中注明；"
            "当地可能另有更具体的规定（学时要求、科目、折算办法），请向当地人社部门核实")


def span_text(year: int, last_year: int, standing: bool, period_years: int) -> str:
    """A rule set's years: 2021年度, 2021—2023年周期, or standing since a year."""
    if standing:
        return standing_text(year, period_years)
    return f"{year}年度" if period_years == 1 else f"{year}—{last_year}年周期"


BASIS_HEADER = "规则依据"


def basis_text(rule_set: Any) -> str:
    """What a result's figures rest on, in one cell (batch exports): the parent's rules applied for
    lack of the place's own, and every caution about the texts; empty for the issuer's own texts."""
    parts = [rule_set.fallback.note] if rule_set.fallback is not None else []
    return "；".join(parts + list(rule_set.cautions))


# The page's words about the answer it keeps between visits (site/static/js/lastanswer.js) and
# about an engine that stopped and was started again (site/static/js/engine.js through app.js).
PAGE_STATES: dict[str, str] = {
    "stale_result": "上次的核算结果，正在重新核算…",
    "stale_echo": "上次的结果",
    "rules_changed": "规则已更新：上次的结果是按更新前的规则核算的，现已按现行规则重新核算，结果有变化，请以现在显示的为准。",
    "engine_stopped": "计算引擎意外停止，正在重新启动并重新核算…",
}

# The place picker on the page (site/static/js/place-picker.js).
PLACE_PICKER: dict[str, str] = {
    "label": "所在地区",
    "hint": "输入省、市名称或拼音（首字母也可），例如 广东、guangzhou、gz；按↑↓选择，回车确定",
    "none": "没有找到这个地区，请换个写法（例如只写“广东”或“gd”）",
    "answers": "适用于所选地区的规则",
    "own": "本地区规则",
    "no_answer": "本工具没有适用于该地区的这类规则",
    "current": "（当前）",
}

# Fields of the person the page asks for by the rule set's needs (site/static/js/person.js):
# label and hint.
PERSON_FIELD_WORDS: dict[str, dict[str, str]] = {
    "in_post_since": {"label": "到岗日期", "hint": "新进、调入、转岗人员填写到岗之日；全年在岗的可不填"},
    "questions": {"title": "本规则集需要了解的情况", "choose": "请选择"},
}

# The provenance block above a result (site/static/js/results.js).
PROVENANCE_WORDS: dict[str, str] = {
    "heading": "规则依据",
    "source": "依据文件",
    "issuer": "发文机关",
    "date": "发文日期",
    "kind": "文本来源",
    "retrieved": "取得日期",
    "missing": "未取得的部分",
    "last_checked": "规则最近与原文核对于",
    "original": "原文出处",
}


def vocabulary() -> dict[str, Any]:
    """The labels the page renders with (shipped to it, never written in JavaScript)."""
    return {
        "page": PAGE_STATES,
        "status": STATUS_LABELS,
        "title_status": TITLE_STATUS_LABELS,
        "line_states": LINE_STATES,
        "exception_effects": EXCEPTION_EFFECTS,
        "exclusion_effects": EXCLUSION_EFFECTS,
        "window_sources": WINDOW_SOURCES,
        "window_states": WINDOW_STATES,
        "trace_steps": TRACE_STEPS,
        "place_picker": PLACE_PICKER,
        "person_fields": PERSON_FIELD_WORDS,
        "provenance": PROVENANCE_WORDS,
    }

FACT_VALUE_NONE = "未填写"
