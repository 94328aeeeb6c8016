"""The questions families and children are asked, one per page, in plain English (reading age
about 9).

Each questionnaire is data: the pages, forms, "check your answers" and the chair's view are all
made from it, so a question is changed in one place. Every text is marked for translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

YES_PARTLY_NO = (("yes", _l("Yes")), ("partly", _l("Partly")), ("no", _l("No")))
Text = Any  # a str, or a lazy translation of one


@dataclass(frozen=True)
class Question:
    id: str
    title: Text
    kind: Literal["choice", "choices", "text"]
    hint: Text = ""
    options: tuple[tuple[str, Text], ...] = ()
    required: bool = True
    # A text box under the choices, for "tell us more" (always optional)
    detail_label: Text = ""
    max_length: int = 2000
    error: Text = _l("Select an answer")
    # The choice that means "someone is in danger now": emergency guidance at once, and a flag
    concern_choice: str | None = None
    # How the choices look: a list, a row (the 0 to 10 scale), or three faces (children)
    look: Literal["list", "row", "faces"] = "list"
    # Shown to the conference's chair only: not to the coordinator or anyone else
    chair_only: bool = False

    def is_answered(self, value: dict[str, Any] | None) -> bool:
        return value is not None

    def summary(self, value: dict[str, Any] | None) -> list[str]:
        """The answer as lines of text, for "check your answers" and the chair."""
        if not value:
            return [_("Not answered")]
        labels = dict(self.options)
        lines = []
        if value.get("choice"):
            lines.append(str(labels.get(value["choice"], value["choice"])))
        if value.get("choices"):
            lines.append(", ".join(str(labels.get(c, c)) for c in value["choices"]))
        if value.get("text"):
            lines.append(value["text"])
        return lines or [_("No answer written")]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: Text
    minutes: int
    # Who answers it: sets the words on the landing and confirmation pages
    audience: Literal["parent", "young_person", "child"] = "parent"
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def after(self, question_id: str) -> Question | None:
        ids = [q.id for q in self.questions]
        index = ids.index(question_id) + 1
        return self.questions[index] if index < len(ids) else None

    def before(self, question_id: str) -> Question | None:
        ids = [q.id for q in self.questions]
        index = ids.index(question_id) - 1
        return self.questions[index] if index >= 0 else None


def _danger_now(title: Text, hint: Text, detail_label: Text) -> Question:
    """Asked of everyone: "yes" shows the emergency page at once and flags the conference."""
    return Question(
        "danger_now",
        title,
        "choice",
        hint=hint,
        options=(("yes", _l("Yes")), ("no", _l("No"))),
        detail_label=detail_label,
        concern_choice="yes",
    )


def _help_needed(own_options: tuple[tuple[str, Text], ...], detail_label: Text) -> Question:
    """Help to take part: the same first and last choices for everyone, the middle their own."""
    return Question(
        "help_needed",
        _l("What help do you need to take part?"),
        "choices",
        hint=_l("Select all that apply."),
        options=(
            ("interpreter", _l("An interpreter")),
            ("bsl", _l("A British Sign Language interpreter")),
            ("easy_read", _l("Easy read papers")),
            *own_options,
            ("other", _l("Something else")),
            ("none", _l("No help needed")),
        ),
        detail_label=detail_label,
        error=_l("Select the help you need, or select no help needed"),
    )


PARENT_VIEWS = Questionnaire(
    id="parent_views",
    title=_l("Your views before the meeting"),
    minutes=5,
    questions=(
        Question(
            "why_meeting",
            _l("Do you know why the meeting is happening?"),
            "choice",
            options=(("yes", _l("Yes")), ("not_sure", _l("I am not sure")), ("no", _l("No"))),
            detail_label=_l("Anything you want to say about this (optional)"),
        ),
        Question(
            "report_shared",
            _l("Has the social worker shared their report with you?"),
            "choice",
            options=(
                ("yes", _l("Yes")),
                ("not_yet", _l("Not yet")),
                ("dont_know", _l("I do not know")),
            ),
        ),
        Question(
            "report_wrong",
            _l("Is anything in the report wrong?"),
            "text",
            hint=_l(
                "Tell us what is wrong and what is right instead. Leave it empty if nothing is."
            ),
            required=False,
        ),
        Question(
            "going_well",
            _l("What is going well for your family?"),
            "text",
            hint=_l("For example, things you do well, or help that is working."),
            required=False,
        ),
        Question(
            "worries",
            _l("What worries you?"),
            "text",
            hint=_l("If someone is in danger right now, call 999."),
            required=False,
        ),
        _danger_now(
            _l("Is anyone in danger right now?"),
            _l("For example, someone might hurt a child, or hurt you."),
            _l("Tell us what is happening (optional)"),
        ),
        Question(
            "would_help",
            _l("What would help, and who could help?"),
            "text",
            required=False,
        ),
        Question(
            "attending",
            _l("Will you come to the meeting?"),
            "choice",
            options=(
                ("in_person", _l("Yes, in person")),
                ("video", _l("Yes, by video")),
                ("phone", _l("Yes, by phone")),
                ("no", _l("No, please read my views")),
                ("not_sure", _l("I am not sure yet")),
            ),
        ),
        Question(
            "speak_to_chair",
            _l("Would you like to speak to the chair before the meeting?"),
            "choice",
            hint=_l("The chair runs the meeting. They are not part of the social work team."),
            options=(("yes", _l("Yes")), ("no", _l("No"))),
        ),
        _help_needed(
            (
                ("large_print", _l("Large print papers")),
                ("supporter", _l("To bring someone to support me")),
            ),
            _l("Tell us more, for example which language (optional)"),
        ),
    ),
)


def _yes_partly_no(question_id: str, title: Text) -> Question:
    return Question(
        question_id,
        title,
        "choice",
        options=YES_PARTLY_NO,
        detail_label=_l("Tell us more (optional)"),
    )


def _do_better(title: Text) -> Question:
    return Question("do_better", title, "text", required=False)


PARENT_FEEDBACK = Questionnaire(
    id="parent_feedback",
    title=_l("How did the meeting go for you?"),
    minutes=2,
    questions=(
        _yes_partly_no("explained_before", _l("Was the meeting explained to you before it?")),
        _yes_partly_no("reports_in_time", _l("Did you get the reports in time to read them?")),
        _yes_partly_no("chair_introductions", _l("Did the chair explain who everyone was?")),
        _yes_partly_no("could_say", _l("Could you say what you wanted to say?")),
        _yes_partly_no("listened_to", _l("Did you feel listened to?")),
        _yes_partly_no("understand_decision", _l("Do you understand what was decided, and why?")),
        _yes_partly_no("know_next", _l("Do you know what happens next, and who will help?")),
        _yes_partly_no("respect", _l("Were you treated with respect?")),
        _yes_partly_no(
            "format_worked",
            _l("Did the way the meeting was held (in person, video or phone) work for you?"),
        ),
        _do_better(_l("What could we do better?")),
    ),
)

# Children and young people: the same care, in their words. Anything they want only the chair
# to read is kept from everyone else.

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
        _danger_now(
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
            options=(
                ("me", _l("I will speak for myself")),
                ("advocate", _l("My advocate")),
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
        _help_needed(
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
        _yes_partly_no("explained_before", _l("Did someone explain the meeting to you before it?")),
        _yes_partly_no(
            "could_say", _l("Did what you wanted to say get said, by you or by someone for you?")
        ),
        _yes_partly_no("listened_to", _l("Did you feel listened to?")),
        _yes_partly_no("understand_decision", _l("Do you understand what was decided?")),
        _yes_partly_no("know_next", _l("Do you know what happens next?")),
        _yes_partly_no("respect", _l("Were you treated with respect?")),
        _do_better(_l("What could make meetings better for young people?")),
    ),
)

# Under 10: the Three Houses (good things, worries, wishes), filled in with an adult helping.
# The faces are drawn in SVG; each has its words beside it, so no one has to read a picture.
FACES_HOW_FEEL = (("happy", _l("Happy")), ("in_between", _l("In between")), ("sad", _l("Sad")))

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
        _danger_now(
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
        Question(
            "feel_at_home",
            _l("How do you feel at home?"),
            "choice",
            options=FACES_HOW_FEEL,
            detail_label=_l("Why? (optional)"),
            look="faces",
            error=_l("Choose a face"),
        ),
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
            hint=_l("For example, your foster carer, your advocate, or nobody."),
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
        Question(
            "meeting_feel",
            _l("How did you feel about the meeting?"),
            "choice",
            options=FACES_HOW_FEEL,
            look="faces",
            error=_l("Choose a face"),
        ),
        Question(
            "listened_to",
            _l("Did the grown-ups listen to you?"),
            "choice",
            options=(("happy", _l("Yes")), ("in_between", _l("A bit")), ("sad", _l("No"))),
            look="faces",
            error=_l("Choose a face"),
        ),
        _do_better(_l("Is there anything else you want to tell us?")),
    ),
)

QUESTIONNAIRES = {
    q.id: q
    for q in (
        PARENT_VIEWS,
        PARENT_FEEDBACK,
        YOUNG_PERSON_VIEWS,
        YOUNG_PERSON_FEEDBACK,
        CHILD_VIEWS,
        CHILD_FEEDBACK,
    )
}
