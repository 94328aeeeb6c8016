"""Safety alerts by text to the chair and the social worker (issue 13, part 1): "by SMS where a
mobile is known". A chair keeps their own mobile on their account page; a conference holds the
social worker's. Each gets one text, in one segment, saying nothing personal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.messaging.sms import sms_segments
from portal.models import AlertSource, Channel, Message, MessageKind, Role, SafetyAlertDelivery
from portal.safety.raising import raise_alert
from tests.factories import add_contactable_member, add_form_response, make_conference, make_staff

CHAIR_EMAIL = "chair.m@council.example"
CHAIR_MOBILE = "+447700900401"
SOCIAL_WORKER_EMAIL = "sw.m@council.example"
SOCIAL_WORKER_MOBILE = "+447700900402"
TEAM_MOBILE = "+447700900403"
ANSWER_TEXT = "Grimbleshanks is shouting at the door"


@pytest.fixture
def raised(app, monkeypatch):
    monkeypatch.setitem(app.config, "SAFEGUARDING_TEAM_MOBILE", TEAM_MOBILE)
    chair = make_staff(
        Role.CHAIR, email=CHAIR_EMAIL, full_name="Ottoline Quaver", mobile=CHAIR_MOBILE
    )
    conference = make_conference(
        chair=chair,
        social_worker_name="Wendolyn Sprat",
        social_worker_email=SOCIAL_WORKER_EMAIL,
        social_worker_mobile=SOCIAL_WORKER_MOBILE,
    )
    member = add_contactable_member(conference, first_name="Kestrel", last_name="Brannock")
    response = add_form_response(
        conference, member, {"danger_now": {"choice": "yes", "text": ANSWER_TEXT}}
    )
    raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member, form_response=response)
    db.session.commit()
    return conference


def _texts() -> dict[str, Message]:
    messages = db.session.scalars(
        select(Message).where(
            Message.kind == MessageKind.SAFEGUARDING_ALERT, Message.channel == Channel.SMS
        )
    ).all()
    return {m.to_address: m for m in messages}


def test_the_chair_and_the_social_worker_each_get_one_text_and_their_email(raised) -> None:
    texts = _texts()
    assert sorted(texts) == sorted([CHAIR_MOBILE, SOCIAL_WORKER_MOBILE, TEAM_MOBILE])
    told = sorted(
        (d.told, d.channel.value, d.to_address)
        for d in db.session.scalars(select(SafetyAlertDelivery))
    )
    assert ("chair", "sms", CHAIR_MOBILE) in told
    assert ("chair", "email", CHAIR_EMAIL) in told
    assert ("social_worker", "sms", SOCIAL_WORKER_MOBILE) in told
    assert ("social_worker", "email", SOCIAL_WORKER_EMAIL) in told
    assert len(told) == 6  # two to the chair, two to the team, two to the social worker


def test_the_chair_is_asked_to_sign_in_and_the_social_worker_to_phone(app, raised) -> None:
    texts = _texts()
    assert "sign in" in texts[CHAIR_MOBILE].body_text.lower()
    assert app.config["PUBLIC_BASE_URL"] in texts[CHAIR_MOBILE].body_text
    to_social_worker = texts[SOCIAL_WORKER_MOBILE].body_text
    assert app.config["SERVICE_PHONE"] in to_social_worker
    assert "sign in" not in to_social_worker.lower()
    assert app.config["PUBLIC_BASE_URL"] not in to_social_worker
    assert "http" not in to_social_worker


def test_each_text_fits_one_segment_and_says_nothing_personal(raised) -> None:
    personal = [
        "Kestrel",
        "Brannock",
        "Grimbleshanks",
        ANSWER_TEXT,
        "Wendolyn",
        "Sprat",
        "Ottoline",
        "Quaver",
        raised.case_reference,
    ]
    for message in _texts().values():
        assert sms_segments(message.body_text) == 1, message.body_text
        for word in personal:
            assert word.lower() not in message.body_text.lower(), word


def test_without_mobiles_nobody_but_the_team_gets_a_text(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SAFEGUARDING_TEAM_MOBILE", "")
    conference = make_conference(
        chair=make_staff(Role.CHAIR), social_worker_email=SOCIAL_WORKER_EMAIL
    )
    member = add_contactable_member(conference)
    raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member)
    db.session.commit()
    assert _texts() == {}
