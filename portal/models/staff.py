from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.models.base import Base, utcnow
from portal.models.enums import Role, db_enum


class StaffUser(UserMixin, Base):
    """A member of staff who signs in. Family members never have an account."""

    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint("mobile IS NULL OR mobile LIKE '+%'", name="mobile_e164"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(db_enum(Role, "staff_role"))
    # Their own mobile in E.164, set on their account page: texted only when a safety alert is
    # raised on a conference they chair (portal/safety/raising.py).
    mobile: Mapped[str | None] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # An admin may let a chair see every conference, not only the ones they chair.
    sees_all_conferences: Mapped[bool] = mapped_column(default=False)
    # An advocate who also manages the advocacy service: assigns referred children to advocates.
    is_advocacy_manager: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # Second factor: the authenticator app's shared secret (sealed at rest), set when the person
    # proves their app works; the last 30-second step used, so a code is accepted once only.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText())
    totp_enrolled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    # Set when an admin gives a temporary password: the person chooses their own before anything
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # ...and that password signs in until this time only (TEMPORARY_PASSWORD_HOURS); cleared
    # when the person sets their own.
    temporary_password_expires_at: Mapped[datetime | None]
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="staff_user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def uses_two_factor(self) -> bool:
        return self.totp_enrolled_at is not None

    def temporary_password_expired(self, now: datetime) -> bool:
        expires_at = self.temporary_password_expires_at
        return expires_at is not None and expires_at <= now


class StaffSession(Base):
    """One signed-in browser. Signing out ends it here, so a copy of the cookie taken earlier
    stops working too; only a hash of the id the cookie carries is kept."""

    __tablename__ = "staff_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class RecoveryCode(Base):
    """A one-time code to sign in without the authenticator app; only its hash is kept."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    staff_user: Mapped[StaffUser] = relationship(back_populates="recovery_codes")
