"""Auth events as structured log lines: what happened, to which user id, never a secret.

Passwords, hashes and tokens are never passed here; an email, which is personal,
is logged masked ("a***@example.com"), enough to see a pattern of failed logins.
"""
import logging

logger = logging.getLogger("project.auth")


def masked_email(email):
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def log_auth_event(event, user=None, email=None, level=logging.INFO):
    """Log `event` ("login.succeeded", ...) with the user's id and, if given, the masked email."""
    extra = {"event": event, "user_id": getattr(user, "id", None)}
    if email is not None:
        extra["email"] = masked_email(email)
    logger.log(level, event, extra=extra)
