"""What coordinators and chairs see and do on the delivery pages."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import (
    Channel,
    ConferenceAdult,
    FormKind,
    Invitation,
    Message,
    MessageStatus,
    Role,
    utcnow,
)
from tests.factories import add_contactable_member, add_family_member, make_conference, make_staff


def test_send_now_then_resend_revokes_the_first_link(signed_in) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/messages"
    page = client.get(url)
    assert "No link yet. Planned for" in page.text
    token = page.csrf_token()
    send = f"{url}/{member.id}/send"
    assert client.post(send, {"csrf_token": token, "form": "views"}).location == url
    assert "is on its way" in client.get(url).banners[0]
    client.post(send, {"csrf_token": token, "form": "views"})
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert len(invitations) == 2
    assert invitations[0].revoked_at is not None
    assert invitations[1].revoked_at is None


def test_send_now_refuses_an_unsafe_contact_with_a_reason(signed_in) -> None:
    conference = make_conference()
    member = add_family_member(conference)
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/messages"
    page = client.get(url)
    assert "Nothing will be sent: their contact details have not been confirmed safe" in page.text
    client.post(f"{url}/{member.id}/send", {"csrf_token": page.csrf_token(), "form": "views"})
    assert "Not sent to Jo Tester" in client.get(url).banners[0]
    assert db.session.scalars(select(Message)).all() == []


def test_pause_and_resume(signed_in) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/messages"
    token = client.get(url).csrf_token()
    client.post(f"{url}/{member.id}/pause", {"csrf_token": token, "paused": "yes"})
    link = db.session.get(ConferenceAdult, (conference.id, member.id))
    assert link.invitations_paused
    assert "Paused" in client.get(url).text
    client.post(f"{url}/{member.id}/pause", {"csrf_token": token, "paused": "no"})
    db.session.refresh(link)
    assert not link.invitations_paused


def test_switch_channel_needs_a_safety_check(signed_in) -> None:
    conference = make_conference()
    member = add_contactable_member(conference, email="jo@example.com")
    coordinator = make_staff(Role.COORDINATOR)
    client = signed_in(Role.COORDINATOR, coordinator)
    url = f"/conferences/{conference.id}/messages/{member.id}/channel"
    refused = client.submit(url, {"channel": "email"})
    assert refused.error_summary == ["Confirm they have told you it is safe"]
    client.submit(url, {"channel": "email", "confirmed_safe": "y"})
    assert member.preferred_channel == Channel.EMAIL
    assert member.contact_confirmed_safe_by_id == coordinator.id


def test_failures_are_shown_in_plain_words_across_the_service(signed_in) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.flush()
    message = invitation.messages[0]
    message.status, message.error_code, message.failed_at = (
        MessageStatus.UNDELIVERED,
        "30005",
        utcnow(),
    )
    db.session.commit()
    client = signed_in(Role.COORDINATOR)
    for url in (f"/conferences/{conference.id}/messages", "/messages/failed"):
        assert "The number is not in service" in client.get(url).text


def test_a_chair_sees_delivery_but_cannot_act(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    add_contactable_member(conference)
    page = signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}/messages")
    assert page.status == 200
    assert page.soup.find("button", string=lambda s: s and "Send the link now" in s) is None


def test_the_dev_outbox_shows_links_in_development_only(signed_in, app, monkeypatch) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    client = signed_in(Role.COORDINATOR)
    assert client.get("/dev/outbox").status == 404  # tests run as "test", not development
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    page = client.get("/dev/outbox")
    assert f"{app.config['PUBLIC_BASE_URL']}/r/" in page.text


def test_viewing_delivery_is_audited_for_each_adult(signed_in) -> None:
    from portal.models import AuditEvent

    conference = make_conference()
    first, second = add_contactable_member(conference), add_family_member(conference)
    signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}/messages")
    viewed = set(db.session.execute(select(AuditEvent.record_type, AuditEvent.record_id)).all())
    assert {("family_member", first.id), ("family_member", second.id)} <= viewed
