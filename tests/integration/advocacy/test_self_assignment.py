"""An advocacy manager assigning a child to themselves once the conference has started (issue 15,
finding 10): it needs a reason, is audited as such with the reason sealed beside it, and admins
see it on the audit page. Assigning someone else, or oneself beforehand, works as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from portal.crypto import is_sealed
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocacySelfAssignment,
    AuditEvent,
    Role,
)
from tests.factories import add_advocate_record, add_child, make_conference, make_staff, refer

REASON = "Zephyrine's advocate is off sick and the chair asked for her notes to be finished"
ASK = "Enter why you are assigning this child to yourself"


@pytest.fixture
def manager():
    return make_staff(Role.ADVOCATE, is_advocacy_manager=True, full_name="Mo Manager")


def _referral(starts_in: timedelta, advocate=None) -> AdvocacyReferral:
    conference = make_conference(chair=make_staff(Role.CHAIR), starts_in=starts_in)
    referral = refer(conference, add_child(conference, first_name="Zephyrine"), advocate)
    add_advocate_record(referral, wishes="Larchsprocket for the chair only", sharing={})
    return referral


def _assign(client, referral: AdvocacyReferral, advocate_id: int, **more: str):
    return client.submit(
        f"/advocacy/referrals/{referral.id}/assign",
        {"advocate_id": str(advocate_id), **more},
        on="/advocacy/referrals",
    )


def _events(referral: AdvocacyReferral) -> list[tuple[str, str]]:
    return [
        (event.action.value, event.fields)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.record_type == "advocacy_referral",
                AuditEvent.record_id == referral.id,
            )
            .order_by(AuditEvent.id)
        )
    ]


@pytest.mark.parametrize("reason", [None, "", "   \r\n "], ids=["none", "empty", "blank"])
def test_assigning_oneself_a_past_referral_without_a_reason_is_refused_and_changes_nothing(
    signed_in, manager, reason
) -> None:
    owner = make_staff(Role.ADVOCATE)
    referral = _referral(timedelta(days=-200), owner)  # long past: not on the manager's list
    client = signed_in(Role.ADVOCATE, manager)
    more = {} if reason is None else {"reason": reason}

    page = _assign(client, referral, manager.id, **more)

    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == [ASK]
    [field] = page.soup.select("textarea[name=reason]")
    assert (
        page.soup.select_one(f"label[for={field['id']}]")
        .get_text(strip=True)
        .startswith("Why are you assigning this child to yourself?")
    )
    assert "Zephyrine" not in page.text  # a refused post tells nothing about a past referral
    assert "Larchsprocket" not in page.text
    assert referral.advocate_id == owner.id
    assert _events(referral) == []
    assert db.session.scalars(select(AdvocacySelfAssignment)).all() == []
    assert client.get(f"/advocacy/referrals/{referral.id}").status == 404


def test_with_a_reason_it_is_done_and_audited_as_a_self_assignment_with_the_reason_sealed(
    signed_in, manager
) -> None:
    owner = make_staff(Role.ADVOCATE)
    referral = _referral(timedelta(hours=-1), owner)  # started an hour ago
    client = signed_in(Role.ADVOCATE, manager)
    refused = _assign(client, referral, manager.id)
    assert refused.error_summary == [ASK]

    done = client.post(
        f"/advocacy/referrals/{referral.id}/assign",
        {"csrf_token": refused.csrf_token(), "advocate_id": str(manager.id), "reason": REASON},
    )

    assert done.location == "/advocacy/referrals"
    assert referral.advocate_id == manager.id
    assert referral.assigned_by_id == manager.id
    assert _events(referral) == [("self_assign", "advocate_id,reason")]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_id == referral.id)).one()
    assert (event.actor_id, event.conference_id) == (manager.id, referral.conference_id)
    kept = db.session.scalars(select(AdvocacySelfAssignment)).one()
    assert (kept.referral_id, kept.manager_id, kept.previous_advocate_id) == (
        referral.id,
        manager.id,
        owner.id,
    )
    assert kept.audit_event_id == event.id
    assert kept.reason == REASON
    with db.engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT reason FROM advocacy_self_assignment")).scalar()
    assert is_sealed(raw.encode())
    assert "Zephyrine" not in raw
    # The record is theirs now: that is what the reason and the audit entry answer for.
    assert client.get(f"/advocacy/referrals/{referral.id}").status == 200


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("x" * 501, "Reason must be 500 characters or fewer"),
        ("Covering\x00", "Your answer has a character we cannot keep. Remove it and try again"),
    ],
    ids=["too-long", "null-byte"],
)
def test_a_reason_that_cannot_be_kept_is_refused_on_the_form_and_kept_to_correct(
    signed_in, manager, reason, message
) -> None:
    referral = _referral(timedelta(days=-3))
    client = signed_in(Role.ADVOCATE, manager)

    page = _assign(client, referral, manager.id, reason=reason)

    assert page.status == 400
    assert page.error_summary == [message]
    assert page.soup.select_one("textarea[name=reason]").get_text() == reason
    assert referral.advocate_id is None
    assert _events(referral) == []


def test_admins_see_each_self_assignment_and_its_reason_on_the_audit_page(
    signed_in, manager
) -> None:
    owner = make_staff(Role.ADVOCATE, full_name="Olu Owner")
    referral = _referral(timedelta(days=-200), owner)
    client = signed_in(Role.ADVOCATE, manager)
    page = _assign(client, referral, manager.id, reason=REASON)
    assert page.status == 302
    signed_in(Role.ADVOCATE, owner).get("/advocacy/")  # other events around it

    admin = signed_in(Role.ADMIN)
    everything = admin.get("/admin/audit/")
    assert REASON in everything.text
    [option] = everything.soup.select("select[name=action] option[value=self_assign]")
    assert option.get_text(strip=True) == "assign to self after the start"

    listed = admin.get("/admin/audit/?action=self_assign")
    assert "1 event" in listed.text
    [row] = listed.soup.select("tbody tr")
    cells = {td["data-label"]: " ".join(td.get_text(" ").split()) for td in row.select("td")}
    assert cells["Who"] == manager.email
    assert cells["Action"] == "assign to self after the start"
    assert cells["Record"] == f"advocacy referral {referral.id}"
    assert cells["Conference"] == str(referral.conference_id)
    assert f"Reason: {REASON}" in cells["Fields"]
    assert "Before: Olu Owner" in cells["Fields"]


def test_assigning_someone_else_after_the_start_or_oneself_before_it_needs_no_reason(
    signed_in, manager
) -> None:
    other = make_staff(Role.ADVOCATE)
    started = _referral(timedelta(hours=-2))
    coming = _referral(timedelta(days=3))
    client = signed_in(Role.ADVOCATE, manager)

    assert _assign(client, started, other.id).location == "/advocacy/referrals"
    assert _assign(client, coming, manager.id).location == "/advocacy/referrals"

    assert started.advocate_id == other.id
    assert coming.advocate_id == manager.id
    assert _events(started) == [("update", "advocate_id")]
    assert _events(coming) == [("update", "advocate_id")]
    assert db.session.scalars(select(AdvocacySelfAssignment)).all() == []


def test_a_child_already_theirs_needs_no_reason_and_changes_nothing(signed_in, manager) -> None:
    referral = _referral(timedelta(days=-200), manager)
    page = _assign(signed_in(Role.ADVOCATE, manager), referral, manager.id)
    assert page.location == "/advocacy/referrals"
    assert _events(referral) == []
