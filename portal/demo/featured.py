"""Two conferences that show the whole journey, with a parent's views, an advocate's record and
a child's drawing."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import current_app
from PIL import Image, ImageDraw

from portal.advocacy.records import content_of
from portal.attachments import PNG, clean, store
from portal.demo.accounts import DEMO_ACCOUNTS, staff_by_email
from portal.demo.conferences import demo_mobile
from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    AdvocateRecordVersion,
    Answer,
    Attachment,
    AttendanceWish,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceType,
    ContactLogEntry,
    FamilyMember,
    FormKind,
    FormResponse,
    GatheringMethod,
    Invitation,
    MessageStatus,
    RecordedLanguage,
    RecordStatus,
    Relationship,
    SharingLevel,
    StaffUser,
    utcnow,
)
from portal.working_days import add_working_days

FEATURED = ("DEMO-0101", "DEMO-0102")


def add_featured_conferences(coordinator: StaffUser, zone: ZoneInfo, today: date) -> None:
    """Two conferences chaired by chair@heard.example that show the whole journey: one in a few
    days with a parent's portal views and an advocate's record (with a drawing) in the chair's
    pack; one that started yesterday, waiting for the chair to record it."""
    chair, advocate = staff_by_email("chair@heard.example"), staff_by_email(DEMO_ACCOUNTS[3][1])
    coming = datetime.combine(add_working_days(today, 3), time(10), zone)
    yesterday = datetime.combine(today - timedelta(days=1), time(10), zone)
    for reference, starts_at, (older, younger) in (
        (FEATURED[0], coming, (("Maya", 12), ("Leo", 6))),
        (FEATURED[1], yesterday, (("Kai", 11), ("Ruby", 2))),
    ):
        day = starts_at.date()
        conference = Conference(
            case_reference=reference,
            conference_type=ConferenceType.REVIEW,
            starts_at=starts_at,
            format=ConferenceFormat.HYBRID,
            chair_id=chair.id,
            created_by_id=coordinator.id,
            social_worker_name="Sam Social-Worker",
            social_worker_email="sam.social-worker@example.com",
            social_worker_mobile="+447700900511",  # Ofcom's drama range
        )
        children = [
            Child(
                first_name=name,
                last_name="Lockwood",
                date_of_birth=day.replace(year=day.year - age) - timedelta(days=40),
            )
            for name, age in (older, younger)
        ]
        conference.children = [ConferenceChild(child=child) for child in children]
        mother, father = (
            FamilyMember(
                first_name=first,
                last_name=last,
                relationship=relationship,
                mobile=demo_mobile(random.Random(first)),
                preferred_channel=Channel.SMS,
                contact_confirmed_safe_at=utcnow(),
                contact_confirmed_safe_by_id=coordinator.id,
            )
            for first, last, relationship in (
                ("Sarah", "Lockwood", Relationship.MOTHER),
                ("Daniel", "Marsden", Relationship.FATHER),
            )
        )
        # Polish pages, and an interpreter for the coordinators to arrange
        father.language_code, father.language = RecordedLanguage.POLISH.value, "Polish"
        father.interpreter_needed = True
        conference.adults = [ConferenceAdult(family_member=m) for m in (mother, father)]
        db.session.add(conference)
        db.session.flush()
        asked_at = starts_at - timedelta(days=7)
        for member in (mother, father):
            invitation = issue_invitation(conference, member, FormKind.VIEWS, asked_at)
            invitation.sent_at = invitation.delivered_at = asked_at
            for message in invitation.messages:
                message.status, message.sent_at = MessageStatus.DELIVERED, asked_at
            if member is mother:
                _answer_parent_views(invitation, asked_at + timedelta(days=2))
        referral = AdvocacyReferral(
            conference_id=conference.id,
            child_id=children[0].id,
            automatic=True,
            advocate_id=advocate.id,
            assigned_at=asked_at,
        )
        db.session.add(referral)
        db.session.flush()
        _advocate_record(referral, advocate, asked_at + timedelta(days=3))


def _answer_parent_views(invitation: Invitation, when: datetime) -> None:
    answers = {
        "why_meeting": {"choice": "yes"},
        "report_shared": {"choice": "yes"},
        "report_wrong": {"text": "The report says I missed two school meetings. I missed one."},
        "going_well": {"text": "Maya is going to school every day now and Leo loves nursery."},
        "worries": {"text": "Money, and the flat is cold at night."},
        "danger_now": {"choice": "no"},
        "would_help": {"text": "Help with the heating, and someone to talk to."},
        "attending": {"choice": "in_person"},
        "speak_to_chair": {"choice": "yes"},
        "help_needed": {"choices": ["supporter"]},
    }
    response = FormResponse(
        invitation_id=invitation.id,
        questionnaire=PARENT_VIEWS.id,
        started_at=when,
        submitted_at=when,
        answers=[Answer(question_id=key, value=value) for key, value in answers.items()],
    )
    invitation.opened_at = invitation.started_at = invitation.submitted_at = when
    db.session.add(response)


def _advocate_record(referral: AdvocacyReferral, advocate: StaffUser, when: datetime) -> None:
    shared = SharingLevel.CONFERENCE.value
    referral.contacts = [
        ContactLogEntry(
            contact_on=when.date(),
            seen=True,
            place="School, in the library",
            with_whom="",
            note="Met once for an hour; used the Three Houses.",
            recorded_by_id=advocate.id,
        )
    ]
    drawing = store(clean(_drawing_of_a_house()), current_app.config["ATTACHMENT_DIR"])
    referral.attachments = [
        Attachment(
            description="Maya's drawing: her house, her nan, and the sun",
            content_type=PNG,
            byte_size=drawing.byte_size,
            content_hmac=drawing.content_hmac,
            storage_name=drawing.storage_name,
            sharing=SharingLevel.CONFERENCE,
            uploaded_by_id=advocate.id,
        )
    ]
    referral.record = AdvocateRecord(
        status=RecordStatus.SUBMITTED,
        version=1,
        submitted_at=when,
        methods=[GatheringMethod.CONVERSATION.value, GatheringMethod.THREE_HOUSES.value],
        good_things="My nan. Football on Saturdays. My teacher Mrs Hollins is kind.",
        worries="When mum and dad shout. When there is no food in the cupboard.",
        wishes="That everyone stops shouting. To keep my school.",
        conference_should_know="I look after Leo a lot when mum is tired.",
        questions_for_chair="Will I have to move school?",
        scale=6,
        scale_reason="Better than before, but not when there is shouting.",
        attendance_wish=AttendanceWish.PART,
        attendance_how="The start, with my advocate.",
        attend_with="Ava",
        advocate_to_speak=True,
        sharing={
            "good_things": SharingLevel.FAMILY.value,
            "worries": shared,
            "wishes": SharingLevel.FAMILY.value,
            "conference_should_know": SharingLevel.CHAIR_ONLY.value,
            "questions_for_chair": shared,
            "scale": shared,
            "attendance": SharingLevel.FAMILY.value,
        },
    )
    referral.record.versions = [
        AdvocateRecordVersion(
            version=1,
            content=content_of(referral.record),
            submitted_at=when,
            submitted_by_id=advocate.id,
        )
    ]


def _drawing_of_a_house() -> bytes:
    """A child's drawing, made up: a house, a person and the sun, in crayon colours."""
    image = Image.new("RGB", (480, 360), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle((80, 160, 280, 320), outline="#b33", width=6)
    pen.polygon([(60, 170), (180, 60), (300, 170)], outline="#333", width=6)
    pen.rectangle((160, 240, 210, 320), outline="#33a", width=5)
    pen.ellipse((380, 30, 450, 100), fill="#fc3")
    pen.ellipse((340, 200, 380, 240), outline="#333", width=4)
    pen.line((360, 240, 360, 300), fill="#333", width=4)
    pen.line((330, 260, 390, 260), fill="#333", width=4)
    pen.line((0, 322, 480, 322), fill="#3a3", width=8)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
