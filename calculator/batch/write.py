"""Spreadsheets out: CSV (UTF-8 with BOM, which Excel and WPS open with Chinese intact)
and XLSX. Rows are streamed (openpyxl's write-only mode), so writing is linear in the
number of rows: 10,000 people take about as long as writing the CSV.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

Table = tuple[str, list[str], Iterable[list[object]]]  # sheet title, headers, rows


def write_csv(headers: list[str], rows: Iterable[list[object]]) -> bytes:
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


def write_xlsx(sheets: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        ws = book.create_sheet(title=title[:31])
        ws.freeze_panes = "A2"

        def header(value: str) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = bold
            return cell

        def text(value: str) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # text, never a formula (a name like "=cmd|..." stays a name)
            return cell

        ws.append([header(h) for h in headers])
        for row in rows:
            if any(isinstance(v, str) and v[:1] == "=" for v in row):
                row = [text(v) if isinstance(v, str) and v[:1] == "=" else v for v in row]
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
