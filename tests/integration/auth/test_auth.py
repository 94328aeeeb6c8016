from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, Role
from tests.factories import PASSWORD, make_staff
from tests.pages import PageClient


def _sign_in(client: PageClient, email: str, password: str, next_url: str = "") -> object:
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.submit(url, {"email": email, "password": password})


def test_each_role_lands_on_its_own_start_page(client: PageClient) -> None:
    starts = {
        Role.COORDINATOR: "/worklist",  # what needs doing (issue 13)
        Role.CHAIR: "/worklist/chair",
        Role.ADMIN: "/admin/audit/",
        Role.ADVOCATE: "/advocacy/",
        Role.PARTICIPATION_OFFICER: "/reports/",
    }
    for role, start in starts.items():
        user = make_staff(role)
        page = _sign_in(client, user.email, PASSWORD)
        assert page.status == 302
        assert client.get("/").location == start
        _sign_out(client, start)


def _sign_out(client: PageClient, from_page: str = "/conferences/") -> None:
    client.post("/logout", {"csrf_token": client.get(from_page).csrf_token()})


def test_email_is_matched_without_regard_to_case(client: PageClient) -> None:
    user = make_staff(Role.CHAIR)
    page = _sign_in(client, "  " + user.email.upper(), PASSWORD)
    assert page.status == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client: PageClient) -> None:
    user = make_staff(Role.COORDINATOR)
    wrong_password = _sign_in(client, user.email, "not the password")
    unknown = _sign_in(client, "nobody@council.example", PASSWORD)
    for page in (wrong_password, unknown):
        assert page.status == 400
        assert page.title.startswith("Error: ")
        assert page.error_summary == ["Enter a correct email address and password"]
    assert client.get("/conferences/").status == 302  # still not signed in


def test_empty_form_says_what_is_missing(client: PageClient) -> None:
    page = _sign_in(client, "", "")
    assert page.error_summary == ["Enter your email address", "Enter your password"]


def test_a_switched_off_account_cannot_sign_in(client: PageClient) -> None:
    user = make_staff(Role.COORDINATOR, is_active_account=False)
    page = _sign_in(client, user.email, PASSWORD)
    assert page.error_summary == ["Enter a correct email address and password"]


def test_passwords_are_stored_as_argon2id_hashes() -> None:
    user = make_staff(Role.ADMIN)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client: PageClient) -> None:
    user = make_staff(Role.COORDINATOR)
    assert client.get("/conferences/new").location == "/login?next=%2Fconferences%2Fnew"
    assert _sign_in(client, user.email, PASSWORD, "/conferences/new").location == "/conferences/new"
    _sign_out(client)
    for off_site in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert _sign_in(client, user.email, PASSWORD, off_site).location == "/"
        _sign_out(client)


def test_sign_out_is_a_post_and_ends_the_session(client: PageClient) -> None:
    user = make_staff(Role.COORDINATOR)
    _sign_in(client, user.email, PASSWORD)
    token = client.get("/conferences/").csrf_token()
    assert client.get("/logout").status == 405
    assert client.post("/logout", {"csrf_token": token}).location == "/login"
    assert client.get("/conferences/").status == 302


def test_sign_in_and_failures_are_audited_without_the_password(client: PageClient) -> None:
    user = make_staff(Role.CHAIR)
    _sign_in(client, user.email, "wrong one")
    _sign_in(client, user.email, PASSWORD)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).all()
    assert actions == [AuditAction.SIGN_IN_FAILED, AuditAction.SIGN_IN]


def test_too_many_attempts_are_refused_for_a_while(client: PageClient, app) -> None:
    user = make_staff(Role.CHAIR)
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    token = client.get("/login").csrf_token()
    # A different address each time: this is the limit per client, not per account.
    answers = [
        client.post(
            "/login", {"csrf_token": token, "email": f"guess{n}@council.example", "password": "x"}
        ).status
        for n in range(limit + 1)
    ]
    assert answers[:limit] == [400] * limit
    assert answers[limit] == 429
    page = client.post("/login", {"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert page.status == 429
    assert page.h1 == "Too many attempts"


def test_a_post_without_its_form_token_is_refused_clearly(client: PageClient) -> None:
    page = client.post("/login", {"email": "a@b.example", "password": "x"})
    assert page.status == 400
    assert page.h1 == "Your page has expired"
