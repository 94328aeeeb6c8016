"""The chair records the conference: one form, checked as a whole, saved all or nothing; marking
it held queues the feedback invitations once; "You said, we did" for each child."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.invitations.schedule import first_send_at, run_schedule
from portal.invitations.services import issue_invitation
from portal.models import (
    AdultAttendance,
    AttendanceMode,
    AuditAction,
    AuditEvent,
    Base,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    FormKind,
    FormResponse,
    HarmCategory,
    Invitation,
    Message,
    MessageStatus,
    NotInvitedReason,
    ParticipationCode,
    PlanOutcome,
    Relationship,
    Role,
    utcnow,
)
from portal.templating import local_date
from tests.factories import (
    add_advocate_record,
    add_child,
    add_contactable_member,
    add_family_member,
    make_conference,
    make_staff,
    refer,
)


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years) if (day.month, day.day) != (2, 29) else day


@pytest.fixture
def held(app):
    """A conference that started yesterday: children aged 12 and 2, a mother with a safe
    contact, a father whose contact is not confirmed."""
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=-1))
    day = local_date(conference.starts_at)
    older = add_child(conference, first_name="Maya", date_of_birth=_years_before(day, 12))
    baby = add_child(conference, first_name="Leo", date_of_birth=_years_before(day, 2))
    mother = add_contactable_member(conference, first_name="Kelly")
    father = add_family_member(
        conference, first_name="Dean", relationship=Relationship.FATHER, mobile="+447700900222"
    )
    return {
        "chair": chair,
        "conference": conference,
        "day": day,
        "older": older,
        "baby": baby,
        "mother": mother,
        "father": father,
    }


def _url(setup) -> str:
    return f"/conferences/{setup['conference'].id}/record"


def _valid(setup, **changes: object) -> dict[str, object]:
    day, older, baby = setup["day"], setup["older"].id, setup["baby"].id
    mother, father = setup["mother"].id, setup["father"].id
    data: dict[str, object] = {
        "held_on": [str(day.day), str(day.month), str(day.year)],
        "format": "virtual",
        "quorate": "yes",
        f"child-{older}-attended": "no",
        f"child-{older}-code": "CP7",
        f"child-{older}-plan_outcome": "continued",
        f"child-{older}-harm_category": "neglect",
        f"child-{baby}-plan_outcome": "continued",
        f"child-{baby}-harm_category": "neglect",
        f"adult-{mother}-invited": "yes",
        f"adult-{mother}-attendance": "whole",
        f"adult-{mother}-attendance_mode": "video",
        f"adult-{mother}-views_routes": ["portal_form", "met_chair"],
        f"adult-{father}-invited": "no",
        f"adult-{father}-not_invited_reason": "whereabouts_unknown",
        f"adult-{father}-attendance": "none",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _rows() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name != "audit_event"
    }


def _as_chair(signed_in, setup):
    return signed_in(Role.CHAIR, user=setup["chair"])


def test_a_full_record_saves_everything_and_queues_feedback(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    before = utcnow()
    page = chair.submit(_url(held), _valid(held))
    conference = held["conference"]
    assert page.status == 303, page.error_summary
    assert page.location == f"/conferences/{conference.id}"

    assert conference.status == ConferenceStatus.HELD
    assert conference.held_on == held["day"]
    assert conference.quorate is True
    assert conference.format == ConferenceFormat.VIRTUAL
    assert conference.recorded_by_id == held["chair"].id
    older = db.session.get(ConferenceChild, (conference.id, held["older"].id))
    baby = db.session.get(ConferenceChild, (conference.id, held["baby"].id))
    assert older.participation_code == ParticipationCode.CP7
    assert older.plan_outcome == PlanOutcome.CONTINUED
    assert older.harm_category == HarmCategory.NEGLECT
    assert baby.participation_code == ParticipationCode.CP0  # derived, never typed
    mother = db.session.get(ConferenceAdult, (conference.id, held["mother"].id))
    father = db.session.get(ConferenceAdult, (conference.id, held["father"].id))
    assert mother.invited is True
    assert mother.attendance == AdultAttendance.WHOLE
    assert mother.attendance_mode == AttendanceMode.VIDEO
    assert mother.views_routes == ["portal_form", "met_chair"]
    assert father.invited is False
    assert father.not_invited_reason == NotInvitedReason.WHEREABOUTS_UNKNOWN
    assert father.attendance == AdultAttendance.NONE
    assert father.attendance_mode is None
    assert (mother.views_heard, father.views_heard) == (True, False)  # what the report counts

    # Feedback: the mother (safe contact) is invited; the father, recorded as not invited, is
    # not, and the chair is told
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.form == FormKind.FEEDBACK
    assert invitation.family_member_id == held["mother"].id
    message = db.session.scalars(select(Message)).one()
    assert message.status == MessageStatus.QUEUED
    assert message.invitation_id == invitation.id
    due = first_send_at(conference, FormKind.FEEDBACK, before)
    if due == before:  # within sending hours on the day: sent at once (the request's "now")
        assert before <= message.next_attempt_at <= utcnow()
    else:
        assert message.next_attempt_at == due
    shown = chair.get(page.location)
    banner = " ".join(shown.banners)
    assert (
        "Conference recorded. Feedback invitations queued for 1 family member, to be sent on"
        in (banner)
    )
    assert (
        "No feedback link for Dean Tester, as they were recorded as not invited to the conference."
        in banner
    )
    assert "Not queued" not in banner
    assert "CP7: did not attend; no views" in shown.text  # the summary on the conference page

    # Audited by field name, never by value
    updates = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.UPDATE)
    ).all()
    fields = {(event.record_type, event.record_id): event.fields for event in updates}
    assert "status" in fields[("conference", conference.id)]
    assert "held_on" in fields[("conference", conference.id)]
    assert fields[("child", held["older"].id)] == "harm_category,participation_code,plan_outcome"
    assert "views_routes" in fields[("family_member", held["mother"].id)]
    assert all("neglect" not in event.fields for event in updates)


def test_someone_invited_with_no_safe_contact_route_is_not_queued(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    father = held["father"].id
    page = chair.submit(
        _url(held),
        _valid(
            held,
            **{f"adult-{father}-invited": "yes", f"adult-{father}-not_invited_reason": None},
        ),
    )
    assert page.status == 303, page.error_summary
    assert set(db.session.scalars(select(Invitation.family_member_id))) == {held["mother"].id}
    banner = " ".join(chair.get(page.location).banners)
    assert (
        "Not queued for Dean Tester: Their contact details have not been confirmed safe" in banner
    )
    assert "recorded as not invited" not in banner


def _not_invited(member_id: int, reason: str) -> dict[str, object]:
    return {
        f"adult-{member_id}-invited": "no",
        f"adult-{member_id}-not_invited_reason": reason,
        f"adult-{member_id}-attendance": "none",
        f"adult-{member_id}-attendance_mode": None,
        f"adult-{member_id}-views_routes": None,
    }


def test_nobody_recorded_as_not_invited_is_sent_a_feedback_link(signed_in, held) -> None:
    """Safeguarding: someone the chair excluded, or whose whereabouts are unknown, is never sent
    a feedback link, even with a contact route confirmed safe: not when the record is saved, not
    by the schedule's run, not by a coordinator's "send now"; a correction stops a queued one."""
    conference, mother = held["conference"], held["mother"]
    partner = add_contactable_member(
        conference,
        first_name="Ray",
        relationship=Relationship.OTHER_FAMILY,
        mobile="+447700900444",
    )
    chair = _as_chair(signed_in, held)
    page = chair.submit(_url(held), _valid(held, **_not_invited(partner.id, "excluded")))
    assert page.status == 303, page.error_summary
    assert set(db.session.scalars(select(Invitation.family_member_id))) == {mother.id}
    banner = " ".join(chair.get(page.location).banners)
    assert (
        "No feedback links for Dean Tester and Ray Tester, as they were recorded as not invited "
        "to the conference." in banner
    )

    send_at = first_send_at(conference, FormKind.FEEDBACK, utcnow())
    run_schedule(send_at + timedelta(minutes=5))
    assert set(db.session.scalars(select(Invitation.family_member_id))) == {mother.id}

    coordinator = signed_in(Role.COORDINATOR)
    token = coordinator.get(f"/conferences/{conference.id}/messages").csrf_token()
    coordinator.post(
        f"/conferences/{conference.id}/messages/{partner.id}/send",
        {"csrf_token": token, "form": "feedback"},
    )
    assert set(db.session.scalars(select(Invitation.family_member_id))) == {mother.id}

    # The chair corrects the record: the mother's whereabouts were not known after all
    [invitation] = db.session.scalars(select(Invitation)).all()
    assert invitation.revoked_at is None
    corrected = chair.submit(
        _url(held),
        _valid(
            held,
            **_not_invited(partner.id, "excluded"),
            **_not_invited(mother.id, "whereabouts_unknown"),
        ),
    )
    assert corrected.status == 303, corrected.error_summary
    db.session.refresh(invitation)
    assert invitation.revoked_at is not None
    statuses = set(
        db.session.scalars(select(Message.status).where(Message.invitation_id == invitation.id))
    )
    assert MessageStatus.QUEUED not in statuses
    assert "No feedback links for Kelly Tester, Dean Tester and Ray Tester" in " ".join(
        chair.get(corrected.location).banners
    )


def test_saving_twice_or_running_the_schedule_never_invites_twice(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    assert chair.submit(_url(held), _valid(held)).status == 303
    again = chair.submit(_url(held), _valid(held, quorate="no"))
    assert again.status == 303
    assert held["conference"].quorate is False
    assert "No new feedback invitations to queue" in " ".join(chair.get(again.location).banners)
    # The schedule's own run, later on the day it sends
    send_at = first_send_at(held["conference"], FormKind.FEEDBACK, utcnow())
    run_schedule(send_at + timedelta(minutes=5))
    assert db.session.scalar(select(func.count(Invitation.id))) == 1
    assert (
        db.session.scalar(
            select(func.count(Message.id)).where(Message.kind == "feedback_invitation")
        )
        == 1
    )


def test_the_page_shows_what_was_recorded_after_saving(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    chair.submit(_url(held), _valid(held))
    soup = chair.get(_url(held)).soup
    older, mother = held["older"].id, held["mother"].id
    assert soup.find("input", {"name": f"child-{older}-code", "value": "CP7"}).has_attr("checked")
    assert soup.find(
        "input", {"name": f"adult-{mother}-views_routes", "value": "met_chair"}
    ).has_attr("checked")
    assert soup.find("input", {"name": "quorate", "value": "yes"}).has_attr("checked")


def test_an_error_keeps_every_typed_value_and_saves_nothing(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    mother = held["mother"].id
    before = _rows()
    page = chair.submit(_url(held), _valid(held, **{f"adult-{mother}-attendance": None}))
    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == ["Select whether Kelly Tester attended"]
    link = page.soup.select_one(".govuk-error-summary a")["href"]
    assert link == f"#adult-{mother}-attendance"
    assert page.soup.find(id=f"adult-{mother}-attendance") is not None
    assert _rows() == before
    assert held["conference"].status == ConferenceStatus.SCHEDULED
    assert held["conference"].recorded_at is None

    soup, older, father = page.soup, held["older"].id, held["father"].id
    day = held["day"]

    def checked(name: str, value: str) -> bool:
        return soup.find("input", {"name": name, "value": value}).has_attr("checked")

    assert [i["value"] for i in soup.find_all("input", {"name": "held_on"})] == [
        str(day.day),
        str(day.month),
        str(day.year),
    ]
    assert checked("format", "virtual")
    assert checked("quorate", "yes")
    assert checked(f"child-{older}-attended", "no")
    assert checked(f"child-{older}-code", "CP7")
    assert checked(f"child-{older}-plan_outcome", "continued")
    assert checked(f"child-{older}-harm_category", "neglect")
    assert checked(f"adult-{mother}-invited", "yes")
    assert checked(f"adult-{mother}-attendance_mode", "video")
    assert checked(f"adult-{mother}-views_routes", "portal_form")
    assert checked(f"adult-{mother}-views_routes", "met_chair")
    assert checked(f"adult-{father}-invited", "no")
    assert checked(f"adult-{father}-not_invited_reason", "whereabouts_unknown")
    assert checked(f"adult-{father}-attendance", "none")


def test_a_cp0_child_cannot_be_given_a_code(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    baby = held["baby"].id
    page = chair.submit(_url(held), _valid(held, **{f"child-{baby}-code": "CP1"}))
    assert page.status == 400
    assert page.error_summary == [
        "Leo Tester: Under 4 or unborn on the conference date, so the code can only be CP0"
    ]
    assert page.soup.select_one(".govuk-error-summary a")["href"] == f"#child-{baby}-code"
    assert page.soup.find(id=f"child-{baby}-code") is not None
    assert held["conference"].recorded_at is None
    # The page shows CP0 as text, not as something to choose
    assert page.soup.find("input", {"name": f"child-{baby}-code"}) is None
    assert "CP0: under 4 on the conference date — not counted" in page.text


def test_a_ten_year_old_cannot_be_cp0(signed_in, held) -> None:
    older = held["older"].id
    page = _as_chair(signed_in, held).submit(
        _url(held), _valid(held, **{f"child-{older}-code": "CP0"})
    )
    assert page.status == 400
    assert page.error_summary == [
        "Maya Tester: CP0 is only for a child under 4 or unborn on the conference date: "
        "select CP1 to CP7"
    ]


def test_codes_are_checked_against_attendance(signed_in, held) -> None:
    older = held["older"].id
    page = _as_chair(signed_in, held).submit(
        _url(held), _valid(held, **{f"child-{older}-code": "CP2"})
    )
    assert page.status == 400
    assert page.error_summary == ["Maya Tester: CP1 to CP4 are for children who attended"]


def test_cp5_needs_an_advocate(signed_in, held) -> None:
    older = held["older"].id
    chair = _as_chair(signed_in, held)
    page = chair.submit(_url(held), _valid(held, **{f"child-{older}-code": "CP5"}))
    assert page.status == 400
    assert "briefed an advocate" in page.error_summary[0]
    refer(held["conference"], held["older"], make_staff(Role.ADVOCATE))
    assert chair.submit(_url(held), _valid(held, **{f"child-{older}-code": "CP5"})).status == 303


def test_not_invited_but_attended_is_refused(signed_in, held) -> None:
    father = held["father"].id
    page = _as_chair(signed_in, held).submit(
        _url(held),
        _valid(
            held,
            **{f"adult-{father}-attendance": "part", f"adult-{father}-attendance_mode": "phone"},
        ),
    )
    assert page.status == 400
    assert page.error_summary == [
        "Dean Tester was not invited, so select Did not attend, or change Were they invited to Yes"
    ]


def test_attending_needs_how_and_a_plan_needs_a_category(signed_in, held) -> None:
    mother, older, baby = held["mother"].id, held["older"].id, held["baby"].id
    page = _as_chair(signed_in, held).submit(
        _url(held),
        _valid(
            held,
            **{
                f"adult-{mother}-attendance_mode": None,
                f"child-{older}-harm_category": None,
                f"child-{baby}-plan_outcome": "ended_child_in_need",
            },
        ),
    )
    assert page.status == 400
    assert page.error_summary == [
        "Select the category of harm for Maya Tester's plan",
        "Leo Tester: a category of harm is only for a plan that started or continued. "
        "Select No category",
        "Select how Kelly Tester attended",
    ]


def test_a_held_date_in_the_future_is_refused(signed_in, held) -> None:
    tomorrow = local_date(utcnow()) + timedelta(days=1)
    page = _as_chair(signed_in, held).submit(
        _url(held),
        _valid(held, held_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]),
    )
    assert page.status == 400
    assert page.error_summary == ["The date the conference was held must be today or earlier"]


def test_before_the_conference_starts_there_is_no_form(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=2))
    client = signed_in(Role.CHAIR, user=chair)
    page = client.get(f"/conferences/{conference.id}/record")
    assert page.status == 200
    assert "You can record this conference once it has started" in page.text
    assert page.soup.find("form", {"method": "post", "novalidate": True}) is None
    token = page.csrf_token()  # the header's sign-out form
    posted = client.post(f"/conferences/{conference.id}/record", {"csrf_token": token})
    assert posted.status == 400
    assert conference.status == ConferenceStatus.SCHEDULED
    assert conference.recorded_at is None


def test_another_chair_cannot_record_or_change_anything(signed_in, held) -> None:
    other = signed_in(Role.CHAIR, user=make_staff(Role.CHAIR, sees_all_conferences=True))
    token = other.get("/dashboard").csrf_token()
    before = _rows()
    page = other.post(_url(held), {"csrf_token": token, **_valid(held)})
    assert page.status == 404
    assert _rows() == before
    assert held["conference"].recorded_at is None
    assert held["conference"].status == ConferenceStatus.SCHEDULED


def test_the_portal_fills_in_what_it_knows(signed_in, held) -> None:
    conference, mother = held["conference"], held["mother"]
    # The mother sent her views through the portal
    conference.starts_at = utcnow() + timedelta(days=1)
    invitation = issue_invitation(conference, mother, FormKind.VIEWS)
    db.session.flush()
    db.session.add(
        FormResponse(
            invitation_id=invitation.id, questionnaire="parent_views", submitted_at=utcnow()
        )
    )
    conference.starts_at = utcnow() - timedelta(days=1)
    db.session.commit()
    # An advocate recorded the older child's views
    add_advocate_record(refer(conference, held["older"], make_staff(Role.ADVOCATE)))

    page = _as_chair(signed_in, held).get(_url(held))
    assert page.status == 200
    soup = page.soup

    def checked(name: str, value: str) -> bool:
        return soup.find("input", {"name": name, "value": value}).has_attr("checked")

    assert checked(f"adult-{mother.id}-views_routes", "portal_form")
    assert not checked(f"adult-{held['father'].id}-views_routes", "portal_form")
    assert checked(f"adult-{mother.id}-invited", "yes")
    assert checked(f"child-{held['older'].id}-code", "CP5")
    assert "Suggested CP5: an advocate's record was sent." in page.text


def test_a_young_persons_own_form_suggests_cp6_and_they_are_not_an_adult(signed_in, held) -> None:
    conference, older = held["conference"], held["older"]
    young = add_contactable_member(
        conference,
        first_name="Maya",
        relationship=Relationship.YOUNG_PERSON,
        child_id=older.id,
        mobile="+447700900333",
    )
    conference.starts_at = utcnow() + timedelta(days=1)
    invitation = issue_invitation(conference, young, FormKind.VIEWS)
    db.session.flush()
    db.session.add(
        FormResponse(
            invitation_id=invitation.id, questionnaire="young_person_views", submitted_at=utcnow()
        )
    )
    conference.starts_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = _as_chair(signed_in, held).get(_url(held))
    assert page.soup.find("input", {"name": f"child-{older.id}-code", "value": "CP6"}).has_attr(
        "checked"
    )
    assert page.soup.find("input", {"name": f"adult-{young.id}-invited"}) is None


def test_the_threshold_setting_decides_cp0(app, signed_in, held, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "PARTICIPATION_MIN_AGE", 13)
    page = _as_chair(signed_in, held).get(_url(held))
    assert page.soup.find("input", {"name": f"child-{held['older'].id}-code"}) is None
    assert "CP0: under 13 on the conference date — not counted" in page.text


def test_you_said_we_did_is_saved_and_audited(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    conference, older = held["conference"], held["older"]
    url = f"/conferences/{conference.id}/children/{older.id}/you-said-we-did"

    # Before the conference is recorded as held: a page that says so, and nothing saved
    page = chair.get(url)
    assert page.status == 200
    assert "once the conference is recorded as held" in page.text
    chair.post(url, {"csrf_token": page.csrf_token(), "note": "Too early"})
    link = db.session.get(ConferenceChild, (conference.id, older.id))
    assert link.you_said_we_did == ""

    chair.submit(_url(held), _valid(held))
    form_page = chair.get(url)
    assert "Write to the child in words they understand" in form_page.text
    assert form_page.soup.find("textarea", {"name": "note"}) is not None
    saved = chair.submit(url, {"note": "You said you want to stay at your school. You will."})
    assert saved.status == 303
    link = db.session.get(ConferenceChild, (conference.id, older.id))
    assert link.you_said_we_did == "You said you want to stay at your school. You will."
    assert link.you_said_we_did_at is not None
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.fields == "you_said_we_did"
        )
    ).one()
    assert (event.record_type, event.record_id) == ("child", older.id)

    too_long = chair.submit(url, {"note": "x" * 1501})
    assert too_long.status == 400
    assert too_long.error_summary == ["The note must be 1500 characters or fewer"]
    assert too_long.soup.find("textarea", {"name": "note"}).get_text() == "x" * 1501


def test_you_said_we_did_for_a_child_not_at_the_conference_is_not_found(signed_in, held) -> None:
    elsewhere = add_child(make_conference(chair=held["chair"]), first_name="Other")
    page = _as_chair(signed_in, held).get(
        f"/conferences/{held['conference'].id}/children/{elsewhere.id}/you-said-we-did"
    )
    assert page.status == 404


def test_the_conference_page_links_the_own_chair_to_recording(signed_in, held) -> None:
    conference = held["conference"]
    page = _as_chair(signed_in, held).get(f"/conferences/{conference.id}")
    assert page.link("Record the conference") == f"/conferences/{conference.id}/record"
    other = signed_in(Role.CHAIR, user=make_staff(Role.CHAIR, sees_all_conferences=True))
    assert "Record the conference" not in other.get(f"/conferences/{conference.id}").text
    assert isinstance(conference, Conference)


def test_what_is_posted_is_what_is_saved(signed_in, held) -> None:
    """A gap in a POST is an error, never filled from what the page showed before."""
    chair = _as_chair(signed_in, held)
    assert chair.submit(_url(held), _valid(held)).status == 303
    page = chair.submit(_url(held), _valid(held, quorate=None))
    assert page.status == 400
    assert page.error_summary == ["Select yes if the conference was quorate"]


def test_a_child_added_after_recording_gets_the_suggestion(signed_in, held) -> None:
    chair = _as_chair(signed_in, held)
    assert chair.submit(_url(held), _valid(held)).status == 303
    late = add_child(held["conference"], first_name="Ana", date_of_birth=date(2014, 1, 1))
    add_advocate_record(refer(held["conference"], late, make_staff(Role.ADVOCATE)))
    soup = chair.get(_url(held)).soup
    assert soup.find("input", {"name": f"child-{late.id}-code", "value": "CP5"}).has_attr("checked")
    older = held["older"].id
    assert soup.find("input", {"name": f"child-{older}-code", "value": "CP7"}).has_attr("checked")


def test_the_record_page_takes_few_queries(signed_in, held) -> None:
    """More people do not mean more queries (no N+1): the page is made before the audit's
    commit, which would expire every row it reads."""
    from sqlalchemy import event

    chair = _as_chair(signed_in, held)

    def count_queries() -> int:
        statements: list[str] = []

        def before(conn, cursor, statement, *args) -> None:
            if statement.startswith("SELECT"):  # audit events are one row per person seen
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert chair.get(_url(held)).status == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    conference = held["conference"]
    few = count_queries()
    for number in range(5):
        add_child(conference, first_name=f"Extra{number}", date_of_birth=date(2014, 1, 1))
        add_contactable_member(conference, first_name=f"Adult{number}")
    assert count_queries() <= few + 2


def test_ages_are_on_the_day_the_conference_was_held(signed_in, held) -> None:
    """CP0 is worked out on the date the chair records as held, not the date it was booked for,
    and the page shows what the checks use."""
    chair = _as_chair(signed_in, held)
    today = local_date(utcnow())  # the conference was booked for yesterday
    zoe = add_child(held["conference"], first_name="Zoe", date_of_birth=_years_before(today, 4))
    plan = {
        f"child-{zoe.id}-plan_outcome": "continued",
        f"child-{zoe.id}-harm_category": "neglect",
    }

    booked = chair.get(_url(held))  # three on the day it was booked for: CP0
    assert booked.soup.find("input", {"name": f"child-{zoe.id}-code"}) is None
    assert "Zoe Tester (child, aged 3 on the conference date)" in booked.text

    held_today = {"held_on": [str(today.day), str(today.month), str(today.year)]}
    page = chair.submit(_url(held), _valid(held, **plan, **held_today))
    assert page.status == 400
    assert page.error_summary == [
        "Select yes if Zoe Tester attended",
        "Select a participation code for Zoe Tester",
    ]
    assert "Zoe Tester (child, aged 4 on the conference date)" in page.text
    assert page.soup.find("input", {"name": f"child-{zoe.id}-code", "value": "CP7"}) is not None

    answered = {f"child-{zoe.id}-attended": "no", f"child-{zoe.id}-code": "CP7"}
    saved = chair.submit(_url(held), _valid(held, **plan, **held_today, **answered))
    assert saved.status == 303, saved.error_summary
    link = db.session.get(ConferenceChild, (held["conference"].id, zoe.id))
    assert link.participation_code == ParticipationCode.CP7
    again = chair.get(_url(held)).soup  # the recorded day is the one shown and used
    assert again.find("input", {"name": f"child-{zoe.id}-code", "value": "CP7"}).has_attr("checked")

    # Recorded as held on the day it was booked for after all: she was three, so CP0 only
    page = chair.submit(_url(held), _valid(held, **plan, **answered))
    assert page.status == 400
    assert page.error_summary == [
        "Zoe Tester: Under 4 or unborn on the conference date, so the code can only be CP0"
    ]
    assert "Zoe Tester (child, aged 3 on the conference date)" in page.text
    assert page.soup.find("input", {"name": f"child-{zoe.id}-code"}) is None
    fixed = chair.submit(_url(held), _valid(held, **plan))
    assert fixed.status == 303, fixed.error_summary
    link = db.session.get(ConferenceChild, (held["conference"].id, zoe.id))
    assert link.participation_code == ParticipationCode.CP0
