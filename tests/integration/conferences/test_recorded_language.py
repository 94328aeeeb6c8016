"""A family member's language: a choice from a list (or "other" with its name), an interpreter
need of its own, and the page language from the choice only (issue 21)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import Conference, FamilyMember, FormKind, Role, Task, TaskKind
from portal.tasks.services import sync_member
from tests.factories import add_contactable_member, add_family_member, make_conference
from tests.pages import PageClient

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


def _page_language(client: PageClient, member: FamilyMember) -> str:
    conference = db.session.scalars(select(Conference)).first()
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    return client.get("/your-say/").soup.html["lang"]


def test_free_text_languages_are_migrated_to_a_choice(client: PageClient) -> None:
    conference = make_conference()
    typed = [
        "Polish (interpreter)",
        "PL",
        " polski ",
        "English",
        "",
        "Urdu",
        "romanian",
        "Tigrinya",
        "Kurdish - needs interpreter",
    ]
    ids = [add_contactable_member(conference, first_name=f"P{i}").id for i in range(len(typed))]
    db.session.remove()

    downgrade(revision="0022")
    with db.engine.begin() as connection:
        for member_id, language in zip(ids, typed, strict=True):
            connection.execute(
                text("UPDATE family_member SET language = :language WHERE id = :id"),
                {"language": language, "id": member_id},
            )
    upgrade()

    members = [db.session.get(FamilyMember, member_id) for member_id in ids]
    assert [(m.language_code, m.language, m.interpreter_needed) for m in members] == [
        ("pl", "Polish", True),
        ("pl", "Polish", True),
        ("pl", "Polish", True),
        ("en", "English", False),
        ("en", "English", False),
        ("ur", "Urdu", True),
        ("ro", "Romanian", True),
        # Anything else is kept as it was typed, as "another language"
        ("other", "Tigrinya", True),
        ("other", "Kurdish - needs interpreter", True),
    ]
    # Recorded as "Polish (interpreter)" and "PL": the link now opens in Polish.
    assert _page_language(client, members[0]) == "pl"
    client = PageClient(client.app.test_client())
    assert _page_language(client, members[1]) == "pl"


def test_a_downgrade_keeps_the_language_name(app) -> None:
    conference = make_conference()
    member_id = add_family_member(
        conference, language_code="other", language="Tigrinya", interpreter_needed=True
    ).id
    db.session.remove()
    downgrade(revision="0022")
    with db.engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT language FROM family_member WHERE id = :id"), {"id": member_id}
            ).scalar_one()
            == "Tigrinya"
        )
    upgrade()
    member = db.session.get(FamilyMember, member_id)
    assert (member.language_code, member.language, member.interpreter_needed) == (
        "other",
        "Tigrinya",
        True,
    )


def test_the_page_language_follows_the_choice_only(client: PageClient) -> None:
    conference = make_conference()
    # A name that reads as Polish, but chosen as "another language": English pages.
    named = add_contactable_member(conference, language_code="other", language="Polish")
    assert _page_language(client, named) == "en"
    client = PageClient(client.app.test_client())
    chosen = add_contactable_member(conference, language_code="pl", language="Polish")
    assert _page_language(client, chosen) == "pl"


def test_the_form_saves_the_choice_another_language_and_the_interpreter_need(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/family/new"
    form = client.get(url).soup
    assert form.select_one("input[name=language_code][value=pl]") is not None
    assert form.select_one("input[name=language_code][value=en]").has_attr("checked")
    assert client.submit(url, MOTHER | {"language_code": "other"}).error_summary == [
        "Enter the language they would like to use"
    ]
    page = client.submit(
        url,
        MOTHER
        | {"language_code": "other", "language_other": " Tigrinya ", "interpreter_needed": "y"},
    )
    assert page.status == 302, page.error_summary
    member = db.session.scalars(select(FamilyMember)).one()
    assert (member.language_code, member.language, member.interpreter_needed) == (
        "other",
        "Tigrinya",
        True,
    )
    [task] = db.session.scalars(select(Task)).all()
    assert (task.kind, task.detail) == (TaskKind.INTERPRETER, "Tigrinya")

    # Changed to Polish, no interpreter: the name follows the choice; the task is cancelled.
    edit = f"/conferences/{conference.id}/family/{member.id}/edit"
    shown = client.get(edit).soup
    assert shown.select_one("input[name=language_other]")["value"] == "Tigrinya"
    assert shown.select_one("input[name=interpreter_needed]").has_attr("checked")
    page = client.submit(edit, MOTHER | {"language_code": "pl", "language_other": "Tigrinya"})
    assert page.status == 302, page.error_summary
    db.session.refresh(member)
    assert (member.language_code, member.language, member.interpreter_needed) == (
        "pl",
        "Polish",
        False,
    )
    assert db.session.scalars(select(Task.state)).one() == "cancelled"


def test_an_interpreter_for_english_is_refused(signed_in) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/family/new", MOTHER | {"interpreter_needed": "y"}
    )
    assert page.error_summary == ["Select the language they need an interpreter for"]


def test_an_interpreter_task_comes_from_the_interpreter_need() -> None:
    conference = make_conference()
    needs = add_contactable_member(
        conference, language_code="pl", language="Polish", interpreter_needed=True
    )
    reads_english_too = add_contactable_member(
        conference, language_code="pl", language="Polish", interpreter_needed=False
    )
    sync_member(needs)
    sync_member(reads_english_too)
    db.session.commit()
    tasks = db.session.scalars(select(Task)).all()
    assert [(t.family_member_id, t.kind, t.detail) for t in tasks] == [
        (needs.id, TaskKind.INTERPRETER, "Polish")
    ]
