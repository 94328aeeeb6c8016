"""Checks shared by the message providers' tests."""

from __future__ import annotations

import traceback

from portal.messaging.providers import SendError


def assert_nothing_personal(error: SendError, *personal: str) -> None:
    """Neither the detail nor a logged traceback may quote the recipient or the message."""
    logged = "".join(traceback.format_exception(error))
    for value in personal:
        assert value not in error.detail
        assert value not in logged
