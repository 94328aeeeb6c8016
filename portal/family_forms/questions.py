"""The questions families and children are asked, one per page, in plain English (reading age
about 9).

Each questionnaire is data: the pages, forms, "check your answers" and the chair's view are all
made from it, so a question is changed in one place. Every text is marked for translation.

The parents' questionnaires are here, the children's and young people's in
childrens_questions.py; ``QUESTIONNAIRES`` holds them all, by id.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.family_forms.childrens_questions import (
    CHILD_FEEDBACK,
    CHILD_VIEWS,
    YOUNG_PERSON_FEEDBACK,
    YOUNG_PERSON_VIEWS,
)
from portal.family_forms.questionnaire import (
    Question,
    Questionnaire,
    danger_now,
    do_better,
    help_needed,
    yes_partly_no,
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
        danger_now(
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
        help_needed(
            (
                ("large_print", _l("Large print papers")),
                ("supporter", _l("To bring someone to support me")),
            ),
            _l("Tell us more, for example which language (optional)"),
        ),
    ),
)


PARENT_FEEDBACK = Questionnaire(
    id="parent_feedback",
    title=_l("How did the meeting go for you?"),
    minutes=2,
    questions=(
        yes_partly_no("explained_before", _l("Was the meeting explained to you before it?")),
        yes_partly_no("reports_in_time", _l("Did you get the reports in time to read them?")),
        yes_partly_no("chair_introductions", _l("Did the chair explain who everyone was?")),
        yes_partly_no("could_say", _l("Could you say what you wanted to say?")),
        yes_partly_no("listened_to", _l("Did you feel listened to?")),
        yes_partly_no("understand_decision", _l("Do you know what was decided, and why?")),
        yes_partly_no("know_next", _l("Do you know what happens next, and who will help?")),
        yes_partly_no("respect", _l("Were you treated with respect?")),
        yes_partly_no(
            "format_worked",
            _l("Did the way you took part (in person, by video or by phone) work for you?"),
        ),
        do_better(_l("What could we do better?")),
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
