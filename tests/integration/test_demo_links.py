"""`flask demo` prints, beside the staff accounts, a fresh working link for each family form, so
a newcomer can try the family pages at once; each run prints new ones (issue 13)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask

from portal.extensions import limiter
from tests.pages import PageClient

# What each printed link opens: the landing page's heading
LANDINGS = {
    "Parent's views": "Your views before the meeting",
    "Parent's feedback": "How did the meeting go for you?",
    "Young person's views": "Your say before your meeting",
    "Three Houses (children under 10)": "The Three Houses",
}
LINK_LINE = re.compile(r"^  (?P<form>.+?)\s{2,}.*?(?P<url>https?://\S+/r/\S+)$", re.MULTILINE)


def _printed_links(output: str) -> dict[str, str]:
    links = {match["form"]: match["url"] for match in LINK_LINE.finditer(output)}
    assert set(links) == set(LANDINGS), output
    return links


def _opens(app: Flask, url: str) -> str:
    """The heading of the page the link opens, in a browser of its own."""
    browser = PageClient(app.test_client())
    assert browser.get(urlsplit(url).path).status == 200  # the "Continue" page
    opened = browser.submit(urlsplit(url).path)
    assert opened.location == "/your-say/", url
    return browser.get("/your-say/").h1


def test_flask_demo_prints_a_working_link_for_each_family_form(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert first.output.index("coordinator@heard.example") < first.output.index("/r/")
    links = _printed_links(first.output)
    for form, url in links.items():
        assert url.startswith(app.config["PUBLIC_BASE_URL"] + "/r/")
        assert _opens(app, url) == LANDINGS[form], form

    limiter.reset()  # one address opening links twice a run is past the link rate limit
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    again = _printed_links(second.output)
    for form, url in again.items():
        assert url != links[form], form
        assert _opens(app, url) == LANDINGS[form], form
    # The links printed before are replaced: they no longer open a form
    for url in links.values():
        assert PageClient(app.test_client()).get(urlsplit(url).path).status == 404


def test_make_runs_steps_load_first_and_print_later(app: Flask) -> None:
    """`make run` loads with `flask demo --load-only`; its `demo` process prints the accounts and
    links with `flask demo-links` once the app answers (tests/integration/test_make_run.py)."""
    runner = app.test_cli_runner()
    early = runner.invoke(args=["demo-links"])
    assert early.exit_code == 1
    assert "There is no demo data yet: run `flask demo` first." in early.output

    loaded = runner.invoke(args=["demo", "--load-only"])
    assert loaded.exit_code == 0, loaded.output
    assert "Demo data ready" in loaded.output
    assert "coordinator@heard.example" not in loaded.output
    assert "/r/" not in loaded.output

    printed = runner.invoke(args=["demo-links"])
    assert printed.exit_code == 0, printed.output
    base = app.config["PUBLIC_BASE_URL"]
    assert f"Sign in at {base}/login" in printed.output
    assert "password: heard-demo-coordinator" in printed.output
    for form, url in _printed_links(printed.output).items():
        assert _opens(app, url) == LANDINGS[form], form
