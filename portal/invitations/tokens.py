"""Link tokens: 132 random-looking bits, made from a stored salt and the app's secret key.

The database keeps the salt and the token's SHA-256, never the token: a copy of the database
alone opens no link. With the secret key the same token can be made again, so a reminder
carries the same link as the invitation, and the outbox never stores a link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode

from flask import current_app

TOKEN_LENGTH = 22  # base64url characters: 132 bits


def new_salt() -> str:
    return secrets.token_hex(16)  # 128 random bits


def token_for(salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"invitation-link:" + salt.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(salt: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/r/{token_for(salt)}"


def code_for(salt: str) -> str:
    """The six-digit second-check code for this salt (made again by the worker as it sends)."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"check-code:" + salt.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def looks_like_a_token(text: str) -> bool:
    return len(text) == TOKEN_LENGTH and all(c.isalnum() or c in "-_" for c in text)
