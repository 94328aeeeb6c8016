"""``flask import attendance``: past records from a CSV file, checked whole, written all or
nothing, the same file twice changes nothing, and the records feed the participation report."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AdultAttendance,
    AdvocacyReferral,
    AuditEvent,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    FamilyMember,
    Invitation,
    Message,
    ParticipationCode,
    Relationship,
)
from portal.reports.importing.rows import RowError
from portal.reports.importing.services import import_attendance

HEADER = (
    "conference_ref,conference_date,conference_type,person_ref,role,date_of_birth,invited,"
    "attended,views_heard,participation_code"
)
# line 2: a child of 10, line 3: a child of 2 (CP0 derived), lines 4-6: adults
GOOD = [
    "K1,2025-05-12,review,P-CHILD,child,2015-01-20,,,,CP5",
    "K1,2025-05-12,review,P-BABY,child,2023-02-01,,,,",
    "K1,2025-05-12,review,P-MUM,mother,,yes,whole,yes,",
    "K1,2025-05-12,review,P-DAD,father,,no,none,no,",
    "K1,2025-05-12,review,P-STEP,other_parent,,yes,none,yes,",
]


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def run(*lines: str, min_age: int = 4, header: str = HEADER, dry_run: bool = False):
    return import_attendance(csv_bytes(*lines, header=header), min_age=min_age, dry_run=dry_run)


def row_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Conference, Child, FamilyMember, ConferenceChild, ConferenceAdult)
    )


def only_error(result) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_a_good_file_becomes_held_conferences_with_their_people() -> None:
    result = run(*GOOD)

    assert result.errors == []
    assert result.summary == (
        "Imported 5 rows: 1 conferences, 2 children, 3 adults (5 new, 0 updated, 0 unchanged)"
    )
    conference = db.session.scalars(select(Conference)).one()
    assert conference.imported
    assert conference.external_ref == "K1"
    assert conference.case_reference == "IMPORTED-K1"
    assert conference.conference_type == ConferenceType.REVIEW
    assert conference.status == ConferenceStatus.HELD
    assert conference.held_on == conference.conference_date == date(2025, 5, 12)
    # 10:00 in London, British Summer Time: 09:00 UTC
    assert conference.starts_at == datetime(2025, 5, 12, 9, 0, tzinfo=UTC)
    assert conference.starts_at.astimezone(ZoneInfo("Europe/London")).hour == 10
    assert conference.format == ConferenceFormat.IN_PERSON
    assert conference.chair_id is None

    codes = {
        link.child.external_ref: (link.child.date_of_birth, link.participation_code)
        for link in conference.children
    }
    assert codes == {
        "P-CHILD": (date(2015, 1, 20), ParticipationCode.CP5),
        "P-BABY": (date(2023, 2, 1), ParticipationCode.CP0),
    }
    adults = {
        link.family_member.external_ref: (
            link.family_member.relationship,
            link.invited,
            link.not_invited_reason,
            link.attendance,
            link.views_heard,
            link.invitations_paused,
        )
        for link in conference.adults
    }
    assert adults == {
        "P-MUM": (Relationship.MOTHER, True, None, AdultAttendance.WHOLE, True, True),
        "P-DAD": (Relationship.FATHER, False, None, AdultAttendance.NONE, False, True),
        "P-STEP": (
            Relationship.PARENTAL_RESPONSIBILITY,
            True,
            None,
            AdultAttendance.NONE,
            True,
            True,
        ),
    }
    members = db.session.scalars(select(FamilyMember)).all()
    assert {(m.preferred_channel, m.mobile, m.email) for m in members} == {
        (Channel.NONE, None, None)
    }
    # History: no referral for the 10-year-old, no invitation or message to anyone
    for model in (AdvocacyReferral, Invitation, Message):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    events = db.session.execute(select(AuditEvent.record_type, AuditEvent.fields)).all()
    assert events == [("import", "rows")]


def test_a_byte_order_mark_spaces_any_column_order_and_formula_like_text() -> None:
    header = (
        " person_ref ,role,conference_ref,conference_date,conference_type,date_of_birth,"
        "invited,attended,views_heard,participation_code"
    )
    data = "\ufeff" + header + "\n" + ' =1+2 , mother ,"K 2", 2025-06-02 ,initial,,yes,part,yes,\n'
    result = import_attendance(data.encode(), min_age=4)

    assert result.errors == []
    member = db.session.scalars(select(FamilyMember)).one()
    assert member.external_ref == "=1+2"  # kept as text, never evaluated
    conference = db.session.scalars(select(Conference)).one()
    assert (conference.external_ref, conference.case_reference) == ("K 2", "IMPORTED-K 2")


BAD_VALUES = [
    # (the row, the column, part of the message)
    ("K1,2025-13-01,review,P1,mother,,yes,whole,yes,", "conference_date", "real date"),
    ("K1,12/05/2025,review,P1,mother,,yes,whole,yes,", "conference_date", "YYYY-MM-DD"),
    ("K1,2021-02-30,review,P1,mother,,yes,whole,yes,", "conference_date", "real date"),
    ("K1,2025-05-12,core_group,P1,mother,,yes,whole,yes,", "conference_type", "initial"),
    ("K1,2025-05-12,review,P1,uncle,,yes,whole,yes,", "role", "other_family"),
    ("K1,2025-05-12,review,P1,child,,,,,CP1", "date_of_birth", "date of birth"),
    ("K1,2025-05-12,review,P1,child,2015-02-29,,,,CP1", "date_of_birth", "real date"),
    ("K1,2025-05-12,review,P1,child,2025-05-13,,,,CP1", "date_of_birth", "after the conference"),
    ("K1,2025-05-12,review,P1,child,2015-01-01,,,,CP9", "participation_code", "CP7"),
    ("K1,2025-05-12,review,P1,child,2015-01-01,,,,", "participation_code", "enter the child's"),
    ("K1,2025-05-12,review,P1,child,2022-01-01,,,,CP6", "participation_code", "under 4"),
    ("K1,2025-05-12,review,P1,child,2015-01-01,,,,CP0", "participation_code", "only for"),
    ("K1,2025-05-12,review,P1,mother,,yes,whole,yes,CP1", "participation_code", "blank"),
    ("K1,2025-05-12,review,P1,mother,,maybe,whole,yes,", "invited", "yes | no"),
    ("K1,2025-05-12,review,P1,mother,,,whole,yes,", "invited", "yes | no"),
    ("K1,2025-05-12,review,P1,mother,,yes,late,yes,", "attended", "none | part | whole"),
    ("K1,2025-05-12,review,P1,mother,,yes,whole,y,", "views_heard", "yes | no"),
    ("K1,2025-05-12,review,P1,father,,yes,part,no,", "views_heard", "attending counts"),
    ("K1,2025-05-12,review,P1,father,,no,whole,yes,", "attended", "not invited"),
    (",2025-05-12,review,P1,father,,yes,whole,yes,", "conference_ref", "reference"),
    ("K1,2025-05-12,review," + "P" * 61 + ",father,,yes,whole,yes,", "person_ref", "60"),
    ("K1,2025-05-12,review,P\x00,father,,yes,whole,yes,", "person_ref", "control characters"),
    ("K2,1999-12-31,review,P1,mother,,yes,whole,yes,", "conference_date", "from 2000-01-01"),
    ("K2,0001-01-01,review,P1,mother,,yes,whole,yes,", "conference_date", "from 2000-01-01"),
    ("K2,9999-12-31,review,P1,mother,,yes,whole,yes,", "conference_date", "to today"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_VALUES)
def test_each_bad_value_is_named_by_line_and_column_and_nothing_is_written(
    row: str, column: str, message: str
) -> None:
    result = run(GOOD[0], row)

    error = only_error(result)
    assert (error.line, error.column) == (3, column)
    assert message in error.message
    assert str(error).startswith(f"line 3, column {column}: ")
    assert not result.written
    assert row_counts() == (0, 0, 0, 0, 0)


def test_every_error_in_the_file_is_listed() -> None:
    result = run(
        "K1,2025-05-12,review,P1,child,,,,,CP1",
        "K1,2025-05-12,review,P2,mother,,maybe,sometimes,yes,",
    )

    assert [str(error) for error in result.errors] == [
        "line 2, column date_of_birth: enter the child's date of birth (YYYY-MM-DD)",
        "line 3, column invited: yes | no (not 'maybe')",
        "line 3, column attended: none | part | whole (not 'sometimes')",
    ]


def test_the_fourth_birthday_on_the_conference_day_makes_the_child_counted() -> None:
    birthday = "K1,2025-05-12,review,P1,child,2021-05-12,,,,"
    day_before = "K2,2025-05-11,review,P2,child,2021-05-12,,,,"
    assert only_error(run(birthday)).column == "participation_code"  # 4 today: a code is needed
    assert "was 3 on the conference date" in only_error(run(day_before + "CP1")).message

    result = run(birthday + "CP1", day_before)

    assert result.errors == []
    codes = dict(
        db.session.execute(
            select(Child.external_ref, ConferenceChild.participation_code).join(Child)
        ).all()
    )
    assert codes == {"P1": ParticipationCode.CP1, "P2": ParticipationCode.CP0}


def test_the_age_threshold_is_the_setting() -> None:
    five_year_old = "K1,2025-05-12,review,P1,child,2020-01-01,,,,"
    assert only_error(run(five_year_old)).column == "participation_code"
    assert run(five_year_old, min_age=6).errors == []


def test_a_duplicate_row_names_both_lines() -> None:
    result = run(GOOD[2], GOOD[0], GOOD[2].replace("whole", "part"))

    error = only_error(result)
    assert (error.line, error.column) == (4, "person_ref")
    assert "duplicate row" in error.message
    assert "lines 2 and 4" in error.message


def test_one_conference_has_one_date_and_one_type() -> None:
    result = run(
        GOOD[0],
        "K1,2025-05-13,review,P2,mother,,yes,whole,yes,",
        "K1,2025-05-12,initial,P3,father,,yes,whole,yes,",
    )

    assert [(e.line, e.column) for e in result.errors] == [
        (3, "conference_date"),
        (4, "conference_type"),
    ]
    assert "2025-05-12 on line 2" in result.errors[0].message
    assert "review on line 2" in result.errors[1].message


def test_one_person_is_one_kind_with_one_date_of_birth() -> None:
    result = run(
        "K1,2025-05-12,review,P1,child,2015-01-01,,,,CP1",
        "K2,2025-11-12,review,P1,child,2015-01-02,,,,CP1",
        "K2,2025-11-12,review,P2,mother,,yes,whole,yes,",
        "K3,2025-12-12,review,P2,child,2015-01-01,,,,CP1",
        "K3,2025-12-12,review,P3,mother,,yes,whole,yes,",
        "K4,2025-12-13,review,P3,carer,,yes,whole,yes,",
    )

    assert [(e.line, e.column) for e in result.errors] == [
        (3, "date_of_birth"),
        (5, "role"),
        (7, "role"),
    ]
    assert "2015-01-01 on line 2" in result.errors[0].message
    assert "a child on one row cannot be an adult" in result.errors[1].message


def test_a_person_imported_before_keeps_their_kind_and_date_of_birth() -> None:
    assert run("K1,2025-05-12,review,P1,child,2015-01-01,,,,CP1").errors == []
    assert run("K1,2025-05-12,review,P2,mother,,yes,whole,yes,").errors == []
    before = row_counts()

    result = run(
        "K2,2025-11-12,review,P1,child,2015-01-02,,,,CP1",
        "K2,2025-11-12,review,P2,child,2015-01-01,,,,CP1",
        "K2,2025-11-12,review,P3,mother,,yes,whole,yes,",
    )

    assert [(e.line, e.column) for e in result.errors] == [(2, "date_of_birth"), (3, "role")]
    assert "date of birth 2015-01-01" in result.errors[0].message
    assert "as an adult" in result.errors[1].message
    assert row_counts() == before


@pytest.mark.parametrize(
    ("header", "column", "message"),
    [
        (HEADER + ",notes", "notes", "unknown column"),
        (HEADER.replace("views_heard", "heard"), "heard", "unknown column"),
        (HEADER.replace(",views_heard", ""), "views_heard", "missing column"),
        (HEADER.replace("invited", "conference_ref"), "conference_ref", "twice"),
    ],
)
def test_the_header_names_exactly_the_ten_columns(header: str, column: str, message: str) -> None:
    result = run(GOOD[2], header=header)

    assert (result.errors[0].line, result.errors[0].column) == (1, column)
    assert message in result.errors[0].message
    assert row_counts() == (0, 0, 0, 0, 0)


def test_a_row_with_too_few_values_and_a_file_that_is_not_utf8() -> None:
    error = only_error(run(GOOD[0], "K1,2025-05-12,review,P9,mother"))
    assert (error.line, error.message) == (3, "expected 10 values, found 5")

    latin1 = csv_bytes(GOOD[0]) + "K1,2025-05-12,review,Zoë,mother,,yes,whole,yes,\n".encode(
        "latin-1"
    )
    error = only_error(import_attendance(latin1, min_age=4))
    assert error.line == 3
    assert "UTF-8" in error.message


def test_one_bad_line_among_many_writes_nothing() -> None:
    lines = [
        f"K{n},2025-06-{n % 28 + 1:02d},review,P{n},mother,,yes,whole,yes," for n in range(200)
    ]
    lines[150] = lines[150].replace("whole", "most")

    result = run(*lines)

    assert [(e.line, e.column) for e in result.errors] == [(152, "attended")]
    assert row_counts() == (0, 0, 0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def _snapshot() -> list[tuple]:
    conferences = db.session.execute(
        select(
            Conference.id,
            Conference.external_ref,
            Conference.conference_type,
            Conference.conference_date,
            Conference.starts_at,
            Conference.updated_at,
        ).order_by(Conference.id)
    ).all()
    children = db.session.execute(
        select(
            ConferenceChild.conference_id,
            ConferenceChild.child_id,
            ConferenceChild.participation_code,
        ).order_by(ConferenceChild.conference_id, ConferenceChild.child_id)
    ).all()
    adults = db.session.execute(
        select(
            ConferenceAdult.conference_id,
            ConferenceAdult.family_member_id,
            ConferenceAdult.invited,
            ConferenceAdult.attendance,
            ConferenceAdult.views_heard,
            FamilyMember.relationship,
            FamilyMember.updated_at,
        )
        .join(FamilyMember)
        .order_by(ConferenceAdult.conference_id, ConferenceAdult.family_member_id)
    ).all()
    return [*conferences, *children, *adults]


def test_importing_the_same_file_again_changes_nothing() -> None:
    assert run(*GOOD).errors == []
    counts, values = row_counts(), _snapshot()

    again = run(*GOOD)

    assert again.summary.endswith("(0 new, 0 updated, 5 unchanged)")
    assert row_counts() == counts
    assert _snapshot() == values
    # Nothing changed, so nothing more in the audit log
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_a_corrected_file_updates_the_rows_it_corrects() -> None:
    assert run(*GOOD, "K2,2025-06-01,review,P-MUM,mother,,yes,whole,yes,").errors == []
    counts = row_counts()

    corrected = [
        GOOD[0].replace("CP5", "CP6"),
        GOOD[1],
        GOOD[2],
        GOOD[3].replace("father", "carer"),
        GOOD[4],
        "K2,2025-06-02,initial,P-MUM,mother,,yes,whole,yes,",
        "K2,2025-06-02,initial,P-NEW,other_family,,yes,part,yes,",
    ]
    result = run(*corrected)

    # P-CHILD's code, P-DAD's role and K2's date and type changed; P-NEW is new
    assert result.summary.endswith("(1 new, 3 updated, 3 unchanged)")
    assert row_counts()[:3] == (counts[0], counts[1], counts[2] + 1)
    code = db.session.scalar(
        select(ConferenceChild.participation_code)
        .join(Child)
        .where(Child.external_ref == "P-CHILD")
    )
    assert code == ParticipationCode.CP6
    dad = db.session.scalar(select(FamilyMember).where(FamilyMember.external_ref == "P-DAD"))
    assert dad.relationship == Relationship.CARER
    k2 = db.session.scalar(select(Conference).where(Conference.external_ref == "K2"))
    assert (k2.conference_type, k2.conference_date, k2.held_on) == (
        ConferenceType.INITIAL,
        date(2025, 6, 2),
        date(2025, 6, 2),
    )
    assert k2.starts_at == datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def test_a_dry_run_checks_and_writes_nothing() -> None:
    result = run(*GOOD, dry_run=True)
    assert (result.errors, result.rows, result.written) == ([], 5, False)
    assert row_counts() == (0, 0, 0, 0, 0)


# --- The command ------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_prints_a_summary(app, tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(*GOOD))
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["import", "attendance", "--dry-run", str(path)])
    assert dry.exit_code == 0, dry.output
    assert "nothing written" in dry.output
    assert row_counts() == (0, 0, 0, 0, 0)

    first = runner.invoke(args=["import", "attendance", str(path)])
    assert first.exit_code == 0, first.output
    assert "Imported 5 rows: 1 conferences, 2 children, 3 adults (5 new" in first.output
    second = runner.invoke(args=["import", "attendance", str(path)])
    assert "(0 new, 0 updated, 5 unchanged)" in second.output


def test_the_command_lists_the_errors_and_fails(app, tmp_path) -> None:
    path = tmp_path / "history.csv"
    bad = [f"K{n},2025-02-30,review,P{n},mother,,yes,whole,yes," for n in range(60)]
    path.write_bytes(csv_bytes(*bad))

    result = app.test_cli_runner().invoke(args=["import", "attendance", str(path)])

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("line 2, column conference_date: enter a real date")
    assert lines[49].startswith("line 51, column conference_date")
    assert "and 10 more" in lines
    assert "Nothing imported: 60 errors in the file." in result.output
    assert row_counts() == (0, 0, 0, 0, 0)


# --- The report --------------------------------------------------------------------------------


def _percent(value: object) -> str:
    return "" if value is None else str(value)


def test_imported_records_feed_the_participation_report() -> None:
    from portal.reports.participation import participation_table

    result = run(
        # Q1: A attended (CP1), B under 4 (not counted), C heard through an advocate (CP5)
        "K1,2025-05-10,review,A,child,2015-01-01,,,,CP1",
        "K1,2025-05-10,review,B,child,2023-01-01,,,,",
        "K1,2025-05-10,review,M1,mother,,yes,whole,yes,",
        "K1,2025-05-10,review,F1,father,,yes,none,no,",
        "K2,2025-06-30,initial,C,child,2012-03-03,,,,CP5",
        "K2,2025-06-30,initial,M2,mother,,yes,none,yes,",
        "K2,2025-06-30,initial,F2,father,,no,none,no,",  # not invited: not in the denominator
        # Q2 starts on 1 July
        "K3,2025-07-01,review,A,child,2015-01-01,,,,CP7",
        "K3,2025-07-01,review,M1,mother,,yes,part,yes,",
        # Q4: D is 4 on the day, so counted; 31 March is the last day of the year
        "K4,2026-03-31,transfer_in,D,child,2022-03-31,,,,CP4",
        "K4,2026-03-31,transfer_in,F3,father,,yes,whole,yes,",
        # The next financial year: not in this table
        "K5,2026-04-01,review,M3,mother,,yes,whole,yes,",
    )
    assert result.errors == []

    table = participation_table(2025, min_child_age=4)

    shown = [
        (row.measure, column, cell.numerator, cell.denominator, _percent(cell.percent))
        for row in table.rows
        for column, cell in row.cells.items()
    ]
    assert shown == [
        ("children_attendance", "Q1", 1, 2, "50.0"),
        ("children_attendance", "Q2", 0, 1, "0.0"),
        ("children_attendance", "Q3", 0, 0, ""),
        ("children_attendance", "Q4", 1, 1, "100.0"),
        ("children_attendance", "YEAR", 2, 4, "50.0"),
        ("children_participation", "Q1", 2, 2, "100.0"),
        ("children_participation", "Q2", 0, 1, "0.0"),
        ("children_participation", "Q3", 0, 0, ""),
        ("children_participation", "Q4", 0, 1, "0.0"),
        ("children_participation", "YEAR", 2, 4, "50.0"),
        ("mothers_attendance", "Q1", 1, 2, "50.0"),
        ("mothers_attendance", "Q2", 1, 1, "100.0"),
        ("mothers_attendance", "Q3", 0, 0, ""),
        ("mothers_attendance", "Q4", 0, 0, ""),
        ("mothers_attendance", "YEAR", 2, 3, "66.7"),
        ("mothers_participation", "Q1", 2, 2, "100.0"),
        ("mothers_participation", "Q2", 1, 1, "100.0"),
        ("mothers_participation", "Q3", 0, 0, ""),
        ("mothers_participation", "Q4", 0, 0, ""),
        ("mothers_participation", "YEAR", 3, 3, "100.0"),
        ("fathers_attendance", "Q1", 0, 1, "0.0"),
        ("fathers_attendance", "Q2", 0, 0, ""),
        ("fathers_attendance", "Q3", 0, 0, ""),
        ("fathers_attendance", "Q4", 1, 1, "100.0"),
        ("fathers_attendance", "YEAR", 1, 2, "50.0"),
        ("fathers_participation", "Q1", 0, 1, "0.0"),
        ("fathers_participation", "Q2", 0, 0, ""),
        ("fathers_participation", "Q3", 0, 0, ""),
        ("fathers_participation", "Q4", 1, 1, "100.0"),
        ("fathers_participation", "YEAR", 1, 2, "50.0"),
    ]


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_file_is_the_generators_output() -> None:
    from portal.demo.load import DEMO_HISTORY
    from portal.reports.sample_history import history_csv

    assert DEMO_HISTORY.read_text(encoding="utf-8") == history_csv(2025)


def test_the_demo_records_its_past_conferences_and_imports_a_year(app) -> None:
    from portal.demo.annual import EARLIER_YEARS
    from portal.recording.codes import code_problem, derived_code
    from portal.reports.participation import participation_table
    from portal.reports.sample_history import DEMO_CONFERENCES

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0

    held = db.session.scalars(
        select(Conference).where(
            Conference.case_reference.startswith("DEMO-"),
            Conference.status == ConferenceStatus.HELD,
        )
    ).all()
    assert held
    advocated = {
        (c, ch)
        for c, ch in db.session.execute(
            select(AdvocacyReferral.conference_id, AdvocacyReferral.child_id).where(
                AdvocacyReferral.advocate_id.is_not(None)
            )
        )
    }
    for conference in held:
        assert conference.recorded_at is not None
        for link in conference.children:
            derived = derived_code(link.child, conference.conference_date, 4)
            problem = code_problem(
                link.participation_code,
                derived=derived,
                attended=None,
                has_advocacy=(conference.id, link.child_id) in advocated,
            )
            assert problem is None, (conference.case_reference, link.participation_code)
        for adult in conference.adults:
            if adult.family_member.relationship == Relationship.YOUNG_PERSON:
                assert adult.invited is None
                continue
            assert adult.invited is not None
            assert adult.invited or adult.attendance == AdultAttendance.NONE
            assert adult.views_heard == (
                adult.attendance != AdultAttendance.NONE or bool(adult.views_routes)
            )

    imported = db.session.scalar(select(func.count()).where(Conference.imported))
    assert imported == DEMO_CONFERENCES + sum(EARLIER_YEARS.values())  # and the annual report's
    imported_referrals = db.session.scalar(
        select(func.count())
        .select_from(AdvocacyReferral)
        .join(Conference)
        .where(Conference.imported)
    )
    assert imported_referrals == 0
    table = participation_table(2025, min_child_age=4)
    for row in table.rows:
        assert all(cell.denominator > 0 for cell in row.cells.values()), row.measure


def test_windows_line_ends_words_in_any_case_and_a_value_over_two_lines() -> None:
    data = (
        HEADER + "\r\n"
        "K1,2025-05-12,Review,P1,Mother,,Yes,WHOLE,yes,\r\n"
        '"K1",2025-05-12,review,"P2\r\nX",father,,no,none,No,\r\n'
        "K1,2025-05-12,review,P3,child,2015-01-01,,,,cp9\r\n"
    ).encode()

    result = import_attendance(data, min_age=4)

    # The record that spans lines 3 and 4 starts on line 3; the next one is line 5
    assert [str(error) for error in result.errors] == [
        "line 3, column person_ref: a reference is one line of printable text: no line breaks, "
        "tabs or control characters",
        "line 5, column participation_code: CP0 | CP1 | CP2 | CP3 | CP4 | CP5 | CP6 | CP7 "
        "(not 'cp9')",
    ]
    fixed = data.replace(b"cp9", b"cp1").replace(b"P2\r\nX", b"P2")
    assert import_attendance(fixed, min_age=4).errors == []
    roles = dict(
        db.session.execute(select(FamilyMember.external_ref, FamilyMember.relationship)).all()
    )
    assert roles == {"P1": Relationship.MOTHER, "P2": Relationship.FATHER}


# --- Dates, files the csv module cannot read, references with quotes -----------------------------


def test_a_conference_date_is_from_2000_to_today_in_london() -> None:
    today = datetime.now(ZoneInfo("Europe/London")).date()
    tomorrow = today + timedelta(days=1)
    error = only_error(run(f"K1,{tomorrow.isoformat()},review,P1,mother,,yes,whole,yes,"))
    assert str(error) == (
        f"line 2, column conference_date: enter a date from 2000-01-01 to today, "
        f"{today.isoformat()} (not {tomorrow.isoformat()})"
    )
    assert row_counts() == (0, 0, 0, 0, 0)

    result = run(
        "K1,2000-01-01,review,P1,mother,,yes,whole,yes,",
        f"K2,{today.isoformat()},review,P1,mother,,yes,whole,yes,",
    )
    assert result.errors == []
    assert sorted(db.session.scalars(select(Conference.conference_date))) == [
        date(2000, 1, 1),
        today,
    ]


def test_a_value_too_long_for_the_csv_module_is_reported_by_its_line(app, tmp_path) -> None:
    huge = "K1,2025-05-12,review," + "P" * 200_000 + ",father,,yes,whole,yes,"
    result = run(GOOD[0], GOOD[2], huge, GOOD[3])

    error = only_error(result)
    assert error.line == 4
    assert str(error).startswith("line 4: the file could not be read as CSV here: field larger")
    assert row_counts() == (0, 0, 0, 0, 0)

    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(GOOD[0], huge))
    command = app.test_cli_runner().invoke(args=["import", "attendance", str(path)])
    assert command.exit_code == 1
    assert "line 3: the file could not be read as CSV here" in command.output
    assert "Traceback" not in command.output
    assert command.exception is None or isinstance(command.exception, SystemExit)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty: expected a header line, then the rows"),
        (b"\xef\xbb\xbf", "the file is empty: expected a header line, then the rows"),
        (b"\r\n\n  \n", "the file is empty: expected a header line, then the rows"),
        (HEADER.encode(), "the file has a header but no rows: nothing to import"),
        ((HEADER + "\n\n,,,,,,,,,\n").encode(), "the file has a header but no rows"),
    ],
)
def test_an_empty_file_and_a_header_alone_are_explained(data: bytes, message: str) -> None:
    error = only_error(import_attendance(data, min_age=4))
    assert error.line is None
    assert error.message.startswith(message)
    assert row_counts() == (0, 0, 0, 0, 0)


def test_the_header_may_follow_blank_lines_and_is_named_by_its_line() -> None:
    assert import_attendance(b"\n" + csv_bytes(*GOOD), min_age=4).errors == []
    error = only_error(import_attendance(b"\n\n" + csv_bytes(header=HEADER + ",x"), min_age=4))
    assert (error.line, error.column) == (3, "x")


# Quotes, percent signs and backslashes: the importer writes references into its IN (...) lists
# as SQL literals (literal_execute), and psycopg uses % for its placeholders.
AWKWARD_REFS = ["K'1", "K%2", "K\\3", 'K"4', "K%(x)s", "K%s", "K'';--"]


def awkward_file(attended: str = "whole") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for n, ref in enumerate(AWKWARD_REFS):
        writer.writerow(
            [ref, "2025-05-12", "review", f"C{ref}", "child", "2015-01-20", "", "", "", "CP1"]
        )
        writer.writerow(
            [
                ref,
                "2025-05-12",
                "review",
                f"M{ref}",
                "mother",
                "",
                "yes",
                attended if n == 0 else "whole",
                "yes",
                "",
            ]
        )
    return out.getvalue().encode()


def test_references_with_quotes_percent_signs_and_backslashes_import_and_reimport() -> None:
    """Run on PostgreSQL too (TEST_DATABASE_URL): its quoting of literals differs."""
    first = import_attendance(awkward_file(), min_age=4)
    assert first.errors == []
    assert first.summary.endswith("(14 new, 0 updated, 0 unchanged)")
    assert sorted(db.session.scalars(select(Conference.external_ref))) == sorted(AWKWARD_REFS)
    assert sorted(db.session.scalars(select(Child.external_ref))) == sorted(
        f"C{ref}" for ref in AWKWARD_REFS
    )
    assert sorted(db.session.scalars(select(FamilyMember.external_ref))) == sorted(
        f"M{ref}" for ref in AWKWARD_REFS
    )
    counts = row_counts()
    assert counts == (7, 7, 7, 7, 7)

    again = import_attendance(awkward_file(), min_age=4)
    assert again.summary.endswith("(0 new, 0 updated, 14 unchanged)")
    assert row_counts() == counts

    corrected = import_attendance(awkward_file(attended="part"), min_age=4)
    assert corrected.summary.endswith("(0 new, 1 updated, 13 unchanged)")
    assert row_counts() == counts
    changed = db.session.scalar(
        select(ConferenceAdult.attendance)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .where(FamilyMember.external_ref == "MK'1")
    )
    assert changed == AdultAttendance.PART
