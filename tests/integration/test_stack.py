"""The stack as a council runs it (issue 19): nginx in front with TLS, two gunicorn instances in
production configuration, the worker, PostgreSQL and Redis (bench/stack.py, with the nginx
configuration in deploy/nginx/heard.conf). Through the proxy: plain HTTP redirects to https and
HSTS is sent once; the rate limits see the client's address, not nginx's, and count across both
instances through Redis; Twilio's signatures validate on the public URL; a family's whole form
is sent and saved; static files come from nginx with their cache headers; /healthz and /readyz
answer.

It runs in the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…), on the test database. Under
CI a machine without nginx fails it (.ci/run installs Debian's nginx).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from requests.adapters import HTTPAdapter
from twilio.request_validator import RequestValidator

from bench.family_pages import CSRF, answer_for
from bench.stack import ROOT, Stack, nginx_binary
from portal.assets import load_manifest
from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, FormResponse, Invitation, TextReply
from tests.factories import add_contactable_member, make_conference
from tests.proof import LIMITS

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
UNDER_CI = os.environ.get("CI") == "true"
TWILIO_TOKEN = "stack-test-twilio-auth-token"
LINK_LIMIT = 6  # per address a minute, for the run
HSTS = "max-age=31556926; includeSubDomains"  # Flask-Talisman's, and nginx's for static files

pytestmark = pytest.mark.stack


class FromAddress(HTTPAdapter):
    """Connections made from a chosen loopback address (127.0.0.2, 127.0.0.3…): to nginx,
    different clients."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def browser(stack: Stack, address: str = "127.0.0.1") -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy or CA bundle from the environment
    session.verify = str(stack.cert_file)  # the run's own certificate, checked
    for scheme in ("http://", "https://"):
        session.mount(scheme, FromAddress(address))
    return session


@pytest.fixture(scope="module")
def stack(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not TEST_DATABASE_URL.startswith("postgresql"):
        pytest.skip("runs once, in the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…)")
    if nginx_binary() is None:
        message = "nginx is not installed (apt-get install nginx): the stack test needs it"
        if UNDER_CI:
            pytest.fail(message)
        pytest.skip(message)
    static = tmp_path_factory.mktemp("static") / "static"
    shutil.copytree(ROOT / "static", static)
    began = time.perf_counter()
    with Stack(
        TEST_DATABASE_URL,
        web_workers=1,
        static_dir=static,
        secret_key=app.config["SECRET_KEY"],  # links issued here open there
        settings={"LINK_RATE_LIMIT": f"{LINK_LIMIT} per minute", "TWILIO_AUTH_TOKEN": TWILIO_TOKEN},
    ) as running:
        up = time.perf_counter() - began
        yield running
    LIMITS.append(
        f"stack (nginx, TLS, 2 gunicorn instances, worker; tests/integration/test_stack.py): "
        f"up in {up:.1f} s, all through the proxy in {time.perf_counter() - began:.1f} s"
    )


def access_lines(stack: Stack, name: str) -> list[dict]:
    lines = [line for line in stack.log(name).splitlines() if line.startswith("{")]
    return [entry for entry in map(json.loads, lines) if "endpoint" in entry]


def test_plain_http_is_redirected_to_https_and_hsts_is_sent_once(stack: Stack) -> None:
    session = browser(stack)
    plain = session.get(f"{stack.http_url}/login?next=x", allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"{stack.https_url}/login?next=x"

    page = session.get(f"{stack.https_url}/login")
    assert page.status_code == 200
    assert "Sign in" in page.text
    assert page.raw.headers.getlist("Strict-Transport-Security") == [HSTS]  # once, the app's
    assert page.headers["Cache-Control"] == "no-store"  # the app's own headers come through


def test_health_checks_answer_through_the_proxy(stack: Stack) -> None:
    session = browser(stack)
    for path in ("/healthz", "/readyz"):
        answer = session.get(f"{stack.https_url}{path}")
        assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    assert [worker.running for worker in stack.workers] == [True]  # the worker, up beside them


def test_static_files_come_from_nginx_with_their_cache_headers(stack: Stack) -> None:
    session = browser(stack)
    plain = session.get(f"{stack.https_url}/static/govuk/heard.min.css")
    assert plain.status_code == 200
    assert plain.headers["Content-Type"] == "text/css"
    assert "X-Request-ID" not in plain.headers  # nginx answered: the app never saw it
    assert plain.headers["Cache-Control"] == "no-cache"  # asked about again: it may change
    assert plain.raw.headers.getlist("Strict-Transport-Security") == [HSTS]  # nginx's, the same
    again = session.get(plain.url, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304

    # The name pages link to (static/dist/manifest.json): cached for good, sent as built, gzip
    fingerprinted = session.get(
        f"{stack.https_url}/static/{load_manifest(ROOT / 'static')['govuk/heard.min.css']}",
        headers={"Accept-Encoding": "gzip"},
    )
    assert fingerprinted.status_code == 200
    assert fingerprinted.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert fingerprinted.headers["Content-Encoding"] == "gzip"
    assert fingerprinted.content == plain.content


def test_the_link_limit_is_per_client_across_both_instances_and_not_fooled(stack: Stack) -> None:
    """nginx sends requests to the instances in turn; the limit counts them together (Redis),
    per client address as nginx saw it: another client is not limited, and a client writing
    its own X-Forwarded-For is still itself."""
    before = {name: len(access_lines(stack, name)) for name in ("web-0", "web-1")}
    first, second = browser(stack, "127.0.0.2"), browser(stack, "127.0.0.3")
    link = f"{stack.https_url}/r/{'x' * 43}"  # no such link: the page says so
    answers = [first.get(link).status_code for _ in range(LINK_LIMIT + 1)]
    assert 429 not in answers[:LINK_LIMIT]
    assert answers[LINK_LIMIT] == 429
    # The other client: its own count, even when it claims to be the first one
    assert second.get(link).status_code != 429
    assert second.get(link, headers={"X-Forwarded-For": "127.0.0.2"}).status_code != 429
    # And the first, claiming to be someone else, is still limited
    assert first.get(link, headers={"X-Forwarded-For": "192.0.2.9"}).status_code == 429

    served = {
        name: [
            e
            for e in access_lines(stack, name)[before[name] :]
            if e["endpoint"] == "links.open_link"
        ]
        for name in ("web-0", "web-1")
    }
    assert all(served.values()), {name: len(lines) for name, lines in served.items()}


def test_twilio_signatures_validate_on_the_public_url(stack: Stack, app: Flask) -> None:
    session = browser(stack)
    validator = RequestValidator(TWILIO_TOKEN)
    url = f"{stack.https_url}/webhooks/twilio/inbound"
    reply = {"From": "+447700900123", "Body": "Through the proxy", "MessageSid": "SM" + "1" * 32}
    signed = session.post(
        url, data=reply, headers={"X-Twilio-Signature": validator.compute_signature(url, reply)}
    )
    assert signed.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TextReply)) == 1

    forged = session.post(url, data=reply, headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert forged.status_code == 403
    # Signed for the app's own address, not the public one Twilio calls: refused too
    inside = f"http://127.0.0.1:{stack.webs[0].port}/webhooks/twilio/inbound"
    misplaced = session.post(
        url, data=reply, headers={"X-Twilio-Signature": validator.compute_signature(inside, reply)}
    )
    assert misplaced.status_code == 403

    status_url = f"{stack.https_url}/webhooks/twilio/status"
    status = {"MessageSid": "SM" + "2" * 32, "MessageStatus": "delivered"}
    delivered = session.post(
        status_url,
        data=status,
        headers={"X-Twilio-Signature": validator.compute_signature(status_url, status)},
    )
    assert delivered.status_code == 204


def test_a_family_sends_their_answers_through_the_proxy(stack: Stack) -> None:
    conference = make_conference()
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    invitation_id = invitation.id
    token = token_for(invitation.token_salt)

    family = browser(stack, "127.0.0.4")
    family.headers["Referer"] = f"{stack.https_url}/"  # as a browser sends on https

    def page(path: str) -> str:
        answer = family.get(f"{stack.https_url}{path}", allow_redirects=False)
        assert answer.status_code == 200, (path, answer.status_code)
        return answer.text

    def post(path: str, data: dict[str, str]) -> str:
        answer = family.post(f"{stack.https_url}{path}", data=data, allow_redirects=False)
        assert answer.status_code == 302, (path, answer.status_code)
        location = answer.headers["Location"]
        return location.removeprefix(stack.https_url)

    def csrf(html: str) -> str:
        found = CSRF.search(html)
        assert found, "no form on the page"
        return found[1]

    assert post(f"/r/{token}", {"csrf_token": csrf(page(f"/r/{token}"))}) == "/your-say/"
    where = post("/your-say/start", {"csrf_token": csrf(page("/your-say/"))})
    for step in range(40):
        if where.startswith("/your-say/q/"):
            question = PARENT_VIEWS.question(where.rsplit("/", 1)[1])
            assert question is not None, where
            where = post(where, answer_for(question, step, csrf(page(where))))
        elif where == "/your-say/check":
            where = post(where, {"csrf_token": csrf(page(where))})
        else:
            break
    assert where == "/your-say/done"
    assert re.search(r"Your answers have been sent", page(where))

    db.session.expire_all()
    response = db.session.scalar(
        sa.select(FormResponse).where(FormResponse.invitation_id == invitation_id)
    )
    assert response is not None
    assert response.submitted_at is not None
    assert db.session.get(Invitation, invitation_id) is not None


def test_a_body_over_max_content_length_is_refused_by_nginx(stack: Stack) -> None:
    session = browser(stack)
    too_big = session.post(f"{stack.https_url}/login", data=b"x" * (11 * 1024 * 1024 + 1))
    assert too_big.status_code == 413
    assert "X-Request-ID" not in too_big.headers  # it never reached an instance


def test_an_instance_killed_is_not_seen_and_comes_back(stack: Stack) -> None:
    """kill -9 one instance: nginx sends every GET to the other (a refused connection is tried
    again there), and the instance starts again (its /readyz 200); nginx gives it requests
    again once its fail_timeout (10 s) has passed (waited for here, so the other tests, in
    whatever order they run, find both instances in turn)."""
    session = browser(stack, "127.0.0.5")
    stack.kill_web(0)
    try:
        assert not stack.webs[0].running
        answers = [session.get(f"{stack.https_url}/login").status_code for _ in range(6)]
        assert answers == [200] * 6
    finally:
        stack.start_web(0)
    assert stack.webs[0].running
    before, deadline = len(access_lines(stack, "web-0")), time.monotonic() + 15
    while len(access_lines(stack, "web-0")) == before and time.monotonic() < deadline:
        assert session.get(f"{stack.https_url}/login").status_code == 200
        time.sleep(0.5)
    assert len(access_lines(stack, "web-0")) > before  # back in turn
