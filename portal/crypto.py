"""Encryption at rest for what families, children and advocates write.

Values are sealed with Fernet (AES-128-CBC with an HMAC-SHA256 tag) under the keys in
``DATA_ENCRYPTION_KEYS``: a comma-separated list, newest first. The newest key seals; every key
in the list opens, so a key is rotated by putting a new one first, running
``flask keys rotate`` (which reseals everything under it), then dropping the old one.

A stolen database dump or backup holds only tokens; the keys live in the environment (in
development, a file in ``instance/``), never in the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import JSON, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

EXTENSION_KEY = "data_cipher"


class DataKeyError(RuntimeError):
    """The keys are missing or malformed, or a value was sealed under a key we no longer hold."""


def build_cipher(keys: list[str]) -> MultiFernet:
    if not keys:
        raise DataKeyError("DATA_ENCRYPTION_KEYS holds no key")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise DataKeyError(
            "Every key in DATA_ENCRYPTION_KEYS must be a Fernet key: make one with `flask keys new`"
        ) from None


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = build_cipher(app.config["DATA_ENCRYPTION_KEYS"])


def data_cipher() -> MultiFernet:
    return current_app.extensions[EXTENSION_KEY]


def seal(data: bytes) -> bytes:
    return data_cipher().encrypt(data)


def open_sealed(token: bytes) -> bytes:
    try:
        return data_cipher().decrypt(token)
    except InvalidToken:
        raise DataKeyError(
            "A stored value cannot be opened with any key in DATA_ENCRYPTION_KEYS "
            "(was a key dropped before `flask keys rotate` ran?)"
        ) from None


# Every Fernet token starts so (version byte 0x80, then a timestamp's zero high bytes): a plain
# JPEG, PNG or PDF never does.
TOKEN_PREFIX = b"gAAAAA"


def is_sealed(data: bytes) -> bool:
    return data.startswith(TOKEN_PREFIX)


def keyed_digest(data: bytes, purpose: str) -> str:
    """An HMAC-SHA256 of ``data`` (hex) under a key derived from the newest data key.

    Used where a plain hash of the content would let someone holding a dump confirm a guess
    (is this drawing on file?). Changes when the newest key changes: ``flask keys rotate``
    recomputes what it holds.
    """
    newest = base64.urlsafe_b64decode(current_app.config["DATA_ENCRYPTION_KEYS"][0])
    key = hmac.new(newest, purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _seal_text(value: Any) -> Any:
    return seal(value.encode()).decode("ascii") if isinstance(value, str) and value else value


def _open_text(value: Any) -> Any:
    if isinstance(value, str) and value:
        return open_sealed(value.encode("ascii")).decode()
    return value


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token.

    ``None`` and the empty string are stored as they are, so "was anything written?" stays a
    plain SQL question (the reports and retention ask it); anything else is sealed. Nothing can
    be searched or compared in SQL by its content.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return seal(value.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return open_sealed(value.encode("ascii")).decode()


class SealedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON object whose ``sealed_keys`` hold sealed text; every other key stays plain.

    For answers and record versions that mix words with choices: the choices stay countable
    in SQL (the reports group by them), the words are Fernet tokens, and an empty or missing
    word is stored as it is, so "was anything written?" stays a plain SQL question.
    """

    impl = JSON
    cache_ok = True

    def __init__(self, sealed_keys: tuple[str, ...]) -> None:
        super().__init__()
        self.sealed_keys = tuple(sealed_keys)

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return {k: _seal_text(v) if k in self.sealed_keys else v for k, v in value.items()}

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        return {k: _open_text(v) if k in self.sealed_keys else v for k, v in value.items()}
