"""``flask report …`` (a report to standard output) and ``flask import …`` (past records)."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

import click
from flask.cli import AppGroup

if TYPE_CHECKING:  # the report's modules are imported when a command runs, not at start-up
    from portal.reports.participation import Method

report_cli = AppGroup("report", help="Print a report.")
import_cli = AppGroup(
    "import", help="Import past records, or upcoming conferences from the case system."
)


# The options every report command takes.
year_option = click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    required=True,
    help="Financial year: 2020 is April 2020 to March 2021.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)


@report_cli.command("participation")
@year_option
@format_option
@click.option(
    "--method",
    type=click.Choice(["pooled", "mean-of-quarters"]),
    help="The year's percentage (default: the setting PARTICIPATION_YEAR_METHOD).",
)
@click.option(
    "--min-child-age",
    type=click.IntRange(0, 18),
    help="Count children from this age (default: the setting PARTICIPATION_MIN_AGE).",
)
@click.option(
    "--type",
    "conference_type",
    type=click.Choice(["initial", "review", "transfer_in"]),
    help="Only conferences of this type.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (needed for xlsx) instead of standard output.",
)
def report_participation_command(
    year: int,
    fmt: str,
    method: Method | None,  # click.Choice: one of the methods
    min_child_age: int | None,
    conference_type: str | None,
    output: str | None,
) -> None:
    """The participation table as measure,quarter,numerator,denominator,percent."""
    from flask import current_app

    from portal.reports.participation import (
        AgeBelowSetting,
        check_min_child_age,
        participation_file,
    )

    if min_child_age is not None:
        try:
            check_min_child_age(min_child_age, current_app.config["PARTICIPATION_MIN_AGE"])
        except AgeBelowSetting as error:
            raise click.BadParameter(str(error), param_hint="'--min-child-age'") from None
    body = participation_file(
        year, fmt=fmt, method=method, min_child_age=min_child_age, conference_type=conference_type
    )
    _write(body, output)


@report_cli.command("activity")
@year_option
@format_option
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (needed for xlsx) instead of standard output.",
)
def report_activity_command(year: int, fmt: str, output: str | None) -> None:
    """The conference activity report as measure,quarter,numerator,denominator,percent."""
    from portal.reports.activity import activity_file

    _write(activity_file(year, fmt), output)


@report_cli.command("annual")
@year_option
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx", "html"]), default="pdf", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
def report_annual_command(year: int, fmt: str, output: str) -> None:
    """The annual report as a tagged PDF, a Word document or the PDF's HTML."""
    from portal.reports.annual.documents import render_document
    from portal.reports.annual.report import annual_report

    _write(render_document(annual_report(year), fmt), output)


def _write(body: str | bytes, output: str | None) -> None:
    """The report to ``output``, or to standard output when it is text."""
    if output:
        with open(output, "wb") as file:
            file.write(body if isinstance(body, bytes) else body.encode())
        return
    if isinstance(body, bytes):
        raise click.UsageError("XLSX is not text: give --output FILE to write it.")
    click.echo(body, nl=False)


@import_cli.command("attendance")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check the file; write nothing.")
def import_attendance_command(file: BinaryIO, dry_run: bool) -> None:
    """Import past conferences from a CSV file: one row per person per conference."""
    from flask import current_app

    from portal.reports.importing.services import error_lines, import_attendance

    result = import_attendance(
        file.read(), min_age=current_app.config["PARTICIPATION_MIN_AGE"], dry_run=dry_run
    )
    if result.errors:
        for line in error_lines(result.errors):
            click.echo(line, err=True)
        raise click.ClickException(f"Nothing imported: {len(result.errors)} errors in the file.")
    if dry_run:
        click.echo(f"The file is fine: {result.rows} rows, nothing written (--dry-run).")
    else:
        click.echo(result.summary)
