"""Provider error codes in words a coordinator can act on."""

from __future__ import annotations

PLAIN_ERRORS = {
    "21211": "The number is not a valid mobile number",
    "21408": "Texts to this country are not switched on",
    "21610": "They replied STOP: texts to them are switched off",
    "21614": "The number is not a mobile, so it cannot get texts",
    "30003": "The phone was switched off or out of signal",
    "30004": "The person has blocked texts from us",
    "30005": "The number is not in service",
    "30006": "The number cannot get texts (a landline, or a network that refuses them)",
    "30007": "The phone network blocked the text",
    "30008": "The text was not delivered, for a reason the network did not give",
    "550": "The email address does not exist, or its mailbox refused the email",
    "552": "The mailbox is full",
    "553": "The email address is not valid",
    # GOV.UK Notify: its refusals (a 400 names the field) and its delivery receipts
    "notify-bad-number": "The number is not a valid mobile number",
    "notify-bad-email": "The email address is not valid",
    "notify-perm-sms": "not delivered: the number does not exist or cannot get texts",
    "notify-perm-email": "not delivered: the address does not accept mail",
    "notify-temporary": "not delivered: the phone was off or the inbox full for 3 days",
    "notify-technical": "not delivered: a fault at the message service, not the person",
    "timeout": "The message service did not answer in time: we will try again",
    "network": "We could not reach the message service: we will try again",
    "bad-answer": "The message service's answer could not be read: we will try again",
}


def plain_error(code: str | None, detail: str | None = None) -> str:
    if code and code in PLAIN_ERRORS:
        return PLAIN_ERRORS[code]
    if detail:
        return detail
    return "The message could not be sent"
