"""Subject access: gathering everything held about a family member.

What is gathered is the person's own: their details, their place at each conference, the links
and messages sent to them, what they gave another way (entered by staff: never shown as a
link), their own answers, the safety alerts raised from them (``alerts``), the texts they sent
(``replies``), and who at the council opened or changed their record. Other family members'
answers, children's and advocates' records (a child makes their own request) and the chair's
notes are never read here. Labels are resolved as plain strings, so the result is plain data the
template only lays out.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.contact import display_mobile
from portal.extensions import db
from portal.family_forms.questions import QUESTIONNAIRES
from portal.models import (
    AdultAttendance,
    Answer,
    AttendanceMode,
    AuditAction,
    AuditEvent,
    Channel,
    Conference,
    ConferenceAdult,
    EntryRoute,
    FamilyMember,
    FormResponse,
    Invitation,
    Message,
    NotInvitedReason,
    RecordedLanguage,
    RecordType,
    ViewsRoute,
    utcnow,
)
from portal.subject_access.alerts import collect_alerts
from portal.subject_access.held import (
    AdditionEntry,
    AnswerEntry,
    ConferenceEntry,
    FormEntry,
    GivenAnotherWay,
    HistoryEntry,
    LinkEntry,
    MessageEntry,
    PersonRecord,
    SubjectAccessExport,
)
from portal.subject_access.replies import collect_text_replies

# The record's fields as the person would name them, for "Changed your record (…)"
FIELD_WORDS = {
    "first_name": _l("first name"),
    "last_name": _l("last name"),
    "relationship": _l("relationship"),
    "mobile": _l("mobile number"),
    "email": _l("email address"),
    "preferred_channel": _l("how you are contacted"),
    "language": _l("language"),
    "language_code": _l("language"),
    "interpreter_needed": _l("whether you need an interpreter"),
    "access_needs": _l("help you need"),
    "second_check": _l("second check when opening a link"),
    "agreed_word": _l("the word agreed with you (never shown)"),
    "contact_confirmed_safe_at": _l("contact details checked as safe"),
    "invitations_paused": _l("messages paused"),
    "sms_opted_out_at": _l("text messages stopped"),
}


def _yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return _("Not recorded")
    return _("Yes") if value else _("No")


def adult_invited(adult: ConferenceAdult) -> str:
    if adult.invited is None:
        return _("Not recorded")
    if adult.invited:
        return _("Yes")
    reason = NotInvitedReason(adult.not_invited_reason).label if adult.not_invited_reason else ""
    return _("No: %(reason)s", reason=reason) if reason else _("No")


def adult_attendance(adult: ConferenceAdult) -> str:
    if adult.attendance is None:
        return _("Not recorded")
    words = AdultAttendance(adult.attendance).label
    if adult.attendance_mode:
        words = f"{words} ({AttendanceMode(adult.attendance_mode).label})"
    return words


def adult_views_heard(adult: ConferenceAdult) -> str:
    heard = _yes_no_unknown(adult.views_heard)
    routes = [ViewsRoute(route).label for route in adult.views_routes or [] if route]
    return f"{heard}: {', '.join(routes)}" if routes else heard


def _conferences(member: FamilyMember) -> list[ConferenceEntry]:
    adults = db.session.scalars(
        select(ConferenceAdult)
        .join(Conference, Conference.id == ConferenceAdult.conference_id)
        .where(ConferenceAdult.family_member_id == member.id)
        .options(joinedload(ConferenceAdult.conference))
        .order_by(Conference.conference_date, Conference.id)
    ).all()
    return [
        ConferenceEntry(
            conference_date=adult.conference.conference_date,
            conference_type=adult.conference.conference_type.label,
            format=adult.conference.format.label,
            status=adult.conference.status.label,
            added_at=adult.added_at,
            invited=adult_invited(adult),
            attendance=adult_attendance(adult),
            views_heard=adult_views_heard(adult),
        )
        for adult in adults
    ]


def _invitations(member: FamilyMember) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.family_member_id == member.id)
            .options(joinedload(Invitation.conference))
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def _links(invitations: list[Invitation]) -> list[LinkEntry]:
    """The links made for the person: an entry given another way had none."""
    return [
        LinkEntry(
            form=invitation.form.label,
            conference_date=invitation.conference.conference_date,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            sent_at=invitation.sent_at,
            opened_at=invitation.opened_at,
            submitted_at=invitation.submitted_at,
            revoked_at=invitation.revoked_at,
        )
        for invitation in invitations
        if invitation.entry_route is None
    ]


def _route_words(route: EntryRoute) -> str:
    return _("Given another way (%(route)s), entered by staff", route=route.label.lower())


def _given_another_way(invitations: list[Invitation]) -> list[GivenAnotherWay]:
    return [
        GivenAnotherWay(
            form=invitation.form.label,
            conference_date=invitation.conference.conference_date,
            route=invitation.entry_route.label,
            entered_at=invitation.created_at,
        )
        for invitation in invitations
        if invitation.entry_route is not None
    ]


def _messages(member: FamilyMember) -> list[MessageEntry]:
    messages = db.session.scalars(
        select(Message)
        .where(Message.family_member_id == member.id)
        .order_by(Message.created_at, Message.id)
    ).all()
    return [
        MessageEntry(
            kind=message.kind.label,
            channel=message.channel.label,
            to_address=display_mobile(message.to_address)
            if message.channel == Channel.SMS
            else message.to_address,
            created_at=message.created_at,
            sent_at=message.sent_at,
            delivered_at=message.delivered_at,
            failed_at=message.failed_at,
            status=message.status.label,
        )
        for message in messages
    ]


def _answers(response: FormResponse) -> list[AnswerEntry]:
    """Each saved answer under its question's wording, in the form's order; an answer to a
    question no longer asked is kept, under its stored name."""
    questionnaire = QUESTIONNAIRES.get(response.questionnaire)
    saved = {answer.question_id: answer.value for answer in response.answers}
    drawn = {answer.question_id for answer in response.answers if answer.drawing is not None}
    entries = []
    if questionnaire is not None:
        for question in questionnaire.questions:
            if question.id in saved:
                value = saved.pop(question.id)
                entries.append(
                    AnswerEntry(str(question.title), question.summary(value), question.id in drawn)
                )
    for question_id, value in saved.items():
        lines = [str(part) for key in ("choice", "text") if (part := value.get(key))]
        lines += [", ".join(value.get("choices") or [])] if value.get("choices") else []
        entries.append(AnswerEntry(question_id.replace("_", " "), lines, question_id in drawn))
    return entries


def _forms(invitations: list[Invitation]) -> list[FormEntry]:
    responses = {
        response.invitation_id: response
        for response in db.session.scalars(
            select(FormResponse)
            .where(FormResponse.invitation_id.in_([i.id for i in invitations]))
            .options(
                selectinload(FormResponse.answers).selectinload(Answer.drawing),
                selectinload(FormResponse.additions),
            )
        )
    }
    entries = []
    for invitation in invitations:
        response = responses.get(invitation.id)
        if response is None and invitation.quick_rating is None:
            continue
        questionnaire = QUESTIONNAIRES.get(response.questionnaire) if response else None
        entries.append(
            FormEntry(
                title=str(questionnaire.title) if questionnaire else invitation.form.label,
                form=invitation.form.label,
                conference_date=invitation.conference.conference_date,
                started_at=response.started_at if response else None,
                submitted_at=response.submitted_at if response else None,
                answers=_answers(response) if response else [],
                additions=[AdditionEntry(a.text, a.added_at) for a in response.additions]
                if response
                else [],
                quick_rating=invitation.quick_rating,
                rated_at=invitation.rated_at,
                given_another_way=_route_words(invitation.entry_route)
                if invitation.entry_route
                else None,
            )
        )
    return entries


def _history_words(event: AuditEvent) -> str:
    if event.record_type == RecordType.INVITATION:
        return {
            AuditAction.CREATE: _("Made a link to a form for you"),
            AuditAction.UPDATE: _("Changed a link to a form"),
            AuditAction.VIEW: _("Looked at a link to a form"),
            AuditAction.DELETE: _("Removed a link to a form"),
        }.get(event.action, _("Used a link to a form"))
    return {
        AuditAction.VIEW: _("Looked at your record"),
        AuditAction.CREATE: _("Added your record to a conference"),
        AuditAction.UPDATE: _("Changed your record"),
        AuditAction.DELETE: _("Took your record off a conference"),
        AuditAction.EXPORT: _("Made a copy of your record for a subject access request"),
    }.get(event.action, _("Used your record"))


def _field_words(event: AuditEvent) -> str:
    """The names of the changed fields in plain words (the log never holds their values)."""
    if event.record_type != RecordType.FAMILY_MEMBER or event.action != AuditAction.UPDATE:
        return ""
    names = [name for name in event.fields.split(",") if name]
    return ", ".join(
        str(FIELD_WORDS[name]) if name in FIELD_WORDS else name.replace("_", " ") for name in names
    )


def _history(member: FamilyMember, invitations: list[Invitation]) -> list[HistoryEntry]:
    """Who at the council opened or changed the record: their role, never their name."""
    invitation_ids = [i.id for i in invitations]
    condition = (AuditEvent.record_type == RecordType.FAMILY_MEMBER) & (
        AuditEvent.record_id == member.id
    )
    if invitation_ids:
        condition = condition | (
            (AuditEvent.record_type == RecordType.INVITATION)
            & AuditEvent.record_id.in_(invitation_ids)
        )
    events = db.session.scalars(
        select(AuditEvent)
        .where(condition)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    return [
        HistoryEntry(
            occurred_at=event.occurred_at,
            staff_role=event.actor.role.label if event.actor else _("The service, automatically"),
            what=_history_words(event),
            fields=_field_words(event),
        )
        for event in events
    ]


def collect_person(member: FamilyMember) -> PersonRecord:
    invitations = _invitations(member)
    return PersonRecord(
        member_id=member.id,
        full_name=member.full_name,
        relationship=member.relationship.label,
        mobile=member.mobile,
        email=member.email,
        preferred_channel=member.preferred_channel.label,
        # A language from the list in the reader's language; one typed, as it was typed.
        language=member.language
        if member.language_code == RecordedLanguage.OTHER
        else RecordedLanguage(member.language_code).label,
        interpreter_needed=member.interpreter_needed,
        access_needs=member.access_needs or "",
        second_check=member.second_check.label,
        contact_confirmed_safe_at=member.contact_confirmed_safe_at,
        sms_opted_out_at=member.sms_opted_out_at,
        created_at=member.created_at,
        updated_at=member.updated_at,
        conferences=_conferences(member),
        links=_links(invitations),
        given_another_way=_given_another_way(invitations),
        messages=_messages(member),
        forms=_forms(invitations),
        alerts=collect_alerts(member),
        text_replies=collect_text_replies(member),
        history=_history(member, invitations),
    )


def collect_export(members: Sequence[FamilyMember]) -> SubjectAccessExport:
    """Everything held on these records (one person), the first one first."""
    return SubjectAccessExport(made_at=utcnow(), records=[collect_person(m) for m in members])
