"""The questions children and young people are asked: the same care as their parents, in their
words. Anything they want only the chair to read is kept from everyone else.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.family_forms.questionnaire import (
    Question,
    Questionnaire,
    Text,
    danger_now,
    do_better,
    help_needed,
    yes_partly_no,
)

_CHAIR_ONLY_HINT = _l(
    "Only the chair of the meeting will read this. If it shows that you or someone else is not "
    "safe, the chair will have to tell people who can help."
)

YOUNG_PERSON_VIEWS = Questionnaire(
    id="young_person_views",
    title=_l("Your say before your meeting"),
    minutes=5,
    audience="young_person",
    questions=(
        Question(
            "going_well",
            _l("What is going well for you?"),
            "text",
            hint=_l("For example, at home, at school, or with friends."),
            required=False,
        ),
        Question(
            "worries",
            _l("What worries you?"),
            "text",
            hint=_l("You can also talk to Childline for free on 0800 1111."),
            required=False,
        ),
        danger_now(
            _l("Are you, or is anyone else, in danger right now?"),
            _l("For example, someone is hurting you or might hurt you."),
            _l("Tell us what is happening (optional)"),
        ),
        Question(
            "needs_to_change",
            _l("What needs to change?"),
            "text",
            required=False,
        ),
        Question(
            "safe_at_home",
            _l("How safe do you feel at home?"),
            "choice",
            hint=_l("0 means not safe at all. 10 means completely safe."),
            options=(
                ("0", _l("0 – not safe at all")),
                *((str(n), str(n)) for n in range(1, 10)),
                ("10", _l("10 – completely safe")),
            ),
            detail_label=_l("Why did you choose that number? (optional)"),
            look="row",
            error=_l("Select a number from 0 to 10"),
            safety_scale=True,  # SAFETY_SCALE_ALERT_AT or below raises a safety alert
        ),
        Question(
            "attending",
            _l("Do you want to come to the meeting?"),
            "choice",
            options=(
                ("all", _l("Yes, all of it")),
                ("part", _l("Yes, part of it")),
                ("none", _l("No")),
                ("not_sure", _l("I am not sure yet")),
            ),
            detail_label=_l(
                "How would you like to take part? For example in the room, by video, or by "
                "sending a letter (optional)"
            ),
        ),
        Question(
            "speaks_for_me",
            _l("Who should speak for you at the meeting?"),
            "choice",
            hint=_l(
                "Your advocate helps you say what you want. They are not part of the social "
                "work team."
            ),
            options=(
                ("me", _l("I will speak for myself")),
                ("advocate", _l("My advocate (who helps me speak up)")),
                ("parent", _l("A parent or carer")),
                ("social_worker", _l("My social worker")),
                ("someone_else", _l("Someone else")),
            ),
            detail_label=_l("Tell us who, or anything else you want to say about this (optional)"),
        ),
        Question(
            "chair_only",
            _l("Is there anything you want only the chair to know?"),
            "text",
            hint=_CHAIR_ONLY_HINT,
            required=False,
            chair_only=True,
        ),
        help_needed(
            (
                ("someone_with_me", _l("Someone with me")),
                ("breaks", _l("Breaks during the meeting")),
            ),
            _l("Tell us more (optional)"),
        ),
    ),
)

YOUNG_PERSON_FEEDBACK = Questionnaire(
    id="young_person_feedback",
    title=_l("How did your meeting go?"),
    minutes=2,
    audience="young_person",
    questions=(
        yes_partly_no("explained_before", _l("Did someone explain the meeting to you first?")),
        yes_partly_no(
            "could_say", _l("Did what you wanted to say get said, by you or by someone for you?")
        ),
        yes_partly_no("listened_to", _l("Did you feel listened to?")),
        yes_partly_no("understand_decision", _l("Do you know what was decided?")),
        yes_partly_no("know_next", _l("Do you know what happens next?")),
        yes_partly_no("respect", _l("Were you treated with respect?")),
        do_better(_l("What could make meetings better for young people?")),
    ),
)

# Under 10: the Three Houses (good things, worries, wishes), filled in with an adult helping.
# The faces are drawn in SVG; each has its words with it, so no one has to read a picture.
FEELINGS = (
    ("happy", _l("Happy")),
    ("sad", _l("Sad")),
    ("worried", _l("Worried")),
    ("angry", _l("Angry")),
    ("scared", _l("Scared")),
    ("calm", _l("Calm")),
    ("not_sure", _l("Not sure")),
)
# Before the seven feelings there were three faces: "happy" and "sad" are still offered, and an
# answer "in between" still reads and counts by its words.
FEELINGS_BEFORE = (("in_between", _l("In between")),)


def how_you_feel(question_id: str, title: Text, detail_label: Text = "") -> Question:
    """How a child feels (at home, at school, about the meeting): a picture of each feeling."""
    return Question(
        question_id,
        title,
        "choice",
        options=FEELINGS,
        retired=FEELINGS_BEFORE,
        detail_label=detail_label,
        look="feelings",
        error=_l("Choose how you feel"),
    )


CHILD_VIEWS = Questionnaire(
    id="child_views",
    title=_l("The Three Houses"),
    minutes=10,
    audience="child",
    questions=(
        Question(
            "good_things",
            _l("The house of good things"),
            "text",
            hint=_l("What is good at home? What do you like doing, and who with?"),
            required=False,
        ),
        Question(
            "worries",
            _l("The house of worries"),
            "text",
            hint=_l("What worries you, or makes you sad or scared?"),
            required=False,
        ),
        danger_now(
            _l("Is someone hurting you, or is anyone in danger, right now?"),
            _l("If yes, tell the grown-up helping you. They can call 999."),
            _l("What is happening? (optional)"),
        ),
        Question(
            "wishes",
            _l("The house of wishes"),
            "text",
            hint=_l("If you could change anything, what would it be?"),
            required=False,
        ),
        how_you_feel("feel_at_home", _l("How do you feel at home?"), _l("Why? (optional)")),
        how_you_feel("feel_at_school", _l("How do you feel at school?"), _l("Why? (optional)")),
        Question(
            "chair_only",
            _l("Is there anything only the chair should know?"),
            "text",
            hint=_l(
                "The chair is the person who runs the meeting. Only the chair, and the grown-up "
                "helping you, will see this. If you are not safe, the chair will tell people who "
                "can help."
            ),
            required=False,
            chair_only=True,
        ),
        Question(
            "helper",
            _l("Who helped you fill this in?"),
            "text",
            hint=_l("For example, your mum, dad, carer or advocate, or no one."),
            required=False,
            max_length=200,
        ),
    ),
)

CHILD_FEEDBACK = Questionnaire(
    id="child_feedback",
    title=_l("How was your meeting?"),
    minutes=2,
    audience="child",
    questions=(
        how_you_feel("meeting_feel", _l("How did you feel about the meeting?")),
        Question(
            "listened_to",
            _l("Did the grown-ups listen to you?"),
            "choice",
            options=(("happy", _l("Yes")), ("in_between", _l("A bit")), ("sad", _l("No"))),
            look="faces",
            error=_l("Choose a face"),
        ),
        do_better(_l("Is there anything else you want to tell us?")),
    ),
)
