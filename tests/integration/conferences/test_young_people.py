"""A coordinator lets a child or young person (10 or over) be sent their own links."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import ConferenceChild, FamilyMember, FormKind, Relationship, Role
from tests.factories import add_child, make_conference

CONTACT = {"mobile": "07700 900 444", "preferred_channel": "sms", "language_code": "en"}


def _years_ago(years: int) -> date:
    today = date.today()
    return today.replace(year=today.year - years) - timedelta(days=30)


def test_which_children_can_be_sent_a_form_of_their_own(signed_in) -> None:
    """10 and over: their own links; 4 to 9: the Three Houses, to an adult helping; younger: no."""
    conference = make_conference()
    older = add_child(conference, first_name="Ivy", date_of_birth=_years_ago(12))
    younger = add_child(conference, first_name="Leo", date_of_birth=_years_ago(5))
    baby = add_child(conference, first_name="Mo", date_of_birth=_years_ago(2))
    client = signed_in(Role.COORDINATOR)
    page = client.get(f"/conferences/{conference.id}")
    offered = {a.get_text(" ", strip=True): a["href"] for a in page.soup.select("a[href$=invite]")}
    invite = f"/conferences/{conference.id}/children/{{}}/invite"
    assert offered == {
        "Send them their own links (Ivy Tester)": invite.format(older.id),
        "Send a Three Houses form for them (Leo Tester)": invite.format(younger.id),
    }
    helper_page = client.get(f"/conferences/{conference.id}/children/{younger.id}/invite")
    assert "Give the phone or email of that adult" in helper_page.text
    refused = client.get(f"/conferences/{conference.id}/children/{baby.id}/invite")
    assert refused.status == 302
    assert "aged 4 or over" in client.get(refused.location).banners[0]


def test_a_young_person_gets_their_own_contact_record_and_links(signed_in) -> None:
    conference = make_conference()
    child = add_child(
        conference, first_name="Ivy", last_name="Garside", date_of_birth=_years_ago(13)
    )
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/children/{child.id}/invite"
    form = client.get(url)
    assert form.h1 == "Ivy Garside's own contact details"
    assert client.submit(url, CONTACT).location == f"/conferences/{conference.id}"
    contact = db.session.scalars(select(FamilyMember)).one()
    assert (contact.first_name, contact.last_name) == ("Ivy", "Garside")
    assert contact.relationship == Relationship.YOUNG_PERSON
    assert contact.child_id == child.id
    assert contact.mobile == "+447700900444"

    client.submit(f"/conferences/{conference.id}/family/{contact.id}/contact-safe", {"safe": "yes"})
    invitation = issue_invitation(conference, contact, FormKind.VIEWS)
    db.session.commit()
    assert invitation.family_member_id == contact.id

    # Their own record follows the child's name; editing it keeps the name
    client.submit(
        f"/conferences/{conference.id}/children/{child.id}/edit",
        {
            "first_name": "Ivy-Rose",
            "last_name": "Garside",
            "born": "born",
            "birth_date": [
                str(child.date_of_birth.day),
                str(child.date_of_birth.month),
                str(child.date_of_birth.year),
            ],
        },
    )
    assert contact.first_name == "Ivy-Rose"
    edit = client.submit(
        f"/conferences/{conference.id}/family/{contact.id}/edit", CONTACT | {"language_code": "pl"}
    )
    assert edit.status == 302
    assert (contact.first_name, contact.language) == ("Ivy-Rose", "Polish")


def test_at_a_later_conference_the_same_young_person_is_reused(signed_in) -> None:
    first = make_conference()
    child = add_child(first, date_of_birth=_years_ago(14))
    later = make_conference(starts_in=timedelta(days=90))
    db.session.add(ConferenceChild(conference_id=later.id, child_id=child.id))
    db.session.commit()
    client = signed_in(Role.COORDINATOR)
    client.submit(f"/conferences/{first.id}/children/{child.id}/invite", CONTACT)
    contact = db.session.scalars(select(FamilyMember)).one()
    confirm = client.get(f"/conferences/{later.id}/children/{child.id}/invite")
    assert "already has their own contact details" in confirm.h1
    assert (
        "No family members added yet" in client.get(f"/conferences/{later.id}").text
    )  # GET: no change
    again = client.submit(f"/conferences/{later.id}/children/{child.id}/invite")
    assert again.location == f"/conferences/{later.id}/family/{contact.id}/edit"
    assert len(db.session.scalars(select(FamilyMember)).all()) == 1
    assert "No family members added yet" not in client.get(f"/conferences/{later.id}").text


def test_young_person_is_not_offered_for_ordinary_family_members(signed_in) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}/family/new")
    values = {i["value"] for i in page.soup.select("input[name=relationship]")}
    assert "young_person" not in values


def test_removing_a_child_with_their_own_contact_record(signed_in) -> None:
    conference = make_conference()
    child = add_child(conference, date_of_birth=_years_ago(12))
    client = signed_in(Role.COORDINATOR)
    client.submit(f"/conferences/{conference.id}/children/{child.id}/invite", CONTACT)
    removed = client.submit(f"/conferences/{conference.id}/children/{child.id}/remove")
    assert removed.status == 302
    assert db.session.scalars(select(FamilyMember)).all() == []
