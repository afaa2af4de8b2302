"""Signed tokens for the links mailed to users: each expires, and is bound to what it changes.

Signed with SECRET_KEY and accepted under any of SECRET_KEY_FALLBACKS, so a
key rotation does not void the links already in people's inboxes.
"""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


def make_token(purpose, payload):
    return _serializer(purpose).dumps(payload)


def read_token(purpose, token, max_age):
    """The payload of a valid, unexpired `token` made for `purpose`; None otherwise."""
    try:
        return _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:  # SignatureExpired is one too
        return None


def credentials_fingerprint(user):
    """Part of a reset token: once the password or the address changes, the token no longer
    matches. The address, because a link in a mailbox the account has left must not work."""
    return hashlib.sha256(f"{user.password_hash or ''}\n{user.email}".encode()).hexdigest()[:16]


def _serializer(purpose):
    config = current_app.config
    # itsdangerous signs with the last key and accepts every one of them.
    keys = [*config["SECRET_KEY_FALLBACKS"], config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=f"auth.{purpose}")
