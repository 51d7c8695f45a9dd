"""Question pages rendered once per questionnaire version, page and language, then filled in.

After the questions themselves (web/question_page.py), most of a question page's time went into
its template: the header, the language switcher, every translated sentence, every url_for. None of
that depends on the respondent except a handful of values: the resume token in the page's
addresses, the CSRF token, the submission id, the time the page was drawn and the marked answers.
So the template is rendered once per key with a marker in place of each of those values, cut at
the markers, and every request joins the pieces with its own values. The HTML is the template's
own (a test compares both ways).

A page that can differ in any other way renders the template as before: a staff user's header,
a flashed message, a form shown with its errors, or query arguments other than ``lang``.
"""
import re
import threading

from flask import current_app, g, render_template, request, session
from markupsafe import Markup

from assessment.web.i18n import current_language
from assessment.web.page_gzip import page_response

# Markers are letters only, so HTML escaping and URL quoting leave them as they are.
HOLES = ("token", "csrf", "sid", "loaded", "questions")
MARKERS = {name: f"smartstepHole{name}Here" for name in HOLES}
MARKER = re.compile("smartstepHole(" + "|".join(HOLES) + ")Here")
MAX_SHELLS = 4000  # a few questionnaire versions x pages x languages x profile-dependent page variants
_lock = threading.Lock()


class Shell:
    """A rendered page cut at its markers: ``parts[i]`` is followed by the value of ``holes[i]``."""

    def __init__(self, html):
        pieces = MARKER.split(html)
        self.parts, self.holes = pieces[0::2], pieces[1::2]
        if "questions" not in self.holes:  # the template changed: never serve a page without questions
            raise ValueError("the page template no longer shows the questions")

    def fill(self, values):
        """The page with each hole's value; a callable value is called once, and only when the page
        has that hole (no CSRF token is made for a page without a form field for it)."""
        values = {name: value() if callable(value) else value for name, value in values.items()
                  if name in self.holes}
        out = [self.parts[0]]
        for hole, part in zip(self.holes, self.parts[1:]):
            out.append(values[hole])
            out.append(part)
        return "".join(out)


def can_use_shell():
    """Whether this request's page is the shared one: no staff header, no flashed message, no query
    arguments but the language."""
    return g.get("user") is None and "_flashes" not in session and set(request.args) <= {"lang"}


def render_question_page(key, token, questions_html, fresh_values, **context):
    """respondent/page.html for ``context``, through the shell cached under ``key`` (anything the
    page shows but the holes), with this request's ``token``, questions and ``fresh_values``
    (csrf, sid, loaded: callables, called only when the shell serves)."""
    return page_response(_page_html(key, token, questions_html, fresh_values, context))


def _page_html(key, token, questions_html, fresh_values, context):
    if context.get("form") is not None or not can_use_shell():
        return render_template("respondent/page.html", questions_html=questions_html, **context)
    shells = current_app.extensions.setdefault("smartstep.page_shells", {})
    key = (key, current_language(), bool(current_app.config.get("WTF_CSRF_ENABLED", True)))
    shell = shells.get(key) or _build(shells, key, token, context)
    return shell.fill({"token": token, "questions": str(questions_html), **fresh_values})


def _build(shells, key, token, context):
    html = render_template(
        "respondent/page.html", questions_html=Markup(MARKERS["questions"]),
        csrf_token=lambda: MARKERS["csrf"], new_submission_id=lambda: MARKERS["sid"],
        server_ms=lambda: MARKERS["loaded"], **context)
    # The token reaches the page through addresses built from the request (the language switcher)
    # as well as the template: every occurrence is the token (22 random characters).
    shell = Shell(html.replace(token, MARKERS["token"]))
    with _lock:
        if len(shells) >= MAX_SHELLS:
            shells.clear()
        shells[key] = shell
    return shell
