"""Views given another way (by phone, on paper, in person at the meeting, through an
interpreter) and entered by staff, for the participation report: people heard by that route at
the conferences the table counts, by route and quarter, in one grouped query.

The table itself counts what the chair records: an entry ticks "Given another way, entered by
staff" among the adult's routes on the chair's form (and suggests CP6 for a young person not
at the meeting), so the person is counted as heard once the conference is recorded. This table
shows how many came in each way, beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    Conference,
    ConferenceType,
    EntryRoute,
    FormKind,
    FormResponse,
    Invitation,
)

# The participation table's own rule for which conferences a year counts, so the two agree
from portal.reports.participation import COLUMNS, QUARTERS, YEAR, held_day
from portal.reports.participation import _held_in as held_in
from portal.reports.quarters import quarter_of


@dataclass(frozen=True)
class RouteRow:
    route: EntryRoute
    counts: dict[str, int]  # by column: Q1–Q4 and YEAR

    @property
    def label(self) -> str:
        return self.route.label


def views_given_another_way(
    year: int, conference_type: ConferenceType | None = None
) -> list[RouteRow]:
    """Per route: the people whose views were entered for them, at held conferences of the
    year, by the quarter of the day held."""
    quarter = quarter_of(held_day, year).label("quarter")
    rows = db.session.execute(
        sa.select(Invitation.entry_route, quarter, sa.func.count())
        .join(Conference, Conference.id == Invitation.conference_id)
        .join(FormResponse, FormResponse.invitation_id == Invitation.id)
        .where(
            *held_in(year, conference_type),
            Invitation.entry_route.is_not(None),
            Invitation.form == FormKind.VIEWS,
            FormResponse.submitted_at.is_not(None),
        )
        .group_by(Invitation.entry_route, quarter)
    ).all()
    found = {(EntryRoute(str(route)), int(q)): int(n) for route, q, n in rows}
    result = []
    for route in EntryRoute:
        counts = {label: found.get((route, n), 0) for n, label in enumerate(QUARTERS, start=1)}
        counts[YEAR] = sum(counts.values())
        result.append(RouteRow(route, {column: counts[column] for column in COLUMNS}))
    return result
