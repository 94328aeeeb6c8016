"""Template globals and filters: dates in the council's time zone, labels for enums, and
``can``, the access policy's answer to "may they open this?" for links and buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates
from flask import Flask, current_app
from flask_babel import gettext as _
from markupsafe import Markup

from portal.contact import display_mobile
from portal.i18n import current_language

# Each language's own way of writing a date in full: Poles add "r." (roku, "of the year").
DATE_PATTERNS = {"pl": "d MMMM y 'r.'"}


def local_time(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def format_date(value: date | datetime | None) -> str:
    """'3 March 2026', the GOV.UK style; '3 marca 2026 r.' in Polish, '3 martie 2026' in
    Romanian, each as its readers write it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    language = _language()
    if language != "en":
        return dates.format_date(value, DATE_PATTERNS.get(language, "d MMMM y"), locale=language)
    return f"{value.day} {value:%B %Y}"


def format_time(value: datetime) -> str:
    """'10:30am', '2pm' (GOV.UK style), in the council's time zone; 24-hour '8:52' (no leading
    zero) in Polish."""
    local = local_time(value)
    if _language() != "en":
        return f"{local.hour}:{local.minute:02d}"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.minute:
        return f"{hour}:{local.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return _("%(date)s at %(time)s", date=format_date(value), time=format_time(value))


def isolate(value: object, direction: str = "auto") -> Markup:
    """A name, date, number or link put inside translated text, kept whole in its own
    direction: an English council name or a phone number inside Urdu is not reordered by the
    right-to-left text around it. Addresses and links are always "ltr"."""
    return Markup('<bdi dir="{}">{}</bdi>').format(direction, value)


def isolate_number(value: object) -> Markup:
    """A phone number inside translated text: left to right, never split over two lines."""
    return Markup('<bdi dir="ltr" class="heard-number">{}</bdi>').format(value)


def _language() -> str:
    return current_language()


def local_date(value: datetime) -> date:
    return local_time(value).date()


def init_app(app: Flask, *, can: Callable[..., bool]) -> None:
    """``can`` is portal.auth.access.can, handed over by the app factory: the shared helpers
    sit below the access policy and do not import it. Templates show a link or a button with
    ``{% if can("conferences.edit", conference) %}``, never by checking a role."""
    app.jinja_env.globals["can"] = can

    app.jinja_env.filters.update(
        format_date=format_date,
        format_time=format_time,
        format_datetime=format_datetime,
        local_date=local_date,
        display_mobile=display_mobile,
        isolate=isolate,
        isolate_number=isolate_number,
    )

    @app.context_processor
    def service_details() -> dict[str, str]:
        return {
            "service_name": app.config["SERVICE_NAME"],
            "council_name": app.config["COUNCIL_NAME"],
            "service_phone": app.config["SERVICE_PHONE"],
            "service_email": app.config["SERVICE_EMAIL"],
            "safeguarding_phone": app.config["SAFEGUARDING_PHONE"],
        }
