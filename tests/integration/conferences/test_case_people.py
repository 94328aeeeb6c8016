"""A person exists once: the person ID on the forms, adding the people already in a case, and
finding a person (issue 14, part 1)."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AuditAction,
    AuditEvent,
    Child,
    ConferenceAdult,
    ConferenceChild,
    ConferenceType,
    FamilyMember,
    RecordType,
    Relationship,
    Role,
)
from tests.factories import (
    add_child,
    add_contactable_member,
    add_family_member,
    make_conference,
)

CHILD = {"first_name": "Oscar", "last_name": "Ellery", "born": "born"}
BORN = ["9", "12", "2014"]
MOTHER = {
    "first_name": "Jo",
    "last_name": "Ellery",
    "relationship": "mother",
    "mobile": "07700 900 982",
    "email": "",
    "preferred_channel": "sms",
    "language_code": "en",
    "access_needs": "",
    "second_check": "none",
}


def test_a_child_is_saved_with_their_person_id(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    page = client.submit(
        f"/conferences/{conference.id}/children/new",
        {**CHILD, "birth_date": BORN, "external_ref": " LCS-1001 "},
    )
    assert page.status == 302
    child = db.session.scalars(select(Child)).one()
    assert child.external_ref == "LCS-1001"
    # Saving the child again keeps their own ID: it is not "another record's".
    again = client.submit(
        f"/conferences/{conference.id}/children/{child.id}/edit",
        {**CHILD, "birth_date": BORN, "external_ref": "LCS-1001"},
    )
    assert again.status == 302


def test_a_person_id_another_child_has_is_refused_with_a_message(signed_in) -> None:
    conference = make_conference()
    add_child(conference, external_ref="LCS-1001")
    page = signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/children/new",
        {**CHILD, "birth_date": BORN, "external_ref": "LCS-1001"},
    )
    assert page.status == 400
    assert page.error_summary == [
        "Another record already has this person ID: find that person and use their record"
    ]
    assert len(db.session.scalars(select(Child)).all()) == 1


def test_a_blank_person_id_is_none_and_a_malformed_one_refused(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    bad = client.submit(
        f"/conferences/{conference.id}/children/new",
        {**CHILD, "birth_date": BORN, "external_ref": "LCS 1001!"},
    )
    assert bad.status == 400
    assert bad.error_summary[0].startswith("Person ID must be 60 characters or fewer")
    client.submit(
        f"/conferences/{conference.id}/children/new",
        {**CHILD, "birth_date": BORN, "external_ref": "  "},
    )
    assert db.session.scalars(select(Child)).one().external_ref is None


def test_an_adults_person_id_is_unique_too(signed_in) -> None:
    conference = make_conference()
    add_family_member(conference, external_ref="P-77")
    client = signed_in(Role.COORDINATOR)
    page = client.submit(
        f"/conferences/{conference.id}/family/new", {**MOTHER, "external_ref": "P-77"}
    )
    assert page.status == 400
    assert "Another record already has this person ID" in page.error_summary[0]
    ok = client.submit(
        f"/conferences/{conference.id}/family/new", {**MOTHER, "external_ref": "P-78"}
    )
    assert ok.status == 302
    assert db.session.scalar(select(FamilyMember).where(FamilyMember.external_ref == "P-78"))


def _case_of_two():
    """An initial conference with a child of 11, a baby and a mother (confirmed safe), and a
    review of the same case with the baby on it already."""
    initial = make_conference(
        case_reference="CP-2026-0142",
        conference_type=ConferenceType.INITIAL,
        section_47_started_on=date(2026, 1, 5),
        imported=True,
    )
    older = add_child(initial, first_name="Ava", date_of_birth=date(2014, 1, 1))
    baby = add_child(initial, first_name="Bo", date_of_birth=date(2025, 6, 1))
    mother = add_contactable_member(initial, first_name="Jo", language="Polish")
    add_family_member(
        initial, first_name="Ava", relationship=Relationship.YOUNG_PERSON, child_id=older.id
    )
    review = make_conference(case_reference="CP-2026-0142", starts_in=timedelta(days=100))
    db.session.add(ConferenceChild(conference=review, child=baby))
    db.session.commit()
    return initial, review, older, baby, mother


def test_the_people_already_in_the_case_are_offered_and_added_as_the_same_record(
    signed_in,
) -> None:
    _initial, review, older, baby, mother = _case_of_two()
    elsewhere = make_conference(case_reference="CP-OTHER")
    add_child(elsewhere, first_name="Zed")
    client = signed_in(Role.COORDINATOR)
    page = client.get(f"/conferences/{review.id}/from-case")
    assert page.status == 200
    rows = [row.get_text(" ", strip=True) for row in page.soup.select("tbody tr")]
    assert len(rows) == 2  # Ava, and Jo; not Bo (already here), not Ava's own contact, not Zed
    assert rows[0].startswith("Ava Tester")
    assert rows[1].startswith("Jo Tester Mother")

    added = client.submit(
        f"/conferences/{review.id}/from-case",
        {"person": f"child-{older.id}"},
    )
    assert added.location == f"/conferences/{review.id}"
    assert client.get(added.location).banners == ["Ava Tester added."]
    link = db.session.get(ConferenceChild, (review.id, older.id))
    assert link is not None
    assert link.section_47_started_on is None
    assert len(db.session.scalars(select(Child)).all()) == 3  # no copy
    referral = db.session.scalar(
        select(AdvocacyReferral).where(AdvocacyReferral.conference_id == review.id)
    )
    assert referral is not None
    assert referral.child_id == older.id
    assert referral.automatic

    assert mother.contact_confirmed_safe
    client.submit(f"/conferences/{review.id}/from-case", {"person": f"adult-{mother.id}"})
    db.session.expire_all()
    assert db.session.get(ConferenceAdult, (review.id, mother.id)) is not None
    assert mother.contact_confirmed_safe_at is None  # to be confirmed safe again
    assert mother.language == "Polish"
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.conference_id == review.id, AuditEvent.action == AuditAction.CREATE
        )
    ).all()
    assert {(e.record_type, e.record_id, e.fields) for e in events} == {
        (RecordType.CHILD.value, older.id, "conference"),
        (RecordType.FAMILY_MEMBER.value, mother.id, "conference,contact_confirmed_safe_at"),
        (RecordType.ADVOCACY_REFERRAL.value, referral.id, "automatic"),
    }
    assert [
        r.get_text(" ", strip=True)
        for r in client.get(f"/conferences/{review.id}/from-case").soup.select("tbody tr")
    ] == []


def test_someone_outside_the_case_or_nothing_chosen_is_refused(signed_in) -> None:
    _initial, review, _older, _baby, _mother = _case_of_two()
    stranger = add_child(make_conference(case_reference="CP-OTHER"), first_name="Zed")
    client = signed_in(Role.COORDINATOR)
    refused = client.submit(
        f"/conferences/{review.id}/from-case", {"person": f"child-{stranger.id}"}
    )
    assert refused.location == f"/conferences/{review.id}/from-case"
    assert db.session.get(ConferenceChild, (review.id, stranger.id)) is None
    nothing = client.submit(f"/conferences/{review.id}/from-case", {"person": "child-x"})
    assert nothing.status == 400
    assert nothing.error_summary == ["Select a person to add"]


def test_find_a_person_by_name_date_of_birth_or_person_id(signed_in) -> None:
    initial, review, older, baby, mother = _case_of_two()
    older.external_ref = "LCS-9"
    db.session.commit()
    client = signed_in(Role.COORDINATOR)

    def found(data: dict) -> list[str]:
        page = client.submit("/people/", data)
        assert page.status == 200, page.error_summary
        assert page.soup.select_one("form[role=search]")["action"] == "/people/"
        return [row.select_one("td").get_text(strip=True) for row in page.soup.select("tbody tr")]

    # The child; not their own contact record, which is found through them
    assert found({"name": "ava tes"}) == ["Ava Tester"]
    assert found({"name": "Tester", "date_of_birth": ["1", "6", "2025"]}) == ["Bo Tester"]
    assert found({"person_id": "LCS-9"}) == ["Ava Tester"]
    assert found({"name": "Nobody"}) == []
    page = client.submit("/people/", {"name": "Bo"})
    # The child's conferences, each opening their record there (audited as today)
    links = [a["href"] for a in page.soup.select("tbody tr a")]
    assert links == [
        f"/conferences/{review.id}/children/{baby.id}/edit",
        f"/conferences/{initial.id}/children/{baby.id}/edit",
    ]
    empty = client.submit("/people/", {})
    assert empty.status == 400
    assert empty.error_summary == ["Enter a name, a date of birth or a person ID"]
    # Each record shown was seen: Ava (person ID), Bo twice (by date of birth, by name), and
    # Ava by name; a search that found nobody says who searched.
    seen = db.session.scalars(select(AuditEvent).where(AuditEvent.fields == "search")).all()
    assert sorted((e.record_type, e.record_id) for e in seen if e.record_id) == sorted(
        [("child", older.id), ("child", older.id), ("child", baby.id), ("child", baby.id)]
    )
    assert [e.record_id for e in seen if e.record_id is None] == [None]


def test_adding_someone_by_hand_says_who_is_already_in_the_case(signed_in) -> None:
    _initial, review, _older, _baby, _mother = _case_of_two()
    client = signed_in(Role.COORDINATOR)
    child_page = client.get(f"/conferences/{review.id}/children/new")
    offer = child_page.soup.select_one(".govuk-inset-text")
    assert "Already in this case, on its other conferences: Ava Tester." in offer.text
    assert offer.select_one("a")["href"] == f"/conferences/{review.id}/from-case"
    adult_page = client.get(f"/conferences/{review.id}/family/new")
    assert "Already in this case, on its other conferences: Jo Tester." in adult_page.text
    alone = make_conference()
    assert "Already in this case" not in client.get(f"/conferences/{alone.id}/children/new").text
