"""The guide for rule authors: how to add a jurisdiction, and a field reference generated
from the pydantic models (the same models that validate rule files and produce the JSON
Schema), so the reference cannot describe a field the validator does not know.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from calculator.models.facts import FACT_LABELS
from calculator.rulefiles.loader import CASES_SUFFIX
from calculator.models.rules import SECTIONS, RuleSet

from .markdown import cell, code, esc, table
from .context import AUTHORS, REFERENCE, SCHEMA_DIR, VALUE_LABELS, GuideContext, md_link, rule_page
from .units import _sibling, page_link

MODEL_TITLES: dict[str, str] = {
    "RuleSet": "规则文件（顶层）", "Jurisdiction": "辖区", "SourceDocument": "来源文件",
    "NotEncoded": "引用但未编码的文件", "Note": "其他说明", "Category": "科目", "Requirement": "学时要求",
    "Alternative": "其他达标方式", "Deadline": "截止日期", "Condition": "条件", "Conversion": "学时折算",
    "Quantity": "填写的数量", "ChoiceOption": "选项（从列表中选择）", "IntegerOption": "选项（填写整数）",
    "ConversionRow": "折算标准（一行）", "IntRange": "整数范围", "YearException": "例外情形",
    "Exclusion": "不计学时的情形", "TitleWindow": "职称申报的学时年限", "TitleMatch": "适用的申报人",
    "Makeup": "补学", "CarryOver": "结转", "Cap": "计入上限", "FeeRate": "费用：课时费用", "FreeHours": "费用：免费学时",
    "ReimbursementLimit": "费用：报账限额", "Removal": "删除上级规则的条目", "Citation": "引文（出处）",
    "Tier": "分段折算的一段", "YearBegins": "年度的起止（不是自然年时）",
}
# Where a field has no `description` in the model, what it means (shared names only).
FIELD_HINTS: dict[str, str] = {
    "format": "文件格式版本，写 xueshi.rules/2（旧的 xueshi.rules/1 自动升级）",
    "id": "条目标识：小写字母开头，可含数字和下划线，用连字符分段；同一部分内不得重复。下级规则写相同的 id 即替换上级条目",
    "title": "标题", "label": "显示名称", "name": "名称", "text": "说明文字", "hours": "学时数",
    "citation": "出处：来源文件、条款和原文逐字摘录（必填；缺少或与原文不符即校验失败）",
    "jurisdiction": "本规则集适用的辖区", "regime": "类别", "year": "年度", "summary": "一段话概述",
    "level": "辖区级别", "number": "文号", "issuer": "发文机关", "date": "日期（年-月-日）",
    "note": "补充说明", "why": "未编码的原因", "within": "上级科目 id", "alternative": "其他达标方式（如按天数）",
    "amount": "数量", "unit": "单位", "description": "对这类活动的说明",
    "quantity": "本人需填写的数量", "options": "本人需回答的问题（作者排序、奖项级别等）",
    "rows": "折算标准：满足 when 的第一行适用，每 per 个数量计 hours 学时",
    "when": "条件", "per": "每多少个数量计一次 hours（默认 1）", "choices": "可选值：id → 中文",
    "min": "最小值", "max": "最大值", "type": "选项类型", "effect": "效果", "match": "适用的申报人",
    "levels": "申报级别", "degrees": "学历", "fields": "专业类别", "start_year": "起始年度",
    "target_years": "可补学的年度", "kind": "费用类型", "yuan_per_hour": "每学时费用（元）",
    "yuan": "金额（元）", "section": "条款位置", "evidence": "需保存的证明材料",
    "fact": "本人情况（见下文“可用的情况”）", "op": "比较方式", "value": "比较的数值",
    "any": "任一条件成立即可", "all": "全部条件成立", "code": "辖区代码",
    "remove": "删除上级规则中的条目（须注明依据）", "sources": "来源文件",
    "not_encoded": "文件中提到、但本工具未编码的其他文件（写明原因）", "notes": "计算器不计算、但读者应知道的内容",
    "categories": "科目", "requirements": "学时要求", "deadlines": "截止日期", "conversions": "学时折算",
    "exceptions": "例外情形（视同完成、可申请免训、暂视同完成）", "exclusions": "不计学时的情形",
    "title_windows": "职称申报的学时年限", "makeup": "补学", "fees": "费用",
    "up_to": "分段折算：本段到数量累计多少为止",
}

_ID_PATTERN = r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$"


def anchor_of(model: type[BaseModel]) -> str:
    return f"model-{model.__name__.lower()}"


def _constraints(metadata: list[Any], unit: str = "个字") -> tuple[list[str], bool]:
    """Readable constraints from pydantic metadata; True if it is the id pattern."""
    out: list[str] = []
    is_id = False
    for m in metadata:
        if isinstance(m, FieldInfo):
            inner, inner_id = _constraints(list(m.metadata), unit)
            out += inner
            is_id = is_id or inner_id
            continue
        pattern = getattr(m, "pattern", None)
        if pattern == _ID_PATTERN:
            is_id = True
        elif pattern:
            out.append(f"格式 {code(pattern)}")
        for attr, text in (("min_length", "至少 {} " + unit), ("max_length", "至多 {} " + unit),
                           ("ge", "≥ {}"), ("gt", "> {}"), ("le", "≤ {}"), ("lt", "< {}")):
            value = getattr(m, attr, None)
            if value is not None:
                out.append(text.format(value))
    if is_id:
        out = [c for c in out if "64" not in c]
    return out, is_id


class _Types:
    """Turns annotations into Chinese type descriptions and collects the models they name."""

    def __init__(self, page: str):
        self.page = page
        self.models: list[type[BaseModel]] = []

    def model_link(self, model: type[BaseModel]) -> str:
        if model not in self.models:
            self.models.append(model)
        return f"[{esc(MODEL_TITLES.get(model.__name__, model.__name__))}](#{anchor_of(model)})"

    def render(self, tp: Any, metadata: list[Any] | None = None) -> tuple[str, bool]:
        """(text, optional) for an annotation."""
        metadata = list(metadata or [])
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(tp)
            return self.render(base, metadata + list(extra))
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            optional = len(args) < len(typing.get_args(tp))
            texts = [self.render(a)[0] for a in args]
            text = " 或 ".join(texts)
            cons, _ = _constraints(metadata)
            return text + (f"（{'，'.join(cons)}）" if cons else ""), optional
        if origin is Literal:
            values = typing.get_args(tp)
            shown = "、".join(
                code(v) + (f"（{esc(VALUE_LABELS[v])}）" if isinstance(v, str) and v in VALUE_LABELS else "")
                for v in values
            )
            return ("固定为 " if len(values) == 1 else "取值之一：") + shown, False
        if origin is list:
            (item,) = typing.get_args(tp)
            cons, _ = _constraints(metadata, "项")
            return f"列表，每项为 {self.render(item)[0]}" + (f"（{'，'.join(cons)}）" if cons else ""), False
        if origin is dict:
            key, value = typing.get_args(tp)
            cons, _ = _constraints(metadata, "项")
            return (f"映射：{self.render(key)[0]} → {self.render(value)[0]}"
                    + (f"（{'，'.join(cons)}）" if cons else "")), False
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return self.model_link(tp), False
        cons, is_id = _constraints(metadata)
        names = {str: "文本", int: "整数", float: "数字", bool: "是/否（true/false）"}
        if getattr(tp, "__name__", "") == "date":
            base = "日期（YYYY-MM-DD）"
        elif is_id:
            base = "标识符（小写字母开头，字母、数字、下划线，用连字符分段，至多 64 个字符）"
        else:
            base = names.get(tp, getattr(tp, "__name__", str(tp)))
        return base + (f"（{'，'.join(cons)}）" if cons else ""), False

    def field_row(self, name: str, info: FieldInfo) -> list[str]:
        text, optional = self.render(info.annotation, list(info.metadata))
        required = info.is_required()
        if required:
            need = "**必填**"
        else:
            default = info.get_default(call_default_factory=True)
            if default is None or default == [] or default == {}:
                need = "可选"
            else:
                shown = str(default).lower() if isinstance(default, bool) else str(default)
                need = f"可选，默认 {code(shown)}"
        if optional and required:
            need += "（可写 null）"
        description = info.description or FIELD_HINTS.get(name) or "—"
        return [code(name), need, cell(description), text]


def reference_markdown(ctx: GuideContext) -> str:
    page = REFERENCE
    types_ = _Types(page)
    types_.models.append(RuleSet)
    out = [
        "---\nhide: [navigation]\n---\n",
        "# 规则文件字段参考\n",
        "本页由计算器的数据模型（`calculator/models/rules.py`）自动生成；规则文件校验、JSON Schema 与本页出自同一份定义。"
        "“必填”的字段缺少时，`python -m calculator validate` 会指出文件、字段和原因。\n",
        f"规则文件的 JSON Schema：[ruleset.schema.json]({md_link(page, f'{SCHEMA_DIR}/ruleset.schema.json')})。"
        f"个人情况（案例）文件：[case.schema.json]({md_link(page, f'{SCHEMA_DIR}/case.schema.json')})。\n",
    ]
    done: set[type[BaseModel]] = set()
    i = 0
    while i < len(types_.models):
        model = types_.models[i]
        i += 1
        if model in done:
            continue
        done.add(model)
        title = MODEL_TITLES.get(model.__name__, model.__name__)
        rows = [types_.field_row(name, info) for name, info in model.model_fields.items()]
        section = f"## {esc(title)} {{#{anchor_of(model)}}}\n\n模型 {code(model.__name__)}。\n\n"
        if model is RuleSet:
            section += "各部分（列表）中的条目都以 `id` 区分；下级规则集用相同的 `id` 替换上级条目，用 `remove` 删除。\n\n"
        if model.__name__ == "Condition":
            section += ("一个条件只能写成三种形式之一：`fact` + `op`（+ `value`）、`any`（任一成立）或 `all`（全部成立）。"
                        "可用的情况见[下文](#facts)。\n\n")
        out.append(section + table(["字段", "必填", "说明", "类型"], rows))
    fact_rows = [[code(k), cell(v)] for k, v in FACT_LABELS.items()]
    out.append(
        "## 可用的情况（条件中的 fact） {#facts}\n\n"
        "条件只能引用以下由计算引擎根据本人情况推算的事实（`calculator/models/facts.py`）；"
        "需要新的情况时须修改引擎，而不是在规则文件中自行定义。\n\n" + table(["fact", "含义"], fact_rows)
    )
    return "\n".join(out)


def _first_case(text: str) -> str:
    """The first `- name:` item of a cases file, as written."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("- name:")]
    if not starts:
        return text
    end = starts[1] if len(starts) > 1 else len(lines)
    return "\n".join(lines[starts[0]:end]).rstrip()


def authors_markdown(ctx: GuideContext, rules_dir: Path) -> str:
    page = AUTHORS
    children = [rs for rs in ctx.ordered() if rs.extends]
    example_child = min(children, key=lambda rs: len(rs.model_dump_json())) if children else None
    sections_list = "、".join(code(s) for s in SECTIONS)
    schema = lambda name: md_link(page, f"{SCHEMA_DIR}/{name}.schema.json")  # noqa: E731
    out = [
        "# 规则编写指南\n",
        "本指南写给各地政策部门中负责维护规则的同志。本工具的全部规则都是 `rules/` 目录下的 YAML 数据文件："
        "计算器、本政策指南和各地对照表都从这些文件生成。**新增或修改一个辖区的规则不需要改动任何程序代码。**\n",
        f"各字段的完整说明见[字段参考]({md_link(page, REFERENCE)})。\n",
        f"不熟悉 YAML、git 和命令行时，可以在本站的{page_link(_sibling(ctx.calculator(page), 'studio.html'), '规则编写工作室')}"
        "中完成下文的步骤：粘贴原文、编写规则和计算示例、随改随校验（与命令行相同的检查）、预览计算结果，"
        "下载 zip 后交给维护本工具的同志放入 `rules/` 提交。\n",
        "## 文件的组织 {#layout}\n",
        "- 一个规则集 = 一个辖区 + 一个类别（事业单位工作人员培训 `shiye` / 专业技术人员继续教育 `zhuanji`）+ 一个年度，"
        "写在一个文件中，文件名与 `id` 相同，例如 `rules/hunan/xiangxi/xiangxi-zhuanji-2020.yaml`。\n"
        f"- 同目录下的 `<id>{CASES_SUFFIX}` 是该规则集的计算示例（测试用例），每条写明输入、期望结果和所证明的条款。\n"
        "- `rules/sources/` 保存来源文件的原文文本；规则中的每一处引文都会与原文逐字核对（忽略空白）。\n"
        f"- 每个条目属于以下部分之一：{sections_list}。\n",
        "## 新增一个辖区 {#add}\n",
        "1. 把来源文件的原文保存为 `rules/sources/<名称>.txt`（UTF-8 纯文本）。\n"
        "2. 新建规则文件 `rules/<省>/<...>/<id>.yaml`，第一行写明 JSON Schema（见下文），填写 `id`、`title`、"
        "`jurisdiction`、`regime`、`year`、`last_checked`、`sources`，再逐条写学时要求、折算、例外等。"
        "**每个带数字的条目都必须有 `citation`**：来源文件 id、条款位置、原文逐字摘录；"
        "原文没有写明、本工具不得不作出理解的地方，写在 `interpretation` 中，指南中会与原文分开显示。\n"
        "3. 新建 `<id>.cases.yaml`，为每一条计算规则写至少一个示例。\n"
        "4. 运行校验和示例（见下文），全部通过后提交。计算器和本指南在下一次构建时自动包含新规则集。\n",
        "## 下级规则只写变化 {#extends}\n",
        "市州、单位的规则通常在上级规则之上增加或修改几条。用 `extends: <上级规则集 id>` 声明上级，"
        "然后只写：新增的条目（新的 `id`）、替换的条目（与上级相同的 `id`）、删除的条目（`remove`，须注明依据）。"
        "重复上级未改变的条目会被测试视为错误。\n",
    ]
    if example_child is not None:
        path = next(rules_dir.rglob(f"{example_child.id}.yaml"))
        link = md_link(page, rule_page(example_child.id))
        out.append(
            f"例如 [{esc(example_child.title)}]({link}) 的规则文件（`{path.relative_to(rules_dir).as_posix()}`）全文：\n\n"
            "```yaml\n" + path.read_text(encoding="utf-8").rstrip() + "\n```\n"
        )
        cases = path.with_name(example_child.id + CASES_SUFFIX)
        if cases.is_file():
            out.append(
                f"它的第一个计算示例（`{cases.relative_to(rules_dir).as_posix()}`）：\n\n"
                "```yaml\n" + _first_case(cases.read_text(encoding="utf-8")) + "\n```\n\n"
                "`input` 是个人情况（与计算器“导出”的文件格式相同），`output` 只写需要核对的数字，"
                "`proves` 列出该示例所证明的条款编号。\n"
            )
    out += _language_sections(rules_dir)
    out += [
        "## 校验 {#validate}\n",
        "在项目目录下运行：\n\n"
        "```sh\npython -m calculator validate   # 结构、引用、继承关系，以及引文与原文逐字核对\n"
        "python -m calculator examples   # 逐个运行计算示例，与期望结果比较\n```\n\n"
        "出错时会指出文件、字段和原因（中文），例如某条引文在原文中找不到、某个科目 id 未定义。"
        "构建网站时同样会运行全部示例：**任何一个示例与计算结果不一致，网站和本指南都不会生成**。\n",
        "## 在编辑器中使用 JSON Schema {#schema}\n",
        "每个规则文件的第一行是：\n\n"
        "```yaml\n# yaml-language-server: $schema=../../schema/ruleset.schema.json\n```\n\n"
        "路径是从该文件到 `rules/schema/ruleset.schema.json` 的相对路径（文件在 `rules/<省>/` 下时为 `../schema/...`）。"
        "支持 YAML 语言服务器的编辑器（例如安装了 YAML 扩展的 VS Code）会据此在输入时提示字段、检查类型和必填项。"
        "JSON Schema 由同一份数据模型生成，可在此下载：\n\n"
        f"- [规则文件 ruleset.schema.json]({schema('ruleset')})\n"
        f"- [个人情况（案例）文件 case.schema.json]({schema('case')})\n"
        f"- [计算结果 result.schema.json]({schema('result')})\n\n"
        "重新生成：`python -m calculator schema`。\n",
        "## YAML 锚点：同一段引文只写一次 {#anchors}\n",
        "几个条目引用同一句原文时，第一次出现处在值前写 `&名字`（锚点），以后用 `*名字` 引用同一内容：\n\n"
        "```yaml\nrequirements:\n  - id: public\n    category: public\n    hours: 30\n"
        "    citation: &req {source: doc-1, section: 一、学时要求, quote: 其中公需科目不少于30学时}\n"
        "  - id: professional\n    category: professional\n    hours: 42\n    citation: *req\n```\n\n"
        "`*req` 与写出全部内容完全相同（锚点只在同一个文件内有效）。校验时每个数字仍须出现在它的引文中。\n",
        "## 在 Windows 或 Linux 上准备环境 {#setup}\n",
        "需要 Python 3.11 或更新版本（Windows 可从 Python 官方网站或应用商店安装，安装时勾选“Add python.exe to PATH”）。"
        "在项目目录中：\n\n"
        "```sh\n# Linux / macOS\npython3 -m venv .venv\n.venv/bin/python -m pip install -e .\n"
        ".venv/bin/python -m calculator validate\n.venv/bin/python -m calculator examples\n```\n\n"
        "```bat\nrem Windows（命令提示符或 PowerShell）\npy -3 -m venv .venv\n.venv\\Scripts\\python -m pip install -e .\n"
        ".venv\\Scripts\\python -m calculator validate\n.venv\\Scripts\\python -m calculator examples\n```\n\n"
        "文件一律用 UTF-8 编码保存（记事本“另存为”时选择 UTF-8）。旧格式（`xueshi.rules/1`）的文件仍可使用，"
        "`python -m calculator migrate <文件>` 把它升级为当前格式，注释和锚点保持不变。\n",
        "## 提交 {#submit}\n",
        "校验和示例全部通过后，把规则文件、`.cases.yaml` 和 `rules/sources/` 下的原文一起提交（在代码托管平台上发起合并请求，"
        "或把这三个文件打包发给项目维护者）。提交说明写明：文件的文号、核对日期，以及每一处 `interpretation` 的理由。"
        "持续集成会在另一台机器上重新运行全部校验、示例和浏览器测试，全部通过后才会合并。\n",
        "## 政策指南如何生成 {#guides}\n",
        "本指南的每个规则集页面都由规则文件生成：每一条目都有固定的链接锚点 `#<部分>-<条目 id>`"
        "（例如 `#conversions-paper`），计算器中的“依据”直接链接到这里；计算示例的数字在生成页面时由计算引擎算出。"
        "因此，指南与计算器不会出现不一致。\n",
    ]
    return "\n".join(out)


def _language_sections(rules_dir: Path) -> list[str]:
    """The mechanisms of the format, a complete stand-alone province, clause ids, and what the
    format cannot express yet."""
    example = rules_dir.parent / "examples" / "rules" / "shili" / "shili-zhuanji-2025.yaml"
    out = [
        "## 规则语言的各项机制 {#mechanisms}\n",
        "- **期间**：`year` 是年度；三年一个周期时写 `year: 2024` 和 `period_years: 3`（2024—2026年）。"
        "按年度、周期内任一年份都能找到该规则集。年度不是自然年时写 `year_begins`（带 `citation`），例如"
        "“学时年度自上一年11月1日起至当年10月31日止”写作 `{month: 11, day: 1, year: previous}`；活动的日期、"
        "请假和在岗月数都按这样的年度计算。\n"
        "- **科目**：`categories` 中声明本地的科目（公需、专业、选修……，`id` 自定），`within` 表示属于哪个上级科目"
        "（学时同时计入上级）；顶层科目默认计入总学时，`counts_toward_total: false` 则不计入。程序不认识任何特定的科目 id。\n"
        "- **学时要求**：`category` 对一个科目，`categories` 对几个科目合计，两者都不写表示总学时；"
        "`over: year`（默认）按每个年度，`over: period` 按整个周期合计（以往年度学时由本人在“以往年度学时”中填写）。"
        "`categories` 加 `combine: any` 表示其中任一科目达到即可（“从2个专题中任选1个学满30学时”）。"
        "总学时要求不是必需的：只有周期内某个科目合计要求（如“每个周期专业科目不少于180学时”）的规则集同样可以。\n"
        "- **折算**：每种活动一条 `conversions`；`category` 固定科目，`category_choices` 由本人选择，"
        "两者都不写表示只计入总学时。`rows` 的 `hours`/`per` 即“每 per 个数量计 hours 学时”，`rounding: floor` 表示不足一个 per 的部分不计。\n"
        "- **分段折算与每项上限**：一行 `rows` 写 `up_to` 和 `then` 即分段折算，例如“前20学时按1:1，其后按1:0.5”写作 "
        "`{hours: 1, up_to: 20, then: [{hours: 0.5}]}`（`then` 中除最后一段外每段写到数量累计多少为止的 `up_to`）；"
        "`max_hours` 是每项活动按这一行最多计多少（“每次最多计8学时”）。\n"
        "- **积分**：`quantity: {unit: point}` 记录学习平台的积分（如“积分200折算1学时”写作 `{hours: 1, per: 200}`）。\n"
        "- **学分与学时的换算**：折算的 `hours` 总是本规则集的单位（`unit_name`）。活动按学分记录时写 `quantity: {unit: credit}`，"
        "如“每1学分折算3学时”写作 `{hours: 3}`；规则集按学分计、活动按学时记录时写 `quantity: {unit: hour}` 和 `per`，"
        "如“每3学时计1学分”写作 `{hours: 1, per: 3}`。\n"
        "- **计入上限**：`caps` 规定某几类活动每年度（或整个周期）最多计入多少学时，例如“论文每年最多计30学时”。\n"
        "- **补学**：`makeup` 让本年度超出要求的学时补足以往年度的缺口：`target_years` 写明年份，或 `years_back` 写“前几年”；"
        "`max_years` 一次最多认定几个年度，`max_hours` 最多补多少学时，`counted_from` 只允许某几类活动的学时。\n"
        "- **结转**：`carry_over` 让以往年度超出要求的学时计入本年度，`years_back`、`max_hours` 同上。"
        "补学和结转按有年度要求的各科目分别计算（`categories` 可只列其中几个）；只有年度总学时要求、不分科目的规则集，"
        "按总学时补学和结转（以往年度填写总学时，结果中的科目写作 `total`）。\n"
        "- **例外**：`exceptions` 的效果是 `deemed_complete`（视同完成）、`provisional`（暂视同完成，可只对某些科目）或 "
        "`exemption_available`（可申请免训）；几条同时适用时按 `exception_precedence` 的先后（默认即上述顺序），与书写顺序无关。"
        "条件 `when` 引用程序从个人情况推导的事实（见字段参考中的“可用的情况”），所有人都适用时写 `when: always`。\n"
        "- **不计学时的情形**：`exclusions`；效果不同、可能同时适用于同一活动的两条，须用 `overrides`（本条优先）或 "
        "`yields_to`（本条让位）声明先后，否则校验报错。\n"
        "- **截止日期**：`deadlines` 的 `starts` 是开始日期（早于它的学习不计入，如“从2025年1月5日开始”）；`scope: year` 表示晚于该日的学习不计入本年度；`scope: title_application` 表示只影响"
        "当年职称申报（例如“申报职称的须在11月底前完成”：晚于该日的学习仍计入年度，但不能用于申报）。\n"
        "- **职称申报年限**：`title_windows` 用 `start_year`（从哪一年起）或 `years`（最近几年）；`through: previous_year` "
        "表示年限到申报当年的上一年度为止（“申报当年之前五年”），默认含申报当年。年限内每一年度都须达到当年要求（默认），"
        "或写 `measure: sum` 和 `totals`（如 `{total: 360}`、`{professional: 240}`）按年限内各年度合计衡量（“累计不少于360学时”）；"
        "级别可用 `zhenggao`、`fugao`、`zhongji`、`chuji`（初级）。\n"
        "- **计量单位**：`unit_name: 学分` 时，计算器、批量核查（模板的列名和填表说明）和本指南（要求、折算标准、"
        "计算示例的表格）都说“学分”；活动本身按学时记录的（如“平台记录的学时”），数量的单位仍是学时。\n",
        "- **按比例的要求**：`share: {of: total, fraction: 2/3}` 表示本条要求是另一条要求（`of`）的几分之几或百分之几"
        "（`fraction` 写 `2/3` 或 `30%`），例如“专业科目一般不少于总学时的三分之二”。它是数据而不是固定的数字："
        "下级规则集提高了总学时，这一条随之提高。校验时比例须出现在引文中（“三分之二”“2/3”“百分之三十”都认）。\n"
        "- **常设规定**：`standing: true` 表示自 `year` 起每年（或每 `period_years` 年一个周期）都适用，直到同一辖区、"
        "同一类别的新规则集开始，例如国家的两部规定；不必每年复制一份。按年度的下级规则集可以 `extends` 常设的上级。\n"
        "- **因人而异的要求**：程序推导不出、又决定适用哪条要求的个人情况（现有职称、岗位类别、单位类型……）写在 `questions` 中"
        "（`type`：`choice` 选项、`number` 数字、`yes_no` 是否），计算器会向本人提问，批量核查按问题的名称读取同名的列；"
        "要求用 `applies_when` 写明只对谁适用（条件的 `fact` 写问题的 `id`，`op: in` 对几个选项之一）。"
        "没有回答的问题会被要求填写，不会替本人猜测。\n"
        "- **按比例减少的要求**：`reductions` 写明条件 `when` 和折算 `factor`（`fact` 按哪个事实、`of` 分母、"
        "`complement: true` 按“1 - 事实/分母”、`whole: true` 不足一个单位的部分不计）、`requirements` 折算哪几条要求、"
        "`rounding` 取整方式，例如新入职人员按本年度在岗月数（`person.in_post_since`）、病休“每满1个月减少1/12”。\n",
        "## 来源说明与所在地 {#provenance}\n",
        "- **来源说明**：每个 `sources` 条目都须写 `provenance`，否则校验不通过："
        "`kind` 是 `official`（发文机关公布的原文）、`repost`（其他网站转载的全文）、`excerpt`（只取得部分原文）、"
        "`report`（新闻报道对文件的转述）、`supplied`（项目收集、出处未记录）或 `fictional`（虚构示例）；"
        "`urls` 取得原文的网页地址、`retrieved` 取得日期（前四种必填），`via` 取得方式（`supplied`、`fictional` 必填），"
        "`complete: false` 与 `missing` 写明未取得的部分（摘录必填），`disagreements` 写明几个转载文本哪里不同、采用哪一个、为什么。"
        "规则集依据的不是发文机关自己公布的原文时，计算器、命令行、批量核查和本指南都会提醒，"
        "例如“依据转载文本，请以发文机关公布的原文为准”。\n"
        "- **所在地**：`jurisdiction.code` 必须是 `rules/places.json` 中某地的代码（如 `guangdong`、`hunan-xiangxi`，"
        "由 `python -m sitebuild.places` 生成，含全部省级和地市级行政区），单位级规则集的 `code` 自定、`parent` 写所在地的代码。"
        "一个地方没有自己的规则集时，计算器按最近的上级（最终是国家）的规则集计算并注明；本指南首页的“各地收录情况”列出这些地区。\n",
        "## 一个完整的省级规则文件 {#standalone}\n",
        "下面是一个虚构的“示例省”规则文件（`examples/rules/shili/`，原文也是虚构的），它不继承任何上级规则，"
        "演示第三个科目、按天和按分钟折算、计入上限和只计入总学时的活动。同一目录下还有补学与结转、三年学分周期的示例。"
        "示例规则集和真实规则集一样经过校验和测试，但不出现在计算器和本指南的规则列表中。\n",
    ]
    if example.is_file():
        out.append("```yaml\n" + example.read_text(encoding="utf-8").rstrip() + "\n```\n")
    out += [
        "## 计算示例与条款编号 {#proves}\n",
        "每个示例的 `proves` 列出它证明的条款编号。编号由编写者自定，建议用“辖区缩写+年份-条款序号”，"
        "例如湘西州2020年文件第5条写作 `X20-5`、第8条第3项写作 `X20-8.3`；同一条款的几个示例用同一编号。"
        "编号只用于把示例与原文条款对应起来，帮助审核者确认每一条计算规则都有示例，不参与计算。\n",
        "## 目前还不能表达的规则 {#limits}\n",
        "以下情形本格式还不能写成数据；遇到时请在 `not_encoded` 或 `notes` 中写明，不要自行编造数字：\n\n"
        "- 跨规则集的补学或结转（例如上一年度适用另一份文件的要求）：以往年度的要求由本人填写，否则按本规则集的要求。\n"
        "- 职称申报年限内各年度适用不同规则集时的合计：年限内合计只按本规则集的科目和 `totals` 计算。\n"
        "- 只对某几类活动适用的学习期间（例如“公需科目在线学习时间为5月至12月”）：`deadlines.starts` 对所有活动适用。\n"
        "- 从本人取得现有职称（或毕业）的年份起算、并有最早年份的申报年限（例如“2021-2015=6门”“上限为11门”）。\n",
    ]
    return out


__all__ = ["authors_markdown", "reference_markdown"]
