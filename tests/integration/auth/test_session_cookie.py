"""The session cookie is sealed: nobody holding it can read what is in it (a flash naming a
child, a searched case reference), and a cookie changed by anyone is an empty session."""

from __future__ import annotations

import base64
import binascii
import contextlib
import time
import zlib
from collections.abc import Callable

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from portal.auth.cookie import SealedCookieSessionInterface, SessionSealer
from portal.models import Role
from tests.factories import add_child, make_conference, make_staff
from tests.pages import PageClient

NAME = b"Quartermaine"
CASE_REFERENCE = b"CP-77123"


def _every_reading_of(cookie: str) -> list[bytes]:
    """The cookie as is, and every way someone might try to decode it or its parts."""
    readings = [cookie.encode()]
    for part in [cookie, *cookie.lstrip(".").split(".")]:
        padded = part + "=" * (-len(part) % 4)
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(padded)
            except (binascii.Error, ValueError):
                continue
            readings.append(raw)
            with contextlib.suppress(zlib.error):
                readings.append(zlib.decompress(raw))  # Flask compresses long sessions
    return readings


def _session_cookie(client: PageClient) -> str:
    cookie = client.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_flash_naming_a_child_and_a_search_are_not_readable_in_the_cookie(
    signed_in: Callable[..., PageClient],
) -> None:
    coordinator = signed_in(Role.COORDINATOR)
    conference = make_conference(case_reference=CASE_REFERENCE.decode())
    child = add_child(conference, first_name="Zebedee", last_name=NAME.decode())
    token = coordinator.get(f"/conferences/{conference.id}").csrf_token()
    page = coordinator.post(
        f"/conferences/{conference.id}/children/{child.id}/refer", {"csrf_token": token}
    )
    assert page.status == 302
    coordinator.post("/conferences/", {"csrf_token": token, "q": CASE_REFERENCE.decode()})
    cookie = _session_cookie(coordinator)
    assert len(cookie) < 1024  # browsers keep 4 KB a cookie; this session is about 650 bytes
    for reading in _every_reading_of(cookie):
        for secret in (NAME, NAME.lower(), CASE_REFERENCE, b"_flashes", b"conference_search"):
            assert secret not in reading

    # Yet the session works: the flash is shown once, the search is kept.
    shown = coordinator.get(page.location)
    assert shown.banners == [f"Zebedee {NAME.decode()} referred to an advocate."]
    search = coordinator.get("/conferences/")
    assert search.soup.find("input", attrs={"name": "q"})["value"] == CASE_REFERENCE.decode()


def test_the_same_session_under_flask_s_signed_cookie_would_be_readable(app: Flask) -> None:
    """The check above can fail: Flask's own cookie shows the name to anyone."""
    session = {"_flashes": [("message", f"Zebedee {NAME.decode()} referred")]}
    signed = SecureCookieSessionInterface().get_signing_serializer(app).dumps(session)
    assert any(NAME in reading for reading in _every_reading_of(signed))
    sealed = SealedCookieSessionInterface().get_signing_serializer(app).dumps(session)
    assert not any(NAME in reading for reading in _every_reading_of(sealed))


def test_a_changed_cookie_is_an_empty_session_never_an_error(
    app: Flask, signed_in: Callable[..., PageClient]
) -> None:
    coordinator = signed_in(Role.COORDINATOR)
    assert coordinator.get("/conferences/").status == 200
    good = _session_cookie(coordinator)
    flipped = good[:20] + ("A" if good[20] != "A" else "B") + good[21:]
    signed_by_flask = (
        SecureCookieSessionInterface()
        .get_signing_serializer(app)
        .dumps({"_user_id": "1", "_fresh": True})
    )
    other_key = SessionSealer(["another secret key"], SecureCookieSessionInterface.serializer)
    for bad in (
        flipped,
        good[:-5],
        good[:10],
        good[:30],  # a nonce and less than a tag
        "A" * 16,
        "A" * 400,
        "",
        "not base64 at all!",
        "." + good,  # Flask's mark of a compressed cookie; the decoder would skip it
        good + "=",
        good[:30] + "\n" + good[30:],
        signed_by_flask,  # signed with the right key, but not sealed
        other_key.dumps({"_user_id": "1", "_fresh": True}),
    ):
        browser = PageClient(app.test_client())
        browser.client.set_cookie("session", bad)
        page = browser.get("/conferences/")
        assert page.status == 302, bad
        assert page.location.startswith("/login"), bad


def test_sign_in_as_goes_through_the_sealed_cookie(signed_in: Callable[..., PageClient]) -> None:
    chair = make_staff(Role.CHAIR)
    browser = signed_in(Role.CHAIR, chair)
    assert browser.get("/conferences/").status == 200
    with browser.client.session_transaction() as session:
        assert session["_user_id"] == str(chair.id)
    assert str(chair.id).encode() + b'"' not in _session_cookie(browser).encode()


def test_a_cookie_sealed_under_the_previous_key_still_opens(app: Flask, monkeypatch) -> None:
    """During a change of SECRET_KEY, SECRET_KEY_FALLBACKS keep people signed in."""
    old = SessionSealer(["the previous secret key"], SecureCookieSessionInterface.serializer)
    sealed = old.dumps({"language": "pl"})
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", ["the previous secret key"])
    interface = SealedCookieSessionInterface().get_signing_serializer(app)
    assert interface.loads(sealed, max_age=60) == {"language": "pl"}
    # New cookies are sealed under the current key, and open without the fallback.
    fresh = interface.dumps({"language": "pl"})
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert SealedCookieSessionInterface().get_signing_serializer(app).loads(fresh) == {
        "language": "pl"
    }


def test_a_cookie_older_than_the_session_lifetime_is_refused(app: Flask, monkeypatch) -> None:
    sealer = SealedCookieSessionInterface().get_signing_serializer(app)
    sealed = sealer.dumps({"a": 1})
    assert sealer.loads(sealed, max_age=5) == {"a": 1}
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 10)
    with pytest.raises(BadSignature):
        sealer.loads(sealed, max_age=5)
