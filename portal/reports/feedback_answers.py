"""What people chose and wrote in the submitted feedback forms, for the feedback report.

The answers to choice questions are grouped in SQL (the choice is read out of the answer's JSON
with SQLAlchemy's portable JSON index, in a subquery, so the GROUP BY names a plain column on
SQLite and PostgreSQL alike). The feedback forms have no "select all that apply" question; a test
holds that, as this report counts single choices only.

Comments are redacted before anyone sees them (portal.reports.feedback_redaction). They are
sealed at rest (portal.crypto): SQL only asks whether one was written, and they are opened here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Subquery, func, select, type_coerce

from portal.crypto import EncryptedText
from portal.extensions import db
from portal.family_forms.childrens_questions import CHILD_FEEDBACK, YOUNG_PERSON_FEEDBACK
from portal.family_forms.questionnaire import Questionnaire
from portal.family_forms.questions import PARENT_FEEDBACK
from portal.models import Addition, Answer, FormResponse
from portal.reports.feedback_redaction import Redactor, conference_identifiers
from portal.reports.quarters import Rate, financial_quarters

FEEDBACK_QUESTIONNAIRES: tuple[Questionnaire, ...] = (
    PARENT_FEEDBACK,
    YOUNG_PERSON_FEEDBACK,
    CHILD_FEEDBACK,
)
ADDED_LATER = _l("Added after sending")


@dataclass(frozen=True)
class QuestionAnswers:
    questionnaire: str
    question: str
    answered: int  # submitted forms with a choice for this question
    submitted: int  # submitted forms of this questionnaire
    options: list[Rate]  # each option's count of ``answered``


@dataclass(frozen=True)
class AnswerGroup:
    """Questions of one form asked with the same options, shown as one table."""

    questionnaire: str
    options: list[str]
    questions: list[QuestionAnswers]


@dataclass(frozen=True)
class Comment:
    form: str  # the questionnaire's title
    quarter: str
    question: str
    text: str


def _feedback_ids() -> list[str]:
    return [questionnaire.id for questionnaire in FEEDBACK_QUESTIONNAIRES]


def answer_counts(people: Subquery) -> list[QuestionAnswers]:
    """Counts of each choice, per question of each feedback form, among submitted forms."""
    submitted = (
        select(FormResponse.id, FormResponse.questionnaire)
        .join(people, people.c.invitation_id == FormResponse.invitation_id)
        .where(
            FormResponse.submitted_at.is_not(None),
            FormResponse.questionnaire.in_(_feedback_ids()),
        )
        .subquery("submitted")
    )
    forms: dict[str, int] = dict(  # submitted forms, by questionnaire id
        db.session.execute(
            select(submitted.c.questionnaire, func.count()).group_by(submitted.c.questionnaire)
        ).all()
    )
    choices = (
        select(
            submitted.c.questionnaire,
            Answer.question_id,
            Answer.value["choice"].as_string().label("choice"),
        )
        .join(Answer, Answer.response_id == submitted.c.id)
        .subquery("choices")
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for questionnaire, question_id, choice, count in db.session.execute(
        select(choices.c.questionnaire, choices.c.question_id, choices.c.choice, func.count())
        .where(choices.c.choice.is_not(None), choices.c.choice != "")
        .group_by(choices.c.questionnaire, choices.c.question_id, choices.c.choice)
    ):
        counts.setdefault((questionnaire, question_id), {})[choice] = count
    result = []
    for questionnaire in FEEDBACK_QUESTIONNAIRES:
        for question in questionnaire.questions:
            if question.kind != "choice" or question.chair_only:
                continue
            counted = counts.get((questionnaire.id, question.id), {})
            answered = sum(counted.values())
            labels = {value: str(label) for value, label in question.options}
            # Options in the form's order; then a value no longer offered, if it was chosen: by
            # its old words (a retired choice), else by its own name
            values = [*labels, *sorted(set(counted) - set(labels))]
            labels |= {value: str(label) for value, label in question.retired}
            result.append(
                QuestionAnswers(
                    questionnaire=str(questionnaire.title),
                    question=str(question.title),
                    answered=answered,
                    submitted=forms.get(questionnaire.id, 0),
                    options=[
                        Rate(labels.get(value, value), counted.get(value, 0), answered)
                        for value in values
                    ],
                )
            )
    return result


def redacted_comments(people: Subquery, year: int) -> list[Comment]:
    """What people wrote in the feedback forms, redacted (names and case references out, by
    portal.reports.feedback_redaction): the form, quarter and question only, never who wrote it
    or for which conference."""
    quarters = {q.number: q.label for q in financial_quarters(year)}
    submitted = (
        select(
            FormResponse.id,
            FormResponse.questionnaire,
            people.c.quarter,
            people.c.conference_id,
        )
        .join(people, people.c.invitation_id == FormResponse.invitation_id)
        .where(
            FormResponse.submitted_at.is_not(None),
            FormResponse.questionnaire.in_(_feedback_ids()),
        )
        .subquery("submitted")
    )
    texts = (
        select(
            submitted.c.questionnaire,
            submitted.c.quarter,
            submitted.c.conference_id,
            Answer.question_id,
            # Sealed inside the JSON (portal.crypto): opened as it is read; "" and NULL stay plain
            type_coerce(Answer.value["text"].as_string(), EncryptedText()).label("text"),
        )
        .join(Answer, Answer.response_id == submitted.c.id)
        .subquery("texts")
    )
    written = db.session.execute(
        select(
            texts.c.questionnaire,
            texts.c.quarter,
            texts.c.conference_id,
            texts.c.question_id,
            texts.c.text,
        ).where(texts.c.text.is_not(None), texts.c.text != "")
    ).all()
    added = db.session.execute(
        select(
            submitted.c.questionnaire, submitted.c.quarter, submitted.c.conference_id, Addition.text
        ).join(Addition, Addition.response_id == submitted.c.id)
    ).all()
    if not written and not added:
        return []
    identifiers = conference_identifiers({row.conference_id for row in [*written, *added]})
    redactors = {
        conference_id: Redactor.for_conference(names, references)
        for conference_id, (names, references) in identifiers.items()
    }
    nothing = Redactor(None, None)

    def redact(conference_id: int, text: str) -> str:
        return redactors.get(conference_id, nothing)(text)

    questionnaires = {q.id: q for q in FEEDBACK_QUESTIONNAIRES}
    order = {q.id: n for n, q in enumerate(FEEDBACK_QUESTIONNAIRES)}
    comments: list[tuple[tuple[int, int, int, str], Comment]] = []
    for questionnaire_id, quarter, conference_id, question_id, text in written:
        questionnaire = questionnaires[questionnaire_id]
        question = questionnaire.question(question_id)
        if question is None or question.chair_only or not text.strip():
            continue
        position = [q.id for q in questionnaire.questions].index(question_id)
        shown = redact(conference_id, text)
        comments.append(
            (
                (quarter, order[questionnaire_id], position, shown),
                Comment(str(questionnaire.title), quarters[quarter], str(question.title), shown),
            )
        )
    for questionnaire_id, quarter, conference_id, text in added:
        if text.strip():
            questionnaire = questionnaires[questionnaire_id]
            shown = redact(conference_id, text)
            comments.append(
                (
                    (quarter, order[questionnaire_id], len(questionnaire.questions), shown),
                    Comment(str(questionnaire.title), quarters[quarter], str(ADDED_LATER), shown),
                )
            )
    return [comment for _key, comment in sorted(comments, key=lambda pair: pair[0])]
