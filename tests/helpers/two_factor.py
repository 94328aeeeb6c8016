"""Second-factor codes for tests."""

from __future__ import annotations

from datetime import timedelta

import pyotp

from portal.models import utcnow


def a_wrong_code(secret: str) -> str:
    """Six digits that are not the code for ``secret`` now, nor in the 30 seconds either side."""
    totp = pyotp.TOTP(secret)
    now = utcnow()
    right = {totp.at(now + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in right)
