"""Staff accounts: creating them and checking sign-in details."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select

from portal.audit.services import record_event
from portal.auth.passwords import hash_password, spend_time_like_a_verification, verify_password
from portal.extensions import db
from portal.models import AuditAction, Role, StaffUser


class AccountError(ValueError):
    """A staff account cannot be created as asked; the message says why."""


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"Enter a valid email address ({error})") from None


def find_staff_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == func.lower(email.strip())))


def create_staff_user(email: str, full_name: str, role: Role, password: str) -> StaffUser:
    email = normalise_email(email)
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise AccountError(
            f"Use a password of {current_app.config['PASSWORD_MIN_LENGTH']} characters or more"
        )
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
    where the account has one.
    """
    user = find_staff_by_email(email)
    if user is None:
        spend_time_like_a_verification(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        record_event(AuditAction.SIGN_IN_FAILED, "staff_user", user.id, actor=user)
        db.session.commit()
        return None
    return user


def record_sign_out(user: StaffUser) -> None:
    record_event(AuditAction.SIGN_OUT, "staff_user", user.id, actor=user)
    db.session.commit()
