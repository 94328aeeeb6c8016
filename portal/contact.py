"""Contact details: mobile numbers in E.164, email addresses checked and lower-cased.

Below every domain: the people and conference forms check with it, the subject access file and
the templates (``display_mobile``) show numbers with it.
"""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


# Ofcom keeps 07700 900000 to 900999 for drama: no real person has one. phonenumbers calls them
# invalid; we accept them so demo data and tests can never text a real phone.
def is_ofcom_drama_mobile(number: phonenumbers.PhoneNumber) -> bool:
    national = number.national_number
    return (
        number.country_code == 44 and national is not None and 7700900000 <= national <= 7700900999
    )


class ContactError(ValueError):
    """The contact detail cannot be used; the message is fit to show to staff."""


class LandlineError(ContactError):
    """A real number, but not one a text message can go to."""


def normalise_mobile(text: str, region: str = "GB") -> str:
    """'07700 900982' -> '+447700900982'. Numbers abroad must start with their country code."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ContactError(_("Enter a mobile number, like 07700 900 982")) from None
    if is_ofcom_drama_mobile(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number):
        raise ContactError(_("Enter a mobile number, like 07700 900 982"))
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise LandlineError(_("Enter a mobile number: text messages cannot go to a landline"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_mobile(e164: str) -> str:
    """'+447700900982' -> '07700 900982' for UK numbers, international format otherwise."""
    number = phonenumbers.parse(e164)
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(text: str) -> str:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ContactError(
            _("Enter an email address in the correct format, like name@example.com")
        ) from None
