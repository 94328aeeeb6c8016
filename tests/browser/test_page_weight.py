"""The page budget: the first view of any family page (an empty browser cache) transfers at
most 35 KB in all (HTML, CSS, JavaScript, images; compressed as the portal serves them) in at
most 4 requests, and every later page costs one request: its own HTML (the CSS, script and icon
are fingerprinted and cached for good). Prints what it measured for each page.

    .venv/bin/python -m pytest tests/browser/test_page_weight.py -s
"""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, Relationship
from tests.factories import add_child, add_contactable_member, make_conference

pytestmark = pytest.mark.browser
BUDGET_BYTES = 35_000
BUDGET_REQUESTS = 4
# The Three Houses' drawing pages (issue 20) load the pad's own script and style as well, and
# only they do: two requests more, and the pad's code (at most 10 KB compressed, checked in
# tests/unit/test_draw_asset.py) more; every other page keeps the budget above.
DRAWING_PAGE_REQUESTS = BUDGET_REQUESTS + 2
DRAWING_PAGE_BYTES = BUDGET_BYTES + 10_000


def _years_ago(years: int) -> date:
    today = date.today()
    return (
        date(today.year - years, 1, 1)
        if (today.month, today.day) > (2, 1)
        else date(today.year - years - 1, 1, 1)
    )


def _first_view(browser, state: dict, url: str) -> tuple[int, int, list[str]]:
    """Requests and bytes on the wire for one page, opened in a browser with nothing cached."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, storage_state=state)
    page = context.new_page()
    seen: list[tuple[str, int]] = []

    def count(request) -> None:
        sizes = request.sizes()
        seen.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    page.on("requestfinished", count)
    answer = page.goto(url, wait_until="networkidle")
    assert answer is not None
    assert answer.status in (200, 404), url
    context.close()
    return len(seen), sum(size for _, size in seen), [u for u, _ in seen]


def _open_through_link(browser, base: str, member, conference) -> tuple[dict, str]:
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    link = f"{base}/r/{token_for(invitation.token_salt)}"
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    page.locator("main form button").click()
    page.locator("form[action$='/start'] button").click()
    page.wait_for_url("**/your-say/q/**")  # started: the question pages are there to measure
    state = context.storage_state()
    context.close()
    return state, link


def test_every_family_page_fits_the_budget_on_first_view(live_server, browser, capsys) -> None:
    base = str(live_server)
    conference = make_conference()
    parent = add_contactable_member(conference)
    child = add_child(conference, date_of_birth=_years_ago(7))
    own_contact = add_contactable_member(
        conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    parent_state, parent_link = _open_through_link(browser, base, parent, conference)
    child_state, _ = _open_through_link(browser, base, own_contact, conference)

    pages = [
        ("link page", {}, parent_link),
        ("landing", parent_state, f"{base}/your-say/"),
        ("a question (radios)", parent_state, f"{base}/your-say/q/why_meeting"),
        ("a question (text)", parent_state, f"{base}/your-say/q/going_well"),
        ("a question (checkboxes)", parent_state, f"{base}/your-say/q/help_needed"),
        ("check your answers", parent_state, f"{base}/your-say/check"),
        ("Three Houses feelings", child_state, f"{base}/your-say/q/feel_at_home"),
        ("Three Houses drawing", child_state, f"{base}/your-say/q/good_things"),
        ("link not working", {}, f"{base}/r/{'A' * 22}"),
    ]
    lines, over = [], []
    for name, state, url in pages:
        requests, transferred, urls = _first_view(browser, state, url)
        lines.append(f"  {name:<24} {requests} requests  {transferred / 1000:5.1f} KB")
        drawing = name == "Three Houses drawing"
        allowed = DRAWING_PAGE_REQUESTS if drawing else BUDGET_REQUESTS
        if requests > allowed or transferred > (DRAWING_PAGE_BYTES if drawing else BUDGET_BYTES):
            over.append((name, requests, transferred, urls))
    with capsys.disabled():
        print(
            f"\nFirst view of family pages (budget {BUDGET_REQUESTS} requests, "
            f"{BUDGET_BYTES / 1000:.0f} KB):"
        )
        print("\n".join(lines))
    assert not over, over


def test_every_later_page_costs_one_request(app, live_server, browser) -> None:
    """With the cache filled by a first page, the next question, the one after and Back each
    make one request to the server (the page), with no revalidation of CSS, script or icon.
    Counted where they arrive: the browser reports a file taken from its cache as a request."""
    base = str(live_server)
    conference = make_conference()
    parent = add_contactable_member(conference)
    state, _ = _open_through_link(browser, base, parent, conference)
    context = browser.new_context(viewport={"width": 375, "height": 667}, storage_state=state)
    page = context.new_page()
    page.goto(f"{base}/your-say/q/why_meeting", wait_until="networkidle")  # fills the cache
    arrived: list[str] = []
    serve = app.wsgi_app

    def counting(environ, start_response):  # noqa: ANN001, ANN202 - WSGI's own signature
        arrived.append(environ["PATH_INFO"])
        return serve(environ, start_response)

    app.wsgi_app = counting
    try:
        for step, path in (
            (lambda: page.goto(f"{base}/your-say/q/report_shared"), "/your-say/q/report_shared"),
            (lambda: page.goto(f"{base}/your-say/q/going_well"), "/your-say/q/going_well"),
            (lambda: page.go_back(), "/your-say/q/report_shared"),
        ):
            arrived.clear()
            step()
            page.wait_for_load_state("networkidle")
            assert arrived == [path], arrived
    finally:
        app.wsgi_app = serve
        context.close()


def test_static_files_are_cached_for_good_and_carry_no_cookie(client) -> None:
    """Fingerprinted files: a year, immutable, no session cookie and no Vary: Cookie, even for a
    browser that sends one; compressed at build time, Brotli or gzip as the browser takes."""
    import re

    page = client.get("/login").response.get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert {url.rsplit(".", 1)[-1] for url in linked} == {"css", "svg", "mjs"}, linked
    client.client.set_cookie("session", "a-cookie-the-browser-had")
    for url in linked:
        assert "/static/dist/" in url
        for accepted, encoding in (("br, gzip", "br"), ("gzip, deflate", "gzip")):
            answer = client.get(url, headers={"Accept-Encoding": accepted}).response
            assert answer.status_code == 200, url
            assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "Set-Cookie" not in answer.headers, url
            assert "Cookie" not in answer.headers.get("Vary", ""), url
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            if not url.endswith(".svg"):  # the icon is too small to gain from it
                assert answer.headers["Content-Encoding"] == encoding, url


@pytest.mark.parametrize("accepted", ["br", "gzip, deflate"])
def test_pages_are_sent_compressed(client, accepted: str) -> None:
    """Brotli where the browser takes it (over HTTPS, every current one), else gzip or deflate."""
    answer = client.get("/login", headers={"Accept-Encoding": accepted})
    assert answer.response.headers.get("Content-Encoding") in accepted.split(", ")
