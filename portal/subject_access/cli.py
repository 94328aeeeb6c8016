"""``flask subject-access export``: the same file as the admin page, written to disk."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

subject_access_cli = AppGroup("subject-access", help="Subject access requests.")


@subject_access_cli.command("export")
@click.argument("member_id", type=click.IntRange(1))
@click.option(
    "--also",
    "also_ids",
    multiple=True,
    type=click.IntRange(1),
    help="Another record of the same person to include (repeat for more).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="Write the HTML file here (readable by its owner only).",
)
def export_command(member_id: int, also_ids: tuple[int, ...], output: str) -> None:
    """Everything held about family member MEMBER_ID, as one readable HTML file."""
    from portal.subject_access.finding import members_by_ids
    from portal.subject_access.services import export_html, record_exported

    wanted = list(dict.fromkeys([member_id, *also_ids]))
    members = members_by_ids(wanted)
    missing = sorted(set(wanted) - {member.id for member in members})
    if missing:
        raise click.ClickException(
            "No family member with record number " + ", ".join(str(i) for i in missing)
        )
    document = export_html(members)
    # Personal data: only the file's owner may read it; a new file, never through a link, and
    # never an existing file that others may already read.
    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{output} exists already: choose a new file name") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(document)
    record_exported(members)  # no one signed in: the audit event has no actor
    click.echo(f"Wrote {output} ({len(members)} record(s)); the export is in the audit log.")
