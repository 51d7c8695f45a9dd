"""Import and export of a cohort's firms and answers (CSV, XLSX): the upload form and the helpers
behind the routes in cohorts.py. Checking the files is core/importing.py's job; this module reads
the upload, writes what was checked, and builds the downloads."""
import io

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from openpyxl import load_workbook
from openpyxl.styles import Font
from werkzeug.routing import BuildError

from assessment.completion import complete_assessment, refresh_firm_round
from assessment.core import import_templates, importing, spreadsheets
from assessment.core.cohort_tables import assessments_table, firms_table, rounds_table
from assessment.core.tables import answered_columns, score_keys
from assessment.db import get_db
from assessment.store import assessments, exchange, firms
from assessment.web.exports import collection_paused, readable_headers, table_response
from assessment.web.i18n import translate

KINDS = ("firms", "answers")


class ImportForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"), validators=[
        FileRequired(message=_l("Choose a CSV or XLSX file to upload.")),
        FileAllowed(list(spreadsheets.FORMATS), message=_l(
            "Only CSV (.csv) and Excel (.xlsx) files can be imported. In your spreadsheet program, "
            "use 'Save as' and choose CSV or Excel workbook."))])


def optional_url(endpoint, **values):
    """The URL of an endpoint that may not exist yet in this app (e.g. a page another part adds), or None."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


# --- import -------------------------------------------------------------------------------------

def import_page(cohort, kind, questionnaire):
    """GET shows the instructions and the form; POST imports the whole file or nothing."""
    form = ImportForm()
    errors = []
    if form.validate_on_submit():
        upload = form.file.data
        with upload.stream:  # a large upload is a temporary file: closed as soon as it is read
            data = upload.read()
        try:
            count = run_import(get_db(), cohort, kind, questionnaire, upload.filename, data)
        except spreadsheets.UnreadableFile as exc:
            form.file.errors.append(_("Nothing was imported: %(reason)s.", reason=str(exc)))
        except importing.ImportRejected as exc:
            errors = exc.errors
        else:
            return redirect(url_for("cohorts.import_file", cohort_id=cohort["id"], kind=kind, imported=count))
    return render_template("programme/import.html", form=form, cohort=cohort, kind=kind, errors=errors,
                           imported=request.args.get("imported", type=int), q=questionnaire,
                           columns=column_help(questionnaire, kind))


def run_import(db, cohort, kind, questionnaire, filename, data):
    """Reads, checks and stores one file; returns how many firms or assessments were imported.

    :raise spreadsheets.UnreadableFile: the file cannot be read as CSV or XLSX.
    :raise importing.ImportRejected: some row is wrong; nothing was stored.
    """
    table = spreadsheets.read_table(filename, data)
    if kind == "firms":
        return import_firms(db, cohort, questionnaire, table)
    return import_answers(db, cohort, questionnaire, table)


def import_firms(db, cohort, questionnaire, table):
    existing = [f["name"] for f in firms.firms_of_cohort(db, cohort["id"])]
    records = importing.parse_firms(questionnaire, table, existing)
    exchange.insert_firms(db, cohort["org_id"], cohort["id"], records)
    return len(records)


def import_answers(db, cohort, questionnaire, table):
    """Every row is checked (and test-scored) before the first is written; should writing still
    fail half-way (a full disk, a locked database), what was written is removed again."""
    by_key = {}
    for firm in firms.firms_of_cohort(db, cohort["id"]):
        by_key.setdefault(importing.firm_key(firm["name"]), []).append(firm)
    records = importing.parse_answers(questionnaire, table, by_key)
    importing.check_scorable(questionnaire, records)
    created = []
    try:
        for record in records:
            store_answer_record(db, questionnaire, record, created)
        exchange.raise_current_rounds(db, highest_rounds(records))
    except Exception:
        for firm_id, round_no in exchange.discard_assessments(db, created):
            refresh_firm_round(db, questionnaire, firm_id, round_no)
        raise
    return len(records)


def store_answer_record(db, questionnaire, record, created):
    """One completed assessment from a checked row; its id goes into ``created`` as soon as it exists."""
    row = assessments.create_assessment(db, questionnaire, firm_id=record.firm_id, round_no=record.round_no,
                                        respondent_role=record.respondent_role)
    created.append(row["id"])
    assessments.save_answers(db, row["id"], record.answers)
    complete_assessment(db, questionnaire, row, record.answers)


def highest_rounds(records):
    rounds = {}
    for record in records:
        rounds[record.firm_id] = max(rounds.get(record.firm_id, 0), record.round_no)
    return rounds


def column_help(questionnaire, kind):
    """(column, required, what it takes) for the import page's instructions."""
    if kind == "firms":
        return [("name", True, _l("the firm's name, once per cohort")),
                ("country", True, _l("ISO code (KE) or English name (Kenya)")),
                ("sector", True, ", ".join(o.value for o in questionnaire.profile_question("sector").options)),
                ("size_band", True, ", ".join(o.value for o in questionnaire.profile_question("size_band").options))]
    rows = [("firm", True, _l("name of a firm of this cohort")),
            ("round", True, _l("T0 for the intake, T1, T2… for follow-ups")),
            ("respondent_role", False, _l("e.g. owner, production; blank means 'imported'"))]
    for question in importing.answer_profile_questions(questionnaire):
        values = ", ".join(o.value for o in question.options)
        if question.type == "multi":
            values = _l("up to %(n)d of %(values)s, separated by ';'", n=question.max_choices, values=values)
        rows.append((question.id, question.required, values or _l("text")))
    rows.append((_l("one column per item, e.g. %(first)s … %(last)s", first=questionnaire.items[0].id,
                    last=questionnaire.items[-1].id), True,
                 _l("0-4, or na where the item allows 'not relevant'; blank only where a skip rule hides the item")))
    return rows


# --- templates and exports ----------------------------------------------------------------------

def template_response(kind, fmt, questionnaire):
    """The header row and one example row, built from the questionnaire so that they always match
    it; the XLSX version adds a sheet listing every accepted value."""
    if kind == "firms":
        headers, rows = import_templates.firms_template(questionnaire)
    else:
        headers, rows = import_templates.answers_template(questionnaire)
    filename = f"smartstep-{kind}-template"
    if fmt == "csv":
        return table_response(headers, rows, "csv", filename)
    response = table_response(headers, rows, "xlsx", filename)
    response.set_data(_with_choices_sheet(response.get_data(), kind, *import_templates.choice_lists(questionnaire)))
    return response


def _with_choices_sheet(body, kind, headers, rows):
    workbook = load_workbook(io.BytesIO(body))
    workbook.active.title = kind
    sheet = workbook.create_sheet("choices")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTS = ("firms", "rounds", "assessments")


def export_response(cohort, what, fmt, questionnaire):
    with collection_paused():
        return _export_response(get_db(), cohort, what, fmt, questionnaire)


def _export_response(db, cohort, what, fmt, questionnaire):
    if what == "firms":
        headers, rows = firms_table(questionnaire, firms.firms_of_cohort(db, cohort["id"]), translate)
        sheet = _l("Firms")
    elif what == "rounds":
        headers, rows = rounds_table(questionnaire, exchange.cohort_round_scores(db, cohort["id"]), translate)
        sheet = _l("Rounds")
    else:
        headers, rows = assessments_table(  # the stored results are let go before the workbook is written
            questionnaire, exchange.cohort_completed_assessments(
                db, cohort["id"], score_keys(questionnaire), answered_columns(questionnaire)),
            translate)
        sheet = _l("Assessments")
    return table_response(headers, rows, fmt, f"cohort-{cohort['id']}-{what}", sheet=sheet,
                          labels=readable_headers(questionnaire, headers))
