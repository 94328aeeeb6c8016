"""Link tokens: 132 random-looking bits, made from a stored salt and the app's secret key.

The database keeps the salt and the token's SHA-256, never the token: a copy of the database
alone opens no link. With the secret key the same token can be made again, so a reminder
carries the same link as the invitation, and the outbox never stores a link.

While the secret key is being changed (``SECRET_KEY_FALLBACKS`` holds the old one), a link or
code made under the old key keeps working: reminders rebuild the link under whichever key made
it, and a typed code is checked under each key.

Below every domain: the invitations make and check links and codes with it, and the messaging
worker puts them into a message as it sends (``fill_placeholders``).
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


def _secret_keys() -> list[str]:
    """The current secret key first, then the old ones still accepted."""
    return [current_app.config["SECRET_KEY"], *current_app.config.get("SECRET_KEY_FALLBACKS", [])]


def token_for(salt: str, key: str | None = None) -> str:
    key_bytes = (key or current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key_bytes, b"invitation-link:" + salt.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(salt: str, token_hash: str) -> str:
    """The person's link, made again under the key that made it (``token_hash`` tells which)."""
    tokens = (token_for(salt, key) for key in _secret_keys())
    token = next((t for t in tokens if hash_token(t) == token_hash), token_for(salt))
    return f"{current_app.config['PUBLIC_BASE_URL']}/r/{token}"


def code_for(salt: str, key: str | None = None) -> str:
    """The six-digit second-check code for this salt (made again by the worker as it sends)."""
    key_bytes = (key or current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key_bytes, b"check-code:" + salt.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def code_matches(salt: str, typed: str) -> bool:
    """Checked under every key still accepted, in constant time for each."""
    matches = [hmac.compare_digest(typed, code_for(salt, key)) for key in _secret_keys()]
    return any(matches)


def looks_like_a_token(text: str) -> bool:
    return len(text) == TOKEN_LENGTH and all(c.isalnum() or c in "-_" for c in text)
