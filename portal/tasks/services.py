"""Keeping tasks in step with what families ask for, and recording them done.

What makes a task (``needs_of``):

- the parent's answer "Would you like to speak to the chair before the meeting?" is Yes: a call
  for the conference's chair;
- an interpreter: asked for in a family form ("Someone to translate for me", "Someone to
  sign for me in British Sign Language"), or "needs an interpreter" recorded on the family
  member (named by the language recorded; a language recorded without it makes no task: the
  person reads and speaks English well enough, which the coordinator said by leaving it
  unticked);
- help to take part: any other help asked for in a family form ("No help needed" aside), or
  access needs recorded on the family member.

``sync_tasks`` is called wherever these change (an answer saved, a family member added or
edited). It is idempotent: one task per kind, person and conference; a need taken back while
its task is open cancels the task, and asked for again reopens it. A task done stays done, but
an interpreter arranged for one language is opened again when another language is recorded.
Nothing changes once the conference has started or if it is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    Answer,
    AuditAction,
    Conference,
    ConferenceAdult,
    ConferenceStatus,
    ContactMethod,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    RecordedLanguage,
    RecordType,
    StaffUser,
    Task,
    TaskKind,
    TaskState,
    utcnow,
)

SPEAK_TO_CHAIR = "speak_to_chair"
HELP_NEEDED = "help_needed"
# The family form questions whose answers make tasks: saving one of them syncs the tasks.
TASK_QUESTIONS = frozenset({SPEAK_TO_CHAIR, HELP_NEEDED})
INTERPRETER_CHOICES = frozenset({"interpreter", "bsl"})
NO_HELP = "none"
BSL = "British Sign Language"


@dataclass(frozen=True)
class AskedFor:
    """What the person said in their views form about the help they need."""

    speak_to_chair: bool = False
    help: frozenset[str] = frozenset()
    help_text: str = ""


def _answers(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], AskedFor]:
    """The task questions' answers of each (conference, family member), from their views links
    (the newest saved answer wins when a link was replaced): one query."""
    if not pairs:
        return {}
    conference_ids = {conference_id for conference_id, _ in pairs}
    rows = db.session.execute(
        select(
            Invitation.conference_id, Invitation.family_member_id, Answer.question_id, Answer.value
        )
        .join(FormResponse, FormResponse.invitation_id == Invitation.id)
        .join(Answer, Answer.response_id == FormResponse.id)
        .where(
            Invitation.conference_id.in_(conference_ids),
            Invitation.form == FormKind.VIEWS,
            Answer.question_id.in_(TASK_QUESTIONS),
        )
        .order_by(Answer.saved_at, Answer.id)
    ).all()
    found: dict[tuple[int, int], dict[str, dict[str, Any]]] = {}
    for conference_id, member_id, question_id, value in rows:
        if (conference_id, member_id) in pairs:
            found.setdefault((conference_id, member_id), {})[question_id] = value
    return {
        pair: AskedFor(
            speak_to_chair=answers.get(SPEAK_TO_CHAIR, {}).get("choice") == "yes",
            help=frozenset(answers.get(HELP_NEEDED, {}).get("choices") or ()) - {NO_HELP},
            help_text=answers.get(HELP_NEEDED, {}).get("text") or "",
        )
        for pair, answers in found.items()
    }


def asked_for(conference_id: int, member_id: int) -> AskedFor:
    return _answers({(conference_id, member_id)}).get((conference_id, member_id), AskedFor())


def recorded_language(member: FamilyMember) -> str:
    """The language recorded on the person, if an interpreter is needed for it."""
    if not member.interpreter_needed or member.language_code == RecordedLanguage.ENGLISH:
        return ""
    return (member.language or "").strip()


def needs_of(member: FamilyMember, asked: AskedFor) -> dict[TaskKind, str]:
    """The tasks this person's answers and record call for, each with its detail."""
    wanted: dict[TaskKind, str] = {}
    if asked.speak_to_chair:
        wanted[TaskKind.SPEAK_TO_CHAIR] = ""
    language = recorded_language(member)
    if member.interpreter_needed or asked.help & INTERPRETER_CHOICES:
        wanted[TaskKind.INTERPRETER] = language or (BSL if "bsl" in asked.help else "")
    if asked.help - INTERPRETER_CHOICES or (member.access_needs or "").strip():
        wanted[TaskKind.ACCESS] = ""
    return wanted


def sync_tasks(conference: Conference, member: FamilyMember, now: datetime | None = None) -> None:
    """Bring this person's tasks for this conference in step with their needs. The caller
    commits (with the answer or the change that called it)."""
    if conference.status != ConferenceStatus.SCHEDULED or conference.has_started(now):
        return
    db.session.flush()  # the answer or change that called us is part of what is read
    wanted = needs_of(member, asked_for(conference.id, member.id))
    existing = {
        task.kind: task
        for task in db.session.scalars(
            select(Task).where(
                Task.conference_id == conference.id, Task.family_member_id == member.id
            )
        )
    }
    for kind, task in existing.items():
        if kind not in wanted:
            if task.state == TaskState.OPEN:
                task.state = TaskState.CANCELLED
            continue
        task.due_at = conference.starts_at
        detail = wanted[kind]
        if task.state == TaskState.CANCELLED or (
            task.state == TaskState.DONE and detail and detail != task.detail
        ):
            _reopen(task)
        if task.state == TaskState.OPEN:
            task.detail = detail
    for kind, detail in wanted.items():
        if kind not in existing:
            db.session.add(
                Task(
                    kind=kind,
                    conference_id=conference.id,
                    family_member_id=member.id,
                    detail=detail,
                    due_at=conference.starts_at,
                )
            )


def _reopen(task: Task) -> None:
    task.state = TaskState.OPEN
    task.done_at = task.done_by_id = task.contacted_at = task.contact_method = None
    task.outcome = ""


def sync_member(member: FamilyMember, now: datetime | None = None) -> None:
    """The person's record changed: their tasks at every conference still to come. The caller
    commits."""
    conferences = db.session.scalars(
        select(Conference)
        .join(ConferenceAdult, ConferenceAdult.conference_id == Conference.id)
        .where(
            ConferenceAdult.family_member_id == member.id,
            Conference.status == ConferenceStatus.SCHEDULED,
            Conference.starts_at > (now or utcnow()),
        )
    ).all()
    for conference in conferences:
        sync_tasks(conference, member, now)


class TaskRefused(Exception):
    """The task is not open (done already, or no longer needed)."""


def task_of(conference: Conference, task_id: int, kinds: tuple[TaskKind, ...]) -> Task | None:
    """The task, if it belongs to this conference and is of one of these kinds."""
    task = db.session.get(Task, task_id)
    if task is None or task.conference_id != conference.id or task.kind not in kinds:
        return None
    return task


def record_contact(
    task: Task,
    by: StaffUser,
    *,
    contacted: bool,
    contacted_at: datetime | None,
    method: ContactMethod | None,
    outcome: str,
) -> None:
    """The chair says they spoke to the person (when, how, what came of it), or why not."""
    if task.state != TaskState.OPEN:
        raise TaskRefused
    task.state = TaskState.DONE if contacted else TaskState.NOT_DONE
    task.contacted_at = contacted_at if contacted else None
    task.contact_method = method if contacted else None
    task.outcome = outcome
    _finish(task, by, ["state", "contacted_at", "contact_method", "outcome"])


def mark_arranged(task: Task, by: StaffUser, note: str) -> None:
    """A coordinator arranged the interpreter or the help: who and when are kept."""
    if task.state != TaskState.OPEN:
        raise TaskRefused
    task.state = TaskState.DONE
    task.outcome = note
    _finish(task, by, ["state", "outcome"])


def _finish(task: Task, by: StaffUser, fields: list[str]) -> None:
    task.done_at, task.done_by_id = utcnow(), by.id
    record_event(
        AuditAction.UPDATE,
        RecordType.TASK,
        task.id,
        conference_id=task.conference_id,
        fields=[*fields, "done_at", "done_by_id"],
        actor=by,
    )
    db.session.commit()


@dataclass(frozen=True)
class TaskView:
    """A task with what the person asked for, for the pages that list tasks."""

    task: Task
    asked: AskedFor = field(default_factory=AskedFor)

    @property
    def member(self) -> FamilyMember:
        return self.task.family_member

    @property
    def conference(self) -> Conference:
        return self.task.conference


def with_answers(tasks: list[Task]) -> list[TaskView]:
    """The tasks with their people's answers, read in one query."""
    asked = _answers({(task.conference_id, task.family_member_id) for task in tasks})
    return [
        TaskView(task, asked.get((task.conference_id, task.family_member_id), AskedFor()))
        for task in tasks
    ]


def conference_tasks(conference: Conference) -> list[TaskView]:
    """Every task for one conference but those no longer needed: open first, by kind."""
    tasks = db.session.scalars(
        select(Task)
        .where(Task.conference_id == conference.id, Task.state != TaskState.CANCELLED)
        .order_by(Task.state != TaskState.OPEN, Task.kind, Task.family_member_id)
    ).all()
    return with_answers(list(tasks))


def outcomes_at(conference_ids: Select[int]) -> Select[int, int]:
    """(task id, conference id) of the tasks of these conferences with an outcome written: for
    retention, which removes the words and keeps the task (the reports count it)."""
    return select(Task.id, Task.conference_id).where(
        Task.conference_id.in_(conference_ids), Task.outcome != ""
    )


def clear_outcomes(conference_ids: Select[int]) -> None:
    """Retention: the outcomes of these conferences' tasks go; the caller commits."""
    db.session.execute(
        update(Task)
        .where(Task.conference_id.in_(conference_ids), Task.outcome != "")
        .values(outcome="")
        .execution_options(synchronize_session=False)
    )


def follow_conference(conference: Conference) -> None:
    """Tasks follow their conference: a cancelled one's open tasks are no longer needed; a moved
    one's are due by its new start. The caller commits."""
    open_tasks = update(Task).where(
        Task.conference_id == conference.id, Task.state == TaskState.OPEN
    )
    if conference.status == ConferenceStatus.CANCELLED:
        db.session.execute(open_tasks.values(state=TaskState.CANCELLED))
    else:
        db.session.execute(open_tasks.values(due_at=conference.starts_at))
