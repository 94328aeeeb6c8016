"""The annual report as files to publish: a tagged PDF (PDF/UA-1, with the page's language and
title) made by WeasyPrint from the page's own sections and print stylesheet, and a Word
document (python-docx) of the same sections, for councils that edit and brand in Word."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, NoReturn

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Row
from flask import current_app, render_template

from portal.reports.annual.page import document_sections, document_title, page_values
from portal.reports.annual.report import AnnualReport

PRINT_CSS = Path("reports") / "annual-print.css"  # under the app's static folder
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


def document_name(year: int, fmt: str) -> str:
    return f"heard-annual-report-{year}-{year + 1}.{fmt}"


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """The document is built from its own HTML and stylesheet: nothing is fetched."""
    raise ValueError(f"not fetched: {url[:40]}")


def document_html(report: AnnualReport) -> str:
    """The page's sections with no forms or navigation, for print and the PDF."""
    return render_template("reports/annual_document.html", **page_values(report))


def pdf(report: AnnualReport) -> bytes:
    from weasyprint import CSS, HTML  # slow to import: only when a PDF is asked for

    css = Path(current_app.static_folder or "static") / PRINT_CSS
    document = HTML(string=document_html(report), url_fetcher=_no_fetching)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(css))], pdf_variant="pdf/ua-1"))


def docx(report: AnnualReport) -> bytes:
    document = Document()
    document.core_properties.title = document_title(report)
    document.core_properties.language = "en-GB"
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(document_title(report), level=0)
    for section in document_sections(report):
        document.add_heading(section.title, level=1)
        if section.intro:
            document.add_paragraph(section.intro)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table in section.tables:
            document.add_heading(table.caption, level=2)
            grid = document.add_table(rows=1, cols=len(table.header), style="Table Grid")
            _repeat_as_header(grid.rows[0])
            for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in table.rows:
                for cell, text in zip(grid.add_row().cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _repeat_as_header(row: _Row) -> None:
    """Mark the row as the table's header (Word repeats it on each page; screen readers read it
    as the column headings)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def render_document(report: AnnualReport, fmt: str) -> bytes:
    if fmt == "pdf":
        return pdf(report)
    if fmt == "docx":
        return docx(report)
    return document_html(report).encode()
