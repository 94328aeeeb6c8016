"""Encryption at rest (issue 7): what families, children and advocates write, and the files they
give, read as noise in the database and in ATTACHMENT_DIR; the app reads them back; and
``flask keys rotate`` moves everything to a new key so the old one can go."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask import Flask
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select

from portal import crypto
from portal.attachments import content_hmac, read_stored
from portal.extensions import db
from portal.keys import sealed_columns
from portal.models import (
    Addition,
    AdvocacySelfAssignment,
    AdvocateRecord,
    Answer,
    Attachment,
    AuditAction,
    AuditEvent,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ContactLogEntry,
    Drawing,
    FamilyMember,
    FormKind,
    Role,
    SafetyAlert,
    Task,
)
from portal.models.base import SERVICE_TIMEZONE
from portal.recording.services import save_you_said_we_did
from portal.reports.feedback import FeedbackFilters, feedback_report
from portal.reports.quarters import financial_year_of
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_drawing,
    add_family_member,
    add_form_response,
    add_task,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import PageClient
from tests.proof import AT_REST

# Each holds a word found nowhere else, so a fragment would be caught as well as the whole.
SENTENCES = {
    "views_answer": "Quillfeather says the children are back at school",
    "views_choices_text": "Marmaladine is my language",
    "addition": "Thistlebrook: my mum can help with the school runs too",
    "good_things": "Playing Zorbanite football with my cousin",
    "worries": "Shouting at night near the Crumbleworth bridge",
    "wishes": "To stay at Pelligrew school",
    "safeguarding_note": "Said that Vorstrand hit them on Tuesday",
    "place": "At the Brindlemoss youth club",
    "with_whom": "Their Ostrovane teacher",
    "contact_note": "Talked about Fennimore and home",
    "description": "A drawing of Gallowglen house",
    "pdf_description": "A letter to Tamsworth the chair",
    "feedback": "Send the report to Wexhollow sooner",
    "you_said_we_did": "You said Hollinsgrave school matters: you stay there",
    "access_needs": "Needs the Kestrelmoor ramp entrance",
    "self_assignment_reason": "Covering for Quenborough while she is away",
    "task_outcome": "Spoke about the Darrowmere plan; she will come by video",
    "alert_action_taken": "Phoned Drossingham police and the mother at once",
    "alert_outcome": "The children stayed with Yarrowmede grandparents that night",
}
MARKERS = [
    max(sentence.replace(":", " ").split(), key=len).encode() for sentence in SENTENCES.values()
]
FILE_MARKERS = [b"\x89PNG", b"IHDR", b"IDAT", b"%PDF-", b"/Type /Page"]
TEXT_TYPES = (sa.String, sa.Text, sa.LargeBinary, sa.JSON)


@pytest.fixture
def attachment_dir(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "attachments"
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(folder))
    return folder


@pytest.fixture
def use_keys(app: Flask) -> Iterator[Callable[[list[str]], None]]:
    """Switch the app's DATA_ENCRYPTION_KEYS (as a deploy with new settings would)."""
    original = app.config["DATA_ENCRYPTION_KEYS"]

    def use(keys: list[str]) -> None:
        app.config["DATA_ENCRYPTION_KEYS"] = keys
        crypto.init_app(app)

    yield use
    use(original)


def _png() -> bytes:
    image = Image.new("RGB", (40, 30), "white")
    for x in range(40):
        image.putpixel((x, x % 30), (200, 30, 90))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).encode()
    return str(value).encode()


def _raw_database() -> tuple[list[bytes], int]:
    """Every value of every text, character, binary or JSON column of every table, read with
    plain SQL (no models, no column types): (values, columns read)."""
    values: list[bytes] = []
    columns = 0
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as connection:
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if not isinstance(column["type"], TEXT_TYPES):
                    continue
                columns += 1
                query = sa.select(sa.column(column["name"])).select_from(sa.table(table))
                values += [_as_bytes(v) for (v,) in connection.execute(query) if v is not None]
    return values, columns


def _raw_files(folder: Path) -> list[bytes]:
    return [path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()]


def _family_answers_through_their_pages(client: PageClient) -> None:
    from portal.invitations.services import issue_invitation
    from portal.link_tokens import token_for

    conference = make_conference()
    member = add_contactable_member(conference)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")
    answers = {
        "why_meeting": {"choice": "yes"},
        "report_shared": {"choice": "not_yet"},
        "report_wrong": {"text": ""},
        "going_well": {"text": SENTENCES["views_answer"]},
        "worries": {"text": "Money"},
        "danger_now": {"choice": "no"},
        "would_help": {"text": "My sister"},
        "attending": {"choice": "video"},
        "speak_to_chair": {"choice": "yes"},
        "help_needed": {"choices": ["interpreter"], "text": SENTENCES["views_choices_text"]},
    }
    for question_id, answer in answers.items():
        page = client.submit(f"/your-say/q/{question_id}", answer)
        assert page.status == 302, (question_id, page.error_summary)
    assert client.submit("/your-say/check").location == "/your-say/done"
    added = client.submit("/your-say/done", {"text": SENTENCES["addition"]})
    assert added.location == "/your-say/done?added=1#added"


def _child_draws_through_their_pages() -> tuple[int, bytes]:
    """A child of 7 draws in the house of good things (the Three Houses), and sends the form:
    (the conference's id, the drawing as the app cleaned it)."""
    import base64

    from flask import current_app

    from portal.invitations.services import issue_invitation
    from portal.link_tokens import token_for
    from portal.models import Relationship

    conference = make_conference(chair=make_staff(Role.CHAIR))
    child = add_child(
        conference, first_name="Ivy", date_of_birth=date.today() - timedelta(days=7 * 366)
    )
    member = add_contactable_member(
        conference, first_name="Ivy", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    child_client = PageClient(current_app.test_client())
    child_client.submit(f"/r/{token_for(invitation.token_salt)}")
    child_client.submit("/your-say/start", on="/your-say/")
    drawing = "data:image/png;base64," + base64.b64encode(_png()).decode()
    for question_id, answer in {
        "good_things": {"text": "My dog", "drawing": drawing},
        "danger_now": {"choice": "no"},
        "feel_at_home": {"choice": "happy"},
        "feel_at_school": {"choice": "calm"},
    }.items():
        page = child_client.submit(f"/your-say/q/{question_id}", answer)
        assert page.status == 302, (question_id, page.error_summary)
    drawn = child_client.get("/your-say/q/good_things/drawing").response.data
    assert child_client.submit("/your-say/check").location == "/your-say/done"
    return conference.id, drawn


def _advocacy_through_the_advocates_pages(signed_in: Any) -> tuple[int, list[bytes]]:
    """The record (with a safeguarding note), a contact and two uploads, as an advocate makes
    them: (referral id, the files as cleaned)."""
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(
        chair=make_staff(Role.CHAIR), starts_in=timedelta(days=6), social_worker_name="Sol"
    )
    child = add_child(conference, first_name="Zara", last_name="Quill")
    referral = refer(conference, child, advocate)
    client = signed_in(Role.ADVOCATE, advocate)
    views = client.submit(
        f"/advocacy/referrals/{referral.id}/views",
        {
            "methods": ["conversation"],
            "good_things": SENTENCES["good_things"],
            "worries": SENTENCES["worries"],
            "wishes": SENTENCES["wishes"],
            "scale": "7",
            "scale_reason": "Home is OK most days",
            "attendance_wish": "part",
            "attendance_how": "By video",
            "attend_with": "My advocate",
            "advocate_to_speak": "yes",
            "share_good_things": "family",
            "share_worries": "chair_only",
            "share_wishes": "conference",
            "share_scale": "conference",
            "share_attendance": "conference",
            "safeguarding_concern": "y",
            "safeguarding_note": SENTENCES["safeguarding_note"],
            "submit": "Submit to the chair",
        },
    )
    assert views.status == 302, views.error_summary
    yesterday = date.today() - timedelta(days=1)
    contact = client.submit(
        f"/advocacy/referrals/{referral.id}/contacts/new",
        {
            "contact_on": [str(yesterday.day), str(yesterday.month), str(yesterday.year)],
            "seen": "yes",
            "place": SENTENCES["place"],
            "alone": "no",
            "with_whom": SENTENCES["with_whom"],
            "note": SENTENCES["contact_note"],
        },
    )
    assert contact.status == 302, contact.error_summary
    url = f"/advocacy/referrals/{referral.id}/attachments/new"
    for content, name, kind, description in (
        (_png(), "drawing.png", "image/png", SENTENCES["description"]),
        (_pdf(), "letter.pdf", "application/pdf", SENTENCES["pdf_description"]),
    ):
        token = client.get(url).csrf_token()
        upload = client.post(
            url,
            {
                "csrf_token": token,
                "file": (BytesIO(content), name, kind),
                "description": description,
                "sharing": "conference",
            },
            content_type="multipart/form-data",
        )
        assert upload.status == 302, upload.error_summary
    from flask import current_app

    kept = [
        read_stored(current_app.config["ATTACHMENT_DIR"], a.storage_name)
        for a in db.session.scalars(select(Attachment).order_by(Attachment.id))
    ]
    return referral.id, [data for data in kept if data is not None]


def _self_assignment_through_the_managers_page(signed_in: Any) -> int:
    """A manager gives themselves a child whose conference has started, saying why: the
    referral's id."""
    manager = make_staff(Role.ADVOCATE, is_advocacy_manager=True)
    conference = make_conference(starts_in=timedelta(hours=-1))
    referral = refer(conference, add_child(conference))
    client = signed_in(Role.ADVOCATE, manager)
    done = client.submit(
        f"/advocacy/referrals/{referral.id}/assign",
        {"advocate_id": str(manager.id), "reason": SENTENCES["self_assignment_reason"]},
        on="/advocacy/referrals",
    )
    assert done.status == 302, done.error_summary
    return referral.id


def _alert_acted_on_through_its_page(signed_in: Any) -> None:
    """The advocate's concern raised a safety alert: a coordinator acknowledges and closes it."""
    client = signed_in(Role.COORDINATOR)
    alert = db.session.scalars(select(SafetyAlert)).one()
    url = f"/safety-alerts/{alert.id}"
    done = client.submit(
        f"{url}/acknowledge", {"action_taken": SENTENCES["alert_action_taken"]}, on=url
    )
    assert done.status == 303, done.error_summary
    closed = client.submit(f"{url}/close", {"outcome": SENTENCES["alert_outcome"]}, on=url)
    assert closed.status == 303, closed.error_summary


def _held_conference_with_feedback() -> int:
    day = date.today() - timedelta(days=3)
    starts_at = datetime.combine(day, time(10), tzinfo=SERVICE_TIMEZONE).astimezone(UTC)
    conference = make_conference(starts_at=starts_at, status=ConferenceStatus.HELD)
    member = add_contactable_member(conference)
    response = add_form_response(
        conference, member, {"do_better": {"text": SENTENCES["feedback"]}}, form="feedback"
    )
    response.invitation.sent_at = starts_at  # the report counts the links that went out
    child = add_child(conference)
    link = db.session.get(ConferenceChild, (conference.id, child.id))
    save_you_said_we_did(link, SENTENCES["you_said_we_did"])
    db.session.commit()
    add_family_member(conference, access_needs=SENTENCES["access_needs"])
    return conference.id


def _a_call_through_the_chairs_page(signed_in: Any) -> None:
    """A parent asked to speak to the chair; the chair records the call and what came of it."""
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    task = add_task(conference, add_contactable_member(conference), "speak_to_chair")
    today = date.today()
    done = signed_in(Role.CHAIR, chair).submit(
        f"/conferences/{conference.id}/calls/{task.id}",
        {
            "contacted": "yes",
            "contacted_on": [str(today.day), str(today.month), str(today.year)],
            "method": "phone",
            "outcome": SENTENCES["task_outcome"],
        },
    )
    assert done.status == 302, done.error_summary


def test_nothing_written_can_be_read_from_a_dump_or_the_files_and_the_app_reads_it_all(
    client: PageClient, signed_in: Any, attachment_dir: Path
) -> None:
    _family_answers_through_their_pages(client)
    drawing_conference, drawn = _child_draws_through_their_pages()
    referral_id, cleaned = _advocacy_through_the_advocates_pages(signed_in)
    conference_id = _held_conference_with_feedback()
    _self_assignment_through_the_managers_page(signed_in)
    _a_call_through_the_chairs_page(signed_in)
    _alert_acted_on_through_its_page(signed_in)
    db.session.expire_all()

    values, columns = _raw_database()
    files = _raw_files(attachment_dir)
    assert len(files) == 3  # two uploads and a child's drawing
    assert len(cleaned) == 2
    cleaned_and_drawn = [*cleaned, drawn]
    readable = [
        marker
        for marker in [*(s.encode() for s in SENTENCES.values()), *MARKERS]
        for value in values
        if marker.lower() in value.lower()
    ]
    readable += [
        marker
        for marker in [*(s.encode() for s in SENTENCES.values()), *MARKERS, *FILE_MARKERS]
        for data in files
        if marker in data
    ]
    readable += [
        b"(a cleaned file)" for data in files for kept in cleaned_and_drawn if kept[:64] in data
    ]
    AT_REST.values += len(values)
    AT_REST.columns += columns
    AT_REST.files += len(files)
    AT_REST.readable += len(readable)
    print(  # noqa: T201 - the proof's figure, in the test output
        f"\nchecked {len(values)} values in {columns} columns and {len(files)} files: "
        f"{len(readable)} readable"
    )
    assert readable == []

    # ... and the app reads every one of them back.
    answers = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert answers["going_well"] == {"text": SENTENCES["views_answer"]}
    assert answers["help_needed"] == {
        "choices": ["interpreter"],
        "text": SENTENCES["views_choices_text"],
    }
    assert db.session.scalars(select(Addition.text)).one() == SENTENCES["addition"]
    alert = db.session.scalars(select(SafetyAlert)).one()
    assert alert.action_taken == SENTENCES["alert_action_taken"]
    assert alert.outcome == SENTENCES["alert_outcome"]
    record = db.session.scalars(select(AdvocateRecord)).one()
    assert (record.good_things, record.safeguarding_note) == (
        SENTENCES["good_things"],
        SENTENCES["safeguarding_note"],
    )
    assert record.versions[-1].content["worries"] == SENTENCES["worries"]
    contact = db.session.scalars(select(ContactLogEntry)).one()
    assert (contact.place, contact.with_whom, contact.note) == (
        SENTENCES["place"],
        SENTENCES["with_whom"],
        SENTENCES["contact_note"],
    )
    assert [a.description for a in db.session.scalars(select(Attachment).order_by("id"))] == [
        SENTENCES["description"],
        SENTENCES["pdf_description"],
    ]
    assert db.session.scalars(
        select(FamilyMember.access_needs).where(FamilyMember.access_needs != "")
    ).all() == [SENTENCES["access_needs"]]
    year = financial_year_of(date.today() - timedelta(days=3))
    comments = [c.text for c in feedback_report(FeedbackFilters(year)).comments]
    assert SENTENCES["feedback"] in comments
    link = db.session.scalars(
        select(ConferenceChild).where(ConferenceChild.conference_id == conference_id)
    ).one()
    assert link.you_said_we_did == SENTENCES["you_said_we_did"]

    assert db.session.scalars(select(Task.outcome).where(Task.outcome != "")).all() == [
        SENTENCES["task_outcome"]
    ]

    reason = db.session.scalars(select(AdvocacySelfAssignment.reason)).one()
    assert reason == SENTENCES["self_assignment_reason"]
    assert reason in signed_in(Role.ADMIN).get("/admin/audit/").text

    advocate_page = signed_in(Role.ADVOCATE, record.referral.advocate)
    page = advocate_page.get(f"/advocacy/referrals/{referral_id}")
    for key in ("good_things", "worries", "place", "with_whom", "description"):
        assert SENTENCES[key] in page.text, key
    served = [
        advocate_page.get(f"/attachments/{a.id}")
        for a in db.session.scalars(select(Attachment).order_by(Attachment.id))
    ]
    assert [s.status for s in served] == [200, 200]
    assert [s.response.data for s in served] == cleaned
    assert cleaned[0].startswith(b"\x89PNG")
    assert cleaned[1].startswith(b"%PDF-")
    # ... and the child's drawing, as the chair reads the pack
    drawing = db.session.scalars(select(Drawing)).one()
    conference = db.session.get(Conference, drawing_conference)
    chair_page = signed_in(Role.CHAIR, conference.chair)
    shown = chair_page.get(f"/conferences/{drawing_conference}/drawings/{drawing.id}")
    assert shown.status == 200
    assert shown.response.data == drawn
    assert drawn.startswith(b"\x89PNG")


def test_a_new_key_is_printed_with_how_to_bring_it_in(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["keys", "new"])
    assert result.exit_code == 0
    key = result.output.splitlines()[0]
    Fernet(key.encode())  # a usable key
    assert "FIRST in DATA_ENCRYPTION_KEYS" in result.output
    assert "flask keys rotate" in result.output


def _raw_sealed() -> dict[tuple[str, str, str], str]:
    """Every sealed value as stored, by (table, column, row key)."""
    found: dict[tuple[str, str, str], str] = {}
    with db.engine.connect() as connection:
        for table, columns in sealed_columns().items():
            keys = list(table.primary_key.columns)
            for column in columns:
                raw = sa.type_coerce(
                    column, sa.JSON() if isinstance(column.type, crypto.SealedJSON) else sa.Text()
                )
                for row in connection.execute(sa.select(*keys, raw)):
                    *key, value = row
                    if isinstance(value, dict):
                        for name in column.type.sealed_keys:
                            if value.get(name):
                                found[(table.name, f"{column.name}.{name}", str(key))] = value[name]
                    elif value:
                        found[(table.name, column.name, str(key))] = value
    return found


def _opens_with(key: str, token: str | bytes) -> bool:
    try:
        Fernet(key.encode()).decrypt(token)
        return True
    except InvalidToken:
        return False


def test_rotate_moves_every_value_and_file_to_the_new_key_so_the_old_one_can_go(
    app: Flask, use_keys: Callable[[list[str]], None], attachment_dir: Path
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    use_keys([old])
    conference = make_conference()
    child = add_child(conference)
    member = add_contactable_member(conference, access_needs=SENTENCES["access_needs"])
    referral = refer(conference, child, make_staff(Role.ADVOCATE))
    add_advocate_record(referral, safeguarding_note=SENTENCES["safeguarding_note"])
    db.session.add(
        ContactLogEntry(
            referral_id=referral.id,
            contact_on=date.today(),
            seen=True,
            place=SENTENCES["place"],
            note=SENTENCES["contact_note"],
        )
    )
    db.session.commit()
    png = _png()
    attachment = add_attachment(referral, content=png)
    response = add_form_response(
        conference, member, {"going_well": {"text": SENTENCES["views_answer"]}}
    )
    db.session.add(Addition(response_id=response.id, text=SENTENCES["addition"]))
    drawing = add_drawing(response, "going_well", content=png)  # a child's, as the same file
    drawing_path = attachment_dir / drawing.storage_name
    manager = make_staff(Role.ADVOCATE, is_advocacy_manager=True)
    db.session.add(
        AdvocacySelfAssignment(
            referral_id=referral.id,
            manager_id=manager.id,
            reason=SENTENCES["self_assignment_reason"],
            audit_event=AuditEvent(
                actor_id=manager.id,
                action=AuditAction.SELF_ASSIGN,
                record_type="advocacy_referral",
                record_id=referral.id,
            ),
        )
    )
    db.session.commit()
    attachment_id, old_digest = attachment.id, attachment.content_hmac
    before = _raw_sealed()
    path = attachment_dir / attachment.storage_name
    file_before = path.read_bytes()
    drawing_before = drawing_path.read_bytes()
    assert len(before) >= 10
    assert all(_opens_with(old, token) for token in before.values())

    use_keys([new, old])
    result = app.test_cli_runner().invoke(args=["keys", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "  advocate_record: 4 resealed, 0 already under the newest key" in result.output
    assert "  attachment files: 2 resealed" in result.output  # the upload and the drawing
    after = _raw_sealed()
    assert after.keys() == before.keys()
    assert all(after[where] != before[where] for where in before)  # every raw value changed
    assert all(_opens_with(new, t) and not _opens_with(old, t) for t in after.values())
    assert path.read_bytes() != file_before
    assert _opens_with(new, path.read_bytes())
    assert drawing_path.read_bytes() != drawing_before
    assert _opens_with(new, drawing_path.read_bytes())
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "data_keys"))
    assert [e.fields for e in event] == [
        "addition,advocacy_self_assignment,advocate_record,advocate_record_version,answer,"
        "attachment,attachment_files,contact_log_entry,family_member"
    ]
    again = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert "  answer: 0 resealed, 1 already under the newest key" in again.output
    assert "  attachment files: 0 resealed, 2 already under the newest key" in again.output

    use_keys([new])  # the old key dropped: everything still opens
    db.session.expire_all()
    record = db.session.scalars(select(AdvocateRecord)).one()
    assert record.safeguarding_note == SENTENCES["safeguarding_note"]
    assert record.versions[0].content["good_things"] == record.good_things
    contact = db.session.scalars(select(ContactLogEntry)).one()
    assert (contact.place, contact.note) == (SENTENCES["place"], SENTENCES["contact_note"])
    assert db.session.get(FamilyMember, member.id).access_needs == SENTENCES["access_needs"]
    answer = db.session.scalars(select(Answer)).one()
    assert answer.value == {"text": SENTENCES["views_answer"]}
    assert db.session.scalars(select(Addition.text)).one() == SENTENCES["addition"]

    reason = db.session.scalars(select(AdvocacySelfAssignment.reason)).one()
    assert reason == SENTENCES["self_assignment_reason"]
    kept = db.session.get(Attachment, attachment_id)
    assert kept.description == "A drawing of my house"
    assert read_stored(attachment_dir, kept.storage_name) == png
    # the keyed digest follows the key: an upload of the same file is still found
    assert kept.content_hmac == content_hmac(png) != old_digest
    drawn = db.session.get(Drawing, drawing.id)
    assert read_stored(attachment_dir, drawn.storage_name) == png
    assert drawn.content_hmac == content_hmac(png)
