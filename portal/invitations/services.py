"""Issuing, revoking, opening and following invitations. Callers' transactions hold the
invitation and its message together (the transactional outbox)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from portal.audit.services import record_event
from portal.extensions import db
from portal.link_tokens import code_matches, hash_token, new_salt, token_for
from portal.messaging.outbox import queue_message
from portal.messaging.reachable import contact_problem
from portal.models import (
    AuditAction,
    Channel,
    Conference,
    ConferenceAdult,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    RecordType,
    SecondCheck,
    utcnow,
)
from portal.people.agreed_word import word_matches

FIRST_MESSAGE = {
    FormKind.VIEWS: MessageKind.VIEWS_INVITATION,
    FormKind.FEEDBACK: MessageKind.FEEDBACK_INVITATION,
}
REMINDER = {
    FormKind.VIEWS: MessageKind.VIEWS_REMINDER,
    FormKind.FEEDBACK: MessageKind.FEEDBACK_REMINDER,
}


class InvitationRefused(ValueError):
    """Nothing can be sent; the message says why, in words a coordinator can act on."""


def expiry_for(conference: Conference, form: FormKind) -> datetime:
    if form == FormKind.VIEWS:
        return conference.starts_at  # views are for before the conference
    return conference.starts_at + timedelta(days=current_app.config["FEEDBACK_LINK_DAYS"])


def form_problem(conference: Conference, form: FormKind, now: datetime) -> str | None:
    if conference.status == ConferenceStatus.CANCELLED:
        return "The conference is cancelled"
    if form == FormKind.VIEWS and now >= conference.starts_at:
        return "The conference has started: views before it can no longer be asked for"
    if form == FormKind.FEEDBACK and conference.status != ConferenceStatus.HELD:
        return "Feedback is asked for once the conference is marked as held"
    if now >= expiry_for(conference, form):
        return "The time for feedback on this conference has passed"
    return None


NOT_INVITED = "The chair recorded that they were not invited to the conference"


def not_invited_problem(conference: Conference, member: FamilyMember, form: FormKind) -> str | None:
    """Feedback is not asked of someone the chair recorded as not invited (excluded from the
    meeting, whereabouts unknown...)."""
    if form != FormKind.FEEDBACK:
        return None
    link = db.session.get(ConferenceAdult, (conference.id, member.id))
    return NOT_INVITED if link is not None and link.invited is False else None


def live_invitation(conference_id: int, member_id: int, form: FormKind) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.conference_id == conference_id,
            Invitation.family_member_id == member_id,
            Invitation.form == form,
            Invitation.revoked_at.is_(None),
        )
    )


def _cancel_queued(which: Any, reason: str) -> None:
    db.session.execute(
        update(Message)
        .where(which, Message.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.CANCELLED, error_detail=reason)
    )


def revoke(
    invitation: Invitation, now: datetime, reason: str = "A new link replaced this one"
) -> None:
    """The old link stops working; its unsent messages are not sent."""
    invitation.revoked_at = now
    _cancel_queued(Message.invitation_id == invitation.id, reason)
    db.session.flush()  # the live-link index allows one unrevoked invitation


def conference_changed(conference: Conference, changed: list[str], now: datetime) -> None:
    """Links follow their conference: a cancelled one's stop; a moved one's expire anew."""
    live = db.session.scalars(
        select(Invitation).where(
            Invitation.conference_id == conference.id, Invitation.revoked_at.is_(None)
        )
    ).all()
    for invitation in live:
        if conference.status == ConferenceStatus.CANCELLED:
            revoke(invitation, now, "The conference was cancelled")
        elif "starts_at" in changed:
            invitation.expires_at = expiry_for(conference, invitation.form)


def issue_invitation(
    conference: Conference,
    member: FamilyMember,
    form: FormKind,
    now: datetime | None = None,
    *,
    due_at: datetime | None = None,
) -> Invitation:
    """A new link for this person and form (revoking any earlier one), and its message: sent
    at once, or at ``due_at`` (the schedule's first send time, when issued ahead of it). The
    caller commits; a refusal (InvitationRefused) comes before anything changes."""
    now = now or utcnow()
    problem = (
        form_problem(conference, form, now)
        or not_invited_problem(conference, member, form)
        or contact_problem(member)
    )
    if problem:
        raise InvitationRefused(problem)
    earlier = live_invitation(conference.id, member.id, form)
    if earlier is not None:
        revoke(earlier, now)
    salt = new_salt()
    invitation = Invitation(
        conference_id=conference.id,
        family_member_id=member.id,
        form=form,
        token_salt=salt,
        token_hash=hash_token(token_for(salt)),
        expires_at=expiry_for(conference, form),
        created_at=now,
    )
    db.session.add(invitation)
    if earlier is not None:
        _carry_over_answers(earlier, invitation)
        if member.second_check == SecondCheck.AGREED_WORD:
            # The same word is asked for: a new link gives no more guesses (a new word does).
            invitation.code_attempts = earlier.code_attempts
    queue_message(
        member, FIRST_MESSAGE[form], member.preferred_channel, invitation=invitation, due_at=due_at
    )
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.INVITATION,
        invitation.id,
        conference_id=conference.id,
        fields=["form"],
    )
    return invitation


def send_link_now(conference: Conference, member: FamilyMember, form: FormKind) -> Invitation:
    """A coordinator's "Send the link now": ``issue_invitation``, committed. Refused
    (InvitationRefused) before anything changes when the link cannot be sent now."""
    invitation = issue_invitation(conference, member, form)
    db.session.commit()
    return invitation


def _carry_over_answers(earlier: Invitation, newer: Invitation) -> None:
    """Half-finished (or sent) answers move to the new link: a resend never loses them."""
    from portal.models import FormResponse  # the family forms' model, imported where used

    response = db.session.scalar(
        select(FormResponse).where(FormResponse.invitation_id == earlier.id)
    )
    if response is not None:
        db.session.flush()  # the new invitation needs its id
        response.invitation_id = newer.id
        newer.started_at, newer.submitted_at = earlier.started_at, earlier.submitted_at


def queue_reminder(invitation: Invitation, now: datetime) -> Message | None:
    member = invitation.family_member
    if contact_problem(member) or not invitation.is_live(now):
        return None
    invitation.reminder_queued_at = now
    return queue_message(
        member, REMINDER[invitation.form], member.preferred_channel, invitation=invitation
    )


def find_by_token(token: str) -> Invitation | None:
    """The invitation this token was made for, live or not: check ``is_live`` before use."""
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def mark_opened(invitation: Invitation, now: datetime) -> None:
    if invitation.opened_at is None:
        invitation.opened_at = now
    db.session.commit()


def set_paused(conference_id: int, member_id: int, paused: bool) -> None:
    link = db.session.get(ConferenceAdult, (conference_id, member_id))
    if link is not None and link.invitations_paused != paused:
        link.invitations_paused = paused
        if paused:  # what the schedule had queued for them waits too: it is not sent
            _cancel_queued(
                (Message.conference_id == conference_id) & (Message.family_member_id == member_id),
                "Paused by a coordinator",
            )
        record_event(
            AuditAction.UPDATE,
            RecordType.FAMILY_MEMBER,
            member_id,
            conference_id=conference_id,
            fields=["invitations_paused"],
        )
        db.session.commit()


CODE_LIFETIME = timedelta(minutes=15)
CODE_RESEND_AFTER = timedelta(minutes=1)
# Tries at the second check for one link (``code_attempts``), across every code sent for it: a
# new code does not give more guesses. Five for a 6-digit code: one chance in 200,000 for
# someone guessing. The agreed word has the same five.
CODE_ATTEMPTS = 5


def other_channel(member: FamilyMember) -> Channel:
    return Channel.EMAIL if member.preferred_channel == Channel.SMS else Channel.SMS


def waits_after_too_many_tries(invitation: Invitation) -> bool:
    """Locked: the second check was failed five times. The coordinator sees it, and unlocks it
    with a new link (a code) or a new agreed word."""
    return invitation.code_attempts >= CODE_ATTEMPTS


def _count_a_try(invitation: Invitation) -> int | None:
    """The tries made at the second check with this one, or None (not counted) when none was
    left. In one statement, so tries sent at the same moment cannot slip past the limit; the
    database says the new count, so nothing relies on what the session has loaded. On
    PostgreSQL the row stays locked until the caller commits: tries at one link go one by one."""
    return db.session.scalar(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.code_attempts < CODE_ATTEMPTS)
        .values(code_attempts=Invitation.code_attempts + 1)
        .returning(Invitation.code_attempts)
        .execution_options(synchronize_session=False)
    )


def _start_tries_again(invitation: Invitation) -> None:
    """After the right word. A statement, as the count is: the loaded attribute may still say
    0, and setting it to 0 would write nothing."""
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(code_attempts=0)
        .execution_options(synchronize_session=False)
    )


def too_many_tries() -> str:
    return _("Too many tries. Call us and we will help you open your link")


def send_check_code(invitation: Invitation, now: datetime) -> None:
    """A new code by the other channel (no more than one a minute), with the same commit.
    Refused (InvitationRefused) before anything changes when the other channel cannot be used."""
    member = invitation.family_member
    channel = other_channel(member)
    problem = contact_problem(member, channel)
    if problem:
        raise InvitationRefused(problem)
    if invitation.code_sent_at and now - invitation.code_sent_at < CODE_RESEND_AFTER:
        return
    if invitation.code_attempts >= CODE_ATTEMPTS:
        return
    invitation.code_salt, invitation.code_sent_at = new_salt(), now
    queue_message(member, MessageKind.CHECK_CODE, channel, invitation=invitation)
    db.session.commit()


def check_code(invitation: Invitation, typed: str, now: datetime) -> str | None:
    """None if the code is right; otherwise what to tell the person. A try is counted, right or
    wrong, in the one commit."""
    if waits_after_too_many_tries(invitation):
        return too_many_tries()
    if invitation.code_salt is None or invitation.code_sent_at is None:
        return _("Open your link again to get a new code")
    if now - invitation.code_sent_at > CODE_LIFETIME:
        return _("This code has run out. Open your link again to get a new code")
    problem = _code_problem(invitation.code_salt, typed, _count_a_try(invitation))
    if problem is None:
        invitation.code_salt = None  # used: it opens nothing again
    db.session.commit()
    return problem


def _code_problem(salt: str, typed: str, tries: int | None) -> str | None:
    if tries is None:
        return too_many_tries()
    code = typed.replace(" ", "")
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return _("Enter the 6-digit code we sent you, like 123456")
    if not code_matches(salt, code):
        return _("Enter the 6-digit code we sent you")
    return None


def check_word(invitation: Invitation, typed: str) -> str | None:
    """None if it is the word agreed with the person; otherwise what to tell them: how many
    tries are left, never anything about whose link it is. The right word starts the count
    again (it is asked for each time the link is opened). A try is counted, right or wrong, in
    the one commit."""
    problem = _word_problem(invitation, typed)
    db.session.commit()
    return problem


def _word_problem(invitation: Invitation, typed: str) -> str | None:
    word_hash = invitation.family_member.agreed_word_hash
    tries = _count_a_try(invitation)
    if tries is None:
        return too_many_tries()
    if word_hash is not None and word_matches(word_hash, typed):
        _start_tries_again(invitation)
        return None
    left = CODE_ATTEMPTS - tries
    if left <= 0:
        return too_many_tries()
    return ngettext(
        "That is not the word agreed with you. You have %(num)d more try.",
        "That is not the word agreed with you. You have %(num)d more tries.",
        left,
    )
