"""The second factor: an authenticator app's six-digit code (TOTP), and one-time recovery codes.

A code is accepted for the 30-second step it belongs to and one step either side (a phone's
clock drifts), and only once: the account keeps the last step used, and a code for that step
or an earlier one is refused, so a code seen over someone's shoulder is worth nothing.

Enrolment: a fresh secret waits in the session (itself sealed again with the data keys, so it
never depends on the cookie's own sealing) until the person types a correct code from their
app; only then is it kept on the account, sealed at rest, and ten new recovery codes replace
the old ones. Recovery codes are shown once and kept only as Argon2 hashes.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app, session
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, or_, select, update

from portal.audit.services import record_event
from portal.auth.passwords import hash_password, verify_password
from portal.crypto import open_sealed, seal
from portal.extensions import db
from portal.models import AuditAction, RecordType, RecoveryCode, StaffUser, utcnow
from portal.models.base import rows_matched

DIGITS = 6
STEP_SECONDS = 30
STEPS_EITHER_SIDE = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: easy to read back from paper. 10 characters of 31: about 50 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
PENDING_SECRET = "two_factor_pending_secret"  # noqa: S105 - a session key, not a secret


# --- codes from the app -------------------------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def _digits_only(code: str) -> str:
    return re.sub(r"[\s\-]", "", code)


def matching_step(
    secret: str, code: str, *, after_step: int | None = None, now: datetime | None = None
) -> int | None:
    """The time step ``code`` belongs to, if it is right now (give or take a step) and later
    than ``after_step``; else None."""
    code = _digits_only(code)
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = _totp(secret)
    current = totp.timecode(now or utcnow())
    for step in range(current - STEPS_EITHER_SIDE, current + STEPS_EITHER_SIDE + 1):
        if after_step is not None and step <= after_step:
            continue  # used already, or older than one that was: a replay
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(user: StaffUser, code: str, *, now: datetime | None = None) -> bool:
    """True if ``code`` is right for ``user`` and not used before; it is then used up.

    A failure is audited as a failed sign-in. The step is claimed with a conditional UPDATE,
    so two requests racing with the same code cannot both succeed.
    """
    step = None
    if user.totp_secret:
        step = matching_step(user.totp_secret, code, after_step=user.totp_last_step, now=now)
    claimed = False
    if step is not None:
        claimed = (
            rows_matched(
                db.session.execute(
                    update(StaffUser)
                    .where(
                        StaffUser.id == user.id,
                        or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
                    )
                    .values(totp_last_step=step)
                    .execution_options(synchronize_session=False)
                )
            )
            == 1
        )
    if not claimed:
        record_event(AuditAction.SIGN_IN_FAILED, RecordType.STAFF_USER, user.id, actor=user)
    db.session.commit()
    db.session.refresh(user)
    return claimed


# --- enrolment ----------------------------------------------------------------------------


def pending_secret(user: StaffUser) -> str:
    """The secret being set up for ``user`` in this session, made on first asking."""
    pending = session.get(PENDING_SECRET)
    if isinstance(pending, dict) and pending.get("user_id") == user.id:
        return open_sealed(base64.b64decode(pending["sealed"])).decode()
    secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
    session[PENDING_SECRET] = {
        "user_id": user.id,
        "sealed": base64.b64encode(seal(secret.encode())).decode("ascii"),
    }
    return secret


def provisioning_uri(user: StaffUser, secret: str) -> str:
    issuer = f"{current_app.config['SERVICE_NAME']} – {current_app.config['COUNCIL_NAME']}"
    return _totp(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code_svg(uri: str, label: str) -> Markup:
    """The otpauth address as an inline SVG QR code: no image file, no inline style (CSP)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#0b0c0c", light="#ffffff", title=label, svgclass="heard-qr"
    )
    # A named image for screen readers; the secret is also shown as text beside it.
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="heard-qr-title" ', 1)
    svg = svg.replace("<title>", '<title id="heard-qr-title">', 1)
    return Markup(svg)  # noqa: S704  # nosec B704  # segno's own SVG, which escapes the title


def secret_in_groups(secret: str) -> str:
    """ "ABCD EFGH …": easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def set_up_details(user: StaffUser) -> dict[str, object]:
    """What the set-up page shows: the QR code and the same secret as text to type."""
    secret = pending_secret(user)
    return {
        "qr_code": qr_code_svg(
            provisioning_uri(user, secret), _("QR code to scan with your authenticator app")
        ),
        "secret_in_groups": secret_in_groups(secret),
    }


def complete_enrolment(user: StaffUser, code: str, *, now: datetime | None = None) -> list[str]:
    """Keep the pending secret on the account if ``code`` is right for it.

    Returns the new recovery codes (to show once), or an empty list when the code is wrong.
    Setting up again replaces the old secret and every old recovery code.
    """
    secret = pending_secret(user)
    step = matching_step(secret, code, now=now)
    if step is None:
        return []
    user.totp_secret = secret
    user.totp_enrolled_at = now or utcnow()
    user.totp_last_step = step  # the code just typed cannot sign anyone in
    codes = _replace_recovery_codes(user)
    record_event(
        AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=user, fields=["two_factor"]
    )
    db.session.commit()
    session.pop(PENDING_SECRET, None)
    return codes


# --- recovery codes -----------------------------------------------------------------------


def _normalised_recovery_code(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "", code.lower())


def _new_recovery_code() -> str:
    letters = "".join(
        secrets.choice(RECOVERY_ALPHABET) for _position in range(RECOVERY_CODE_LENGTH)
    )
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


def _replace_recovery_codes(user: StaffUser) -> list[str]:
    codes = [_new_recovery_code() for _number in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes.clear()
    user.recovery_codes.extend(
        RecoveryCode(code_hash=hash_password(_normalised_recovery_code(code))) for code in codes
    )
    return codes


def make_new_recovery_codes(user: StaffUser) -> list[str]:
    """Ten new codes, to show once; every old one stops working."""
    codes = _replace_recovery_codes(user)
    record_event(
        AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=user, fields=["recovery_codes"]
    )
    db.session.commit()
    return codes


def recovery_codes_left(user: StaffUser) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.staff_user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def use_recovery_code(user: StaffUser, code: str) -> bool:
    """True if ``code`` is one of ``user``'s unused recovery codes; it is then used up."""
    typed = _normalised_recovery_code(code)
    unused = db.session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.staff_user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    match = None
    if len(typed) == RECOVERY_CODE_LENGTH:
        match = next((row for row in unused if verify_password(row.code_hash, typed)), None)
    used = False
    if match is not None:
        # Conditional, so two requests racing with one code cannot both use it.
        used = (
            rows_matched(
                db.session.execute(
                    update(RecoveryCode)
                    .where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
                    .values(used_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
            )
            == 1
        )
    if used:
        record_event(
            AuditAction.UPDATE,
            RecordType.STAFF_USER,
            user.id,
            actor=user,
            fields=["recovery_codes"],
        )
    else:
        record_event(AuditAction.SIGN_IN_FAILED, RecordType.STAFF_USER, user.id, actor=user)
    db.session.commit()
    return used
