"""``flask import conferences``: upcoming conferences from the case system, checked whole, written
all or nothing by the services the pages use, and the same file twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.case_import.services import import_conferences
from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import (
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
    DelayReason,
    FamilyMember,
    FormKind,
    Invitation,
    Relationship,
    Role,
    StaffUser,
    Task,
    utcnow,
)
from tests.factories import make_staff

LONDON = ZoneInfo("Europe/London")
HEADER = (
    "conference_ref,conference_type,starts_at,chair_email,case_ref,person_ref,role,first_name,"
    "last_name,date_of_birth,mobile,email,preferred_channel,language,access_needs,"
    "section47_started_on,social_worker_email"
)
DAY = date.today() + timedelta(days=40)
S47 = DAY - timedelta(days=14)


@pytest.fixture
def chair() -> StaffUser:
    return make_staff(Role.CHAIR, email="chair@council.example")


def rows(day: date = DAY, time: str = "10:30", chair: str = "chair@council.example") -> list[str]:
    """An initial conference: a girl of 12 and her brother of 6, their mother (Polish, with an
    access need) and father; the girl also invited with her own mobile."""
    at = f"{day.isoformat()}T{time}"
    conference = f"LCS-1,initial,{at},{chair},CP-2026-0142"
    return [
        f"{conference},P-ANNA,young_person,Anna,Nowak,{day.year - 12}-01-05,07700 900 111,,,,,"
        f"{S47.isoformat()},sw@council.example",
        f"{conference},P-TOM,child,Tom,Nowak,{day.year - 6}-02-01,,,,,,"
        f"{(S47 + timedelta(days=2)).isoformat()},sw@council.example",
        f"{conference},P-MUM,mother,Ewa,Nowak,,07700 900 222,ewa@example.com,sms,Polish,"
        "Step-free access,,sw@council.example",
        f"{conference},P-DAD,father,Piotr,Nowak,,,,,,,,sw@council.example",
    ]


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def run(*lines: str, dry_run: bool = False):
    return import_conferences(csv_bytes(*lines), dry_run=dry_run)


def everything() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (
            Conference,
            Child,
            FamilyMember,
            ConferenceChild,
            ConferenceAdult,
            AdvocacyReferral,
            Task,
            AuditEvent,
        )
    )


def test_a_file_sets_up_the_conference_as_a_coordinator_would(chair: StaffUser) -> None:
    result = run(*rows())

    assert result.errors == []
    assert result.written
    assert result.summary == (
        "4 rows: 1 conferences (1 new, 0 changed, 0 unchanged), 4 people added to a conference, "
        "0 updated, 0 unchanged; 0 in the portal but not in this file"
    )
    conference = db.session.scalars(select(Conference)).one()
    assert conference.external_ref == "LCS-1"
    assert not conference.imported
    assert conference.status == ConferenceStatus.SCHEDULED
    assert conference.conference_type == ConferenceType.INITIAL
    assert conference.starts_at == datetime.combine(DAY, datetime.min.time(), LONDON).replace(
        hour=10, minute=30
    )
    assert conference.case_reference == "CP-2026-0142"
    assert conference.chair_id == chair.id
    assert conference.format == ConferenceFormat.IN_PERSON
    assert conference.social_worker_email == "sw@council.example"
    assert conference.section_47_started_on == S47  # the earliest child's
    children = {link.child.external_ref: link for link in conference.children}
    assert {ref: link.section_47_started_on for ref, link in children.items()} == {
        "P-ANNA": S47,
        "P-TOM": S47 + timedelta(days=2),
    }
    assert children["P-ANNA"].child.full_name == "Anna Nowak"
    # Anna is 12: referred to advocacy as when added on the page; Tom (6) is not
    referrals = db.session.scalars(select(AdvocacyReferral)).all()
    assert [(r.child.external_ref, r.automatic) for r in referrals] == [("P-ANNA", True)]
    members = {
        (m.external_ref or f"own:{m.child.external_ref}"): m
        for m in db.session.scalars(select(FamilyMember))
    }
    assert set(members) == {"P-MUM", "P-DAD", "own:P-ANNA"}
    mum, dad, anna = members["P-MUM"], members["P-DAD"], members["own:P-ANNA"]
    assert (mum.relationship, mum.mobile, mum.email, mum.preferred_channel) == (
        Relationship.MOTHER,
        "+447700900222",
        "ewa@example.com",
        Channel.SMS,
    )
    assert (mum.language_code, mum.language, mum.access_needs) == (
        "pl",
        "Polish",
        "Step-free access",
    )
    assert (dad.preferred_channel, dad.language_code) == (Channel.NONE, "en")
    assert (anna.relationship, anna.full_name, anna.preferred_channel) == (
        Relationship.YOUNG_PERSON,
        "Anna Nowak",
        Channel.SMS,
    )
    # Every contact arrives unconfirmed: nothing is sent until a coordinator checks it is safe
    assert all(m.contact_confirmed_safe_at is None for m in members.values())
    assert {link.family_member_id for link in conference.adults} == {m.id for m in members.values()}
    # The access need makes its task, as on the page
    assert [(t.kind.value, t.family_member_id) for t in db.session.scalars(select(Task))] == [
        ("access", mum.id)
    ]


def test_the_same_file_again_changes_nothing(chair: StaffUser) -> None:
    assert run(*rows()).errors == []
    before = everything()
    updated_at = db.session.scalar(select(Conference.updated_at))

    again = run(*rows())

    assert again.errors == []
    assert again.conferences == {"new": 0, "updated": 0, "unchanged": 1}
    assert again.people == {"new": 0, "updated": 0, "unchanged": 4}
    assert not again.changed
    assert everything() == before
    assert db.session.scalar(select(Conference.updated_at)) == updated_at


def test_a_reason_for_delay_given_on_the_page_stays_on_a_re_import(chair: StaffUser) -> None:
    """The file has no reason for delay: importing it again keeps the coordinator's."""
    assert run(*rows()).errors == []
    conference = db.session.scalar(select(Conference))
    conference.delay_reason, conference.delay_reason_detail = DelayReason.OTHER, "Court date"
    db.session.commit()

    again = run(*rows())

    assert again.conferences == {"new": 0, "updated": 0, "unchanged": 1}
    db.session.refresh(conference)
    assert (conference.delay_reason, conference.delay_reason_detail) == (
        DelayReason.OTHER,
        "Court date",
    )


def test_a_bad_row_writes_nothing(chair: StaffUser) -> None:
    good = rows()
    bad = good[3].replace(",Piotr,", ",,")
    result = run(*good[:3], bad, good[1].replace("P-TOM", "P-TIM").replace(",child,", ",uncle,"))

    assert [str(error) for error in result.errors] == [
        "line 5, column first_name: enter the first name",
        "line 6, column role: child | young_person | mother | father | parental_responsibility "
        "| carer | other_family (not 'uncle')",
        "line 6, column section47_started_on: leave it blank for an adult (it is each child's)",
    ]
    assert everything() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_a_moved_time_moves_the_links_and_tasks_as_the_edit_page_does(chair: StaffUser) -> None:
    assert run(*rows()).errors == []
    conference = db.session.scalars(select(Conference)).one()
    mum = db.session.scalar(select(FamilyMember).where(FamilyMember.external_ref == "P-MUM"))
    mum.contact_confirmed_safe_at, mum.contact_confirmed_safe_by_id = utcnow(), chair.id
    invitation = issue_invitation(conference, mum, FormKind.VIEWS)
    db.session.commit()
    assert invitation.expires_at == conference.starts_at

    later = DAY + timedelta(days=7)
    other_chair = make_staff(Role.CHAIR, email="other.chair@council.example")
    result = run(*rows(day=later, time="14:00", chair="Other.Chair@council.example"))

    assert result.errors == []
    assert result.conferences == {"new": 0, "updated": 1, "unchanged": 0}
    db.session.expire_all()
    moved = datetime.combine(later, datetime.min.time(), LONDON).replace(hour=14)
    assert conference.starts_at == moved
    assert conference.chair_id == other_chair.id
    # Views links expire when the conference starts: at the new time, as after an edit
    assert db.session.get(Invitation, invitation.id).expires_at == moved
    assert db.session.scalar(select(Task.due_at)) == moved
    assert db.session.scalar(select(Invitation.revoked_at)) is None
    events = db.session.scalars(
        select(AuditEvent.fields).where(
            AuditEvent.record_type == "conference", AuditEvent.action == "update"
        )
    ).all()
    assert events == ["chair_id,starts_at"]


def test_someone_missing_from_a_later_file_is_kept_and_reported(chair: StaffUser) -> None:
    assert run(*rows()).errors == []

    result = run(*rows()[:3])  # the father is not in this one

    assert result.errors == []
    assert [(m.conference_ref, m.person_ref, m.name, m.is_child) for m in result.missing] == [
        ("LCS-1", "P-DAD", "Piotr Nowak", False)
    ]
    assert "1 in the portal but not in this file" in result.summary
    dad = db.session.scalar(select(FamilyMember).where(FamilyMember.external_ref == "P-DAD"))
    assert db.session.get(ConferenceAdult, (result.missing[0].conference_id, dad.id)) is not None


def test_a_dry_run_writes_nothing_but_says_what_would_change(chair: StaffUser) -> None:
    result = run(*rows(), dry_run=True)

    assert result.errors == []
    assert not result.written
    assert result.conferences["new"] == 1
    assert result.people["new"] == 4
    assert everything() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_people_are_matched_by_person_ref_and_changed_routes_unconfirmed(chair: StaffUser) -> None:
    assert run(*rows()).errors == []
    mum = db.session.scalar(select(FamilyMember).where(FamilyMember.external_ref == "P-MUM"))
    mum.contact_confirmed_safe_at, mum.contact_confirmed_safe_by_id = utcnow(), chair.id
    db.session.commit()
    second = [line.replace("LCS-1", "LCS-2").replace(",initial,", ",review,") for line in rows()]
    second = [line.rsplit(",", 2)[0] + ",," + line.rsplit(",", 1)[1] for line in second]
    second[2] = second[2].replace("07700 900 222", "07700 900 333")

    result = run(*second)

    assert result.errors == [], result.errors
    assert db.session.scalar(select(func.count()).select_from(Child)) == 2
    assert db.session.scalar(select(func.count()).select_from(FamilyMember)) == 3
    db.session.refresh(mum)
    assert mum.mobile == "+447700900333"
    assert mum.contact_confirmed_safe_at is None  # a changed route is checked again


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (("chair@council.example", "nobody@council.example"), "chair_email", "no active chair"),
        ((DAY.isoformat() + "T10:30", "2020-01-06T10:30"), "starts_at", "this is past"),
        ((DAY.isoformat() + "T10:30", DAY.isoformat()), "starts_at", "YYYY-MM-DDTHH:MM"),
        ((",initial,", ",annual,"), "conference_type", "initial | review | transfer_in"),
        (("CP-2026-0142", "CP 2026"), "case_ref", "letters, numbers"),
    ],
)
def test_conference_problems_are_errors_by_line(
    chair: StaffUser, change: tuple[str, str], column: str, message: str
) -> None:
    result = run(rows()[3].replace(*change))

    assert [(e.line, e.column) for e in result.errors] == [(2, column)]
    assert message in result.errors[0].message
    assert everything() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_a_conference_must_repeat_its_own_columns(chair: StaffUser) -> None:
    good = rows()
    result = run(good[2], good[3].replace("T10:30", "T11:00"))

    assert [str(e) for e in result.errors] == [
        "line 3, column starts_at: conference LCS-1 has another starts_at on line 2; the same "
        "conference must have the same one on every row"
    ]


def test_a_child_known_with_another_date_of_birth_is_refused(chair: StaffUser) -> None:
    db.session.add(
        Child(
            first_name="P-TOM", last_name="", date_of_birth=date(2001, 1, 1), external_ref="P-TOM"
        )
    )
    db.session.commit()

    result = run(*rows())

    assert [(e.line, e.column) for e in result.errors] == [(3, "date_of_birth")]
    assert "2001-01-01 in the portal" in result.errors[0].message


def test_a_held_conference_is_not_changed(chair: StaffUser) -> None:
    assert run(*rows()).errors == []
    conference = db.session.scalars(select(Conference)).one()
    conference.status = ConferenceStatus.HELD
    db.session.commit()

    assert run(*rows()).errors == []  # the same: nothing to change
    moved = run(*rows(time="11:00"))
    assert [str(e) for e in moved.errors] == [
        "line 2, column conference_ref: conference LCS-1 is held in the portal: an import "
        "changes only conferences still scheduled"
    ]


def test_the_command(app: Flask, chair: StaffUser, tmp_path) -> None:
    path = tmp_path / "upcoming.csv"
    path.write_bytes(csv_bytes(*rows()))
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["import", "conferences", "--dry-run", str(path)])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("Checked (--dry-run, nothing written): 4 rows")
    assert everything()[0] == 0

    first = runner.invoke(args=["import", "conferences", str(path)])
    assert first.exit_code == 0, first.output
    assert "1 new" in first.output

    path.write_bytes(csv_bytes(*rows()[:3]))
    second = runner.invoke(args=["import", "conferences", str(path)])
    assert second.output.splitlines()[-1] == (
        "In the portal but not in this file: conference LCS-1, P-DAD"
    )

    path.write_bytes(csv_bytes(rows()[0].replace("young_person", "aunt")))
    bad = runner.invoke(args=["import", "conferences", str(path)])
    assert bad.exit_code == 1
    assert "line 2, column role:" in bad.output
    assert "Nothing imported: " in bad.output


def test_one_person_at_two_conferences_in_a_file_is_one_record(chair: StaffUser) -> None:
    review = DAY + timedelta(days=90)
    second = [
        f"LCS-2,review,{review.isoformat()}T10:00,chair@council.example,CP-2026-0142,P-TOM,"
        f"child,Tom,Nowak,{DAY.year - 6}-02-01,,,,,,,",
        f"LCS-2,review,{review.isoformat()}T10:00,chair@council.example,CP-2026-0142,P-MUM,"
        "mother,Ewa,Nowak,,07700 900 222,ewa@example.com,sms,Polish,Step-free access,,",
    ]

    result = run(*rows(), *second)

    assert result.errors == []
    assert result.conferences["new"] == 2
    tom = db.session.scalars(select(Child).where(Child.external_ref == "P-TOM")).one()
    links = db.session.scalars(select(ConferenceChild).where(ConferenceChild.child_id == tom.id))
    assert sorted(link.conference.external_ref for link in links) == ["LCS-1", "LCS-2"]
    assert db.session.scalar(select(func.count()).select_from(FamilyMember)) == 3


def test_the_history_import_leaves_a_conference_run_in_the_portal_alone(chair: StaffUser) -> None:
    from portal.reports.importing.services import import_attendance

    assert run(*rows()).errors == []
    history = (
        "conference_ref,conference_date,conference_type,person_ref,role,date_of_birth,invited,"
        "attended,views_heard,participation_code\n"
        "LCS-1,2025-05-12,review,P-X,child,2015-01-20,,,,CP5\n"
    )

    result = import_attendance(history.encode(), min_age=4)

    assert [(e.line, e.column) for e in result.errors] == [(2, "conference_ref")]
    assert db.session.scalars(select(Conference)).one().status == ConferenceStatus.SCHEDULED


def test_contact_problems_are_errors_by_column(chair: StaffUser) -> None:
    mum = rows()[2]
    result = run(
        mum.replace("07700 900 222", "01632 960000"),
        mum.replace("P-MUM", "P-AUNT")
        .replace("ewa@example.com", "ewa@")
        .replace(",sms,", ",post,"),
        rows()[1].replace(",,,,,,", ",07700 900 444,,,,,"),
        rows()[0].replace(f"{DAY.year - 12}-01-05", f"{DAY.year - 8}-01-05"),
    )

    assert [(e.line, e.column) for e in result.errors] == [
        (2, "mobile"),
        (3, "email"),
        (3, "preferred_channel"),
        (4, "mobile"),
        (5, "role"),
    ]
    assert result.errors[0].message == "Enter a mobile number, like 07700 900 982"
    assert "young_person" in result.errors[3].message
    assert "under 10" in result.errors[4].message
