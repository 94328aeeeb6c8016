"""Every page a person can open passes axe-core (WCAG 2.2 A and AA) at 320px wide, without
scrolling sideways: each GET endpoint in the URL map is visited as a role that may open it."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.auth.policy import POLICY
from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import (
    AlertSource,
    AlertState,
    FormKind,
    Role,
    SecondCheck,
    TextReply,
    utcnow,
)
from portal.people.agreed_word import hash_word
from portal.safety.raising import raise_alert
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_entry_given_another_way,
    add_family_member,
    add_task,
    make_conference,
    make_staff,
    refer,
)
from tests.helpers.answers import VIEWS_ANSWERS
from tests.helpers.browser import (
    DESCRIBED_BY_GAPS,
    assert_accessible,
    no_sideways_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser

# files, JSON, redirects
NOT_PAGES = {
    "static",
    "site.healthz",
    "site.readyz",
    "site.home",
    "family_visit.exit",  # ends the visit, then leaves for EXIT_PAGE_URL
    "auth.logout",
    "advocacy.attachment",
    "family_answers.drawing",  # a child's drawing, a PNG (tests/browser/test_drawing_journey.py)
    "family_forms.drawing",
    "reports.participation_export",
    "reports.feedback_export",
    "reports.activity_export",
    "reports.annual_document",  # the annual report as PDF or Word
}
# Reached by pressing Continue on the link page
# (the family's question pages are scanned by test_family_journey.py)
THROUGH_A_LINK = {
    "family_forms.landing",
    "links.enter_code",
    "links.enter_word",
    "family_forms.start",
    "family_forms.question",
    "family_forms.check",
    "family_forms.help_now",
    "family_forms.done",
    "family_forms.finish_for_now",
    "family_forms.note",  # a child's own link only: tests/browser/test_meeting_note_page.py
}


def test_every_page_is_accessible_at_320px(app: Flask, live_server, browser, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    child = add_child(conference)
    staff = {role: make_staff(role) for role in Role}
    member = add_family_member(
        conference,
        contact_confirmed_safe_at=utcnow(),
        contact_confirmed_safe_by_id=staff[Role.COORDINATOR].id,
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    token = token_for(invitation.token_salt)
    referral = refer(conference, child, staff[Role.ADVOCATE])
    add_advocate_record(referral)
    add_attachment(referral)
    call = add_task(conference, member, "speak_to_chair")
    need = add_task(conference, member, "access")
    add_task(conference, member, "interpreter", detail="Polish")
    alert, acknowledged = (
        raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member) for _ in "12"
    )
    acknowledged.state, acknowledged.acknowledged_at = AlertState.ACKNOWLEDGED, utcnow()
    acknowledged.action_taken = "Phoned the mother"
    db.session.add(TextReply(text="I am scared, who is this?"))  # held against no one, tagged
    db.session.commit()
    values = {
        "conference_id": conference.id,
        "child_id": child.id,
        "referral_id": referral.id,
        "version": 1,
        "member_id": member.id,
        "token": token,
        "kind": "views_invitation",
        "channel": "email",
        "language": "pl",
        "staff_id": chair.id,  # an admin's page for a staff account
        "call_id": call.id,
        "task_id": need.id,
        "alert_id": alert.id,  # open: the acknowledging form
        "form": "views",
    }
    staff[Role.CHAIR] = chair

    by_role: dict[object, list[str]] = {}
    pages = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PAGES | THROUGH_A_LINK or "GET" not in rule.methods:
            continue
        roles = POLICY[rule.endpoint].roles
        who = None if roles is None else sorted(roles)[0]
        by_role.setdefault(who, []).append(rule.build(values, append_unknown=False)[1])
        pages.add(rule.endpoint)
    # Pages that only appear in some states: errors, refusals, an empty result
    by_role[None] += ["/no-such-page", "/r/" + "x" * 22]  # a link that does not work
    by_role[Role.ADMIN] += [
        "/admin/audit/?record_id=abc",
        "/conferences/",  # 403 for an admin
        "/admin/wording/feedback_reminder/sms",
    ]
    # A coordinator's versions of the pages a chair also sees carry buttons a chair's do not.
    # Views given another way: the first role allowed is an advocate, for a parent not theirs.
    phoned = add_family_member(conference, first_name="Phoned")
    add_entry_given_another_way(
        conference, phoned, VIEWS_ANSWERS, entered_by=staff[Role.COORDINATOR]
    )
    entry = f"/conferences/{conference.id}/people/{phoned.id}/given-another-way/views"
    by_role[Role.COORDINATOR] += [
        f"/conferences/{conference.id}",
        f"/conferences/{conference.id}/messages",
        f"/safety-alerts/{acknowledged.id}",  # the closing form
        f"/conferences/{conference.id}/given-another-way",
        f"/conferences/{conference.id}/people/{member.id}/given-another-way/views",
        f"{entry}/entered",
    ]
    by_role[Role.ADVOCATE] = [*by_role.get(Role.ADVOCATE, []), "/dashboard"]
    by_role[Role.PARTICIPATION_OFFICER] = [
        *by_role.get(Role.PARTICIPATION_OFFICER, []),
        "/dashboard",
    ]

    scanned: list[str] = []
    described_by_gaps: list[str] = []
    for who, urls in by_role.items():
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        if who is not None:
            sign_in(page, live_server, staff[who].email)
        for url in urls:
            page.goto(f"{live_server}{url}")
            assert_accessible(page, scanned)
            no_sideways_scroll(page)
            gaps = page.evaluate(DESCRIBED_BY_GAPS)
            described_by_gaps += gaps
        context.close()
    # No aria-describedby names a missing or empty element (issue 22)
    assert described_by_gaps == [], "\n".join(described_by_gaps)

    # A family member presses Continue on their link and lands on their own page.
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/r/{token}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/your-say/")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    context.close()

    # A shared phone: Continue asks for the code sent by the other channel, or for the word
    # agreed with them (one phone only).
    second_checks = {
        "/r/code": {"email": "shared@example.com", "second_check": SecondCheck.CODE},
        "/r/word": {
            "second_check": SecondCheck.AGREED_WORD,
            "agreed_word_hash": hash_word("blue kettle"),
        },
    }
    for path, fields in second_checks.items():
        shared = add_family_member(
            conference,
            first_name="Shared",
            contact_confirmed_safe_at=utcnow(),
            contact_confirmed_safe_by_id=staff[Role.COORDINATOR].id,
            **fields,
        )
        shared_invitation = issue_invitation(conference, shared, FormKind.VIEWS)
        db.session.commit()
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        page.goto(f"{live_server}/r/{token_for(shared_invitation.token_salt)}")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server}{path}")
        page.get_by_role("button", name="Continue").click()  # nothing typed: the error summary
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
        context.close()
    pages |= THROUGH_A_LINK

    assert len(pages) >= 20
    assert len(scanned) == sum(len(urls) for urls in by_role.values()) + 1 + len(second_checks)
