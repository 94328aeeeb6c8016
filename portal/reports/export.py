"""Tables as files: CSV (one table, or several one after another) and XLSX (a sheet each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Format = Literal["csv", "xlsx"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by spreadsheet programs: a comment
# typed by a parent must never run as one (CSV injection), so it is written as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0"  # a percentage cell (a Decimal) shows its one decimal place in XLSX


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name in XLSX (at most 31 characters), a heading row in CSV
    header: Sequence[str]
    rows: Sequence[Sequence[object]]


def safe_cell(value: object) -> object:
    """Numbers and empty cells as they are; text that would start a formula, quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def to_csv(tables: Sequence[Table]) -> str:
    """One table: just its header and rows. Several: each after its title, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, table in enumerate(tables):
        if len(tables) > 1:
            if number:
                writer.writerow([])
            writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows([safe_cell(cell) for cell in row] for row in table.rows)
    return out.getvalue()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A cell XLSX can hold: control characters (which openpyxl refuses, and a parent's
    comment may carry) removed from text; a Decimal (a percentage) a number with one decimal
    place shown."""
    if isinstance(value, str):  # removed first, so what is left is checked for a formula
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = safe_cell(value)
    if isinstance(value, Decimal):
        # openpyxl writes a Decimal as a number (NUMERIC_TYPES); the stub's WriteOnlyCell, unlike
        # its Cell, leaves Decimal out.
        cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]
        cell.number_format = PERCENT_FORMAT
        return cell
    return value


def to_xlsx(tables: Sequence[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([_xlsx_cell(sheet, cell) for cell in table.header])
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_name(report: str, year: int) -> str:
    """Every report's file the same way: heard-<report>-<first year>-<second year>, like
    heard-activity-2025-2026 for April 2025 to March 2026 (the extension follows)."""
    return f"heard-{report}-{year}-{year + 1}"


def export_response(fmt: Format, tables: Sequence[Table], filename: str) -> Response:
    """The file to download, named ``filename`` (from ``export_name``) plus the extension;
    never cached."""
    if fmt == "csv":
        body: str | bytes = to_csv(tables)
        mimetype = "text/csv"
    else:
        body, mimetype = to_xlsx(tables), XLSX_TYPE
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
