"""Error pages: errors/<code>.html, with a plain fallback, for every HTTP error."""
from flask import render_template
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException


def render_error(error):
    try:
        body = render_template(f"errors/{error.code}.html", error=error)
    except TemplateNotFound:
        body = render_template("errors/generic.html", error=error)
    return body, error.code


def render_csrf_error(error):
    return render_template("errors/csrf.html", error=error), 400


def init_app(app):
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_error)
