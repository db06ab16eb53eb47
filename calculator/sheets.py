"""Spreadsheets in and out: CSV (UTF-8 with or without BOM, or GBK as Excel writes it on
Chinese Windows) and XLSX (Excel, WPS). Bytes in, rows of strings out; no file system.

openpyxl is imported only when an XLSX is read or written, so the calculator page never
loads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024  # a 100,000-row staff sheet is ~10 MB as CSV
MAX_ROWS = 200_000
# Files people pick by mistake, known by their first bytes whatever their name says
# (a photo renamed .csv must not be read as GBK text): PNG, JPEG, GIF, PDF, RAR, 7z, gzip.
_NOT_SHEETS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")


class SheetError(Exception):
    """The file is not a spreadsheet we can read: message in Chinese."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list[str]]  # data rows, as text, padded to the header width
    encoding: str


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


def _tidy(table: list[list[str]], encoding: str) -> Sheet:
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise SheetError("表格是空的：第一行应为列名（可下载模板）")
    headers = [h.strip() for h in table[0]]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    if width == 0:
        raise SheetError("第一行没有列名（可下载模板）")
    rows = [[c.strip() for c in (row + [""] * width)[:width]] for row in table[1:]]
    if len(rows) > MAX_ROWS:
        raise SheetError(f"行数太多（{len(rows)} 行），一次最多 {MAX_ROWS} 行")
    return Sheet(headers=headers[:width], rows=rows, encoding=encoding)


def read_csv(data: bytes) -> Sheet:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise SheetError("这不是文本格式的 CSV 文件")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        table = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise SheetError(f"CSV 格式有误：{error}") from None
    return _tidy(table, encoding)


def read_xlsx(data: bytes) -> Sheet:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - the page loads openpyxl before calling this
        raise SheetError("读取 XLSX 需要 openpyxl") from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SheetError(f"这不是有效的 XLSX 文件（{type(error).__name__}）") from None
    sheet = book.worksheets[0]
    table = []
    for row in sheet.iter_rows(values_only=True):
        table.append([_cell_text(v) for v in row])
        if len(table) > MAX_ROWS + 1:
            raise SheetError(f"行数太多，一次最多 {MAX_ROWS} 行")
    book.close()
    return _tidy(table, "xlsx")


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read by content first (an .xlsx renamed .csv still works), then by name."""
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件太大（{len(data) // 1024 // 1024} MB），一次最多 {MAX_BYTES // 1024 // 1024} MB")
    if not data:
        raise SheetError("文件是空的")
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetError("这是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV")
    if data.startswith(_NOT_SHEETS):
        raise SheetError("这不是表格文件（可能是图片、PDF 或压缩包）：请上传 CSV 或 XLSX")
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raise SheetError("这不是有效的 XLSX 文件")
    if lower.endswith((".pdf", ".doc", ".docx", ".png", ".jpg", ".jpeg", ".zip")):
        raise SheetError("这不是表格文件：请上传 CSV 或 XLSX")
    return read_csv(data)


def write_csv(headers: list[str], rows: list[list[object]]) -> bytes:
    """UTF-8 with BOM: Excel and WPS open it with Chinese intact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _safe_cell(value: object) -> object:
    # A name such as "=HYPERLINK(...)" must not become a formula in Excel (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_xlsx(sheets: list[tuple[str, list[str], list[list[object]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, headers, rows in sheets:
        ws = book.create_sheet(title=title[:31])
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula (a name like "=cmd|..." stays a name)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
