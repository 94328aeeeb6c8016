"""The rate limits hold exactly in production: gunicorn -w 2, counting in the real Redis.

Issue 15: without shared storage each worker counted on its own, so twice the limit got through
(20 sign-in failures from one address where the limit is 10, 10 on one account where it is 5, 40
link look-ups where it is 20, 6 wrong second-factor codes where it is 5). Production now refuses
to start without shared storage; this test runs the production settings under gunicorn with two
workers against the Redis at 127.0.0.1:6379 (under a key prefix of its own, removed after),
sends twice each limit and counts how many were evaluated (not answered 429), and that the two
workers both served. It runs behind a pretend proxy, as production does: the requests say
X-Forwarded-Proto https and each client's address in X-Forwarded-For, believed because the
connection comes from 127.0.0.1 (TRUSTED_PROXY_CIDRS).

The limits are the defaults' amounts, over an hour instead of a minute, so a slow machine cannot
see a window end mid-count. The database is the tests' own (SQLite or TEST_DATABASE_URL).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import pytest
import redis
import requests
import sqlalchemy as sa
from flask import Flask

from bench.family_pages import GUNICORN, free_port
from config import TEST_DATA_KEY
from portal.auth.pending import MAX_WRONG_CODES
from portal.extensions import db
from portal.link_tokens import TOKEN_LENGTH
from portal.models import AuditAction, AuditEvent, Role, StaffUser, utcnow
from tests.factories import PASSWORD, make_staff
from tests.helpers.two_factor import a_wrong_code
from tests.proof import LIMITS

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "heard.example"  # the public name the pretend proxy forwards
LIMITS_UNDER_TEST = {
    "LOGIN_RATE_LIMIT": "10 per hour",
    "LOGIN_ACCOUNT_RATE_LIMIT": "5 per hour",
    "LINK_RATE_LIMIT": "20 per hour",
}

pytestmark = pytest.mark.gunicorn


def amount(setting: str) -> int:
    return int(LIMITS_UNDER_TEST[setting].split()[0])


class Browser:
    """One person's browser, reaching gunicorn through the pretend TLS proxy. Production's
    cookies are Secure, so they are sent back by hand over the proxy's plain HTTP."""

    def __init__(self, base: str, address: str) -> None:
        self.base, self.address = base, address
        self.cookies: dict[str, str] = {}

    def open(self, method: str, path: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": HOST,
            "Referer": f"https://{HOST}{path}",  # Flask-WTF checks it on https
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = requests.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False, timeout=60
        )
        self.cookies.update({cookie.name: cookie.value for cookie in answer.cookies})
        return answer

    def form_token(self, path: str = "/login") -> str:
        page = self.open("GET", path)
        assert page.status_code == 200, (path, page.status_code)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        assert token, f"no form token on {path}"
        return token[1]

    def sign_in(self, email: str, password: str, token: str | None = None) -> int:
        data = {"csrf_token": token or self.form_token(), "email": email, "password": password}
        return self.open("POST", "/login", data).status_code


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """This run's key prefix in the shared Redis; its keys are removed after. Under CI a Redis
    that does not answer fails the test; elsewhere it is skipped."""
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError as error:
        message = f"Redis is not answering at {REDIS_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"h15-gunicorn-{secrets.token_hex(6)}"
    yield prefix
    keys = list(server.scan_iter(match=f"*{prefix}*"))
    if keys:
        server.delete(*keys)


@pytest.fixture
def gunicorn(app: Flask, redis_prefix: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn -w 2 in production configuration on the tests' database: its URL and the access
    log (each line starts with the worker's pid)."""
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RATELIMIT_", "TWO_FACTOR_", "LOGIN_", "LINK_"))
        and key not in {"FORCE_HTTPS", "SESSION_COOKIE_SECURE", "PROXY_FIX_HOPS"}
    }
    env |= {
        "HEARD_CONFIG": "production",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "h15 gunicorn limits test secret key, long enough",
        "DATA_ENCRYPTION_KEYS": TEST_DATA_KEY,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "PROXY_FIX_HOPS": "1",
        "TRUSTED_PROXY_CIDRS": "127.0.0.1/32",
        **LIMITS_UNDER_TEST,
    }
    with (tmp_path / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments fixed here
            [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
            + ["--access-logfile", str(access_log), "--access-logformat", "%(p)s %(s)s"]
            + ["wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{(tmp_path / 'gunicorn.log').read_text()}")
            time.sleep(0.2)
        yield base, access_log
    finally:
        server.terminate()
        server.wait(timeout=30)


def failed_sign_ins(user: StaffUser) -> int:
    """Wrong passwords and wrong codes checked for ``user`` (each is audited)."""
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.record_id == user.id, AuditEvent.action == AuditAction.SIGN_IN_FAILED)
    )
    db.session.rollback()  # no read transaction left open under gunicorn's writes (SQLite)
    return int(count or 0)


def evaluated(answers: list[int]) -> int:
    return sum(status != 429 for status in answers)


def per_address(base: str) -> int:
    """Wrong passwords from one address, each for a different (unknown) account."""
    browser = Browser(base, "198.51.100.1")
    attempts = 2 * amount("LOGIN_RATE_LIMIT")
    return evaluated(
        [browser.sign_in(f"nobody{n}@council.example", "guess") for n in range(attempts)]
    )


def per_account(base: str, user: StaffUser) -> tuple[int, int]:
    """Wrong passwords for one account, each from a different address: how many were answered
    (not 429), and how many were checked (audited)."""
    attempts = 2 * amount("LOGIN_ACCOUNT_RATE_LIMIT")
    answers = [
        Browser(base, f"198.51.100.{10 + n}").sign_in(user.email, "guess") for n in range(attempts)
    ]
    return evaluated(answers), failed_sign_ins(user)


def at_once(base: str, user: StaffUser, count: int = 30) -> tuple[int, int]:
    """``count`` wrong passwords for one account sent at the same moment, each from its own
    address and browser: answered, and checked."""
    browsers = [Browser(base, f"203.0.113.{n}") for n in range(count)]
    tokens = [browser.form_token() for browser in browsers]
    ready, email = threading.Barrier(count), user.email  # the threads have no app context

    def send(n: int) -> int:
        ready.wait(timeout=60)
        return browsers[n].sign_in(email, "guess", tokens[n])

    with ThreadPoolExecutor(max_workers=count) as pool:
        answers = list(pool.map(send, range(count)))
    return evaluated(answers), failed_sign_ins(user)


def link_look_ups(base: str) -> int:
    """Guessed links posted (Continue) from one address, with a good form token."""
    browser = Browser(base, "198.51.100.200")
    token = browser.form_token()
    attempts = 2 * amount("LINK_RATE_LIMIT")
    return evaluated(
        [
            browser.open(
                "POST", f"/r/{secrets.token_urlsafe(16)[:TOKEN_LENGTH]}", {"csrf_token": token}
            ).status_code
            for _ in range(attempts)
        ]
    )


def wrong_codes(base: str, user: StaffUser, secret: str) -> tuple[int, list[int]]:
    """After the right password, wrong codes for that one pending sign-in, each posted from a
    new address with the cookie as it was before the first code (an older copy buys nothing):
    how many were checked (audited), and the answers (400: "not right"; 302: start again)."""
    browser = Browser(base, "198.51.100.250")
    assert browser.sign_in(user.email, PASSWORD) == 302
    token = browser.form_token("/login/code")
    pending_cookie = dict(browser.cookies)
    answers = []
    for n in range(2 * MAX_WRONG_CODES):
        browser.cookies, browser.address = dict(pending_cookie), f"192.0.2.{n}"
        data = {"csrf_token": token, "code": a_wrong_code(secret)}
        answers.append(browser.open("POST", "/login/code", data).status_code)
    return failed_sign_ins(user), answers


def test_every_limit_holds_exactly_under_gunicorn_with_two_workers_and_redis(
    gunicorn: tuple[str, Path],
) -> None:
    base, access_log = gunicorn
    account, crowded = make_staff(Role.COORDINATOR), make_staff(Role.CHAIR)
    secret = pyotp.random_base32()
    enrolled = make_staff(Role.CHAIR, totp_secret=secret, totp_enrolled_at=utcnow())
    db.session.rollback()

    figures = {"address": per_address(base)}
    figures["account"], account_checked = per_account(base, account)
    figures["at_once"], crowded_checked = at_once(base, crowded)
    figures["links"] = link_look_ups(base)
    figures["codes"], code_answers = wrong_codes(base, enrolled, secret)
    workers = {line.split()[0] for line in access_log.read_text().splitlines() if line.strip()}
    LIMITS.append(
        f"rate limits under gunicorn -w 2 + Redis ({len(workers)} workers answered): "
        f"sign-in per address {figures['address']} of {2 * amount('LOGIN_RATE_LIMIT')} evaluated "
        f"(limit {amount('LOGIN_RATE_LIMIT')}); "
        f"per account {figures['account']} of {2 * amount('LOGIN_ACCOUNT_RATE_LIMIT')} "
        f"(limit {amount('LOGIN_ACCOUNT_RATE_LIMIT')}), {figures['at_once']} of 30 sent at once; "
        f"link look-ups {figures['links']} of {2 * amount('LINK_RATE_LIMIT')} "
        f"(limit {amount('LINK_RATE_LIMIT')}); "
        f"wrong codes in one pending sign-in {figures['codes']} of {2 * MAX_WRONG_CODES} "
        f"(limit {MAX_WRONG_CODES})"
    )

    assert len(workers) == 2, "both workers answered"
    # Every answer but 429 was a password checked; a 429 checked nothing.
    assert (account_checked, crowded_checked) == (figures["account"], figures["at_once"])
    # Told "not right" while tries were left; then sent back to start from the password.
    assert code_answers == [400] * (MAX_WRONG_CODES - 1) + [302] * (MAX_WRONG_CODES + 1)
    assert figures == {
        "address": amount("LOGIN_RATE_LIMIT"),
        "account": amount("LOGIN_ACCOUNT_RATE_LIMIT"),
        "at_once": amount("LOGIN_ACCOUNT_RATE_LIMIT"),
        "links": amount("LINK_RATE_LIMIT"),
        "codes": MAX_WRONG_CODES,
    }
