"""The conference's record for the case system: a coordinator downloads what each person said,
the advocates' records and the chair's record as one file, before retention removes the words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AdultAttendance,
    AttendanceMode,
    AuditAction,
    AuditEvent,
    Conference,
    ConferenceStatus,
    ConferenceType,
    HarmCategory,
    ParticipationCode,
    PlanOutcome,
    Relationship,
    Role,
)
from portal.plans.services import rebuild_plans
from portal.retention import run_retention
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_drawing,
    add_entry_given_another_way,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import PageClient

PARENT_VIEWS = "The mother worries about the school run ZQC-VIEWS"
PARENT_FEEDBACK = "Shorter meetings, please ZQC-FEEDBACK"
ENTERED = "Told the coordinator by phone ZQC-ENTERED"
CHILD_OWN = "Football on Saturdays ZQC-OWN"
CHILD_CHAIR_ONLY = "A secret for the chair ZQC-CHAIRONLY"
ADVOCATE_SHARED = "Climbing trees with Gran ZQC-ADVOCATE"
ADVOCATE_CHAIR_ONLY = "A wish for the chair only ZQC-WISH"
YOU_SAID = "You said you wanted to stay at school: you will ZQC-YOUSAID"
OTHER_WORDS = "Another family's worry ZQC-OTHER"
MARKUP = '<script>alert("x")</script><img src="https://example.com/x.png"> ZQC-MARKUP'


def _held(conference: Conference, days_ago: int) -> None:
    conference.starts_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
    conference.status = ConferenceStatus.HELD
    conference.held_on = conference.conference_date
    conference.quorate = True
    conference.recorded_at = datetime.now(UTC)


@pytest.fixture
def held_conference() -> Conference:
    """An initial conference held 80 days ago: a child with their own form and an advocate's
    record, a mother with views and feedback, a father whose views were entered for him, and
    the chair's record (a plan started for neglect). Another family's conference beside it."""
    chair = make_staff(Role.CHAIR, full_name="Pat Chairperson")
    conference = make_conference(
        chair,
        conference_type=ConferenceType.INITIAL,
        section_47_started_on=date.today() - timedelta(days=100),
    )
    child = add_child(conference, first_name="Robin", last_name="Quillon", external_ref="P-100")
    advocate = make_staff(Role.ADVOCATE)
    referral = refer(conference, child, advocate)
    add_advocate_record(
        referral,
        good_things=ADVOCATE_SHARED,
        wishes=ADVOCATE_CHAIR_ONLY,
        sharing={"good_things": "conference", "worries": "family", "wishes": "chair_only"},
    )
    add_attachment(referral)
    young = add_contactable_member(
        conference, first_name="Robin", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    own = add_form_response(
        conference,
        young,
        {"going_well": {"text": CHILD_OWN}, "chair_only": {"text": CHILD_CHAIR_ONLY}},
    )
    add_drawing(own, "going_well")  # named in the file, not included (issue 20)
    mother = add_contactable_member(conference, first_name="Jo", last_name="Quillon")
    add_form_response(conference, mother, {"worries": {"text": PARENT_VIEWS}})
    father = add_contactable_member(
        conference, first_name="Alex", last_name="Quillon", relationship=Relationship.FATHER
    )
    add_entry_given_another_way(
        conference,
        father,
        {"going_well": {"text": ENTERED}, "worries": {"text": MARKUP}},
        entered_by=make_staff(Role.COORDINATOR),
    )

    _held(conference, 1)
    db.session.commit()
    # Feedback is asked for the day after; the conference then moves back to 80 days ago.
    add_form_response(conference, mother, {"do_better": {"text": PARENT_FEEDBACK}}, form="feedback")
    _held(conference, 80)
    (link,) = conference.children
    link.participation_code = ParticipationCode.CP5
    link.plan_outcome = PlanOutcome.STARTED
    link.harm_category = HarmCategory.NEGLECT
    link.you_said_we_did = YOU_SAID
    for adult in conference.adults:
        if adult.family_member_id == mother.id:
            adult.invited, adult.attendance = True, AdultAttendance.WHOLE
            adult.attendance_mode, adult.views_heard = AttendanceMode.VIDEO, True
    rebuild_plans([child.id])
    db.session.commit()

    elsewhere = make_conference()
    stranger = add_contactable_member(elsewhere, first_name="Chris", last_name="Otherfamily")
    add_form_response(elsewhere, stranger, {"worries": {"text": OTHER_WORDS}})
    return conference


def _download(client: PageClient, conference: Conference):
    page = client.get(f"/conferences/{conference.id}")
    assert page.status == 200
    form = page.soup.find("form", action=f"/conferences/{conference.id}/case-record")
    assert form is not None, "no download button on the conference page"
    assert "Download the record for the case file" in form.get_text()
    return client.post(form["action"], {"csrf_token": page.csrf_token()})


def test_the_file_holds_every_kind_of_words_and_no_other_conference(
    app: Flask, held_conference, signed_in
):
    page = _download(signed_in(Role.COORDINATOR), held_conference)
    assert page.status == 200
    text = page.text
    for words in (PARENT_VIEWS, PARENT_FEEDBACK, ENTERED, CHILD_OWN, ADVOCATE_SHARED, YOU_SAID):
        assert words in text
    # The chair's record: how each took part, the plan, the adults' attendance
    assert "CP5" in text
    assert "Plan started (neglect)" in text
    assert "Neglect, from" in text
    assert "P-100" in text  # the child's person ID, to match the case system
    assert "The whole meeting (Video)" in text
    assert "Given by phone, entered by" in text
    assert "Pat Chairperson" in text
    # Shared with the chair only, another family's words: not here
    for words in (CHILD_CHAIR_ONLY, ADVOCATE_CHAIR_ONLY, OTHER_WORDS, "Otherfamily"):
        assert words not in text
    assert "Shared with the chair of this conference only: not in this file." in text
    assert "1 drawing or letter is kept with the advocate's record" in text
    assert "A drawing by Robin is kept with these answers in Heard, not in this file." in text
    assert page.soup.find("img") is None


def test_the_file_is_a_self_contained_accessible_download(app: Flask, held_conference, signed_in):
    page = _download(signed_in(Role.COORDINATOR), held_conference)
    disposition = page.response.headers["Content-Disposition"]
    day = held_conference.held_on.isoformat()
    assert (
        disposition == f'attachment; filename="conference-{held_conference.id}-{day}-record.html"'
    )
    assert "Quillon" not in disposition
    assert held_conference.case_reference not in disposition
    assert page.response.headers["Cache-Control"] == "no-store"

    soup = BeautifulSoup(page.response.get_data(as_text=True), "html.parser")
    assert MARKUP in soup.get_text()  # what was said, shown as it was said, never run
    assert soup.html["lang"] == "en"
    assert soup.find("h1").get_text(strip=True) == "Conference record for the case file"
    assert soup.find("script") is None
    assert soup.find(src=True) is None
    assert soup.find("link") is None
    assert soup.find(style=True) is None  # one stylesheet in the head, no inline attributes
    style = soup.find("style").get_text()
    assert "@page { size: A4;" in style
    assert "break-inside: avoid" in style
    for table in soup.find_all("table"):
        assert table.find("caption") is not None
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    headings = [" ".join(h.get_text(" ").split()) for h in soup.find_all("h2")]
    assert headings == [
        "What is in this file",
        "The chair's record",
        "What Robin Quillon said",
        "What Jo Quillon said",
        "What Alex Quillon said",
    ]


def test_downloading_is_audited_and_kept_on_the_conference(app: Flask, held_conference, signed_in):
    coordinator = make_staff(Role.COORDINATOR)
    assert held_conference.record_exported_at is None
    before = datetime.now(UTC)
    page = _download(signed_in(Role.COORDINATOR, coordinator), held_conference)
    assert page.status == 200
    db.session.refresh(held_conference)
    exported_at = held_conference.record_exported_at
    assert exported_at is not None
    assert exported_at.replace(tzinfo=exported_at.tzinfo or UTC) >= before - timedelta(seconds=1)

    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor_id == coordinator.id,
            AuditEvent.conference_id == held_conference.id,
        )
    ).all()
    seen = {(e.action, e.record_type, e.record_id) for e in events}
    (link,) = held_conference.children
    assert (AuditAction.EXPORT, "conference", held_conference.id) in seen
    assert (AuditAction.VIEW, "child", link.child_id) in seen
    for adult in held_conference.adults:
        assert (AuditAction.VIEW, "family_member", adult.family_member_id) in seen
    assert any(e.record_type == "advocate_record" for e in events)

    again = signed_in(Role.COORDINATOR).get(f"/conferences/{held_conference.id}")
    assert "Last downloaded" in again.text


@pytest.mark.parametrize(
    "role", [Role.CHAIR, Role.ADVOCATE, Role.ADMIN, Role.PARTICIPATION_OFFICER]
)
def test_only_coordinators_may_download(app: Flask, held_conference, signed_in, role):
    client = signed_in(role)
    token = client.get("/dashboard").csrf_token()
    page = client.post(f"/conferences/{held_conference.id}/case-record", {"csrf_token": token})
    assert page.status == 403
    db.session.refresh(held_conference)
    assert held_conference.record_exported_at is None


def test_the_conference_chair_sees_no_download_button(app: Flask, held_conference, signed_in):
    chair = db.session.get(type(held_conference.chair), held_conference.chair_id)
    page = signed_in(Role.CHAIR, chair).get(f"/conferences/{held_conference.id}")
    assert page.status == 200
    assert "Download the record for the case file" not in page.text


def test_a_get_or_a_missing_conference_is_refused_cleanly(app: Flask, held_conference, signed_in):
    client = signed_in(Role.COORDINATOR)
    assert client.get(f"/conferences/{held_conference.id}/case-record").status == 405
    token = client.get("/dashboard").csrf_token()
    assert client.post("/conferences/999999/case-record", {"csrf_token": token}).status == 404
    assert client.post(f"/conferences/{held_conference.id}/case-record").status == 400
    db.session.refresh(held_conference)
    assert held_conference.record_exported_at is None


def test_a_record_downloaded_after_retention_says_its_words_are_gone(
    app: Flask, held_conference, signed_in
):
    _held(held_conference, app.config["RETENTION_DAYS"] + 2)
    db.session.commit()
    run_retention(app.config["RETENTION_DAYS"])
    page = _download(signed_in(Role.COORDINATOR), held_conference)
    assert page.status == 200
    assert "its families', children's and advocates' words have been removed" in page.text
    assert PARENT_VIEWS not in page.text
    assert YOU_SAID not in page.text


def test_a_record_within_the_limit_does_not_say_so(app: Flask, held_conference, signed_in):
    page = _download(signed_in(Role.COORDINATOR), held_conference)
    assert "have been removed" not in page.text
