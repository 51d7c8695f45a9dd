"""Programme managers' pages: cohorts, firms, rounds, peer benchmark, firm invitations."""
import datetime

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from assessment.cohort_report import cohort_picture, firm_picture, table_keys
from assessment.db import get_db
from assessment.store import firms
from assessment.web.auth import require_login_for_blueprint
from assessment.web.context import current_questionnaire, library, start_firm_assessment
from assessment.web.forms import ButtonForm, CohortForm, FirmForm

bp = Blueprint("cohorts", __name__, url_prefix="/staff/programme")
require_login_for_blueprint(bp, roles=("admin", "programme_manager"))


def cohort_or_404(cohort_id):
    """:raise 404: unknown id or a cohort of another organisation."""
    try:
        return firms.get_cohort(get_db(), cohort_id, g.user["org_id"])
    except firms.CohortNotFound:
        abort(404)


def firm_or_404(firm_id):
    """:raise 404: unknown id or a firm of another organisation."""
    try:
        return firms.get_firm(get_db(), firm_id, g.user["org_id"])
    except firms.FirmNotFound:
        abort(404)


def questionnaire():
    return current_questionnaire()


@bp.route("/", methods=["GET", "POST"])
def index():
    form = CohortForm()
    if request.method == "GET":
        form.starts_on.data = datetime.date.today()
    if form.validate_on_submit():
        try:
            cohort = firms.create_cohort(get_db(), g.user["org_id"], form.name.data.strip(),
                                         form.starts_on.data.isoformat(),
                                         form.ends_on.data.isoformat() if form.ends_on.data else None)
        except firms.DuplicateName as exc:
            form.name.errors.append(str(exc).capitalize() + ".")
        else:
            return redirect(url_for(".cohort", cohort_id=cohort["id"]))
    return render_template("programme/index.html", form=form, cohorts=firms.cohorts_of(get_db(), g.user["org_id"]))


@bp.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id):
    record = cohort_or_404(cohort_id)
    q = questionnaire()
    sort = request.args.get("sort", "name")
    picture = cohort_picture(get_db(), library(), q, record, sort, request.args.get("dir") == "desc")
    return render_template("programme/cohort.html", picture=picture, q=q, keys=table_keys(q),
                           firm_form=FirmForm(questionnaire=q, formdata=None))


@bp.post("/cohorts/<int:cohort_id>/firms")
def add_firm(cohort_id):
    record = cohort_or_404(cohort_id)
    q = questionnaire()
    form = FirmForm(questionnaire=q)
    if form.validate_on_submit():
        firm = firms.create_firm(get_db(), g.user["org_id"], form.name.data.strip(), form.country.data,
                                 form.sector.data, form.size_band.data, q.regions().get(form.country.data, "global"),
                                 cohort_id=record["id"])
        return redirect(url_for(".firm", firm_id=firm["id"]))
    picture = cohort_picture(get_db(), library(), q, record)
    return render_template("programme/cohort.html", picture=picture, q=q, keys=table_keys(q), firm_form=form), 200


@bp.get("/firms/<int:firm_id>")
def firm(firm_id):
    record = firm_or_404(firm_id)
    picture = firm_picture(get_db(), library(), questionnaire(), record)
    return render_template("programme/firm.html", picture=picture, q=questionnaire(), button=ButtonForm(),
                           invite_url=url_for("respondent.firm_invite", token=record["invite_token"], _external=True))


@bp.post("/firms/<int:firm_id>/next-round")
def next_round(firm_id):
    firm_or_404(firm_id)
    firms.start_next_round(get_db(), firm_id, g.user["org_id"])
    return redirect(url_for(".firm", firm_id=firm_id))


@bp.post("/firms/<int:firm_id>/enter")
def enter_answers(firm_id):
    """Staff type in answers (from a visit or a paper form) through the respondent's pages."""
    record = firm_or_404(firm_id)
    row = start_firm_assessment(record, role="staff entry")
    return redirect(url_for("respondent.started", token=row["token"]))


@bp.post("/firms/<int:firm_id>/actions/<action_id>")
def action_status(firm_id, action_id):
    firm_or_404(firm_id)
    status = request.form.get("status")
    if status not in ("open", "done") or action_id not in {a.id for a in library().actions}:
        abort(400)
    firms.set_action_status(get_db(), firm_id, action_id, status)
    return redirect(url_for(".firm", firm_id=firm_id) + "#roadmap")


@bp.get("/cohorts/<int:cohort_id>/report.pdf")
def report_pdf(cohort_id):
    """The cohort report PDF: the cohort page's content, sorted as the page (?sort=, ?dir=)."""
    from assessment.core.pdf.cohort_pdf import build_cohort_pdf

    record = cohort_or_404(cohort_id)
    picture = cohort_picture(get_db(), library(), questionnaire(), record,
                             request.args.get("sort", "name"), request.args.get("dir") == "desc")
    return build_cohort_pdf(picture), 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="cohort-{record["id"]}-report.pdf"'}


# --- import and export (the upload form and helpers are in web/imports.py) -----------------------

from assessment.web import imports  # noqa: E402  (kept with the routes that use it)

bp.add_app_template_global(imports.optional_url)


@bp.route("/cohorts/<int:cohort_id>/import/<any(firms, answers):kind>", methods=["GET", "POST"])
def import_file(cohort_id, kind):
    """Firms, or answers collected on paper or in another tool, from CSV or XLSX: all rows or none."""
    return imports.import_page(cohort_or_404(cohort_id), kind, questionnaire())


@bp.get("/import-templates/<any(firms, answers):kind>.<any(csv, xlsx):fmt>")
def import_template(kind, fmt):
    return imports.template_response(kind, fmt, questionnaire())


@bp.get("/cohorts/<int:cohort_id>/export/<any(firms, rounds, assessments):what>.<any(csv, xlsx):fmt>")
def export(cohort_id, what, fmt):
    return imports.export_response(cohort_or_404(cohort_id), what, fmt, questionnaire())
