"""Spreadsheets in: CSV (UTF-8 with or without BOM, GBK as Excel writes it on Chinese
Windows, UTF-16 "Unicode 文本") and XLSX (Excel, WPS). Bytes in, a table of strings out,
with the row and column each cell has in Excel; no file system.

Real workbooks are not tidy: a title row (often merged across the table) and notes sit
above the header, an instructions sheet comes first, blank lines and "合计" rows sit among
the people. The reader finds the header row by asking the caller which names it knows
(`known`), picks the sheet whose header it recognises best, drops blank and note rows
but keeps every data row's Excel row number, so that "第8行" is row 8 in Excel.

openpyxl is imported only when an XLSX is read, so the calculator page never loads it.
Writers live in sheet_write.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Iterable

MAX_BYTES = 20 * 1024 * 1024  # a 100,000-row staff sheet is ~10 MB as CSV
MAX_ROWS = 200_000
HEADER_SCAN = 30  # the header is among the first rows of a sheet
# Files people pick by mistake, known by their first bytes whatever their name says
# (a photo renamed .csv must not be read as GBK text): PNG, JPEG, GIF, PDF, RAR, 7z, gzip.
_NOT_SHEETS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
# A row with one filled cell starting like this is a note, not a person (注：…, 合计 …).
_NOTE = re.compile(r"^(注|说明|备注|填表|制表|审核|负责人|联系|合计|总计|小计|单位负责人|\*)")

Known = Callable[[str], bool]  # does the caller know this header text?


class SheetError(Exception):
    """The file is not a spreadsheet we can read: message in Chinese."""


class SheetChoiceNeeded(SheetError):
    """Several sheets hold a table: the person picks one (`choices`, in workbook order)."""

    def __init__(self, message: str, choices: list[str]):
        super().__init__(message)
        self.choices = choices


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list[str]]  # data rows, as text, padded to the header width
    encoding: str
    row_numbers: list[int] = field(default_factory=list)  # Excel row of each data row
    columns: list[str] = field(default_factory=list)  # Excel column letter of each header
    header_row: int = 1
    sheet_name: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # notes and totals left out, in Chinese

    def __post_init__(self) -> None:
        if not self.row_numbers:  # built by hand (tests): header in row 1, no gaps
            object.__setattr__(self, "row_numbers", list(range(self.header_row + 1, self.header_row + 1 + len(self.rows))))
        if not self.columns:
            object.__setattr__(self, "columns", [column_letter(i) for i in range(1, len(self.headers) + 1)])


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA, as Excel names columns (openpyxl is not loaded for a CSV)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's and WPS's "Unicode 文本" (tab-separated)
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise SheetError("文件以 UTF-16 标记开头，但内容无法读取") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"  # gb18030 is a superset of GBK
    except UnicodeDecodeError:
        raise SheetError("无法识别文件编码：请另存为“CSV UTF-8”或 Excel 默认的 CSV（GBK）") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _any_known(known: Known | None) -> Known:
    return known if known is not None else (lambda text: bool(text))


def _score(row: list[str], known: Known) -> int:
    """How many cells of a row are header names the caller knows."""
    return sum(1 for cell in row if cell and known(cell))


def find_header(rows: list[list[str]], known: Known | None = None) -> int | None:
    """Index (0-based) of the header among the first rows: the row with the most known
    names and at least two filled cells (a merged title has one). None if there is none."""
    known = _any_known(known)
    best, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SCAN]):
        filled = sum(1 for cell in row if cell)
        if filled < 2:
            continue
        score = _score(row, known)
        if score > best_score:
            best, best_score = index, score
    return best


def _is_note(cells: list[str], headers: list[str], known: Known) -> bool:
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled:
        return True
    if _NOTE.match(filled[0][1]):
        return True  # 注：…, 填表人：…, or a 合计 row (its numbers are no person's)
    if len(filled) == 1:
        index, text = filled[0]
        return not headers[index] or not known(headers[index])  # text under a column nobody reads
    return False


def tidy(
    table: Iterable[list[str]], encoding: str, known: Known | None = None, header_row: int | None = None,
    sheet_name: str | None = None, sheet_names: list[str] | None = None,
) -> Sheet:
    """Rows of text (Excel row n is table[n-1]) -> header and data rows with their Excel numbers."""
    rows = [[c.strip() for c in row] for row in table]
    known_fn = _any_known(known)
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            raise SheetError(f"指定的列名行第{header_row}行不在表格中（共 {len(rows)} 行）")
        head = header_row - 1
    else:
        head = find_header(rows, known)
        if head is None:
            if not any(any(r) for r in rows):
                raise SheetError("表格是空的：应有一行列名（姓名、公需科目学时等，可下载模板）")
            raise SheetError(f"在前 {HEADER_SCAN} 行中没有找到列名行（应有“姓名”等列，可下载模板对照）")
    header_cells = rows[head]
    filled = [i for i, c in enumerate(header_cells) if c]
    if not filled:
        raise SheetError(f"第{head + 1}行没有列名")
    first, last = filled[0], filled[-1]
    headers = header_cells[first:last + 1]
    width = len(headers)
    data: list[list[str]] = []
    numbers: list[int] = []
    skipped: list[str] = []
    for index in range(head + 1, len(rows)):
        cells = (rows[index][first:last + 1] + [""] * width)[:width]
        if not any(cells):
            continue  # a blank line: dropped, and the rows after it keep their numbers
        if _is_note(cells, headers, known_fn):
            skipped.append(f"第{index + 1}行（{next(c for c in cells if c)[:20]}）")
            continue
        data.append(cells)
        numbers.append(index + 1)
        if len(data) > MAX_ROWS:
            raise SheetError(f"行数太多，一次最多 {MAX_ROWS} 行")
    return Sheet(headers=headers, rows=data, encoding=encoding, row_numbers=numbers,
                 columns=[column_letter(first + 1 + i) for i in range(width)], header_row=head + 1,
                 sheet_name=sheet_name, sheet_names=sheet_names or [], skipped=skipped)


def read_csv(data: bytes, known: Known | None = None, header_row: int | None = None) -> Sheet:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise SheetError("这不是文本格式的 CSV 文件")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        # One record per Excel row, even where a quoted cell holds a line break.
        table = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise SheetError(f"CSV 格式有误：{error}") from None
    if len(table) > MAX_ROWS + HEADER_SCAN:
        raise SheetError(f"行数太多（{len(table)} 行），一次最多 {MAX_ROWS} 行")
    return tidy(table, encoding, known, header_row)


def _rows(sheet: object, limit: int | None = None) -> Iterable[list[str]]:
    # read_only worksheets yield missing rows as empty ones, so position = Excel row.
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_row=limit), 1):  # type: ignore[attr-defined]
        if number > MAX_ROWS + HEADER_SCAN:
            raise SheetError(f"行数太多，一次最多 {MAX_ROWS} 行")
        yield [_cell_text(v) for v in row]


def read_xlsx(data: bytes, known: Known | None = None, sheet: str | None = None, header_row: int | None = None) -> Sheet:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - the page loads openpyxl before calling this
        raise SheetError("读取 XLSX 需要 openpyxl") from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise SheetError(f"这不是有效的 XLSX 文件（{type(error).__name__}）") from None
    try:
        names = [ws.title for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not names:
            raise SheetError("工作簿中没有可见的工作表")
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise SheetError(f"工作簿中没有名为“{sheet}”的工作表；有：{'、'.join(names)}")
            chosen = sheet
        else:
            chosen = _pick_sheet(book, names, known)
        table = list(_rows(book[chosen]))
    finally:
        book.close()
    return tidy(table, "xlsx", known, header_row, sheet_name=chosen, sheet_names=names)


def _pick_sheet(book: object, names: list[str], known: Known | None) -> str:
    """The sheet whose header the caller knows best (an instructions sheet scores nothing).
    Two equally good sheets with people in both: ask, rather than guess."""
    if len(names) == 1:
        return names[0]
    known_fn = _any_known(known)
    scored: list[tuple[int, bool, str]] = []
    for name in names:
        head_rows = list(_rows(book[name], HEADER_SCAN + 5))  # type: ignore[index]
        head = find_header(head_rows, known)
        if head is None:
            continue
        has_data = any(any(r) for r in head_rows[head + 1:])
        scored.append((_score(head_rows[head], known_fn), has_data, name))
    if not scored:
        raise SheetError(f"各工作表（{'、'.join(names)}）的前 {HEADER_SCAN} 行中都没有找到列名行（应有“姓名”等列，可下载模板对照）")
    best = max(scored, key=lambda s: (s[1], s[0]))
    ties = [s[2] for s in scored if (s[1], s[0]) == (best[1], best[0])]
    if len(ties) > 1:
        raise SheetChoiceNeeded(f"工作簿中有 {len(ties)} 个工作表都像人员表：{'、'.join(ties)}；请选择要核查的工作表", ties)
    return best[2]


def read_sheet(data: bytes, filename: str, known: Known | None = None, sheet: str | None = None,
               header_row: int | None = None) -> Sheet:
    """Read by content first (an .xlsx renamed .csv still works), then by name.

    `known` tells header names from other text; `sheet` and `header_row` (Excel's number)
    override what the reader would pick."""
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件太大（{len(data) // 1024 // 1024} MB），一次最多 {MAX_BYTES // 1024 // 1024} MB")
    if not data:
        raise SheetError("文件是空的")
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, known, sheet, header_row)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetError("这是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV")
    if data.startswith(_NOT_SHEETS):
        raise SheetError("这不是表格文件（可能是图片、PDF 或压缩包）：请上传 CSV 或 XLSX")
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raise SheetError("这不是有效的 XLSX 文件")
    if lower.endswith((".pdf", ".doc", ".docx", ".png", ".jpg", ".jpeg", ".zip")):
        raise SheetError("这不是表格文件：请上传 CSV 或 XLSX")
    return read_csv(data, known, header_row)
