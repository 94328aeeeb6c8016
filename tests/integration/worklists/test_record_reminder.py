"""One working day after a conference's start with no record, its chair gets one reminder email
(issue 13, part 4): sent by the worker, once, with nothing about the case in it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Channel, ConferenceStatus, Message, MessageKind, Role
from portal.models.base import SERVICE_TIMEZONE
from portal.tasks.unrecorded import remind_unrecorded
from portal.worker import run_worker
from tests.factories import add_child, add_contactable_member, make_conference, make_staff

# Friday 6 March 2026, 10:00 in London: the next working day is Monday 9 March.
FRIDAY = datetime(2026, 3, 6, 10, 0, tzinfo=SERVICE_TIMEZONE)


def _reminders() -> list[Message]:
    return list(
        db.session.scalars(select(Message).where(Message.kind == MessageKind.RECORD_REMINDER))
    )


def test_one_reminder_a_working_day_after_the_start_with_nothing_personal() -> None:
    chair = make_staff(Role.CHAIR, email="chair@council.example")
    conference = make_conference(chair=chair, case_reference="CP-REMIND", starts_in=timedelta(0))
    conference.starts_at = FRIDAY
    add_child(conference, first_name="Zebedee", last_name="Quorn")
    add_contactable_member(conference, first_name="Wilhelmina")
    db.session.commit()

    assert remind_unrecorded(FRIDAY + timedelta(days=2)) == 0  # Sunday: not a working day after
    assert remind_unrecorded(FRIDAY + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert remind_unrecorded(FRIDAY + timedelta(days=3)) == 1  # Monday, 10:00
    assert remind_unrecorded(FRIDAY + timedelta(days=4)) == 0  # once only
    assert remind_unrecorded(FRIDAY + timedelta(days=10)) == 0

    [reminder] = _reminders()
    assert (reminder.channel, reminder.to_address) == (Channel.EMAIL, "chair@council.example")
    assert reminder.conference_id == conference.id
    assert reminder.family_member_id is None
    everything = f"{reminder.subject} {reminder.body_text} {reminder.body_html}"
    for personal in ("CP-REMIND", "Zebedee", "Quorn", "Wilhelmina", "Tester"):
        assert personal not in everything
    assert "not been recorded" in reminder.body_text
    assert db.session.get(type(conference), conference.id).record_reminder_at is not None


def test_no_reminder_when_recorded_cancelled_or_long_past() -> None:
    chair = make_staff(Role.CHAIR)
    recorded = make_conference(chair=chair, status=ConferenceStatus.HELD)
    cancelled = make_conference(chair=chair, status=ConferenceStatus.CANCELLED)
    old = make_conference(chair=chair)
    for conference in (recorded, cancelled, old):
        conference.starts_at = FRIDAY
    recorded.recorded_at = FRIDAY + timedelta(hours=3)
    old.starts_at = FRIDAY - timedelta(days=60)
    db.session.commit()

    assert remind_unrecorded(FRIDAY + timedelta(days=5)) == 0
    assert _reminders() == []


def test_the_worker_sends_the_reminder(app, monkeypatch) -> None:
    chair = make_staff(Role.CHAIR)
    make_conference(chair=chair, starts_in=timedelta(days=-7))

    run_worker(app, once=True)

    db.session.expire_all()
    [reminder] = _reminders()
    assert reminder.to_address == chair.email
