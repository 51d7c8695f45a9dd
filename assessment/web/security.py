"""Security set-up shared by every blueprint: CSRF, rate limits, response headers."""
from flask import request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

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


def init_app(app):
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    app.after_request(buffer_static_file)  # registered after Compress, so it runs before it
    app.after_request(add_security_headers)
