"""Message providers, chosen by configuration: nothing is sent unless an account is set up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.messaging.providers.base import (
    OutgoingMessage,
    PermanentSendError,
    Provider,
    SendError,
    SendResult,
    TransientSendError,
)
from portal.messaging.providers.notify import NotifyProvider
from portal.messaging.providers.outbox_only import OutboxOnlyProvider
from portal.messaging.providers.smtp_email import SmtpEmailProvider
from portal.messaging.providers.twilio_sms import TwilioSmsProvider

__all__ = [
    "OutgoingMessage",
    "PermanentSendError",
    "Provider",
    "SendError",
    "SendResult",
    "TransientSendError",
    "build_providers",
]


def build_providers(config: Mapping[str, Any]) -> dict[str, Provider]:
    """The provider for each channel, {"sms": ..., "email": ...}, from the app's config.

    Raises ValueError naming the setting at start-up rather than failing on the first send.
    """
    timeout = float(config.get("MESSAGING_TIMEOUT_SECONDS") or 10)
    return {
        "sms": _sms_provider(config, timeout),
        "email": _email_provider(config, timeout),
    }


def _sms_provider(config: Mapping[str, Any], timeout: float) -> Provider:
    choice = config.get("SMS_PROVIDER") or "outbox"
    if choice == "outbox":
        return OutboxOnlyProvider()
    if choice == "notify":
        return _notify(config, "sms", timeout)
    if choice != "twilio":
        raise ValueError(f"SMS_PROVIDER must be 'outbox', 'twilio' or 'notify', not {choice!r}")
    account_sid = _required(config, "TWILIO_ACCOUNT_SID", "SMS_PROVIDER=twilio")
    auth_token = _required(config, "TWILIO_AUTH_TOKEN", "SMS_PROVIDER=twilio")
    from_number = config.get("TWILIO_FROM_NUMBER")
    service_sid = config.get("TWILIO_MESSAGING_SERVICE_SID")
    if not from_number and not service_sid:
        raise ValueError(
            "SMS_PROVIDER=twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"
        )
    if from_number and service_sid:
        raise ValueError(
            "Set only one of TWILIO_FROM_NUMBER and TWILIO_MESSAGING_SERVICE_SID, not both"
        )
    return TwilioSmsProvider(
        account_sid=account_sid,
        auth_token=auth_token,
        from_number=from_number,
        messaging_service_sid=service_sid,
        status_callback_url=config.get("TWILIO_STATUS_CALLBACK_URL"),
        api_base_url=config.get("TWILIO_API_BASE_URL"),
        timeout_seconds=timeout,
    )


def _email_provider(config: Mapping[str, Any], timeout: float) -> Provider:
    choice = config.get("EMAIL_PROVIDER") or "outbox"
    if choice == "outbox":
        return OutboxOnlyProvider()
    if choice == "notify":
        return _notify(config, "email", timeout)
    if choice != "smtp":
        raise ValueError(f"EMAIL_PROVIDER must be 'outbox', 'smtp' or 'notify', not {choice!r}")
    return SmtpEmailProvider(
        host=_required(config, "SMTP_HOST", "EMAIL_PROVIDER=smtp"),
        port=int(config.get("SMTP_PORT") or 25),
        from_address=config.get("EMAIL_FROM") or "heard@localhost",
        username=config.get("SMTP_USERNAME"),
        password=config.get("SMTP_PASSWORD"),
        starttls=_flag(config.get("SMTP_STARTTLS")),
        use_ssl=_flag(config.get("SMTP_USE_SSL")),
        timeout_seconds=timeout,
    )


def _notify(config: Mapping[str, Any], channel: str, timeout: float) -> NotifyProvider:
    because = f"{channel.upper()}_PROVIDER=notify"
    template_setting = f"NOTIFY_{channel.upper()}_TEMPLATE_ID"
    sender_setting = "NOTIFY_SMS_SENDER_ID" if channel == "sms" else "NOTIFY_EMAIL_REPLY_TO_ID"
    return NotifyProvider(
        channel=channel,
        api_key=_required(config, "NOTIFY_API_KEY", because),
        template_id=_required(config, template_setting, because),
        sender_id=config.get(sender_setting) or None,
        base_url=config.get("NOTIFY_BASE_URL") or None,
        timeout_seconds=timeout,
    )


def _required(config: Mapping[str, Any], key: str, because: str) -> str:
    value = config.get(key)
    if not value:
        raise ValueError(f"{because} needs {key} to be set")
    return str(value)


def _flag(value: Any) -> bool:
    """True for True or "1"/"true"/"yes"/"on": settings may arrive as environment strings."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
