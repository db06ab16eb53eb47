"""The bridge the page calls through the Web Worker: JSON text in, JSON text out.

The page never sees a rule: it asks this module for the form of a rule set (which
activity kinds, which questions, which circumstances matter) and for results. Every
function returns `{"ok": true, ...}` or `{"ok": false, "problems": [...]}`; exceptions
never cross into JavaScript as tracebacks.

State: the catalog of rule sets loaded by `init`, held by this adapter (the engine
itself keeps none).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import asdict
from typing import Any, Callable

from pydantic import ValidationError

from ..engine.conditions import describe, facts_in
from ..engine.convert import check_activity, convert
from ..engine.explain import provenance_lines, summary_lines
from ..engine.places import Places
from ..engine.provenance import source_refs
from ..engine.resolve import Catalog, ResolvedRuleSet, RuleError
from ..engine.run import run_case
from ..engine.tolerant import run_case_tolerant
from ..engine.words import BASIS_HEADER, FACT_VALUE_NONE, fallback_note, vocabulary
from ..models.case import Activity
from ..models.errors import problems_from
from ..models.facts import FACT_LABELS
from ..models.migrate import migrate_case
from ..models.places import Place
from ..models.result import problems_data, result_data
from ..models.rules import LEVEL_NAMES, REGIME_NAMES, UNIT_NAMES, RuleSet

__all__ = [
    "init", "catalog", "form", "preview", "evaluate", "parse_import",
    "batch_template", "batch_load", "batch_compute", "batch_person", "batch_export", "batch_table",
]

MAX_INPUT_CHARS = 5_000_000  # a case export is a few KB; refuse what no person typed


class _Session:
    catalog: Catalog | None = None
    sheet: Any = None  # the loaded staff sheet (sheets.Sheet)
    default_rule_set: str | None = None
    batch_rows: list[Any] = []
    groups: list[list[int]] = []  # the people of the sheet: their row indices
    layout: str = "person"


_session = _Session()


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _fail(code: str, message: str, path: str = "（整个文件）") -> str:
    return _dump({"ok": False, "problems": [{"path": path, "code": code, "message": message}]})


def _guarded(fn: Callable[..., str]) -> Callable[..., str]:
    def wrapper(*args: str) -> str:
        try:
            return fn(*args)
        except RecursionError:
            return _fail("too_deep", "内容嵌套层次太深，无法读取")
        except Exception as error:  # the page gets a sentence, the console gets the type
            return _fail("internal", f"计算引擎内部错误（{type(error).__name__}），请刷新页面后重试或报告此问题")

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _parse(text: str) -> tuple[Any, str | None]:
    if not isinstance(text, str):
        return None, _fail("not_text", "输入不是文本")
    if len(text) > MAX_INPUT_CHARS:
        return None, _fail("too_large", f"内容太大（超过 {MAX_INPUT_CHARS // 1_000_000} MB），不是本工具导出的文件")
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, _fail("json_invalid", f"不是有效的 JSON（第{error.lineno}行第{error.colno}列）")
    except RecursionError:
        return None, _fail("too_deep", "内容嵌套层次太深，无法读取")
    except ValueError:  # an integer literal longer than Python's digit limit (4300)
        return None, _fail("json_invalid", "文件中有位数过多的数字，不是本工具导出的文件")


def _require_catalog() -> Catalog:
    if _session.catalog is None:
        raise RuntimeError("规则尚未加载")
    return _session.catalog


@_guarded
def init(rules_json: str) -> str:
    """Load the rule sets and the place registry ({rule_sets: [...], places: [...]}, written by
    the build; a bare array of rule sets is read too)."""
    data, error = _parse(rules_json)
    if error:
        return error
    if isinstance(data, list):
        data = {"rule_sets": data, "places": []}
    if not isinstance(data, dict) or not isinstance(data.get("rule_sets"), list):
        return _fail("not_rules", "规则数据应为 {rule_sets: [...], places: [...]}")
    try:
        sets = [RuleSet.model_validate(item) for item in data["rule_sets"]]
        places = [Place.model_validate(item) for item in data.get("places") or []]
        catalog = Catalog(sets, Places(places) if places else None)
        for rs in sets:
            catalog.resolve(rs.id)
    except ValidationError as err:
        return _dump({"ok": False, "problems": problems_data(problems_from(err, "rules"))})
    except RuleError as err:
        return _fail("broken_rules", "；".join(str(p) for p in err.problems))
    _session.catalog = catalog
    return catalog_()


def _province(cat: Catalog, rs: RuleSet) -> dict[str, Any]:
    """The province (or the nation) a rule set belongs to in the place registry, and its place
    in the registry's order: the page's selects group by it (a unit or a city under a province
    without rule sets of its own sits under that province, not beside it)."""
    place = cat.place_of(rs.jurisdiction.code)
    if place is None or cat.places is None:
        return {"province": None, "province_name": None, "province_order": None}
    top = next((p for p in cat.places.lineage(place.code) if p.level in ("province", "national")), place)
    order = next(i for i, p in enumerate(cat.places.all()) if p.code == top.code)
    return {"province": top.code, "province_name": top.name, "province_order": order}


def _summary(rs: RuleSet) -> dict[str, Any]:
    sources, cautions = source_refs(_require_catalog().resolve(rs.id))
    return {
        **_province(_require_catalog(), rs),
        "standing": rs.standing,
        "cautions": cautions,
        "sources": [asdict(s) for s in sources],
        "id": rs.id,
        "title": rs.title,
        "year": rs.year,
        "last_year": rs.last_year,
        "period_years": rs.period_years,
        "regime": rs.regime,
        "regime_name": REGIME_NAMES[rs.regime],
        "jurisdiction": rs.jurisdiction.code,
        "jurisdiction_name": rs.jurisdiction.name,
        "jurisdiction_level": rs.jurisdiction.level,
        "jurisdiction_level_name": LEVEL_NAMES[rs.jurisdiction.level],
        "jurisdiction_parent": rs.jurisdiction.parent,
        "extends": rs.extends,
        "last_checked": rs.last_checked.isoformat(),
        "summary": rs.summary,
    }


def _place_answers(cat: Catalog) -> list[dict[str, Any]]:
    """Every place a person may pick, with the rule sets that answer for it per regime: its own,
    or its nearest parent's (`applied` names whose), so the page says so instead of guessing."""
    if cat.places is None:
        return []
    out = []
    for place in cat.places.all():
        answers: dict[str, Any] = {}
        for regime in REGIME_NAMES:
            lineage = cat.places.lineage(place.code)
            for level in lineage:
                ids = sorted(rs.id for rs in cat.all() if rs.jurisdiction.code == level.code and rs.regime == regime)
                if ids:
                    answers[regime] = {"applied": level.code, "applied_name": level.name, "rule_sets": ids,
                                       "regime_name": REGIME_NAMES[regime]}
                    if level.code != place.code:  # the page says whose rules answer, as the result does
                        applied_name = "国家" if level.level == "national" else level.name
                        answers[regime]["note"] = fallback_note(place.name, REGIME_NAMES[regime], applied_name)
                    break
        out.append({
            "code": place.code, "name": place.name, "short": place.short, "level": place.level,
            "level_name": LEVEL_NAMES.get(place.level, ""), "parent": place.parent, "keys": place.keys,
            "answers": answers,
        })
    return out


def catalog_() -> str:
    cat = _require_catalog()
    return _dump({"ok": True, "rule_sets": [_summary(rs) for rs in cat.all()], "places": _place_answers(cat)})


catalog = _guarded(catalog_)


def _facts_used(rules: ResolvedRuleSet) -> set[str]:
    """The engine's facts the page must ask for: those the rule set's conditions and reductions
    test (the rule set's own questions are asked as `questions`), and the title application."""
    found = facts_in(rules.rules) - set(rules.questions)
    if rules.rules.title_windows:
        found.add("title_applicant")
    return found


# Facts the page's checkboxes answer directly (a yes/no the person ticks).
_TICKED_FACTS = {"title_applicant", "makeup_eligible", "disability", "covid_frontline", "covid_frontline_designated"}


def _history_when(rules: ResolvedRuleSet) -> dict[str, Any]:
    """When the earlier years' table matters: always, or once one of these ticked facts holds.

    A cycle's requirements over the period always need its earlier years; a title window
    needs the applicant's; catch-up and carry-over need them under their own `when`. A condition on a figure the page cannot tie to one tick
    (months of leave, ...) shows the table always rather than hide it wrongly.
    """
    rs = rules.rules
    facts: set[str] = {"title_applicant"} if rs.title_windows else set()
    # a requirement over the whole cycle adds up every year of it
    always = any(r.over == "period" for r in rs.requirements)
    for mech in [*rs.makeup, *rs.carry_over]:
        used = mech.when.facts()
        if mech.when.always or not used <= _TICKED_FACTS:
            always = True
        facts |= used
    return {"always": always, "facts": sorted(facts)}


def _vocabulary() -> dict[str, Any]:
    """The labels the page renders with: words.vocabulary() plus the facts' names."""
    return {**vocabulary(), "facts": FACT_LABELS, "fact_none": FACT_VALUE_NONE, "yes": "是", "no": "否"}


def _cite(rules: ResolvedRuleSet, section: str, entry: Any) -> dict[str, Any]:
    from ..engine.cite import cite_entry

    return asdict(cite_entry(rules, section, entry))


def _checked_years(rs: RuleSet) -> dict[str, Any]:
    """The years a person may check against this rule set, and the engine's default when the
    case names none: a standing rule set's every year since it stands (this year by default,
    latest first), a cycle's years (its last by default), a yearly rule set's one year."""
    if rs.standing:
        this_year = max(dt.date.today().year, rs.year)
        return {"years": list(range(this_year, rs.year - 1, -1)), "default_year": this_year}
    return {"years": list(rs.years), "default_year": rs.last_year}


@_guarded
def form(rule_set_id: str) -> str:
    """Everything the page needs to draw the form for one rule set."""
    cat = _require_catalog()
    if rule_set_id not in cat:
        return _fail("unknown_rule_set", f"没有规则集“{rule_set_id}”", "rule_set")
    from ..batch.columns import history_years
    from ..engine.mechanisms.history import TOTAL, year_keys

    rules = cat.resolve(rule_set_id)
    rs = rules.rules
    exclusions = rs.exclusions
    conversions = []
    for conv in rs.conversions:
        choices = [conv.category] if conv.category else list(conv.category_choices or [])
        conversions.append({
            "id": conv.id,
            "label": conv.label,
            "description": conv.description,
            "quantity_label": conv.quantity.label,
            "unit": conv.quantity.unit,
            "unit_name": UNIT_NAMES[conv.quantity.unit],
            "counter": conv.quantity.counter_name,
            "whole": conv.quantity.unit in ("day", "session", "item"),
            "categories": [{"id": c, "name": rules.categories[c].name} for c in choices],
            "options": [o.model_dump() for o in conv.options],
            "flags": [
                {"id": e.id, "question": e.question, "label": e.label}
                for e in exclusions if e.kinds is None or conv.id in e.kinds
            ],
            "evidence": conv.evidence,
            "citation": _cite(rules, "conversions", conv),
        })
    return _dump({
        "ok": True,
        "rule_set": _summary(rs),
        "chain": list(rules.chain),
        "categories": [{"id": c.id, "name": c.name, "within": c.within} for c in rs.categories],
        # A total-only rule set makes up and carries over on the total: its history has that one column.
        "top_categories": [{"id": c, "name": rules.categories[c].name} for c in rules.top_categories] + (
            [{"id": TOTAL, "name": "总"}] if year_keys(rules, None) == [TOTAL] and TOTAL not in rules.categories else []),
        "unit_name": rs.unit_name,
        "period": {"year": rs.year, "last_year": rs.last_year, "period_years": rs.period_years,
                   "standing": rs.standing, **_checked_years(rs)},
        "history_years": history_years(rules),
        "history_when": _history_when(rules),
        "history_required": bool(rs.makeup or rs.carry_over),
        "conversions": conversions,
        "circumstances": sorted(_facts_used(rules)),
        # The rule set's own questions about the person (现有职称 ...), asked like the circumstances.
        "questions": [q.model_dump(mode="json", exclude={"citation", "interpretation"}) | {
            "citation": _cite(rules, "questions", q)} for q in rs.questions],
        "exceptions": [
            {"id": e.id, "label": e.label, "effect": e.effect, "condition": describe(e.when, rules.questions)}
            for e in rs.exceptions
        ],
        "deadlines": [
            {"id": d.id, "label": d.label, "date": d.date.isoformat(), "scope": d.scope,
             "condition": describe(d.applies_when, rules.questions) if d.applies_when else None}
            for d in rs.deadlines
        ],
        "title_deadlines": [
            {"id": d.id, "label": d.label, "date": d.date.isoformat()}
            for d in rs.deadlines if d.scope == "title_application"
        ],
        "notes": [{"id": n.id, "title": n.title, "text": n.text} for n in rs.notes],
        "has_title_windows": bool(rs.title_windows),
        "has_fees": any(f.kind == "rate" for f in rs.fees),
        "makeup_years": sorted({y for m in rs.makeup for y in (m.target_years or
                                                              range(rs.last_year - (m.years_back or 0), rs.last_year))}),
        "vocabulary": _vocabulary(),
    })


@_guarded
def preview(rule_set_id: str, activity_json: str) -> str:
    """Hours for one activity as it is being typed (no exclusions, no totals)."""
    cat = _require_catalog()
    if rule_set_id not in cat:
        return _fail("unknown_rule_set", f"没有规则集“{rule_set_id}”", "rule_set")
    data, error = _parse(activity_json)
    if error:
        return error
    rules = cat.resolve(rule_set_id)
    try:
        activity = Activity.model_validate(data)
    except ValidationError as err:
        return _dump({"ok": False, "problems": problems_data(problems_from(err, "activity"))})
    problems = check_activity(activity, 0, rules, rules.rules.years)
    if problems:
        return _dump({"ok": False, "problems": problems_data(problems)})
    converted = convert(activity, rules.conversions[activity.kind])
    return _dump({"ok": True, "hours": float(converted.hours), "text": converted.text})


@_guarded
def evaluate(case_json: str) -> str:
    data, error = _parse(case_json)
    if error:
        return error
    # entries the case model refuses are left out (each named at its place), the rest computed
    outcome = run_case_tolerant(data, _require_catalog(), today=dt.date.today())
    return _dump({
        "ok": outcome.result is not None,
        "result": result_data(outcome.result) if outcome.result else None,
        "dropped": outcome.dropped,
        # the CLI's own summary lines (explain.summary_lines): page and CLI say the same
        "summary_lines": summary_lines(outcome.result) if outcome.result else [],
        # what the figures rest on (explain.provenance_lines): a parent's rules, a standing rule, cautions
        "provenance_lines": provenance_lines(outcome.result) if outcome.result else [],
        "problems": problems_data(outcome.problems),
    })


@_guarded
def parse_import(text: str) -> str:
    """Check an imported case file before the page replaces anything with it."""
    data, error = _parse(text)
    if error:
        return error
    outcome = run_case(data, _require_catalog())
    if outcome.result is None:
        return _dump({"ok": False, "problems": problems_data(outcome.problems)})
    case = migrate_case(data)  # an xueshi.case/1 file: the page reads the current shape only
    if isinstance(case, dict) and not case.get("rule_set"):
        case = {**case, "rule_set": outcome.result.rule_set.id}  # named by jurisdiction/regime/year
    return _dump({"ok": True, "case": case, "problems": problems_data(outcome.problems)})


# ---------------------------------------------------------------- batch checking (HR)

def _file(name: str, data: bytes, mime: str) -> str:
    return _dump({"ok": True, "filename": name, "mime": mime, "base64": base64.b64encode(data).decode("ascii")})


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@_guarded
def batch_template(request: str) -> str:
    """A template for one rule set: a rule set id (CSV, one row per person), or
    {rule_set, layout: person|activity, format: csv|xlsx}; the .xlsx has an instructions
    sheet, example rows and drop-down lists."""
    from ..batch.template import template_csv, template_xlsx

    cat = _require_catalog()
    if request.lstrip().startswith("{"):
        data, error = _parse(request)
        if error:
            return error
        rule_set_id, layout, fmt = data.get("rule_set"), data.get("layout", "person"), data.get("format", "csv")
    else:
        rule_set_id, layout, fmt = request, "person", "csv"
    if rule_set_id not in cat:
        return _fail("unknown_rule_set", f"没有规则集“{rule_set_id}”", "rule_set")
    if layout not in ("person", "activity"):
        return _fail("bad_request", "模板格式只能是每人一行或每项活动一行")
    rules = cat.resolve(rule_set_id)
    kind = "每人一行" if layout == "person" else "每项活动一行"
    if fmt == "xlsx":
        return _file(f"学时核查模板-{kind}-{rule_set_id}.xlsx", template_xlsx(rules, layout), XLSX_MIME)
    return _file(f"学时核查模板-{kind}-{rule_set_id}.csv", template_csv(rules, layout), "text/csv")


@_guarded
def batch_load(payload_json: str) -> str:
    """Read a staff sheet ({filename, base64, rule_set, sheet?, header_row?}); on failure the
    previous one stays. Several sheets of people: {ok: false, choose_sheet: [names]}."""
    from ..batch.people import check_headers, group_rows, known_header
    from ..batch.sheets import SheetChoiceNeeded, SheetError, read_sheet

    payload, error = _parse(payload_json)
    if error:
        return error
    if not isinstance(payload, dict) or not isinstance(payload.get("base64"), str):
        return _fail("bad_request", "没有收到文件内容")
    cat = _require_catalog()
    rule_set = payload.get("rule_set") or None
    if rule_set is not None and rule_set not in cat:
        return _fail("unknown_rule_set", f"没有规则集“{rule_set}”", "rule_set")
    try:
        data = base64.b64decode(payload["base64"], validate=True)
    except (ValueError, TypeError):
        return _fail("bad_file", "文件内容无法读取")
    header_row = payload.get("header_row")
    ids = [rule_set] if rule_set else cat.ids()
    try:
        sheet = read_sheet(data, str(payload.get("filename") or ""), known_header(cat, ids),
                           payload.get("sheet") or None, int(header_row) if header_row else None)
    except SheetChoiceNeeded as err:
        return _dump({"ok": False, "choose_sheet": err.choices,
                      "problems": [{"path": "（整个文件）", "code": "choose_sheet", "message": str(err)}]})
    except SheetError as err:
        return _fail("not_a_sheet", str(err))
    layout, groups, examples = group_rows(sheet)
    _session.sheet, _session.default_rule_set, _session.batch_rows = sheet, rule_set, []
    _session.groups, _session.layout = groups, layout
    unknown = check_headers(sheet.headers, cat, ids)
    return _dump({"ok": True, "rows": len(groups), "sheet_rows": len(sheet.rows), "encoding": sheet.encoding,
                  "headers": sheet.headers, "unknown_columns": unknown, "layout": layout,
                  "sheet": sheet.sheet_name, "sheet_names": sheet.sheet_names, "header_row": sheet.header_row,
                  "skipped": sheet.skipped, "examples": examples})


def _row_json(row: Any, index: int) -> dict[str, Any]:
    summary = row.result
    return {
        "index": index, "row": row.row, "rows": row.rows, "name": row.name, "staff_id": row.staff_id,
        "unit": row.unit, "rule_set": row.rule_set,
        "status": summary.status if summary else "error",
        "status_label": row.status_text,  # 未达标（需核对：…） when input was left out
        "left_out": row.left_out, "group_label": row.status_group,
        "summary": summary.summary if summary else "",
        "requirements": [
            {"id": line.id, "label": line.label, "category": line.category, "required": line.required,
             "earned": line.earned, "shortfall": line.shortfall, "met": line.met,
             "deemed": line.deemed, "provisional": line.provisional}
            for line in (summary.requirements if summary else [])
        ],
        "title_window": bool(summary and summary.title_window),
        "problems": [p.message for p in row.problems],
    }


@_guarded
def batch_compute(range_json: str) -> str:
    """Compute people [start, end) of the loaded sheet: the page calls it in chunks to show progress."""
    from ..batch.people import evaluate_sheet

    bounds, error = _parse(range_json)
    if error:
        return error
    sheet = _session.sheet
    if sheet is None:
        return _fail("no_sheet", "请先选择人员表文件")
    groups = _session.groups
    start = max(0, int(bounds.get("start", 0)))
    end = min(len(groups), int(bounds.get("end", len(groups))))
    rows = evaluate_sheet(sheet, groups[start:end], _require_catalog(), _session.default_rule_set, _session.layout)
    from ..batch.tables import bases
    from ..engine.words import needs_check_note

    if start == len(_session.batch_rows):
        _session.batch_rows.extend(rows)
    done = end >= len(groups)
    return _dump({"ok": True, "rows": [_row_json(r, start + i) for i, r in enumerate(rows)],
                  "done": done, "total": len(groups),
                  # what the figures so far rest on, each text once (the page shows it above its table)
                  "bases": bases(_session.batch_rows), "basis_header": BASIS_HEADER,
                  "left_out_note": needs_check_note(sum(1 for r in _session.batch_rows if r.left_out)) if done else ""})


@_guarded
def batch_person(request_json: str) -> str:
    """The full result of one person of the loaded sheet ({index}), as the calculator shows it.

    Computed again from their rows: a batch keeps only a summary per person."""
    from ..batch.people import evaluate_person

    request, error = _parse(request_json)
    if error:
        return error
    sheet, groups = _session.sheet, _session.groups
    index = request.get("index") if isinstance(request, dict) else None
    if sheet is None or not isinstance(index, int) or not 0 <= index < len(groups):
        return _fail("no_person", "没有这个人员（请重新核查）")
    cat = _require_catalog()
    # The same evaluation as the table's row: left-out input and refusals alike.
    row, result, data = evaluate_person(sheet, groups[index], cat, _session.default_rule_set, _session.layout)
    if data is None:
        return _fail("unknown_rule_set", f"没有规则集“{row.rule_set}”")
    return _dump({
        "ok": True, "rows": row.rows, "case": json.loads(json.dumps(data, default=str)),
        "categories": {c.id: c.name for c in cat.resolve(row.rule_set).rules.categories},
        "vocabulary": _vocabulary(),  # the calculator's result view renders with the same words
        "result": result_data(result) if result is not None else None,
        "provenance_lines": provenance_lines(result) if result is not None else [],  # as the calculator shows them
        "problems": problems_data(row.problems),
    })


@_guarded
def batch_export(request_json: str) -> str:
    """The computed table as a file: {what: results|titles, format: csv|xlsx}."""
    from ..batch.tables import result_table, title_summary_table
    from ..batch.write import write_csv, write_xlsx

    request, error = _parse(request_json)
    if error:
        return error
    rows = _session.batch_rows
    if not rows:
        return _fail("nothing", "还没有核查结果可以导出")
    what = request.get("what", "results")
    headers, table = title_summary_table(rows) if what == "titles" else result_table(rows)
    if what == "titles" and not table:
        return _fail("no_titles", "表中没有申报职称的人员（“申报职称级别”列为空）")
    name = "职称参评人员学时汇总" if what == "titles" else "学时核查结果"
    if request.get("format") == "xlsx":
        return _file(f"{name}.xlsx", write_xlsx([(name, headers, table)]), XLSX_MIME)
    return _file(f"{name}.csv", write_csv(headers, table), "text/csv")


@_guarded
def batch_table(request_json: str) -> str:
    """The computed table as data for the page: {what: results|titles} -> {ok, headers, rows}.

    The page draws the title applicants' summary (X20-12 attachment 2) from this, so what
    it shows and prints is what batch_export writes; with `basis: false` without the 规则依据
    column, whose texts come once in `bases` (the page shows them above the table).
    """
    from ..batch.tables import bases, result_table, title_summary_table

    request, error = _parse(request_json)
    if error:
        return error
    rows = _session.batch_rows
    if not rows:
        return _fail("nothing", "还没有核查结果")
    what = request.get("what", "results") if isinstance(request, dict) else "results"
    column = not (isinstance(request, dict) and request.get("basis") is False)
    headers, table = title_summary_table(rows, column) if what == "titles" else result_table(rows, column)
    said = [r for r in rows if r.result and r.result.title_window] if what == "titles" else rows
    return _dump({"ok": True, "headers": headers, "rows": table, "bases": bases(said), "basis_header": BASIS_HEADER})
