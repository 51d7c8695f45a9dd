"""Programme managers' pages: cohorts, firms, rounds, peer benchmark, firm invitations."""
import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import format_decimal, ngettext

from flask_babel import get_locale

from assessment.cohort_report import cohort_picture, firm_picture, table_keys
from assessment.core.paging import PageNumberInvalid, PageOutOfRange, paging
from assessment.db import get_db
from assessment.store import benchmarks, deletions, firms
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


@bp.app_template_global()
def progress_text(score_change, level_change):
    """A change between rounds read as progress: "+0.50, up 1 level", "no change", "-0.25, lower"."""
    if abs(score_change) < 0.005:
        return _("no change")
    number = format_decimal(score_change, format="+0.00;-0.00")
    if level_change > 0:
        return ngettext("%(change)s, up %(num)d level", "%(change)s, up %(num)d levels", level_change, change=number)
    if level_change < 0:
        return ngettext("%(change)s, down %(num)d level", "%(change)s, down %(num)d levels", -level_change,
                        change=number)
    return _("%(change)s, same level", change=number) if score_change < 0 else _(
        "%(change)s, closer to the next level", change=number)


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
            flash(_("Cohort “%(name)s” created. Add its firms below, one by one or from a file.", name=cohort["name"]))
            return redirect(url_for(".cohort", cohort_id=cohort["id"]))
    return render_template("programme/index.html", form=form, cohorts=firms.cohorts_of(get_db(), g.user["org_id"]))


def _dates(form):
    return form.starts_on.data.isoformat(), form.ends_on.data.isoformat() if form.ends_on.data else None


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
def edit_cohort(cohort_id):
    record = cohort_or_404(cohort_id)
    form = CohortForm(data={"name": record["name"], "starts_on": datetime.date.fromisoformat(record["starts_on"]),
                            "ends_on": datetime.date.fromisoformat(record["ends_on"]) if record["ends_on"] else None})
    if form.validate_on_submit():
        try:
            firms.update_cohort(get_db(), cohort_id, g.user["org_id"], form.name.data, *_dates(form))
        except firms.DuplicateName as exc:
            form.name.errors.append(str(exc).capitalize() + ".")
        else:
            flash(_("Cohort saved."))
            return redirect(url_for(".cohort", cohort_id=cohort_id))
    return render_template("programme/edit.html", form=form, fields=[form.name, form.starts_on, form.ends_on],
                           title=_("Edit the cohort “%(name)s”", name=record["name"]),
                           cancel=url_for(".cohort", cohort_id=cohort_id),
                           delete=url_for(".delete_cohort", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/delete", methods=["GET", "POST"])
def delete_cohort(cohort_id):
    record = cohort_or_404(cohort_id)
    if request.method == "POST" and ButtonForm().validate_on_submit():
        firm_count, removed = deletions.delete_cohort(get_db(), record, f"user:{g.user['id']}")
        flash(_("Cohort “%(name)s” deleted, with %(firms)s and %(answers)s.", name=record["name"],
                firms=ngettext("%(num)d firm", "%(num)d firms", firm_count),
                answers=ngettext("%(num)d assessment", "%(num)d assessments", removed)))
        return redirect(url_for(".index"))
    firm_count = benchmarks.cohort_firm_count(get_db(), cohort_id)
    assessments_count = firms.cohort_assessment_count(get_db(), cohort_id)
    return render_template(
        "staff/confirm.html", form=ButtonForm(), danger=True,
        title=_("Delete the cohort “%(name)s”?", name=record["name"]),
        consequences=[_("Its %(firms)s go with it, with their %(answers)s, rounds and roadmaps.",
                        firms=ngettext("%(num)d firm", "%(num)d firms", firm_count),
                        answers=ngettext("%(num)d assessment", "%(num)d assessments", assessments_count)),
                      _("They leave every benchmark, peer group and export. This cannot be undone.")],
        button=_("Delete the cohort and its firms"), action=url_for(".delete_cohort", cohort_id=cohort_id),
        cancel=url_for(".cohort", cohort_id=cohort_id))


NAME_SEARCH_MAX = 100  # characters of ?q= kept: a firm name is shorter


@bp.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id):
    """The cohort's group figures and one page of its firm list (?page=, ?sort=, ?dir=, ?q= for a
    part of a firm's name). A page that is not there leads to the first or last page."""
    record = cohort_or_404(cohort_id)
    q = questionnaire()
    sort = request.args.get("sort", "name")
    name_part = request.args.get("q", "").strip()[:NAME_SEARCH_MAX]
    try:
        picture = cohort_picture(get_db(), library(), q, record, sort, request.args.get("dir") == "desc",
                                 paged=True, page=request.args.get("page"), name_part=name_part)
    except (PageNumberInvalid, PageOutOfRange) as exc:
        return redirect(_list_url(cohort_id, "last" if isinstance(exc, PageOutOfRange) else 1))
    return render_template("programme/cohort.html", picture=picture, q=q, keys=table_keys(q),
                           firm_form=FirmForm(questionnaire=q, formdata=None))


def _list_url(cohort_id, page):
    """The cohort page with this request's sort and search, at ``page`` ("last": the last one)."""
    args = {k: v for k, v in request.args.items() if k in ("sort", "dir", "q") and v}
    if page == "last":
        name_part = args.get("q", "").strip()[:NAME_SEARCH_MAX]
        page = paging(None, benchmarks.cohort_firm_count(get_db(), cohort_id, name_part)).pages
    return url_for(".cohort", cohort_id=cohort_id, page=page if page != 1 else None, **args) + "#firms"




@bp.post("/cohorts/<int:cohort_id>/firms")
def add_firm(cohort_id):
    record = cohort_or_404(cohort_id)
    q = questionnaire()
    form = FirmForm(questionnaire=q)
    duplicate = False
    if form.validate_on_submit():
        duplicate = firms.name_taken(get_db(), cohort_id, form.name.data) and not form.add_anyway.data
        if duplicate:
            form.name.errors.append(_("A firm called “%(name)s” is already in this cohort. If this is another firm "
                                      "with the same name, tick the box below and add it again.", name=form.name.data))
        else:
            firm = firms.create_firm(get_db(), g.user["org_id"], form.name.data, form.country.data, form.sector.data,
                                     form.size_band.data, q.regions().get(form.country.data, "global"),
                                     cohort_id=record["id"])
            flash(_("Firm “%(name)s” added. Send it the invitation link below, or enter its answers yourself.",
                    name=firm["name"]))
            return redirect(url_for(".firm", firm_id=firm["id"]))
    # The form comes first on the page when it has something to say, where the eye is.
    picture = cohort_picture(get_db(), library(), q, record, paged=True)
    return render_template("programme/cohort.html", picture=picture, q=q, keys=table_keys(q), firm_form=form,
                           form_first=True, duplicate=duplicate), 200


@bp.route("/firms/<int:firm_id>/edit", methods=["GET", "POST"])
def edit_firm(firm_id):
    """Corrects a firm's name, country, sector or size; its results move to the corrected peer group."""
    record = firm_or_404(firm_id)
    q = questionnaire()
    form = FirmForm(questionnaire=q, data=dict(record))
    del form.add_anyway
    if form.validate_on_submit():
        if record["cohort_id"] and firms.name_taken(get_db(), record["cohort_id"], form.name.data, firm_id):
            form.name.errors.append(_("Another firm of this cohort is called “%(name)s”.", name=form.name.data))
        else:
            firms.update_firm(get_db(), firm_id, g.user["org_id"], form.name.data, form.country.data, form.sector.data,
                              form.size_band.data, q.regions().get(form.country.data, "global"))
            flash(_("Firm saved."))
            return redirect(url_for(".firm", firm_id=firm_id))
    return render_template("programme/edit.html", form=form,
                           fields=[form.name, form.country, form.sector, form.size_band],
                           title=_("Edit the firm “%(name)s”", name=record["name"]),
                           cancel=url_for(".firm", firm_id=firm_id), delete=url_for(".delete_firm", firm_id=firm_id))


@bp.route("/firms/<int:firm_id>/delete", methods=["GET", "POST"])
def delete_firm(firm_id):
    record = firm_or_404(firm_id)
    back = url_for(".cohort", cohort_id=record["cohort_id"]) if record["cohort_id"] else url_for(".index")
    if request.method == "POST" and ButtonForm().validate_on_submit():
        removed = deletions.delete_firm(get_db(), record, f"user:{g.user['id']}")
        flash(ngettext("Firm “%(name)s” deleted, with %(num)d assessment.",
                       "Firm “%(name)s” deleted, with %(num)d assessments.", removed, name=record["name"]))
        return redirect(back)
    count = len(firms.firm_assessments(get_db(), firm_id))
    return render_template(
        "staff/confirm.html", form=ButtonForm(), danger=True, title=_("Delete the firm “%(name)s”?", name=record["name"]),
        consequences=[ngettext("Its %(num)d assessment goes with it, with every round, level and roadmap status.",
                               "Its %(num)d assessments go with it, with every round, level and roadmap status.", count),
                      _("Its answers leave the cohort's figures, peer benchmarks and exports; its invitation and "
                        "resume links stop working. This cannot be undone.")],
        button=_("Delete the firm and its data"), action=url_for(".delete_firm", firm_id=firm_id),
        cancel=url_for(".firm", firm_id=firm_id))


@bp.get("/firms/<int:firm_id>")
def firm(firm_id):
    from assessment.web.workshops import is_loopback

    record = firm_or_404(firm_id)
    picture = firm_picture(get_db(), library(), questionnaire(), record)
    activity = firms.round_activity(get_db(), firm_id, record["current_round"])
    return render_template("programme/firm.html", picture=picture, q=questionnaire(), button=ButtonForm(),
                           invite_url=url_for("respondent.firm_invite", token=record["invite_token"], _external=True),
                           loopback=is_loopback(request.host),
                           can_undo=record["current_round"] > 0 and not activity["answered"])


@bp.route("/firms/<int:firm_id>/next-round", methods=["GET", "POST"])
def next_round(firm_id):
    """GET: what starting the next round changes (and a warning when this round has no answers);
    POST: start it. It can be undone while nobody has answered in it."""
    record = firm_or_404(firm_id)
    current, following = record["current_round"], record["current_round"] + 1
    if request.method == "POST" and ButtonForm().validate_on_submit():
        firms.start_next_round(get_db(), firm_id, g.user["org_id"])
        flash(_("Round T%(b)d started: the invitation link now leads to T%(b)d. You can undo this while nobody "
                "has answered in T%(b)d.", b=following))
        return redirect(url_for(".firm", firm_id=firm_id))
    activity = firms.round_activity(get_db(), firm_id, current)
    warning = None if activity["completed"] else _(
        "Round T%(a)d has no completed answers yet. If you start T%(b)d now, T%(a)d stays without results and "
        "the link no longer leads to it.", a=current, b=following)
    return render_template(
        "staff/confirm.html", form=ButtonForm(), warning=warning,
        title=_("Start round T%(b)d for “%(name)s”?", b=following, name=record["name"]),
        consequences=[_("The firm's invitation link (the same address) then leads to round T%(b)d: everyone who "
                        "opens it from now on answers for T%(b)d, and answers you enter yourself count for T%(b)d.",
                        b=following),
                      _("Results of T%(a)d stay as they are, and the firm page compares T%(a)d with T%(b)d once "
                        "T%(b)d has answers.", a=current, b=following),
                      _("You can undo this while nobody has answered in T%(b)d.", b=following)],
        button=_("Start round T%(b)d", b=following), action=url_for(".next_round", firm_id=firm_id),
        cancel=url_for(".firm", firm_id=firm_id))


@bp.post("/firms/<int:firm_id>/undo-round")
def undo_round(firm_id):
    record = firm_or_404(firm_id)
    try:
        firms.undo_round(get_db(), firm_id, g.user["org_id"])
    except firms.RoundHasAnswers:
        flash(_("Round T%(b)d cannot be undone: answers were given in it.", b=record["current_round"]))
    else:
        flash(_("Round T%(b)d undone: the firm is back in round T%(a)d, and the invitation link leads there again.",
                b=record["current_round"], a=record["current_round"] - 1))
    return redirect(url_for(".firm", firm_id=firm_id))


@bp.post("/firms/<int:firm_id>/enter")
def enter_answers(firm_id):
    """Staff type in answers (from a visit or a paper form) through the respondent's pages, straight
    to the questions (the respondent's "keep your code" page is not for staff); when done, the
    review page brings them back to the firm."""
    record = firm_or_404(firm_id)
    row = start_firm_assessment(record, role="staff entry")
    return redirect(url_for("respondent.continue_assessment", token=row["token"]))


@bp.get("/firms/<int:firm_id>/data.<any(json, pdf):fmt>")
def firm_data(firm_id, fmt):
    """Everything SmartStep holds about the firm (its data-rights download), as JSON or PDF."""
    from assessment.data_rights import firm_export
    from assessment.web.data_rights import json_download, pdf_download
    from assessment.web.forms import NOT_RELEVANT_TEXT
    from assessment.web.i18n import translate

    data = firm_export(get_db(), library(), firm_or_404(firm_id), translate, str(NOT_RELEVANT_TEXT))
    return (json_download if fmt == "json" else pdf_download)(data, f"smartstep-firm-{firm_id}-data")


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
    return build_cohort_pdf(picture, str(get_locale()), translations=library().translations), 200, {
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
