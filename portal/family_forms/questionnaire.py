"""What a question and a questionnaire are, and the questions every audience is asked, each in
its own words: whether anyone is in danger now, the help they need, yes, partly or no, and what
could be better.
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
    # The choice that means "someone is in danger now": emergency guidance at once, and a
    # safety alert (portal/safety) to the chair, the coordinators' team and the social worker
    concern_choice: str | None = None
    # A 0 to 10 scale where a score at or below SAFETY_SCALE_ALERT_AT raises a safety alert too
    safety_scale: bool = False
    # How the choices look: a list, a row (the 0 to 10 scale), three faces beside their words,
    # or a grid of feelings, each a face above its word (children; portal/family_forms/faces.py)
    look: Literal["list", "row", "faces", "feelings"] = "list"
    # Choices no longer offered, with their words: answers given before still read, and count
    retired: tuple[tuple[str, Text], ...] = ()
    # Shown to the conference's chair only: not to the coordinator or anyone else
    chair_only: bool = False
    # Checkboxes: the choice that cannot go with any other ("No help needed"), after an "or"
    exclusive: str | None = None

    @property
    def label(self) -> Text:
        """The question as its page asks it: GOV.UK marks an optional question "(optional)",
        and a required one not at all (the "tell us more" boxes, always optional, say it in
        their own words)."""
        if self.required:
            return self.title
        return _l("%(question)s (optional)", question=self.title)

    def is_answered(self, value: dict[str, Any] | None) -> bool:
        return value is not None

    def summary(self, value: dict[str, Any] | None) -> list[str]:
        """The answer as lines of text, for "check your answers" and the chair."""
        if not value:
            return [_("Not answered")]
        labels = dict((*self.options, *self.retired))
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


def danger_now(title: Text, hint: Text, detail_label: Text) -> Question:
    """Asked of everyone: "yes" shows the emergency page at once and raises a safety alert."""
    return Question(
        "danger_now",
        title,
        "choice",
        hint=hint,
        options=(("yes", _l("Yes")), ("no", _l("No"))),
        detail_label=detail_label,
        concern_choice="yes",
    )


def help_needed(own_options: tuple[tuple[str, Text], ...], detail_label: Text) -> Question:
    """Help to take part: the same first and last choices for everyone, the middle their own."""
    return Question(
        "help_needed",
        _l("What help do you need to take part?"),
        "choices",
        hint=_l("Select all that apply."),
        options=(
            ("interpreter", _l("Someone to translate for me")),
            ("bsl", _l("Someone to sign for me in British Sign Language")),
            ("easy_read", _l("Easy read papers")),
            *own_options,
            ("other", _l("Something else")),
            ("none", _l("No help needed")),
        ),
        detail_label=detail_label,
        error=_l("Select the help you need, or select no help needed"),
        exclusive="none",
    )


def yes_partly_no(question_id: str, title: Text) -> Question:
    return Question(
        question_id,
        title,
        "choice",
        options=YES_PARTLY_NO,
        detail_label=_l("Tell us more (optional)"),
    )


def do_better(title: Text) -> Question:
    return Question("do_better", title, "text", required=False)
