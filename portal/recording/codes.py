"""Participation codes (design.md, Counting): CP0 derived from the date of birth, and the checks
that refuse a code contradicting the child's age, their attendance or the advocacy record."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _

from portal.models import Child, ParticipationCode


def participation_min_age() -> int:
    """Children under this age on the conference day are not counted (CP0). A setting."""
    return int(current_app.config["PARTICIPATION_MIN_AGE"])


def derived_code(child: Child, conference_day: date, min_age: int) -> ParticipationCode | None:
    """CP0 for an unborn child, or one younger than ``min_age`` on the conference day; else None
    (the chair chooses). A child whose birthday is the conference day is already that age."""
    age = child.age_on(conference_day)
    if age is None or age < min_age:
        return ParticipationCode.CP0
    return None


def code_problem(
    code: ParticipationCode,
    *,
    derived: ParticipationCode | None,
    attended: bool | None,
    has_advocacy: bool,
) -> str | None:
    """Why ``code`` cannot be recorded for this child, or None.

    ``derived`` is what ``derived_code`` gave; ``attended`` what the chair recorded (None: not
    known); ``has_advocacy`` whether an advocate was assigned to the child for this conference.
    """
    if derived == ParticipationCode.CP0:
        if code != ParticipationCode.CP0:
            return _(
                "Under %(age)s or unborn on the conference date, so the code can only be CP0",
                age=participation_min_age(),
            )
        return None
    if code == ParticipationCode.CP0:
        return _(
            "CP0 is only for a child under %(age)s or unborn on the conference date: "
            "select CP1 to CP7",
            age=participation_min_age(),
        )
    if attended is not None and code.attended != attended:
        if code.attended:
            return _("CP1 to CP4 are for children who attended")
        return _("CP5 to CP7 are for children who did not attend")
    if code == ParticipationCode.CP5 and not has_advocacy:
        return _(
            "CP5 is for a child who briefed an advocate, and no advocate was assigned to this "
            "child for this conference"
        )
    return None
