"""Access to the loaded data library and the assessment named in a URL, for the views."""
from flask import abort, current_app, g, request

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
    """A new assessment for the firm's current round, with the profile filled in from the firm."""
    db = get_db()
    row = assessments.create_assessment(db, current_questionnaire(), firm_id=firm["id"],
                                        round_no=firm["current_round"], respondent_role=role)
    assessments.save_answers(db, row["id"], {"firm_name": firm["name"], "country": firm["country"],
                                             "sector": firm["sector"], "size_band": firm["size_band"]})
    return row
