"""Driving the batch page (batch.html) as an HR officer does, and the sheets they upload.

Used by tests/browser/test_batch.py, the screenshots (`python -m tests.browser.batch_shots`)
and the browser benchmark (`python -m bench.batch_browser`).
"""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

from playwright.sync_api import Download, Page

ENGINE_TIMEOUT_MS = 90_000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- sheets as offices have them


def excel_csv(headers: list[str], rows: list[list[Any]], encoding: str = "gbk") -> bytes:
    """As Excel on Chinese Windows saves “CSV (逗号分隔)”: GBK, CRLF, no quotes unless needed."""

    def cell(v: Any) -> str:
        text = "" if v is None else str(v)
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text

    lines = [",".join(cell(v) for v in row) for row in [headers, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XIANGXI_HEADERS = [
    "序号", "姓名", "工号", "工作单位", "申报专业", "公需科目学时", "专业科目学时",
    "申报职称级别", "学历学位", "专业领域",
    "2018年公需", "2018年专业", "2019年公需", "2019年专业",
]


def staff_rows(n: int, seed: int = 5, bad_every: int = 0, titles_every: int = 0) -> list[list[Any]]:
    """`n` people for xiangxi-zhuanji-2020 (XIANGXI_HEADERS): mixed figures, some short,
    every `bad_every`-th with a typo in a number, every `titles_every`-th a title applicant."""
    rng = random.Random(seed)
    units = ["州人民医院", "州疾控中心", "吉首大学附属医院", "州中医院", "泸溪县人民医院"]
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
    rows = []
    for i in range(1, n + 1):
        public = rng.choice([30, 30, 30, 24, 18, 36])
        professional = rng.choice([60, 60, 72, 45, 30, 90])
        row: list[Any] = [
            i, rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.6 else ""),
            f"E{i:05d}", rng.choice(units), rng.choice(["临床医学", "护理", "公共卫生", "药学"]),
            public, professional, "", "", "", "", "", "", "",
        ]
        if titles_every and i % titles_every == 0:
            row[7:14] = ["副高", rng.choice(["博士", "硕士", "本科"]), "医学", 30, 60, 30, rng.choice([40, 60])]
        if bad_every and i % bad_every == 0:
            row[5] = "三十"
        rows.append(row)
    return rows


# ---------------------------------------------------------------- the page


class BatchPage:
    def __init__(self, page: Page):
        self.page = page

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.locator("body[data-engine]").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
        assert self.page.locator("body").get_attribute("data-engine") == "ready", self.page.locator("#engine").inner_text()

    def upload(self, name: str, data: bytes, mime: str = "text/csv") -> None:
        self.page.set_input_files("#sheet-file", files=[{"name": name, "mimeType": mime, "buffer": data}])

    def upload_and_wait(self, name: str, data: bytes, mime: str = "text/csv", timeout: float = 60_000) -> None:
        # Mark the previous run so that its "done" is not taken for this one.
        self.page.locator("body").evaluate("b => { b.dataset.batch = 'uploading'; }")
        self.upload(name, data, mime)
        self.wait_done(timeout)

    def wait_done(self, timeout: float = 60_000) -> None:
        self.page.locator("body[data-batch=done], body[data-batch=failed]").wait_for(state="attached", timeout=timeout)
        assert self.page.locator("body").get_attribute("data-batch") == "done", self.message()

    def wait_settled(self, timeout: float = 60_000) -> None:
        """After a refused file: loading is over (done if a table was there before)."""
        self.page.locator("body:not([data-batch=loading]):not([data-batch=uploading])").wait_for(
            state="attached", timeout=timeout)

    def message(self) -> str:
        return self.page.locator("#toolbar-message").inner_text()

    def headers(self) -> list[str]:
        return [t.replace("\n", "").replace("↕", "").replace("▲", "").replace("▼", "").strip()
                for t in self.page.locator("#result-table thead th").all_inner_texts()]

    def rows(self) -> list[list[str]]:
        """The visible table: one list of cell texts per row (name cell = name + staff id)."""
        return self.page.locator("#result-table tbody tr").evaluate_all(
            "trs => trs.map(tr => [...tr.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()))")

    def column(self, header_start: str) -> int:
        for i, text in enumerate(self.headers()):
            if text.startswith(header_start):
                return i
        raise AssertionError(f"no column {header_start!r} in {self.headers()}")

    def download(self, button: str) -> tuple[str, bytes]:
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name=button).click()
        dl: Download = info.value
        path = dl.path()
        return dl.suggested_filename, Path(path).read_bytes()
