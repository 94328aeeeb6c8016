"""flask retention run: free text and attachments go RETENTION_DAYS days after the conference;
every count the reports make stays the same."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Addition,
    AdvocacySelfAssignment,
    AdvocateRecord,
    AdvocateRecordVersion,
    AlertRaiser,
    AlertSource,
    AlertState,
    Answer,
    Attachment,
    AuditAction,
    AuditEvent,
    Channel,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    ContactLogEntry,
    Drawing,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    ParticipationCode,
    Relationship,
    Role,
    SafetyAlert,
    Task,
    TaskState,
)
from portal.models.base import SERVICE_TIMEZONE
from portal.reports.activity import ActivityFilters, activity_report
from portal.reports.feedback import FeedbackFilters, feedback_report
from portal.reports.participation import participation_table
from portal.reports.quarters import financial_year_of
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_drawing,
    add_family_member,
    add_form_response,
    add_task,
    make_conference,
    make_staff,
    refer,
)

TODAY = datetime.now(SERVICE_TIMEZONE).date()
FEEDBACK = {
    "explained_before": {"choice": "yes"},
    "listened_to": {"choice": "partly"},
    "do_better": {"text": "Send the report to Bernadette sooner"},
}


@dataclass
class Case:
    conference_id: int
    member_id: int
    record_id: int
    attachment_path: Path


def held_days_ago(days: int) -> Conference:
    day = TODAY - timedelta(days=days)
    starts_at = datetime.combine(day, time(10), tzinfo=SERVICE_TIMEZONE).astimezone(UTC)
    conference = make_conference(starts_at=starts_at, status=ConferenceStatus.HELD)
    assert conference.conference_date == day
    return conference


def make_case(app: Flask, days: int) -> Case:
    """A conference held ``days`` ago with everything retention looks at."""
    conference = held_days_ago(days)
    child = add_child(conference, date_of_birth=date(TODAY.year - 11, 1, 1))
    link = db.session.get(ConferenceChild, (conference.id, child.id))
    link.participation_code = ParticipationCode.CP5
    link.you_said_we_did = "You said you wanted to stay at your school: you will."
    mother = FamilyMember(
        first_name="Bernadette",
        last_name="Quigley",
        relationship=Relationship.MOTHER,
        mobile="+447700900123",
        preferred_channel=Channel.SMS,
        access_needs="Needs a hearing loop",
    )
    db.session.add(ConferenceAdult(conference=conference, family_member=mother, invited=True))
    db.session.flush()
    invitation = Invitation(
        conference_id=conference.id,
        family_member_id=mother.id,
        form=FormKind.FEEDBACK,
        token_salt=secrets.token_hex(16),
        token_hash=secrets.token_hex(32),
        expires_at=conference.starts_at + timedelta(days=14),
        sent_at=conference.starts_at,
        started_at=conference.starts_at,
        submitted_at=conference.starts_at,
    )
    db.session.add(invitation)
    db.session.flush()
    db.session.add(
        Message(
            invitation_id=invitation.id,
            family_member_id=mother.id,
            conference_id=conference.id,
            kind=MessageKind.FEEDBACK_INVITATION,
            channel=Channel.SMS,
            to_address="+447700900123",
            body_text="Your link: {link}",
            status=MessageStatus.SENT,
        )
    )
    db.session.add(
        FormResponse(
            invitation_id=invitation.id,
            questionnaire="parent_feedback",
            started_at=conference.starts_at,
            submitted_at=conference.starts_at,
            answers=[Answer(question_id=key, value=value) for key, value in FEEDBACK.items()],
            additions=[Addition(text="And the letters came late")],
        )
    )
    db.session.commit()
    referral = refer(conference, child)
    record = add_advocate_record(
        referral, version=2, scale=7, scale_reason="Mostly happy", safeguarding_note="None"
    )
    db.session.add(
        ContactLogEntry(
            referral_id=referral.id,
            contact_on=conference.conference_date - timedelta(days=3),
            seen=True,
            place="At school",
            with_whom="Her teacher",
            note="Talked about football",
        )
    )
    db.session.commit()
    attachment = add_attachment(referral)
    path = Path(app.config["ATTACHMENT_DIR"]) / attachment.storage_name
    assert path.is_file()
    return Case(conference.id, mother.id, record.id, path)


def reports(year: int) -> tuple[object, ...]:
    """What the reports count for ``year``: the feedback report's comments aside (they are the
    free text), every figure."""
    feedback = feedback_report(FeedbackFilters(year))
    return (
        participation_table(year, min_child_age=4).rows,
        replace(feedback, comments=[]),
        activity_report(ActivityFilters(year)),
        db.session.scalar(select(func.count()).select_from(ContactLogEntry)),
        db.session.scalar(select(func.count()).select_from(AdvocateRecordVersion)),
    )


def texts_of(case: Case) -> dict[str, object]:
    db.session.expire_all()
    answers = db.session.scalars(
        select(Answer)
        .join(FormResponse, FormResponse.id == Answer.response_id)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(Invitation.conference_id == case.conference_id)
        .order_by(Answer.question_id)
    ).all()
    record = db.session.get(AdvocateRecord, case.record_id)
    contact = db.session.scalars(
        select(ContactLogEntry).where(ContactLogEntry.referral_id == record.referral_id)
    ).one()
    link = db.session.scalars(
        select(ConferenceChild).where(ConferenceChild.conference_id == case.conference_id)
    ).one()
    return {
        "answers": {a.question_id: a.value for a in answers},
        "additions": db.session.scalar(
            select(func.count())
            .select_from(Addition)
            .join(FormResponse, FormResponse.id == Addition.response_id)
            .join(Invitation, Invitation.id == FormResponse.invitation_id)
            .where(Invitation.conference_id == case.conference_id)
        ),
        "record": (record.good_things, record.worries, record.scale_reason, record.scale),
        "versions": [
            (v.content["good_things"], v.content["scale_reason"], v.content["scale"])
            for v in record.versions
        ],
        "contact": (contact.seen, contact.place, contact.with_whom, contact.note),
        "attachments": db.session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(Attachment.referral_id == record.referral_id)
        ),
        "file": case.attachment_path.is_file(),
        "you_said_we_did": link.you_said_we_did,
        "code": link.participation_code,
        "access_needs": db.session.get(FamilyMember, case.member_id).access_needs,
    }


def run(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def deletion_events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.DELETE)
            .order_by(AuditEvent.id)
        )
    )


def test_run_removes_free_text_and_files_and_keeps_counts(app: Flask) -> None:
    old = make_case(app, 91)
    recent = make_case(app, 89)
    recent_before = texts_of(recent)
    years = {financial_year_of(TODAY - timedelta(days=d)) for d in (91, 89)}
    before = {year: reports(year) for year in years}
    comments = [c.text for y in years for c in feedback_report(FeedbackFilters(y)).comments]
    assert len(comments) == 4  # the answer and the addition, at each conference

    output = run(app)

    assert "cleaned: 1" in output
    for line in ("answers: 1", "additions: 1", "advocate records: 1", "contacts: 1"):
        assert line in output
    assert "advocate record versions: 2" in output
    assert "attachments (files): 1" in output
    after = texts_of(old)
    assert after == {
        "answers": {
            "do_better": {},
            "explained_before": {"choice": "yes"},
            "listened_to": {"choice": "partly"},
        },
        "additions": 0,
        "record": ("", "", "", 7),
        "versions": [("", "", 7), ("", "", 7)],
        "contact": (True, "", "", ""),
        "attachments": 0,
        "file": False,
        "you_said_we_did": "",
        "code": ParticipationCode.CP5,
        "access_needs": "",
    }
    assert texts_of(recent) == recent_before
    assert recent_before["file"]
    assert recent_before["access_needs"] == "Needs a hearing loop"
    assert {year: reports(year) for year in years} == before
    comments = [c.text for y in years for c in feedback_report(FeedbackFilters(y)).comments]
    assert len(comments) == 2  # the recent conference's only

    (event,) = deletion_events()
    assert (event.record_type, event.record_id, event.conference_id) == (
        "conference",
        old.conference_id,
        old.conference_id,
    )
    assert event.fields == (
        "access_needs,additions,advocate_record_text,advocate_record_version_text,"
        "answer_text,attachments,contact_text,you_said_we_did"
    )
    assert event.actor_id is None


def test_dry_run_changes_nothing(app: Flask) -> None:
    old = make_case(app, 91)
    before = texts_of(old)

    output = run(app, "--dry-run")

    assert "would be cleaned (--dry-run, nothing changed): 1" in output
    assert "answers: 1" in output
    assert "attachments (files): 1" in output
    assert texts_of(old) == before
    assert deletion_events() == []


def test_second_run_removes_nothing(app: Flask) -> None:
    make_case(app, 91)
    run(app)

    output = run(app)

    assert "cleaned: 0" in output
    counts = [line.rsplit(":", 1)[1].strip() for line in output.strip().splitlines()[1:]]
    assert len(counts) == 13
    assert set(counts) == {"0"}
    assert len(deletion_events()) == 1


def test_access_needs_kept_while_another_conference_is_within_the_limit(app: Flask) -> None:
    old = make_case(app, 91)
    upcoming = make_conference()
    db.session.add(ConferenceAdult(conference_id=upcoming.id, family_member_id=old.member_id))
    db.session.commit()

    run(app)

    after = texts_of(old)
    assert after["access_needs"] == "Needs a hearing loop"
    assert after["answers"]["do_better"] == {}


@pytest.mark.parametrize(("days", "cleaned"), [(100, set()), (30, {91, 89})])
def test_the_setting_is_respected(
    app: Flask, monkeypatch: pytest.MonkeyPatch, days: int, cleaned: set[int]
) -> None:
    cases = {ago: make_case(app, ago) for ago in (91, 89)}
    monkeypatch.setitem(app.config, "RETENTION_DAYS", days)

    run(app)

    assert {ago for ago, case in cases.items() if not texts_of(case)["file"]} == cleaned
    assert {event.conference_id for event in deletion_events()} == {
        cases[ago].conference_id for ago in cleaned
    }


def test_the_worker_runs_retention_once_a_day_from_its_hour(app: Flask, monkeypatch) -> None:
    from portal.worker import run_retention_if_due

    make_case(app, 91)
    monkeypatch.setitem(app.config, "RETENTION_HOUR", 2)
    today = datetime.now(SERVICE_TIMEZONE).date()

    def london(hour: int, minute: int) -> datetime:
        return datetime.combine(today, time(hour, minute), SERVICE_TIMEZONE)

    assert run_retention_if_due(london(1, 59), None) is None
    assert deletion_events() == []
    assert run_retention_if_due(london(2, 0), None) == today
    assert len(deletion_events()) == 1
    make_case(app, 92)  # written after today's run: left for tomorrow's
    assert run_retention_if_due(london(23, 0), today) == today
    assert len(deletion_events()) == 1

    monkeypatch.setitem(app.config, "RETENTION_HOUR", None)  # "off": cron does it
    assert run_retention_if_due(london(23, 0), None) is None
    assert len(deletion_events()) == 1


def _self_assignment(referral_id: int, manager_id: int, reason: str, days_ago: int) -> int:
    """A manager's reason for assigning themselves, given ``days_ago`` (as assignment.assign
    keeps it: beside its own audit event)."""
    event = AuditEvent(
        actor_id=manager_id,
        action=AuditAction.SELF_ASSIGN,
        record_type="advocacy_referral",
        record_id=referral_id,
        fields="advocate_id,reason",
    )
    kept = AdvocacySelfAssignment(
        referral_id=referral_id,
        manager_id=manager_id,
        reason=reason,
        assigned_at=datetime.now(UTC) - timedelta(days=days_ago),
        audit_event=event,
    )
    db.session.add(kept)
    db.session.commit()
    return kept.id


def test_a_self_assignment_reason_goes_retention_days_after_it_was_given(app: Flask) -> None:
    """Counted from when it was given, not from the conference: a long-past child given to a
    manager is exactly what an admin reads the reason for. The row and its event stay."""
    conference = held_days_ago(300)
    referral = refer(conference, add_child(conference))
    manager = make_staff(Role.ADVOCATE, is_advocacy_manager=True)
    # 92 days, not 91: the cutoff is midnight in London, which an hour late in the UTC day a
    # 91-day-old moment in summer time has not yet passed
    old = _self_assignment(referral.id, manager.id, "Covering in the spring", days_ago=92)
    recent = _self_assignment(referral.id, manager.id, "Covering again", days_ago=89)

    assert "reasons for assigning oneself late: 1" in run(app, "--dry-run")
    assert db.session.get(AdvocacySelfAssignment, old).reason == "Covering in the spring"
    output = run(app)

    assert "reasons for assigning oneself late: 1" in output
    db.session.expire_all()
    assert db.session.get(AdvocacySelfAssignment, old).reason == ""
    assert db.session.get(AdvocacySelfAssignment, recent).reason == "Covering again"
    (event,) = deletion_events()
    assert (event.conference_id, event.fields) == (conference.id, "self_assignment_reasons")
    assert "reasons for assigning oneself late: 0" in run(app)


def test_the_notes_of_calls_and_help_arranged_go_and_the_tasks_stay(app: Flask) -> None:
    """Issue 13: what a chair wrote of a call (or a coordinator of help arranged) is about the
    family: it goes with the conference's words; the task stays, for the activity report."""
    chair = make_staff(Role.CHAIR)
    old, recent = held_days_ago(100), held_days_ago(10)
    old_task, recent_task = (
        add_task(
            conference,
            add_family_member(conference),
            "speak_to_chair",
            state=TaskState.DONE,
            done_at=conference.starts_at,
            done_by_id=chair.id,
            contacted_at=conference.starts_at,
            outcome="Talked through the plan",
        )
        for conference in (old, recent)
    )

    output = run(app)

    assert "notes of calls and help arranged: 1" in output
    db.session.expire_all()
    assert db.session.get(Task, old_task.id).outcome == ""
    assert db.session.get(Task, old_task.id).state == TaskState.DONE
    assert db.session.get(Task, recent_task.id).outcome == "Talked through the plan"
    (event,) = deletion_events()
    assert (event.conference_id, event.fields) == (old.id, "task_outcomes")
    assert "notes of calls and help arranged: 0" in run(app)


def _closed_alert(conference: Conference, member: FamilyMember, staff_id: int) -> int:
    """An alert raised from the member's answer, acknowledged and closed, with what was done."""
    alert = SafetyAlert(
        conference_id=conference.id,
        source=AlertSource.DANGER_ANSWER,
        raised_by=AlertRaiser.FAMILY_MEMBER,
        family_member_id=member.id,
        raised_at=conference.starts_at,
        state=AlertState.CLOSED,
        acknowledged_at=conference.starts_at + timedelta(minutes=5),
        acknowledged_by_id=staff_id,
        action_taken="Rang the police about her partner",
        closed_at=conference.starts_at + timedelta(hours=2),
        closed_by_id=staff_id,
        outcome="Partner arrested; she is with her sister",
    )
    db.session.add(alert)
    db.session.commit()
    return alert.id


def test_what_was_done_about_a_safety_alert_goes_and_the_alert_stays(app: Flask) -> None:
    """The staff's words about an alert are about the family: they go with the conference's
    words. The alert, its source, state, times and who acted stay, for the counts."""
    coordinator = make_staff(Role.COORDINATOR)
    old, recent = held_days_ago(100), held_days_ago(10)
    old_alert, recent_alert = (
        _closed_alert(conference, add_family_member(conference), coordinator.id)
        for conference in (old, recent)
    )
    # An open alert (nothing written yet) is not counted
    untouched = SafetyAlert(
        conference_id=old.id,
        source=AlertSource.TEXT_REPLY,
        raised_by=AlertRaiser.FAMILY_MEMBER,
        raised_at=old.starts_at,
    )
    db.session.add(untouched)
    db.session.commit()
    shape_before = _alert_shape(old_alert)

    assert "what was done about safety alerts, and their outcomes: 1" in run(app, "--dry-run")
    db.session.expire_all()
    assert db.session.get(SafetyAlert, old_alert).outcome.startswith("Partner arrested")
    output = run(app)

    assert "what was done about safety alerts, and their outcomes: 1" in output
    db.session.expire_all()
    cleaned = db.session.get(SafetyAlert, old_alert)
    assert (cleaned.action_taken, cleaned.outcome) == ("", "")
    assert _alert_shape(old_alert) == shape_before
    kept = db.session.get(SafetyAlert, recent_alert)
    assert kept.action_taken == "Rang the police about her partner"
    assert kept.outcome == "Partner arrested; she is with her sister"
    assert db.session.scalar(select(func.count()).select_from(SafetyAlert)) == 3
    (event,) = deletion_events()
    assert (event.conference_id, event.fields) == (old.id, "safety_alert_notes")
    assert "what was done about safety alerts, and their outcomes: 0" in run(app)


def _alert_shape(alert_id: int) -> tuple[object, ...]:
    db.session.expire_all()
    alert = db.session.get(SafetyAlert, alert_id)
    return (
        alert.conference_id,
        alert.source,
        alert.raised_by,
        alert.family_member_id,
        alert.raised_at,
        alert.state,
        alert.acknowledged_at,
        alert.acknowledged_by_id,
        alert.closed_at,
        alert.closed_by_id,
    )


def test_a_childs_drawings_go_with_the_words_of_their_answers(app: Flask) -> None:
    """Issue 20: the Three Houses' drawings, row and sealed file, of the old conference only."""
    folder = Path(app.config["ATTACHMENT_DIR"])
    kept_files = {}
    for days in (91, 89):
        conference = make_conference()
        child = add_child(conference, date_of_birth=date(TODAY.year - 7, 1, 1))
        member = add_contactable_member(
            conference, first_name="Ivy", relationship=Relationship.YOUNG_PERSON, child_id=child.id
        )
        response = add_form_response(conference, member, {"wishes": {"text": "A dog"}})
        kept_files[days] = add_drawing(response, "wishes").storage_name
        day = TODAY - timedelta(days=days)
        conference.starts_at = datetime.combine(day, time(10), tzinfo=SERVICE_TIMEZONE)
        conference.status = ConferenceStatus.HELD
        db.session.commit()

    output = run(app)

    assert "children's drawings (files): 1" in output
    assert [d.storage_name for d in db.session.scalars(select(Drawing))] == [kept_files[89]]
    assert not (folder / kept_files[91]).exists()
    assert (folder / kept_files[89]).exists()
    (event,) = deletion_events()
    assert event.fields == "answer_text,drawings"
