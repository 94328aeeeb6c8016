"""Views and feedback given another way (by phone, on paper, in the room, through an
interpreter), entered by staff on the person's behalf: who may, what is kept, how it is shown."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    EntryRoute,
    FormKind,
    FormResponse,
    Invitation,
    RecordType,
    Relationship,
    Role,
)
from tests.factories import (
    add_child,
    add_contactable_member,
    add_entry_given_another_way,
    add_family_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.helpers.answers import VIEWS_ANSWERS, YOUNG_PERSON_ANSWERS
from tests.pages import PageClient


def posted(answers: dict[str, dict[str, object]], route: str | None = "phone") -> dict:
    """The entry page's fields: how they were given, and each question's parts by its id."""
    data: dict[str, object] = {
        f"{qid}-{part}": value for qid, answer in answers.items() for part, value in answer.items()
    }
    if route:
        data["route"] = route
    return data


def enter_url(conference, member, form="views") -> str:
    return f"/conferences/{conference.id}/people/{member.id}/given-another-way/{form}"


def _entries() -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(Invitation.entry_route.is_not(None))))


def test_a_coordinator_enters_a_parents_views_given_by_phone(client: PageClient) -> None:
    coordinator = make_staff(Role.COORDINATOR, full_name="Dana Reed")
    conference = make_conference()
    parent = add_family_member(conference, relationship=Relationship.MOTHER)
    client.sign_in_as(coordinator)

    page = client.get(enter_url(conference, parent))
    assert page.status == 200
    assert "How did they give them?" in page.text
    saved = client.submit(enter_url(conference, parent), posted(VIEWS_ANSWERS))
    assert saved.status == 302, saved.error_summary
    assert saved.location == enter_url(conference, parent) + "/entered"

    [entry] = _entries()
    assert entry.entry_route == EntryRoute.PHONE
    assert entry.entered_by_id == coordinator.id
    assert entry.sent_at is None
    assert entry.revoked_at is not None
    response = db.session.scalar(select(FormResponse).where(FormResponse.invitation_id == entry.id))
    assert response.submitted_at is not None
    assert {a.question_id for a in response.answers} >= {"going_well", "danger_now"}

    shown = client.get(saved.location)
    assert "Given by phone, entered by Dana Reed on" in shown.text
    assert "The children are back at school" in shown.text
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.record_type).where(
            AuditEvent.record_id == response.id, AuditEvent.conference_id == conference.id
        )
    ).all()
    assert (AuditAction.CREATE, RecordType.FORM_RESPONSE.value) in events
    assert (AuditAction.VIEW, RecordType.FORM_RESPONSE.value) in events


def test_how_they_were_given_is_required(client: PageClient) -> None:
    conference = make_conference()
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    refused = client.submit(enter_url(conference, parent), posted(VIEWS_ANSWERS, route=None))
    assert refused.status == 400
    assert "Select how they gave them" in refused.error_summary
    assert refused.title.startswith("Error:")
    assert _entries() == []


def test_a_required_question_left_unanswered_is_refused(client: PageClient) -> None:
    conference = make_conference()
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    answers = {k: v for k, v in VIEWS_ANSWERS.items() if k != "danger_now"}
    refused = client.submit(enter_url(conference, parent), posted(answers, route="paper"))
    assert refused.status == 400
    assert refused.error_summary
    assert _entries() == []


def test_the_chair_enters_for_their_own_conference_only(client: PageClient) -> None:
    chair = make_staff(Role.CHAIR, full_name="Kim Chair")
    conference = make_conference(chair)
    parent = add_family_member(conference)
    elsewhere = make_conference(make_staff(Role.CHAIR))
    stranger = add_family_member(elsewhere)
    client.sign_in_as(chair)
    assert (
        client.submit(enter_url(conference, parent), posted(VIEWS_ANSWERS, "in_person")).status
        == 302
    )
    assert client.get(enter_url(elsewhere, stranger)).status == 404
    assert client.post(enter_url(elsewhere, stranger), posted(VIEWS_ANSWERS)).status == 404
    assert len(_entries()) == 1


def test_a_chair_who_reads_every_conference_still_enters_only_for_their_own(client) -> None:
    conference = make_conference(make_staff(Role.CHAIR))
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(Role.CHAIR, sees_all_conferences=True))
    assert client.get(enter_url(conference, parent)).status == 404


def test_an_advocate_enters_only_for_the_young_person_assigned_to_them(client) -> None:
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference()
    child = add_child(conference)
    refer(conference, child, advocate)
    young_person = add_contactable_member(
        conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    parent = add_family_member(conference)
    client.sign_in_as(advocate)
    assert client.get(f"/conferences/{conference.id}/given-another-way").status == 200
    saved = client.submit(
        enter_url(conference, young_person), posted(YOUNG_PERSON_ANSWERS, "interpreter")
    )
    assert saved.status == 302, saved.error_summary
    assert client.get(enter_url(conference, parent)).status == 404  # a parent: not theirs


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PARTICIPATION_OFFICER])
def test_other_roles_are_refused(client: PageClient, role: Role) -> None:
    conference = make_conference()
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(role))
    assert client.get(enter_url(conference, parent)).status == 403
    assert client.post(enter_url(conference, parent), posted(VIEWS_ANSWERS)).status == 403


def test_another_advocate_is_refused(client: PageClient) -> None:
    conference = make_conference()
    child = add_child(conference)
    refer(conference, child, make_staff(Role.ADVOCATE))
    young_person = add_contactable_member(
        conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    client.sign_in_as(make_staff(Role.ADVOCATE))
    assert client.get(enter_url(conference, young_person)).status == 404
    assert client.get(f"/conferences/{conference.id}/given-another-way").status == 404


def test_not_for_someone_who_sent_their_answers_through_their_link(client) -> None:
    conference = make_conference()
    parent = add_contactable_member(conference)
    add_form_response(conference, parent, {"going_well": {"text": "Fine"}})
    client.sign_in_as(make_staff(Role.COORDINATOR))
    page = client.get(enter_url(conference, parent))
    assert "They sent their answers through their own link" in page.text
    assert (
        client.post(
            enter_url(conference, parent),
            {**posted(VIEWS_ANSWERS), "csrf_token": page.csrf_token()},
        ).status
        == 409
    )
    assert _entries() == []


def test_feedback_waits_until_the_conference_is_held(client: PageClient) -> None:
    conference = make_conference()
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    assert (
        "once the conference is marked as held"
        in client.get(enter_url(conference, parent, "feedback")).text
    )


def test_once_entered_the_page_shows_the_entry(client: PageClient) -> None:
    conference = make_conference()
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    client.submit(enter_url(conference, parent), posted(VIEWS_ANSWERS))
    again = client.get(enter_url(conference, parent))
    assert again.location == enter_url(conference, parent) + "/entered"
    assert client.get(enter_url(conference, parent, "nonsense")).status == 404


def test_the_csrf_token_is_required(app, client: PageClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    conference = make_conference()
    parent = add_family_member(conference)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    refused = client.post(enter_url(conference, parent), posted(VIEWS_ANSWERS))
    assert refused.status == 400
    assert _entries() == []


MARK = "Given by phone, entered by Dana Reed on"


def _entered_by_phone():
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair)
    parent = add_contactable_member(conference, first_name="Jo", relationship=Relationship.MOTHER)
    add_entry_given_another_way(
        conference,
        parent,
        {**VIEWS_ANSWERS, "going_well": {"text": "Said on the phone: school is better"}},
        entered_by=make_staff(Role.COORDINATOR, full_name="Dana Reed"),
    )
    return chair, conference, parent


def test_the_pack_marks_views_given_another_way(client: PageClient) -> None:
    chair, conference, _ = _entered_by_phone()
    client.sign_in_as(chair)
    pack = client.get(f"/conferences/{conference.id}/pack")
    assert pack.status == 200
    assert MARK in pack.text
    assert "Said on the phone: school is better" in pack.text


def test_the_conference_and_family_views_pages_mark_them(client: PageClient) -> None:
    chair, conference, _ = _entered_by_phone()
    client.sign_in_as(chair)
    page = client.get(f"/conferences/{conference.id}")
    assert "Views and feedback given another way" in page.text
    assert MARK in page.text
    views = client.get(f"/conferences/{conference.id}/family-views")
    assert MARK in views.text
    assert "Said on the phone: school is better" in views.text
    assert views.link(
        "Enter views or feedback given by phone, on paper, in person or through an interpreter"
    )


def test_someone_in_danger_now_raises_a_safety_alert_as_the_familys_own_answer_would(
    client: PageClient,
) -> None:
    """One mechanism (issue 13): an entered danger answer raises the alert and tells people,
    and an entered "speak to the chair" makes the chair's call, as the family's own link would."""
    from portal.models import AlertRaiser, AlertSource, SafetyAlert, Task, TaskKind

    conference = make_conference(make_staff(Role.CHAIR))
    parent = add_family_member(conference)
    coordinator = make_staff(Role.COORDINATOR)
    client.sign_in_as(coordinator)
    answers = {**VIEWS_ANSWERS, "danger_now": {"choice": "yes", "text": "Said on the phone"}}
    assert client.submit(enter_url(conference, parent), posted(answers)).status == 302
    [alert] = db.session.scalars(select(SafetyAlert)).all()
    assert (alert.source, alert.raised_by) == (AlertSource.DANGER_ANSWER, AlertRaiser.FAMILY_MEMBER)
    assert alert.raised_by_staff_id == coordinator.id
    assert {delivery.told for delivery in alert.deliveries} >= {"chair", "team"}
    kinds = set(db.session.scalars(select(Task.kind).where(Task.family_member_id == parent.id)))
    assert TaskKind.SPEAK_TO_CHAIR in kinds


def test_a_second_entry_for_the_same_person_and_form_is_refused_by_the_database() -> None:
    from portal.family_forms.on_behalf import AlreadyEntered, enter

    conference = make_conference()
    parent = add_family_member(conference)
    coordinator = make_staff(Role.COORDINATOR)
    add_entry_given_another_way(conference, parent, VIEWS_ANSWERS, entered_by=coordinator)
    with pytest.raises(AlreadyEntered):
        enter(conference, parent, FormKind.VIEWS, EntryRoute.PAPER, VIEWS_ANSWERS, coordinator)
    assert len(_entries()) == 1


def test_answers_posted_after_a_colleagues_entry_are_shown_again_not_lost(
    client: PageClient,
) -> None:
    """Two people enter the same parent's views: the second to save is told theirs were not
    saved, with what they typed still on the page, and the first entry stands."""
    conference = make_conference()
    parent = add_family_member(conference)
    colleague = make_staff(Role.COORDINATOR)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    form = client.get(enter_url(conference, parent))  # the form, before theirs is saved
    assert form.status == 200
    add_entry_given_another_way(conference, parent, VIEWS_ANSWERS, entered_by=colleague)

    typed = {**VIEWS_ANSWERS, "going_well": {"text": "Typed while a colleague saved theirs"}}
    refused = client.post(
        enter_url(conference, parent), {"csrf_token": form.csrf_token(), **posted(typed)}
    )
    assert refused.status == 409
    assert "Not saved: a colleague entered" in refused.text
    assert "Typed while a colleague saved theirs" in refused.text
    assert refused.link("Read the saved entry") == enter_url(conference, parent) + "/entered"
    assert len(_entries()) == 1
    # Opening the page afresh still goes straight to the saved entry.
    assert client.get(enter_url(conference, parent)).status == 302
