"""The session cookie, sealed: secret as well as tamper-proof.

Flask's own cookie is signed, not encrypted: anyone holding it can read the session, flash
messages included (some name a child or a parent). Here the session's JSON is sealed with
AES-256-GCM under a key derived from ``SECRET_KEY`` by HKDF, with a label of its own, so the
key is never the one that signs form tokens or makes family links. The sealed text carries the
time it was sealed, so a cookie older than the session's lifetime is refused as Flask's would
be. A cookie that does not open (tampered, truncated, sealed under another key, too old) is an
empty session, never an error. ``SECRET_KEY_FALLBACKS`` still open cookies during a key change.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import struct
import time
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

KEY_LABEL = b"heard session cookie v1"
# Bound to every sealed session: a value sealed under this key for another purpose never opens.
ASSOCIATED_DATA = b"heard-session"
NONCE_BYTES = 12
TIMESTAMP = struct.Struct(">Q")
SEALED_TEXT = re.compile(r"[A-Za-z0-9_-]+")


@functools.lru_cache(maxsize=8)  # derived once per key, not at every request
def session_key(secret: str | bytes) -> bytes:
    secret_bytes = secret.encode() if isinstance(secret, str) else secret
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_LABEL).derive(
        secret_bytes
    )


class SessionSealer:
    """dumps/loads as Flask's signing serializer has them, but sealing instead of signing."""

    def __init__(self, secrets: list[str | bytes], serializer: TaggedJSONSerializer) -> None:
        # The first secret seals; every one of them opens (the fallbacks during a change).
        self.ciphers = [AESGCM(session_key(secret)) for secret in secrets]
        self.serializer = serializer

    def dumps(self, session: dict[str, Any]) -> str:
        nonce = os.urandom(NONCE_BYTES)
        plaintext = TIMESTAMP.pack(int(time.time())) + self.serializer.dumps(session).encode()
        sealed = self.ciphers[0].encrypt(nonce, plaintext, ASSOCIATED_DATA)
        return base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")

    def loads(self, value: str, max_age: int | None = None) -> dict[str, Any]:
        # Strictly the alphabet dumps writes: the decoder would otherwise skip stray characters.
        if not SEALED_TEXT.fullmatch(value):
            raise BadSignature("not a sealed session")
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            raise BadSignature("not a sealed session") from None
        nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        if len(nonce) != NONCE_BYTES:
            raise BadSignature("not a sealed session")
        plaintext = self._open(nonce, sealed)
        (sealed_at,) = TIMESTAMP.unpack_from(plaintext)
        if max_age is not None and time.time() - sealed_at > max_age:
            raise BadSignature("session too old")
        try:
            session = self.serializer.loads(plaintext[TIMESTAMP.size :].decode())
        except ValueError:  # JSON and UTF-8 errors both: sealed by us, so never expected
            raise BadSignature("unreadable session") from None
        if not isinstance(session, dict):
            raise BadSignature("unreadable session")
        return session

    def _open(self, nonce: bytes, sealed: bytes) -> bytes:
        for cipher in self.ciphers:
            try:
                plaintext = cipher.decrypt(nonce, sealed, ASSOCIATED_DATA)
            except InvalidTag:
                continue
            if len(plaintext) >= TIMESTAMP.size:
                return plaintext
        raise BadSignature("session does not open")


class SealedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, with the cookie's contents sealed (see the module docstring)."""

    # Flask's return type is its URLSafeTimedSerializer; the SessionSealer has the same
    # dumps/loads, which are all SecureCookieSessionInterface calls.
    def get_signing_serializer(self, app: Flask) -> SessionSealer | None:  # type: ignore[override]
        if not app.secret_key:
            return None
        fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or []
        return SessionSealer([app.secret_key, *fallbacks], self.serializer)


def init_app(app: Flask) -> None:
    app.session_interface = SealedCookieSessionInterface()
