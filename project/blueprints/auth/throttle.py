"""Throttling of the forms an attacker guesses with or sends mail through (Flask-Limiter).

Each form counts per client address and per account. The account is named
by the email typed, whether or not an account has it, so a 429 tells nothing
about which addresses exist. Forms that check a secret count only the
attempts they refuse; forms that send mail count every request, those of a signed-in
user per account as well.
"""
from flask import current_app, request
from flask_login import current_user

from project.expired_forms import is_redisplay
from project.extensions import limiter
from project.forms import normalize_email


def _limits():
    return current_app.config["LOGIN_LIMITS"]


def _typed_account():
    return "email:" + (normalize_email(request.form.get("email", "")) or "")


def _signed_in_account():
    return f"user:{getattr(current_user, 'id', None)}"


def _refused(response):
    # A form that succeeds redirects; a form shown again was refused. One shown again
    # because its token expired was no guess: another site could send those in bulk.
    return response.status_code != 302 and not is_redisplay()


def _throttle(scope, key_func=None, deduct_when=None):
    return limiter.shared_limit(_limits, scope=scope, key_func=key_func, methods=["POST"],
                                deduct_when=deduct_when)


# Login and forms that ask for the current password: refused guesses count.
guesses_by_address = _throttle("guesses-by-address", deduct_when=_refused)
guesses_by_typed_account = _throttle("guesses-by-account", _typed_account, _refused)
guesses_by_signed_in_account = _throttle("guesses-by-user", _signed_in_account, _refused)
# Registration and password reset send mail: every request counts.
mail_by_address = _throttle("mail-by-address")
mail_by_typed_account = _throttle("mail-by-account", _typed_account)
# Forms of a signed-in user that send mail (invitations, a new address, a new confirmation
# link): every request, one count for all of them.
mail_by_signed_in_account = _throttle("mail-by-user", _signed_in_account)
