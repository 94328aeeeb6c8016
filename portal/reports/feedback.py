"""The feedback report: from invitation sent to form submitted, the SMS quick ratings, the answers
to the feedback forms and their comments, for one financial year (quarters by conference date).

Who is counted (the funnel's unit): one person, for one conference and one form (views before,
feedback after), by their latest invitation. A link replaced by a newer one (a resend, a new
phone number) is not counted again: its answers move to the newer link, so the latest holds them.
The person is counted once that latest link has been sent. The channel is the one its first
message (the invitation, not a reminder) went by. Email has no delivery receipt: an email
accepted by the mail server counts as delivered.

Comments are redacted before anyone sees them (design.md: the participation officer never sees
names or case references): in each comment, the first and last names of its conference's
children and family members, the social worker's and the chair's names (whole words, any case,
two letters or more) become "[name]", and the conference's case reference, or anything written
in its shape (the same letters, as many digits), "[case reference]". The conference is read only
to look those up, in one query for all the commented conferences, and is never shown. Other
identifying details (a school, a street, a nickname) may remain: the page says so. Comments are
sealed at rest (portal.crypto): SQL only asks whether one was written, and they are opened here.

Every figure is counted in SQL. The answers to choice questions are grouped in SQL (the choice is
read out of the answer's JSON with SQLAlchemy's portable JSON index, in a subquery, so the
GROUP BY names a plain column on SQLite and PostgreSQL alike). The feedback forms have no
"select all that apply" question; a test holds that, as this report counts single choices only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, Subquery, case, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import aliased

from portal.crypto import EncryptedText
from portal.extensions import db
from portal.family_forms.questions import (
    CHILD_FEEDBACK,
    PARENT_FEEDBACK,
    YOUNG_PERSON_FEEDBACK,
    Questionnaire,
)
from portal.models import (
    Addition,
    Answer,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    Message,
    MessageKind,
    StaffUser,
)
from portal.reports.export import Table
from portal.reports.quarters import (
    BadQuery,
    Rate,
    financial_quarters,
    in_year,
    mean_tenths,
    parse_year,
    quarter_of,
)

FEEDBACK_QUESTIONNAIRES: tuple[Questionnaire, ...] = (
    PARENT_FEEDBACK,
    YOUNG_PERSON_FEEDBACK,
    CHILD_FEEDBACK,
)
FIRST_MESSAGES = (MessageKind.VIEWS_INVITATION, MessageKind.FEEDBACK_INVITATION)
# Channels an invitation can go by (a person reached by neither gets no link)
CHANNELS = (Channel.SMS, Channel.EMAIL)
NO_MESSAGE = _l("No message on record")
ADDED_LATER = _l("Added after sending")
RATINGS = (1, 2, 3, 4, 5)
FunnelKey = tuple[FormKind, Channel | None, int]  # form, first message's channel, quarter
STAGES = ("sent", "delivered", "opened", "started", "submitted")
STAGE_LABELS = {
    "sent": _l("Sent"),
    "delivered": _l("Delivered"),
    "opened": _l("Opened"),
    "started": _l("Started"),
    "submitted": _l("Submitted"),
}


@dataclass(frozen=True)
class FeedbackFilters:
    year: int
    form: FormKind | None = None
    channel: Channel | None = None

    def query_args(self) -> dict[str, object]:
        args: dict[str, object] = {"year": self.year}
        if self.form:
            args["form"] = self.form.value
        if self.channel:
            args["channel"] = self.channel.value
        return args


def parse_filters(args: Mapping[str, str]) -> FeedbackFilters:
    """The filters in the query string; a value the report cannot use raises BadQuery."""
    year = parse_year(args.get("year"))
    form_value = (args.get("form") or "").strip()
    channel_value = (args.get("channel") or "").strip()
    if form_value and form_value not in {kind.value for kind in FormKind}:
        raise BadQuery(
            _("Choose the form: views before the conference, or feedback after it"), "form"
        )
    if channel_value and channel_value not in {channel.value for channel in CHANNELS}:
        raise BadQuery(_("Choose the channel: text message or email"), "channel")
    return FeedbackFilters(
        year,
        FormKind(form_value) if form_value else None,
        Channel(channel_value) if channel_value else None,
    )


@dataclass(frozen=True)
class Funnel:
    sent: int = 0
    delivered: int = 0
    opened: int = 0
    started: int = 0
    submitted: int = 0

    def stages(self) -> list[Rate]:
        """Each stage with its share of those sent."""
        return [Rate(str(STAGE_LABELS[stage]), getattr(self, stage), self.sent) for stage in STAGES]


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


@dataclass
class FeedbackReport:
    filters: FeedbackFilters
    funnel: Funnel
    by_form: list[Rate]
    by_channel: list[Rate]
    by_quarter: list[Rate]
    ratings: list[Rate]  # count of each rating out of all ratings
    rating_mean: Decimal | None  # one decimal place, halves rounded up; None: no ratings
    answers: list[QuestionAnswers] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    def answer_groups(self) -> list[AnswerGroup]:
        groups: list[AnswerGroup] = []
        for question in self.answers:
            options = [option.label for option in question.options]
            last = groups[-1] if groups else None
            if last and last.questionnaire == question.questionnaire and last.options == options:
                last.questions.append(question)
            else:
                groups.append(AnswerGroup(question.questionnaire, options, [question]))
        return groups

    def tables(self) -> list[Table]:
        rate_header = ("submitted", "sent", "percent")
        return [
            Table(
                "Response funnel",
                ("stage", "count", "of sent", "percent"),
                [
                    (r.label, r.numerator, r.denominator, r.percent_cell)
                    for r in self.funnel.stages()
                ],
            ),
            Table(
                "Response rate by form",
                ("form", *rate_header),
                [(r.label, r.numerator, r.denominator, r.percent_cell) for r in self.by_form],
            ),
            Table(
                "Response rate by channel",
                ("channel", *rate_header),
                [(r.label, r.numerator, r.denominator, r.percent_cell) for r in self.by_channel],
            ),
            Table(
                "Response rate by quarter",
                ("quarter", *rate_header),
                [(r.label, r.numerator, r.denominator, r.percent_cell) for r in self.by_quarter],
            ),
            Table(
                "Quick ratings",
                ("rating", "count", "of ratings", "percent"),
                [(r.label, r.numerator, r.denominator, r.percent_cell) for r in self.ratings]
                + [("mean", self.rating_mean, "", "")],
            ),
            Table(
                "Answers",
                ("form", "question", "answer", "count", "answered", "percent"),
                [
                    (
                        q.questionnaire,
                        q.question,
                        o.label,
                        o.numerator,
                        o.denominator,
                        o.percent_cell,
                    )
                    for q in self.answers
                    for o in q.options
                ],
            ),
            Table(
                "Comments",
                ("form", "quarter", "question", "comment"),
                [(c.form, c.quarter, c.question, c.text) for c in self.comments],
            ),
        ]


def _population(filters: FeedbackFilters) -> Select:
    """One row per person, conference and form: their latest invitation, once sent."""
    latest = (
        select(func.max(Invitation.id).label("id"))
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(in_year(Conference.conference_date, filters.year))
        .group_by(Invitation.conference_id, Invitation.family_member_id, Invitation.form)
        .subquery("latest")
    )
    first = (
        select(Message.invitation_id, func.min(Message.id).label("message_id"))
        .where(Message.kind.in_(FIRST_MESSAGES), Message.invitation_id.in_(select(latest.c.id)))
        .group_by(Message.invitation_id)
        .subquery("first_message_id")
    )
    first_message = aliased(Message, name="first_message")
    channel = first_message.channel
    delivered = or_(Invitation.delivered_at.is_not(None), channel == Channel.EMAIL)
    query = (
        select(
            Invitation.id.label("invitation_id"),
            Invitation.conference_id.label("conference_id"),  # to redact comments; never shown
            Invitation.form.label("form"),
            channel.label("channel"),
            quarter_of(Conference.conference_date, filters.year).label("quarter"),
            case((delivered, literal(1)), else_=literal(0)).label("delivered"),
            case((Invitation.opened_at.is_not(None), literal(1)), else_=literal(0)).label("opened"),
            case((Invitation.started_at.is_not(None), literal(1)), else_=literal(0)).label(
                "started"
            ),
            case((Invitation.submitted_at.is_not(None), literal(1)), else_=literal(0)).label(
                "submitted"
            ),
            Invitation.quick_rating.label("quick_rating"),
        )
        .join(latest, latest.c.id == Invitation.id)
        .join(Conference, Conference.id == Invitation.conference_id)
        .outerjoin(first, first.c.invitation_id == Invitation.id)
        .outerjoin(first_message, first_message.id == first.c.message_id)
        .where(Invitation.sent_at.is_not(None))
    )
    if filters.form is not None:
        query = query.where(Invitation.form == filters.form)
    if filters.channel is not None:
        query = query.where(channel == filters.channel)
    return query


def _funnel_cells(people: Subquery) -> dict[FunnelKey, Funnel]:
    """The funnel for each form, channel and quarter: at most 2 × 3 × 4 grouped rows."""
    rows = db.session.execute(
        select(
            people.c.form,
            people.c.channel,
            people.c.quarter,
            func.count().label("sent"),
            func.sum(people.c.delivered),
            func.sum(people.c.opened),
            func.sum(people.c.started),
            func.sum(people.c.submitted),
        ).group_by(people.c.form, people.c.channel, people.c.quarter)
    ).all()
    return {
        (form, channel, quarter): Funnel(*(int(n or 0) for n in counts))
        for form, channel, quarter, *counts in rows
    }


def _sum(cells: list[Funnel]) -> Funnel:
    return Funnel(*(sum(getattr(cell, stage) for cell in cells) for stage in STAGES))


def _rate(label: str, funnel: Funnel) -> Rate:
    return Rate(label, funnel.submitted, funnel.sent)


def feedback_report(filters: FeedbackFilters) -> FeedbackReport:
    people = _population(filters).subquery("people")
    cells = _funnel_cells(people)
    forms = [filters.form] if filters.form else list(FormKind)
    channels: list[Channel | None] = [filters.channel] if filters.channel else [*CHANNELS]
    if not filters.channel and any(key[1] is None for key in cells):
        channels.append(None)  # invitations whose first message is not on record
    quarters = financial_quarters(filters.year)

    def total(match: Callable[[FormKind, Channel | None, int], bool]) -> Funnel:
        return _sum([funnel for key, funnel in cells.items() if match(*key)])

    ratings = dict(
        db.session.execute(
            select(people.c.quick_rating, func.count())
            .where(people.c.quick_rating.is_not(None))
            .group_by(people.c.quick_rating)
        ).all()
    )
    rated = sum(ratings.values())
    mean = mean_tenths(sum(rating * count for rating, count in ratings.items()), rated)
    return FeedbackReport(
        filters=filters,
        funnel=total(lambda form, channel, quarter: True),
        by_form=[_rate(f.label, total(lambda form, c, q, f=f: form == f)) for f in forms],
        by_channel=[
            _rate(
                ch.label if ch else str(NO_MESSAGE),
                total(lambda f, channel, q, ch=ch: channel == ch),
            )
            for ch in channels
        ],
        by_quarter=[
            _rate(qu.label, total(lambda f, c, quarter, qu=qu: quarter == qu.number))
            for qu in quarters
        ],
        ratings=[Rate(str(rating), ratings.get(rating, 0), rated) for rating in RATINGS],
        rating_mean=mean,
        answers=_answers(people),
        comments=_comments(people, filters),
    )


def _feedback_ids() -> list[str]:
    return [questionnaire.id for questionnaire in FEEDBACK_QUESTIONNAIRES]


def _answers(people: Subquery) -> list[QuestionAnswers]:
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
    forms = dict(
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
            # Options in the form's order; a value no longer offered is kept, by its own name
            values = [*labels, *sorted(set(counted) - set(labels))]
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


NAME = _l("[name]")
CASE_REFERENCE = _l("[case reference]")
MIN_NAME_LENGTH = 2  # a one-letter initial is not redacted (it would blank every "a" and "I")
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})  # in a name, but naming no one
_NAME_KIND, _CASE_KIND = "name", "case"


def _identifiers(conferences: Collection[int]) -> dict[int, tuple[set[str], set[str]]]:
    """For each of these conferences (ids): the names to redact
    (children's and family members' first and last names, the social worker's and the chair's)
    and its case reference. One query, a UNION ALL of each source."""
    children = [
        select(ConferenceChild.conference_id, literal(_NAME_KIND), column)
        .join(Child, Child.id == ConferenceChild.child_id)
        .where(ConferenceChild.conference_id.in_(conferences))
        for column in (Child.first_name, Child.last_name)
    ]
    adults = [
        select(ConferenceAdult.conference_id, literal(_NAME_KIND), column)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .where(ConferenceAdult.conference_id.in_(conferences))
        for column in (FamilyMember.first_name, FamilyMember.last_name)
    ]
    staff = [
        select(Conference.id, literal(_NAME_KIND), Conference.social_worker_name),
        select(Conference.id, literal(_NAME_KIND), StaffUser.full_name).join(
            StaffUser, StaffUser.id == Conference.chair_id
        ),
        select(Conference.id, literal(_CASE_KIND), Conference.case_reference),
    ]
    sources = [
        *children,
        *adults,
        *(source.where(Conference.id.in_(conferences)) for source in staff),
    ]
    found: dict[int, tuple[set[str], set[str]]] = {}
    for conference_id, kind, text in db.session.execute(union_all(*sources)):
        names, references = found.setdefault(conference_id, (set(), set()))
        (names if kind == _NAME_KIND else references).add(text or "")
    return found


def _name_words(names: Iterable[str]) -> set[str]:
    """Each name's words, and the parts of a hyphenated one, of two letters or more."""
    words: set[str] = set()
    for name in names:
        for word in name.split():
            words.update(
                part
                for part in (word, *word.split("-"))
                if len(part) >= MIN_NAME_LENGTH and part.lower().rstrip(".") not in TITLES
            )
    return words


def _reference_shape(reference: str) -> str:
    """A pattern for ``reference`` and anything written in its shape: its letters as they are,
    each run of digits as any digits of that length, a separator as "-", "/", a space or none.
    CP/2025/0143 matches cp-2024-0999 and CP 2025 0143."""
    parts = []
    for run in re.findall(r"[A-Za-z]+|[0-9]+|[^A-Za-z0-9]+", reference.strip()):
        if run[0].isdigit():
            parts.append(rf"[0-9]{{{len(run)}}}")
        elif run[0].isalpha():
            parts.append(re.escape(run))
        else:
            parts.append(r"[-/ ]?")
    return "".join(parts)


@dataclass(frozen=True)
class Redactor:
    """Takes one conference's names and case references out of a comment."""

    references: re.Pattern[str] | None
    names: re.Pattern[str] | None

    @classmethod
    def for_conference(cls, names: Iterable[str], references: Collection[str]) -> Redactor:
        def whole_words(alternatives: Iterable[str]) -> re.Pattern[str] | None:
            ordered = sorted(set(alternatives), key=lambda text: (-len(text), text))
            if not ordered:
                return None
            return re.compile(rf"(?<!\w)(?:{'|'.join(ordered)})(?!\w)", re.IGNORECASE)

        shapes = [_reference_shape(ref) for ref in references if ref.strip()]
        return cls(
            whole_words([re.escape(ref.strip()) for ref in references if ref.strip()] + shapes),
            whole_words(re.escape(word) for word in _name_words(names)),
        )

    def __call__(self, text: str) -> str:
        if self.references:
            text = self.references.sub(str(CASE_REFERENCE), text)
        if self.names:
            name = str(NAME)
            text = self.names.sub(name, text)
            # "Kai Lockwood" is one "[name]", not two
            text = re.sub(rf"{re.escape(name)}(?:[ \t]+{re.escape(name)})+", name, text)
        return text


def _comments(people: Subquery, filters: FeedbackFilters) -> list[Comment]:
    """What people wrote in the feedback forms, redacted (names and case references out, see
    above): the form, quarter and question only, never who wrote it or for which conference."""
    quarters = {q.number: q.label for q in financial_quarters(filters.year)}
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
    identifiers = _identifiers({row.conference_id for row in [*written, *added]})
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
