"""Security set-up shared by every blueprint: CSRF, rate limits, response headers."""
import threading
import time

from flask import current_app, g, request, session
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect, generate_csrf

csrf = CSRFProtect()
compress = Compress()  # pages must fit the 14 KB first round trip as served, not only in theory
# Client addresses are used only in memory for rate limits; they are never stored.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


# Signed CSRF tokens by (secret, the session's raw token): question pages are the most requested
# pages, and signing a token anew for each was a tenth of their cost. A token signed less than
# CSRF_TOKEN_REUSE seconds ago is as good as a new one (its 12-hour limit is that much shorter).
CSRF_TOKEN_REUSE = 60
_signed_tokens = {}
_signed_lock = threading.Lock()


def page_csrf_token():
    """generate_csrf(), reusing the token signed for this session within the last minute."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    key = (current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
    now = time.monotonic()
    kept = _signed_tokens.get(key) if raw else None
    if kept is not None and now - kept[1] < CSRF_TOKEN_REUSE and field not in g:
        setattr(g, field, kept[0])  # what generate_csrf() returns for the rest of the request
        return kept[0]
    token = generate_csrf()
    with _signed_lock:
        if len(_signed_tokens) > 10000:  # a room's sessions; older ones are signed again
            _signed_tokens.clear()
        _signed_tokens[(key[0], session[field])] = (token, now)
    return token


def add_security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def buffer_static_file(response):
    """Reads a (small) static file into the response and closes it, so that compression works on
    bytes and never leaves the file handle open."""
    if response.direct_passthrough and request.endpoint == "static" and response.status_code == 200:
        data = b"".join(response.response)
        response.response.close()
        response.direct_passthrough = False
        response.set_data(data)
    return response


# Endpoints no rate limit applies to, left out before Flask-Limiter works out their limits: the
# question pages are the most requested pages, and that work was a tenth of their cost. A limit
# added to one of these endpoints must first remove it from here (a test checks this).
UNLIMITED_ENDPOINTS = frozenset({"respondent.page"})


@limiter.request_filter
def _unlimited_endpoint():
    return request.endpoint in UNLIMITED_ENDPOINTS


def init_app(app):
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    app.after_request(buffer_static_file)  # registered after Compress, so it runs before it
    app.after_request(add_security_headers)
