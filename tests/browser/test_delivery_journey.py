"""A coordinator sends the views link for a demo conference; the worker sends it through the
real Twilio SDK to a fake Twilio; the coordinator sees it sent, then delivered; the parent
opens their link on a phone and lands on their page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from twilio.request_validator import RequestValidator

from portal.demo.load import load_demo_data
from portal.extensions import db
from portal.messaging.providers import build_providers
from portal.messaging.worker import drain
from portal.models import Channel, Conference, ConferenceStatus, Message, Relationship
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser


def _a_parent_to_text(member) -> bool:
    """An adult (not a child with their own form) to text, whose pages will be in English."""
    return (
        member.relationship != Relationship.YOUNG_PERSON
        and member.preferred_channel == Channel.SMS
        and member.contact_confirmed_safe
        and member.language == "English"
    )


def test_coordinator_sends_a_link_and_sees_it_delivered(
    app, live_server, browser, fake_twilio, monkeypatch
) -> None:
    load_demo_data()
    # The demo's own messages (its safety alerts) leave first, by the outbox-only provider
    drain(app, app.extensions["messaging"], "demo")
    conference = next(
        c
        for c in db.session.query(Conference).order_by(Conference.starts_at.desc())
        if c.status == ConferenceStatus.SCHEDULED
        and any(_a_parent_to_text(a.family_member) for a in c.adults)
    )
    parent = next(a.family_member for a in conference.adults if _a_parent_to_text(a.family_member))
    scanned: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email address").fill("coordinator@heard.example")
    page.get_by_label("Password", exact=True).fill("heard-demo-coordinator")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/conferences/{conference.id}")
    page.get_by_role("link", name="Messages and links").click()
    assert_accessible(page, scanned)

    card = page.locator(".govuk-summary-card", has_text=parent.full_name)
    card.get_by_role("button", name=re.compile(r"^Send the link now.*\(views\)")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is on its way")
    card = page.locator(".govuk-summary-card", has_text=parent.full_name)
    expect(card).to_contain_text("waiting to be sent")

    # The worker sends it (as `flask worker` would, here against the fake Twilio)
    providers = build_providers(
        {
            "SMS_PROVIDER": "twilio",
            "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900001",
            "TWILIO_API_BASE_URL": fake_twilio.base_url,
        }
    )
    assert drain(app, providers, "browser-test").sent == 1
    [request] = fake_twilio.requests
    assert request.form["To"] == parent.mobile
    page.reload()
    card = page.locator(".govuk-summary-card", has_text=parent.full_name)
    expect(card).to_contain_text("Link sent")
    expect(card.locator("tbody")).to_contain_text("Sent")

    # Twilio calls back: delivered
    message = db.session.query(Message).filter_by(family_member_id=parent.id).one()
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", "callback-token")
    status_url = f"{live_server}/webhooks/twilio/status"
    form = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    signature = RequestValidator("callback-token").compute_signature(status_url, form)
    answer = context.request.post(status_url, form=form, headers={"X-Twilio-Signature": signature})
    assert answer.status == 204
    page.reload()
    card = page.locator(".govuk-summary-card", has_text=parent.full_name)
    expect(card).to_contain_text("Link delivered")
    assert_accessible(page, scanned)
    context.close()

    # The parent opens the link from the text message, on a phone
    link = re.search(r"https?://\S+/r/\S+", request.form["Body"]).group(0)
    path = link.split("/r/", 1)[1]
    phone = browser.new_context(viewport={"width": 320, "height": 640})
    parent_page = phone.new_page()
    parent_page.goto(f"{live_server}/r/{path}")
    assert_accessible(parent_page, scanned)
    parent_page.get_by_role("button", name="Continue").click()
    expect(parent_page.get_by_role("heading", level=1)).to_have_text(
        "Your views before the meeting"
    )
    assert "/r/" not in parent_page.url
    assert_accessible(parent_page, scanned)
    no_sideways_scroll(parent_page)
    phone.close()
