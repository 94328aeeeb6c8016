"""Typed SQLAlchemy 2 models, one module per aggregate."""

from portal.models.audit import AuditAction, AuditEvent
from portal.models.base import Base, utcnow
from portal.models.conference import Conference, ConferenceAdult, ConferenceChild
from portal.models.enums import (
    Channel,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    FormKind,
    MessageKind,
    MessageStatus,
    Relationship,
    Role,
    SecondCheck,
)
from portal.models.invitations import EarlyCallback, Invitation, Message, MessageWording
from portal.models.people import Child, FamilyMember
from portal.models.responses import Addition, Answer, FormResponse
from portal.models.staff import StaffUser

__all__ = [
    "Addition",
    "Answer",
    "FormResponse",
    "AuditAction",
    "AuditEvent",
    "Base",
    "Channel",
    "Child",
    "EarlyCallback",
    "Conference",
    "ConferenceAdult",
    "ConferenceChild",
    "ConferenceFormat",
    "ConferenceStatus",
    "ConferenceType",
    "FamilyMember",
    "FormKind",
    "Invitation",
    "Message",
    "MessageKind",
    "MessageStatus",
    "MessageWording",
    "SecondCheck",
    "Relationship",
    "Role",
    "StaffUser",
    "utcnow",
]
