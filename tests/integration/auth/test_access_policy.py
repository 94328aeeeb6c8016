"""Every endpoint is in the access policy, and every role gets the answer the design expects.

The expectations (EXPECTED, in tests/helpers/access.py) are written from the design (who may
do what), independently of the policy table in portal/auth/access.py, so a wrong line in either
one fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.auth.policy import POLICY
from portal.extensions import db
from portal.models import AdvocacyReferral, Base, Role, StaffUser
from tests.helpers.access import (
    ADVOCACY_MANAGER,
    CHAIR_ONLY_ANSWER,
    CHAIR_ONLY_WORDS,
    ENTERED_WORDS,
    EVERYONE,
    EXPECTED,
    FAMILY_A,
    FAMILY_A_WORDS,
    FAMILY_B,
    FAMILY_B_WORDS,
    NOT_SIGNED_IN,
    OTHER_ADVOCATE,
    OTHER_CHAIR,
    OWNING_ADVOCATE,
    OWNING_CHAIR,
    SECOND_CHILD,
    SECOND_RECORD_WORDS,
    SENT_WORDS,
    SIGNED_BY_PROVIDER_ONLY,
    world_of_records,
    worlds_of_records,
)
from tests.proof import ACCESS_MATRIX

# Run last, in this order: they remove what other requests need, or end the session.
RUN_LAST = [
    "people.remove_child",
    "people.remove_family_member",
    "family_forms.finish_for_now",
    "family_visit.exit",
    "account.sign_out_everywhere",
    "auth.logout",
]

# Who may read each record's words (from the design: each adult sees only their own answers; a
# chair only their own conferences; an advocate only their own children; "chair only" words only
# the chair). Any page showing one to anyone else is a leak.
MARKERS: dict[str, tuple[str, set[object]]] = {
    FAMILY_A_WORDS: ("family A's answers", {FAMILY_A, Role.COORDINATOR, OWNING_CHAIR}),
    SENT_WORDS: ("another adult's answers", {Role.COORDINATOR, OWNING_CHAIR}),
    # Their own subject access file holds them too (the admin exports it)
    ENTERED_WORDS: (
        "an adult's views entered on their behalf",
        {Role.COORDINATOR, OWNING_CHAIR, Role.ADMIN},
    ),
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
    Role.COORDINATOR: {SENT_WORDS, SECOND_CHILD, ENTERED_WORDS},
    OWNING_CHAIR: {SENT_WORDS, CHAIR_ONLY_WORDS, CHAIR_ONLY_ANSWER, ENTERED_WORDS},
    OWNING_ADVOCATE: {CHAIR_ONLY_WORDS},
}
# URL values that reach one conference's records: visited again on the second conference, where
# the first conference's chair and advocate are strangers.
RECORD_IDS = {
    "conference_id",
    "child_id",
    "member_id",
    "referral_id",
    "attachment_id",
    "drawing_id",
}
STRANGER = {OWNING_CHAIR: OTHER_CHAIR, OWNING_ADVOCATE: OTHER_ADVOCATE}


def test_every_endpoint_is_in_the_policy_and_in_these_expectations(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - POLICY.keys() == set(), "endpoints missing from the access policy"
    assert POLICY.keys() - endpoints == set(), "policy lines for endpoints that do not exist"
    assert endpoints == EXPECTED.keys() | SIGNED_BY_PROVIDER_ONLY, "add the endpoint to EXPECTED"


def _row_counts() -> dict[str, int]:
    """Rows in every table but the audit log (views are audited: that write is expected), in
    one statement: it runs after every GET."""
    tables = [table for table in Base.metadata.sorted_tables if table.name != "audit_event"]
    counts = db.session.execute(
        select(*(select(func.count()).select_from(table).scalar_subquery() for table in tables))
    ).one()
    return {table.name: count for table, count in zip(tables, counts, strict=True)}


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
            if rule.endpoint in SIGNED_BY_PROVIDER_ONLY:
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
