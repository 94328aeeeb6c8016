"""CSV and XLSX cells: formulas written as text, control characters left out of XLSX (openpyxl
refuses them: a parent's comment carrying one must not make the export a 500), percentages as
numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from portal.reports.export import Table, to_csv, to_xlsx


def test_xlsx_leaves_out_control_characters_and_keeps_formulas_as_text() -> None:
    table = Table(
        "Comments",
        ("comment\x00", "percent"),
        [
            ("Bell\x07 and escape\x1b kept out; tab\tand new\nline kept", Decimal("62.5")),
            ("\x01=SUM(A1:A2)", None),  # a formula once the control character is gone
            ("-1 is text", Decimal("100.0")),
        ],
    )
    workbook = load_workbook(io.BytesIO(to_xlsx([table])))
    rows = list(workbook["Comments"].iter_rows())
    assert [[cell.value for cell in row] for row in rows] == [
        ["comment", "percent"],
        ["Bell and escape kept out; tab\tand new\nline kept", 62.5],
        ["'=SUM(A1:A2)", None],
        ["'-1 is text", 100],
    ]
    assert rows[1][1].data_type == "n"
    assert rows[1][1].number_format == "0.0"
    assert rows[2][0].data_type == "s"


def test_csv_writes_percentages_to_one_decimal_place() -> None:
    table = Table("T", ("n", "percent"), [(2, Decimal("100.0")), (0, None), (0, Decimal("0.0"))])
    assert to_csv([table]) == "n,percent\n2,100.0\n0,\n0,0.0\n"
