"""The schedule issues invitations and reminders when due, and never to an unsafe contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.invitations.schedule import first_send_date, run_schedule
from portal.models import (
    ConferenceAdult,
    ConferenceStatus,
    FormKind,
    Invitation,
    Message,
    MessageKind,
    NotInvitedReason,
    Role,
)
from tests.factories import add_contactable_member, add_family_member, make_conference

# Thursday 14 January 2027, 10:00 in London (GMT)
CONFERENCE_AT = datetime(2027, 1, 14, 10, 0, tzinfo=UTC)


def _kinds() -> list[MessageKind]:
    return list(db.session.scalars(select(Message.kind).order_by(Message.id)))


def test_views_invitations_go_five_working_days_before(app) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)
    add_contactable_member(conference)
    assert first_send_date(conference, FormKind.VIEWS).isoformat() == "2027-01-07"

    assert run_schedule(datetime(2027, 1, 6, 12, tzinfo=UTC)).invitations == 0
    assert run_schedule(datetime(2027, 1, 7, 10, tzinfo=UTC)).invitations == 1
    assert run_schedule(datetime(2027, 1, 7, 11, tzinfo=UTC)).invitations == 0  # once only
    assert _kinds() == [MessageKind.VIEWS_INVITATION]


def test_bank_holidays_move_the_send_date(app) -> None:
    conference = make_conference(starts_at=datetime(2027, 1, 5, 10, tzinfo=UTC))
    # 5 working days before Tue 5 Jan 2027: 4, 31 Dec, 30, 29, 24 (25–28 Dec and 1 Jan are off)
    assert first_send_date(conference, FormKind.VIEWS).isoformat() == "2026-12-24"


def test_a_reminder_follows_if_not_answered(app) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)
    add_contactable_member(conference)
    sent = datetime(2027, 1, 7, 10, tzinfo=UTC)
    run_schedule(sent)
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.sent_at = sent
    db.session.commit()
    days = app.config["VIEWS_REMINDER_AFTER_DAYS"]
    assert run_schedule(sent + timedelta(days=days) - timedelta(minutes=1)).reminders == 0
    assert run_schedule(sent + timedelta(days=days)).reminders == 1
    assert run_schedule(sent + timedelta(days=days, hours=1)).reminders == 0
    assert _kinds() == [MessageKind.VIEWS_INVITATION, MessageKind.VIEWS_REMINDER]


def test_no_reminder_once_answered(app) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)
    add_contactable_member(conference)
    sent = datetime(2027, 1, 7, 10, tzinfo=UTC)
    run_schedule(sent)
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.sent_at, invitation.submitted_at = sent, sent + timedelta(hours=1)
    db.session.commit()
    assert run_schedule(sent + timedelta(days=5)).reminders == 0


def test_feedback_goes_the_working_day_after_the_conference_is_held(app) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)  # a Thursday
    add_contactable_member(conference)
    friday = datetime(2027, 1, 15, 9, tzinfo=UTC)
    conference.status = ConferenceStatus.SCHEDULED
    db.session.commit()
    run_schedule(friday)
    assert MessageKind.FEEDBACK_INVITATION not in _kinds()  # not marked held yet
    conference.status = ConferenceStatus.HELD
    db.session.commit()
    assert run_schedule(datetime(2027, 1, 14, 16, tzinfo=UTC)).invitations == 0  # same day
    assert run_schedule(friday).invitations == 1
    assert _kinds()[-1] == MessageKind.FEEDBACK_INVITATION


def test_no_feedback_for_anyone_recorded_as_not_invited(app) -> None:
    """Safeguarding: the chair excluded one, and did not know where another was."""
    conference = make_conference(starts_at=CONFERENCE_AT, status=ConferenceStatus.HELD)
    invited = add_contactable_member(conference, first_name="Invited")
    for name, reason in (("Excluded", "excluded"), ("Unknown", "whereabouts_unknown")):
        member = add_contactable_member(conference, first_name=name)
        link = db.session.get(ConferenceAdult, (conference.id, member.id))
        link.invited, link.not_invited_reason = False, NotInvitedReason(reason)
    not_yet_recorded = add_contactable_member(conference, first_name="Later")
    db.session.get(ConferenceAdult, (conference.id, invited.id)).invited = True
    db.session.commit()
    run = run_schedule(datetime(2027, 1, 15, 9, tzinfo=UTC))  # the working day after
    assert (run.invitations, run.skipped) == (2, 0)
    asked = set(db.session.scalars(select(Invitation.family_member_id)))
    assert asked == {invited.id, not_yet_recorded.id}


def test_nothing_for_unsafe_or_paused_contacts(app) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)
    add_family_member(conference)  # contact not confirmed safe
    paused = add_contactable_member(conference, first_name="Paused")
    db.session.get(ConferenceAdult, (conference.id, paused.id)).invitations_paused = True
    db.session.commit()
    run_result = run_schedule(datetime(2027, 1, 7, 10, tzinfo=UTC))
    assert run_result.invitations == 0
    assert run_result.skipped == 1
    assert _kinds() == []


def test_nothing_is_sent_at_night(app) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)
    add_contactable_member(conference)
    assert run_schedule(datetime(2027, 1, 7, 0, 1, tzinfo=UTC)).invitations == 0  # midnight
    assert run_schedule(datetime(2027, 1, 7, 19, 30, tzinfo=UTC)).invitations == 0
    assert run_schedule(datetime(2027, 1, 8, 9, 0, tzinfo=UTC)).invitations == 1


def test_a_cancelled_conference_stops_its_links_and_reminders(signed_in) -> None:
    from portal.models import Message, MessageStatus

    conference = make_conference(starts_at=CONFERENCE_AT)
    add_contactable_member(conference)
    run_schedule(datetime(2027, 1, 7, 10, tzinfo=UTC))
    invitation = db.session.scalars(select(Invitation)).one()
    client = signed_in(Role.COORDINATOR)
    form = client.get(f"/conferences/{conference.id}/edit")
    data = {
        "case_reference": conference.case_reference,
        "conference_type": "review",
        "date": ["14", "1", "2027"],
        "start_time": "10:00",
        "format": "in_person",
        "chair_id": "",
        "status": "cancelled",
    }
    assert form.status == 200
    client.submit(f"/conferences/{conference.id}/edit", data)
    assert invitation.revoked_at is not None
    assert db.session.scalars(select(Message.status)).all() == [MessageStatus.CANCELLED]


def test_moving_a_conference_moves_when_its_views_link_expires(signed_in) -> None:
    conference = make_conference(starts_at=CONFERENCE_AT)
    add_contactable_member(conference)
    run_schedule(datetime(2027, 1, 7, 10, tzinfo=UTC))
    invitation = db.session.scalars(select(Invitation)).one()
    signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/edit",
        {
            "case_reference": conference.case_reference,
            "conference_type": "review",
            "date": ["28", "1", "2027"],
            "start_time": "10:00",
            "format": "in_person",
            "chair_id": "",
            "status": "scheduled",
        },
    )
    assert invitation.expires_at == datetime(2027, 1, 28, 10, tzinfo=UTC)
