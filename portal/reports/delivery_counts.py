"""Delivery by channel for the conference activity report, by quarter of the conference date.

Family messages only (staff safeguarding alerts left out), for conferences in the year, whatever
their status: a text counts as delivered on the phone company's receipt; email has no receipt, so
an email accepted by the mail server counts as delivered. Sent means the worker handed it over
(sent, delivered, undelivered or failed); queued, sending and cancelled are not counted.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from portal.extensions import db
from portal.models import Channel, Conference, Message, MessageKind, MessageStatus
from portal.reports.activity_counts import ByQuarter, RateByQuarter
from portal.reports.quarters import flag, in_year, quarter_of

SENT_STATUSES = (
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNDELIVERED,
    MessageStatus.FAILED,
)
FAILED_STATUSES = (MessageStatus.UNDELIVERED, MessageStatus.FAILED)
CHANNELS = (Channel.SMS, Channel.EMAIL)


def count_delivery(year: int) -> list[ByQuarter | RateByQuarter]:
    """For each channel: sent, waiting for a receipt, failed, and delivered (a rate of sent)."""
    sent = Message.status.in_(SENT_STATUSES)
    delivered = or_(
        Message.status == MessageStatus.DELIVERED,
        and_(Message.channel == Channel.EMAIL, Message.status == MessageStatus.SENT),
    )
    waiting = and_(Message.channel != Channel.EMAIL, Message.status == MessageStatus.SENT)
    failed = Message.status.in_(FAILED_STATUSES)
    inner = (
        select(
            Message.channel.label("channel"),
            quarter_of(Conference.conference_date, year).label("quarter"),
            flag(sent).label("sent"),
            flag(waiting).label("waiting"),
            flag(failed).label("failed"),
            flag(delivered).label("delivered"),
        )
        .join(Conference, Conference.id == Message.conference_id)
        .where(
            Message.family_member_id.is_not(None),
            Message.kind != MessageKind.SAFEGUARDING_ALERT,
            in_year(Conference.conference_date, year),
        )
        .subquery("messages")
    )
    figures: dict[Channel, list[ByQuarter]] = {}
    for channel in CHANNELS:
        key = f"delivery_{channel.value}"
        figures[channel] = [
            ByQuarter(_("%(channel)s: sent", channel=channel.label), name=f"{key}_sent"),
            ByQuarter(
                _("%(channel)s: waiting for a receipt", channel=channel.label),
                name=f"{key}_waiting",
            ),
            ByQuarter(_("%(channel)s: failed", channel=channel.label), name=f"{key}_failed"),
            ByQuarter(""),
        ]
    for channel, quarter_number, *counts in db.session.execute(
        select(
            inner.c.channel,
            inner.c.quarter,
            func.sum(inner.c.sent),
            func.sum(inner.c.waiting),
            func.sum(inner.c.failed),
            func.sum(inner.c.delivered),
        ).group_by(inner.c.channel, inner.c.quarter)
    ):
        if channel not in figures:
            continue
        for figure, count in zip(figures[channel], counts, strict=True):
            figure.add(int(quarter_number), int(count or 0))
    result: list[ByQuarter | RateByQuarter] = []
    for channel, (n_sent, n_waiting, n_failed, n_delivered) in figures.items():
        result += [n_sent, n_waiting, n_failed]
        result.append(
            RateByQuarter(
                _("%(channel)s: delivered, of those sent", channel=channel.label),
                n_delivered,
                n_sent,
                name=f"delivery_{channel.value}_delivered",
            )
        )
    return result
