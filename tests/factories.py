"""Small builders for test data, committed so the app under test sees them."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask import current_app

from portal.advocacy.records import content_of
from portal.attachments import content_hmac
from portal.auth.passwords import hash_password
from portal.crypto import seal
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    AdvocateRecordVersion,
    Attachment,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceType,
    Drawing,
    FamilyMember,
    RecordedLanguage,
    RecordStatus,
    Relationship,
    Role,
    SharingLevel,
    StaffUser,
    Task,
    TaskKind,
)

PASSWORD = "a long test password"
_numbers = itertools.count(1)


def make_staff(role: Role, **fields: object) -> StaffUser:
    number = next(_numbers)
    values = {
        "email": f"{role.value}{number}@council.example",
        "full_name": f"{role.label} {number}",
        "role": role,
        "password_hash": hash_password(PASSWORD),
        **fields,
    }
    user = StaffUser(**values)
    db.session.add(user)
    db.session.commit()
    return user


def make_conference(
    chair: StaffUser | None = None, *, starts_in: timedelta = timedelta(days=10), **fields: object
) -> Conference:
    values = {
        "case_reference": f"CP-{next(_numbers):05d}",
        "conference_type": ConferenceType.REVIEW,
        "starts_at": datetime.now(UTC).replace(microsecond=0) + starts_in,
        "format": ConferenceFormat.IN_PERSON,
        "chair_id": chair.id if chair else None,
        **fields,
    }
    conference = Conference(**values)
    db.session.add(conference)
    db.session.commit()
    return conference


def add_child(conference: Conference, **fields: object) -> Child:
    values = {"first_name": "Sam", "last_name": "Tester", "date_of_birth": date(2015, 5, 1)}
    child = Child(**(values | fields))
    db.session.add(ConferenceChild(conference=conference, child=child))
    db.session.commit()
    return child


def _language_from_text(typed: str) -> dict[str, object]:
    """language="Polish" as tests wrote it before the choice: what migration 0023 makes of it
    (an interpreter for any language but English, as the tasks did)."""
    known = {language.label.casefold(): language for language in RecordedLanguage}
    code = known.get(typed.strip().casefold(), RecordedLanguage.OTHER)
    return {
        "language_code": code.value,
        "language": typed.strip() or "English",
        "interpreter_needed": typed.strip().casefold() not in {"", "english"},
    }


def add_family_member(conference: Conference, **fields: object) -> FamilyMember:
    values = {
        "first_name": "Jo",
        "last_name": "Tester",
        "relationship": Relationship.MOTHER,
        "mobile": "+447700900123",
        "preferred_channel": Channel.SMS,
    }
    if "language" in fields and "language_code" not in fields:
        fields = _language_from_text(str(fields["language"])) | fields
    member = FamilyMember(**(values | fields))
    db.session.add(ConferenceAdult(conference=conference, family_member=member))
    db.session.commit()
    return member


def add_contactable_member(conference: Conference, **fields: object) -> FamilyMember:
    """A family member whose contact route a coordinator has confirmed safe."""
    coordinator = make_staff(Role.COORDINATOR)
    return add_family_member(
        conference,
        contact_confirmed_safe_at=datetime.now(UTC),
        contact_confirmed_safe_by_id=coordinator.id,
        **fields,
    )


def refer(
    conference: Conference, child: Child, advocate: StaffUser | None = None
) -> AdvocacyReferral:
    """A referral of ``child`` for ``conference``, assigned to ``advocate`` when given."""
    referral = AdvocacyReferral(
        conference_id=conference.id,
        child_id=child.id,
        automatic=False,
        advocate_id=advocate.id if advocate else None,
        assigned_at=datetime.now(UTC) if advocate else None,
    )
    db.session.add(referral)
    db.session.commit()
    return referral


def add_advocate_record(referral: AdvocacyReferral, **fields: object) -> AdvocateRecord:
    values = {
        "status": RecordStatus.SUBMITTED,
        "version": 1,
        "submitted_at": datetime.now(UTC),
        "methods": ["conversation"],
        "good_things": "Playing football with my cousin",
        "worries": "When there is shouting at night",
        "wishes": "To stay at my school",
        "sharing": {},
    }
    record = AdvocateRecord(referral_id=referral.id, **(values | fields))
    if record.status == RecordStatus.SUBMITTED:  # each submission is kept as it is made
        record.versions = [
            AdvocateRecordVersion(
                version=version, content=content_of(record), submitted_at=record.submitted_at
            )
            for version in range(1, record.version + 1)
        ]
    db.session.add(record)
    db.session.commit()
    return record


# The smallest valid PNG: one transparent pixel.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def add_attachment(
    referral: AdvocacyReferral,
    *,
    content: bytes = TINY_PNG,
    content_type: str = "image/png",
    sharing: SharingLevel = SharingLevel.CONFERENCE,
) -> Attachment:
    """An attachment already cleaned: written straight into ATTACHMENT_DIR."""
    storage_name = secrets.token_hex(16)
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / storage_name).write_bytes(seal(content))
    attachment = Attachment(
        referral_id=referral.id,
        description="A drawing of my house",
        content_type=content_type,
        byte_size=len(content),
        content_hmac=content_hmac(content),
        storage_name=storage_name,
        sharing=sharing,
    )
    db.session.add(attachment)
    db.session.commit()
    return attachment


def add_drawing(response: object, question_id: str, *, content: bytes = TINY_PNG) -> Drawing:
    """A child's drawing already cleaned, on the response's answer to ``question_id`` (made if
    missing): written straight into ATTACHMENT_DIR, sealed."""
    from portal.models import Answer, FormResponse

    assert isinstance(response, FormResponse)
    answer = next((a for a in response.answers if a.question_id == question_id), None)
    if answer is None:
        answer = Answer(question_id=question_id, value={"text": ""})
        response.answers.append(answer)
    storage_name = secrets.token_hex(16)
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / storage_name).write_bytes(seal(content))
    answer.drawing = Drawing(
        byte_size=len(content), content_hmac=content_hmac(content), storage_name=storage_name
    )
    db.session.commit()
    return answer.drawing


def add_form_response(
    conference: Conference,
    member: FamilyMember,
    answers: dict[str, dict[str, object]],
    *,
    form: str = "views",
    submitted: bool = True,
) -> object:
    """A family member's answers as if given through their own link: the invitation (and its
    message) is issued, then the answers saved and, unless ``submitted`` is False, sent.
    ``member`` needs a contact confirmed safe (add_contactable_member)."""
    from portal.family_forms.services import questionnaire_for
    from portal.invitations.services import issue_invitation
    from portal.models import Answer, FormKind, FormResponse

    invitation = issue_invitation(conference, member, FormKind(form))
    questionnaire = questionnaire_for(invitation)
    now = datetime.now(UTC)
    response = FormResponse(
        invitation=invitation,
        questionnaire=questionnaire.id,
        submitted_at=now if submitted else None,
        answers=[Answer(question_id=key, value=value) for key, value in answers.items()],
    )
    invitation.started_at = now
    invitation.submitted_at = response.submitted_at
    db.session.add(response)
    db.session.commit()
    return response


def add_task(conference: Conference, member: FamilyMember, kind: str, **fields: object) -> Task:
    """A task as the sync would make it (portal/tasks/services.py), without the answers."""
    task = Task(
        kind=TaskKind(kind),
        conference_id=conference.id,
        family_member_id=member.id,
        due_at=conference.starts_at,
        **fields,
    )
    db.session.add(task)
    db.session.commit()
    return task


def add_entry_given_another_way(
    conference: Conference,
    member: FamilyMember,
    answers: dict[str, dict[str, object]],
    *,
    entered_by: StaffUser,
    form: str = "views",
    route: str = "phone",
) -> object:
    """A family member's answers given another way (by phone...), entered by ``entered_by``."""
    from portal.family_forms.on_behalf import enter
    from portal.models import EntryRoute, FormKind

    return enter(conference, member, FormKind(form), EntryRoute(route), answers, entered_by)
