"""Each invitation says the time its own form takes (issue 21): the Three Houses, which goes to
the adult who helps the child, takes about 10 minutes, not the 5 of a parent's or a young
person's views. The wording is plain text an admin may edit, so the figures are checked here
against each questionnaire's own ``minutes``."""

from __future__ import annotations

import re

from portal.family_forms.childrens_questions import (
    CHILD_FEEDBACK,
    CHILD_VIEWS,
    YOUNG_PERSON_FEEDBACK,
    YOUNG_PERSON_VIEWS,
)
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS
from portal.messaging.default_wording import ENGLISH
from portal.models import MessageKind

MINUTES = re.compile(r"takes (?:about )?(\d+) minutes")


def _said(*texts: str) -> set[int]:
    return {int(found) for text in texts for found in MINUTES.findall(text)}


def test_the_invitations_everyone_else_gets_say_the_time_of_their_forms() -> None:
    assert PARENT_VIEWS.minutes == YOUNG_PERSON_VIEWS.minutes  # one wording for both
    views = MessageKind.VIEWS_INVITATION
    assert _said(ENGLISH.sms[views], *ENGLISH.email[views]) == {PARENT_VIEWS.minutes}
    assert PARENT_FEEDBACK.minutes == YOUNG_PERSON_FEEDBACK.minutes
    feedback = MessageKind.FEEDBACK_INVITATION
    assert _said(ENGLISH.sms[feedback], *ENGLISH.email[feedback]) <= {PARENT_FEEDBACK.minutes}


def test_the_helper_of_a_child_is_told_the_three_houses_take_longer() -> None:
    views = MessageKind.VIEWS_INVITATION
    assert _said(ENGLISH.helper_sms[views], *ENGLISH.helper_email[views]) == {CHILD_VIEWS.minutes}
    feedback = MessageKind.FEEDBACK_INVITATION
    assert _said(ENGLISH.helper_sms[feedback], *ENGLISH.helper_email[feedback]) == {
        CHILD_FEEDBACK.minutes
    }
