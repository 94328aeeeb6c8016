"""English: the wording every message falls back to, so it has every kind."""

from __future__ import annotations

import re

from portal.messaging.default_wording.shape import DefaultWording
from portal.models import MessageKind

# The quick rating's scale, as the feedback texts put it: the feedback report says it the same way.
RATING_SCALE = "1 (bad) to 5 (good)"
RATING_ENDS = {1: "1 (bad)", 5: "5 (good)"}

_LINK_LINES = (
    "Your own link: {link}\n\nThis link is for you only. Please do not forward this email."
)
_HELPER_LINK_LINES = (
    "The child's own link: {link}\n\nThis link is for you and the child only. Please do not "
    "forward this email."
)

WORDING = DefaultWording(
    sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: please tell us your views before the meeting. It takes 5 minutes. "
            "Your own link: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            "{council}: there is still time to tell us your views before the meeting: {link}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "{council}: how did the meeting go for you? Tell us: {link} or reply " + RATING_SCALE
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "{council}: you can still tell us how the meeting went: {link} or reply " + RATING_SCALE
        ),
        MessageKind.RATING_THANKS: "{council}: thank you for your answer. It helps us do better.",
        MessageKind.CHECK_CODE: "{council}: your code is {code}. It works for 15 minutes.",
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: there is a note for you from the meeting. Read it here: {link}"
        ),
    },
    email={
        MessageKind.VIEWS_INVITATION: (
            "Your views before the meeting",
            "We would like to hear your views before the meeting, so they can be part of it.\n\n"
            "It takes about 5 minutes. You can save your answers and come back to them.\n\n"
            + _LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            "Reminder: your views before the meeting",
            "There is still time to tell us your views before the meeting. It takes about 5 "
            "minutes.\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "How did the meeting go for you?",
            "Please tell us how the meeting went for you. It helps us make meetings better. It "
            "takes about 2 minutes.\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "Reminder: how did the meeting go for you?",
            "You can still tell us how the meeting went for you. It takes about 2 minutes.\n\n"
            + _LINK_LINES,
        ),
        MessageKind.RATING_THANKS: (
            "Thank you for your answer",
            "Thank you for your answer. It helps us do better.",
        ),
        MessageKind.CHECK_CODE: ("Your code", "Your code is {code}. It works for 15 minutes."),
        MessageKind.YOU_SAID_WE_DID: (
            "A note for you from the meeting",
            "After the meeting, a note was written to you. You can read it with your own link."
            "\n\n" + _LINK_LINES,
        ),
    },
    helper_sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: this link is for a child you help. Please fill in the form with them, in "
            "their words, before the meeting: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            "{council}: there is still time to fill in the form with the child you help: {link}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "{council}: please ask the child you help how the meeting went for them: {link}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "{council}: you can still ask the child you help how the meeting went: {link}"
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: there is a note from the meeting for the child you help. Please read it "
            "with them: {link}"
        ),
    },
    helper_email={
        MessageKind.VIEWS_INVITATION: (
            "A form for the child you help",
            "This form is for the child you help, not for you. Please fill it in with them "
            "before the meeting, in their own words: good things, worries and wishes.\n\n"
            "It takes about 10 minutes. You can save the answers and come back to them.\n\n"
            + _HELPER_LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            "Reminder: a form for the child you help",
            "There is still time to fill in the form with the child you help, before the "
            "meeting.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "How did the meeting go for the child you help?",
            "Please ask the child you help how the meeting went for them, and fill in their "
            "answers. It takes about 2 minutes.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "Reminder: how did the meeting go for the child you help?",
            "You can still ask the child you help how the meeting went for them.\n\n"
            + _HELPER_LINK_LINES,
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "A note for the child you help",
            "After the meeting, a note was written to the child you help. Please read it with "
            "them. You can print it too.\n\n" + _HELPER_LINK_LINES,
        ),
    },
    footer="From {council}. If you did not expect this email, or need help, call {phone}.",
    # Whole words.
    forbidden_words={
        word: rf"\b{re.escape(word)}\b"
        for word in (
            "child protection",
            "protection",
            "safeguarding",
            "social worker",
            "social care",
            "case",
            "abuse",
            "harm",
            "neglect",
            "conference",
            "police",
        )
    },
)
