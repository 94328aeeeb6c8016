"""Demo data: one account per role and a quarter of invented conferences.

Everything here is made up. Mobile numbers are in Ofcom's drama range (07700 900xxx) and email
addresses at example.com, so nothing can ever reach a real person.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from portal.advocacy.attachments import PNG, clean, store
from portal.advocacy.services import content_of
from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.models import (
    AdultAttendance,
    AdvocacyReferral,
    AdvocateRecord,
    AdvocateRecordVersion,
    Answer,
    Attachment,
    AttendanceMode,
    AttendanceWish,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    ContactLogEntry,
    FamilyMember,
    FormKind,
    FormResponse,
    GatheringMethod,
    Invitation,
    MessageStatus,
    NotInvitedReason,
    ParticipationCode,
    RecordStatus,
    Relationship,
    Role,
    SharingLevel,
    StaffUser,
    ViewsRoute,
    utcnow,
)
from portal.recording.codes import derived_code, participation_min_age
from portal.reports.importing.services import import_attendance
from portal.reports.sample_history import history_csv
from portal.working_days import add_working_days

DEMO_ACCOUNTS = [
    (Role.ADMIN, "admin@heard.example", "Alex Admin"),
    (Role.COORDINATOR, "coordinator@heard.example", "Corinne Coordinator"),
    (Role.CHAIR, "chair@heard.example", "Chidi Okafor"),
    (Role.ADVOCATE, "advocate@heard.example", "Ava Advocate"),  # also manages advocacy
    (Role.PARTICIPATION_OFFICER, "participation@heard.example", "Priya Participation"),
]
EXTRA_ADVOCATES = [("advocate2@heard.example", "Ben Okoro")]
EXTRA_CHAIRS = [
    ("chair2@heard.example", "Helen Marsh"),
    ("chair3@heard.example", "Tomasz Nowak"),
]
CASE_PREFIX = "DEMO-"
CONFERENCES_IN_A_QUARTER = 60

GIRLS = [
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Grace",
    "Ruby",
    "Poppy",
    "Zara",
    "Aisha",
    "Maya",
    "Evie",
    "Nell",
]
BOYS = [
    "Oliver",
    "Noah",
    "Leo",
    "Arthur",
    "Jack",
    "Harry",
    "Muhammad",
    "Oscar",
    "Finley",
    "Theo",
    "Kai",
    "Reuben",
    "Alfie",
    "Ezra",
]
WOMEN = [
    "Sarah",
    "Kelly",
    "Jade",
    "Chloe",
    "Gemma",
    "Leanne",
    "Stacey",
    "Amina",
    "Joanne",
    "Ewa",
    "Natalie",
    "Laura",
]
MEN = [
    "Daniel",
    "Ryan",
    "Craig",
    "Jamie",
    "Lee",
    "Mark",
    "Tariq",
    "Piotr",
    "Dean",
    "Shane",
    "Carl",
    "Liam",
]
SURNAMES = [
    "Ashworth",
    "Bramley",
    "Calloway",
    "Dunmore",
    "Ellery",
    "Fairbrother",
    "Garside",
    "Hollins",
    "Ingleby",
    "Jessop",
    "Kershaw",
    "Lockwood",
    "Marsden",
    "Naylor",
    "Ormerod",
    "Pickersgill",
    "Quarmby",
    "Ratcliffe",
    "Sutcliffe",
    "Thwaite",
]


def demo_password(role: Role) -> str:
    return f"heard-demo-{role.value.replace('_', '-')}"


def _ensure_staff() -> tuple[list[tuple[Role, str, str]], list[StaffUser]]:
    wanted = [(role, email, name) for role, email, name in DEMO_ACCOUNTS]
    wanted += [(Role.CHAIR, email, name) for email, name in EXTRA_CHAIRS]
    wanted += [(Role.ADVOCATE, email, name) for email, name in EXTRA_ADVOCATES]
    accounts, chairs = [], []
    for role, email, name in wanted:
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = StaffUser(
                email=email,
                full_name=name,
                role=role,
                password_hash=hash_password(demo_password(role)),
                is_advocacy_manager=email == "advocate@heard.example",
            )
            db.session.add(user)
        accounts.append((role, email, demo_password(role)))
        if role == Role.CHAIR:
            chairs.append(user)
    db.session.flush()
    return accounts, chairs


def _mobile(rng: random.Random) -> str:
    return f"+447700900{rng.randrange(1000):03d}"


def _children(rng: random.Random, surname: str, conference_day: date) -> list[Child]:
    children = []
    for _ in range(rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]):
        first = rng.choice(rng.choice([GIRLS, BOYS]))
        if rng.random() < 0.08:
            due = conference_day + timedelta(days=rng.randrange(14, 150))
            children.append(Child(first_name="Baby", last_name=surname, expected_date_of_birth=due))
            continue
        age_days = rng.randrange(30, 17 * 365)
        children.append(
            Child(
                first_name=first,
                last_name=surname,
                date_of_birth=conference_day - timedelta(days=age_days),
            )
        )
    return children


def _family(rng: random.Random, surname: str, coordinator: StaffUser) -> list[FamilyMember]:
    people = [(Relationship.MOTHER, rng.choice(WOMEN), surname)]
    if rng.random() < 0.65:
        people.append((Relationship.FATHER, rng.choice(MEN), rng.choice(SURNAMES)))
    if rng.random() < 0.15:
        people.append((Relationship.CARER, rng.choice(WOMEN), rng.choice(SURNAMES)))
    if rng.random() < 0.1:
        people.append((Relationship.OTHER_FAMILY, rng.choice(WOMEN), surname))
    members = []
    for relationship, first, last in people:
        channel = rng.choices([Channel.SMS, Channel.EMAIL, Channel.NONE], weights=[75, 20, 5])[0]
        mobile = _mobile(rng) if channel == Channel.SMS or rng.random() < 0.5 else None
        email = (
            f"{first.lower()}.{last.lower()}@example.com"
            if channel == Channel.EMAIL or rng.random() < 0.3
            else None
        )
        confirmed = channel != Channel.NONE and rng.random() < 0.7
        members.append(
            FamilyMember(
                first_name=first,
                last_name=last,
                relationship=relationship,
                mobile=mobile,
                email=email,
                preferred_channel=channel,
                language=rng.choices(["English", "Polish", "Urdu", "Romanian"], [88, 5, 4, 3])[0],
                access_needs=rng.choices(
                    ["", "Needs an interpreter", "Prefers large print", "Reads with support"],
                    [85, 5, 5, 5],
                )[0],
                contact_confirmed_safe_at=utcnow() if confirmed else None,
                contact_confirmed_safe_by_id=coordinator.id if confirmed else None,
            )
        )
    return members


def _own_contacts(
    rng: random.Random, links: list[ConferenceChild], day: date, coordinator: StaffUser
) -> list[FamilyMember]:
    """Some children get forms of their own: 10 and over on their own phone, younger ones (the
    Three Houses) through the adult who helps them."""
    contacts = []
    for child in (link.child for link in links):
        age = child.age_on(day)
        if age is None or age < current_app.config["CHILD_FORM_MIN_AGE"] or rng.random() > 0.4:
            continue
        contacts.append(
            FamilyMember(
                first_name=child.first_name,
                last_name=child.last_name,
                relationship=Relationship.YOUNG_PERSON,
                child=child,
                mobile=_mobile(rng),
                preferred_channel=Channel.SMS,
                contact_confirmed_safe_at=utcnow(),
                contact_confirmed_safe_by_id=coordinator.id,
            )
        )
    return contacts


def load_demo_data() -> tuple[list[tuple[Role, str, str]], int]:
    """Create what is missing; returns the sign-in details and how many conferences were added."""
    accounts, chairs = _ensure_staff()
    already = db.session.scalar(
        select(Conference.id).where(Conference.case_reference.startswith(CASE_PREFIX)).limit(1)
    )
    if already is not None:
        db.session.commit()
        return accounts, 0

    coordinator = db.session.scalar(
        select(StaffUser).where(StaffUser.email == "coordinator@heard.example")
    )
    assert coordinator is not None
    rng = random.Random(20260401)  # the same invented families every time
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    today = date.today()
    for number in range(1, CONFERENCES_IN_A_QUARTER + 1):
        day = today + timedelta(days=rng.randrange(-56, 35))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        starts_at = datetime.combine(
            day, rng.choice([time(9, 30), time(10), time(13, 30), time(14)]), zone
        )
        kind = rng.choices(list(ConferenceType), weights=[33, 62, 5])[0]
        past = starts_at < datetime.now(zone)
        status = ConferenceStatus.SCHEDULED
        if past:
            status = ConferenceStatus.CANCELLED if rng.random() < 0.04 else ConferenceStatus.HELD
        surname = rng.choice(SURNAMES)
        conference = Conference(
            case_reference=f"{CASE_PREFIX}{number:04d}",
            conference_type=kind,
            starts_at=starts_at,
            format=rng.choices(list(ConferenceFormat), weights=[35, 25, 40])[0],
            status=status,
            section_47_started_on=(
                day - timedelta(days=rng.randrange(10, 26))
                if kind == ConferenceType.INITIAL
                else None
            ),
            chair_id=rng.choice(chairs).id,
            created_by_id=coordinator.id,
        )
        conference.children = [
            ConferenceChild(child=child) for child in _children(rng, surname, day)
        ]
        members = _family(rng, surname, coordinator) + _own_contacts(
            random.Random(number), conference.children, day, coordinator
        )
        conference.adults = [ConferenceAdult(family_member=member) for member in members]
        db.session.add(conference)
    db.session.flush()
    _refer_older_children(rng)
    _record_held_conferences()
    _featured_conferences(coordinator, zone, today)
    db.session.commit()
    return accounts, CONFERENCES_IN_A_QUARTER + len(FEATURED) + _import_history()


def _staff(email: str) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    assert user is not None
    return user


def _refer_older_children(rng: random.Random) -> None:
    """As adding a child through the pages does: children of the advocacy age are referred; most
    referrals for conferences still to come are assigned to one of the two advocates."""
    advocates = [_staff(DEMO_ACCOUNTS[3][1]), *(_staff(email) for email, _ in EXTRA_ADVOCATES)]
    links = db.session.scalars(
        select(ConferenceChild)
        .join(Conference)
        .where(Conference.case_reference.startswith(CASE_PREFIX))
        .order_by(Conference.case_reference, ConferenceChild.child_id)
    ).all()
    for link in links:
        day = link.conference.starts_at.date()
        age = link.child.age_on(day)
        if age is None or age < current_app.config["ADVOCACY_MIN_AGE"]:
            continue
        advocate = rng.choice(advocates) if rng.random() < 0.7 else None
        db.session.add(
            AdvocacyReferral(
                conference_id=link.conference_id,
                child_id=link.child_id,
                automatic=True,
                advocate_id=advocate.id if advocate else None,
                assigned_at=utcnow() if advocate else None,
            )
        )


def _record_held_conferences() -> None:
    """Past demo conferences as their chairs would have recorded them: a code for each child
    (CP0 under the age threshold or unborn; CP5 only with an advocate assigned) and, for each
    adult, invited or not, attendance and whether their views were heard."""
    rng = random.Random(20250401)  # a stream of its own: the families above stay the same
    min_age = participation_min_age()
    advocated = {
        (conference_id, child_id)
        for conference_id, child_id in db.session.execute(
            select(AdvocacyReferral.conference_id, AdvocacyReferral.child_id).where(
                AdvocacyReferral.advocate_id.is_not(None)
            )
        )
    }
    held = db.session.scalars(
        select(Conference)
        .where(
            Conference.case_reference.startswith(CASE_PREFIX),
            Conference.case_reference.not_in(FEATURED),
            Conference.status == ConferenceStatus.HELD,
        )
        .order_by(Conference.case_reference)
    ).all()
    for conference in held:
        day = conference.conference_date
        conference.held_on, conference.quorate = day, True
        conference.recorded_at = min(conference.starts_at + timedelta(hours=3), utcnow())
        conference.recorded_by_id = conference.chair_id
        for link in conference.children:
            link.participation_code = derived_code(link.child, day, min_age) or _demo_code(
                rng, link.child.age_on(day) or 0, (conference.id, link.child_id) in advocated
            )
        for adult in conference.adults:
            if adult.family_member.relationship != Relationship.YOUNG_PERSON:
                _record_adult(rng, adult, conference.format)


def _demo_code(rng: random.Random, age: int, has_advocate: bool) -> ParticipationCode:
    if rng.random() < (0.2 if age >= 12 else 0.08):
        return rng.choices(ATTENDED_CODES, weights=[40, 30, 10, 20])[0]
    if has_advocate:
        return rng.choices(ABSENT_CODES, weights=[80, 10, 10])[0]
    return rng.choices(ABSENT_CODES[1:], weights=[70, 30])[0]


ATTENDED_CODES = [ParticipationCode(f"CP{n}") for n in (1, 2, 3, 4)]
ABSENT_CODES = [ParticipationCode(f"CP{n}") for n in (5, 6, 7)]
# Relationship: (invited, attended the whole meeting, part of it, heard another way if absent)
ADULT_RATES = {
    Relationship.MOTHER: (0.97, 0.80, 0.06, 0.45),
    Relationship.FATHER: (0.90, 0.50, 0.07, 0.30),
}
OTHER_ADULT_RATES = (0.90, 0.55, 0.08, 0.30)


def _record_adult(rng: random.Random, adult: ConferenceAdult, form: ConferenceFormat) -> None:
    invited, whole, part, heard_otherwise = ADULT_RATES.get(
        adult.family_member.relationship, OTHER_ADULT_RATES
    )
    adult.invited = rng.random() < invited
    adult.not_invited_reason = (
        None if adult.invited else rng.choices(list(NotInvitedReason), weights=[30, 50, 20])[0]
    )
    roll = rng.random()
    adult.attendance = AdultAttendance.NONE
    if adult.invited and roll < whole + part:
        adult.attendance = AdultAttendance.WHOLE if roll < whole else AdultAttendance.PART
        modes = {
            ConferenceFormat.IN_PERSON: [AttendanceMode.IN_PERSON],
            ConferenceFormat.VIRTUAL: [AttendanceMode.VIDEO, AttendanceMode.PHONE],
        }.get(form, list(AttendanceMode))
        adult.attendance_mode = rng.choice(modes)
    routes = []
    if adult.attendance == AdultAttendance.NONE and rng.random() < heard_otherwise:
        routes = [rng.choice(list(ViewsRoute)).value]
    adult.views_routes = routes
    # As the chair's record sets it: attended, or heard by another route
    adult.views_heard = adult.attendance != AdultAttendance.NONE or bool(routes)


DEMO_HISTORY = Path(__file__).resolve().parents[1] / "demo" / "attendance-2025.csv"


def _import_history() -> int:
    """A year of invented history (financial year 2025), imported as a council would import
    its own; returns how many conferences it added."""
    data = DEMO_HISTORY.read_bytes() if DEMO_HISTORY.exists() else history_csv(2025).encode()
    result = import_attendance(data, min_age=participation_min_age())
    if result.errors:  # e.g. a council's own age threshold the file was not made for
        current_app.logger.warning("Demo history not imported: %s", result.errors[0])
        return 0
    return result.new and result.conferences


FEATURED = ("DEMO-0101", "DEMO-0102")


def _featured_conferences(coordinator: StaffUser, zone: ZoneInfo, today: date) -> None:
    """Two conferences chaired by chair@heard.example that show the whole journey: one in a few
    days with a parent's portal views and an advocate's record (with a drawing) in the chair's
    pack; one that started yesterday, waiting for the chair to record it."""
    chair, advocate = _staff("chair@heard.example"), _staff(DEMO_ACCOUNTS[3][1])
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
                mobile=_mobile(random.Random(first)),
                preferred_channel=Channel.SMS,
                contact_confirmed_safe_at=utcnow(),
                contact_confirmed_safe_by_id=coordinator.id,
            )
            for first, last, relationship in (
                ("Sarah", "Lockwood", Relationship.MOTHER),
                ("Daniel", "Marsden", Relationship.FATHER),
            )
        )
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
