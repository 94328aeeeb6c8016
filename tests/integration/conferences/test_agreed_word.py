"""The word a coordinator agrees with a person, for their links to ask for (issue 25): set on
the family member form, kept only as a sealed Argon2id hash, reset to unlock a link, and never
in a page, a log, an export or the audit trail. Opening a link with it: tests/integration/
messaging/test_agreed_word.py."""

from __future__ import annotations

import logging

import pytest
from flask import url_for
from sqlalchemy import select, text

from portal.crypto import is_sealed
from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import AuditEvent, FamilyMember, FormKind, Role, SecondCheck
from portal.subject_access.services import export_html
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient

WORD = "Marmalade Lighthouse"
NEW_WORD = "Copper Wren 47"
ADULT = {
    "first_name": "Jo",
    "last_name": "Ellery",
    "relationship": "mother",
    "mobile": "07700 900 982",
    "email": "",
    "preferred_channel": "sms",
    "language_code": "en",
    "access_needs": "",
}


def _add(coordinator: PageClient, conference_id: int, **fields: str):  # type: ignore[no-untyped-def]
    return coordinator.submit(f"/conferences/{conference_id}/family/new", {**ADULT, **fields})


def _only_member() -> FamilyMember:
    return db.session.scalars(select(FamilyMember)).one()


def _raw_hash(member_id: int) -> str:
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT agreed_word_hash FROM family_member WHERE id = :id"), {"id": member_id}
        ).scalar_one()


def test_the_word_is_kept_only_as_a_sealed_argon2id_hash_and_never_shown_again(
    signed_in,
) -> None:
    coordinator = signed_in(Role.COORDINATOR)
    conference = make_conference()
    page = _add(coordinator, conference.id, second_check="agreed_word", agreed_word=WORD)
    assert page.status == 302
    member = _only_member()
    assert member.second_check == SecondCheck.AGREED_WORD
    assert member.agreed_word_hash.startswith("$argon2id$")
    assert WORD.lower() not in member.agreed_word_hash
    raw = _raw_hash(member.id)
    assert is_sealed(raw.encode())
    assert "argon2" not in raw
    edit = coordinator.get(f"/conferences/{conference.id}/family/{member.id}/edit")
    html = edit.response.get_data(as_text=True)
    assert WORD not in html
    assert "argon2" not in html
    assert "A word is agreed with them" in edit.text
    events = db.session.scalars(select(AuditEvent)).all()
    assert any("agreed_word" in event.fields.split(",") for event in events)
    assert not any(WORD.lower() in f"{event.fields}".lower() for event in events)


def test_the_form_says_why_a_date_of_birth_is_not_used(signed_in) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}/family/new")
    assert "Not a date of birth: whoever shares their phone usually knows it." in page.text
    choices = [label.get_text(strip=True) for label in page.soup.select(".govuk-radios__label")]
    assert "Yes: when they open a link, ask for a word agreed with them" in choices


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"second_check": "agreed_word"}, "Enter the word agreed with them"),
        ({"second_check": "agreed_word", "agreed_word": "ab c"}, None),  # 4 is enough
        (
            # Letters that are not hexadecimal: a page's random nonces never hold them.
            {"second_check": "agreed_word", "agreed_word": "owq"},
            "The agreed word must be 4 to 40 characters",
        ),
        (
            {"second_check": "agreed_word", "agreed_word": "27/03/1990"},
            "Agree a word that is not a date: whoever shares their phone may know it",
        ),
        (
            {"second_check": "none", "agreed_word": WORD},
            "Select that we ask for a word agreed with them, or leave the word empty",
        ),
    ],
)
def test_the_word_is_checked_on_the_form_and_never_shown_back(
    signed_in, fields: dict[str, str], message: str | None
) -> None:
    conference = make_conference()
    page = _add(signed_in(Role.COORDINATOR), conference.id, **fields)
    if message is None:
        assert page.status == 302
        return
    assert (page.status, page.error_summary) == (400, [message])
    typed = fields.get("agreed_word")
    assert typed is None or typed not in page.response.get_data(as_text=True)


def test_editing_keeps_the_word_unless_a_new_one_is_typed_and_no_check_drops_it(
    signed_in,
) -> None:
    coordinator = signed_in(Role.COORDINATOR)
    conference = make_conference()
    _add(coordinator, conference.id, second_check="agreed_word", agreed_word=WORD)
    member = _only_member()
    edit = f"/conferences/{conference.id}/family/{member.id}/edit"
    kept = member.agreed_word_hash
    assert coordinator.submit(edit, {**ADULT, "second_check": "agreed_word"}).status == 302
    assert member.agreed_word_hash == kept
    coordinator.submit(edit, {**ADULT, "second_check": "agreed_word", "agreed_word": NEW_WORD})
    assert member.agreed_word_hash != kept
    coordinator.submit(edit, {**ADULT, "second_check": "none"})
    assert (member.second_check, member.agreed_word_hash) == (SecondCheck.NONE, None)


def _locked_link(app, conference, member):  # type: ignore[no-untyped-def]
    """The member's views link, after five wrong words in a browser of its own."""
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    family = PageClient(app.test_client())
    family.submit(f"/r/{token_for(invitation.token_salt)}")
    for _ in range(5):
        family.submit("/r/word", {"word": "not it"})
    return invitation, family


def test_five_wrong_words_lock_the_link_the_coordinator_sees_it_and_a_new_word_unlocks_it(
    app, signed_in, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "LINK_RATE_LIMIT", "1000 per minute")
    coordinator = signed_in(Role.COORDINATOR)
    conference = make_conference()
    _add(coordinator, conference.id, second_check="agreed_word", agreed_word=WORD)
    member = _only_member()
    _confirm_safe(coordinator, conference.id, member.id)
    invitation, family = _locked_link(app, conference, member)
    assert invitation.code_attempts == 5

    delivery = coordinator.get(f"/conferences/{conference.id}/messages")
    assert "Locked: the link waits after 5 wrong tries at the agreed word" in delivery.text
    reset = f"/conferences/{conference.id}/family/{member.id}/agreed-word"
    assert delivery.link("Set a new agreed word for Jo Ellery") == reset
    shown = coordinator.get(f"/conferences/{conference.id}")
    assert shown.link("Set a new agreed word for Jo Ellery") == reset

    assert coordinator.submit(reset, {"word": ""}).error_summary == [
        "Enter the word agreed with them"
    ]
    done = coordinator.submit(reset, {"word": NEW_WORD})
    assert done.location == f"/conferences/{conference.id}"
    assert invitation.code_attempts == 0
    assert "Locked" not in coordinator.get(f"/conferences/{conference.id}/messages").text
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    named = [(e.action.value, e.fields) for e in events if "agreed_word" in e.fields.split(",")]
    assert named[0][0] == "create"  # set with the person
    assert named[-1] == ("update", "agreed_word")  # then reset: by name only

    assert family.submit("/r/word", {"word": WORD}).error_summary == [
        "That is not the word agreed with you. You have 4 more tries."
    ]
    assert family.submit("/r/word", {"word": NEW_WORD.lower()}).location == "/your-say/"


def _confirm_safe(coordinator: PageClient, conference_id: int, member_id: int) -> None:
    url = f"/conferences/{conference_id}/family/{member_id}/contact-safe"
    assert coordinator.submit(url, {"safe": "yes"}).status == 302


def test_only_a_coordinator_may_set_a_word(signed_in) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    url = f"/conferences/{conference.id}/family/{member.id}/agreed-word"
    assert signed_in(Role.CHAIR).get(url).status == 403
    coordinator = signed_in(Role.COORDINATOR)
    assert coordinator.submit(url, {"word": WORD}).status == 302
    assert member.second_check == SecondCheck.AGREED_WORD  # the page also turns the check on


def test_the_word_is_in_no_log_export_audit_page_or_subject_access_file(
    app, signed_in, caplog, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "LINK_RATE_LIMIT", "1000 per minute")
    caplog.set_level(logging.DEBUG)
    coordinator = signed_in(Role.COORDINATOR)
    conference = make_conference()
    _add(coordinator, conference.id, second_check="agreed_word", agreed_word=WORD)
    member = _only_member()
    coordinator.submit(
        f"/conferences/{conference.id}/family/{member.id}/agreed-word", {"word": NEW_WORD}
    )
    _confirm_safe(coordinator, conference.id, member.id)
    _, family = _locked_link(app, conference, member)  # five wrong words, one of them WORD
    family.submit("/r/word", {"word": WORD})
    word_hash = member.agreed_word_hash

    admin = signed_in(Role.ADMIN)
    officer = signed_in(Role.PARTICIPATION_OFFICER)
    with app.test_request_context():
        exports = [url_for(f"reports.{kind}_export", fmt="csv") for kind in _report_kinds(app)]
    written = [
        caplog.text,
        *(str(record.args) for record in caplog.records),
        export_html([member]),
        admin.get("/admin/audit/").response.get_data(as_text=True),
        *(officer.get(url).response.get_data(as_text=True) for url in exports),
    ]
    assert len(exports) >= 3
    assert caplog.records
    for where in written:
        for secret in (WORD, NEW_WORD, word_hash):
            assert secret.lower() not in where.lower()
        assert "$argon2" not in where


def _report_kinds(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every report with a CSV export, from the app's own URL map."""
    return sorted(
        rule.endpoint.removeprefix("reports.").removesuffix("_export")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("reports.") and rule.endpoint.endswith("_export")
    )
