"""Participation codes: CP0 from the date of birth, and codes that contradict age, attendance
or the advocacy record refused (design.md, Counting)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.models import Child, ParticipationCode
from portal.recording.codes import code_problem, derived_code

CONFERENCE_DAY = date(2026, 11, 20)
ATTENDED = [
    ParticipationCode.CP1,
    ParticipationCode.CP2,
    ParticipationCode.CP3,
    ParticipationCode.CP4,
]
NOT_ATTENDED = [ParticipationCode.CP5, ParticipationCode.CP6, ParticipationCode.CP7]


def _born(day: date | None) -> Child:
    if day is None:
        return Child(first_name="Baby", last_name="Tester", expected_date_of_birth=date(2027, 1, 5))
    return Child(first_name="Sam", last_name="Tester", date_of_birth=day)


def test_a_child_whose_4th_birthday_is_the_conference_day_is_counted() -> None:
    assert derived_code(_born(date(2022, 11, 20)), CONFERENCE_DAY, 4) is None


def test_a_child_who_turns_4_the_day_after_is_cp0() -> None:
    assert derived_code(_born(date(2022, 11, 21)), CONFERENCE_DAY, 4) == ParticipationCode.CP0


def test_an_unborn_child_is_cp0() -> None:
    assert derived_code(_born(None), CONFERENCE_DAY, 4) == ParticipationCode.CP0


def test_a_newborn_and_a_ten_year_old() -> None:
    assert derived_code(_born(date(2026, 11, 1)), CONFERENCE_DAY, 4) == ParticipationCode.CP0
    assert derived_code(_born(date(2016, 3, 1)), CONFERENCE_DAY, 4) is None


def test_the_age_threshold_is_a_setting() -> None:
    four_year_old = _born(date(2022, 6, 1))
    assert derived_code(four_year_old, CONFERENCE_DAY, 4) is None
    assert derived_code(four_year_old, CONFERENCE_DAY, 5) == ParticipationCode.CP0
    assert derived_code(_born(date(2021, 11, 20)), CONFERENCE_DAY, 5) is None


@pytest.mark.parametrize("code", [c for c in ParticipationCode if c != ParticipationCode.CP0])
def test_a_cp0_child_can_only_be_cp0(code: ParticipationCode) -> None:
    problem = code_problem(code, derived=ParticipationCode.CP0, attended=None, has_advocacy=True)
    assert problem is not None
    assert "CP0" in problem
    assert (
        code_problem(
            ParticipationCode.CP0, derived=ParticipationCode.CP0, attended=None, has_advocacy=False
        )
        is None
    )


def test_a_child_over_the_threshold_cannot_be_cp0() -> None:
    problem = code_problem(ParticipationCode.CP0, derived=None, attended=False, has_advocacy=True)
    assert problem is not None
    assert "CP0 is only for a child under 4" in problem


@pytest.mark.parametrize("code", ATTENDED)
def test_attended_codes_need_attendance(code: ParticipationCode) -> None:
    assert code_problem(code, derived=None, attended=True, has_advocacy=False) is None
    assert code_problem(code, derived=None, attended=False, has_advocacy=True) == (
        "CP1 to CP4 are for children who attended"
    )


@pytest.mark.parametrize("code", NOT_ATTENDED)
def test_codes_for_children_who_did_not_attend(code: ParticipationCode) -> None:
    assert code_problem(code, derived=None, attended=False, has_advocacy=True) is None
    assert code_problem(code, derived=None, attended=True, has_advocacy=True) == (
        "CP5 to CP7 are for children who did not attend"
    )


@pytest.mark.parametrize("code", ATTENDED + NOT_ATTENDED)
def test_unknown_attendance_is_not_checked(code: ParticipationCode) -> None:
    assert code_problem(code, derived=None, attended=None, has_advocacy=True) is None


def test_cp5_needs_an_advocate() -> None:
    problem = code_problem(ParticipationCode.CP5, derived=None, attended=False, has_advocacy=False)
    assert problem is not None
    assert "briefed an advocate" in problem
    # Other codes for a child who did not attend do not need one
    for code in (ParticipationCode.CP6, ParticipationCode.CP7):
        assert code_problem(code, derived=None, attended=False, has_advocacy=False) is None
