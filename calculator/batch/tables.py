"""Result tables of a batch check: one line per person, and the title applicants' summary.

Both are plain headers + rows, written as CSV or XLSX by `batch/write.py`.
"""

from __future__ import annotations

from .columns import NAME, RULE_SET, SPECIALTY, STAFF_ID, UNIT, short_name
from ..engine.words import BASIS_HEADER
from .people import BatchRow


def _n(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def bases(rows: list[BatchRow]) -> list[str]:
    """What the figures rest on (words.basis_text), each text once, in the order first met: the
    page says it once above its tables instead of on every row (the exports keep the column)."""
    out: list[str] = []
    for r in rows:
        if r.result and r.result.basis and r.result.basis not in out:
            out.append(r.result.basis)
    return out


def result_table(rows: list[BatchRow], basis_column: bool = True) -> tuple[list[str], list[list[object]]]:
    """One line per person: status, and required / earned / shortfall per requirement; the
    规则依据 column when any figure rests on something to be said (and `basis_column`)."""
    labels: list[str] = []
    for r in rows:
        for line in r.result.requirements if r.result else []:
            if line.label not in labels:
                labels.append(line.label)
    titles = any(r.result and r.result.title for r in rows)
    headers = ["行号", NAME, STAFF_ID, UNIT, RULE_SET, "结论"] + (["职称申报"] if titles else [])
    for label in labels:
        headers += [f"{label}要求", f"{label}已取得", f"{label}尚差"]
    basis = {id(r): r.result.basis if r.result else "" for r in rows}
    said = basis_column and any(basis.values())
    headers += ["说明", "输入问题"] + ([BASIS_HEADER] if said else [])
    table: list[list[object]] = []
    for r in rows:
        by_label = {line.label: line for line in r.result.requirements} if r.result else {}
        line_out: list[object] = [r.row, r.name, r.staff_id, r.unit, r.rule_set, r.status_text]
        if titles:
            line_out.append(r.title_text)
        for label in labels:
            line = by_label.get(label)
            line_out += [_n(line.required), _n(line.earned), _n(line.shortfall)] if line else [None, None, None]
        line_out += [r.result.summary if r.result else "", "；".join(p.message for p in r.problems)]
        if said:
            line_out.append(basis[id(r)])
        table.append(line_out)
    return headers, table


def title_summary_table(rows: list[BatchRow], basis_column: bool = True) -> tuple[list[str], list[list[object]]]:
    """X20-12 attachment 2: per title applicant, each top category and the total for each window year,
    and the title application's own verdict (the same words as the main table)."""
    applicants = [r for r in rows if r.result and r.result.title_window]
    years = sorted({y.year for r in applicants for y in r.result.title_window.years})  # type: ignore[union-attr]
    categories: dict[str, str] = {}
    for r in applicants:
        for y in r.result.title_window.years:  # type: ignore[union-attr]
            for cat in y.required:
                categories.setdefault(cat, short_name(r.result.categories.get(cat, cat)))  # type: ignore[union-attr]
    headers = ["序号", UNIT, NAME, SPECIALTY]
    for year in years:
        headers += [f"{year}年{name}" for name in categories.values()] + [f"{year}年总学时"]
    said = basis_column and any(r.result.basis for r in applicants)  # type: ignore[union-attr]
    headers += ["认定年度", "各年度是否均达标", "职称申报"] + ([BASIS_HEADER] if said else [])
    table: list[list[object]] = []
    for index, r in enumerate(applicants, 1):
        window = r.result.title_window  # type: ignore[union-attr]
        by_year = {y.year: y for y in window.years}
        line: list[object] = [index, r.unit, r.name, r.specialty]
        for year in years:
            y = by_year.get(year)
            if y is None or y.hours is None:
                line += [None] * (len(categories) + 1)
            else:
                line += [_n(y.hours.get(cat)) for cat in categories] + [_n(y.total)]
        line += [f"{window.start_year}—{window.end_year}", "是" if window.all_met else "否", r.title_text]
        if said:
            line.append(r.result.basis)  # type: ignore[union-attr]
        table.append(line)
    return headers, table
