"""Argon2id password hashing."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_STANDARD = PasswordHasher()
# Only for tests (config PASSWORD_HASH_FAST): the cheapest parameters argon2 accepts.
_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _STANDARD


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_time_like_a_verification(password: str) -> None:
    """Hash anyway when the account is unknown, so timing does not reveal which emails exist."""
    _hasher().hash(password)
