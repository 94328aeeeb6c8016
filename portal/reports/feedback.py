"""The feedback report: from invitation sent to form submitted, the SMS quick ratings, the answers
to the feedback forms and their comments, the replies by text (portal.reports.text_reply_counts),
for one financial year (quarters by conference date).

Who is counted (the funnel's unit): one person, for one conference and one form (views before,
feedback after), by their latest invitation. A link replaced by a newer one (a resend, a new
phone number) is not counted again: its answers move to the newer link, so the latest holds them.
The person is counted once that latest link has been sent. The channel is the one its first
message (the invitation, not a reminder) went by. Email has no delivery receipt: an email
accepted by the mail server counts as delivered.

What people chose and wrote in the feedback forms is in portal.reports.feedback_answers; comments
are redacted before anyone sees them (portal.reports.feedback_redaction). Every figure is counted
in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, Subquery, case, false, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.messaging.default_wording.en import RATING_ENDS
from portal.models import (
    Channel,
    Conference,
    EntryRoute,
    FormKind,
    Invitation,
    Message,
    MessageKind,
)
from portal.reports.export import Table
from portal.reports.feedback_answers import (
    AnswerGroup,
    Comment,
    QuestionAnswers,
    answer_counts,
    redacted_comments,
)
from portal.reports.quarters import (
    BadQuery,
    Rate,
    financial_quarters,
    in_year,
    mean_tenths,
    parse_year,
    quarter_of,
)
from portal.reports.text_reply_counts import text_replies_by_quarter
from portal.reports.you_said_counts import NoteQuarter, notes_by_quarter, notes_table

FIRST_MESSAGES = (MessageKind.VIEWS_INVITATION, MessageKind.FEEDBACK_INVITATION)
# Channels an invitation can go by (a person reached by neither gets no link)
CHANNELS = (Channel.SMS, Channel.EMAIL)
NO_MESSAGE = _l("No message on record")
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
    # Forms given another way and entered by staff, by route, of all so given: not in the funnel
    given_another_way: list[Rate] = field(default_factory=list)
    text_replies: list[Rate] = field(default_factory=list)  # by quarter, of the year's
    you_said_we_did: list[NoteQuarter] = field(default_factory=list)  # the chair's notes

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
                "Given another way",
                ("route", "forms", "of all given another way", "percent"),
                [
                    (r.label, r.numerator, r.denominator, r.percent_cell)
                    for r in self.given_another_way
                ],
            ),
            Table(
                "Quick ratings",
                ("rating", "count", "of ratings", "percent"),
                [
                    (rating, r.numerator, r.denominator, r.percent_cell)
                    for rating, r in zip(RATINGS, self.ratings, strict=True)
                ]
                + [("mean", self.rating_mean, "", "")],
            ),
            Table(
                "Replies by text",
                ("quarter", "replies", "of all replies", "percent"),
                [(r.label, r.numerator, r.denominator, r.percent_cell) for r in self.text_replies],
            ),
            notes_table(self.you_said_we_did),
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


class _CellMatch(Protocol):
    """Which funnel cells to add up. A Protocol, not a Callable, so a lambda may keep its loop
    value in a default argument (``lambda form, c, q, f=f: form == f``)."""

    def __call__(self, form: FormKind, channel: Channel | None, quarter: int, /) -> bool: ...


def _population(filters: FeedbackFilters) -> Select[*tuple[Any, ...]]:
    """One row per person, conference and form: their latest invitation, once sent."""
    latest = (
        select(func.max(Invitation.id).label("id"))
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(
            in_year(Conference.conference_date, filters.year),
            Invitation.entry_route.is_(None),  # links only: answers given another way have none
        )
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


def _given_another_way(filters: FeedbackFilters) -> Select[*tuple[Any, ...]]:
    """One row per form given another way (by phone, on paper...) and entered by staff: no
    link, no channel, so none under a channel's filter. Counted by its route, beside the funnel,
    and its answers with everyone's."""
    query = (
        select(
            Invitation.id.label("invitation_id"),
            Invitation.conference_id.label("conference_id"),
            quarter_of(Conference.conference_date, filters.year).label("quarter"),
            Invitation.entry_route.label("route"),
        )
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(
            in_year(Conference.conference_date, filters.year),
            Invitation.entry_route.is_not(None),
            Invitation.submitted_at.is_not(None),
        )
    )
    if filters.form is not None:
        query = query.where(Invitation.form == filters.form)
    if filters.channel is not None:
        query = query.where(false())
    return query


def _route_rates(entries: Subquery) -> list[Rate]:
    counts: dict[str, int] = {
        str(route): int(count)
        for route, count in db.session.execute(
            select(entries.c.route, func.count()).group_by(entries.c.route)
        )
    }
    total = sum(counts.values())
    return [Rate(route.label, counts.get(route.value, 0), total) for route in EntryRoute]


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
    entries = _given_another_way(filters).subquery("entries")
    # Whose answers are counted: those sent through a link, and those given another way
    answered = union_all(
        select(people.c.invitation_id, people.c.conference_id, people.c.quarter),
        select(entries.c.invitation_id, entries.c.conference_id, entries.c.quarter),
    ).subquery("answered")
    cells = _funnel_cells(people)
    forms = [filters.form] if filters.form else list(FormKind)
    channels: list[Channel | None] = [filters.channel] if filters.channel else [*CHANNELS]
    if not filters.channel and any(key[1] is None for key in cells):
        channels.append(None)  # invitations whose first message is not on record
    quarters = financial_quarters(filters.year)

    def total(match: _CellMatch) -> Funnel:
        return _sum([funnel for key, funnel in cells.items() if match(*key)])

    ratings: dict[int, int] = dict(
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
        ratings=[
            Rate(RATING_ENDS.get(rating, str(rating)), ratings.get(rating, 0), rated)
            for rating in RATINGS
        ],
        rating_mean=mean,
        answers=answer_counts(answered),
        comments=redacted_comments(answered, filters.year),
        given_another_way=_route_rates(entries),
        text_replies=text_replies_by_quarter(filters.year, filters.form, filters.channel),
        you_said_we_did=notes_by_quarter(filters.year),
    )
