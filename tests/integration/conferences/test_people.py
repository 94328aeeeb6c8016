from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Channel,
    Child,
    ConferenceChild,
    FamilyMember,
    Relationship,
    Role,
)
from portal.people.forms import years_before
from portal.templating import local_date
from tests.factories import add_child, add_family_member, make_conference, make_staff

MOTHER = {
    "first_name": "Jo",
    "last_name": "Ellery",
    "relationship": "mother",
    "mobile": "07700 900 982",
    "email": "",
    "preferred_channel": "sms",
    "language_code": "en",
    "access_needs": "",
}


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def test_add_a_born_child(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    page = client.submit(
        f"/conferences/{conference.id}/children/new",
        {
            "first_name": " Oscar ",
            "last_name": "Ellery",
            "born": "born",
            "birth_date": _date(date(2014, 12, 9)),
        },
    )
    assert page.location == f"/conferences/{conference.id}"
    child = db.session.scalars(select(Child)).one()
    assert (child.first_name, child.date_of_birth, child.expected_date_of_birth) == (
        "Oscar",
        date(2014, 12, 9),
        None,
    )
    shown = client.get(page.location)
    assert shown.banners == ["Oscar Ellery added."]
    assert "9 December 2014" in shown.text


@pytest.mark.parametrize("parts", [["9"], ["9", "12"], ["9", "12", "2014", "1"]])
def test_a_date_posted_with_the_wrong_number_of_parts_is_a_message_not_a_crash(
    signed_in, parts
) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/children/new",
        {"first_name": "Oscar", "last_name": "Ellery", "born": "born", "birth_date": parts},
    )
    if len(parts) < 3:
        assert page.status == 400
        assert page.error_summary[0].endswith("a year")
        assert db.session.scalars(select(Child)).all() == []
    else:  # extra parts are ignored, as a browser never sends them
        assert page.status == 302
        assert db.session.scalars(select(Child)).one().date_of_birth == date(2014, 12, 9)


def test_add_an_unborn_child_with_an_expected_date(signed_in) -> None:
    conference = make_conference()
    due = date.today() + timedelta(days=60)
    signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/children/new",
        {"first_name": "Baby", "last_name": "Ellery", "born": "unborn", "birth_date": _date(due)},
    )
    child = db.session.scalars(select(Child)).one()
    assert (child.date_of_birth, child.expected_date_of_birth) == (None, due)


def test_child_form_errors(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/children/new"
    empty = client.submit(url, {})
    assert empty.error_summary == [
        "Enter the child's first name",
        "Enter the child's last name",
        "Select yes if the child has been born",
        "Enter the date of birth or expected date",
    ]
    future = client.submit(
        url,
        {
            "first_name": "A",
            "last_name": "B",
            "born": "born",
            "birth_date": _date(date.today() + timedelta(days=1)),
        },
    )
    assert future.error_summary == ["Date of birth must be today or in the past"]
    far = client.submit(
        url,
        {
            "first_name": "A",
            "last_name": "B",
            "born": "unborn",
            "birth_date": _date(date.today() + timedelta(days=400)),
        },
    )
    assert far.error_summary == ["Expected date must be within the next 10 months"]
    long_name = client.submit(
        url,
        {
            "first_name": "A" * 101,
            "last_name": "B",
            "born": "born",
            "birth_date": ["1", "1", "2020"],
        },
    )
    assert long_name.error_summary == ["Must be 100 characters or fewer"]
    assert db.session.scalars(select(Child)).all() == []


def test_edit_a_child(signed_in) -> None:
    conference = make_conference()
    child = add_child(conference)
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/children/{child.id}/edit"
    form = client.get(url)
    assert form.soup.select_one("#first_name")["value"] == "Sam"
    assert form.soup.select_one("#born")["checked"] is not None
    client.submit(
        url,
        {
            "first_name": "Samuel",
            "last_name": "Tester",
            "born": "born",
            "birth_date": ["1", "5", "2015"],
        },
    )
    assert child.first_name == "Samuel"


def test_a_corrected_date_of_birth_refers_a_child_now_of_advocacy_age(signed_in) -> None:
    """A child at the advocacy age on the day of a conference still to come is referred once,
    as when added; a later correction never takes the referral away. A past conference is left
    alone."""
    upcoming = make_conference(starts_in=timedelta(days=20))
    past = make_conference(starts_in=timedelta(days=-20))
    day = local_date(upcoming.starts_at)
    child = add_child(upcoming, date_of_birth=years_before(day, 9))
    db.session.add(ConferenceChild(conference_id=past.id, child_id=child.id))
    db.session.commit()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{upcoming.id}/children/{child.id}/edit"

    def correct(born: date) -> None:
        page = client.submit(
            url,
            {"first_name": "Sam", "last_name": "Tester", "born": "born", "birth_date": _date(born)},
        )
        assert page.status == 302, page.error_summary

    def referrals() -> list[tuple[int, bool]]:
        return [
            (referral.conference_id, referral.automatic)
            for referral in db.session.scalars(select(AdvocacyReferral))
        ]

    correct(years_before(day + timedelta(days=1), 10))  # ten the day after: not yet
    assert referrals() == []
    correct(years_before(day, 10))  # ten on the conference day
    assert referrals() == [(upcoming.id, True)]
    correct(years_before(day, 11))  # corrected again: still one referral
    assert referrals() == [(upcoming.id, True)]
    correct(years_before(day, 5))  # younger after all: the referral stays
    assert referrals() == [(upcoming.id, True)]


def test_a_child_of_another_conference_is_not_found_here(signed_in) -> None:
    here, there = make_conference(), make_conference()
    child = add_child(there)
    client = signed_in(Role.COORDINATOR)
    assert client.get(f"/conferences/{here.id}/children/{child.id}/edit").status == 404
    assert client.get(f"/conferences/{here.id}/children/{child.id}/remove").status == 404


def test_remove_a_child_keeps_them_on_other_conferences(signed_in) -> None:
    first, second = make_conference(), make_conference()
    child = add_child(first)
    db.session.add(ConferenceChild(conference_id=second.id, child_id=child.id))
    db.session.commit()
    client = signed_in(Role.COORDINATOR)
    confirm = client.get(f"/conferences/{first.id}/children/{child.id}/remove")
    assert confirm.h1 == "Remove Sam Tester from this conference?"
    client.submit(f"/conferences/{first.id}/children/{child.id}/remove")
    assert db.session.get(Child, child.id) is not None  # still at the second conference
    child_id = child.id
    client.submit(f"/conferences/{second.id}/children/{child_id}/remove")
    assert db.session.scalars(select(Child)).all() == []  # on no conference now: gone


def test_add_a_family_member_normalises_contact_details(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    page = client.submit(
        f"/conferences/{conference.id}/family/new",
        MOTHER | {"email": " Jo.Ellery@Example.COM "},
    )
    assert page.location == f"/conferences/{conference.id}"
    member = db.session.scalars(select(FamilyMember)).one()
    assert member.mobile == "+447700900982"
    assert member.email == "jo.ellery@example.com"
    assert member.relationship == Relationship.MOTHER
    assert member.preferred_channel == Channel.SMS
    assert member.contact_confirmed_safe is False
    assert "Not confirmed" in client.get(page.location).text


def test_family_member_contact_errors(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/family/new"
    assert client.submit(url, MOTHER | {"mobile": ""}).error_summary == [
        "Enter a mobile number to send links by text message"
    ]
    assert client.submit(url, MOTHER | {"mobile": "12345"}).error_summary == [
        "Enter a mobile number, like 07700 900 982"
    ]
    assert client.submit(url, MOTHER | {"mobile": "020 7946 0000"}).error_summary == [
        "Enter a mobile number: text messages cannot go to a landline"
    ]
    assert client.submit(url, MOTHER | {"preferred_channel": "email"}).error_summary == [
        "Enter an email address to send links by email"
    ]
    assert client.submit(url, MOTHER | {"email": "jo@"}).error_summary == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert client.submit(url, {}).error_summary == [
        "Enter their first name",
        "Enter their last name",
        "Select their relationship to the children",
        "Select how we should send them links",
    ]
    assert db.session.scalars(select(FamilyMember)).all() == []


@pytest.mark.parametrize("field", ["last_name", "email", "language_other", "access_needs"])
def test_a_null_byte_is_refused_on_the_form_with_every_other_answer_kept(signed_in, field) -> None:
    """Once refused by a hook before any form (a bare 400 page, everything typed lost): now
    the form says which answer it cannot keep, and shows the rest as typed."""
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    typed = MOTHER | {
        "email": "jo@example.com",
        "access_needs": "Step-free access",
        "language_code": "other",
        "language_other": "Tigrinya",
    }
    page = client.submit(
        f"/conferences/{conference.id}/family/new", typed | {field: typed[field] + "\x00"}
    )
    assert page.status == 400
    assert page.error_summary == [
        "Your answer has a character we cannot keep. Remove it and try again"
    ]
    assert page.soup.select_one("input[name=first_name]")["value"] == "Jo"
    assert page.soup.select_one("input[name=relationship][value=mother]").has_attr("checked")
    assert db.session.scalars(select(FamilyMember)).all() == []


def test_confirm_a_contact_route_safe_records_who_and_when(signed_in) -> None:
    conference = make_conference()
    member = add_family_member(conference)
    coordinator = make_staff(Role.COORDINATOR)
    client = signed_in(Role.COORDINATOR, coordinator)
    url = f"/conferences/{conference.id}/family/{member.id}/contact-safe"
    assert client.submit(url, {}).error_summary == [
        "Select yes if the contact details are safe to use"
    ]
    client.submit(url, {"safe": "yes"})
    assert member.contact_confirmed_safe_by_id == coordinator.id
    assert member.contact_confirmed_safe_at is not None
    assert f"by {coordinator.full_name}" in client.get(f"/conferences/{conference.id}").text
    client.submit(url, {"safe": "no"})
    assert member.contact_confirmed_safe_at is None
    assert member.contact_confirmed_safe_by_id is None


def test_changing_a_contact_route_needs_a_new_safety_check(signed_in) -> None:
    conference = make_conference()
    member = add_family_member(conference)
    client = signed_in(Role.COORDINATOR)
    client.submit(f"/conferences/{conference.id}/family/{member.id}/contact-safe", {"safe": "yes"})
    url = f"/conferences/{conference.id}/family/{member.id}/edit"
    # A change that is not the contact route keeps the confirmation
    client.submit(
        url,
        MOTHER
        | {
            "first_name": "Jo",
            "last_name": "Tester",
            "mobile": "07700 900123",
            "language": "Polish",
        },
    )
    assert member.contact_confirmed_safe
    page = client.submit(
        url, MOTHER | {"first_name": "Jo", "last_name": "Tester", "mobile": "07700 900999"}
    )
    assert not member.contact_confirmed_safe
    assert "check again" in client.get(page.location).banners[0]


def test_remove_a_family_member(signed_in) -> None:
    conference = make_conference()
    member = add_family_member(conference)
    signed_in(Role.COORDINATOR).submit(f"/conferences/{conference.id}/family/{member.id}/remove")
    assert db.session.scalars(select(FamilyMember)).all() == []
