"""The guide page for units (HR departments): batch checking with the batch page, how to
fill in the staff sheet, and linking to or embedding the tools in an intranet.

The column lists come from `calculator.batch.people` (the code that reads the sheets) and each
rule set's `template_headers`, so the page cannot name a column the reader ignores.
"""

from __future__ import annotations

import posixpath

from calculator.batch.people import (
    _DEGREES, _FIELDS, _LEVELS, CIRCUMSTANCE_COLUMNS, COVID, COVID_DESIGNATED, DEGREE, DISABILITY, FIELD, IN_POST,
    LEAVE_END, LEAVE_START, MAKEUP, NAME, PERSON_COLUMNS, RETIREMENT, RULE_SET, SPECIALTY, STAFF_ID,
    TITLE_LEVEL, UNIT, template_headers,
)

from .markdown import admonition, bullet_list, cell, code, esc, h, table
from .context import GuideContext

UNITS = "units.md"

# What each fixed column means (the reader's rules in calculator/batch/people.py).
_COLUMN_TEXT: dict[str, str] = {
    NAME: "必填。姓名为空的行不计算，并提示“姓名不能为空”。",
    STAFF_ID: "可选。原样带到结果表，便于与人事系统对照；可按工号查找。",
    UNIT: "可选。原样带到结果表和职称参评人员汇总表。",
    SPECIALTY: "可选。职称参评人员汇总表中的“申报专业”。",
    RULE_SET: "可选。留空时按页面上选择的地区、类别和年度核查；填写规则集标识（见下文“规则集标识”）时，该行按所填规则集核查，一张表可以混合不同类别的人员。",
    RETIREMENT: "可选，日期。用于“临近退休”一类的例外情形（仅当所选规则集有此规定时）。",
    LEAVE_START: "可选，日期。与“病休孕产假结束日期”须同时填写；用于病休、孕产假的例外情形。",
    LEAVE_END: "可选，日期（含当日）。",
    DISABILITY: "可选，填“是”或“否”。",
    COVID: "可选，填“是”或“否”。",
    COVID_DESIGNATED: "可选，填“是”或“否”（经卫生健康部门确定的疫情防控一线卫生专业技术人员）。",
    MAKEUP: "可选，填“是”或“否”（因机构改革转岗等客观原因确需补学以往年度学时）。",
    TITLE_LEVEL: "本年度申报职称时填写：" + "、".join(_LEVELS) + "；不申报的留空。",
    DEGREE: "申报职称时填写：" + "、".join(_DEGREES) + "（留空按“其他”）。决定职称申报的学时认定起始年度。",
    FIELD: "申报职称时填写：" + "、".join(_FIELDS) + "（留空按“其他”）。",
    IN_POST: "可选，日期。新进、调入、转岗人员到岗的日期；规则集按在岗月数折算学时要求时使用。",
}

SANDBOX = "allow-scripts allow-same-origin allow-downloads"


def _sibling(calculator_href: str, file: str) -> str:
    """`batch.html` next to the calculator page (calculator_href is "../" or ".../index.html")."""
    if calculator_href.endswith("/"):
        return calculator_href + file
    return posixpath.join(posixpath.dirname(calculator_href), file)


def page_link(href: str, text: str, cls: str = "") -> str:
    """A link to a page of the site outside the guides, as raw HTML: MkDocs reports a
    Markdown link to a file it does not build (batch.html) as a broken link."""
    extra = f' class="{h(cls)}"' if cls else ""
    return f'<a href="{h(href)}"{extra}>{h(text)}</a>'


def batch_href(ctx: GuideContext, from_page: str) -> str:
    return _sibling(ctx.calculator(from_page), "batch.html")


def units_markdown(ctx: GuideContext) -> str:
    page = UNITS
    batch = batch_href(ctx, page)
    link = page_link(batch, "批量核查页面")
    rule_sets = ctx.ordered()
    example = next((rs for rs in rule_sets if ctx.resolved(rs.id).rules.title_windows), rule_sets[0])

    hours_rows, set_rows = [], []
    fixed = set(PERSON_COLUMNS + CIRCUMSTANCE_COLUMNS)
    for rs in rule_sets:
        headers = template_headers(ctx.resolved(rs.id))
        hours = [h for h in headers if h not in fixed and "年" not in h[:5]]
        history = [h for h in headers if h not in fixed and h not in hours]
        hours_rows.append([cell(rs.title), "、".join(code(h) for h in hours),
                           f"{esc(history[0])} … {esc(history[-1])}" if history else "—"])
        query = f"rule_set={rs.id}"
        parts = f"jurisdiction={rs.jurisdiction.code}&regime={rs.regime}&year={rs.year}"
        set_rows.append([cell(rs.title), code(rs.id), code(f"?{query}"), code(f"?{parts}")])

    lines = [
        "# 单位使用：批量核查与内网嵌入",
        "单位人事部门可以一次核查全单位人员的学时：把人员学时表（Excel、WPS 的 .xlsx 或 CSV）拖进"
        f"{link}，页面逐人给出结论、各科目已取得和尚差的学时，并可导出核查结果和职称参评人员学时汇总表。"
        "也可以把计算器或批量核查页面链接、嵌入到单位内网。",
        admonition(
            "success", "人员表不会离开本机",
            "人员表只在您的浏览器中读取和计算，不上传到任何服务器（本站也没有可以接收上传的服务器）；"
            "关闭页面后不保留。导出的结果文件由浏览器直接生成。",
        ),
        "## 批量核查的步骤 {#steps}",
        f"1. 打开{link}，在第 1 步选择地区、类别和年度。\n"
        "2. 点“下载模板（CSV）”，用 Excel 或 WPS 打开，每人填一行（列的含义见下文）；已有的人事导出表只要列名对得上，也可以直接用。\n"
        "3. 保存为 .xlsx，或 CSV（Excel 默认的“CSV（逗号分隔）”为 GBK 编码，“CSV UTF-8”也可以；WPS 同样），"
        "拖到第 2 步的虚线框里，或点“选择人员表文件”。\n"
        "4. 页面分批计算并显示进度（上万行也不会卡住页面，可随时“停止”）。计算完成后，在第 3 步按结论筛选、按姓名或工号查找、"
        "点列名排序（键盘：Tab 到列名后按回车），并导出结果（CSV 或 XLSX）。\n"
        "5. 表中有人填写了“申报职称级别”时，第 4 步列出职称参评人员学时汇总表，可导出或直接打印（打印时只输出这张表）。",
        "## 人员表怎样填写 {#template}",
        "第一行是列名，从第二行起每人一行。列的顺序不限；认不出的列名会在读取后列出（写错列名会漏算学时，请对照模板检查），"
        f"“序号”“备注”两列会被忽略。数字可以带千位分隔符；日期写成 {code('2023-06-30')}、{code('2023/6/30')} 或 "
        f"{code('2023年6月30日')}，Excel 的日期格式单元格也可以；是否类的列填“是”或“否”（也认“有”“无”“√”“1”“0”），"
        "留空视为否。",
        "### 人员信息与个人情况 {#columns}",
        table(["列名", "填写说明"], [[code(c), cell(_COLUMN_TEXT[c])] for c in PERSON_COLUMNS + CIRCUMSTANCE_COLUMNS]),
        "个人情况只在所选规则集有相应规定时才影响结论（例如只有部分地区对临近退休、疫情防控一线人员有例外规定），"
        "其余情况填了也不会改变结果。",
        "### 学时列 {#hours}",
        "每个科目一列，填写本年度已取得的学时数（0 到 8784 之间）。上级科目的列是**总数**，含其下的子科目："
        "例如“公需科目学时 30，其中必修学时 24”，而不是“公需 6 + 必修 24”。列名也可以写成常见的别称："
        f"{code('公需学时')}、{code('公共科目学时')}、{code('专业学时')}、{code('专业课学时')}、{code('必修学时')}、{code('其中必修学时')} 等。",
        "申报职称的人员，还要按年度填写以往各年的学时，列名为“年份 + 公需 / 专业”，例如 "
        f"{code('2018年公需')}、{code('2018年专业')}；需要哪些年度见各规则集的“职称申报的学时年限”。",
        table(["规则集", "本年度学时列（模板中的列名）", "以往年度学时列"], hours_rows),
        "### 规则集标识 {#rule-set-ids}",
        "“规则集”列、链接参数 `rule_set` 使用下表的标识；链接也可以用地区、类别和年度三个参数指定（见下文）。",
        table(["规则集", "标识", "链接参数", "或按地区、类别、年度"], set_rows),
        "## 结果怎样看 {#results}",
        bullet_list([
            "**结论**同时用文字和符号表示（✓ 已达标或视同完成，✗ 未达标，! 可申请免训或无法计算，◐ 暂视同完成），不只靠颜色区分。",
            "**已取得 / 要求**与**尚差**：每个学时要求（年度总学时、公需、专业、必修等）各两列；尚差大于 0 的以粗体显示。",
            "**需要修改的输入**：写明行号、列名和问题，例如“第4行“公需科目学时”列：“三十”不是数字”。"
            "有误的学时单元格、活动行、往年学时不计入，这个人的结论由其余输入算出，并标为“需核对”"
            "（例如“未达标（需核对：2处输入有误，未计入）”；少算的只会是已取得的学时，所以“已达标”仍然成立，"
            "“尚差”至多是所显示的数）。姓名为空、规则集不明，或退休日期、病休孕产假、申报职称级别等决定适用哪条要求的"
            "个人情况无法读取时，这个人不给结论（缺了它结论可能错向任何一边）。改正后重新上传即可。",
            "导出的 CSV 为 UTF-8（带 BOM），Excel、WPS 打开中文不乱码；以 = + - @ 开头的姓名等文字不会被当成公式。",
            "职称参评人员学时汇总表的格式同湘西州人社局 2020 年通知的附件 2"
            "（“____年度高（中）级职称参评人员学时（分）认定汇总表”）：按每人的学时认定起止年度逐年列出公需、专业和总学时。",
        ]),
        "## 从单位内网链接或嵌入 {#embed}",
        "计算器（`index.html`）和批量核查页面（`batch.html`）都可以带参数打开，预先选好地区、类别和年度：",
        table(["参数", "含义"], [
            [code("rule_set"), "规则集标识，例如 " + code(f"rule_set={example.id}")],
            [code("jurisdiction"), "地区代码，例如 " + code(f"jurisdiction={example.jurisdiction.code}")],
            [code("regime"), code("shiye") + "（事业单位工作人员培训）或 " + code("zhuanji") + "（专业技术人员继续教育）；省略时取该地区的第一类"],
            [code("year"), "年度，例如 " + code(f"year={example.year}") + "；省略或该年度没有规则时取最新年度"],
            [code("compact"), code("compact=1") + "：紧凑模式，去掉大标题和说明、收紧间距，适合嵌入；全部功能照常可用"],
        ]),
        "链接中的地区或规则集不存在时，页面会提示并显示默认规则集。打开后地址栏会改写为 `?rule_set=…`（其余参数保留），"
        "收藏或转发的就是当前选择。",
        "链接示例（把 `https://内网地址/xueshi/` 换成本站的实际地址）：",
        "```text\n"
        f"https://内网地址/xueshi/index.html?rule_set={example.id}\n"
        f"https://内网地址/xueshi/batch.html?jurisdiction={example.jurisdiction.code}&regime={example.regime}&year={example.year}\n"
        f"https://内网地址/xueshi/batch.html?rule_set={example.id}&compact=1\n"
        "```",
        "嵌入 OA 或人事系统页面（iframe）：",
        "```html\n"
        f'<iframe src="https://内网地址/xueshi/batch.html?rule_set={example.id}&amp;compact=1"\n'
        '        title="学时批量核查" width="100%" height="900" loading="lazy"\n'
        f'        sandbox="{SANDBOX}"></iframe>\n'
        "```",
        table(["sandbox 中的权限", "作用"], [
            [code("allow-scripts"), "运行页面脚本和后台计算线程（Web Worker、WebAssembly），没有它页面无法计算"],
            [code("allow-same-origin"), "让页面保持本站身份：读取本站的规则数据和计算引擎文件、在本机浏览器保存填写的内容；"
             "没有它页面被当作来源不明，这些请求都会失败"],
            [code("allow-downloads"), "允许“下载模板”“导出结果”“导出文件”保存文件；没有它导出按钮无效"],
        ]),
        "需要在框内使用“打印汇总表”“打印结果”时，再加上 `allow-modals`（浏览器的打印对话框需要它）。"
        "不需要 `allow-top-navigation`、`allow-forms`、`allow-popups`：页面不会改变外层页面的地址；"
        "框内的“政策指南”等链接在框内打开（希望在新窗口打开时可加 `allow-popups allow-popups-to-escape-sandbox`）。",
        admonition(
            "note", "同时给出 allow-scripts 和 allow-same-origin 是否安全",
            "对同源的页面，这两项同时给出时，框内页面在技术上可以取消自己的沙箱。这里框住的是本工具自己的静态页面"
            "（不执行任何外来内容），所以没有额外风险；若把本工具放在与 OA 系统相同的域名和端口下，"
            "它也只能做它本来就能做的事。更稳妥的做法是给本工具单独的子域名或端口。",
        ),
        "部署要点（详见项目 README 的“在单位内网部署”“从单位内网链接或嵌入”）：",
        bullet_list([
            "把构建出的 `_site/` 整个目录放到内网的任一静态 Web 服务器（nginx、Apache、IIS）下，子路径也可以；页面不访问外网。",
            "服务器若发送 `X-Frame-Options: DENY` 或 `SAMEORIGIN`，或 CSP 的 `frame-ancestors` 不含 OA 系统的地址，"
            "浏览器会拒绝在 OA 页面中显示本工具：应改为 `Content-Security-Policy: frame-ancestors 'self' https://oa.内网地址`"
            "（`frame-ancestors` 只能由响应头设置，页面内的 `<meta>` 无效）。",
            "iframe 的高度由外层页面决定：批量核查结果表在框内自带滚动条，建议高度不小于 700 像素；手机上宽度 375 像素也能完整使用。",
        ]),
    ]
    return "\n\n".join(lines) + "\n"
