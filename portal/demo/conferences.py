"""A quarter of invented conferences, from eight weeks ago to five weeks ahead, each with its
family: children (a few unborn), parents and carers, and the children old enough to have forms
of their own."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from portal.extensions import db
from portal.models import (
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    FamilyMember,
    RecordedLanguage,
    Relationship,
    StaffUser,
    utcnow,
)

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


def _language(rng: random.Random) -> dict[str, object]:
    """Most in English; the rest with an interpreter needed."""
    language = rng.choices(
        [
            RecordedLanguage.ENGLISH,
            RecordedLanguage.POLISH,
            RecordedLanguage.URDU,
            RecordedLanguage.ROMANIAN,
        ],
        [88, 5, 4, 3],
    )[0]
    return {
        "language_code": language.value,
        "language": language.label,
        "interpreter_needed": language != RecordedLanguage.ENGLISH,
    }


def demo_mobile(rng: random.Random) -> str:
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
        mobile = demo_mobile(rng) if channel == Channel.SMS or rng.random() < 0.5 else None
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
                **_language(rng),
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
                mobile=demo_mobile(rng),
                preferred_channel=Channel.SMS,
                contact_confirmed_safe_at=utcnow(),
                contact_confirmed_safe_by_id=coordinator.id,
                **(
                    {"helper_name": "Sam Carter", "helper_relationship": "foster carer"}
                    if age < current_app.config["YOUNG_PERSON_MIN_AGE"]
                    else {}
                ),
            )
        )
    return contacts


def add_quarter_of_conferences(
    rng: random.Random,
    chairs: list[StaffUser],
    coordinator: StaffUser,
    zone: ZoneInfo,
    today: date,
) -> None:
    """The quarter's conferences, each with its invented family; those already past are held
    (a few cancelled). Drawn from ``rng``, which goes on to the referrals."""
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
            ConferenceChild(child=child, section_47_started_on=conference.section_47_started_on)
            for child in _children(rng, surname, day)
        ]
        members = _family(rng, surname, coordinator) + _own_contacts(
            random.Random(number), conference.children, day, coordinator
        )
        conference.adults = [ConferenceAdult(family_member=member) for member in members]
        db.session.add(conference)
