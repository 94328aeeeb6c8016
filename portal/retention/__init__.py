"""Retention: ``flask retention run`` removes what families, children and advocates wrote, and
the attachments they gave, ``RETENTION_DAYS`` days after the conference, and keeps every row the
reports count (participation codes, invitations, choices in the forms, contacts seen or not,
tasks without their notes, safety alerts without what staff wrote of what was done and its
outcome, text replies without their words). The reason a manager gave for assigning themselves a
child after the conference started goes ``RETENTION_DAYS`` days after it was given (it is often
given long after the conference, and an admin reads it on the audit page); the row saying who
did it, and its audit event, stay. A text reply from a number nobody has belongs to no
conference: its words go ``RETENTION_DAYS`` days after it came.

Each kind is removed by one statement over all the conferences past the limit; only rows that
still hold something are touched, so a second run finds nothing and says so. One audit event per
conference cleaned names the kinds removed, never a value. Each kind is a step in
``portal.retention.steps``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AuditAction, Conference, RecordType
from portal.models.base import SERVICE_TIMEZONE
from portal.retention.steps import delete_files, steps_past

# The kinds removed, in the order the summary prints them: (audit field name, summary label)
KINDS = {
    "answer_text": "answers",
    "additions": "additions",
    "advocate_record_text": "advocate records",
    "advocate_record_version_text": "advocate record versions",
    "contact_text": "contacts",
    "attachments": "attachments (files)",
    "drawings": "children's drawings (files)",
    "you_said_we_did": "you said, we did notes",
    "access_needs": "family members' access needs",
    "self_assignment_reasons": "reasons for assigning oneself late",
    "task_outcomes": "notes of calls and help arranged",
    "safety_alert_notes": "what was done about safety alerts, and their outcomes",
    "text_replies": "text replies",
}


@dataclass
class RetentionResult:
    cutoff: date
    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)
    # conference id -> the kinds removed from it
    kinds_by_conference: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    files_missing: int = 0

    def add(self, kind: str, pairs: list[tuple[int, int | None]]) -> None:
        """Count ``pairs`` of (row id, conference id) as removed of ``kind``; a row of no
        conference (a text reply from a number nobody has) is counted, in no conference's event."""
        self.counts[kind] += len({row_id for row_id, _ in pairs})
        for _, conference_id in pairs:
            if conference_id is not None:
                self.kinds_by_conference[conference_id].add(kind)

    @property
    def conferences(self) -> int:
        return len(self.kinds_by_conference)

    @property
    def summary(self) -> str:
        verb = "would be cleaned (--dry-run, nothing changed)" if self.dry_run else "cleaned"
        lines = [f"Conferences held before {self.cutoff.isoformat()} {verb}: {self.conferences}"]
        lines += [f"  {label}: {self.counts[kind]}" for kind, label in KINDS.items()]
        if self.files_missing:
            lines.append(f"  attachment files already missing from disk: {self.files_missing}")
        return "\n".join(lines)


def retention_cutoff(days: int, today: date | None = None) -> date:
    """Conferences held before this date (more than ``days`` days ago) are cleaned."""
    today = today or datetime.now(SERVICE_TIMEZONE).date()
    return today - timedelta(days=days)


def run_retention(
    days: int, *, dry_run: bool = False, today: date | None = None
) -> RetentionResult:
    """Remove the free text and attachments of conferences held more than ``days`` days ago."""
    cutoff = retention_cutoff(days, today)
    result = RetentionResult(cutoff=cutoff, dry_run=dry_run)
    old = select(Conference.id).where(Conference.conference_date < cutoff)

    steps = steps_past(old, cutoff)
    for step in steps:
        result.add(step.kind, step.pairs)
    if dry_run or not any(result.counts.values()):
        return result

    for step in steps:
        step.remove()
    for conference_id, kinds in sorted(result.kinds_by_conference.items()):
        record_event(
            AuditAction.DELETE,
            RecordType.CONFERENCE,
            conference_id,
            conference_id=conference_id,
            fields=kinds,
        )
    db.session.commit()

    # Files go once their rows are gone for good: a failed commit leaves both in place.
    result.files_missing = delete_files([file for step in steps for file in step.files])
    return result


retention_cli = AppGroup("retention", help="Remove free text and attachments after a while.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
def retention_run_command(dry_run: bool) -> None:
    """Remove what families, children and advocates wrote, and their attachments, from
    conferences held more than RETENTION_DAYS days ago, and managers' reasons for assigning
    themselves late given more than RETENTION_DAYS days ago; keep what the reports count."""
    result = run_retention(current_app.config["RETENTION_DAYS"], dry_run=dry_run)
    click.echo(result.summary)
