"""The respondent's way: landing, start, one page per pillar, review, results, resume."""
from flask import Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from assessment.core import pages, scoring
from assessment.db import get_db
from assessment.store import assessments, firms, workshops
from assessment.web import forms, page_shell, question_page
from assessment.completion import complete_assessment, save_page
from assessment.firm_report import (estimated_pdf_bytes, firm_picture, pdf_process_files, roadmap_pdf_in_pdf_process,
                                    roadmap_pdf_of)
from assessment.web.context import (assessment_or_404, assessment_with_answers_or_404, current_questionnaire,
                                    library, start_firm_assessment)
from assessment.web.pdf_cache import PdfCache
from assessment.web.offline import new_submission_id, now_ms, submission_from
from assessment.web.pdf_worker import pdf_worker
from assessment.web.security import limiter, page_csrf_token

bp = Blueprint("respondent", __name__)


def pdf_cache():
    """Built roadmap PDFs, in files every server worker shares (PDF_CACHE_DIR)."""
    return PdfCache(current_app.config["PDF_CACHE_DIR"])


def render_landing(resume_form=None, join_form=None):
    return render_template("respondent/landing.html", start_form=forms.ButtonForm(),
                           resume_form=resume_form or forms.ResumeForm(formdata=None),
                           join_form=join_form or forms.JoinForm(formdata=None))


@bp.get("/")
def landing():
    return render_landing()


@bp.post("/start")
def start():
    # The language the landing page was shown in stays with the assessment.
    row = assessments.create_assessment(get_db(), current_questionnaire(), language=str(get_locale()))
    return redirect(url_for(".started", token=row["token"]))


@bp.get("/a/<token>/started")
def started(token):
    row, questionnaire = assessment_or_404(token)
    answered = assessments.answers_of(get_db(), row["id"])
    return render_template("respondent/started.html", assessment=row, questionnaire=questionnaire,
                           code=assessments.format_code(row["resume_code"]),
                           carried=any(item.id in answered for item in questionnaire.items))


def _code_limit(counts):
    """One limit per client shared by every way to use a resume or workshop code, so that a guesser
    cannot try RESUME_CODE_LIMIT codes on each route in turn; only wrong codes count."""
    return limiter.shared_limit(lambda: current_app.config["RESUME_CODE_LIMIT"], scope="codes",
                                deduct_when=counts)


def _form_refused(response):
    return response.status_code != 302  # a right code redirects; a wrong one shows the form again


def _not_found(response):
    return response.status_code == 404


@bp.post("/resume")
@_code_limit(_form_refused)
def resume():
    form = forms.ResumeForm()
    if form.validate_on_submit():
        try:
            row = assessments.get_by_code(get_db(), form.code.data)
        except assessments.AssessmentNotFound:
            form.code.errors.append(_("We found no assessment with the code %(code)s. Check each "
                                      "letter and digit and try again.", code=form.code.data))
        else:
            return redirect(url_for(".continue_assessment", token=row["token"]))
    return render_landing(resume_form=form)


@bp.post("/join")
@_code_limit(_form_refused)
def join_by_code():
    """The landing page's workshop code box."""
    form = forms.JoinForm()
    if form.validate_on_submit():
        try:
            workshop = workshops.get_by_join_code(get_db(), form.code.data)
        except workshops.WorkshopNotFound:
            form.code.errors.append(_("No workshop has the code %(code)s. Check it on the screen "
                                      "and try again.", code=form.code.data))
        else:
            return redirect(url_for(".join", code=workshop["join_code"]))
    return render_landing(join_form=form)


@bp.route("/j/<code>", methods=["GET", "POST"])
@_code_limit(_not_found)
def join(code):
    """A workshop's join page (the QR code leads here): consent note, then a new assessment."""
    try:
        workshop = workshops.get_by_join_code(get_db(), code)
    except workshops.WorkshopNotFound:
        abort(404)
    form = forms.JoinConsentForm()
    if workshop["status"] == "open" and form.validate_on_submit():
        row = assessments.create_assessment(
            get_db(), current_questionnaire(workshop["questionnaire_id"]), language=workshop["language"],
            workshop_id=workshop["id"], share_name=form.share_name.data)
        return redirect(url_for(".started", token=row["token"]))
    return render_template("respondent/join.html", workshop=workshop, form=form)


@bp.route("/f/<token>", methods=["GET", "POST"])
def firm_invite(token):
    """A firm's invitation link: each respondent (owner, production manager…) starts their own
    assessment for the firm's current round."""
    try:
        firm = firms.get_by_invite(get_db(), token)
    except firms.FirmNotFound:
        abort(404)
    form = forms.RespondentRoleForm()
    if form.validate_on_submit():
        row = start_firm_assessment(firm, role=form.role.data)
        return redirect(url_for(".started", token=row["token"]))
    return render_template("respondent/firm_invite.html", firm=firm, form=form)


@bp.get("/a/<token>")
def continue_assessment(token):
    """A resume link: back to the results when done, else to the first page still open."""
    row, questionnaire = assessment_or_404(token)
    if row["status"] == "completed":
        return redirect(url_for(".results", token=token))
    open_page = pages.first_open_page(questionnaire, assessments.answers_of(get_db(), row["id"]))
    if open_page is None:
        return redirect(url_for(".review", token=token))
    return redirect(url_for(".page", token=token, page_id=open_page))


@bp.route("/a/<token>/p/<page_id>", methods=["GET", "POST"])
def page(token, page_id):
    row, questionnaire, stored = assessment_with_answers_or_404(token)
    if page_id not in questionnaire.page_ids:
        abort(404)
    questions = pages.questions_on(questionnaire, page_id, pages.profile_answers(questionnaire, stored))
    make_field = forms.profile_field if page_id == pages.PROFILE_PAGE else forms.item_field
    if request.method == "GET":
        return _render_page(row, questionnaire, page_id, questions, make_field, stored)
    form = forms.page_form(questions, make_field, formdata=request.form)
    return _handle_page_post(row, questionnaire, page_id, questions, make_field, form)


def _handle_page_post(row, questionnaire, page_id, questions, make_field, form):
    going_back = request.form.get("nav") == "back"
    valid = form.validate()  # CSRF is already checked for every POST by CSRFProtect
    saved = save_page(get_db(), questionnaire, row, _valid_answers(form, questions),
                      submission_from(request.form), page_id)
    if saved.kept_newer:  # another phone answered later: its answers stay, and this one is told
        flash(_("Some answers on this page were changed on another phone after you chose them "
                "here. The newer answers are shown; change them if they are not right."))
        return redirect(url_for(".page", token=row["token"], page_id=page_id))
    previous, following = pages.neighbours(questionnaire, page_id)
    if going_back:
        return redirect(url_for(".page", token=row["token"], page_id=previous) if previous
                        else url_for(".started", token=row["token"]))
    if not valid:
        return _render_page(row, questionnaire, page_id, questions, make_field, {}, form), 200
    if following:
        return redirect(url_for(".page", token=row["token"], page_id=following))
    return redirect(url_for(".review", token=row["token"]))


def _valid_answers(form, questions):
    """The answers on this page worth keeping, even when others are missing; an emptied text field
    removes its stored value."""
    kept = {}
    for question in questions:
        field = form[question.id]
        if field.errors and field.data not in (None, "", []):
            continue  # a value that failed its check (too long, too many choices) is not stored
        value = field.data
        if pages.is_answered(question, value):
            kept[question.id] = value.strip() if isinstance(value, str) else value
        elif getattr(question, "type", None) == "text":
            kept[question.id] = None
    return kept


def _render_page(row, questionnaire, page_id, questions, make_field, answers, form=None):
    """The page with ``answers`` marked (stored ones on a GET), or after a refused POST the posted
    ``form`` with its errors."""
    index = questionnaire.page_ids.index(page_id)
    html = question_page.questions_html(questionnaire, questions, make_field, answers, form)
    key = (questionnaire.id, questionnaire.version, page_id, tuple(q.id for q in questions))
    return page_shell.render_question_page(
        key, row["token"], html, FRESH_PAGE_VALUES, assessment=row, questionnaire=questionnaire,
        page_id=page_id, pillar=None if page_id == pages.PROFILE_PAGE else questionnaire.pillar(page_id),
        questions=questions, form=form, step=index + 1, steps=len(questionnaire.page_ids) + 1,
        has_errors=bool(form is not None and form.errors))


# What a question page carries that is new on every request.
FRESH_PAGE_VALUES = {"csrf": page_csrf_token, "sid": new_submission_id, "loaded": lambda: str(now_ms())}


@bp.route("/a/<token>/review", methods=["GET", "POST"])
def review(token):
    row, questionnaire = assessment_or_404(token)
    answers = assessments.answers_of(get_db(), row["id"])
    open_page = pages.first_open_page(questionnaire, answers)
    form = forms.ButtonForm()
    if request.method == "POST" and form.validate_on_submit() and open_page is None:
        complete_assessment(get_db(), questionnaire, row, answers)
        return redirect(_after_completion(row))
    return render_template("respondent/review.html", assessment=row, questionnaire=questionnaire,
                           answers=answers, open_page=open_page, form=form,
                           profile=pages.profile_answers(questionnaire, answers),
                           step=len(questionnaire.page_ids) + 1, steps=len(questionnaire.page_ids) + 1)


def _after_completion(row):
    """Staff who entered a firm's answers go back to the firm's page; respondents to their results."""
    user = g.get("user")
    if row["respondent_role"] == "staff entry" and user is not None and row["firm_id"] is not None:
        try:
            firms.get_firm(get_db(), row["firm_id"], user["org_id"])
        except firms.FirmNotFound:
            pass
        else:
            flash(_("Answers saved: the firm's levels and roadmap below include them."))
            return url_for("cohorts.firm", firm_id=row["firm_id"])
    return url_for(".results", token=row["token"])


def _picture_or_redirect(token):
    row, _questionnaire = assessment_or_404(token)
    try:
        return firm_picture(get_db(), library(), row), None
    except assessments.AssessmentNotFound:
        return None, redirect(url_for(".continue_assessment", token=token))


def _roadmap_pdf_bytes(row, language):
    resume_url = url_for(".continue_assessment", token=row["token"], _external=True)
    key = (row["id"], row["updated_at"], resume_url, language)  # any saved change makes a new PDF
    return pdf_cache().get_or_build(key, lambda: _build_roadmap_pdf(row["id"], resume_url, language))


def _build_roadmap_pdf(assessment_id, resume_url, language):
    config = current_app.config
    if not config["PDF_WORKER"]:
        return roadmap_pdf_of(get_db(), library(), assessment_id, resume_url, language)
    return pdf_worker.run(roadmap_pdf_in_pdf_process, *pdf_process_files(config), assessment_id, resume_url, language)


def _pdf_size_kb(picture):
    """The PDF's size for the download link: exact once built, else estimated from the roadmap's
    length, so that showing the results never waits for a PDF (a room finishes at once)."""
    row = picture.assessment
    resume_url = url_for(".continue_assessment", token=row["token"], _external=True)
    size = pdf_cache().size((row["id"], row["updated_at"], resume_url, row["language"]))
    size = size or estimated_pdf_bytes(len(picture.roadmap.steps))
    return max(1, round(size / 1024))


@bp.get("/a/<token>/results")
def results(token):
    picture, redirection = _picture_or_redirect(token)
    if redirection:
        return redirection
    questionnaire, result = picture.questionnaire, picture.result
    gaps = scoring.biggest_gaps(questionnaire, result)
    strengths = scoring.strongest_areas(questionnaire, result, exclude=[d.id for d, _e in gaps])
    pdf_kb = _pdf_size_kb(picture)
    return render_template("respondent/results.html", assessment=picture.assessment,
                           questionnaire=questionnaire, result=result, gaps=gaps, strengths=strengths,
                           roadmap=picture.roadmap, pdf_kb=pdf_kb,
                           code=assessments.format_code(picture.assessment["resume_code"]))


@bp.get("/a/<token>/roadmap.pdf")
def roadmap_download(token):
    # Only the assessment's row here: the roadmap itself is worked out where the PDF is built, and
    # not at all when the PDF is in the cache already.
    row, _questionnaire = assessment_or_404(token)
    if not assessments.has_result(get_db(), row["id"]):
        return redirect(url_for(".continue_assessment", token=token))
    # ?language=xx: the same roadmap in another language (the assessment keeps its own).
    asked = request.args.get("language")
    language = asked if asked in current_app.config["LANGUAGES"] else row["language"]
    try:
        pdf = _roadmap_pdf_bytes(row, language)
    except assessments.AssessmentNotFound:  # reopened or deleted since the check above
        return redirect(url_for(".continue_assessment", token=token))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'attachment; filename="smartstep-roadmap.pdf"'
    return response
