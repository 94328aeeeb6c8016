"""The annual report (issue 23) from an imported history: the page's figures are the same in
the PDF (pypdf's text) and the Word document, the trend has four years, and the PDF is tagged
with a language and a title."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from pypdf import PdfReader

from portal.models import ConferenceStatus, Role
from portal.reports.importing.services import import_attendance
from portal.reports.sample_history import history_csv
from tests.factories import add_child, make_conference
from tests.pages import Page, PageClient

YEAR = 2020


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _figures(page: Page) -> list[str]:
    """Every cell of every table on the page (headings and figures)."""
    main = page.soup.select_one("main") or page.soup
    return [" ".join(cell.get_text(" ").split()) for cell in main.select("table th, table td")]


@pytest.fixture
def history() -> None:
    for year in (YEAR - 1, YEAR):
        result = import_attendance(history_csv(year, 60, seed=year).encode(), min_age=4)
        assert not result.errors


def test_every_figure_of_the_page_is_in_the_pdf_and_the_word_document(
    history: None, signed_in: Callable[..., PageClient]
) -> None:
    client = signed_in(Role.PARTICIPATION_OFFICER)
    page = client.get(f"/reports/annual?year={YEAR}")
    assert page.status == 200
    cells = _figures(page)
    assert any(re.search(r"\d+\.\d% \(\d+ of \d+\)", cell) for cell in cells)

    pdf = client.get(f"/reports/annual.pdf?year={YEAR}").response
    assert pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    pdf_text = _squash(" ".join(p.extract_text() for p in reader.pages))
    word = client.get(f"/reports/annual.docx?year={YEAR}").response
    document = Document(io.BytesIO(word.data))
    word_cells = [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    for cell in cells:
        assert _squash(cell) in pdf_text, f"{cell!r} is not in the PDF"
    assert word_cells == cells  # the same tables, cell for cell, in the same order
    for table in document.tables:  # each table's first row is its header row
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")

    trend = page.soup.select_one('table[data-table="trend"]')
    assert trend is not None
    years = [th.get_text(strip=True) for th in trend.select("thead th")][1:]
    assert years == ["2017/18", "2018/19", "2019/20", "2020/21"]
    rows = {r.select_one("th").get_text(strip=True): r for r in trend.select("tbody tr")}
    held = [td.get_text(strip=True) for td in rows["Conferences held"].select("td")]
    assert held[:2] == ["–", "–"]  # no records in those years
    assert held[2:] == ["60", "60"]  # imported history


def test_the_pdf_is_tagged_with_its_language_and_title_and_names_nobody(
    history: None, signed_in: Callable[..., PageClient]
) -> None:
    held = make_conference(
        starts_at=datetime(2020, 6, 1, 10, tzinfo=UTC),
        status=ConferenceStatus.HELD,
        case_reference="CP-NAMED-1",
    )
    add_child(held, first_name="Zebedee", last_name="Quixote")
    client = signed_in(Role.ADMIN)
    reader = PdfReader(io.BytesIO(client.get(f"/reports/annual.pdf?year={YEAR}").response.data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert (
        reader.metadata.title
        == "Child protection conferences: annual report, April 2020 to March 2021"
    )
    words = " ".join(p.extract_text() for p in reader.pages)
    assert "61 " in words or "61\n" in words  # the named child's conference is counted
    word = client.get(f"/reports/annual.docx?year={YEAR}").response.data
    document = Document(io.BytesIO(word))
    word_text = " ".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    for name in ("Zebedee", "Quixote", "CP-NAMED-1"):
        assert name not in words
        assert name not in word_text


def test_the_command_writes_each_format(history: None, app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    for fmt, start in (("pdf", b"%PDF-"), ("docx", b"PK"), ("html", b"<!DOCTYPE html>")):
        output = tmp_path / f"annual.{fmt}"
        result = runner.invoke(
            args=["report", "annual", "--year", str(YEAR), "--format", fmt, "--output", output]
        )
        assert result.exit_code == 0, result.output
        assert output.read_bytes().startswith(start)
    html = (tmp_path / "annual.html").read_text()
    assert "Headline measures by financial year" in html
    assert "<form" not in html
    refused = runner.invoke(args=["report", "annual", "--year", "2020", "--format", "csv"])
    assert refused.exit_code == 2
