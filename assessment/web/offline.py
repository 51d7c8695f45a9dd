"""Answers that survive a dropped connection (issue 12), server side: the submission a page POST
carries, the JSON answer static/offline.js gets instead of a redirect, the service worker at the
root (so its scope is the whole site) and the page it shows for what needs the server."""
import itertools
import os
import secrets
import time
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from assessment.core.submissions import Submission, parse_times, valid_id
from assessment.web.context import assessment_or_404

bp = Blueprint("offline", __name__)

SCRIPT_HEADER = "X-SmartStep-Offline"  # set by static/offline.js on the POSTs it sends


def now_ms():
    return int(time.time() * 1000)


class _SubmissionIds:
    """Ids unique to this process (a random prefix drawn once per process, after any fork) and
    within it (a counter): asking the system for random bytes on every question page made the
    server thread let go of the interpreter, and others took it, for each page served."""

    def __init__(self):
        self.pid, self.prefix, self.counter = None, "", itertools.count()

    def next(self):
        if self.pid != os.getpid():  # a new process (gunicorn forks its workers): a new prefix
            self.pid, self.prefix, self.counter = os.getpid(), secrets.token_urlsafe(9), itertools.count()
        return f"{self.prefix}{next(self.counter):x}"


_submission_ids = _SubmissionIds()


def new_submission_id():
    """The id a page carries for phones without JavaScript (offline.js makes its own), so that the
    browser resending the same form counts once. Only unique: submissions are counted per
    assessment, whose token the sender needs anyway."""
    return _submission_ids.next()


def submission_from(form):
    """The Submission a page POST carries. Without offline.js every answer counts as chosen now
    (as before); with it, each answer the respondent chose carries its time on the phone, and the
    others were what the page showed when the server drew it (``loaded``)."""
    received = now_ms()
    submission_id = valid_id(form.get("sid"))
    device = valid_id(form.get("device"))
    if device is None:
        return Submission(submission_id, received)
    sent, loaded = _int(form.get("sent"), received), _int(form.get("loaded"), received)
    return Submission(submission_id, min(loaded, received), device,
                      parse_times(form.get("chosen"), sent, received))


def _int(text, default):
    return int(text) if isinstance(text, str) and text.isdigit() and len(text) <= 15 else default


def redirect_as_json(response):
    """offline.js follows no redirects (a followed one would download the next page twice): it
    gets {"next": url, "at": server ms} and goes there itself."""
    if (request.headers.get(SCRIPT_HEADER) and request.method == "POST" and response.status_code in (302, 303)
            and request.endpoint == "respondent.page"):
        answer = jsonify(next=response.headers["Location"], at=now_ms())
        answer.headers["Cache-Control"] = "no-store"
        return answer
    return response


@bp.get("/sw.js")
def service_worker():
    """At the root, so that it may serve every question page when the phone is offline."""
    script = (Path(current_app.static_folder) / "sw.js").read_bytes()
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # a changed worker reaches phones at once
    return response


@bp.get("/a/<token>/offline")
def offline_notice(token):
    """What the service worker shows, offline, for a page it has not kept (results, the PDF)."""
    row, _questionnaire = assessment_or_404(token)
    return render_template("respondent/offline.html", assessment=row)


def init_app(app):
    app.register_blueprint(bp)
    app.after_request(redirect_as_json)
    app.add_template_global(new_submission_id)
    app.add_template_global(now_ms, "server_ms")
