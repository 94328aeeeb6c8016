"""Every message, in every channel: who it is from, no personal or case detail, short texts."""

from __future__ import annotations

import pytest

from portal.forms import UNKEEPABLE
from portal.messaging.default_wording import DEFAULTS
from portal.messaging.sms import sms_segments
from portal.messaging.wording import (
    FAMILY_KINDS,
    LINK,
    STAFF_KINDS,
    WITHOUT_LINK,
    source_for,
    wording_for,
)
from portal.messaging.wording_checks import problems_with
from portal.models import Channel, MessageKind, Role

FORBIDDEN = [
    "child protection",
    "protection",
    "social worker",
    "case",
    "abuse",
    "harm",
    "conference",
]
LONGEST_LINK = "https://heard.northshire.gov.uk/r/" + "x" * 22


@pytest.mark.parametrize("kind", FAMILY_KINDS)
@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
def test_no_message_says_anything_personal_or_about_the_case(app, kind, channel) -> None:
    wording = wording_for(kind, channel)
    everything = " ".join(filter(None, [wording.subject, wording.text, wording.html])).lower()
    for word in FORBIDDEN:
        assert word not in everything, f"{kind} by {channel} says {word!r}"
    assert app.config["COUNCIL_NAME"].lower() in everything  # says who it is from
    assert "{" not in everything  # every field filled in
    if kind in WITHOUT_LINK:
        assert LINK not in everything
    else:
        assert LINK in wording.text  # what the link is for is said around it


@pytest.mark.parametrize("kind", FAMILY_KINDS)
def test_each_text_with_its_link_fits_one_segment(app, kind) -> None:
    text = wording_for(kind, Channel.SMS).text.replace(LINK, LONGEST_LINK)
    assert sms_segments(text) == 1, f"{kind}: {len(text)} characters"


def test_staff_messages_are_not_family_wording_an_admin_can_change(signed_in) -> None:
    assert MessageKind.SAFEGUARDING_ALERT in STAFF_KINDS
    assert set(FAMILY_KINDS) | STAFF_KINDS == set(MessageKind)
    client = signed_in(Role.ADMIN)
    assert "Safeguarding alert" not in client.get("/admin/wording/").text
    assert client.get("/admin/wording/safeguarding_alert/email").status == 404


def test_segment_counting() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("[" * 80) == 1  # extension characters count twice
    assert sms_segments("[" * 81) == 2
    assert sms_segments("é" * 160) == 1  # é is in GSM-7
    assert sms_segments("ś" * 70) == 1  # not in GSM-7: UCS-2 sends 70 a segment
    assert sms_segments("ś" * 71) == 2


@pytest.mark.parametrize("language", list(DEFAULTS))
@pytest.mark.parametrize("kind", FAMILY_KINDS)
@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
def test_every_default_passes_the_checks_an_admin_change_must_pass(
    app, kind, channel, language
) -> None:
    """In every language: each has every message (English is sent only when one is missing)."""
    source = source_for(kind, channel, language=language)
    assert not source.missing
    assert problems_with(kind, channel, source.subject, source.body) == []


def test_an_admin_previews_with_counts_then_saves_and_new_messages_use_it(signed_in) -> None:
    client = signed_in(Role.ADMIN)
    url = "/admin/wording/views_invitation/sms"
    body = "{council}: tell us what you think before the meeting: {link}"
    preview = client.submit(url, {"body": body, "action": "preview"})
    assert preview.status == 200
    assert "characters, 1 text message" in preview.text
    assert "/r/xxxxxxxxxxxxxxxxxxxxxx" in preview.text  # a sample link as long as a real one
    saved = client.submit(url, {"body": body, "action": "save"})
    assert saved.location == "/admin/wording/"
    assert wording_for(MessageKind.VIEWS_INVITATION, Channel.SMS).text == (
        "Northshire Council: tell us what you think before the meeting: ((link))"
    )
    assert "Changed" in client.get("/admin/wording/").text
    client.submit(url, {"body": body, "action": "reset"})
    assert wording_for(MessageKind.VIEWS_INVITATION, Channel.SMS).text.startswith(
        "Northshire Council: please tell us your views"
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{council}: your views please", "Include {link}"),
        ("Tell us: {link}", "Include {council}"),
        ("{council}: about the child protection conference: {link}", "Remove “child protection”"),
        ("{council}: {name}, tell us: {link}", "Remove {name}"),
        ("{council}: tell us { here: {link}", "Use braces only around a field"),
    ],
)
def test_wording_that_would_break_a_rule_is_refused(signed_in, body, problem) -> None:
    page = signed_in(Role.ADMIN).submit(
        "/admin/wording/views_invitation/sms", {"body": body, "action": "save"}
    )
    assert page.status == 400
    assert page.error_summary[0].startswith(problem)
    assert wording_for(MessageKind.VIEWS_INVITATION, Channel.SMS).text.startswith(
        "Northshire Council: please tell us"
    )


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("{council}: konferencja o dziecku: {link}", "konferencja"),
        ("{council}: w sprawie ochrony dziecka: {link}", "ochrona"),
        ("{council}: pracownicy socjalni pytają: {link}", "pracownik socjalny"),
        ("{council}: opieki społecznej: {link}", "opieka społeczna"),
        ("{council}: o przemocy: {link}", "przemoc"),
        ("{council}: krzywdy: {link}", "krzywda"),
        ("{council}: zaniedbania: {link}", "zaniedbanie"),
        ("{council}: policja: {link}", "policja"),
        ("{council}: twoja sprawa: {link}", "sprawa"),
    ],
)
def test_polish_words_that_say_what_it_is_about_are_refused_in_any_form(body, word) -> None:
    """Each language has its own list (issue 21), matched as the words decline."""
    problems = problems_with(MessageKind.VIEWS_INVITATION, Channel.SMS, None, body)
    assert problems[:1] == [
        f"Remove “{word}”: someone else may read the message, and it must not say what it is about"
    ]


def test_polish_wording_that_says_nothing_about_the_case_is_accepted() -> None:
    body = "{council}: sprawdź i powiedz nam, co myślisz przed spotkaniem: {link}"
    assert problems_with(MessageKind.VIEWS_INVITATION, Channel.SMS, None, body) == []


def test_email_wording_keeps_the_footer_and_links_the_link(signed_in, app) -> None:
    client = signed_in(Role.ADMIN)
    client.submit(
        "/admin/wording/feedback_invitation/email",
        {"subject": "Your say", "body": "Tell us how it went: {link}", "action": "save"},
    )
    wording = wording_for(MessageKind.FEEDBACK_INVITATION, Channel.EMAIL)
    assert wording.subject == "Your say – Northshire Council"
    assert "From Northshire Council" in wording.text
    assert f'<a href="{LINK}"' in wording.html


@pytest.mark.parametrize(
    "body", ["{council:d}: {link}", "{council!r}: {link}", "{}: {council} {link}"]
)
def test_fields_with_anything_else_in_the_braces_are_refused(body) -> None:
    problems = problems_with(MessageKind.VIEWS_INVITATION, Channel.SMS, None, body)
    assert problems == [
        "Write fields just as they are, like {link}, with nothing else in the braces"
    ]


def test_every_problem_is_listed_at_once(signed_in) -> None:
    page = signed_in(Role.ADMIN).submit(
        "/admin/wording/feedback_invitation/sms",
        {"body": "{council}: about the child protection case {name}", "action": "save"},
    )
    [message] = page.error_summary
    assert "Remove {name}" in message
    assert "Include {link}" in message
    assert "Remove “child protection”" in message


# Every character str.splitlines() breaks at: the email package refuses each in a header.
LINE_BREAKS = [
    "\r\n",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_a_subject_of_more_than_one_line_is_refused_and_the_rest_kept(
    signed_in, line_break
) -> None:
    """An email subject is a header: a line break in it would stop every email of the kind.
    The control characters among them are refused by every text field, before its own checks."""
    body = "Tell us how it went: {link}"
    page = signed_in(Role.ADMIN).submit(
        "/admin/wording/feedback_invitation/email",
        {
            "subject": f"Your say{line_break}Bcc: someone@example.com",
            "body": body,
            "action": "save",
        },
    )
    assert page.status == 400
    assert page.error_summary == [
        "Your answer has a character we cannot keep. Remove it and try again"
        if UNKEEPABLE.search(line_break)
        else "Subject must be one line"
    ]
    assert page.soup.select_one("#subject")["value"].startswith("Your say")
    assert page.soup.select_one("#body").get_text() == body
    assert source_for(MessageKind.FEEDBACK_INVITATION, Channel.EMAIL).customised is False


def test_a_subject_ending_in_a_line_break_is_refused_too(signed_in) -> None:
    page = signed_in(Role.ADMIN).submit(
        "/admin/wording/feedback_invitation/email",
        {"subject": "Your say\n", "body": "Tell us how it went: {link}", "action": "save"},
    )
    assert page.error_summary == ["Subject must be one line"]


@pytest.mark.parametrize(
    ("subject", "body", "problem"),
    [
        ("Your link: {link}", "Tell us how it went", "Remove {link} from the subject"),
        ("Your code {code}", "{council}: your code is {code}", "Remove {code} from the subject"),
    ],
)
def test_a_link_or_code_only_in_the_subject_is_refused(subject, body, problem) -> None:
    """Fields in a subject are never filled in (and a subject shows on a locked phone): the
    email would go out with "((link))" in its subject and no link at all."""
    kind = MessageKind.CHECK_CODE if "code" in body else MessageKind.FEEDBACK_INVITATION
    problems = problems_with(kind, Channel.EMAIL, subject, body)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_subject_too_long_once_the_fields_are_filled_in_is_refused(signed_in, app) -> None:
    """150 characters typed can be far more sent: each {council} becomes the council's name,
    and the outbox keeps at most 200 characters of subject."""
    subject = "{council}" * 16
    page = signed_in(Role.ADMIN).submit(
        "/admin/wording/feedback_invitation/email",
        {"subject": subject, "body": "Tell us how it went: {link}", "action": "save"},
    )
    assert page.status == 400
    assert page.error_summary[0].startswith("Subject is too long once {council} is filled in")
    assert source_for(MessageKind.FEEDBACK_INVITATION, Channel.EMAIL).customised is False
