"""Requests become tasks (issue 13, part 3): "speak to the chair" is a call on the chair's home;
an interpreter or other help, asked for or recorded, is on the coordinators' list. Made once
however often an answer is saved; a need taken back cancels its open task."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import (
    AuditEvent,
    ConferenceStatus,
    ContactMethod,
    FamilyMember,
    FormKind,
    Relationship,
    Role,
    Task,
    TaskKind,
    TaskState,
    utcnow,
)
from portal.tasks.services import follow_conference, sync_member
from tests.factories import add_contactable_member, add_task, make_conference, make_staff
from tests.pages import PageClient


def _family_answers(client: PageClient, conference, member) -> None:
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")


def _answer(client: PageClient, question_id: str, answer: dict) -> None:
    page = client.submit(f"/your-say/q/{question_id}", answer)
    assert page.status == 302, page.error_summary


def _tasks(kind: TaskKind | None = None) -> list[Task]:
    db.session.expire_all()
    query = select(Task).order_by(Task.id)
    if kind is not None:
        query = query.where(Task.kind == kind)
    return list(db.session.scalars(query))


def test_speak_to_the_chair_is_a_call_on_the_chairs_home_once(client, signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=3))
    member = add_contactable_member(
        conference, first_name="Dana", last_name="Pell", relationship=Relationship.FATHER
    )
    _family_answers(client, conference, member)

    _answer(client, "speak_to_chair", {"choice": "yes"})
    _answer(client, "speak_to_chair", {"choice": "yes"})  # saved again: still one

    [task] = _tasks()
    assert (task.kind, task.state, task.due_at) == (
        TaskKind.SPEAK_TO_CHAIR,
        TaskState.OPEN,
        conference.starts_at,
    )
    home = signed_in(Role.CHAIR, chair).get("/worklist/chair")
    assert "Dana Pell, father" in home.text
    assert "07700 900" in home.text  # how to reach them: the mobile the coordinator holds
    assert "Before" in home.text
    assert conference.case_reference in home.text
    assert "Record the call" in home.text
    # Another chair's home does not show it.
    assert "Dana Pell" not in signed_in(Role.CHAIR).get("/worklist/chair").text


def test_a_call_taken_back_is_cancelled_and_asked_again_reopened(client) -> None:
    conference = make_conference(chair=make_staff(Role.CHAIR))
    _family_answers(client, conference, add_contactable_member(conference))

    _answer(client, "speak_to_chair", {"choice": "yes"})
    _answer(client, "speak_to_chair", {"choice": "no"})
    assert [t.state for t in _tasks()] == [TaskState.CANCELLED]
    _answer(client, "speak_to_chair", {"choice": "yes"})
    assert [t.state for t in _tasks()] == [TaskState.OPEN]


def test_the_chair_records_the_call_and_it_leaves_their_home(client, signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=3))
    member = add_contactable_member(conference, first_name="Dana")
    _family_answers(client, conference, member)
    _answer(client, "speak_to_chair", {"choice": "yes"})
    [task] = _tasks()
    chair_client = signed_in(Role.CHAIR, chair)
    url = f"/conferences/{conference.id}/calls/{task.id}"

    missing = chair_client.submit(url, {"contacted": "yes"})
    assert missing.status == 400
    assert "Enter the date you spoke to them" in missing.text
    assert "Select how you spoke to them" in missing.text
    assert "Enter what came of it" in missing.text

    today = date.today()
    done = chair_client.submit(
        url,
        {
            "contacted": "yes",
            "contacted_on": [str(today.day), str(today.month), str(today.year)],
            "method": "phone",
            "outcome": "Talked through the plan; Pellworth will attend by video",
        },
    )
    assert done.location == "/worklist/chair"
    [task] = _tasks()
    assert task.state == TaskState.DONE
    assert task.contact_method == ContactMethod.PHONE
    assert task.done_by_id == chair.id
    assert task.done_at is not None
    assert task.contacted_at is not None
    assert task.contacted_at < conference.starts_at
    raw = db.session.execute(sa.text("SELECT outcome FROM task")).scalar_one()
    assert "Pellworth" not in raw  # sealed at rest
    assert "Pellworth" in task.outcome
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.record_type == "task", AuditEvent.actor_id == chair.id)
    )
    assert "Record the call" not in chair_client.get("/worklist/chair").text
    # Recorded once: a second post changes nothing.
    assert chair_client.post(url, {"contacted": "no", "outcome": "x"}).status in (400, 409)


def test_a_call_not_made_says_why(client, signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    _family_answers(client, conference, add_contactable_member(conference))
    _answer(client, "speak_to_chair", {"choice": "yes"})
    [task] = _tasks()
    url = f"/conferences/{conference.id}/calls/{task.id}"
    chair_client = signed_in(Role.CHAIR, chair)

    assert (
        "Enter why you could not speak to them"
        in chair_client.submit(url, {"contacted": "no"}).text
    )
    chair_client.submit(url, {"contacted": "no", "outcome": "No answer on three tries"})

    [task] = _tasks()
    assert (task.state, task.contacted_at, task.contact_method) == (TaskState.NOT_DONE, None, None)


def test_an_interpreter_asked_for_is_a_task_for_the_coordinators(client, signed_in) -> None:
    conference = make_conference(chair=make_staff(Role.CHAIR))
    member = add_contactable_member(conference, first_name="Ola", language="Polish")
    sync_member(member)  # as adding them on the page does (the factory goes round it)
    db.session.commit()
    _family_answers(client, conference, member)
    assert [(t.kind, t.detail) for t in _tasks()] == [(TaskKind.INTERPRETER, "Polish")]

    _answer(client, "help_needed", {"choices": ["interpreter", "large_print"], "text": "Polski"})
    _answer(client, "help_needed", {"choices": ["interpreter", "large_print"], "text": "Polski"})
    assert sorted((t.kind.value, t.state.value) for t in _tasks()) == [
        ("access", "open"),
        ("interpreter", "open"),
    ]
    coordinator = make_staff(Role.COORDINATOR)
    page = signed_in(Role.COORDINATOR, coordinator).get("/worklist/needs")
    assert "Arrange an interpreter for Polish" in page.text
    assert "Asked for: Large print papers" in page.text

    [interpreter] = _tasks(TaskKind.INTERPRETER)
    arranged = signed_in(Role.COORDINATOR, coordinator).submit(
        f"/conferences/{conference.id}/tasks/{interpreter.id}/arranged",
        {"note": "Booked through the language line"},
    )
    assert arranged.location == "/worklist/needs"
    [interpreter] = _tasks(TaskKind.INTERPRETER)
    assert interpreter.state == TaskState.DONE
    assert interpreter.done_by_id == coordinator.id
    assert interpreter.done_at is not None
    page = signed_in(Role.COORDINATOR, coordinator).get("/worklist/needs")
    assert "Arrange an interpreter for Polish" not in page.text

    # Help no longer needed: the open access task is cancelled; the arranged one stays done.
    _answer(client, "help_needed", {"choices": ["none"]})
    assert {t.kind: t.state for t in _tasks()} == {
        TaskKind.INTERPRETER: TaskState.DONE,  # Polish is still recorded on the person
        TaskKind.ACCESS: TaskState.CANCELLED,
    }


def test_the_coordinators_recorded_needs_make_and_cancel_tasks(signed_in) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    coordinator = signed_in(Role.COORDINATOR)
    edit = f"/conferences/{conference.id}/family/{member.id}/edit"
    fields = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "relationship": member.relationship.value,
        "mobile": member.mobile,
        "email": "",
        "preferred_channel": "sms",
        "language_code": "en",
        "access_needs": "",
    }

    saved = coordinator.submit(
        edit,
        fields
        | {"language_code": "ro", "interpreter_needed": "y", "access_needs": "Step-free access"},
    )
    assert saved.status == 302, saved.error_summary
    assert {t.kind: (t.detail, t.state) for t in _tasks()} == {
        TaskKind.INTERPRETER: ("Romanian", TaskState.OPEN),
        TaskKind.ACCESS: ("", TaskState.OPEN),
    }

    coordinator.submit(edit, fields | {"language_code": "en", "access_needs": ""})
    assert {t.kind: t.state for t in _tasks()} == {
        TaskKind.INTERPRETER: TaskState.CANCELLED,
        TaskKind.ACCESS: TaskState.CANCELLED,
    }


def test_an_arranged_interpreter_is_opened_again_for_another_language() -> None:
    conference = make_conference()
    member = add_contactable_member(conference, language="Polish")
    sync_member(member)
    db.session.commit()
    [task] = _tasks()
    task.state, task.done_at, task.done_by_id = (
        TaskState.DONE,
        task.created_at,
        make_staff(Role.COORDINATOR).id,
    )
    member = db.session.get(FamilyMember, member.id)
    member.language = "Romanian"
    sync_member(member)
    db.session.commit()
    [task] = _tasks()
    assert (task.state, task.detail, task.done_at) == (TaskState.OPEN, "Romanian", None)


def test_nothing_changes_once_the_conference_has_started() -> None:
    conference = make_conference(starts_in=timedelta(hours=-1))
    member = add_contactable_member(conference, language="Polish")
    sync_member(member)
    db.session.commit()
    assert _tasks() == []


def test_needs_show_on_the_conference_page_and_at_the_top_of_the_pack(client, signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    member = add_contactable_member(conference, first_name="Ola", language="Polish")
    _family_answers(client, conference, member)
    _answer(client, "speak_to_chair", {"choice": "yes"})
    _answer(client, "help_needed", {"choices": ["easy_read"]})

    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")
    assert "Calls and help to arrange" in page.text
    assert "asked to speak to the chair before the meeting" in page.text
    assert "Arrange an interpreter for Polish" in page.text
    assert "Asked for: Easy read papers" in page.text
    assert "Mark as arranged" in page.text
    assert "Record the call" not in page.text

    pack = signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}/pack")
    top = pack.text.split("What is missing")[0]
    assert "Arrange an interpreter for Polish" in top
    assert "Record the call" in top
    assert "Mark as arranged" not in top


def test_tasks_follow_their_conference_moved_or_cancelled() -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    done_by = make_staff(Role.COORDINATOR)
    open_task = add_task(conference, member, "speak_to_chair")
    done = add_task(
        conference, member, "access", state=TaskState.DONE, done_at=utcnow(), done_by_id=done_by.id
    )

    conference.starts_at += timedelta(days=2)
    follow_conference(conference)
    db.session.commit()
    assert db.session.get(Task, open_task.id).due_at == conference.starts_at

    conference.status = ConferenceStatus.CANCELLED
    follow_conference(conference)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Task, open_task.id).state == TaskState.CANCELLED
    assert db.session.get(Task, done.id).state == TaskState.DONE
