"""Where a user may be sent after logging in: only a path on this site."""
from urllib.parse import urlsplit

from flask import request


def safe_next_path(target):
    """Return `target` if a browser would stay on this host following it, else None.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash,
    so "/\\evil.example" and "/\\t/evil.example" lead off-site like
    "//evil.example" does; anything of that kind is refused.
    """
    if not target or not target.startswith("/"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def referring_path():
    """The path of the page this request was sent from, when that page is on this site."""
    referrer = request.referrer or ""
    host = request.host_url.rstrip("/")
    return safe_next_path(referrer[len(host):]) if referrer.startswith(host + "/") else None
