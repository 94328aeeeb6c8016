"""Every message, in every channel: who it is from, no personal or case detail, short texts."""

from __future__ import annotations

import pytest

from portal.messaging.sms import sms_segments
from portal.messaging.wording import LINK, WITHOUT_LINK, wording_for
from portal.models import Channel, MessageKind

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


@pytest.mark.parametrize("kind", list(MessageKind))
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


@pytest.mark.parametrize("kind", list(MessageKind))
def test_each_text_with_its_link_fits_one_segment(app, kind) -> None:
    text = wording_for(kind, Channel.SMS).text.replace(LINK, LONGEST_LINK)
    assert sms_segments(text) == 1, f"{kind}: {len(text)} characters"


def test_segment_counting() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("[" * 80) == 1  # extension characters count twice
    assert sms_segments("[" * 81) == 2
    assert sms_segments("é" * 160) == 1  # é is in GSM-7
    assert sms_segments("ś" * 70) == 1  # not in GSM-7: UCS-2 sends 70 a segment
    assert sms_segments("ś" * 71) == 2
