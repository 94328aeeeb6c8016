"""An admin's work on staff accounts: listing, adding, disabling, ending sessions, second factor.

Each change takes effect at once: it raises the account's session generation, so every session
the person has open is refused on its next request. Each is audited by field name only.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.password_rules import password_problem
from portal.auth.passwords import hash_password
from portal.auth.services import (
    AccountError,
    create_staff_user,
    find_staff_by_email,
    normalise_email,
)
from portal.auth.sessions import end_every_session
from portal.extensions import db
from portal.models import AuditAction, RecordType, Role, StaffUser, utcnow

SECOND_FACTOR_FIELDS = ("recovery_codes", "totp_enrolled_at", "totp_last_step", "totp_secret")


class AdminRefusal(ValueError):
    """The admin asked for something that must not happen (disabling themselves)."""


def staff_accounts() -> list[StaffUser]:
    """Every account, active ones first, then by name."""
    return list(
        db.session.scalars(
            select(StaffUser).order_by(
                StaffUser.is_active_account.desc(), StaffUser.full_name, StaffUser.id
            )
        )
    )


def staff_account_or_404(staff_id: int) -> StaffUser:
    user = db.session.get(StaffUser, staff_id)
    if user is None:
        abort(404)
    return user


class FieldProblem(ValueError):
    """A new account cannot be made as asked: the message, and the field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def add_account(
    email: str, full_name: str, role: Role, password: str, admin: StaffUser
) -> StaffUser:
    """Through ``create_staff_user`` (its password rules); the email is checked first, so any
    other refusal is about the password."""
    try:
        if find_staff_by_email(normalise_email(email)) is not None:
            raise FieldProblem("email", "There is already an account with that email address")
    except AccountError as error:
        raise FieldProblem("email", str(error)) from None
    try:
        user = create_staff_user(email, full_name, role, password)
    except AccountError as error:
        raise FieldProblem("password", str(error)) from None
    _make_temporary(user)
    record_event(
        AuditAction.CREATE,
        RecordType.STAFF_USER,
        user.id,
        actor=admin,
        fields=["email", "full_name", "password_hash", "role", "temporary_password_expires_at"],
    )
    db.session.commit()
    return user


def give_temporary_password(user: StaffUser, password: str, admin: StaffUser) -> None:
    """A new temporary password (the first expired, or was forgotten); every session ends.

    Raises ``FieldProblem`` when the password breaks the rules."""
    problem = password_problem(password, email=user.email, full_name=user.full_name, own=False)
    if problem is not None:
        raise FieldProblem("password", problem)
    user.password_hash = hash_password(password)
    _make_temporary(user)
    record_event(
        AuditAction.UPDATE,
        RecordType.STAFF_USER,
        user.id,
        actor=admin,
        fields=["password_hash", "temporary_password_expires_at"],
    )
    end_every_session(user, actor=admin)  # commits both


def _make_temporary(user: StaffUser) -> None:
    """A password someone else knows: theirs comes first, and this one soon stops working."""
    user.must_change_password = True
    user.temporary_password_expires_at = utcnow() + timedelta(
        hours=current_app.config["TEMPORARY_PASSWORD_HOURS"]
    )


def disable_account(user: StaffUser, admin: StaffUser) -> None:
    """Stop the person signing in, and end every session they have open, at once."""
    if user.id == admin.id:
        raise AdminRefusal("You cannot disable your own account")
    user.is_active_account = False
    record_event(
        AuditAction.UPDATE,
        RecordType.STAFF_USER,
        user.id,
        actor=admin,
        fields=["is_active_account"],
    )
    end_every_session(user, actor=admin)  # commits both


def enable_account(user: StaffUser, admin: StaffUser) -> None:
    user.is_active_account = True
    record_event(
        AuditAction.UPDATE,
        RecordType.STAFF_USER,
        user.id,
        actor=admin,
        fields=["is_active_account"],
    )
    db.session.commit()


def end_sessions(user: StaffUser, admin: StaffUser) -> None:
    end_every_session(user, actor=admin)


def reset_second_factor(user: StaffUser, admin: StaffUser) -> None:
    """Forget the authenticator app and the recovery codes; the person enrols again at sign-in."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    user.recovery_codes.clear()  # delete-orphan: the rows go
    record_event(
        AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=admin, fields=SECOND_FACTOR_FIELDS
    )
    end_every_session(user, actor=admin)


def set_wider_access(user: StaffUser, admin: StaffUser, granted: bool) -> None:
    """A chair's "sees every conference", or an advocate's "manages advocacy"."""
    if user.role == Role.CHAIR:
        user.sees_all_conferences, field = granted, "sees_all_conferences"
    elif user.role == Role.ADVOCATE:
        user.is_advocacy_manager, field = granted, "is_advocacy_manager"
    else:
        raise AdminRefusal("Only chairs and advocates have this choice")
    record_event(AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=admin, fields=[field])
    db.session.commit()
