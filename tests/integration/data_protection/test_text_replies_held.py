"""Text replies are the person's: in their subject access file (and nobody else's), and their
words go on retention's schedule (with the conference's words; a reply from a number nobody has,
RETENTION_DAYS after it came), the row kept for the report's count."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import FormKind, Invitation, TextReply, utcnow
from portal.subject_access.gathering import collect_export
from portal.subject_access.services import export_html
from tests.factories import add_contactable_member, make_conference
from tests.integration.data_protection.test_retention import deletion_events, held_days_ago, run

SAID = "Please ring after six ZQX-TEXT"


def _link(conference, member) -> Invitation:
    invitation = Invitation(
        conference_id=conference.id,
        family_member_id=member.id,
        form=FormKind.VIEWS,
        token_salt=secrets.token_hex(16),
        token_hash=secrets.token_hex(32),
        expires_at=conference.starts_at,
        sent_at=conference.starts_at - timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def _reply(member=None, invitation=None, text=SAID, **fields) -> TextReply:
    reply = TextReply(
        family_member_id=member.id if member else None,
        invitation_id=invitation.id if invitation else None,
        text=text,
        **fields,
    )
    db.session.add(reply)
    db.session.commit()
    return reply


def test_the_subject_access_file_holds_the_person_s_texts_and_no_one_else_s(app: Flask):
    conference = make_conference()
    jo = add_contactable_member(conference, mobile="+447700900111")
    partner = add_contactable_member(conference, mobile="+447700900222")
    _reply(jo, _link(conference, jo), rating=4)
    _reply(partner, _link(conference, partner), text="The partner's own text ZQX-OTHER")
    _reply(text="From a number nobody has ZQX-NOBODY")

    (record,) = collect_export([jo]).records
    assert [(r.text, r.rating, r.conference_date) for r in record.text_replies] == [
        (SAID, 4, conference.conference_date)
    ]
    assert record.counts()["text_replies"] == 1
    html = export_html([jo])
    assert SAID in html
    assert "You rated the meeting 4 out of 5." in html
    assert "ZQX-OTHER" not in html
    assert "ZQX-NOBODY" not in html


def test_retention_blanks_the_words_and_keeps_the_reply(app: Flask):
    old, recent = held_days_ago(91), held_days_ago(89)
    old_member = add_contactable_member(old, mobile="+447700900111")
    recent_member = add_contactable_member(recent, mobile="+447700900222")
    old_reply = _reply(old_member, _link(old, old_member))
    recent_reply = _reply(recent_member, _link(recent, recent_member))
    nobody_old = _reply(text="Old, from nobody", received_at=utcnow() - timedelta(days=92))
    nobody_new = _reply(text="New, from nobody")

    assert "text replies: 2" in run(app, "--dry-run")
    output = run(app)

    assert "text replies: 2" in output
    db.session.expire_all()
    texts = {r.id: r.text for r in db.session.scalars(select(TextReply))}
    assert texts == {
        old_reply.id: "",
        recent_reply.id: SAID,
        nobody_old.id: "",
        nobody_new.id: "New, from nobody",
    }
    (event,) = deletion_events()
    assert (event.conference_id, event.fields) == (old.id, "text_replies")
    assert "text replies: 0" in run(app)


def test_a_blanked_reply_says_so_in_the_file(app: Flask):
    conference = make_conference()
    jo = add_contactable_member(conference)
    _reply(jo, _link(conference, jo), text="")
    assert "Removed after the time we keep it for." in export_html([jo])
