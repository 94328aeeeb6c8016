""" "You said, we did" in the feedback report: the chair's notes to children written, the
messages telling the children of them sent, and the notes opened on the children's own links,
by the quarter of the conference date, counted in SQL.

A note is written once saved with words in it (an empty one is not a note). The form and channel
filters are about the feedback links, not the notes: the notes are counted whatever they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Conference, ConferenceChild, Message
from portal.reports.export import Table
from portal.reports.quarters import Rate, count_if, financial_quarters, in_year, quarter_of


@dataclass(frozen=True)
class NoteQuarter:
    label: str
    written: int
    sent: Rate  # of written
    opened: Rate  # of sent


def notes_by_quarter(year: int) -> list[NoteQuarter]:
    """Each quarter's notes written, sent and opened."""
    quarter = quarter_of(Conference.conference_date, year).label("quarter")
    rows = db.session.execute(
        select(
            quarter,
            func.count(),
            count_if(Message.sent_at.is_not(None)),
            count_if(ConferenceChild.you_said_we_did_opened_at.is_not(None)),
        )
        .select_from(ConferenceChild)
        .join(Conference, Conference.id == ConferenceChild.conference_id)
        .outerjoin(Message, Message.id == ConferenceChild.you_said_we_did_message_id)
        .where(
            in_year(Conference.conference_date, year),
            ConferenceChild.you_said_we_did_at.is_not(None),
            ConferenceChild.you_said_we_did != "",  # an empty note is kept unsealed, as ""
        )
        .group_by(quarter)
    ).all()
    counts = {int(q): (int(w), int(s or 0), int(o or 0)) for q, w, s, o in rows}
    quarters = []
    for q in financial_quarters(year):
        written, sent, opened = counts.get(q.number, (0, 0, 0))
        quarters.append(
            NoteQuarter(q.label, written, Rate(q.label, sent, written), Rate(q.label, opened, sent))
        )
    return quarters


def notes_table(quarters: list[NoteQuarter]) -> Table:
    return Table(
        "You said, we did",
        ("quarter", "written", "sent", "percent sent", "opened", "percent of sent opened"),
        [
            (
                n.label,
                n.written,
                n.sent.numerator,
                n.sent.percent_cell,
                n.opened.numerator,
                n.opened.percent_cell,
            )
            for n in quarters
        ],
    )
