"""A firm's data rights from its resume link: see what is held, download it (JSON, PDF), delete it.
The programme side (a firm of the staff member's organisation) is in cohorts.py."""
import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from assessment.data_rights import delete_respondent_data, respondent_export
from assessment.db import get_db
from assessment.web.context import assessment_or_404, current_questionnaire, library
from assessment.web.forms import NOT_RELEVANT_TEXT
from assessment.web.forms import ButtonForm
from assessment.web.i18n import translate

bp = Blueprint("data_rights", __name__)


def json_download(data, filename):
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return body, 200, {"Content-Type": "application/json; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="{filename}.json"'}


def pdf_download(data, filename):
    from assessment.core.pdf.data_pdf import DataNames, build_data_pdf
    names = DataNames(current_questionnaire(), {a.id: a for a in library().actions}, library().translations)
    return build_data_pdf(data, str(get_locale() or "en"), names), 200, {
        "Content-Type": "application/pdf", "Content-Disposition": f'attachment; filename="{filename}.pdf"'}


@bp.get("/a/<token>/your-data")
def overview(token):
    row, _questionnaire = assessment_or_404(token)
    return render_template("respondent/your_data.html", assessment=row)


@bp.get("/a/<token>/your-data.<any(json, pdf):fmt>")
def download(token, fmt):
    row, _questionnaire = assessment_or_404(token)
    data = respondent_export(get_db(), library(), row, translate, str(NOT_RELEVANT_TEXT))
    return (json_download if fmt == "json" else pdf_download)(data, "smartstep-your-data")


@bp.route("/a/<token>/delete", methods=["GET", "POST"])
def delete(token):
    row, _questionnaire = assessment_or_404(token)
    if request.method == "POST" and ButtonForm().validate_on_submit():
        delete_respondent_data(get_db(), library(), row)
        flash(_("Your answers, results and roadmap were deleted. Your resume link and code no longer work."))
        return redirect(url_for("respondent.landing"))
    consequences = [_("Your answers, your levels and your roadmap are deleted from SmartStep. Your resume link and "
                      "code stop working, and the PDF can no longer be downloaded."),
                    _("Your answers also leave every group figure and export (a workshop's, a programme's).")]
    if row["firm_id"] is not None:
        consequences.append(_("The programme keeps the firm's name and the answers of its other respondents; ask the "
                              "programme to delete the firm's record as a whole."))
    return render_template("staff/confirm.html", form=ButtonForm(), danger=True,
                           title=_("Delete your assessment?"), consequences=consequences,
                           button=_("Delete my data"), action=url_for(".delete", token=token),
                           cancel=url_for(".overview", token=token))
