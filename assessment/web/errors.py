"""Error pages: errors/<code>.html, with a plain fallback, for every HTTP error."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException

from assessment.db import DatabaseBusy
from assessment.web.pdf_worker import PdfQueueFull

RETRY_AFTER_S = 5


def render_error(error):
    try:
        body = render_template(f"errors/{error.code}.html", error=error)
    except TemplateNotFound:
        body = render_template("errors/generic.html", error=error)
    return body, error.code


def render_csrf_error(error):
    return render_template("errors/csrf.html", error=error), 400


def render_busy(error):
    """Overload: a friendly 503 with Retry-After, never a 500. A POST's fields come back as hidden
    inputs, so the respondent sends the same answers again with one tap (no JavaScript)."""
    fields = [(name, value) for name, values in request.form.lists() if name != "nav" for value in values]
    body = render_template("errors/503.html", resend=fields if request.method == "POST" else None,
                           nav=request.form.get("nav"))
    return body, 503, {"Retry-After": str(RETRY_AFTER_S)}


def init_app(app):
    app.register_error_handler(DatabaseBusy, render_busy)
    app.register_error_handler(PdfQueueFull, render_busy)
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_error)
