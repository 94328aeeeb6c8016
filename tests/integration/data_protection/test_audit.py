import ast
from pathlib import Path

import pytest
from sqlalchemy import select

import portal
from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, RecordType, Role
from tests.factories import add_child, add_family_member, make_conference, make_staff


def _events() -> list[tuple[str, str, int | None, int | None]]:
    return [
        (e.action.value, e.record_type, e.record_id, e.conference_id)
        for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def test_viewing_a_conference_audits_it_and_every_person_shown(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    first, second = add_child(conference), add_child(conference, first_name="Ivy")
    member = add_family_member(conference)
    signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}")
    assert sorted(_events()) == sorted(
        [
            ("view", "conference", conference.id, conference.id),
            ("view", "child", first.id, conference.id),
            ("view", "child", second.id, conference.id),
            ("view", "family_member", member.id, conference.id),
        ]
    )
    assert {e.actor_id for e in db.session.scalars(select(AuditEvent))} == {chair.id}


def test_opening_a_child_to_change_it_is_audited_as_a_view(signed_in) -> None:
    conference = make_conference()
    child = add_child(conference)
    signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}/children/{child.id}/edit")
    assert _events() == [("view", "child", child.id, conference.id)]


def test_changes_are_audited_with_field_names_never_values(signed_in) -> None:
    conference = make_conference()
    member = add_family_member(conference)
    signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/family/{member.id}/edit",
        {
            "first_name": "Josephine",
            "last_name": "Tester",
            "relationship": "mother",
            "mobile": "07700 900123",
            "preferred_channel": "sms",
            "language_code": "en",
        },
    )
    update = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.UPDATE)
    ).one()
    assert update.fields == "first_name"
    every_column = " ".join(
        str(value) for e in db.session.scalars(select(AuditEvent)) for value in vars(e).values()
    )
    assert "Josephine" not in every_column


def test_admin_lists_and_filters_the_audit_log(signed_in) -> None:
    coordinator, chair = make_staff(Role.COORDINATOR), make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    child = add_child(conference)
    signed_in(Role.COORDINATOR, coordinator).get(f"/conferences/{conference.id}")
    signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}")
    admin = signed_in(Role.ADMIN)

    everything = admin.get("/admin/audit/")
    assert everything.status == 200
    assert "4 events" in everything.text

    by_chair = admin.get(f"/admin/audit/?actor_id={chair.id}")
    assert "2 events" in by_chair.text
    assert coordinator.email not in by_chair.soup.select_one("tbody").text

    about_child = admin.get(f"/admin/audit/?record_type=child&record_id={child.id}")
    assert "2 events" in about_child.text

    nothing = admin.get("/admin/audit/?action=delete")
    assert "No events match these filters." in nothing.text

    past_the_end = admin.get(f"/admin/audit/?actor_id={chair.id}&page=7")  # the last page
    assert "No events match" not in past_the_end.text
    assert chair.email in past_the_end.soup.select_one("tbody").text


def test_bad_audit_filters_get_messages_not_errors(signed_in) -> None:
    page = signed_in(Role.ADMIN).get(
        "/admin/audit/?record_id=abc&from_date=31&from_date=2&from_date=2026&action=nope"
    )
    assert page.status == 200
    assert page.title.startswith("Error: ")
    assert page.error_summary == [
        "Select an action from the list",
        "Enter the record number as a whole number, like 42",
        "From date must be a real date",
    ]


# The strings the audit_event.record_type column has always held: RecordType keeps them, so no
# row needs migrating.
STORED_RECORD_TYPES = [
    "conference",
    "child",
    "family_member",
    "staff_user",
    "invitation",
    "message",
    "message_wording",
    "advocacy_referral",
    "advocate_record",
    "contact_log_entry",
    "attachment",
    "pack_item_read",
    "form_response",
    "import",
    "data_keys",
    "task",  # issue 13: a call recorded, help arranged
    "safety_alert",
    "annual_text",  # issue 23: the manager's words, other areas' figures, the child population
    "comparator",
    "child_population",
    "drawing",  # issue 20: a child's drawing on the Three Houses form, seen by staff
]


def test_record_types_are_the_strings_stored_and_every_call_names_one() -> None:
    assert [kind.value for kind in RecordType] == STORED_RECORD_TYPES
    loose = []
    root = Path(portal.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "record_event"
                and not (
                    isinstance(node.args[1], ast.Attribute)
                    and ast.unparse(node.args[1].value) == "RecordType"
                )
            ):
                loose.append(f"{path.relative_to(root)} {ast.unparse(node.args[1])}")
    # Five calls choose their kind, each a RecordType (and record_event refuses any other
    # string: below): two about a person, two about a merge of two records (a child or a family
    # member), one about the annual report's figures (another area's, or the child population).
    assert loose == [
        *["people/merge.py kind.record_type"] * 2,
        *["people/services.py record_type"] * 2,
        "reports/annual/comparators.py record_type",
    ]


def test_a_kind_of_record_not_listed_is_refused(app) -> None:
    with app.test_request_context(), pytest.raises(ValueError, match="not a valid RecordType"):
        record_event(AuditAction.VIEW, "chid", 1)  # type: ignore[arg-type]


def test_the_audit_page_offers_every_kind_and_shows_older_rows_as_they_are(signed_in) -> None:
    db.session.add_all(
        [
            AuditEvent(action=AuditAction.VIEW, record_type="data_keys", fields=""),
            AuditEvent(action=AuditAction.VIEW, record_type="retired_kind", record_id=7, fields=""),
        ]
    )
    db.session.commit()
    page = signed_in(Role.ADMIN).get("/admin/audit/")
    offered = [o["value"] for o in page.soup.select("select[name=record_type] option")]
    assert offered == ["", *STORED_RECORD_TYPES]
    rows = [" ".join(r.get_text(" ").split()) for r in page.soup.select("tbody tr")]
    assert any("retired kind 7" in row for row in rows)
    assert any("data keys list" in row for row in rows)
