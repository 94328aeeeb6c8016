"""Retention's steps: one per kind of data past the limit, each counting the rows that still
hold something and saying how to blank or delete them (``portal.retention`` runs them).

Every step selects (row id, conference id) pairs, so the run can count rows and name the kinds
removed from each conference in its audit event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, delete, or_, select, update

from portal.extensions import db
from portal.models import (
    Addition,
    AdvocacyReferral,
    AdvocacySelfAssignment,
    AdvocateRecord,
    AdvocateRecordVersion,
    Answer,
    Attachment,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ContactLogEntry,
    Drawing,
    FamilyMember,
    FormResponse,
    Invitation,
    PackItemRead,
    SafetyAlert,
    TextReply,
)
from portal.models.advocacy import SEALED_RECORD_TEXT
from portal.models.base import SERVICE_TIMEZONE
from portal.tasks.services import clear_outcomes, outcomes_at

logger = logging.getLogger(__name__)

# The advocate's record's words, removed from the record and from every version kept of it
RECORD_TEXT = SEALED_RECORD_TEXT
CONTACT_TEXT = ("place", "with_whom", "note")
# What staff wrote of a safety alert (sealed): the alert, its times, state and who stay
ALERT_TEXT = ("action_taken", "outcome")


def _text_present(column: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(column.is_not(None), column != "")


def _pairs(query: Select[int, int]) -> list[tuple[int, int | None]]:
    return [(row[0], row[1]) for row in db.session.execute(query).all()]


def _blank(model: Any, found: Select[int, int], values: dict[str, str]) -> Callable[[], None]:
    """The removal that sets ``values`` on the rows of ``model`` whose ids ``found`` selects."""

    def remove() -> None:
        db.session.execute(
            update(model)
            .where(model.id.in_(select(found.subquery().c.id)))
            .values(values)
            .execution_options(synchronize_session=False)
        )

    return remove


@dataclass(frozen=True)
class Step:
    """One kind of data past the limit: the (row id, conference id) pairs that hold it, and how
    to remove it (run only once every kind has been counted)."""

    kind: str
    pairs: list[tuple[int, int | None]]  # None: held against no conference (a text reply)
    remove: Callable[[], None]
    files: list[tuple[int, str]] = field(default_factory=list)  # (row id, name): after the commit


def steps_past(old: Select[int], cutoff: date) -> list[Step]:
    """Every kind, in the summary's order, for the conferences ``old`` selects."""
    return [
        _answer_text(old),
        _additions(old),
        _advocate_record_text(old),
        _advocate_record_version_text(old),
        _contact_text(old),
        _attachments(old),
        _drawings(old),
        _you_said_we_did(old),
        _access_needs(old, cutoff),
        _self_assignment_reasons(cutoff),
        Step("task_outcomes", _pairs(outcomes_at(old)), lambda: clear_outcomes(old)),
        _safety_alert_notes(old),
        _text_replies(old, cutoff),
    ]


def _answer_text(old: Select[int]) -> Step:
    """Answers: the text goes, "choice" and "choices" stay (the feedback report counts them)."""
    answer_text = Answer.value["text"].as_string()
    answers = db.session.execute(
        select(Answer.id, Invitation.conference_id, Answer.value)
        .join(FormResponse, FormResponse.id == Answer.response_id)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(Invitation.conference_id.in_(old), _text_present(answer_text))
    ).all()

    def remove() -> None:
        # JSON has no portable "remove a key" in SQL: the new values go in one executemany UPDATE.
        if answers:
            db.session.execute(
                update(Answer),
                [
                    {"id": row.id, "value": {k: v for k, v in row.value.items() if k != "text"}}
                    for row in answers
                ],
            )

    return Step("answer_text", [(row.id, row.conference_id) for row in answers], remove)


def _additions(old: Select[int]) -> Step:
    addition_ids = (
        select(Addition.id, Invitation.conference_id)
        .join(FormResponse, FormResponse.id == Addition.response_id)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(Invitation.conference_id.in_(old))
    )

    def remove() -> None:
        db.session.execute(
            delete(Addition).where(Addition.id.in_(select(addition_ids.subquery().c.id)))
        )

    return Step("additions", _pairs(addition_ids), remove)


def _advocate_record_text(old: Select[int]) -> Step:
    records = (
        select(AdvocateRecord.id, AdvocacyReferral.conference_id)
        .join(AdvocacyReferral, AdvocacyReferral.id == AdvocateRecord.referral_id)
        .where(
            AdvocacyReferral.conference_id.in_(old),
            or_(*(getattr(AdvocateRecord, name) != "" for name in RECORD_TEXT)),
        )
    )
    blank = _blank(AdvocateRecord, records, {name: "" for name in RECORD_TEXT})
    return Step("advocate_record_text", _pairs(records), blank)


def _advocate_record_version_text(old: Select[int]) -> Step:
    """Each submitted version keeps its shape (methods, scale, wish to attend, sharing) with the
    words blanked, so the version history still opens and shows what was recorded and when."""
    versions = db.session.execute(
        select(
            AdvocateRecordVersion.id, AdvocacyReferral.conference_id, AdvocateRecordVersion.content
        )
        .join(AdvocateRecord, AdvocateRecord.id == AdvocateRecordVersion.record_id)
        .join(AdvocacyReferral, AdvocacyReferral.id == AdvocateRecord.referral_id)
        .where(
            AdvocacyReferral.conference_id.in_(old),
            or_(
                *(
                    _text_present(AdvocateRecordVersion.content[name].as_string())
                    for name in RECORD_TEXT
                )
            ),
        )
    ).all()

    def remove() -> None:
        if versions:
            db.session.execute(
                update(AdvocateRecordVersion),
                [
                    {"id": row.id, "content": row.content | {n: "" for n in RECORD_TEXT}}
                    for row in versions
                ],
            )

    pairs = [(row.id, row.conference_id) for row in versions]
    return Step("advocate_record_version_text", pairs, remove)


def _contact_text(old: Select[int]) -> Step:
    contacts = (
        select(ContactLogEntry.id, AdvocacyReferral.conference_id)
        .join(AdvocacyReferral, AdvocacyReferral.id == ContactLogEntry.referral_id)
        .where(
            AdvocacyReferral.conference_id.in_(old),
            or_(*(getattr(ContactLogEntry, name) != "" for name in CONTACT_TEXT)),
        )
    )
    blank = _blank(ContactLogEntry, contacts, {name: "" for name in CONTACT_TEXT})
    return Step("contact_text", _pairs(contacts), blank)


def _attachments(old: Select[int]) -> Step:
    """The rows and the chair's read marks go here; the files after the commit
    (``delete_files``)."""
    attachments = db.session.execute(
        select(Attachment.id, AdvocacyReferral.conference_id, Attachment.storage_name)
        .join(AdvocacyReferral, AdvocacyReferral.id == Attachment.referral_id)
        .where(AdvocacyReferral.conference_id.in_(old))
    ).all()

    def remove() -> None:
        if not attachments:
            return
        attachment_rows = select(Attachment.id).where(
            Attachment.referral_id.in_(
                select(AdvocacyReferral.id).where(AdvocacyReferral.conference_id.in_(old))
            )
        )
        db.session.execute(
            delete(PackItemRead).where(
                PackItemRead.item_type == "attachment", PackItemRead.item_id.in_(attachment_rows)
            )
        )
        db.session.execute(
            delete(Attachment)
            .where(Attachment.id.in_(attachment_rows))
            .execution_options(synchronize_session=False)
        )

    return Step(
        "attachments",
        [(row.id, row.conference_id) for row in attachments],
        remove,
        files=[(row.id, row.storage_name) for row in attachments],
    )


def _drawings(old: Select[int]) -> Step:
    """A child's drawings go with the words of their answers: the rows here, the files after
    the commit (``delete_files``)."""
    drawings = db.session.execute(
        select(Drawing.id, Invitation.conference_id, Drawing.storage_name)
        .join(Answer, Answer.id == Drawing.answer_id)
        .join(FormResponse, FormResponse.id == Answer.response_id)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(Invitation.conference_id.in_(old))
    ).all()

    def remove() -> None:
        if drawings:
            db.session.execute(
                delete(Drawing)
                .where(Drawing.id.in_([row.id for row in drawings]))
                .execution_options(synchronize_session=False)
            )

    return Step(
        "drawings",
        [(row.id, row.conference_id) for row in drawings],
        remove,
        files=[(row.id, row.storage_name) for row in drawings],
    )


def _you_said_we_did(old: Select[int]) -> Step:
    notes = select(ConferenceChild.child_id, ConferenceChild.conference_id).where(
        ConferenceChild.conference_id.in_(old), ConferenceChild.you_said_we_did != ""
    )

    def remove() -> None:
        db.session.execute(
            update(ConferenceChild)
            .where(ConferenceChild.conference_id.in_(old), ConferenceChild.you_said_we_did != "")
            .values(you_said_we_did="")
            .execution_options(synchronize_session=False)
        )

    return Step("you_said_we_did", _pairs(notes), remove)


def _access_needs(old: Select[int], cutoff: date) -> Step:
    """Access needs belong to the person, not one conference: kept while any conference of
    theirs is within the limit (or still to come)."""
    recent = select(ConferenceAdult.family_member_id).where(
        ConferenceAdult.conference_id.in_(
            select(Conference.id).where(Conference.conference_date >= cutoff)
        )
    )
    needs = (
        select(FamilyMember.id, ConferenceAdult.conference_id)
        .join(ConferenceAdult, ConferenceAdult.family_member_id == FamilyMember.id)
        .where(
            ConferenceAdult.conference_id.in_(old),
            FamilyMember.access_needs != "",
            FamilyMember.id.not_in(recent),
        )
    )
    return Step("access_needs", _pairs(needs), _blank(FamilyMember, needs, {"access_needs": ""}))


def _self_assignment_reasons(cutoff: date) -> Step:
    """Counted from the day the reason was given, not the conference's date."""
    given_before = datetime.combine(cutoff, time(), tzinfo=SERVICE_TIMEZONE)
    reasons = (
        select(AdvocacySelfAssignment.id, AdvocacyReferral.conference_id)
        .join(AdvocacyReferral, AdvocacyReferral.id == AdvocacySelfAssignment.referral_id)
        .where(
            AdvocacySelfAssignment.assigned_at < given_before,
            AdvocacySelfAssignment.reason != "",
        )
    )
    blank = _blank(AdvocacySelfAssignment, reasons, {"reason": ""})
    return Step("self_assignment_reasons", _pairs(reasons), blank)


def _safety_alert_notes(old: Select[int]) -> Step:
    """What was done about a safety alert and its outcome: free text about the family. The
    alert stays (when raised, by whom, its state and times), for the counts."""
    alerts = select(SafetyAlert.id, SafetyAlert.conference_id).where(
        SafetyAlert.conference_id.in_(old),
        or_(*(_text_present(getattr(SafetyAlert, name)) for name in ALERT_TEXT)),
    )
    blank = _blank(SafetyAlert, alerts, {name: "" for name in ALERT_TEXT})
    return Step("safety_alert_notes", _pairs(alerts), blank)


def _text_replies(old: Select[int], cutoff: date) -> Step:
    """The words of text replies: those held against a link go with its conference's words;
    those held against none (a number nobody has) ``RETENTION_DAYS`` days after they came. The
    row stays, for the feedback report's count."""
    came_before = datetime.combine(cutoff, time(), tzinfo=SERVICE_TIMEZONE)
    replies = (
        select(TextReply.id, Invitation.conference_id)
        .outerjoin(Invitation, Invitation.id == TextReply.invitation_id)
        .where(
            TextReply.text != "",
            or_(
                Invitation.conference_id.in_(old),
                and_(TextReply.invitation_id.is_(None), TextReply.received_at < came_before),
            ),
        )
    )
    return Step("text_replies", _pairs(replies), _blank(TextReply, replies, {"text": ""}))


def delete_files(files: list[tuple[int, str]]) -> int:
    """Delete the attachments' and drawings' files; how many were already missing."""
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    missing = 0
    for attachment_id, storage_name in files:
        try:
            (folder / storage_name).unlink()
        except FileNotFoundError:
            missing += 1
        except OSError:
            logger.exception("Retention could not delete file of row %s", attachment_id)
    return missing
