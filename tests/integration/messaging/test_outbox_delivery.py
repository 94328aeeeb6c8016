"""The outbox-only provider (the development default) reports delivery as a real provider does,
so the funnel never shows more links opened than delivered (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.messaging.providers import build_providers
from portal.messaging.worker import drain
from portal.models import FormKind, Message, MessageStatus, Role
from portal.reports.quarters import financial_year_of
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient


def _funnel(page_text: list[list[str]]) -> dict[str, int]:
    """{"Sent": 1, "Delivered": 1, …}: each stage's count, from "100.0% 1 of 1"."""
    return {row[0]: int(row[1].split()[-3]) for row in page_text}


def test_a_text_sent_through_the_outbox_is_delivered_before_it_is_opened(
    app: Flask, client: PageClient, signed_in: Callable[..., PageClient]
) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    assert drain(app, build_providers({}), "test-worker").sent == 1  # the outbox for both
    message = db.session.scalar(select(Message).where(Message.invitation_id == invitation.id))
    assert message is not None
    db.session.refresh(message)
    assert message.channel.value == "sms"
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    assert client.submit(f"/r/{token_for(invitation.token_salt)}").location == "/your-say/"

    year = financial_year_of(conference.conference_date)
    page = signed_in(Role.PARTICIPATION_OFFICER).get(f"/reports/feedback?year={year}")
    funnel_table = next(
        table
        for table in page.soup.select("table")
        if table.caption and "Response funnel" in table.caption.get_text()
    )
    funnel = _funnel(
        [
            [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
            for row in funnel_table.select("tbody tr")
        ]
    )
    assert funnel["Sent"] == funnel["Delivered"] == funnel["Opened"] == 1
