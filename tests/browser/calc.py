"""Driving the calculator page as a person does: choosing, clicking, typing.

Labels are looked up in the form specs the page itself is drawn from (the
build's forms.*.json), so a case written in ids (like a case file) is typed in
through the visible labels.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

ENGINE_TIMEOUT_MS = 90_000

# Labels of the circumstances controls (site/static/js/person.js).
CHECK_LABELS = {
    "covid_frontline": "参与疫情防控一线工作",
    "covid_frontline_designated": "经卫生健康部门确定的疫情防控一线卫生专业技术人员",
    "disability": "因身体残疾等原因不能按期培训",
    "makeup_eligible": "因机构改革（如由管理岗位转为专业技术岗位）等客观原因确需补学以往年度学时",
}


def history_labels(form: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Labels of the earlier years' inputs (site/static/js/person.js), by category id."""
    unit = form["unit_name"]
    return {
        "hours": {c["id"]: f"{c['name']}{unit}" for c in form["top_categories"]},
        "required": {c["id"]: f"该年{c['name']}要求（可选）" for c in form["top_categories"]},
    }


def headline(result: Any) -> str:
    """The verdict the page leads with: a title applicant's title verdict, else the year's."""
    return result.title.status_label if result.title else result.status_label


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def figure(text: str) -> float:
    match = re.search(r"-?\d+(?:\.\d+)?", text.replace(",", ""))
    assert match, f"no number in {text!r}"
    return float(match.group())


class Calculator:
    def __init__(self, page: Page, forms: dict[str, Any]):
        self.page = page
        self.forms = forms
        self.catalog = {rs["id"]: rs for rs in forms["catalog"]}

    # ------------------------------------------------------------ loading

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.wait_engine()
        self.settle()

    # Waits use locators: wait_for_function evaluates its predicate with eval(),
    # which the page's CSP (rightly) forbids.

    def wait_engine(self) -> None:
        self.page.locator("body[data-engine]").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
        state = self.page.locator("body").get_attribute("data-engine")
        assert state == "ready", self.page.locator("#engine").inner_text()

    def settle(self) -> None:
        """Wait until the result and the activities' previews for the latest input are on screen
        (js/evaluation.js: a preview can arrive after the result; reading the form before it did
        made test_seed compare two pages caught at different moments, under ./dev stress)."""
        self.page.locator("body[data-evaluated]:not([data-busy]):not([data-previewing])").wait_for(
            state="attached", timeout=ENGINE_TIMEOUT_MS
        )

    # ------------------------------------------------------------ choosing a rule set

    def choose(self, rule_set: str) -> None:
        rs = self.catalog[rule_set]
        root = rs
        codes = {r["jurisdiction"]: r for r in self.catalog.values()}
        while root["jurisdiction_parent"] in codes:
            root = codes[root["jurisdiction_parent"]]
        picker = self.page.locator("#picker")
        picker.get_by_label("省份").select_option(label=rs["province_name"] or root["jurisdiction_name"])
        place = picker.get_by_label("地区或单位")
        if place.is_enabled():  # disabled when the province has a single place
            place.select_option(value=rs["jurisdiction"])
        regime = picker.get_by_label("类别")
        if regime.is_enabled():
            regime.select_option(label=rs["regime_name"])
        year = picker.get_by_label("年度", exact=True)
        if year.is_enabled():
            year.select_option(label=f"{rs['year']}年度")
        expect(self.page.locator(".ruleset-title")).to_have_text(rs["title"])

    # ------------------------------------------------------------ typing a case

    def fill_case(self, case: dict[str, Any]) -> None:
        self.choose(case["rule_set"])
        person = case.get("person", {})
        if person.get("name"):
            self.page.get_by_label("姓名（可选）").fill(person["name"])
        for activity in case.get("activities", []):
            self.add_activity(activity, case["rule_set"])
        self.fill_person(person)
        for row in case.get("history", []):
            self.add_history(row, case["rule_set"])
        self.settle()

    @staticmethod
    def press(button: Locator) -> None:
        """Enter on the focused button, as a keyboard user would. A mouse click can land beside
        it: the preview and result of the previous entry arrive asynchronously and change the
        height of the card above (seen: the click hit section#activities, the add was lost)."""
        button.focus()
        button.press("Enter")

    def add_activity(self, a: dict[str, Any], rule_set: str) -> Locator:
        form = self.forms["forms"][rule_set]
        conv = next(c for c in form["conversions"] if c["id"] == a["kind"])
        self.press(self.page.get_by_role("button", name="＋ 添加一项"))
        card = self.page.locator("li.activity").last
        card.get_by_label("活动类型").select_option(label=conv["label"])
        if a.get("name"):
            card.get_by_label("名称", exact=True).fill(a["name"])
        card.get_by_label(conv["quantity_label"], exact=True).fill(number_text(a["quantity"]))
        if len(conv["categories"]) > 1:
            name = next(c["name"] for c in conv["categories"] if c["id"] == a["category"])
            card.get_by_label("计入科目").select_option(label=name)
        for option in conv["options"]:
            value = a["options"][option["name"]]
            control = card.get_by_label(option["label"], exact=True)
            if option.get("type") == "integer":
                control.fill(str(value))
            else:
                control.select_option(label=option["choices"][value])
        if a.get("date"):
            card.get_by_label("日期（可选）").fill(a["date"])
        for flag in a.get("flags", []):
            question = next(f["question"] for f in conv["flags"] if f["id"] == flag)
            box = card.get_by_label(question)
            # Space on the focused box, as a keyboard user would: a click can land beside the
            # box when an error message above it appears or clears at that moment (layout shift).
            box.focus()
            box.press(" ")
            expect(box).to_be_checked()
        return card

    def fill_person(self, p: dict[str, Any]) -> None:
        page = self.page
        if p.get("retirement_date"):
            page.get_by_label("法定退休日期").fill(p["retirement_date"])
        for leave in p.get("leaves", []):
            page.get_by_role("button", name="＋ 添加一段假期").click()
            row = (
                page.locator("#person-fields fieldset", has_text="病休、孕产假").locator("li.range-row").last
            )
            row.get_by_label("类型").select_option(value=leave["kind"])
            row.get_by_label("开始日期").fill(leave["start"])
            row.get_by_label("结束日期（含当日）").fill(leave["end"])
        for posting in p.get("postings", []):
            page.get_by_role("button", name="＋ 添加一段外派").click()
            row = page.locator("#person-fields fieldset", has_text="外派经历").locator("li.range-row").last
            row.get_by_label("任务").select_option(value=posting["kind"])
            row.get_by_label("开始日期").fill(posting["start"])
            row.get_by_label("结束日期（含当日）").fill(posting["end"])
            if posting.get("assessment_passed"):
                row.get_by_label("考核合格").check()
        for key, label in CHECK_LABELS.items():
            if p.get(key):
                page.get_by_label(label).check()
        title = p.get("title_application")
        if title:
            page.get_by_label("本年度申报职称").check()
            page.get_by_label("申报级别").select_option(value=title["level"])
            page.get_by_label("最高学历（学位）").select_option(value=title.get("degree", "other"))
            page.get_by_label("专业领域").select_option(value=title.get("field", "other"))

    def add_history(self, row: dict[str, Any], rule_set: str) -> None:
        """One earlier year, as a xueshi.case/2 history row ({year, hours: {id: h}, required: {id: h}})."""
        labels = history_labels(self.forms["forms"][rule_set])
        self.press(self.page.get_by_role("button", name="＋ 添加一个年度"))
        line = self.page.locator("li.history-row").last
        line.get_by_label("年度", exact=True).fill(str(row["year"]))
        for group in ("hours", "required"):
            for category, value in (row.get(group) or {}).items():
                line.get_by_label(labels[group][category], exact=True).fill(number_text(value))

    # ------------------------------------------------------------ reading the result

    def status_label(self) -> str:
        return self.page.locator("#status .status-label").inner_text()

    def summary(self) -> str:
        return self.page.locator("#status .status-summary").inner_text()

    def requirement(self, line_id: str) -> tuple[float, float]:
        item = self.page.locator(f'li.req[data-req="{line_id}"]')
        return figure(item.locator(".req-earned").inner_text()), figure(
            item.locator(".req-required").inner_text()
        )

    def money(self, element_id: str) -> float:
        return figure(self.page.locator(f"#{element_id}").inner_text())

    def activity_hours(self) -> list[str]:
        return self.page.locator(".activity-lines .line-hours").all_inner_texts()
