"""Encryption at rest for what families, children and advocates write.

Values are sealed with Fernet (AES-128-CBC with an HMAC-SHA256 tag) under the keys in
``DATA_ENCRYPTION_KEYS``: a comma-separated list, newest first. The newest key seals; every key
in the list opens, so a key is rotated by putting a new one first, running
``flask keys rotate`` (which reseals everything under it), then dropping the old one.

A stolen database dump or backup holds only tokens; the keys live in the environment (in
development, a file in ``instance/``), never in the database.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
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
