"""The questions families are asked, one per page, in plain English (reading age about 9).

Each questionnaire is data: the pages, forms, "check your answers" and the chair's view are all
made from it, so a question is changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

YES_PARTLY_NO = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    kind: Literal["choice", "choices", "text"]
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    # A text box under the choices, for "tell us more" (always optional)
    detail_label: str = ""
    max_length: int = 2000
    error: str = "Select an answer"
    # The choice that means "someone is in danger now": emergency guidance at once, and a flag
    concern_choice: str | None = None

    def is_answered(self, value: dict[str, Any] | None) -> bool:
        return value is not None

    def summary(self, value: dict[str, Any] | None) -> list[str]:
        """The answer as lines of text, for "check your answers" and the chair."""
        if not value:
            return ["Not answered"]
        labels = dict(self.options)
        lines = []
        if value.get("choice"):
            lines.append(labels.get(value["choice"], value["choice"]))
        if value.get("choices"):
            lines.append(", ".join(labels.get(c, c) for c in value["choices"]))
        if value.get("text"):
            lines.append(value["text"])
        return lines or ["Nothing said"]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    minutes: int
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


PARENT_VIEWS = Questionnaire(
    id="parent_views",
    title="Your views before the meeting",
    minutes=5,
    questions=(
        Question(
            "why_meeting",
            "Do you know why the meeting is happening?",
            "choice",
            options=(("yes", "Yes"), ("not_sure", "I am not sure"), ("no", "No")),
            detail_label="Anything you want to say about this (optional)",
        ),
        Question(
            "report_shared",
            "Has the social worker shared their report with you?",
            "choice",
            options=(("yes", "Yes"), ("not_yet", "Not yet"), ("dont_know", "I do not know")),
        ),
        Question(
            "report_wrong",
            "Is anything in the report wrong?",
            "text",
            hint="Tell us what is wrong and what is right instead. Leave it empty if nothing is.",
            required=False,
        ),
        Question(
            "going_well",
            "What is going well for your family?",
            "text",
            hint="For example, things you do well, or help that is working.",
            required=False,
        ),
        Question(
            "worries",
            "What worries you?",
            "text",
            hint="If someone is in danger right now, call 999.",
            required=False,
        ),
        Question(
            "danger_now",
            "Is anyone in danger right now?",
            "choice",
            hint="For example, someone might hurt a child, or hurt you.",
            options=(("yes", "Yes"), ("no", "No")),
            detail_label="Tell us what is happening (optional)",
            concern_choice="yes",
        ),
        Question(
            "would_help",
            "What would help, and who could help?",
            "text",
            required=False,
        ),
        Question(
            "attending",
            "Will you come to the meeting?",
            "choice",
            options=(
                ("in_person", "Yes, in person"),
                ("video", "Yes, by video"),
                ("phone", "Yes, by phone"),
                ("no", "No, please read my views"),
                ("not_sure", "I am not sure yet"),
            ),
        ),
        Question(
            "speak_to_chair",
            "Would you like to speak to the chair before the meeting?",
            "choice",
            hint="The chair runs the meeting. They are not part of the social work team.",
            options=(("yes", "Yes"), ("no", "No")),
        ),
        Question(
            "help_needed",
            "What help do you need to take part?",
            "choices",
            hint="Select all that apply.",
            options=(
                ("interpreter", "An interpreter"),
                ("bsl", "A British Sign Language interpreter"),
                ("easy_read", "Easy read papers"),
                ("large_print", "Large print papers"),
                ("supporter", "To bring someone to support me"),
                ("other", "Something else"),
                ("none", "No help needed"),
            ),
            detail_label="Tell us more, for example which language (optional)",
            error="Select the help you need, or select no help needed",
        ),
    ),
)


def _feedback_question(question_id: str, title: str) -> Question:
    return Question(
        question_id,
        title,
        "choice",
        options=YES_PARTLY_NO,
        detail_label="Tell us more (optional)",
    )


PARENT_FEEDBACK = Questionnaire(
    id="parent_feedback",
    title="How did the meeting go for you?",
    minutes=2,
    questions=(
        _feedback_question("explained_before", "Was the meeting explained to you before it?"),
        _feedback_question("reports_in_time", "Did you get the reports in time to read them?"),
        _feedback_question("chair_introductions", "Did the chair explain who everyone was?"),
        _feedback_question("could_say", "Could you say what you wanted to say?"),
        _feedback_question("listened_to", "Did you feel listened to?"),
        _feedback_question("understand_decision", "Do you understand what was decided, and why?"),
        _feedback_question("know_next", "Do you know what happens next, and who will help?"),
        _feedback_question("respect", "Were you treated with respect?"),
        _feedback_question(
            "format_worked",
            "Did the way the meeting was held (in person, video or phone) work for you?",
        ),
        Question(
            "do_better",
            "What could we do better?",
            "text",
            required=False,
        ),
    ),
)

QUESTIONNAIRES = {q.id: q for q in (PARENT_VIEWS, PARENT_FEEDBACK)}
