"""The application factory: all set-up happens in create_app, nothing at import time."""
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from assessment import db
from assessment.core.library import load_library
from assessment.translation_files import shipped_languages

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Builds a SmartStep app. ``test_config`` (a dict) replaces instance/config.py, for tests."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(default_config(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("SMARTSTEP")
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    _shared_state_beside_the_database(app.config)
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config["HTTPS"])
    _behind_trusted_proxies(app)
    app.extensions["smartstep.library"] = load_library(app.config["DATA_DIR"],
                                                       app.config["LOCAL_DATA_FILES"])
    _init_extensions(app)
    return app


def default_config(instance_path):
    return {
        "DATABASE": os.path.join(instance_path, "smartstep.sqlite"),
        "DATA_DIR": str(PROJECT_ROOT / "questionnaires"),
        # An agency's own pointers, same format, merged at start-up when the file exists.
        "LOCAL_DATA_FILES": [os.path.join(instance_path, "pointers.json")],
        "DEFAULT_QUESTIONNAIRE": "core",
        "HTTPS": False,
        # Reverse proxies (nginx, Caddy…) in front of the server whose X-Forwarded-* headers are
        # believed; 0: none, and such headers are ignored (a client could write them itself).
        "TRUSTED_PROXIES": 0,
        "LANGUAGES": shipped_languages(),  # every language with both catalogs; English first
        "BABEL_DEFAULT_LOCALE": "en",
        # A workshop can run all day: a page opened in the morning must still submit.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Rate-limit counters and built PDFs live beside the database (set in create_app), so
        # that every server worker process shares them; "memory://" keeps counters per process.
        "RATELIMIT_STORAGE_URI": None,
        "RATELIMIT_STRATEGY": "fixed-window",
        "PDF_CACHE_DIR": None,
        "RATELIMIT_HEADERS_ENABLED": False,
        "RESUME_CODE_LIMIT": "10 per minute;50 per hour",
        # Failed logins, counted per client and account together, so nobody can lock a staff
        # member out from elsewhere (docs/security.md); a pause never lasts longer than 15 minutes.
        "LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT": "10 per 15 minutes",
        "LOGIN_LIMIT_PER_CLIENT": "30 per 15 minutes",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,  # imports of a few thousand rows
        "COMPRESS_ALGORITHM": ["gzip"],  # understood by every phone browser, Opera Mini included
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "application/json", "image/svg+xml",
                               "text/csv", "text/javascript", "application/javascript"],
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        "PDF_WORKER": False,  # `smartstep serve` builds roadmap PDFs in a worker process
    }


def _behind_trusted_proxies(app):
    """Behind a reverse proxy every request comes from the proxy's address: each client's own,
    the scheme and the host are read from the last TRUSTED_PROXIES X-Forwarded-* entries, so that
    rate limits count each client (not the whole room as one) and links say https."""
    proxies = int(app.config["TRUSTED_PROXIES"] or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,
                                x_port=proxies, x_prefix=proxies)


def _shared_state_beside_the_database(config):
    """What worker processes must share, in files next to DATABASE unless configured."""
    from assessment.store import rate_limits  # registers the smartstep+sqlite storage

    if not config.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = rate_limits.storage_uri(config["DATABASE"])
    config.setdefault("RATELIMIT_STORAGE_OPTIONS", {})
    if config["RATELIMIT_STORAGE_URI"].startswith(rate_limits.SCHEME):
        config["RATELIMIT_STORAGE_OPTIONS"] = {**config["RATELIMIT_STORAGE_OPTIONS"],
                                               "key_secret": config["SECRET_KEY"]}
    if not config.get("PDF_CACHE_DIR"):
        config["PDF_CACHE_DIR"] = config["DATABASE"] + ".pdf-cache"


def instance_secret_key(instance_path):
    """A random key kept in instance/secret_key, created on first start, so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    try:
        with open(path, "x", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        path.chmod(0o600)
    except FileExistsError:
        pass
    return path.read_text(encoding="ascii").strip()


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every URL: a number SQLite can hold (a signed 64-bit integer), else the
    URL matches no route and answers 404, instead of an OverflowError deep in a query."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, **kwargs)


def _init_extensions(app):
    from assessment.web import errors, i18n, security
    from assessment.web import admin, api, auth, cohorts, data_rights, health, offline, workshops
    from assessment.web.respondent import bp as respondent_bp

    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(respondent_bp)
    offline.init_app(app)  # answers that survive a dropped connection: /sw.js, JSON for offline.js
    app.register_blueprint(data_rights.bp)  # a firm's own data from its resume link: download, delete
    app.register_blueprint(auth.bp)
    app.register_blueprint(workshops.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(cohorts.bp)
    app.register_blueprint(api.bp)  # GET /api/cohorts/<id>/results (JSON, organisation token)
    app.register_blueprint(api.admin_bp)  # /staff/admin/api-token
    app.register_blueprint(health.bp)  # GET /healthz for a monitor
