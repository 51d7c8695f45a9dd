"""Facilitators' pages: workshops, join codes and QR, projector, live dashboard, exports."""
import datetime
import io

import segno
from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, url_for

from assessment.db import get_db
from assessment.store import workshops
from assessment.web.auth import require_login_for_blueprint
from assessment.web.context import library
from assessment.web.forms import ButtonForm, WorkshopForm
from assessment.core.tables import participant_table
from assessment.web.exports import table_response
from assessment.workshop_report import live_data, workshop_picture, workshop_summary_pdf

bp = Blueprint("workshops", __name__, url_prefix="/staff")
require_login_for_blueprint(bp, roles=("admin", "facilitator"))


def workshop_or_404(workshop_id):
    """A workshop of the logged-in user's organisation.

    :raise 404: for an unknown id or a workshop of another organisation (never 403: ids leak nothing).
    """
    try:
        return workshops.get_workshop(get_db(), workshop_id, g.user["org_id"])
    except workshops.WorkshopNotFound:
        abort(404)


def questionnaire_of(workshop):
    return library().questionnaires[workshop["questionnaire_id"]]


@bp.get("/")
def index():
    return render_template("staff/workshops.html", workshops=workshops.workshops_of(get_db(), g.user["org_id"]))


@bp.route("/workshops/new", methods=["GET", "POST"])
def create():
    form = WorkshopForm(questionnaires=library().questionnaires)
    if request.method == "GET":
        form.held_on.data = datetime.date.today()
    if form.validate_on_submit():
        workshop = workshops.create_workshop(
            get_db(), g.user["org_id"], g.user["id"], form.title.data, form.held_on.data.isoformat(),
            form.questionnaire.data, form.language.data)
        return redirect(url_for(".detail", workshop_id=workshop["id"]))
    return render_template("staff/workshop_form.html", form=form)


@bp.get("/workshops/<int:workshop_id>")
def detail(workshop_id):
    workshop = workshop_or_404(workshop_id)
    return render_template("staff/workshop.html", workshop=workshop, form=ButtonForm(),
                           counts=workshops.counts(get_db(), workshop_id))


@bp.post("/workshops/<int:workshop_id>/status")
def change_status(workshop_id):
    workshop_or_404(workshop_id)
    status = request.form.get("status")
    if status not in ("open", "closed"):
        abort(400)
    workshops.set_status(get_db(), workshop_id, g.user["org_id"], status)
    return redirect(url_for(".detail", workshop_id=workshop_id))


def join_url(workshop):
    return url_for("respondent.join", code=workshop["join_code"], _external=True)


@bp.get("/workshops/<int:workshop_id>/qr.svg")
def qr_code(workshop_id):
    workshop = workshop_or_404(workshop_id)
    buffer = io.BytesIO()
    segno.make(join_url(workshop), error="m").save(buffer, kind="svg", scale=10, border=2,
                                                   title=workshop["join_code"])
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml"}


@bp.get("/workshops/<int:workshop_id>/projector")
def projector(workshop_id):
    workshop = workshop_or_404(workshop_id)
    return render_template("staff/projector.html", workshop=workshop, join_url=join_url(workshop),
                           counts=workshops.counts(get_db(), workshop_id), loopback=_is_loopback(request.host))


def _is_loopback(host):
    """True when this page was opened as localhost: the code's address and QR then lead phones nowhere."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in ("localhost", "127.0.0.1", "[::1]") or name.startswith("127.")


@bp.get("/workshops/<int:workshop_id>/dashboard")
def dashboard(workshop_id):
    workshop = workshop_or_404(workshop_id)
    questionnaire = questionnaire_of(workshop)
    return render_template("staff/dashboard.html", workshop=workshop, questionnaire=questionnaire,
                           picture=workshop_picture(get_db(), questionnaire, workshop))


@bp.get("/workshops/<int:workshop_id>/live.json")
def live(workshop_id):
    workshop = workshop_or_404(workshop_id)
    return jsonify(live_data(workshop_picture(get_db(), questionnaire_of(workshop), workshop)))


@bp.get("/workshops/<int:workshop_id>/results.<any(csv, xlsx):fmt>")
def export(workshop_id, fmt):
    workshop = workshop_or_404(workshop_id)
    headers, rows = participant_table(questionnaire_of(workshop),
                                      workshops.completed_participants(get_db(), workshop_id))
    return table_response(headers, rows, fmt, f"workshop-{workshop['join_code']}-results")


@bp.get("/workshops/<int:workshop_id>/summary.pdf")
def summary_pdf(workshop_id):
    workshop = workshop_or_404(workshop_id)
    questionnaire = questionnaire_of(workshop)
    data = workshop_summary_pdf(get_db(), library(), questionnaire, workshop)
    return data, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'attachment; filename="workshop-{workshop["join_code"]}-summary.pdf"'}
