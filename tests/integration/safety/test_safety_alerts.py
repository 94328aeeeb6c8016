"""Safety alerts (issue 13): one mechanism, whoever says someone may be in danger now.

Each source (a parent's answer, a child's Three Houses answer, a young person's answer or their
low "how safe at home" score, an advocate's concern) raises one alert that reaches each person
once, with nothing personal in any message; saving again tells nobody twice; the Safety alerts
page lists, acknowledges (audited, the words sealed) and closes; the worker escalates once.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.family_forms.questions import QUESTIONNAIRES
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.messaging.worker import drain
from portal.models import (
    AlertState,
    AuditAction,
    AuditEvent,
    Channel,
    FormKind,
    Message,
    MessageKind,
    Relationship,
    Role,
    SafetyAlert,
    SafetyAlertDelivery,
    utcnow,
)
from portal.safety.escalation import escalate_overdue
from portal.safety.services import open_alert_count
from tests.factories import add_child, add_contactable_member, make_conference, make_staff, refer
from tests.pages import PageClient

CHAIR_EMAIL = "chair.q@council.example"
SOCIAL_WORKER_EMAIL = "sw.q@council.example"
TEAM_MOBILE = "+447700900123"
ANSWER_TEXT = "Grimbleshanks is shouting at the door"


@pytest.fixture
def team_mobile(app, monkeypatch):
    monkeypatch.setitem(app.config, "SAFEGUARDING_TEAM_MOBILE", TEAM_MOBILE)


def _conference():
    chair = make_staff(Role.CHAIR, email=CHAIR_EMAIL)
    return make_conference(
        chair=chair, social_worker_name="Wendolyn Sprat", social_worker_email=SOCIAL_WORKER_EMAIL
    )


def _open_form(client: PageClient, conference, age: int | None):
    """A link opened in the browser: a parent's (age None) or a child's of this age."""
    if age is None:
        member = add_contactable_member(conference, first_name="Kestrel", last_name="Brannock")
    else:
        born = date(date.today().year - age, date.today().month, 1) - timedelta(days=60)
        child = add_child(
            conference, first_name="Kestrel", last_name="Brannock", date_of_birth=born
        )
        member = add_contactable_member(
            conference,
            first_name="Kestrel",
            last_name="Brannock",
            relationship=Relationship.YOUNG_PERSON,
            child_id=child.id,
        )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    assert client.submit("/your-say/start", on="/your-say/").status == 302
    return member


def _alert_messages() -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.kind == MessageKind.SAFEGUARDING_ALERT)
            .order_by(Message.channel, Message.to_address)
        )
    )


def _assert_told_once_saying_nothing_personal(app, conference, personal: list[str]) -> None:
    messages = _alert_messages()
    assert [(m.channel, m.to_address) for m in messages] == [
        (Channel.EMAIL, CHAIR_EMAIL),
        (Channel.EMAIL, app.config["SAFEGUARDING_TEAM_EMAIL"]),
        (Channel.EMAIL, SOCIAL_WORKER_EMAIL),
        (Channel.SMS, TEAM_MOBILE),
    ]
    for message in messages:
        assert message.next_attempt_at <= utcnow()  # at once, whatever the sending hours
        everything = " ".join([message.subject or "", message.body_text, message.body_html or ""])
        for word in [*personal, conference.case_reference, "Wendolyn", "Sprat"]:
            assert word.lower() not in everything.lower(), word
    deliveries = db.session.scalars(select(SafetyAlertDelivery)).all()
    assert sorted(d.told for d in deliveries) == ["chair", "social_worker", "team", "team"]


# (age of the person answering: None for a parent; the question; the answer; the source)
FAMILY_SOURCES = {
    "parent's form": (None, "danger_now", {"choice": "yes", "text": ANSWER_TEXT}, "danger_answer"),
    "child's Three Houses": (
        7,
        "danger_now",
        {"choice": "yes", "text": ANSWER_TEXT},
        "danger_answer",
    ),
    "young person's form": (
        14,
        "danger_now",
        {"choice": "yes", "text": ANSWER_TEXT},
        "danger_answer",
    ),
    "young person's safety scale": (
        14,
        "safe_at_home",
        {"choice": "2", "text": ANSWER_TEXT},
        "safety_scale",
    ),
}


@pytest.mark.parametrize(
    ("age", "question_id", "answer", "source"), FAMILY_SOURCES.values(), ids=FAMILY_SOURCES
)
def test_a_family_answer_tells_everyone_once_saying_nothing_personal(
    client: PageClient, app, team_mobile, age, question_id, answer, source
) -> None:
    conference = _conference()
    member = _open_form(client, conference, age)
    url = f"/your-say/q/{question_id}"
    saved = client.submit(url, answer)
    assert saved.location.startswith("/your-say/help-now")
    help_page = client.get(saved.location)
    assert "the chair of the meeting" in help_page.text
    assert "the social worker" in help_page.text
    assert "call 999" in help_page.text

    alert = db.session.scalars(select(SafetyAlert)).one()
    assert (alert.source, alert.state, alert.family_member_id) == (source, "open", member.id)
    assert alert.raised_by == ("family_member" if age is None else "child")
    _assert_told_once_saying_nothing_personal(
        app, conference, ["Kestrel", "Brannock", ANSWER_TEXT, "Grimbleshanks"]
    )

    # Saved again (back, then the same page): one alert per response per source.
    assert client.submit(url, answer).status == 302
    assert db.session.scalar(select(func.count(SafetyAlert.id))) == 1
    assert len(_alert_messages()) == 4


def test_an_advocates_concern_tells_everyone_once_saying_nothing_personal(
    signed_in, app, team_mobile
) -> None:
    conference = _conference()
    advocate = make_staff(Role.ADVOCATE)
    referral = refer(
        conference, add_child(conference, first_name="Kestrel", last_name="Brannock"), advocate
    )
    client = signed_in(Role.ADVOCATE, advocate)
    data = {
        "methods": ["conversation"],
        "safeguarding_concern": "y",
        "safeguarding_note": ANSWER_TEXT,
    }
    assert client.submit(f"/advocacy/referrals/{referral.id}/views", data).status == 302
    alert = db.session.scalars(select(SafetyAlert)).one()
    assert (alert.source, alert.raised_by, alert.raised_by_staff_id) == (
        "advocate_concern",
        "advocate",
        advocate.id,
    )
    _assert_told_once_saying_nothing_personal(
        app, conference, ["Kestrel", "Brannock", ANSWER_TEXT, advocate.full_name]
    )


@pytest.mark.parametrize(
    ("score", "raises"), [("0", True), ("2", True), ("3", False), ("10", False)]
)
def test_only_a_score_at_or_below_the_setting_raises_an_alert(client, score, raises) -> None:
    _open_form(client, _conference(), 14)
    saved = client.submit("/your-say/q/safe_at_home", {"choice": score})
    assert saved.location.startswith("/your-say/help-now") == raises
    assert db.session.scalar(select(func.count(SafetyAlert.id))) == int(raises)


def test_every_question_that_can_raise_an_alert_is_a_danger_or_scale_question() -> None:
    """Every form is covered by the same rule (services.alert_source): listing them says where."""
    raising = sorted(
        (questionnaire.id, question.id)
        for questionnaire in QUESTIONNAIRES.values()
        for question in questionnaire.questions
        if question.concern_choice or question.safety_scale
    )
    assert raising == [
        ("child_views", "danger_now"),
        ("parent_views", "danger_now"),
        ("young_person_views", "danger_now"),
        ("young_person_views", "safe_at_home"),
    ]


# --- The Safety alerts page --------------------------------------------------------------


def _raised_alert(client: PageClient) -> tuple[SafetyAlert, object]:
    conference = _conference()
    _open_form(client, conference, None)
    client.submit("/your-say/q/danger_now", {"choice": "yes"})
    return db.session.scalars(select(SafetyAlert)).one(), conference


def test_the_list_shows_open_alerts_first_oldest_first(client, signed_in) -> None:
    alert, _ = _raised_alert(client)
    older, newer = (
        SafetyAlert(
            conference_id=alert.conference_id,
            source="text_reply",
            raised_by="family_member",
            raised_at=utcnow() - timedelta(hours=hours),
            **extra,
        )
        for hours, extra in (
            (5, {"state": AlertState.CLOSED, "acknowledged_at": utcnow(), "closed_at": utcnow()}),
            (3, {}),
        )
    )
    db.session.add_all([older, newer])
    db.session.commit()
    page = signed_in(Role.COORDINATOR).get("/safety-alerts/")
    links = [a["href"] for a in page.soup.select("main tbody a")]
    assert links == [f"/safety-alerts/{i}" for i in (newer.id, alert.id, older.id)]


def test_acknowledging_is_audited_and_closing_needs_it_first(client, signed_in) -> None:
    alert, conference = _raised_alert(client)
    chair = conference.chair
    staff = signed_in(Role.CHAIR, chair)
    assert open_alert_count(chair) == 1
    url = f"/safety-alerts/{alert.id}"
    page = staff.get(url)
    assert "Kestrel Brannock" in page.text  # staff sign in to read who raised it

    empty = staff.submit(f"{url}/acknowledge", {"action_taken": "  "}, on=url)
    assert empty.status == 400
    assert empty.error_summary == ["Enter what was done"]
    too_soon = staff.submit(f"{url}/close", {"outcome": "All fine"}, on=url)
    assert too_soon.status == 409
    assert "Acknowledge the alert first" in too_soon.text

    done = staff.submit(f"{url}/acknowledge", {"action_taken": "Phoned the mother"}, on=url)
    assert done.status == 303
    db.session.refresh(alert)
    assert (alert.state, alert.acknowledged_by_id, alert.action_taken) == (
        "acknowledged",
        chair.id,
        "Phoned the mother",
    )
    assert alert.acknowledged_at is not None
    assert open_alert_count(chair) == 0
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_type == "safety_alert", AuditEvent.action == AuditAction.UPDATE
        )
    ).one()
    assert (event.actor_id, event.record_id, event.conference_id) == (
        chair.id,
        alert.id,
        conference.id,
    )
    assert "action_taken" in event.fields
    assert "Phoned" not in event.fields
    viewed = db.session.scalars(
        select(AuditEvent.record_type).where(AuditEvent.action == AuditAction.VIEW)
    ).all()
    assert {"safety_alert", "family_member"} <= set(viewed)

    twice = staff.post(
        f"{url}/acknowledge", {"csrf_token": staff.get(url).csrf_token(), "action_taken": "Again"}
    )
    assert twice.status == 409
    assert "already acknowledged" in twice.text
    closed = staff.submit(f"{url}/close", {"outcome": "Safe with grandparents"}, on=url)
    assert closed.status == 303
    db.session.refresh(alert)
    assert (alert.state, alert.closed_by_id, alert.outcome) == (
        "closed",
        chair.id,
        "Safe with grandparents",
    )


def test_a_post_without_the_csrf_token_is_refused(client, signed_in) -> None:
    alert, _ = _raised_alert(client)
    refused = signed_in(Role.COORDINATOR).post(
        f"/safety-alerts/{alert.id}/acknowledge", {"action_taken": "Phoned"}
    )
    assert refused.status == 400
    db.session.refresh(alert)
    assert alert.state == "open"


def test_another_chairs_alert_is_not_found_and_not_counted(client, signed_in) -> None:
    alert, _ = _raised_alert(client)
    other = make_staff(Role.CHAIR, sees_all_conferences=True)
    staff = signed_in(Role.CHAIR, other)
    assert staff.get(f"/safety-alerts/{alert.id}").status == 404
    assert staff.get("/safety-alerts/").soup.select("main tbody tr") == []
    assert open_alert_count(other) == 0
    assert open_alert_count(make_staff(Role.COORDINATOR)) == 1


# --- Escalation --------------------------------------------------------------------------


def test_an_alert_nobody_acknowledges_goes_to_the_duty_team_once(client, app) -> None:
    alert, _ = _raised_alert(client)
    duty = app.config["SAFEGUARDING_DUTY_EMAIL"]
    minutes = app.config["SAFETY_ALERT_ESCALATE_MINUTES"]
    raised = alert.raised_at

    assert escalate_overdue(raised + timedelta(minutes=minutes - 1)) == 0
    assert escalate_overdue(raised + timedelta(minutes=minutes, seconds=1)) == 1
    assert escalate_overdue(raised + timedelta(minutes=minutes * 3)) == 0  # once only
    to_duty = [m for m in _alert_messages() if m.to_address == duty]
    assert len(to_duty) == 1
    assert "Kestrel" not in to_duty[0].body_text
    assert alert.conference.case_reference not in to_duty[0].body_text
    db.session.refresh(alert)
    assert alert.escalated_at is not None
    result = drain(app, app.extensions["messaging"], "test-worker")
    assert result.failed == 0
    db.session.expire_all()
    # the outbox-only provider reports delivery at once, as a real provider's receipt would
    assert db.session.get(Message, to_duty[0].id).status == "delivered"


def test_an_acknowledged_alert_is_not_escalated(client, signed_in, app) -> None:
    alert, _ = _raised_alert(client)
    url = f"/safety-alerts/{alert.id}"
    signed_in(Role.COORDINATOR).submit(f"{url}/acknowledge", {"action_taken": "Phoned"}, on=url)
    later = alert.raised_at + timedelta(minutes=app.config["SAFETY_ALERT_ESCALATE_MINUTES"] * 2)
    assert escalate_overdue(later) == 0


def test_the_conference_page_and_the_chairs_pack_show_the_alerts_state(client, signed_in) -> None:
    alert, conference = _raised_alert(client)
    chair = signed_in(Role.CHAIR, conference.chair)
    pack = chair.get(f"/conferences/{conference.id}/pack")
    section = pack.soup.select_one(".heard-pack__alerts")
    assert "Open A family member" in section.get_text(" ", strip=True)
    assert section.select_one(f'a[href="/safety-alerts/{alert.id}"]') is not None
    url = f"/safety-alerts/{alert.id}"
    chair.submit(f"{url}/acknowledge", {"action_taken": "Phoned"}, on=url)
    pack = chair.get(f"/conferences/{conference.id}/pack")
    assert "Acknowledged by" in pack.soup.select_one(".heard-pack__alerts").get_text()
    shown = chair.get(f"/conferences/{conference.id}")
    assert "acknowledged" in " ".join(shown.banners)
    assert "Safety alert: acknowledged" in chair.get("/conferences/").text


def test_the_demo_has_one_open_and_one_acknowledged_alert(app, signed_in) -> None:
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    alerts = db.session.scalars(select(SafetyAlert).order_by(SafetyAlert.raised_at)).all()
    assert [a.state for a in alerts] == [AlertState.ACKNOWLEDGED, AlertState.OPEN]
    assert alerts[0].action_taken
    page = signed_in(Role.COORDINATOR).get("/safety-alerts/")
    assert [tag.get_text() for tag in page.soup.select("main tbody .govuk-tag")] == [
        "Open",
        "Acknowledged",
    ]
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0  # safe to run twice
    assert db.session.scalar(select(func.count(SafetyAlert.id))) == 2


def test_what_was_done_and_the_outcome_show_as_text_not_markup(client, signed_in) -> None:
    """Found by the 200% text check of issue 22: the page showed '<span class=...>' as text."""
    alert, conference = _raised_alert(client)
    staff = signed_in(Role.CHAIR, conference.chair)
    url = f"/safety-alerts/{alert.id}"
    staff.submit(f"{url}/acknowledge", {"action_taken": "Phoned <the> mother"}, on=url)
    staff.submit(f"{url}/close", {"outcome": "Safe with\ngrandparents"}, on=url)
    page = staff.get(url)
    # Each line as shown (white-space: pre-line drops the summary list's indenting)
    kept = [
        [line.strip() for line in span.get_text().splitlines()]
        for span in page.soup.select("main dd span.heard-preserve")
    ]
    assert kept == [["Phoned <the> mother"], ["Safe with", "grandparents"]]
    assert "&lt;span" not in page.text
