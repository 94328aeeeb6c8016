"""Every endpoint is in the access policy, and every role gets the answer the design expects.

The expectations below are written from the design (who may do what), independently of the
policy table in portal/auth/access.py, so a wrong line in either one fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from portal.auth.access import POLICY
from portal.extensions import db
from portal.models import Base, Role
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_family_member,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import PageClient

ANONYMOUS = "anonymous"
OWNING_CHAIR = "chair who chairs it"
OTHER_CHAIR = "chair who does not"
OWNING_ADVOCATE = "advocate assigned the child"
OTHER_ADVOCATE = "advocate who is not"
ADVOCACY_MANAGER = "advocacy manager"
EVERYONE = {
    ANONYMOUS,
    Role.ADMIN,
    Role.COORDINATOR,
    OWNING_CHAIR,
    OTHER_CHAIR,
    OWNING_ADVOCATE,
    OTHER_ADVOCATE,
    ADVOCACY_MANAGER,
    Role.PARTICIPATION_OFFICER,
}
STAFF = EVERYONE - {ANONYMOUS}
BOTH_CHAIRS = {OWNING_CHAIR, OTHER_CHAIR}
ADVOCATES = {OWNING_ADVOCATE, OTHER_ADVOCATE, ADVOCACY_MANAGER}

# endpoint -> (who may use it, who is told "not found" because the record is not theirs)
EXPECTED: dict[str, tuple[set[object], set[object]]] = {
    "static": (EVERYONE, set()),
    "site.home": (EVERYONE, set()),
    "site.healthz": (EVERYONE, set()),
    "site.readyz": (EVERYONE, set()),
    "site.accessibility": (EVERYONE, set()),
    "site.privacy": (EVERYONE, set()),
    "auth.login": (EVERYONE, set()),
    "language.switch": (EVERYONE, set()),
    "auth.logout": (STAFF, set()),
    "site.dashboard": (STAFF, set()),
    "conferences.index": ({Role.COORDINATOR} | BOTH_CHAIRS, set()),
    "conferences.new": ({Role.COORDINATOR}, set()),
    "conferences.show": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    "conferences.edit": ({Role.COORDINATOR}, set()),
    "people.add_child": ({Role.COORDINATOR}, set()),
    "people.edit_child": ({Role.COORDINATOR}, set()),
    "people.remove_child": ({Role.COORDINATOR}, set()),
    "people.add_family_member": ({Role.COORDINATOR}, set()),
    "people.edit_family_member": ({Role.COORDINATOR}, set()),
    "people.remove_family_member": ({Role.COORDINATOR}, set()),
    "people.confirm_contact": ({Role.COORDINATOR}, set()),
    "people.invite_young_person": ({Role.COORDINATOR}, set()),
    "audit.index": ({Role.ADMIN}, set()),
    "wording.index": ({Role.ADMIN}, set()),
    "wording.edit": ({Role.ADMIN}, set()),
    "delivery.conference": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    "family_answers.conference": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    "delivery.send_now": ({Role.COORDINATOR}, set()),
    "delivery.pause": ({Role.COORDINATOR}, set()),
    "delivery.switch_channel_view": ({Role.COORDINATOR}, set()),
    "delivery.failed": ({Role.COORDINATOR}, set()),
    "delivery.dev_outbox": ({Role.COORDINATOR, Role.ADMIN}, set()),
    # Without a live link (the token here opens nothing), everyone gets "link not working".
    "advocacy.caseload": (ADVOCATES, set()),
    "advocacy.referrals": ({ADVOCACY_MANAGER, Role.ADMIN}, set()),
    "advocacy.assign": ({ADVOCACY_MANAGER, Role.ADMIN}, set()),
    "advocacy.refer_child": ({Role.COORDINATOR}, set()),
    # The advocacy manager assigns children but reads only the ones assigned to them.
    "advocacy.record": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.views": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.add_contact": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.add_attachment": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.version": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.attachment": (
        {OWNING_ADVOCATE, OWNING_CHAIR},
        {OTHER_ADVOCATE, ADVOCACY_MANAGER, OTHER_CHAIR},
    ),
    "pack.show": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "pack.mark_read": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "recording.record": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "recording.you_said_we_did": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "reports.index": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.participation": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.participation_export": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.feedback": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.feedback_export": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.activity": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.activity_export": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.long_plans": ({Role.ADMIN}, set()),
    "links.open_link": (set(), EVERYONE),
    "links.enter_code": (set(), EVERYONE),
    "family_forms.landing": (set(), EVERYONE),
    "family_forms.start": (set(), EVERYONE),
    "family_forms.question": (set(), EVERYONE),
    "family_forms.check": (set(), EVERYONE),
    "family_forms.help_now": (set(), EVERYONE),
    "family_forms.done": (set(), EVERYONE),
    "family_forms.finish_for_now": (set(), EVERYONE),
}
# Twilio's callbacks: without Twilio's signature, refused to everyone, signed in or not.
SIGNED_BY_TWILIO_ONLY = {"webhooks.twilio_status", "webhooks.twilio_inbound"}

# Run last, in this order: they remove what other requests need, or end the session.
RUN_LAST = ["people.remove_child", "people.remove_family_member", "auth.logout"]


def test_every_endpoint_is_in_the_policy_and_in_these_expectations(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - POLICY.keys() == set(), "endpoints missing from the access policy"
    assert POLICY.keys() - endpoints == set(), "policy lines for endpoints that do not exist"
    assert endpoints == EXPECTED.keys() | SIGNED_BY_TWILIO_ONLY, "add the endpoint to this test"


def _row_counts() -> dict[str, int]:
    """Rows in every table but the audit log (views are audited: that write is expected)."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name != "audit_event"
    }


def world_of_records() -> tuple[dict[str, object], Callable[[object], PageClient]]:
    """One conference with a child, a family member, a referral, a record and an attachment;
    the URL values that reach them; and a way to get a client signed in as each of EVERYONE."""
    owning_chair, other_chair = make_staff(Role.CHAIR), make_staff(Role.CHAIR)
    owning_advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=owning_chair)
    child = add_child(conference)
    member = add_family_member(conference)
    referral = refer(conference, child, owning_advocate)
    add_advocate_record(referral)
    attachment = add_attachment(referral)
    values = {
        "conference_id": conference.id,
        "child_id": child.id,
        "referral_id": referral.id,
        "attachment_id": attachment.id,
        "version": 1,
        "fmt": "csv",
        "member_id": member.id,
        "filename": "govuk/heard.min.css",
        "token": "A" * 22,
        "kind": "views_invitation",
        "channel": "sms",
        "question_id": "why_meeting",
    }
    known = {OWNING_CHAIR: owning_chair, OTHER_CHAIR: other_chair, OWNING_ADVOCATE: owning_advocate}

    def client_for(who: object) -> PageClient:
        client = PageClient(current_app.test_client())
        if who in known:
            client.sign_in_as(known[who])
        elif who == OTHER_ADVOCATE:
            client.sign_in_as(make_staff(Role.ADVOCATE))
        elif who == ADVOCACY_MANAGER:
            client.sign_in_as(make_staff(Role.ADVOCATE, is_advocacy_manager=True))
        elif who != ANONYMOUS:
            client.sign_in_as(make_staff(who))  # type: ignore[arg-type]
        return client

    return values, client_for


@pytest.mark.parametrize("who", sorted(EVERYONE, key=str), ids=str)
def test_every_role_gets_the_expected_answer_everywhere(
    app: Flask, who: object, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, client_for = world_of_records()
    client = client_for(who)
    token = client.get("/login" if who == ANONYMOUS else "/dashboard").csrf_token()

    rules = sorted(
        app.url_map.iter_rules(),
        key=lambda r: RUN_LAST.index(r.endpoint) if r.endpoint in RUN_LAST else -1,
    )
    before = _row_counts()
    checked = 0
    for rule in rules:
        allowed, not_theirs = EXPECTED.get(rule.endpoint, (set(), set()))
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):  # GET before POST
            data = {"csrf_token": token} if method == "POST" else None
            response = client.post(url, data) if method == "POST" else client.get(url)
            status, location = response.status, response.location or ""
            where = f"{who}: {method} {url} answered {status} {location}"
            if method == "GET":
                assert _row_counts() == before, f"{where} and changed data on a GET"
            else:
                before = _row_counts()
            if rule.endpoint in SIGNED_BY_TWILIO_ONLY:
                assert status == 403, where
            elif who in allowed:
                assert status < 500, where
                assert status not in (403, 404), where
                assert not location.startswith("/login?next="), where
            elif who in not_theirs:
                assert status == 404, where
            elif who == ANONYMOUS:
                assert status == 302, where
                assert location.startswith("/login?next="), where
            else:
                assert status == 403, where
            checked += 1
    assert checked >= len(EXPECTED)
