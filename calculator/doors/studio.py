"""The authoring studio's bridge (studio.html, through the Web Worker): JSON text in and out.

A policy office edits a draft rule file, its worked examples and the notice's text in the
browser; this module runs on them exactly the checks of `python -m calculator validate`
and `examples`, by calling the same functions (`loader.load_rule_file`, `Catalog.resolve`,
`lint.rule_set_problems` -- every check validate runs on a rule set, in one list --,
`loader.load_test_cases`, `expect.check_example`) on files it
writes into a scratch folder of the browser's in-memory file system. So a change of the
rule format or of a check reaches the studio without touching this file.

What it adds is only for the editor: each problem gets the line of the draft it is about
(from the YAML node positions), and the zip a policy office submits.

PyYAML is imported lazily: the page loads it (an on-demand package) before its first call.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable

__all__ = ["init", "catalog", "rule_text", "validate", "examples", "preview", "guide", "bundle", "add_entry",
           "set_field", "add_case"]

MAX_CHARS = 2_000_000  # a rule file is tens of KB; refuse what no office typed
CASES_SUFFIX = ".cases.yaml"
DRAFT_NAME = "draft"  # file stem while the id is still unknown


class _Session:
    published: list[Any] = []  # RuleSet objects of the site's rule sets (parents, copies)
    places: Any = None  # the place registry (engine.places.Places), when the site has one


_session = _Session()


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _guarded(fn: Callable[..., str]) -> Callable[..., str]:
    def wrapper(*args: str) -> str:
        try:
            for arg in args:
                if not isinstance(arg, str) or len(arg) > MAX_CHARS:
                    return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": "内容太大或不是文本"}]})
            return fn(*args)
        except RecursionError:
            return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": "内容嵌套层次太深，无法读取"}]})
        except Exception as error:  # a sentence for the page; never a traceback
            message = f"内部错误（{type(error).__name__}），请报告此问题"
            return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": message}]})

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# ------------------------------------------------------------------ published rule sets


@_guarded
def init(rules_json: str) -> str:
    """The site's rule sets (the JSON the build writes): parents to extend, sets to copy."""
    from ..engine.places import Places
    from ..models.places import Place
    from ..models.rules import RuleSet

    data = json.loads(rules_json)
    if isinstance(data, list):  # the older payload: rule sets only
        data = {"rule_sets": data, "places": []}
    _session.published = [RuleSet.model_validate(item) for item in data["rule_sets"]]
    places = [Place.model_validate(item) for item in data.get("places") or []]
    _session.places = Places(places) if places else None
    return catalog()


@_guarded
def catalog() -> str:
    """The published rule sets (to copy or extend) and the words the studio's forms show
    (a worked example's expected status by its calculator name: engine/words.py)."""
    from ..engine.words import PROVENANCE_KINDS_SHORT, STATUS_LABELS
    from ..models.facts import FACT_LABELS

    places = [{"code": p.code, "name": p.name, "level": p.level} for p in _session.places.all()] \
        if _session.places is not None else []
    return _dump({"ok": True, "rule_sets": [{"id": rs.id, "title": rs.title} for rs in _session.published],
                  "places": places,
                  "words": {"status": STATUS_LABELS, "provenance_kinds": PROVENANCE_KINDS_SHORT, "facts": FACT_LABELS}})


@_guarded
def rule_text(rule_set_id: str) -> str:
    """A published rule set as YAML, to start a draft from a copy."""
    import yaml

    for rs in _session.published:
        if rs.id == rule_set_id:
            data = {"format": rs.format, **rs.model_dump(mode="json", exclude_defaults=True)}
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
            return _dump({"ok": True, "text": text})
    return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": f"没有规则集“{rule_set_id}”"}]})


# ------------------------------------------------------------------ positions in the draft

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    return [int(i) if i else name for name, i in _PART.findall(path)]


def _line_of(root: Any, parts: list[str | int]) -> int:
    """1-based line of the deepest YAML node along ``parts`` (a missing key: its parent)."""
    import yaml

    node, line = root, (root.start_mark.line + 1 if root is not None else 1)
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _entry_parts(root: Any, where: str) -> list[str | int]:
    """``section/entry-id`` (how RuleProblem names an entry) -> ``[section, index]``."""
    import yaml

    section, _, entry_id = where.partition("/")
    parts: list[str | int] = [section]
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if getattr(key, "value", None) == section and isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    if isinstance(item, yaml.MappingNode) and any(
                        getattr(k, "value", None) == "id" and getattr(v, "value", None) == entry_id
                        for k, v in item.value
                    ):
                        parts.append(i)
    return parts


def _compose(text: str) -> Any:
    import yaml

    from ..rulefiles.loader import _StrictLoader

    try:
        return yaml.compose(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        return None


# ------------------------------------------------------------------ checks


def _scalar(node: Any, key: str) -> Any:
    """The value node of ``key`` in a YAML mapping node (None if absent)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _write_draft(folder: Path, root: Any, rule_text_: str, source_text: str) -> Path:
    """Write the draft as ``<id>.yaml`` (the name validate expects) and the notice text as
    the draft's own source text files. The id and file names are read from the composed
    YAML (``root``), so the text is parsed once here and once by ``load_rule_file``."""
    import yaml

    id_node = _scalar(root, "id")
    rule_id = getattr(id_node, "value", None)
    valid = isinstance(id_node, yaml.ScalarNode) and re.fullmatch(r"[a-z0-9_-]{1,80}", rule_id or "")
    path = folder / f"{rule_id if valid else DRAFT_NAME}.yaml"
    path.write_text(rule_text_, encoding="utf-8")
    (folder / "sources").mkdir(exist_ok=True)
    sources = _scalar(root, "sources")
    for item in sources.value if isinstance(sources, yaml.SequenceNode) else []:
        name = getattr(_scalar(item, "text_file"), "value", None)
        if isinstance(name, str) and re.fullmatch(r"[^/\\]{1,120}\.txt", name):
            (folder / "sources" / name).write_text(source_text, encoding="utf-8")
    return path


def _check(rule_text_: str, source_text: str, folder: Path) -> tuple[list[dict[str, Any]], Any, Any]:
    """Problems of the draft (with lines), its Catalog (with the parents) and RuleSet."""
    from ..engine.resolve import Catalog, RuleError
    from ..rulefiles.lint import rule_set_problems
    from ..rulefiles.loader import FileError, load_rule_file

    root = _compose(rule_text_)
    problems: list[dict[str, Any]] = []

    def add(path: str, message: str, parts: list[str | int] | None = None, line: int | None = None) -> None:
        if line is None:
            line = _line_of(root, parts if parts is not None else _parts(path)) if root is not None else 1
        problems.append({"line": line, "path": path, "message": message})

    path = _write_draft(folder, root, rule_text_, source_text)
    try:
        draft = load_rule_file(path)
    except FileError as error:
        for text in error.problems:
            at = re.search(r"第(\d+)行", text)
            where, sep, message = text.partition(": ")
            if at:
                add("", text, line=int(at.group(1)))
            elif sep and " " not in where:
                add(where, message)
            else:
                add("", text, line=1)
        return problems, None, None

    others = [rs for rs in _session.published if rs.id != draft.id]
    try:
        catalog = Catalog([*others, draft], _session.places)
        catalog.resolve(draft.id)
    except RuleError as error:
        for p in error.problems:
            if p.rule_set in (draft.id, ""):
                add(p.where, p.message, _entry_parts(root, p.where))
            else:
                add("", str(p), line=1)
        return problems, None, draft
    own = {s.id for s in draft.sources}
    for p in rule_set_problems(catalog, folder):
        section, _, entry = p.where.partition("/")
        if p.rule_set != draft.id:
            if draft.id in p.message:  # a published rule set clashing with the draft (its period)
                add(p.where, str(p), _parts(p.where))
            continue
        if section == "sources" and entry not in own:
            continue  # a parent's texts are not in the studio; validate checks them in rules/
        entry_id, _, field = entry.partition(".")  # "makeup/catch_up.max_years" names a field
        parts = _entry_parts(root, f"{section}/{entry_id}") if entry_id else _parts(section)
        # A quote not found, or a number the quote lacks, is about the quote's own line.
        if p.message.startswith(("引文", "数字")):
            parts += ["citation", "quote"]
        elif field:
            parts.append(field)
        add(p.where, p.message, parts)
    return problems, catalog, draft


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="xueshi-studio-"))


@_guarded
def validate(rule_text_: str, source_text: str) -> str:
    """The checks of `python -m calculator validate` on the draft; problems carry lines."""
    folder = _scratch()
    try:
        problems, _, draft = _check(rule_text_, source_text, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    info = {"id": draft.id, "title": draft.title} if draft is not None else None
    return _dump({"ok": not problems, "problems": problems, "rule_set": info})


def _figures(view: dict[str, Any]) -> dict[str, Any]:
    """What the studio shows of a result: status, summary and each requirement's figures."""
    return {
        "status": view.get("status"),
        "summary": view.get("summary"),
        "requirements": [
            {k: line.get(k) for k in ("id", "label", "required", "earned", "shortfall", "met")}
            for line in view.get("requirements", {}).values()
        ],
    }


@_guarded
def examples(rule_text_: str, source_text: str, cases_text: str) -> str:
    """`python -m calculator examples` for the draft's worked examples: pass/fail, figures."""
    from ..rulefiles.expect import check_example, result_view
    from ..rulefiles.loader import FileError, load_test_cases

    folder = _scratch()
    try:
        problems, catalog, draft = _check(rule_text_, source_text, folder)
        if catalog is None or draft is None:
            return _dump({"ok": False, "rule_problems": len(problems), "cases": [],
                          "problems": [{"line": 0, "path": "", "message": "规则文件有问题，先改正规则文件再运行示例"}]})
        cases_path = folder / f"{draft.id}{CASES_SUFFIX}"
        cases_path.write_text(cases_text, encoding="utf-8")
        try:
            cases = load_test_cases(cases_path)
        except FileError as error:
            lines = [re.search(r"第(\d+)行", t) for t in error.problems]
            return _dump({"ok": False, "cases": [], "problems": [
                {"line": int(m.group(1)) if m else 1, "path": "", "message": t} for t, m in zip(error.problems, lines)
            ]})
        root = _compose(cases_text)
        out = []
        for i, case in enumerate(cases):
            result, diffs = check_example(case.input, case.output, catalog)
            out.append({
                "name": case.name, "passed": not diffs, "differences": diffs, "input": case.input,
                "line": _line_of(root, [i]) if root is not None else 1,
                "figures": _figures(result_view(result)) if result is not None else None,
            })
        return _dump({"ok": all(c["passed"] for c in out), "cases": out, "problems": []})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@_guarded
def preview(rule_text_: str, source_text: str, case_json: str) -> str:
    """The calculator's result (xueshi.result JSON) for one case under the draft rule set."""
    from ..engine.run import run_case
    from ..models.result import problems_data, result_data

    folder = _scratch()
    try:
        problems, catalog, draft = _check(rule_text_, source_text, folder)
        if catalog is None or draft is None:
            return _dump({"ok": False, "problems": [{"path": "", "message": "规则文件有问题，先改正规则文件再预览"}]})
        case = json.loads(case_json)
        if not isinstance(case, dict):
            return _dump({"ok": False, "problems": [{"path": "", "message": "案例应为一组“名称: 值”"}]})
        case.setdefault("rule_set", draft.id)
        outcome = run_case(case, catalog)
        from .browser import _vocabulary  # the calculator's own words for its own result view

        return _dump({
            "ok": outcome.result is not None,
            "result": result_data(outcome.result) if outcome.result else None,
            "vocabulary": _vocabulary(),
            "problems": problems_data(outcome.problems),
        })
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@_guarded
def guide(rule_text_: str, source_text: str, cases_text: str) -> str:
    """The Markdown of the guide page the build will make for the draft (sitebuild.guides.rules;
    in the browser from the on-demand package xueshi-guide-preview)."""
    from sitebuild.guides.context import GuideContext
    from sitebuild.guides.examples import ExampleMismatch, run_examples
    from sitebuild.guides.rules import rule_set_markdown

    from ..rulefiles.loader import FileError, load_test_cases

    folder = _scratch()
    try:
        problems, catalog, draft = _check(rule_text_, source_text, folder)
        if catalog is None or draft is None or problems:
            return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": "规则文件有问题，先改正规则文件再预览指南"}]})
        cases_path = folder / f"{draft.id}{CASES_SUFFIX}"
        cases_path.write_text(cases_text, encoding="utf-8")
        try:
            runs = run_examples(load_test_cases(cases_path), catalog)
        except (FileError, ExampleMismatch) as error:  # a wrong example stops the real build too
            message = "；".join(getattr(error, "problems", None) or getattr(error, "failures", None) or [str(error)])
            return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": f"计算示例未通过，构建时指南会报错：{message}"}]})
        markdown = rule_set_markdown(draft, GuideContext(catalog, "index.html"), runs.get(draft.id, []))
        return _dump({"ok": True, "markdown": markdown})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@_guarded
def bundle(rule_text_: str, source_text: str, cases_text: str) -> str:
    """A zip laid out like ``rules/``: ``<id>.yaml``, ``<id>.cases.yaml``, ``sources/<text file>``."""
    import yaml

    from ..rulefiles.loader import _StrictLoader

    try:
        data = yaml.load(rule_text_, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        data = None
    rule_id = data.get("id") if isinstance(data, dict) else None
    if not (isinstance(rule_id, str) and re.fullmatch(r"[a-z0-9_-]{1,80}", rule_id)):
        return _dump({"ok": False, "problems": [{"line": 1, "path": "id", "message": "规则文件须先有有效的 id（决定文件名）"}]})
    text_files = [
        s["text_file"] for s in data.get("sources") or []
        if isinstance(s, dict) and isinstance(s.get("text_file"), str)
        and re.fullmatch(r"[^/\\]{1,120}\.txt", s["text_file"])
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{rule_id}.yaml", rule_text_)
        zf.writestr(f"{rule_id}{CASES_SUFFIX}", cases_text)
        for name in text_files[:1]:  # the pasted notice is the draft's first source text
            zf.writestr(f"sources/{name}", source_text)
    payload = base64.b64encode(buffer.getvalue()).decode("ascii")
    return _dump({"ok": True, "filename": f"{rule_id}.zip", "mime": "application/zip", "base64": payload})


ENTRY_SECTIONS = ("categories", "requirements", "conversions", "exceptions")


@_guarded
def add_entry(rule_text_: str, section: str, entry_json: str) -> str:
    """Append an entry written with a form to ``section`` of the draft, as YAML text.

    The rest of the text (comments, anchors, layout) stays as the office wrote it; an
    empty citation source becomes the draft's first source. The page validates after.
    """
    import yaml

    entry = json.loads(entry_json)
    if section not in ENTRY_SECTIONS or not isinstance(entry, dict):
        return _dump({"ok": False, "problems": [{"line": 0, "path": "", "message": "不认识的条目类型"}]})
    root = _compose(rule_text_)
    if not isinstance(root, yaml.MappingNode):
        return _dump({"ok": False, "problems": [{"line": 1, "path": "", "message": "规则文件须先能读取（改正 YAML 格式错误后再添加）"}]})
    cite = entry.get("citation")
    if isinstance(cite, dict) and not cite.get("source"):
        from ..rulefiles.loader import _StrictLoader

        data = yaml.load(rule_text_, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
        sources = data.get("sources") or [] if isinstance(data, dict) else []
        if sources and isinstance(sources[0], dict) and sources[0].get("id"):
            cite["source"] = sources[0]["id"]
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    value = next((v for k, v in root.value if getattr(k, "value", None) == section), None)
    if value is None:
        text = rule_text_.rstrip("\n") + f"\n\n{section}:\n" + _indent(block, 2)
    elif isinstance(value, yaml.SequenceNode) and value.flow_style and not value.value:
        start, end = value.start_mark.index, value.end_mark.index
        text = rule_text_[:start].rstrip(" ") + "\n" + _indent(block, 2).rstrip("\n") + rule_text_[end:]
    elif isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
        column = value.value[0].start_mark.column - 2  # the "- " of the first item
        end = value.end_mark
        at = end.index - end.column if end.column else end.index
        # Back over blank lines and comments that belong to what follows.
        lines = rule_text_[:at].split("\n")
        keep = len(lines) - 1
        while keep > 0 and (not lines[keep - 1].strip() or lines[keep - 1].lstrip().startswith("#")):
            keep -= 1
        at = len("\n".join(lines[:keep])) + (1 if keep else 0)
        text = rule_text_[:at] + _indent(block, column) + rule_text_[at:]
    else:
        return _dump({"ok": False, "problems": [{"line": value.start_mark.line + 1, "path": section,
                                                 "message": f"“{section}”应为列表，无法用表单添加"}]})
    return _dump({"ok": True, "text": text})


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))


def _fail(message: str, line: int = 0, path: str = "") -> str:
    return _dump({"ok": False, "problems": [{"line": line, "path": path, "message": message}]})


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over the blank lines and comments a block node's end mark takes in
    (they belong to what follows)."""
    lines = text[start:end].split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + len("\n".join(lines))


# A top-level field a form adds is written after this one, where an office looks for it.
_AFTER = {"standing": "year", "period_years": "year", "unit_name": "year"}


@_guarded
def set_field(rule_text_: str, path_json: str, value_json: str) -> str:
    """Set the value at ``path`` (``["standing"]``, ``["sources", 0, "provenance"]``) of the
    draft, as YAML text: a field already there is replaced, a missing one added to its mapping;
    the rest of the text (comments, layout) stays as the office wrote it."""
    import yaml

    path, value = json.loads(path_json), json.loads(value_json)
    if not (isinstance(path, list) and path and isinstance(path[-1], str)):
        return _fail("字段位置应为列表，最后一项是字段名")
    root = _compose(rule_text_)
    if not isinstance(root, yaml.MappingNode):
        return _fail("规则文件须先能读取（改正 YAML 格式错误后再填写）", 1)
    node: Any = root
    for i, part in enumerate(path[:-1]):
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = _scalar(node, part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            where = ".".join(str(p) for p in path[: i + 1])
            return _fail(f"规则文件中没有“{where}”（如 sources 中的第几个来源），无法填写")
    key = path[-1]
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return _fail(f"“{key}”所在的位置不是块格式的“名称: 值”，无法用表单填写", node.start_mark.line + 1)
    pairs = [(k, v) for k, v in node.value if getattr(k, "value", None) == key]
    column = node.value[0][0].start_mark.column if node.value else 0
    block = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100).rstrip("\n")
    block = _indent(block, column)[column:]  # the first line starts where the key starts
    if pairs:
        k, v = pairs[0]
        start = k.start_mark.index
        end = _trim_end(rule_text_, start, v.end_mark.index)
        return _dump({"ok": True, "text": rule_text_[:start] + block + rule_text_[end:]})
    after = [(k, v) for k, v in node.value if getattr(k, "value", None) == _AFTER.get(key)] if node is root else []
    last_key, last_value = (after or node.value[-1:] or [(None, None)])[0]
    if last_value is None:
        return _dump({"ok": True, "text": rule_text_.rstrip("\n") + "\n" + block + "\n"})
    at = _trim_end(rule_text_, last_key.start_mark.index, last_value.end_mark.index)
    line_end = rule_text_.find("\n", at)
    at = len(rule_text_) if line_end < 0 else line_end  # after a comment on the same line
    return _dump({"ok": True, "text": rule_text_[:at] + "\n" + " " * column + block + rule_text_[at:]})


@_guarded
def add_case(cases_text: str, case_json: str) -> str:
    """Append a worked example written with the form to the cases file, as YAML text (the
    comments above the list stay); the page runs the examples after."""
    import yaml

    case = json.loads(case_json)
    if not isinstance(case, dict) or not {"name", "input", "output"} <= set(case):
        return _fail("计算示例须有名称（name）、情况（input）和期望结果（output）")
    block = yaml.safe_dump([case], allow_unicode=True, sort_keys=False, width=100)
    root = _compose(cases_text)
    if root is None and cases_text.strip() and not all(
            not line.strip() or line.lstrip().startswith("#") for line in cases_text.splitlines()):
        return _fail("示例文件须先能读取（改正 YAML 格式错误后再添加）", 1)
    if root is None:
        return _dump({"ok": True, "text": cases_text.rstrip("\n") + ("\n" if cases_text.strip() else "") + block})
    if not isinstance(root, yaml.SequenceNode):
        return _fail("示例文件应为一个列表（每项一个示例）", root.start_mark.line + 1)
    if not root.value:
        start, end = root.start_mark.index, root.end_mark.index
        return _dump({"ok": True, "text": cases_text[:start] + block.rstrip("\n") + cases_text[end:]})
    if root.flow_style:
        return _fail("示例文件的列表写成了 [...]，请改为每项一行“- ”的格式后再添加", root.start_mark.line + 1)
    at = _trim_end(cases_text, root.start_mark.index, root.end_mark.index)
    return _dump({"ok": True, "text": cases_text[:at].rstrip("\n") + "\n" + block + cases_text[at:].lstrip("\n")})
