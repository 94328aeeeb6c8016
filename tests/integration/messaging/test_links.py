"""Each person's own link: what it opens, for how long, for whom, and how often it may be tried."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.family_visit import FAMILY_SEEN_AT
from portal.invitations.services import InvitationRefused, issue_invitation
from portal.link_tokens import (
    TOKEN_LENGTH,
    code_for,
    code_matches,
    hash_token,
    link_for,
    token_for,
)
from portal.models import (
    Channel,
    ConferenceStatus,
    FormKind,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    Role,
    SecondCheck,
)
from tests.factories import add_contactable_member, add_family_member, make_conference
from tests.pages import PageClient


def _invite(conference=None, member=None, form=FormKind.VIEWS):
    conference = conference or make_conference()
    member = member or add_contactable_member(conference)
    invitation = issue_invitation(conference, member, form)
    db.session.commit()
    return invitation, token_for(invitation.token_salt)


def test_a_link_has_128_bits_or_more_and_only_its_hash_is_stored() -> None:
    invitation, token = _invite()
    assert len(token) == TOKEN_LENGTH
    assert TOKEN_LENGTH * 6 >= 128
    assert invitation.token_hash == hash_token(token)
    stored = " ".join(str(v) for v in vars(invitation).values())
    stored += " ".join(m.body_text for m in db.session.scalars(select(Message)))
    assert token not in stored


def test_issuing_writes_the_message_in_the_same_transaction() -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.rollback()  # whatever caused it did not happen: neither did the message
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert db.session.scalar(select(func.count(Message.id))) == 0
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    message = db.session.scalars(select(Message)).one()
    assert message.kind == MessageKind.VIEWS_INVITATION
    assert message.channel == Channel.SMS
    assert message.to_address == member.mobile
    assert message.status == MessageStatus.QUEUED


def test_the_get_page_changes_nothing(client: PageClient) -> None:
    invitation, token = _invite()
    for _ in range(3):  # a link scanner may open it again and again
        page = client.get(f"/r/{token}")
        assert page.status == 200
        assert page.soup.find("button", string="Continue") is not None
    db.session.refresh(invitation)
    assert invitation.opened_at is None
    with client.client.session_transaction() as session:
        assert "family_invitation_id" not in session


def test_a_visit_ends_after_30_idle_minutes_and_the_link_opens_it_again(
    client: PageClient,
) -> None:
    _, token = _invite()
    client.submit(f"/r/{token}")

    def idle_for(minutes: int) -> None:
        with client.client.session_transaction() as session:
            session[FAMILY_SEEN_AT] = datetime.now(UTC).timestamp() - minutes * 60

    idle_for(29)
    assert client.get("/your-say/").status == 200  # and that page counted as activity
    idle_for(31)
    page = client.get("/your-say/")
    assert page.status == 401
    assert page.h1 == "We closed your answers to keep them private"
    assert client.get("/your-say/").status == 404  # the visit is over, not paused
    client.submit(f"/r/{token}")
    assert client.get("/your-say/").status == 200


def test_the_timed_out_page_counts_one_minute_in_the_singular(
    client: PageClient, app, monkeypatch
) -> None:
    """The limit is a setting, so its wording is a plural (issue 21): "1 minute", "1 minutę"."""
    monkeypatch.setitem(app.config, "FAMILY_IDLE_MINUTES", 1)
    _, token = _invite()
    for language, words in [
        ("pl", "nic się nie działo przez 1 minutę,"),
        ("en", "Nothing happened on this page for 1 minute,"),
    ]:
        client.submit(f"/r/{token}")
        with client.client.session_transaction() as session:
            session["language"] = language
            session[FAMILY_SEEN_AT] = datetime.now(UTC).timestamp() - 2 * 60
        page = client.get("/your-say/")
        assert page.status == 401
        assert words in page.text


def test_continue_opens_it_and_the_token_leaves_the_address_bar(client: PageClient) -> None:
    invitation, token = _invite()
    answer = client.submit(f"/r/{token}")
    assert answer.location == "/your-say/"
    assert token not in answer.location
    assert invitation.opened_at is not None
    landing = client.get("/your-say/")
    assert landing.status == 200
    assert landing.h1 == "Your views before the meeting"
    assert "999" in landing.text


def test_a_family_page_without_an_opened_link_does_not_work(client: PageClient) -> None:
    page = client.get("/your-say/")
    assert page.status == 404
    assert page.h1 == "This link is not working"


@pytest.mark.parametrize("how", ["unknown", "revoked", "malformed"])
def test_links_that_do_not_work_all_look_the_same(client: PageClient, how: str) -> None:
    conference = make_conference(starts_in=timedelta(hours=2))
    invitation, token = _invite(conference)
    if how == "unknown":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif how == "revoked":
        issue_invitation(conference, invitation.family_member, FormKind.VIEWS)  # a new link
        db.session.commit()
    else:
        token = "not-a-token"
    page = client.get(f"/r/{token}")
    assert page.status == 404
    assert page.h1 == "This link is not working"
    assert "01632 960 000" in page.text
    assert client.post(f"/r/{token}", {}).status in (400, 404)


def test_after_the_deadline_the_link_says_so_kindly(client: PageClient) -> None:
    """Through the link, and to someone who opened it before and comes back too late."""
    conference = make_conference(starts_in=timedelta(hours=2))
    invitation, token = _invite(conference)
    client.submit(f"/r/{token}")  # opened while it was live
    conference.starts_at = datetime.now(UTC) - timedelta(minutes=1)  # views end at the start
    invitation.expires_at = conference.starts_at
    db.session.commit()
    for url in (f"/r/{token}", "/your-say/"):
        page = client.get(url)
        assert page.status == 410, url
        assert page.h1 == "The time to answer has passed"
        assert "the meeting has now started" in page.text
        assert "01632 960 000" in page.text
    assert client.post(f"/r/{token}", {}).status in (400, 410)


def test_a_new_link_revokes_the_old_and_cancels_its_unsent_message(client: PageClient) -> None:
    conference = make_conference()
    first, old_token = _invite(conference)
    second, new_token = _invite(conference, first.family_member)
    assert first.revoked_at is not None
    statuses = dict(db.session.execute(select(Message.invitation_id, Message.status)).all())
    assert statuses == {first.id: MessageStatus.CANCELLED, second.id: MessageStatus.QUEUED}
    assert client.get(f"/r/{old_token}").status == 404
    assert client.get(f"/r/{new_token}").status == 200


def test_feedback_links_last_a_set_time_after_the_conference(app) -> None:
    conference = make_conference(starts_in=timedelta(days=-1), status=ConferenceStatus.HELD)
    invitation, _ = _invite(conference, form=FormKind.FEEDBACK)
    assert invitation.expires_at == conference.starts_at + timedelta(
        days=app.config["FEEDBACK_LINK_DAYS"]
    )


def test_nothing_is_issued_to_a_contact_not_confirmed_safe() -> None:
    conference = make_conference()
    member = add_family_member(conference)  # not confirmed
    with pytest.raises(InvitationRefused, match="not been confirmed safe"):
        issue_invitation(conference, member, FormKind.VIEWS)


def test_feedback_waits_until_the_conference_is_held() -> None:
    conference = make_conference(starts_in=timedelta(days=-1))
    with pytest.raises(InvitationRefused, match="marked as held"):
        _invite(conference, form=FormKind.FEEDBACK)


def test_one_link_never_reaches_another_persons_invitation(client: PageClient) -> None:
    conference = make_conference()
    mine, my_token = _invite(conference)
    theirs, _ = _invite(conference, add_contactable_member(conference, first_name="Other"))
    client.submit(f"/r/{my_token}")
    with client.client.session_transaction() as session:
        assert session["family_invitation_id"] == mine.id
    assert theirs.opened_at is None
    assert mine.token_hash != theirs.token_hash


def test_guessing_is_rate_limited(client: PageClient, app) -> None:
    limit = int(app.config["LINK_RATE_LIMIT"].split()[0])
    answers = [client.get(f"/r/{'x' * TOKEN_LENGTH}").status for _ in range(limit + 1)]
    assert answers[:limit] == [404] * limit
    assert answers[limit] == 429
    _, token = _invite()
    assert client.get(f"/r/{token}").status == 429  # even a good link waits a minute


def _shared_phone_invitation():
    conference = make_conference()
    member = add_contactable_member(
        conference, email="jo@example.com", second_check=SecondCheck.CODE
    )
    return _invite(conference, member)


def test_a_shared_phone_needs_a_code_sent_by_the_other_channel(client: PageClient) -> None:
    invitation, token = _shared_phone_invitation()
    answer = client.submit(f"/r/{token}")
    assert answer.location == "/r/code"
    code_message = db.session.scalars(
        select(Message).where(Message.kind == MessageKind.CHECK_CODE)
    ).one()
    assert code_message.channel == Channel.EMAIL  # links go by text: the code by email
    assert code_message.to_address == "jo@example.com"
    assert invitation.opened_at is None
    assert client.get("/your-say/").status == 404  # not open until the code is entered

    page = client.get("/r/code")
    assert "sent a 6-digit code to you by email" in page.text
    wrong = client.submit(
        "/r/code", {"code": "000000" if code_for(invitation.code_salt) != "000000" else "111111"}
    )
    assert wrong.error_summary == ["Enter the 6-digit code we sent you"]
    right = client.submit("/r/code", {"code": code_for(invitation.code_salt)})
    assert right.location == "/your-say/"
    assert invitation.opened_at is not None
    assert client.get("/your-say/").status == 200


TOO_MANY = ["Too many tries. Call us and we will help you open your link"]
WRONG = ["Enter the 6-digit code we sent you"]


def _opened_at_the_code_page(client: PageClient, app, monkeypatch):  # type: ignore[no-untyped-def]
    """(invitation, token, the right code, a wrong one), the code page open."""
    monkeypatch.setitem(app.config, "LINK_RATE_LIMIT", "1000 per minute")  # not what is tested
    invitation, token = _shared_phone_invitation()
    client.submit(f"/r/{token}")
    right = code_for(invitation.code_salt)
    return invitation, token, right, "999999" if right != "999999" else "888888"


def test_the_fifth_try_is_still_checked(client: PageClient, app, monkeypatch) -> None:
    invitation, _, right, wrong = _opened_at_the_code_page(client, app, monkeypatch)
    for _ in range(4):
        assert client.submit("/r/code", {"code": wrong}).error_summary == WRONG
    assert client.submit("/r/code", {"code": right}).location == "/your-say/"
    assert invitation.opened_at is not None


def test_after_five_wrong_codes_even_the_right_one_is_refused(
    client: PageClient, app, monkeypatch
) -> None:
    """Five tries for a 6-digit code: a one in 200,000 chance for someone guessing."""
    invitation, _, right, wrong = _opened_at_the_code_page(client, app, monkeypatch)
    answers = [client.submit("/r/code", {"code": wrong}).error_summary for _ in range(5)]
    assert answers == [WRONG] * 5  # each one checked, the fifth too
    assert client.submit("/r/code", {"code": wrong}).error_summary == TOO_MANY  # the sixth
    assert client.submit("/r/code", {"code": right}).error_summary == TOO_MANY
    assert invitation.opened_at is None
    assert invitation.code_attempts == 5


def test_codes_allow_five_tries_in_all_whatever_new_codes_are_sent(
    client: PageClient, app, monkeypatch
) -> None:
    invitation, token, _, wrong = _opened_at_the_code_page(client, app, monkeypatch)
    for _ in range(3):
        client.submit("/r/code", {"code": wrong})
    # A new code a minute later does not give five more tries
    invitation.code_sent_at -= timedelta(minutes=2)
    db.session.commit()
    client.submit(f"/r/{token}")
    for _ in range(2):
        client.submit("/r/code", {"code": wrong})
    page = client.submit("/r/code", {"code": code_for(invitation.code_salt)})
    assert page.error_summary == TOO_MANY
    assert invitation.opened_at is None
    # and, the tries used up, no new code is sent for the link
    invitation.code_sent_at -= timedelta(minutes=2)
    db.session.commit()
    sent = invitation.code_sent_at
    client.submit(f"/r/{token}")
    assert invitation.code_sent_at == sent


def test_codes_that_are_not_six_digits_get_a_clear_message(client: PageClient) -> None:
    invitation, token = _shared_phone_invitation()
    client.submit(f"/r/{token}")
    for typed in ("١٢٣٤٥٦", "12345é", "12"):
        page = client.submit("/r/code", {"code": typed})
        assert page.status == 400
        assert page.error_summary == ["Enter the 6-digit code we sent you, like 123456"]


def test_pressing_continue_again_soon_sends_no_second_code(client: PageClient) -> None:
    _, token = _shared_phone_invitation()
    client.submit(f"/r/{token}")
    client.submit(f"/r/{token}")
    codes = db.session.scalars(select(Message).where(Message.kind == MessageKind.CHECK_CODE)).all()
    assert len(codes) == 1


def test_a_code_needs_both_a_mobile_and_an_email(signed_in) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/family/new",
        {
            "first_name": "Jo",
            "last_name": "Tester",
            "relationship": "mother",
            "mobile": "07700 900123",
            "preferred_channel": "sms",
            "language": "English",
            "second_check": "code",
        },
    )
    assert page.error_summary == [
        "Enter both a mobile number and an email address to send a code by the other channel"
    ]


def test_link_tokens_never_reach_the_logs(app, live_server, caplog) -> None:
    """The development server's own access log line, through the real logging set-up."""
    import logging
    import urllib.request

    _, token = _invite()
    with (
        caplog.at_level(logging.INFO),
        urllib.request.urlopen(f"{live_server}/r/{token}") as response,  # noqa: S310
    ):
        assert response.status == 200
    app.logger.error("Exception on /r/%s [POST]", token)  # as Flask logs an error on a page
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "/r/[token]" in logged
    assert token not in logged


def test_links_and_codes_made_before_the_secret_key_changed_keep_working(
    app, client: PageClient, monkeypatch
) -> None:
    """docs/security.md's key change: the new key first, the old one in SECRET_KEY_FALLBACKS."""
    invitation, token = _invite()
    old_key = app.config["SECRET_KEY"]
    old_code = code_for("some salt")
    monkeypatch.setitem(app.config, "SECRET_KEY", "a new secret key " * 4)
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    assert link_for(invitation.token_salt, invitation.token_hash).endswith(f"/r/{token}")
    assert code_for("some salt") != old_code
    assert code_matches("some salt", old_code)
    assert code_matches("some salt", code_for("some salt"))
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert not code_matches("some salt", old_code)
