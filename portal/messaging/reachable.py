"""Whether a family member may be sent anything now, on a channel: checked when a link is issued
or a reminder queued (portal/invitations), shown on the delivery pages, and checked again by the
worker just before each message goes, since anything may have changed since it was queued."""

from __future__ import annotations

from portal.models import Channel, FamilyMember


def contact_problem(member: FamilyMember, channel: Channel | None = None) -> str | None:
    """Why nothing may be sent to this person now, or None."""
    channel = channel or member.preferred_channel
    if channel == Channel.NONE:
        return "They asked not to be sent links: contact them by phone or letter"
    if not member.contact_confirmed_safe:
        return "Their contact details have not been confirmed safe to use"
    if channel == Channel.SMS and member.mobile is None:
        return "There is no mobile number to text"
    if channel == Channel.EMAIL and member.email is None:
        return "There is no email address"
    if channel == Channel.SMS and member.sms_opted_out_at is not None:
        return "They replied STOP: text messages to them are switched off"
    return None
