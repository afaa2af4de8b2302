"""Passwords: what a new one must be, and how it is stored (argon2id; older hashes still work).

The policy is NIST SP 800-63B's: long enough, anything allowed (spaces,
Unicode, normalized with NFKC so the same characters typed on another
keyboard still match), no composition rules, and nothing easy to guess
(zxcvbn, whose bundled lists include the common passwords).
"""
import functools
import re
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn refuses longer input (its cost grows with length); what is beyond this
# is strong however it ends.
ANALYSED_LENGTH = 72
# zxcvbn's scale is 0 to 4; 3 is "safely unguessable: moderate protection from offline attack".
MINIMUM_SCORE = 3


def normalize(password):
    return unicodedata.normalize("NFKC", password)


def weakness(password, user_inputs=()):
    """Why `password` is too easy to guess, in words; None when it is not."""
    inputs = guessable_words(user_inputs)
    result = zxcvbn(normalize(password)[:ANALYSED_LENGTH], user_inputs=inputs)
    if result["score"] >= MINIMUM_SCORE:
        return None
    feedback = result["feedback"]
    reason = feedback["warning"] or "This password would be easy to guess."
    advice = " ".join(feedback["suggestions"][:1])
    return f"{reason} {advice}".strip()


def guessable_words(texts):
    """Words an attacker who knows the user would try: each given text, its words, run together.

    "Ada Lovelace" gives "ada lovelace", "ada", "lovelace" and "adalovelace".
    """
    words = set()
    for text in texts:
        if not text:
            continue
        parts = re.findall(r"\w+", text.lower())
        words.update([text.lower(), "".join(parts), *parts])
    return sorted(words)


def hash_password(password):
    return _hasher(*_argon2_settings()).hash(normalize(password))


def verify_password(stored, password):
    """(matches, needs_rehash) for `password` against the `stored` hash.

    A hash from before argon2 (Werkzeug's scrypt or pbkdf2) still verifies,
    and asks to be rehashed, as does an argon2 hash made with older settings.
    """
    hasher = _hasher(*_argon2_settings())
    if stored.startswith("$argon2"):
        try:
            hasher.verify(stored, normalize(password))
        except (VerificationError, InvalidHashError):
            return False, False
        return True, hasher.check_needs_rehash(stored)
    return check_password_hash(stored, password), True


def stand_in_hash():
    """A hash of nothing anyone knows, to check against when there is no account."""
    return _stand_in(*_argon2_settings())


def _argon2_settings():
    config = current_app.config
    return config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]


@functools.cache
def _hasher(time_cost, memory_cost, parallelism):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@functools.cache
def _stand_in(time_cost, memory_cost, parallelism):
    return _hasher(time_cost, memory_cost, parallelism).hash(secrets.token_hex(16))
