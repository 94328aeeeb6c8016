from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, false, orm
from sqlalchemy.orm import Mapped, mapped_column

from portal.crypto import EncryptedText
from portal.models.base import Base, utcnow
from portal.models.enums import Channel, RecordedLanguage, Relationship, SecondCheck, db_enum
from portal.models.staff import StaffUser


def whole_years(born: date, day: date) -> int:
    """Age in whole years on ``day`` of someone born on ``born`` (a birthday counts on the day;
    born on 29 February, a year older on 1 March in other years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Child(Base):
    """A child, born or unborn. The same child may be at several conferences."""

    __tablename__ = "child"
    __table_args__ = (
        CheckConstraint(
            "(date_of_birth IS NULL) <> (expected_date_of_birth IS NULL)",
            name="born_or_expected",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None]
    expected_date_of_birth: Mapped[date | None]
    # The case system's person ID: typed on the child form, or the person_ref of imported
    # history (``flask import attendance``). One child, one record, across conferences.
    external_ref: Mapped[str | None] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def age_on(self, day: date) -> int | None:
        """Whole years on ``day``; None for an unborn child."""
        if self.date_of_birth is None:
            return None
        return whole_years(self.date_of_birth, day)


class FamilyMember(Base):
    """An adult (or young person) who may be invited to give views and feedback."""

    __tablename__ = "family_member"
    __table_args__ = (
        CheckConstraint("mobile IS NULL OR mobile LIKE '+%'", name="mobile_e164"),
        CheckConstraint("email IS NULL OR email = lower(email)", name="email_lower_case"),
        CheckConstraint(
            "preferred_channel <> 'sms' OR mobile IS NOT NULL", name="sms_needs_mobile"
        ),
        CheckConstraint(
            "preferred_channel <> 'email' OR email IS NOT NULL", name="email_needs_address"
        ),
        CheckConstraint(
            "(contact_confirmed_safe_at IS NULL) = (contact_confirmed_safe_by_id IS NULL)",
            name="safe_confirmation_complete",
        ),
        # A young person invited in their own right is the contact record of one child.
        CheckConstraint(
            "(relationship = 'young_person') = (child_id IS NOT NULL)",
            name="young_person_is_a_child",
        ),
        # The agreed word is asked for only where one was set (migration 0029).
        CheckConstraint(
            "second_check <> 'agreed_word' OR agreed_word_hash IS NOT NULL",
            name="agreed_word_set",
        ),
        # A language from the list, or "other" with its name in ``language`` (migration 0026).
        CheckConstraint(
            "language_code IN ({})".format(", ".join(f"'{code}'" for code in RecordedLanguage)),
            name="recorded_language",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    relationship: Mapped[Relationship] = mapped_column(db_enum(Relationship, "relationship"))
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("child.id", ondelete="CASCADE"), unique=True
    )
    mobile: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_channel: Mapped[Channel] = mapped_column(db_enum(Channel, "channel"))
    # The language chosen from RecordedLanguage ("en", "pl", ... or "other"): it alone sets the
    # page language. ``language`` is its English name, or for "other" the name typed.
    language_code: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    language: Mapped[str] = mapped_column(String(60), default="English")
    # Set by the coordinator: makes the task "Arrange an interpreter for <language>".
    interpreter_needed: Mapped[bool] = mapped_column(default=False, server_default=false())
    access_needs: Mapped[str] = mapped_column(EncryptedText(), default="")
    # Set when a coordinator has checked with the person that the contact details are safe to
    # use (a partner may read the phone). Cleared whenever the contact details change.
    contact_confirmed_safe_at: Mapped[datetime | None]
    contact_confirmed_safe_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="RESTRICT")
    )
    # Set when the person replies STOP to a text message; nothing more is texted to them.
    sms_opted_out_at: Mapped[datetime | None]
    # The case system's person ID: typed on the family member form, or the person_ref of
    # imported history (``flask import attendance``).
    external_ref: Mapped[str | None] = mapped_column(String(60), unique=True)
    # A child under YOUNG_PERSON_MIN_AGE answers the Three Houses with an adult helping: the
    # contact details are that adult's, and these say who they are (None for anyone else).
    helper_name: Mapped[str | None] = mapped_column(String(200))
    helper_relationship: Mapped[str | None] = mapped_column(String(100))
    # A shared or watched phone: opening a link also needs a second check (a code sent by the
    # other channel, or the word agreed with them).
    second_check: Mapped[SecondCheck] = mapped_column(
        db_enum(SecondCheck, "second_check"), default=SecondCheck.NONE, server_default="none"
    )
    # The word agreed with them (SecondCheck.AGREED_WORD), as an Argon2id hash only
    # (portal/people/agreed_word.py), and sealed: a short word's hash in a stolen dump could be
    # guessed offline. Never shown, logged or exported; None once the check is not the word.
    agreed_word_hash: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # orm.relationship: the name "relationship" is a column of this model.
    contact_confirmed_safe_by: Mapped[StaffUser | None] = orm.relationship()
    child: Mapped[Child | None] = orm.relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def contact_confirmed_safe(self) -> bool:
        return self.contact_confirmed_safe_at is not None


class PersonMerge(Base):
    """Two records of one person made one (portal/people/merge.py): what the removed record
    held, kept sealed, so nothing is lost and a wrong merge can be put right by hand."""

    __tablename__ = "person_merge"
    __table_args__ = (
        CheckConstraint("record_type IN ('child', 'family_member')", name="person_record_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(20))  # a RecordType's value
    # Plain ids, not foreign keys: the removed record is gone, and the kept one may be merged
    # again or removed later; this row stays as the history of both.
    kept_id: Mapped[int] = mapped_column(index=True)
    removed_id: Mapped[int] = mapped_column(index=True)
    # JSON of the removed record's fields and of its conference links, sealed.
    removed_record: Mapped[str] = mapped_column(EncryptedText())
    merged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)

    merged_by: Mapped[StaffUser | None] = orm.relationship()
