"""Assessments, their answers and their stored results."""
import json
import secrets
import sqlite3

from assessment.db import write_transaction
from assessment.core.scoring import score_rows
from assessment.store.clock import now
from assessment.store.rows import one_row
from assessment.store.codes import new_code, normalise_code

CODE_LENGTH = 8
TOKEN_BYTES = 16  # 128 bits


class AssessmentNotFound(LookupError):
    """No assessment has that id, token or resume code."""


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_resume_code():
    return new_code(CODE_LENGTH)


def format_code(code):
    """ABCD-EFGH: easier to read aloud and copy by hand."""
    return f"{code[:4]}-{code[4:]}"


LINK_COLUMNS = ("workshop_id", "share_name", "firm_id", "round_no", "respondent_role")


def create_assessment(db, questionnaire, language="en", **links):
    """Starts an assessment and returns its row. ``links`` ties it to a workshop (workshop_id,
    share_name) or to a firm's round (firm_id, round_no, respondent_role)."""
    unknown = set(links) - set(LINK_COLUMNS)
    if unknown:
        raise TypeError(f"unknown assessment links: {sorted(unknown)}")
    links = {k: (int(bool(v)) if k == "share_name" else v) for k, v in links.items()}
    for _attempt in range(5):  # a resume code can collide once the database is large: draw again
        try:
            return get_assessment(db, _insert_assessment(db, questionnaire, language, links))
        except sqlite3.IntegrityError as exc:
            if "resume_code" not in str(exc) and "token" not in str(exc):
                raise
    raise RuntimeError("could not draw a free resume code")


def _insert_assessment(db, questionnaire, language, links):
    stamp = now()
    columns = ["token", "resume_code", "questionnaire_id", "questionnaire_version", "language",
               "created_at", "updated_at"] + list(links)
    values = [new_token(), new_resume_code(), questionnaire.id, questionnaire.version, language,
              stamp, stamp] + list(links.values())
    with write_transaction(db):
        cursor = db.execute(f"INSERT INTO assessments ({', '.join(columns)}) "
                            f"VALUES ({', '.join('?' * len(columns))})", values)
    return cursor.lastrowid


def set_language(db, assessment_id, language):
    """The language the respondent answers in (and the PDF is written in) from now on."""
    with write_transaction(db):
        db.execute("UPDATE assessments SET language = ? WHERE id = ?", [language, assessment_id])


def get_assessment(db, assessment_id):
    return _one(db, "id = ?", [assessment_id])


def get_by_token(db, token):
    _check_token(token)
    return _one(db, "token = ?", [token])


def _check_token(token):
    """A malformed token is refused before any query."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        raise AssessmentNotFound(token)


# An assessment's answers as one JSON object built by SQLite ({} names the assessment's id).
ANSWERS_JSON = "SELECT json_group_object(question_id, json(value)) FROM answers WHERE assessment_id = {}"


def get_with_answers(db, token):
    """(get_by_token's row, answers_of's answers) read in one statement: the pages every respondent
    opens need both, and each statement makes a server thread let go of the interpreter."""
    _check_token(token)
    row = one_row(db, f"SELECT *, ({ANSWERS_JSON.format('assessments.id')}) AS answers_json "
                      "FROM assessments WHERE token = ?", [token], AssessmentNotFound(token))
    return row, json.loads(row.pop("answers_json"))


def get_by_code(db, typed_code):
    code = normalise_code(typed_code)
    if len(code) != CODE_LENGTH:
        raise AssessmentNotFound(typed_code)
    return _one(db, "resume_code = ?", [code])


def _one(db, where, params):
    return one_row(db, f"SELECT * FROM assessments WHERE {where}", params, AssessmentNotFound(params[0]))


def save_answers(db, assessment_id, answers):
    """Stores a page's answers in one short transaction; a value of None removes that answer."""
    stamp = now()
    with write_transaction(db):
        for question_id, value in answers.items():
            if value is None:
                db.execute("DELETE FROM answers WHERE assessment_id = ? AND question_id = ?",
                           [assessment_id, question_id])
            else:
                db.execute(
                    "INSERT INTO answers (assessment_id, question_id, value, updated_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id, question_id) "
                    "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    [assessment_id, question_id, json.dumps(value, ensure_ascii=False), stamp])
        db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, assessment_id])


def answers_of(db, assessment_id):
    """question id -> stored value (a string, or a list for multiple-choice questions).

    One JSON object built by SQLite: a single step instead of one per answer (each step lets go of
    Python's lock, which a busy server thread then waits to take back)."""
    (answers,) = db.execute(ANSWERS_JSON.format("?"), [assessment_id]).fetchone()
    return json.loads(answers)


def store_result(db, assessment_id, result):
    """Saves the scores with the questionnaire version they came from, and marks the assessment done."""
    stamp = now()
    overall = result["overall"]
    with write_transaction(db):
        db.execute(
            "INSERT INTO results (assessment_id, questionnaire_id, questionnaire_version, "
            "overall_score, overall_level, scores, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (assessment_id) DO UPDATE SET questionnaire_id = excluded.questionnaire_id, "
            "questionnaire_version = excluded.questionnaire_version, overall_score = excluded.overall_score, "
            "overall_level = excluded.overall_level, scores = excluded.scores, computed_at = excluded.computed_at",
            [assessment_id, result["questionnaire"]["id"], result["questionnaire"]["version"],
             overall["score"], overall["level"], json.dumps(result), stamp])
        db.execute("DELETE FROM result_scores WHERE assessment_id = ?", [assessment_id])
        for key, score, level in score_rows(result):
            db.execute("INSERT INTO result_scores (assessment_id, key, score, level) VALUES (?, ?, ?, ?)",
                       [assessment_id, key, score, level])
        db.execute("UPDATE assessments SET status = 'completed', completed_at = coalesce(completed_at, ?), "
                   "updated_at = ? WHERE id = ?", [stamp, stamp, assessment_id])


def reopen(db, assessment_id):
    """Back to in progress (a changed answer opened new questions): its result is removed until it
    is completed again; completed_at keeps the first completion."""
    with write_transaction(db):
        db.execute("DELETE FROM result_scores WHERE assessment_id = ?", [assessment_id])
        db.execute("DELETE FROM results WHERE assessment_id = ?", [assessment_id])
        db.execute("UPDATE assessments SET status = 'in_progress', updated_at = ? WHERE id = ?",
                   [now(), assessment_id])


def result_of(db, assessment_id):
    """The stored result, exactly as scored; raises AssessmentNotFound when there is none yet."""
    rows = list(db.query("SELECT scores FROM results WHERE assessment_id = ?", [assessment_id]))
    if not rows:
        raise AssessmentNotFound(assessment_id)
    return json.loads(rows[0]["scores"])


def has_result(db, assessment_id):
    """Whether the assessment has a stored result (result_of would find one), read without decoding it."""
    return db.execute("SELECT 1 FROM results WHERE assessment_id = ?", [assessment_id]).fetchone() is not None


def last_completed_for_firm(db, firm_id, before_round, respondent_role=None):
    """The firm's most recent completed assessment from an earlier round: the same respondent role's
    when there is one, else anyone's; None when the firm has none."""
    rows = list(db.query(
        "SELECT * FROM assessments WHERE firm_id = ? AND round_no < ? AND status = 'completed' "
        "ORDER BY (respondent_role IS ?) DESC, round_no DESC, completed_at DESC, id DESC LIMIT 1",
        [firm_id, before_round, respondent_role]))
    return rows[0] if rows else None
