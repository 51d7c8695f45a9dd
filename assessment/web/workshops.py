"""Facilitators' pages: workshops, join codes and QR, projector, live dashboard, exports."""
import datetime
import io

import segno
from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from flask_babel import get_locale

from assessment.db import get_db
from assessment.store import deletions, workshops
from assessment.web.auth import require_login_for_blueprint
from assessment.web.context import library
from assessment.web.forms import ButtonForm, WorkshopForm
from assessment.web.i18n import language_name
from assessment.core.tables import participant_table, score_keys
from assessment.web.exports import readable_headers, table_response
from assessment.web.i18n import translate
from assessment.workshop_report import live_data, workshop_picture, workshop_summary_pdf

bp = Blueprint("workshops", __name__, url_prefix="/staff")
require_login_for_blueprint(bp, roles=("admin", "facilitator"))
bp.add_app_template_global(language_name)


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
    _apply_retention()
    return render_template("staff/workshops.html", workshops=workshops.workshops_of(get_db(), g.user["org_id"]))


def _apply_retention():
    """The organisation's retention period, applied whenever its workshops are listed (cheap: one
    indexed DELETE), so that it holds even where nobody schedules `smartstep purge-unfinished`."""
    from assessment.store import staff

    days = staff.retention_days(get_db(), g.user["org_id"])
    if days:
        deletions.purge_unfinished(get_db(), g.user["org_id"], days)


@bp.route("/workshops/new", methods=["GET", "POST"])
def create():
    form = WorkshopForm(questionnaires=library().questionnaires)
    if request.method == "GET":
        form.held_on.data = datetime.date.today()
    if form.validate_on_submit():
        workshop = workshops.create_workshop(
            get_db(), g.user["org_id"], g.user["id"], form.title.data, form.held_on.data.isoformat(),
            form.questionnaire.data, form.language.data)
        flash(_("Workshop “%(title)s” created with the code %(code)s. Open it when the room is ready.",
                title=workshop["title"], code=workshop["join_code"]))
        return redirect(url_for(".detail", workshop_id=workshop["id"]))
    return render_template("staff/workshop_form.html", form=form)


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
def edit(workshop_id):
    """Title, date and language can be corrected at any time; the questionnaire stays (answers use it)."""
    workshop = workshop_or_404(workshop_id)
    form = WorkshopForm(questionnaires=library().questionnaires,
                        data={"title": workshop["title"], "language": workshop["language"],
                              "held_on": datetime.date.fromisoformat(workshop["held_on"]),
                              "questionnaire": workshop["questionnaire_id"]})
    form.questionnaire.data = workshop["questionnaire_id"]
    if form.validate_on_submit():
        workshops.update_workshop(get_db(), workshop_id, g.user["org_id"], form.title.data,
                                  form.held_on.data.isoformat(), form.language.data)
        flash(_("Workshop saved."))
        return redirect(url_for(".detail", workshop_id=workshop_id))
    return render_template("staff/workshop_form.html", form=form, workshop=workshop)


@bp.route("/workshops/<int:workshop_id>/delete", methods=["GET", "POST"])
def delete(workshop_id):
    workshop = workshop_or_404(workshop_id)
    joined = workshops.counts(get_db(), workshop_id)["joined"]
    if request.method == "POST" and ButtonForm().validate_on_submit():
        removed = deletions.delete_workshop(get_db(), workshop, f"user:{g.user['id']}")
        flash(ngettext("Workshop “%(title)s” deleted, with %(num)d participant's answers.",
                       "Workshop “%(title)s” deleted, with %(num)d participants' answers.", removed,
                       title=workshop["title"]))
        return redirect(url_for(".index"))
    return render_template(
        "staff/confirm.html", form=ButtonForm(), danger=True,
        title=_("Delete the workshop “%(title)s”?", title=workshop["title"]),
        consequences=[ngettext("The answers and results of its %(num)d participant are deleted with it, and leave "
                               "every export and group figure.",
                               "The answers and results of its %(num)d participants are deleted with it, and leave "
                               "every export and group figure.", joined),
                      _("Participants' resume links and codes stop working. This cannot be undone.")],
        button=_("Delete the workshop and its answers"), action=url_for(".delete", workshop_id=workshop_id),
        cancel=url_for(".detail", workshop_id=workshop_id))


@bp.get("/workshops/<int:workshop_id>")
def detail(workshop_id):
    workshop = workshop_or_404(workshop_id)
    return render_template("staff/workshop.html", workshop=workshop, form=ButtonForm(),
                           counts=workshops.counts(get_db(), workshop_id))


@bp.route("/workshops/<int:workshop_id>/status", methods=["GET", "POST"])
def change_status(workshop_id):
    """GET: what opening or closing will do; POST: do it, and say what was done."""
    workshop = workshop_or_404(workshop_id)
    status = request.values.get("status")
    if request.method == "GET" and not status:  # the page's one button: the other state
        status = "closed" if workshop["status"] == "open" else "open"
    if status not in ("open", "closed"):
        abort(400)
    if request.method == "GET":
        return _confirm_status(workshop, status)
    workshops.set_status(get_db(), workshop_id, g.user["org_id"], status)
    counts = workshops.counts(get_db(), workshop_id)
    if status == "closed":
        flash(_("Workshop closed: nobody new can join. %(c)d completed; the %(p)d still answering can finish. "
                "You can open it again at any time.", c=counts["completed"], p=counts["in_progress"]))
    else:
        flash(_("Workshop open: participants can join with the code %(code)s.", code=workshop["join_code"]))
    return redirect(url_for(".detail", workshop_id=workshop_id))


def _confirm_status(workshop, status):
    counts = workshops.counts(get_db(), workshop["id"])
    if status == "open":
        title = _("Open “%(title)s” for participants?", title=workshop["title"])
        lines = [_("Anyone with the code %(code)s or the QR code can join.", code=workshop["join_code"])]
        button = _("Open for participants")
    else:
        title = _("Close “%(title)s”?", title=workshop["title"])
        lines = [_("Nobody new can join with the code %(code)s.", code=workshop["join_code"]),
                 _("The %(p)d participants still answering can finish, and every participant keeps their "
                   "results and PDF. You can open the workshop again later.", p=counts["in_progress"])]
        button = _("Close: no new participants")
    return render_template("staff/confirm.html", form=ButtonForm(), title=title, consequences=lines,
                           button=button, hidden={"status": status},
                           action=url_for(".change_status", workshop_id=workshop["id"]),
                           cancel=url_for(".detail", workshop_id=workshop["id"]))


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
                           counts=workshops.counts(get_db(), workshop_id), loopback=is_loopback(request.host))


def is_loopback(host):
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
    questionnaire = questionnaire_of(workshop)
    participants = workshops.completed_participants(get_db(), workshop_id, score_keys(questionnaire))
    headers, rows = participant_table(questionnaire, participants, translate)
    return table_response(headers, rows, fmt, f"workshop-{workshop['join_code']}-results", sheet=_("Participants"),
                          labels=readable_headers(questionnaire, headers))


@bp.get("/workshops/<int:workshop_id>/summary.pdf")
def summary_pdf(workshop_id):
    workshop = workshop_or_404(workshop_id)
    questionnaire = questionnaire_of(workshop)
    data = workshop_summary_pdf(get_db(), library(), questionnaire, workshop, str(get_locale()))
    return data, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'attachment; filename="workshop-{workshop["join_code"]}-summary.pdf"'}
