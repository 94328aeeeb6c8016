"""``flask import conferences FILE.csv [--dry-run]``: upcoming conferences from the case system."""

from __future__ import annotations

from typing import BinaryIO

import click
from flask.cli import with_appcontext


@click.command("conferences")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; write nothing."
)
@with_appcontext
def import_conferences_command(file: BinaryIO, dry_run: bool) -> None:
    """Import upcoming conferences from a CSV file: one row per person per conference."""

    from portal.case_import.services import error_lines, import_conferences

    result = import_conferences(file.read(), dry_run=dry_run)
    if result.errors:
        for line in error_lines(result.errors):
            click.echo(line, err=True)
        raise click.ClickException(f"Nothing imported: {len(result.errors)} errors in the file.")
    click.echo(
        ("Checked (--dry-run, nothing written): " if dry_run else "Imported ") + result.summary
    )
    for person in result.missing:
        who = person.person_ref or f"{'a child' if person.is_child else 'an adult'} added by hand"
        click.echo(f"In the portal but not in this file: conference {person.conference_ref}, {who}")
