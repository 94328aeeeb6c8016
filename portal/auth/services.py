"""Staff accounts: creating them and checking sign-in details."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from portal.audit.services import record_event
from portal.auth.password_rules import password_problem
from portal.auth.passwords import hash_password, spend_time_like_a_verification, verify_password
from portal.auth.sessions import end_every_session
from portal.extensions import db
from portal.models import AuditAction, RecordType, Role, StaffUser, utcnow


class AccountError(ValueError):
    """A staff account cannot be created as asked; the message says why."""


class TemporaryPasswordExpired(Exception):
    """The right temporary password, given after its time (an admin gives a new one)."""


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"Enter a valid email address ({error})") from None


def find_staff_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == func.lower(email.strip())))


def create_staff_user(email: str, full_name: str, role: Role, password: str) -> StaffUser:
    email = normalise_email(email)
    # The person who runs this (an admin, `flask users create`) is not the account's owner.
    problem = password_problem(password, email=email, full_name=full_name, own=False)
    if problem is not None:
        raise AccountError(problem)
    if find_staff_by_email(email) is not None:
        raise AccountError(f"There is already an account for {email}")
    user = StaffUser(
        email=email, full_name=full_name.strip(), role=role, password_hash=hash_password(password)
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active account these details belong to, or None (a failure is audited).

    The caller starts the session (``sessions.start_session``), after the second factor
    where the account has one. Raises ``TemporaryPasswordExpired`` only when the password was
    right: a wrong one tells nothing about the account.
    """
    user = find_staff_by_email(email)
    if user is None:
        spend_time_like_a_verification(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        record_event(AuditAction.SIGN_IN_FAILED, RecordType.STAFF_USER, user.id, actor=user)
        db.session.commit()
        return None
    if user.temporary_password_expired(utcnow()):
        record_event(AuditAction.SIGN_IN_FAILED, RecordType.STAFF_USER, user.id, actor=user)
        db.session.commit()
        raise TemporaryPasswordExpired
    return user


def record_sign_out(user: StaffUser) -> None:
    record_event(AuditAction.SIGN_OUT, RecordType.STAFF_USER, user.id, actor=user)
    db.session.commit()


def change_password(user: StaffUser, new_password: str) -> None:
    """Set a new password (the caller checked the current one and the rules), then end every
    other session: whoever else knew the old one is signed out; this browser stays signed in."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.temporary_password_expires_at = None
    record_event(
        AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=user, fields=["password"]
    )
    end_every_session(user, actor=user, except_this_one=True)  # commits


def set_alert_mobile(user: StaffUser, mobile: str | None) -> None:
    """The person's own mobile for safety alerts (E.164, checked by the form), or None to remove
    it. Audited as a password change is: which field, not its value."""
    if user.mobile == mobile:
        return
    user.mobile = mobile
    record_event(AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=user, fields=["mobile"])
    db.session.commit()
