"""When feedback invitations queued on recording a conference are sent: the schedule's first
send time (the working day after the conference, within sending hours), never in the past."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.invitations.schedule import first_send_at
from portal.models import Conference, FormKind

LONDON = ZoneInfo("Europe/London")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("conference_at", "now", "expected"),
    [
        # Friday's conference recorded that afternoon: Monday when sending starts
        ("2026-11-20 10:00", "2026-11-20 15:00", "2026-11-23 09:00"),
        # Recorded at the weekend: still Monday morning
        ("2026-11-20 10:00", "2026-11-21 11:00", "2026-11-23 09:00"),
        # Recorded on Monday within sending hours: at once
        ("2026-11-20 10:00", "2026-11-23 12:00", "2026-11-23 12:00"),
        # Recorded on Monday evening: Tuesday morning
        ("2026-11-20 10:00", "2026-11-23 20:00", "2026-11-24 09:00"),
        # Christmas Eve: Christmas Day and the Boxing Day holiday (Monday 28th) are skipped
        ("2026-12-24 10:00", "2026-12-24 14:00", "2026-12-29 09:00"),
        # Summer time: 9am in London is 8am UTC
        ("2026-06-11 10:00", "2026-06-11 16:00", "2026-06-12 09:00"),
    ],
)
def test_first_send_time(conference_at: str, now: str, expected: str) -> None:
    conference = Conference(starts_at=_at(conference_at).astimezone(UTC))
    sent = first_send_at(conference, FormKind.FEEDBACK, _at(now).astimezone(UTC))
    assert sent == _at(expected)
    assert sent.tzinfo is not None
