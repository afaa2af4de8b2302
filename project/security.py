"""Response headers for every page, and the reverse-proxy setting client addresses depend on.

A small module of our own rather than Flask-Talisman: the policy is a handful
of constant headers plus two rules (HSTS in production, no-store for a
logged-in user), and Talisman's HTTPS redirect and nonce machinery would be
unused here: the pages carry no inline script or style, and TLS ends at the proxy.
"""
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    # Scripts and styles only from files this app serves: no inline code can run.
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    # No site may frame our pages: a framed logout button is a click-jacking target.
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def register_security_headers(app):
    trust_proxies(app)
    hsts_max_age = app.config.get("HSTS_MAX_AGE")

    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts_max_age:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts_max_age}; includeSubDomains"
            )
        if current_user and current_user.is_authenticated:
            # A page for one user must not come back from a cache (the back button
            # after logout, a shared computer, a proxy).
            response.headers["Cache-Control"] = "no-store"
        return response


def trust_proxies(app):
    """Behind PROXY_COUNT reverse proxies, take the client's address and scheme from them.

    Throttling counts per client address, and Secure cookies need the scheme:
    without this, every request seems to come from the proxy over HTTP. Only as
    many proxies as there are, or a client could forge its address.

    Never the host: a proxy that sets X-Forwarded-For and -Proto often passes a client's
    X-Forwarded-Host on unchanged, and the mailed links (reset, confirmation, invitation)
    would then name the client's site, carrying their tokens there.
    """
    count = app.config.get("PROXY_COUNT") or 0
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
