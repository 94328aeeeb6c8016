"""Advocacy: referrals, the manager's assigning, the advocate's caseload and record of a child's
views (drafts, submissions, versions), the contact log, and safeguarding alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select

from portal.extensions import db
from portal.messaging.providers import build_providers
from portal.messaging.worker import drain
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    AdvocateRecordVersion,
    AuditAction,
    AuditEvent,
    Channel,
    ContactLogEntry,
    Message,
    MessageKind,
    MessageStatus,
    NotSeenReason,
    PackItemRead,
    RecordStatus,
    Role,
    SafetyAlert,
    SafetyAlertDelivery,
    utcnow,
)
from portal.models.base import SERVICE_TIMEZONE
from portal.people.forms import years_before
from portal.templating import local_date
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    make_conference,
    make_staff,
    refer,
)


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _add_child_through_the_page(client, conference, born: date) -> AdvocacyReferral | None:
    page = client.submit(
        f"/conferences/{conference.id}/children/new",
        {"first_name": "Ria", "last_name": "Okoro", "born": "born", "birth_date": _date(born)},
    )
    assert page.status == 302, page.error_summary
    return db.session.scalar(
        select(AdvocacyReferral).where(AdvocacyReferral.conference_id == conference.id)
    )


# --- Referrals ---------------------------------------------------------------------------


def test_a_child_turning_ten_on_the_conference_day_is_referred_automatically(
    signed_in, app
) -> None:
    conference = make_conference(starts_in=timedelta(days=20))
    conference_day = local_date(conference.starts_at)
    assert app.config["ADVOCACY_MIN_AGE"] == 10
    referral = _add_child_through_the_page(
        signed_in(Role.COORDINATOR), conference, years_before(conference_day, 10)
    )
    assert referral is not None
    assert referral.automatic is True
    assert referral.advocate_id is None


def test_a_child_turning_ten_the_day_after_the_conference_is_not_referred(signed_in) -> None:
    conference = make_conference(starts_in=timedelta(days=20))
    conference_day = local_date(conference.starts_at)
    born = years_before(conference_day + timedelta(days=1), 10)
    assert _add_child_through_the_page(signed_in(Role.COORDINATOR), conference, born) is None


def test_a_younger_child_is_not_referred_but_can_be_by_hand_once(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    assert _add_child_through_the_page(client, conference, date(2021, 2, 3)) is None
    page = client.get(f"/conferences/{conference.id}")
    assert "Not referred" in page.text
    [form] = page.soup.select("form[action$='/refer']")
    url = form["action"]
    token = page.csrf_token()

    first = client.post(url, {"csrf_token": token})
    second = client.post(url, {"csrf_token": token})  # a second press changes nothing

    assert first.location == second.location == f"/conferences/{conference.id}"
    [referral] = db.session.scalars(select(AdvocacyReferral)).all()
    assert referral.automatic is False
    shown = client.get(f"/conferences/{conference.id}")
    assert "Referred, waiting for an advocate" in shown.text
    assert "already referred" in shown.banners[-1]
    assert not shown.soup.select("form[action$='/refer']")


def test_the_conference_page_names_the_childs_advocate(signed_in) -> None:
    conference = make_conference()
    advocate = make_staff(Role.ADVOCATE, full_name="Ada Advocate")
    refer(conference, add_child(conference), advocate)
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")
    assert "Advocate: Ada Advocate" in page.text


def test_the_manager_assigns_and_reassigns_and_a_non_advocate_is_refused(signed_in) -> None:
    manager = make_staff(Role.ADVOCATE, is_advocacy_manager=True)
    first, second = make_staff(Role.ADVOCATE), make_staff(Role.ADVOCATE)
    conference = make_conference(starts_in=timedelta(days=5))
    assigned = refer(conference, add_child(conference, first_name="Ann"), first)
    waiting = refer(
        conference, add_child(conference, first_name="Bea", date_of_birth=date(2014, 1, 2))
    )
    client = signed_in(Role.ADVOCATE, manager)

    page = client.get("/advocacy/referrals")
    names = [th.get_text(" ", strip=True) for th in page.soup.select("tbody th")]
    assert names[0].startswith("Bea")  # unassigned first
    assert names[1].startswith("Ann")
    assert "5 days left" in page.text
    url = f"/advocacy/referrals/{waiting.id}/assign"

    coordinator = make_staff(Role.COORDINATOR)
    refused = client.submit(url, {"advocate_id": str(coordinator.id)}, on="/advocacy/referrals")
    assert refused.status == 400
    assert refused.error_summary == ["Select an advocate from the list"]
    assert waiting.advocate_id is None

    done = client.submit(url, {"advocate_id": str(second.id)}, on="/advocacy/referrals")
    assert done.location == "/advocacy/referrals"
    assert waiting.advocate_id == second.id
    again = client.submit(url, {"advocate_id": str(first.id)}, on="/advocacy/referrals")
    assert again.status == 302
    assert waiting.advocate_id == first.id
    assert assigned.advocate_id == first.id
    updates = db.session.scalar(
        select(func.count()).where(
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.record_type == "advocacy_referral",
            AuditEvent.record_id == waiting.id,
        )
    )
    assert updates == 2


def test_the_referrals_come_a_page_at_a_time(signed_in, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "REFERRALS_PER_PAGE", 2)
    for number, days in enumerate((3, 4, 5)):
        conference = make_conference(starts_in=timedelta(days=days))
        refer(conference, add_child(conference, first_name=f"Kid{number}"))
    client = signed_in(Role.ADVOCATE, make_staff(Role.ADVOCATE, is_advocacy_manager=True))

    def names(page) -> list[str]:
        return [th.get_text(" ", strip=True).split()[0] for th in page.soup.select("tbody th")]

    first = client.get("/advocacy/referrals")
    assert names(first) == ["Kid0", "Kid1"]
    assert "Showing 1 to 2 of 3" in first.text
    second = client.get(first.link("Next"))
    assert names(second) == ["Kid2"]
    assert "Showing 3 to 3 of 3" in second.text


def test_assigning_from_a_later_page_stays_on_that_page(signed_in, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "REFERRALS_PER_PAGE", 2)
    referrals = []
    for number, days in enumerate((3, 4, 5, 6, 7)):
        conference = make_conference(starts_in=timedelta(days=days))
        referrals.append(refer(conference, add_child(conference, first_name=f"Kid{number}")))
    advocate = make_staff(Role.ADVOCATE)
    client = signed_in(Role.ADVOCATE, make_staff(Role.ADVOCATE, is_advocacy_manager=True))
    third = client.get("/advocacy/referrals?page=2")
    action = third.soup.select("tbody form")[0]["action"]
    assert action == f"/advocacy/referrals/{referrals[2].id}/assign?page=2"

    refused = client.submit(action, {"advocate_id": ""}, on="/advocacy/referrals?page=2")
    assert refused.status == 400
    assert "Showing 3 to 4 of 5" in refused.text
    assert refused.soup.select_one(f"#advocate-{referrals[2].id}-error") is not None
    assert refused.link("Next") == "/advocacy/referrals?page=3"

    done = client.submit(action, {"advocate_id": str(advocate.id)}, on="/advocacy/referrals?page=2")
    assert done.location == "/advocacy/referrals?page=2"

    past_the_end = client.get("/advocacy/referrals?page=9")
    assert past_the_end.status == 200
    assert "Showing 5 to 5 of 5" in past_the_end.text


def test_an_advocate_who_does_not_manage_cannot_assign(signed_in) -> None:
    assert signed_in(Role.ADVOCATE).get("/advocacy/referrals").status == 403


# --- The caseload and ownership ----------------------------------------------------------


def test_the_advocates_home_lists_only_their_own_children_with_days_left(signed_in) -> None:
    mine, theirs = make_staff(Role.ADVOCATE), make_staff(Role.ADVOCATE)
    # At noon three days ahead, in the service's time zone: "3 days left" at any hour it runs
    in_three_days = local_date(datetime.now(UTC)) + timedelta(days=3)
    conference = make_conference(
        starts_at=datetime.combine(in_three_days, time(12), SERVICE_TIMEZONE)
    )
    refer(conference, add_child(conference, first_name="Mina"), mine)
    refer(conference, add_child(conference, first_name="Theo"), theirs)
    client = signed_in(Role.ADVOCATE, mine)
    assert client.get("/").location == "/advocacy/"
    page = client.get("/advocacy/")
    assert "Mina" in page.text
    assert "Theo" not in page.text
    assert "3 days left" in page.text
    assert "Not started" in page.text


def test_advocate_b_cannot_open_advocate_as_child_by_changing_the_id(signed_in) -> None:
    owner = make_staff(Role.ADVOCATE)
    conference = make_conference()
    referral = refer(conference, add_child(conference), owner)
    add_advocate_record(referral)
    attachment = add_attachment(referral)
    other = signed_in(Role.ADVOCATE)
    base = f"/advocacy/referrals/{referral.id}"
    for url in [
        base,
        f"{base}/views",
        f"{base}/contacts/new",
        f"{base}/attachments/new",
        f"{base}/versions/1",
        f"/attachments/{attachment.id}",
    ]:
        assert other.get(url).status == 404, url
    owner_client = signed_in(Role.ADVOCATE, owner)
    assert owner_client.get(base).status == 200


# --- The record: drafts, submissions, versions -------------------------------------------

VIEWS = {
    "methods": ["conversation", "three_houses"],
    "good_things": "My dog Biscuit",
    "worries": "Shouting at night",
    "wishes": "",
    "conference_should_know": "",
    "questions_for_chair": "",
    "scale": "7",
    "scale_reason": "Home is OK most days",
    "attendance_wish": "part",
    "attendance_how": "By video",
    "attend_with": "My advocate",
    "advocate_to_speak": "yes",
    "share_good_things": "family",
    "share_worries": "chair_only",
    "share_scale": "conference",
    "share_attendance": "conference",
    "safeguarding_note": "",
}
SUBMIT = {"submit": "Submit to the chair"}
DRAFT = {"save_draft": "Save as draft"}


@pytest.fixture
def assigned(signed_in):
    """(client, referral): an advocate signed in, with a child assigned to them."""
    advocate = make_staff(Role.ADVOCATE)
    chair = make_staff(Role.CHAIR, email="chair.x@council.example")
    conference = make_conference(
        chair=chair,
        starts_in=timedelta(days=6),
        social_worker_name="Sol Worker",
        social_worker_email="sol.worker@council.example",
    )
    child = add_child(conference, first_name="Zara", last_name="Quill")
    return signed_in(Role.ADVOCATE, advocate), refer(conference, child, advocate)


def test_get_of_the_views_page_creates_nothing(assigned) -> None:
    client, referral = assigned
    page = client.get(f"/advocacy/referrals/{referral.id}/views")
    assert page.status == 200
    assert db.session.scalar(select(func.count(AdvocateRecord.id))) == 0
    count = page.soup.find("textarea", attrs={"name": "good_things"}).find_parent(
        attrs={"data-module": "govuk-character-count"}
    )
    assert count["data-maxlength"] == "2000"


def test_a_draft_needs_only_lengths_then_submit_checks_everything(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/views"
    draft = client.submit(url, {"good_things": "Football", **DRAFT})
    assert draft.location == f"/advocacy/referrals/{referral.id}"
    record = referral.record
    assert record.status == RecordStatus.DRAFT
    assert record.version == 0

    too_long = client.submit(url, {"worries": "x" * 2001, **DRAFT})
    assert too_long.status == 400
    assert too_long.error_summary == ["Worries must be 2000 characters or fewer"]

    incomplete = client.submit(url, {"good_things": "Football", "scale": "3", **SUBMIT})
    assert incomplete.status == 400
    assert incomplete.title.startswith("Error:")
    assert set(incomplete.error_summary) == {
        "Select how the views were gathered",
        "Select who may see good things",
        "Select who may see scale of 0 to 10",
    }
    assert record.status == RecordStatus.DRAFT


def test_draft_submit_edit_submit_keeps_version_one_and_shows_version_two(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/views"
    client.submit(url, VIEWS | DRAFT)
    first = client.submit(url, VIEWS | SUBMIT)
    assert first.status == 302
    record = referral.record
    assert (record.status, record.version) == (RecordStatus.SUBMITTED, 1)
    assert client.get(first.location).banners[0] == "Submitted to the chair (version 1)."

    edited = client.submit(
        url, VIEWS | {"wishes": "To stay at my school", "share_wishes": "conference"}
    )
    assert edited.status == 302  # once submitted, a save is a new submission
    assert record.version == 2
    assert record.wishes == "To stay at my school"
    first_kept, second_kept = record.versions  # each submission, kept when it is made
    assert (first_kept.version, second_kept.version) == (1, 2)
    assert first_kept.content["wishes"] == ""
    assert first_kept.content["worries"]
    assert second_kept.content["wishes"] == "To stay at my school"

    page = client.get(f"/advocacy/referrals/{referral.id}")
    assert "Submitted, version 2" in page.text
    assert "To stay at my school" in page.text
    assert page.link("Version 1") == f"/advocacy/referrals/{referral.id}/versions/1"
    old = client.get(page.link("Version 1"))
    assert old.status == 200
    assert "Shouting at night" in old.text
    assert "To stay at my school" not in old.text
    assert client.get(f"/advocacy/referrals/{referral.id}/versions/2").status == 200
    assert client.get(f"/advocacy/referrals/{referral.id}/versions/3").status == 404
    assert client.get(f"/advocacy/referrals/{referral.id}/versions/0").status == 404


def test_the_record_cannot_change_once_the_conference_has_started(signed_in) -> None:
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(starts_in=timedelta(days=1))
    referral = refer(conference, add_child(conference), advocate)
    client = signed_in(Role.ADVOCATE, advocate)
    url = f"/advocacy/referrals/{referral.id}/views"
    token = client.get(url).csrf_token()
    conference.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()

    page = client.get(url)
    assert page.status == 200
    assert "can no longer be changed" in page.text
    assert not page.soup.find("textarea")
    refused = client.post(url, {"csrf_token": token, **VIEWS, **SUBMIT})
    assert refused.status == 409
    assert "can no longer be changed" in refused.text
    assert db.session.scalar(select(func.count(AdvocateRecord.id))) == 0
    assert "can no longer be changed" in client.get(f"/advocacy/referrals/{referral.id}").text


# --- Safeguarding ------------------------------------------------------------------------

CONCERN = {"safeguarding_concern": "y", "safeguarding_note": "Said an adult hit them"}


def _alerts() -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.kind == MessageKind.SAFEGUARDING_ALERT)
            .order_by(Message.to_address)
        )
    )


def test_a_new_concern_alerts_the_chair_team_and_social_worker_once_saying_nothing_personal(
    assigned, app
) -> None:
    """The advocate's concern raises a safety alert (portal/safety), as a family's answer does:
    the chair and the social worker are told as before, and the coordinators' team too."""
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/views"
    before = utcnow()
    saved = client.submit(url, VIEWS | CONCERN | DRAFT)
    assert saved.status == 302

    messages = _alerts()
    assert [m.to_address for m in messages] == [
        "chair.x@council.example",
        app.config["SAFEGUARDING_TEAM_EMAIL"],
        "sol.worker@council.example",
    ]
    for message in messages:
        assert message.channel == Channel.EMAIL
        assert message.family_member_id is None
        assert message.invitation_id is None
        assert message.conference_id == referral.conference_id
        assert message.status == MessageStatus.QUEUED
        assert before - timedelta(seconds=1) <= message.next_attempt_at <= utcnow()
        everything = " ".join([message.subject or "", message.body_text, message.body_html or ""])
        for personal in ["Zara", "Quill", referral.conference.case_reference, "Sol Worker", "hit"]:
            assert personal.lower() not in everything.lower(), personal
        assert message.subject.startswith("Heard: a new safety alert")
    to_chair, to_team, to_social_worker = messages
    # The chair and the team have accounts: sign in. The social worker has none: phone the team.
    for signs_in in (to_chair, to_team):
        assert "Sign in to Heard now" in signs_in.body_text
        assert app.config["PUBLIC_BASE_URL"] + "/safety-alerts/" in signs_in.body_text
    assert "sign in" not in to_social_worker.body_text.lower()
    assert app.config["PUBLIC_BASE_URL"] not in to_social_worker.body_text
    assert (
        f"Call the conference team now on {app.config['SERVICE_PHONE']}"
        in to_social_worker.body_text
    )
    alert = db.session.scalars(select(SafetyAlert)).one()
    assert (alert.source, alert.raised_by) == ("advocate_concern", "advocate")
    assert alert.advocate_record_id == referral.record.id
    deliveries = db.session.scalars(
        select(SafetyAlertDelivery).order_by(SafetyAlertDelivery.told)
    ).all()
    assert [(d.told, d.to_address) for d in deliveries] == [
        ("chair", "chair.x@council.example"),
        ("social_worker", "sol.worker@council.example"),
        ("team", app.config["SAFEGUARDING_TEAM_EMAIL"]),
    ]
    assert {d.message_id for d in deliveries} == {m.id for m in messages}
    record_page = client.get(saved.location)
    assert any(
        "Told the chair, the coordinators' team and the social worker" in b
        for b in record_page.banners
    )
    assert "sol.worker@council.example" in record_page.text

    again = client.submit(url, VIEWS | CONCERN | SUBMIT)  # still flagged: nobody is told twice
    assert again.status == 302
    assert len(_alerts()) == 3
    assert db.session.scalar(select(func.count(SafetyAlertDelivery.id))) == 3


def test_the_page_says_plainly_who_could_not_be_told(signed_in) -> None:
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=None)  # no chair yet, no social worker's email
    referral = refer(conference, add_child(conference), advocate)
    client = signed_in(Role.ADVOCATE, advocate)
    saved = client.submit(f"/advocacy/referrals/{referral.id}/views", VIEWS | CONCERN | DRAFT)
    # Only the coordinators' team could be told
    assert [m.to_address for m in _alerts()] == ["conference-team@northshire.example"]
    assert referral.record.safeguarding_concern_at is not None
    page = client.get(saved.location)
    assert "The chair could not be told automatically" in page.text
    assert "The social worker could not be told automatically" in page.text
    # An important banner after the h1, not an error summary that takes focus (issue 22)
    assert page.soup.select_one(".govuk-error-summary") is None
    banner = page.soup.select_one('[aria-labelledby="not-told-title"]')
    assert banner["role"] == "region"
    assert banner.find_previous("h1") is not None


def test_a_concern_needs_a_note(assigned) -> None:
    client, referral = assigned
    page = client.submit(
        f"/advocacy/referrals/{referral.id}/views", {"safeguarding_concern": "y", **DRAFT}
    )
    assert page.status == 400
    assert page.error_summary == ["Describe the safeguarding concern"]
    assert _alerts() == []


@pytest.fixture
def providers(fake_twilio, fake_smtp):
    return build_providers(
        {
            "SMS_PROVIDER": "twilio",
            "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900001",
            "TWILIO_API_BASE_URL": fake_twilio.base_url,
            "EMAIL_PROVIDER": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": fake_smtp.port,
            "EMAIL_FROM": "heard@council.example",
            "MESSAGING_TIMEOUT_SECONDS": 0.5,
        }
    )


def test_the_worker_sends_a_safeguarding_alert_by_real_smtp(
    assigned, app, providers, fake_smtp
) -> None:
    client, referral = assigned
    client.submit(f"/advocacy/referrals/{referral.id}/views", VIEWS | CONCERN | DRAFT)

    result = drain(app, providers, "test-worker")

    assert (result.sent, result.cancelled, result.failed) == (3, 0, 0)
    received = sorted(fake_smtp.messages, key=lambda pair: pair[1])
    assert [recipients for _, recipients in received] == [
        ["chair.x@council.example"],
        [app.config["SAFEGUARDING_TEAM_EMAIL"]],
        ["sol.worker@council.example"],
    ]
    email, _ = received[0]
    assert email["Subject"].startswith("Heard: a new safety alert")
    assert "Sign in to Heard now" in email.get_body(("plain",)).get_content()
    assert all(m.status == MessageStatus.SENT for m in _alerts())
    page = client.get(f"/advocacy/referrals/{referral.id}")
    assert "Sent (" in page.text


# --- Contact log, the chair's read marks, "You said, we did" -----------------------------


def test_add_contacts_seen_and_not_seen_and_a_future_date_is_refused(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/contacts/new"
    yesterday = date.today() - timedelta(days=1)
    seen = client.submit(
        url,
        {
            "contact_on": _date(yesterday),
            "seen": "yes",
            "place": "At school",
            "alone": "no",
            "with_whom": "Their teacher",
            "note": "Talked about home",
        },
    )
    assert seen.location == f"/advocacy/referrals/{referral.id}"
    not_seen = client.submit(
        url, {"contact_on": _date(date.today()), "seen": "no", "not_seen_reason": "declined"}
    )
    assert not_seen.status == 302
    entries = db.session.scalars(select(ContactLogEntry).order_by(ContactLogEntry.id)).all()
    assert [(e.seen, e.place, e.with_whom, e.not_seen_reason) for e in entries] == [
        (True, "At school", "Their teacher", None),
        (False, "", "", NotSeenReason.DECLINED),
    ]
    page = client.get(seen.location)
    assert "with Their teacher" in page.text
    assert "The child declined" in page.text

    future = client.submit(
        url, {"contact_on": _date(date.today() + timedelta(days=1)), "seen": "no"}
    )
    assert future.status == 400
    assert future.error_summary == [
        "Date must be today or in the past",
        "Select why you did not see the child",
    ]
    nothing = client.submit(url, {})
    assert nothing.error_summary == ["Enter the date", "Select yes if you saw the child"]


def test_the_record_shows_the_chairs_read_marks_and_you_said_we_did(assigned) -> None:
    client, referral = assigned
    conference = referral.conference
    record = add_advocate_record(referral)
    attachment = add_attachment(referral)
    read_at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    for item_type, item_id in [("advocate_record", record.id), ("attachment", attachment.id)]:
        db.session.add(
            PackItemRead(
                conference_id=conference.id,
                item_type=item_type,
                item_id=item_id,
                read_by_id=conference.chair_id,
                read_at=read_at,
            )
        )
    [link] = conference.children
    link.you_said_we_did = "You said you wanted to stay at your school. We agreed you will."
    link.you_said_we_did_at = read_at
    db.session.commit()

    page = client.get(f"/advocacy/referrals/{referral.id}")
    assert "Read by the chair on 2 March 2026" in page.text
    assert "Read on 2 March 2026" in page.text
    assert "We agreed you will." in page.text
    printable = client.get(page.link("Print-friendly version"))
    assert printable.h1 == "You said, we did"
    assert "We agreed you will." in printable.text
    home = client.get("/advocacy/")
    assert "Read 2 March 2026" in home.text
    viewed = db.session.scalars(
        select(AuditEvent.record_type).where(
            AuditEvent.action == AuditAction.VIEW, AuditEvent.conference_id == conference.id
        )
    ).all()
    assert {"child", "advocate_record"} <= set(viewed)


def test_a_read_mark_by_someone_other_than_the_chair_does_not_count(assigned) -> None:
    client, referral = assigned
    record = add_advocate_record(referral)
    someone = make_staff(Role.CHAIR)
    db.session.add(
        PackItemRead(
            conference_id=referral.conference_id,
            item_type="advocate_record",
            item_id=record.id,
            read_by_id=someone.id,
        )
    )
    db.session.commit()
    assert "Read by the chair" not in client.get(f"/advocacy/referrals/{referral.id}").text


# --- The conference form: the social worker ----------------------------------------------


def test_the_conference_form_takes_the_social_workers_name_and_checks_the_email(
    signed_in,
) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/edit"
    form = {
        "case_reference": conference.case_reference,
        "conference_type": "review",
        "date": _date(local_date(conference.starts_at)),
        "start_time": "10:00",
        "format": "virtual",
        "chair_id": "",
        "status": "scheduled",
        "social_worker_name": "Sol Worker",
    }
    bad = client.submit(url, form | {"social_worker_email": "not an email"})
    assert bad.status == 400
    assert bad.error_summary == [
        "Enter the social worker's email address in the correct format, like name@example.com"
    ]
    good = client.submit(url, form | {"social_worker_email": "Sol.Worker@Council.example"})
    assert good.status == 302
    assert conference.social_worker_name == "Sol Worker"
    assert conference.social_worker_email == "sol.worker@council.example"
    shown = client.get(url)
    assert shown.soup.select_one("#social_worker_email")["value"] == "sol.worker@council.example"
    assert db.session.scalar(select(func.count(AdvocateRecordVersion.id))) == 0


def test_staff_alerts_do_not_break_the_message_pages(assigned, signed_in, app, monkeypatch) -> None:
    client, referral = assigned
    client.submit(f"/advocacy/referrals/{referral.id}/views", VIEWS | CONCERN | DRAFT)
    failed = _alerts()[0]
    failed.status = MessageStatus.FAILED
    db.session.commit()
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    coordinator = signed_in(Role.COORDINATOR)
    assert coordinator.get("/messages/failed").status == 200
    assert coordinator.get("/dev/outbox").status == 200
    assert coordinator.get(f"/conferences/{referral.conference_id}/messages").status == 200


def test_the_conference_page_shows_the_social_worker(signed_in) -> None:
    conference = make_conference(
        social_worker_name="Sol <Worker>", social_worker_email="sol@council.example"
    )
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")
    assert "Sol <Worker> sol@council.example" in page.text  # escaped, not markup


# --- Review fixes: double submissions, the chair's concern, the caseload, the forms ------------


def test_a_submitted_record_saved_again_unchanged_makes_no_new_version(assigned, signed_in) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/views"
    client.submit(url, VIEWS | SUBMIT)
    record = referral.record
    submitted_at = record.submitted_at
    chair = referral.conference.chair
    db.session.add(
        PackItemRead(
            conference_id=referral.conference_id,
            item_type="advocate_record",
            item_id=record.id,
            read_by_id=chair.id,
            read_at=utcnow(),
        )
    )
    db.session.commit()

    again = client.submit(url, VIEWS | SUBMIT)  # a second press, or Save with nothing changed

    assert again.status == 302
    assert "version 1 is still the one the chair reads" in client.get(again.location).text
    assert (record.version, record.submitted_at) == (1, submitted_at)
    assert [v.version for v in record.versions] == [1]
    pack = signed_in(Role.CHAIR, chair).get(f"/conferences/{referral.conference_id}/pack")
    assert "Changed since you read it" not in pack.text


def test_each_submission_is_kept_with_its_own_submitter(assigned, signed_in) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/views"
    client.submit(url, VIEWS | SUBMIT)
    first_advocate = referral.advocate_id
    [v1] = referral.record.versions
    assert v1.submitted_by_id == first_advocate
    assert v1.submitted_at == referral.record.submitted_at

    other = make_staff(Role.ADVOCATE)
    referral.advocate_id = other.id  # reassigned: the new advocate submits version 2
    db.session.commit()
    new_client = signed_in(Role.ADVOCATE, other)
    new_client.submit(url, VIEWS | {"wishes": "A dog", "share_wishes": "conference"})
    v1, v2 = referral.record.versions
    assert (v1.submitted_by_id, v2.submitted_by_id) == (first_advocate, other.id)
    assert v2.content["wishes"] == "A dog"
    page = new_client.get(f"/advocacy/referrals/{referral.id}")
    versions = [a.get_text(strip=True) for a in page.soup.select("a[href*='/versions/']")]
    assert versions == ["Version 1"]  # the latest is the record itself, not an earlier one


def test_two_first_saves_at_once_keep_one_record_and_no_error(assigned, monkeypatch) -> None:
    from portal.advocacy import records

    client, referral = assigned
    real = records._save_views
    raced = []

    def the_other_tab_saves_first(racing_referral, data, **kwargs):
        if not raced:
            raced.append(True)
            assert racing_referral.record is None  # this request saw no record yet
            with db.engine.begin() as other:
                other.execute(
                    insert(AdvocateRecord.__table__).values(
                        referral_id=racing_referral.id,
                        status=RecordStatus.DRAFT,
                        version=0,
                        methods=[],
                        sharing={},
                        good_things="From the other tab",
                    )
                )
        return real(racing_referral, data, **kwargs)

    monkeypatch.setattr(records, "_save_views", the_other_tab_saves_first)
    saved = client.submit(f"/advocacy/referrals/{referral.id}/views", VIEWS | DRAFT)

    assert saved.status == 302
    [record] = db.session.scalars(select(AdvocateRecord)).all()
    assert record.good_things == "My dog Biscuit"  # saved again on the row the other one made


def test_referring_by_hand_while_the_automatic_referral_is_made_is_no_error(
    signed_in, monkeypatch
) -> None:
    from portal.advocacy import services

    conference = make_conference()
    child = add_child(conference)
    client = signed_in(Role.COORDINATOR)
    page = client.get(f"/conferences/{conference.id}")
    token = page.csrf_token()
    refer(conference, child)  # made automatically at the same moment
    monkeypatch.setattr(services, "referral_for", lambda conference_id, child_id: None)

    pressed = client.post(
        f"/conferences/{conference.id}/children/{child.id}/refer", {"csrf_token": token}
    )

    assert pressed.location == f"/conferences/{conference.id}"
    assert db.session.scalar(select(func.count(AdvocacyReferral.id))) == 1
    monkeypatch.undo()
    assert "already referred" in client.get(pressed.location).banners[-1]


def test_the_same_contact_posted_twice_is_kept_once(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/contacts/new"
    today = local_date(utcnow())
    token = client.get(url).csrf_token()
    contact = {
        "csrf_token": token,
        "contact_on": _date(today),
        "seen": "no",
        "not_seen_reason": "declined",
    }
    first = client.post(url, contact)
    second = client.post(url, contact)
    assert first.status == second.status == 302
    assert db.session.scalar(select(func.count(ContactLogEntry.id))) == 1
    assert "already saved" in client.get(second.location).banners[-1]
    other_day = client.post(url, contact | {"contact_on": _date(today - timedelta(days=1))})
    assert other_day.status == 302
    assert db.session.scalar(select(func.count(ContactLogEntry.id))) == 2


def test_a_contact_dated_today_in_london_is_not_in_the_future(assigned, monkeypatch) -> None:
    """Just after midnight in a British summer, the UTC date is still yesterday."""
    from portal.advocacy import forms

    client, referral = assigned
    just_after_midnight = datetime(2031, 7, 1, 0, 30, tzinfo=UTC) - timedelta(hours=1)
    monkeypatch.setattr(forms, "utcnow", lambda: just_after_midnight)
    page = client.submit(
        f"/advocacy/referrals/{referral.id}/contacts/new",
        {"contact_on": ["1", "7", "2031"], "seen": "no", "not_seen_reason": "declined"},
    )
    assert page.status == 302, page.error_summary
    tomorrow = client.submit(
        f"/advocacy/referrals/{referral.id}/contacts/new",
        {"contact_on": ["2", "7", "2031"], "seen": "no", "not_seen_reason": "declined"},
    )
    assert tomorrow.error_summary == ["Date must be today or in the past"]


def test_a_huge_advocate_number_is_a_clear_400(signed_in) -> None:
    manager = make_staff(Role.ADVOCATE, is_advocacy_manager=True)
    conference = make_conference(starts_in=timedelta(days=5))
    waiting = refer(conference, add_child(conference))
    client = signed_in(Role.ADVOCATE, manager)
    for huge in [str(10**30), "-1", "abc"]:
        page = client.submit(
            f"/advocacy/referrals/{waiting.id}/assign",
            {"advocate_id": huge},
            on="/advocacy/referrals",
        )
        assert page.status == 400, huge
        assert page.error_summary == ["Select an advocate from the list"]
    assert waiting.advocate_id is None


def test_the_views_page_shown_again_with_errors_is_audited_once(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/views"
    client.submit(url, VIEWS | DRAFT)
    record = referral.record

    def views_of_record() -> int:
        return db.session.scalar(
            select(func.count()).where(
                AuditEvent.action == AuditAction.VIEW,
                AuditEvent.record_type == "advocate_record",
                AuditEvent.record_id == record.id,
            )
        )

    token = client.get(url).csrf_token()
    before = views_of_record()
    refused = client.post(url, {"csrf_token": token, "worries": "x" * 2001, **DRAFT})
    assert refused.status == 400
    assert "My dog Biscuit" in refused.text  # the record's words are on the page again
    assert views_of_record() == before + 1

    referral.conference.starts_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    closed = client.post(url, {"csrf_token": token, **VIEWS, **DRAFT})
    assert closed.status == 409
    assert views_of_record() == before + 2


def test_the_caseload_puts_past_conferences_last_and_drops_old_ones(signed_in) -> None:
    advocate = make_staff(Role.ADVOCATE)
    for name, starts_in in [
        ("Soon", timedelta(days=2)),
        ("Last", timedelta(days=-3)),
        ("Later", timedelta(days=20)),
        ("Spring", timedelta(days=-80)),
        ("Ancient", timedelta(days=-100)),
    ]:
        conference = make_conference(starts_in=starts_in)
        refer(conference, add_child(conference, first_name=name), advocate)

    page = signed_in(Role.ADVOCATE, advocate).get("/advocacy/")

    upcoming, past = page.soup.select("table")

    def names(table) -> list[str]:
        return [th.get_text(" ", strip=True).split()[0] for th in table.select("tbody th")]

    assert names(upcoming) == ["Soon", "Later"]
    assert names(past) == ["Last", "Spring"]
    assert "Past conferences" in page.text
    assert "Ancient" not in page.text
