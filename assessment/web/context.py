"""Access to the loaded data library and the assessment named in a URL, for the views."""
from flask import abort, current_app, g, request

from assessment.core.carry_over import carried_answers
from assessment.db import get_db
from assessment.store import assessments, questionnaires


def library():
    return current_app.extensions["smartstep.library"]


def current_questionnaire(questionnaire_id=None):
    """The questionnaire new assessments start with (the default one unless named), registered so
    that results can refer to its exact version."""
    questionnaire = library().questionnaires[questionnaire_id or current_app.config["DEFAULT_QUESTIONNAIRE"]]
    questionnaires.register_questionnaire(get_db(), questionnaire)
    return questionnaire


def assessment_or_404(token):
    """The assessment with this resume token and the questionnaire version it uses.

    :raise 404: for an unknown or malformed token.
    """
    db = get_db()
    try:
        row = assessments.get_by_token(db, token)
    except assessments.AssessmentNotFound:
        abort(404)
    return _with_questionnaire(db, row)


def assessment_with_answers_or_404(token):
    """assessment_or_404's (row, questionnaire), and the assessment's answers, read together."""
    db = get_db()
    try:
        row, answers = assessments.get_with_answers(db, token)
    except assessments.AssessmentNotFound:
        abort(404)
    row, questionnaire = _with_questionnaire(db, row)
    return row, questionnaire, answers


def _with_questionnaire(db, row):
    row = _follow_language_switch(db, row)
    g.assessment_language = row["language"]
    return row, questionnaires.stored_questionnaire(db, row["questionnaire_id"], row["questionnaire_version"],
                                                    library().translations)


def _follow_language_switch(db, row):
    """A respondent who switches language on an assessment's page answers (and gets the PDF) in it."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and asked != row["language"]:
        assessments.set_language(db, row["id"], asked)
        row = assessments.get_assessment(db, row["id"])
    return row


def start_firm_assessment(firm, role):
    """A new assessment for the firm's current round, with the profile filled in from the firm and,
    from its last completed round, the answers to items that have not changed since (to be checked)."""
    db = get_db()
    questionnaire = current_questionnaire()
    row = assessments.create_assessment(db, questionnaire, firm_id=firm["id"],
                                        round_no=firm["current_round"], respondent_role=role)
    answers = _answers_from_last_round(db, firm, role, questionnaire)
    answers.update({"firm_name": firm["name"], "country": firm["country"],
                    "sector": firm["sector"], "size_band": firm["size_band"]})
    assessments.save_answers(db, row["id"], answers)
    return row


def _answers_from_last_round(db, firm, role, questionnaire):
    previous = assessments.last_completed_for_firm(db, firm["id"], firm["current_round"], role)
    if previous is None:
        return {}
    earlier = questionnaires.stored_questionnaire(db, previous["questionnaire_id"], previous["questionnaire_version"])
    return carried_answers(earlier, questionnaire, assessments.answers_of(db, previous["id"]))
