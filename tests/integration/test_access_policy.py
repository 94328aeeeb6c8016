"""Every endpoint is in the access policy, and every role gets the answer the design expects.

The expectations below are written from the design (who may do what), independently of the
policy table in portal/auth/access.py, so a wrong line in either one fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from portal.auth.access import POLICY
from portal.extensions import db
from portal.link_tokens import token_for
from portal.models import AdvocacyReferral, Base, Relationship, Role, StaffUser
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_family_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import PageClient
from tests.proof import ACCESS_MATRIX

ANONYMOUS = "anonymous"
OWNING_CHAIR = "chair who chairs it"
OTHER_CHAIR = "chair who does not"
OWNING_ADVOCATE = "advocate assigned the child"
OTHER_ADVOCATE = "advocate who is not"
ADVOCACY_MANAGER = "advocacy manager"
# Two adults, each with their own link opened in their browser; family B's is another conference.
FAMILY_A = "family A with their link open"
FAMILY_B = "family B (another conference) with their link open"
FAMILIES = {FAMILY_A, FAMILY_B}
NOT_SIGNED_IN = {ANONYMOUS} | FAMILIES
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
    FAMILY_A,
    FAMILY_B,
}
STAFF = EVERYONE - NOT_SIGNED_IN
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
    # Without a password checked moments ago these send everyone to sign in (or home): no refusal
    "auth.second_factor": (EVERYONE, set()),
    "auth.set_up_second_factor": (EVERYONE, set()),
    # No URL names an account: each person reaches only their own
    "account.overview": (STAFF, set()),
    "account.change_password": (STAFF, set()),
    "account.two_factor": (STAFF, set()),
    "account.confirm_password": (STAFF, set()),
    "account.recovery_codes": (STAFF, set()),
    "account.sign_out_everywhere": (STAFF, set()),
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
    # A subject access request is the data protection lead's (admin) job: no one else exports.
    "subject_access.find": ({Role.ADMIN}, set()),
    "subject_access.review": ({Role.ADMIN}, set()),
    "subject_access.export": ({Role.ADMIN}, set()),
    "staff_admin.accounts": ({Role.ADMIN}, set()),
    "staff_admin.add_account": ({Role.ADMIN}, set()),
    "staff_admin.account": ({Role.ADMIN}, set()),
    "staff_admin.disable": ({Role.ADMIN}, set()),
    "staff_admin.enable": ({Role.ADMIN}, set()),
    "staff_admin.end_sessions": ({Role.ADMIN}, set()),
    "staff_admin.reset_second_factor": ({Role.ADMIN}, set()),
    "staff_admin.wider_access": ({Role.ADMIN}, set()),
    "staff_admin.temporary_password": ({Role.ADMIN}, set()),
    # The token in the URL opens nothing, and no code is awaited: "link not working" for all.
    # The family pages are for the two families whose own link is open in their browser.
    "links.open_link": (set(), EVERYONE),
    "links.enter_code": (set(), EVERYONE),
    "family_forms.landing": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.start": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.question": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.check": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.help_now": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.done": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.finish_for_now": (FAMILIES, EVERYONE - FAMILIES),
}
# Twilio's callbacks: without Twilio's signature, refused to everyone, signed in or not.
SIGNED_BY_TWILIO_ONLY = {"webhooks.twilio_status", "webhooks.twilio_inbound"}

# Run last, in this order: they remove what other requests need, or end the session.
RUN_LAST = [
    "people.remove_child",
    "people.remove_family_member",
    "family_forms.finish_for_now",
    "account.sign_out_everywhere",
    "auth.logout",
]

# Words written into one record each, and who may read that record (from the design: each adult
# sees only their own answers; a chair only their own conferences; an advocate only their own
# children; "chair only" words only the chair). Any page showing one to anyone else is a leak.
FAMILY_A_WORDS = "Quorlattice"  # in family A's answers, not sent yet
SENT_WORDS = "Halvorpine"  # in the sent answers of another adult on family A's conference
FAMILY_B_WORDS = "Brindlewhorl"  # in family B's answers
SECOND_CHILD = "Zennorvale"  # the surname of the second conference's child
SECOND_RECORD_WORDS = "Mirthquell"  # what that child told their own advocate
CHAIR_ONLY_WORDS = "Larchsprocket"  # the first child's wishes, shared with the chair only
CHAIR_ONLY_ANSWER = "Vostrelline"  # the first child's own answer for the chair only
MARKERS: dict[str, tuple[str, set[object]]] = {
    FAMILY_A_WORDS: ("family A's answers", {FAMILY_A, Role.COORDINATOR, OWNING_CHAIR}),
    SENT_WORDS: ("another adult's answers", {Role.COORDINATOR, OWNING_CHAIR}),
    FAMILY_B_WORDS: ("family B's answers", {FAMILY_B, Role.COORDINATOR}),
    SECOND_CHILD: (
        "the second conference's child",
        {FAMILY_B, Role.COORDINATOR, Role.ADMIN, ADVOCACY_MANAGER},  # managers assign referrals
    ),
    # Its own advocate and chair are not among the visitors here: nobody may read it.
    SECOND_RECORD_WORDS: ("the second child's advocacy record", set()),
    CHAIR_ONLY_WORDS: ("words shared with the chair only", {OWNING_ADVOCATE, OWNING_CHAIR}),
    CHAIR_ONLY_ANSWER: ("a young person's answer for the chair only", {OWNING_CHAIR}),
}
# Words some visitors must be shown somewhere, so the leak check is known to see them.
MUST_SEE: dict[object, set[str]] = {
    FAMILY_A: {FAMILY_A_WORDS},
    FAMILY_B: {FAMILY_B_WORDS},
    Role.COORDINATOR: {SENT_WORDS, SECOND_CHILD},
    OWNING_CHAIR: {SENT_WORDS, CHAIR_ONLY_WORDS, CHAIR_ONLY_ANSWER},
    OWNING_ADVOCATE: {CHAIR_ONLY_WORDS},
}
# URL values that reach one conference's records: visited again on the second conference, where
# the first conference's chair and advocate are strangers.
RECORD_IDS = {"conference_id", "child_id", "member_id", "referral_id", "attachment_id"}
STRANGER = {OWNING_CHAIR: OTHER_CHAIR, OWNING_ADVOCATE: OTHER_ADVOCATE}


def test_every_endpoint_is_in_the_policy_and_in_these_expectations(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - POLICY.keys() == set(), "endpoints missing from the access policy"
    assert POLICY.keys() - endpoints == set(), "policy lines for endpoints that do not exist"
    assert endpoints == EXPECTED.keys() | SIGNED_BY_TWILIO_ONLY, "add the endpoint to this test"


def _row_counts() -> dict[str, int]:
    """Rows in every table but the audit log (views are audited: that write is expected), in
    one statement: it runs after every GET."""
    tables = [table for table in Base.metadata.sorted_tables if table.name != "audit_event"]
    counts = db.session.execute(
        select(*(select(func.count()).select_from(table).scalar_subquery() for table in tables))
    ).one()
    return {table.name: count for table, count in zip(tables, counts, strict=True)}


def world_of_records() -> tuple[dict[str, object], Callable[[object], PageClient]]:
    """One conference with a child, a family member, a referral, a record and an attachment;
    the URL values that reach them; and a way to get a client signed in as each of EVERYONE
    (for a family, with their own link opened)."""
    values, _, client_for = worlds_of_records()
    return values, client_for


def worlds_of_records() -> tuple[
    dict[str, object], dict[str, object], Callable[[object], PageClient]
]:
    """world_of_records() with a second conference (its own chair, advocate, child and family
    B), the URL values that reach its records, and every record of MARKERS."""
    owning_chair, other_chair = make_staff(Role.CHAIR), make_staff(Role.CHAIR)
    owning_advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=owning_chair)
    child = add_child(conference)
    member = add_family_member(conference)
    referral = refer(conference, child, owning_advocate)
    add_advocate_record(referral, wishes=f"To see {CHAIR_ONLY_WORDS} more", sharing={})
    attachment = add_attachment(referral)
    family_a = add_form_response(
        conference,
        add_contactable_member(conference, first_name="Alex"),
        {"going_well": {"text": f"{FAMILY_A_WORDS} is going well"}},
        submitted=False,
    )
    add_form_response(
        conference,
        add_contactable_member(conference, first_name="Charlie"),
        {"going_well": {"text": f"{SENT_WORDS} is going well"}},
    )
    young_person = add_contactable_member(
        conference, first_name="Sam", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    add_form_response(
        conference, young_person, {"chair_only": {"text": f"{CHAIR_ONLY_ANSWER} at home"}}
    )
    second_values, family_b = _second_conference()
    invitations = {FAMILY_A: family_a.invitation, FAMILY_B: family_b.invitation}  # type: ignore[attr-defined]
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
        "staff_id": other_chair.id,  # an admin's staff account pages act on this account
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
        elif who in invitations:
            opened = client.submit(f"/r/{token_for(invitations[who].token_salt)}")
            assert opened.location == "/your-say/", f"{who}: the link did not open"
        elif who != ANONYMOUS:
            client.sign_in_as(make_staff(who))  # type: ignore[arg-type]
        return client

    return values, {**values, **second_values}, client_for


def _second_conference() -> tuple[dict[str, object], object]:
    """Another chair's conference: a child with their own advocate and record, a family member,
    and family B with answers; the URL values that reach them, and family B's answers."""
    conference = make_conference(chair=make_staff(Role.CHAIR))
    child = add_child(conference, first_name="Robin", last_name=SECOND_CHILD)
    member = add_family_member(conference, first_name="Sky")
    referral = refer(conference, child, make_staff(Role.ADVOCATE))
    add_advocate_record(referral, worries=f"When {SECOND_RECORD_WORDS} happens")
    attachment = add_attachment(referral)
    family_b = add_form_response(
        conference,
        add_contactable_member(conference, first_name="Bo"),
        {"going_well": {"text": f"{FAMILY_B_WORDS} is going well"}},
        submitted=False,
    )
    values = {
        "conference_id": conference.id,
        "child_id": child.id,
        "member_id": member.id,
        "referral_id": referral.id,
        "attachment_id": attachment.id,
    }
    return values, family_b


@pytest.mark.parametrize("who", sorted(EVERYONE, key=str), ids=str)
def test_every_role_gets_the_expected_answer_everywhere(
    app: Flask, who: object, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, second_values, client_for = worlds_of_records()
    client = client_for(who)
    token = client.get("/login" if who in NOT_SIGNED_IN else "/dashboard").csrf_token()

    rules = list(app.url_map.iter_rules())
    # (rule, URL values, whose expectations apply): every endpoint on the first conference, then
    # those reaching a record on the second, where this visitor owns nothing.
    cases = [(rule, values, who) for rule in rules] + [
        (rule, second_values, STRANGER.get(who, who))
        for rule in rules
        if RECORD_IDS & rule.arguments
    ]
    cases.sort(key=lambda c: RUN_LAST.index(c[0].endpoint) if c[0].endpoint in RUN_LAST else -1)
    before = _row_counts()
    checked, leaks, seen = 0, [], set()
    with client.client.session_transaction() as session:
        staff_id = session.get("_user_id")
    for rule, url_values, expected_as in cases:
        allowed, not_theirs = EXPECTED.get(rule.endpoint, (set(), set()))
        url = rule.build(url_values, append_unknown=False)[1]
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
            elif expected_as in allowed:
                assert status < 500, where
                assert status not in (403, 404), where
                assert not location.startswith("/login?next="), where
            elif expected_as in not_theirs:
                assert status == 404, where
            elif expected_as in NOT_SIGNED_IN:
                assert status == 302, where
                assert location.startswith("/login?next="), where
            else:
                assert status == 403, where
            body = response.response.get_data() + location.encode()
            shown = {marker for marker in MARKERS if marker.encode() in body}
            leaks += [f"{where} shows {MARKERS[m][0]}" for m in shown if who not in MARKERS[m][1]]
            seen |= shown
            checked += 1
            if rule.endpoint == "account.sign_out_everywhere" and expected_as in allowed:
                # Signed out everywhere, as asked: sign in again for the requests still to come.
                client.sign_in_as(db.session.get(StaffUser, int(staff_id)))
                token = client.get("/dashboard").csrf_token()
    ACCESS_MATRIX.requests += checked
    ACCESS_MATRIX.leaks += len(leaks)
    assert leaks == []
    assert MUST_SEE.get(who, set()) <= seen, "the words to look for are not where expected"
    assert checked >= len(EXPECTED)


def test_the_advocacy_manager_owns_no_started_conferences_child_without_giving_a_reason(
    app: Flask,
) -> None:
    """Issue 15: the manager could post their own id to any referral, past ones too, then read
    what the child shared with the chair only. Once the conference has started, that needs a
    reason; refused, nothing of the child's is theirs to open."""
    values, client_for = world_of_records()
    referral = db.session.get(AdvocacyReferral, values["referral_id"])
    referral.conference.starts_at -= timedelta(days=400)
    db.session.commit()
    manager = client_for(ADVOCACY_MANAGER)
    with manager.client.session_transaction() as session:
        manager_id = session["_user_id"]
    record = f"/advocacy/referrals/{referral.id}"
    token = manager.get("/advocacy/referrals").csrf_token()

    refused = manager.post(f"{record}/assign", {"csrf_token": token, "advocate_id": manager_id})

    assert refused.status == 400
    assert CHAIR_ONLY_WORDS not in refused.response.get_data(as_text=True)
    for url in [
        record,
        f"{record}/views",
        f"{record}/versions/1",
        f"/attachments/{values['attachment_id']}",
    ]:
        assert manager.get(url).status == 404, url
    done = manager.post(
        f"{record}/assign",
        {"csrf_token": token, "advocate_id": manager_id, "reason": "Covering for a colleague"},
    )
    assert done.status == 302
    assert CHAIR_ONLY_WORDS in manager.get(record).text  # theirs now, on the audited reason
