"""The message telling a child of the chair's "You said, we did" note (issue 25): queued once
per child when the note is saved after the record (or the record saved after the note), never
to a child without a usable contact, paused or opted out; saying nothing but that there is a
note. The pack and the advocate's page show it sent and opened; the feedback report counts
notes written, sent and opened by quarter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import set_paused
from portal.models import (
    Channel,
    ConferenceChild,
    ConferenceFormat,
    Message,
    MessageKind,
    MessageStatus,
    Role,
)
from portal.recording.services import ConferenceRecord, save_record, save_you_said_we_did
from portal.working_days import is_working_day
from tests.factories import add_child, add_family_member, make_staff, refer
from tests.helpers.notes import recorded_with_child
from tests.integration.reports.test_feedback_report import csv_sections, held_on

NOTE = "You said Quillbright school matters to you. You will stay there."


def _note_messages() -> list[Message]:
    return list(
        db.session.scalars(
            select(Message).where(Message.kind == MessageKind.YOU_SAID_WE_DID).order_by(Message.id)
        )
    )


def test_the_chair_saving_the_note_sends_one_message_with_the_child_s_own_link(
    signed_in,
) -> None:
    setup = recorded_with_child()
    chair = signed_in(Role.CHAIR, user=setup.chair)
    url = f"/conferences/{setup.conference.id}/children/{setup.child.id}/you-said-we-did"

    saved = chair.submit(url, {"note": NOTE})
    chair.submit(url, {"note": NOTE + " Again."})  # saved again: no second message

    assert saved.status == 303
    (message,) = _note_messages()
    assert (message.family_member_id, message.invitation_id) == (
        setup.member.id,
        setup.invitation.id,
    )
    assert (message.channel, message.to_address) == (Channel.SMS, setup.member.mobile)
    assert message.body_text.startswith("Northshire Council: there is a note for you from the")
    for personal in ("Quillbright", setup.child.first_name, setup.conference.case_reference):
        assert personal not in message.body_text
    assert setup.link.you_said_we_did_message_id == message.id
    sent_from = message.next_attempt_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    assert is_working_day(sent_from.date())  # never late at night, nor on a Sunday
    assert (
        current_app.config["SEND_FROM_HOUR"]
        <= sent_from.hour
        < current_app.config["SEND_UNTIL_HOUR"]
    )
    assert chair.get(f"/conferences/{setup.conference.id}").status == 200


def test_the_helper_of_a_child_under_10_is_sent_the_helper_s_wording_by_email() -> None:
    setup = recorded_with_child(
        age=7, preferred_channel=Channel.EMAIL, email="carer@example.com", mobile=None
    )
    assert save_you_said_we_did(setup.link, NOTE) is None
    (message,) = _note_messages()
    assert message.subject == "A note for the child you help – Northshire Council"
    assert "Please read it with them. You can print it too." in message.body_text
    assert NOTE not in message.body_text
    assert NOTE not in (message.body_html or "")


@pytest.mark.parametrize(
    ("language", "words"),
    [("Polish", "masz notatkę ze spotkania"), ("Romanian", "aveți o notă"), ("Urdu", "نوٹ")],
)
def test_the_message_is_in_the_child_s_language(language: str, words: str) -> None:
    setup = recorded_with_child(language=language)
    save_you_said_we_did(setup.link, NOTE)
    (message,) = _note_messages()
    assert words in message.body_text


def test_nobody_is_sent_one_without_a_usable_contact_paused_or_opted_out(signed_in) -> None:
    opted_out = recorded_with_child()
    opted_out.member.sms_opted_out_at = datetime.now(UTC)  # STOP after the link was sent
    db.session.commit()
    assert save_you_said_we_did(opted_out.link, NOTE) == (
        "They replied STOP: text messages to them are switched off"
    )
    paused = recorded_with_child()
    set_paused(paused.conference.id, paused.member.id, True)
    assert save_you_said_we_did(paused.link, NOTE) == "Messages to them are paused"
    expired = recorded_with_child()
    expired.invitation.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert save_you_said_we_did(expired.link, NOTE) == "They have no link that still works"
    # A child with no contact record of their own: nothing to send, nothing to say
    without = add_child(expired.conference, first_name="Leo")
    link = db.session.get(ConferenceChild, (expired.conference.id, without.id))
    assert save_you_said_we_did(link, NOTE) is None
    assert save_you_said_we_did(expired.link, "") is None  # an empty note: nothing to tell
    assert _note_messages() == []

    chair = signed_in(Role.CHAIR, user=opted_out.chair)
    url = f"/conferences/{opted_out.conference.id}/children/{opted_out.child.id}/you-said-we-did"
    chair.submit(url, {"note": NOTE})
    shown = chair.get(f"/conferences/{opted_out.conference.id}")
    assert "Not sent to them: They replied STOP" in shown.text


def test_a_note_written_before_the_contact_was_safe_goes_when_the_record_is_saved_again() -> None:
    setup = recorded_with_child()
    checked_by, safe_at = setup.member.contact_confirmed_safe_by_id, datetime.now(UTC)
    setup.member.contact_confirmed_safe_at = setup.member.contact_confirmed_safe_by_id = None
    db.session.commit()
    assert save_you_said_we_did(setup.link, NOTE) == (
        "Their contact details have not been confirmed safe to use"
    )
    setup.member.contact_confirmed_safe_at = safe_at
    setup.member.contact_confirmed_safe_by_id = checked_by
    db.session.commit()
    record = ConferenceRecord(
        held_on=setup.conference.held_on,
        format=ConferenceFormat.IN_PERSON,
        quorate=True,
        children=[],
        adults=[],
    )

    queued = save_record(setup.conference, record, setup.chair)
    save_record(setup.conference, record, setup.chair)  # and again: still one

    assert queued.notes_not_sent == []
    assert [m.family_member_id for m in _note_messages()] == [setup.member.id]


def test_the_pack_and_the_advocate_s_page_show_it_sent_and_opened(signed_in) -> None:
    setup = recorded_with_child()
    advocate = make_staff(Role.ADVOCATE)
    referral = refer(setup.conference, setup.child, advocate)
    chair = signed_in(Role.CHAIR, user=setup.chair)
    pack_url = f"/conferences/{setup.conference.id}/pack"
    record_url = f"/advocacy/referrals/{referral.id}"

    assert "“You said, we did”: not written yet." in chair.get(pack_url).text
    save_you_said_we_did(setup.link, NOTE)
    assert "not sent yet (queued). Not opened yet." in chair.get(pack_url).text

    message = db.session.get(Message, setup.link.you_said_we_did_message_id)
    message.status, message.sent_at = MessageStatus.SENT, datetime(2026, 3, 2, 10, tzinfo=UTC)
    setup.link.you_said_we_did_opened_at = datetime(2026, 3, 3, 17, tzinfo=UTC)
    db.session.commit()
    for client, url in ((chair, pack_url), (signed_in(Role.ADVOCATE, user=advocate), record_url)):
        status = client.get(url).soup.select_one(".heard-you-said-status")
        text = " ".join(status.get_text().split())
        assert "sent 2 March 2026" in text, url
        assert "(sent)" in text, url
        assert "Opened on their link 3 March 2026" in text, url


def test_the_feedback_report_counts_notes_written_sent_and_opened_by_quarter(signed_in) -> None:
    q1, q3 = held_on("2024-05-10", "CASE-1"), held_on("2024-11-20", "CASE-2")
    next_year = held_on("2025-05-10", "CASE-3")
    notes = [  # (conference, words, sent, opened)
        (q1, NOTE, True, True),
        (q1, NOTE, True, False),
        (q1, NOTE, False, False),
        (q1, "", False, False),  # saved empty: not a note
        (q3, NOTE, True, True),
        (next_year, NOTE, True, True),
    ]
    for number, (conference, words, sent, opened) in enumerate(notes):
        child = add_child(conference, first_name=f"Child{number}")
        member = add_family_member(conference, first_name=f"Young{number}")
        link = db.session.get(ConferenceChild, (conference.id, child.id))
        link.you_said_we_did, link.you_said_we_did_at = words, datetime.now(UTC)
        if sent or opened:
            message = Message(
                family_member_id=member.id,
                kind=MessageKind.YOU_SAID_WE_DID,
                channel=Channel.SMS,
                to_address=member.mobile,
                body_text="There is a note",
                sent_at=datetime.now(UTC) if sent else None,
            )
            db.session.add(message)
            db.session.flush()
            link.you_said_we_did_message_id = message.id
        link.you_said_we_did_opened_at = datetime.now(UTC) - timedelta(hours=1) if opened else None
    db.session.commit()
    officer = signed_in(Role.PARTICIPATION_OFFICER)

    page = officer.get("/reports/feedback?year=2024")
    rows = [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
        for row in page.soup.find(id="you-said-we-did").find_next("table").tbody.find_all("tr")
    ]
    assert rows == [
        ["Q1", "3", "66.7% 2 of 3", "50.0% 1 of 2"],
        ["Q2", "0", "– 0 of 0", "– 0 of 0"],
        ["Q3", "1", "100.0% 1 of 1", "100.0% 1 of 1"],
        ["Q4", "0", "– 0 of 0", "– 0 of 0"],
    ]
    exported = officer.get("/reports/feedback.csv?year=2024&channel=email")
    assert csv_sections(exported.response.get_data(as_text=True))["You said, we did"] == [
        ["quarter", "written", "sent", "percent sent", "opened", "percent of sent opened"],
        ["Q1", "3", "2", "66.7", "1", "50.0"],
        ["Q2", "0", "0", "", "0", ""],
        ["Q3", "1", "1", "100.0", "1", "100.0"],
        ["Q4", "0", "0", "", "0", ""],
    ]
