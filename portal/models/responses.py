from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText, SealedJSON
from portal.models.base import Base, utcnow
from portal.models.invitations import Invitation


class FormResponse(Base):
    """One person's answers to the form their invitation is for: saved page by page."""

    __tablename__ = "form_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), unique=True
    )
    questionnaire: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    # Set the moment an answer says someone is in danger now: flagged to the chair and
    # coordinator at once, whether or not the form is ever sent.
    safety_concern_at: Mapped[datetime | None]

    invitation: Mapped[Invitation] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )
    additions: Mapped[list[Addition]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Addition.id"
    )


class Answer(Base):
    """The answer to one question, as the person last saved it."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id", name="uq_answer_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("form_response.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    # {"choice": "yes", "choices": ["bsl"], "text": "…"}: only the parts the question has; the
    # text is sealed (portal.crypto), the choices stay plain for the feedback report to count
    value: Mapped[dict[str, Any]] = mapped_column(SealedJSON(("text",)))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The page's language when it was saved ("pl"): staff pages mark text in another language.
    language: Mapped[str | None] = mapped_column(String(8))

    response: Mapped[FormResponse] = relationship(back_populates="answers")
    drawing: Mapped[Drawing | None] = relationship(
        back_populates="answer", cascade="all, delete-orphan", single_parent=True
    )


class Drawing(Base):
    """A child's drawing in one house of the Three Houses, drawn on the page: a PNG cleaned and
    sealed like an advocate's upload (portal/attachments.py), stored outside ``static/`` under
    a random name (``ATTACHMENT_DIR``)."""

    __tablename__ = "drawing"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    byte_size: Mapped[int]
    # Keyed HMAC of the cleaned content (portal.crypto keyed_digest), as an attachment's
    content_hmac: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship(back_populates="drawing")


class Addition(Base):
    """Something more, said after submitting and before the deadline: kept beside the answers."""

    __tablename__ = "addition"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("form_response.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(EncryptedText())
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str | None] = mapped_column(String(8))

    response: Mapped[FormResponse] = relationship(back_populates="additions")
