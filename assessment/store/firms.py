"""Firms, cohorts and assessment rounds (T0, T1, …) of an incubator or programme."""
import json
import sqlite3

from assessment.core.scoring import score_rows
from assessment.db import write_transaction
from assessment.store.assessments import new_token
from assessment.store.clock import now
from assessment.store.rows import one_row


class FirmNotFound(LookupError):
    pass


class CohortNotFound(LookupError):
    pass


class DuplicateName(ValueError):
    pass


def round_label(round_no):
    return f"T{round_no}"


def create_cohort(db, org_id, name, starts_on, ends_on=None):
    try:
        with write_transaction(db):
            cursor = db.execute(
                "INSERT INTO cohorts (org_id, name, starts_on, ends_on, created_at) VALUES (?, ?, ?, ?, ?)",
                [org_id, name, starts_on, ends_on, now()])
    except sqlite3.IntegrityError as exc:
        raise DuplicateName(f"a cohort called {name!r} exists already") from exc
    return get_cohort(db, cursor.lastrowid, org_id)


def get_cohort(db, cohort_id, org_id):
    return one_row(db, "SELECT * FROM cohorts WHERE id = ? AND org_id = ?", [cohort_id, org_id],
                   CohortNotFound(cohort_id))


def cohorts_of(db, org_id):
    return list(db.query(
        "SELECT c.*, (SELECT count(*) FROM firms f WHERE f.cohort_id = c.id) AS firms "
        "FROM cohorts c WHERE c.org_id = ? ORDER BY c.starts_on DESC, c.id DESC", [org_id]))


def update_cohort(db, cohort_id, org_id, name, starts_on, ends_on=None):
    try:
        with write_transaction(db):
            db.execute("UPDATE cohorts SET name = ?, starts_on = ?, ends_on = ? WHERE id = ? AND org_id = ?",
                       [name, starts_on, ends_on, cohort_id, org_id])
    except sqlite3.IntegrityError as exc:
        raise DuplicateName(f"a cohort called {name!r} exists already") from exc
    return get_cohort(db, cohort_id, org_id)


def cohort_assessment_count(db, cohort_id):
    return db.execute("SELECT count(*) FROM assessments a JOIN firms f ON f.id = a.firm_id "
                      "WHERE f.cohort_id = ?", [cohort_id]).fetchone()[0]


def name_taken(db, cohort_id, name, except_firm_id=None):
    """True when another firm of the cohort has this name (case and spaces aside)."""
    return db.execute("SELECT count(*) FROM firms WHERE cohort_id = ? AND lower(trim(name)) = lower(trim(?)) "
                      "AND id IS NOT ?", [cohort_id, name, except_firm_id]).fetchone()[0] > 0


def update_firm(db, firm_id, org_id, name, country, sector, size_band, region):
    """Corrects a firm's master data; its benchmark rows move to the corrected peer group."""
    with write_transaction(db):
        db.execute("UPDATE firms SET name = ?, country = ?, sector = ?, size_band = ?, region = ? "
                   "WHERE id = ? AND org_id = ?", [name, country, sector, size_band, region, firm_id, org_id])
        db.execute("UPDATE firm_scores SET country = ?, sector = ?, size_band = ?, region = ? WHERE firm_id = ?",
                   [country, sector, size_band, region, firm_id])
    return get_firm(db, firm_id, org_id)


def create_firm(db, org_id, name, country, sector, size_band, region, cohort_id=None):
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO firms (org_id, cohort_id, name, country, sector, size_band, region, invite_token, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [org_id, cohort_id, name, country, sector, size_band, region, new_token(), now()])
    return get_firm(db, cursor.lastrowid, org_id)


def get_firm(db, firm_id, org_id):
    return one_row(db, "SELECT * FROM firms WHERE id = ? AND org_id = ?", [firm_id, org_id], FirmNotFound(firm_id))


def get_firm_any_org(db, firm_id):
    """For internal bookkeeping only (no user asked for it): the firm whatever its organisation."""
    return one_row(db, "SELECT * FROM firms WHERE id = ?", [firm_id], FirmNotFound(firm_id))


def get_by_invite(db, token):
    if not token:
        raise FirmNotFound(token)
    return one_row(db, "SELECT * FROM firms WHERE invite_token = ?", [token], FirmNotFound(token))


def firms_of_cohort(db, cohort_id):
    return list(db.query("SELECT * FROM firms WHERE cohort_id = ? ORDER BY name", [cohort_id]))


def start_next_round(db, firm_id, org_id):
    """Opens the firm's next round (T1 after T0…); new invitations and entries count for it."""
    with write_transaction(db):
        db.execute("UPDATE firms SET current_round = current_round + 1 WHERE id = ? AND org_id = ?",
                   [firm_id, org_id])
    return get_firm(db, firm_id, org_id)


def round_activity(db, firm_id, round_no):
    """(assessments started, assessments with any answer beyond the pre-filled profile, completed)."""
    row = db.execute(
        "SELECT count(*), coalesce(sum(status = 'completed'), 0), coalesce(sum(EXISTS (SELECT 1 FROM answers ans "
        "WHERE ans.assessment_id = a.id AND ans.question_id NOT IN ('firm_name', 'country', 'sector', "
        "'size_band'))), 0) FROM assessments a WHERE firm_id = ? AND round_no = ?", [firm_id, round_no]).fetchone()
    return {"started": row[0], "completed": row[1], "answered": row[2]}


class RoundHasAnswers(Exception):
    """The round cannot be undone: someone has answered in it."""


def undo_round(db, firm_id, org_id):
    """Goes back to the previous round while the current one has no answers; assessments opened in
    it (and left empty) are removed."""
    firm = get_firm(db, firm_id, org_id)
    if firm["current_round"] == 0 or round_activity(db, firm_id, firm["current_round"])["answered"]:
        raise RoundHasAnswers(firm_id)
    with write_transaction(db):
        db.execute("DELETE FROM assessments WHERE firm_id = ? AND round_no = ?", [firm_id, firm["current_round"]])
        db.execute("UPDATE firms SET current_round = current_round - 1 WHERE id = ? AND org_id = ?",
                   [firm_id, org_id])
    return get_firm(db, firm_id, org_id)


def completed_results_of_round(db, firm_id, round_no):
    return [json.loads(r["scores"]) for r in db.query(
        "SELECT r.scores FROM results r JOIN assessments a ON a.id = r.assessment_id "
        "WHERE a.firm_id = ? AND a.round_no = ? AND a.status = 'completed' ORDER BY a.id",
        [firm_id, round_no])]


def discard_firm_round(db, firm_id, round_no):
    """Removes a firm round's combined result (no completed respondent left in it)."""
    with write_transaction(db):
        db.execute("DELETE FROM firm_scores WHERE firm_id = ? AND round_no = ?", [firm_id, round_no])
        db.execute("UPDATE firm_scores SET is_latest = (round_no = (SELECT max(round_no) FROM firm_scores "
                   "WHERE firm_id = ?)) WHERE firm_id = ?", [firm_id, firm_id])


def store_firm_round(db, firm, round_no, combined):
    """Saves a firm's combined round result and marks its latest round for the benchmarks."""
    rows = [(firm["id"], round_no, key, score, level, firm["sector"], firm["size_band"], firm["country"],
             firm["region"], firm["cohort_id"]) for key, score, level in score_rows(combined)]
    with write_transaction(db):
        db.execute("DELETE FROM firm_scores WHERE firm_id = ? AND round_no = ?", [firm["id"], round_no])
        db.conn.executemany(
            "INSERT INTO firm_scores (firm_id, round_no, key, score, level, sector, size_band, country, region, "
            "cohort_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("UPDATE firm_scores SET is_latest = (round_no = (SELECT max(round_no) FROM firm_scores "
                   "WHERE firm_id = ?)) WHERE firm_id = ?", [firm["id"], firm["id"]])


def round_scores(db, firm_id):
    """round_no -> {key: (score, level)} for every round with a result."""
    rounds = {}
    for row in db.query("SELECT round_no, key, score, level FROM firm_scores WHERE firm_id = ?", [firm_id]):
        rounds.setdefault(row["round_no"], {})[row["key"]] = (row["score"], row["level"])
    return dict(sorted(rounds.items()))


def firm_assessments(db, firm_id):
    return list(db.query(
        "SELECT id, token, round_no, respondent_role, status, completed_at FROM assessments "
        "WHERE firm_id = ? ORDER BY round_no, id", [firm_id]))


def action_statuses(db, firm_id):
    return {r["action_id"]: r["status"] for r in db.query(
        "SELECT action_id, status FROM firm_actions WHERE firm_id = ?", [firm_id])}


def set_action_status(db, firm_id, action_id, status):
    with write_transaction(db):
        db.execute("INSERT INTO firm_actions (firm_id, action_id, status, updated_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (firm_id, action_id) DO UPDATE SET status = excluded.status, "
                   "updated_at = excluded.updated_at", [firm_id, action_id, status, now()])


def goals_of_round(db, firm_id, round_no):
    """The goals any of the round's respondents named, most named first."""
    tally = {}
    for row in db.query(
            "SELECT ans.value FROM answers ans JOIN assessments a ON a.id = ans.assessment_id "
            "WHERE a.firm_id = ? AND a.round_no = ? AND ans.question_id = 'goals'", [firm_id, round_no]):
        for goal in json.loads(row["value"]):
            tally[goal] = tally.get(goal, 0) + 1
    return sorted(tally, key=lambda g: (-tally[g], g))


def round_versions(db, firm_id=None, cohort_id=None):
    """round_no -> sorted questionnaire versions of the results of one firm's (or a cohort's) rounds."""
    where, params = ("a.firm_id = ?", [firm_id]) if firm_id is not None else (
        "a.firm_id IN (SELECT id FROM firms WHERE cohort_id = ?)", [cohort_id])
    versions = {}
    # INDEXED BY: the planner would read each result's row (with its scores JSON) by rowid instead
    for row in db.query("SELECT DISTINCT a.round_no, r.questionnaire_version FROM assessments a "
                        "CROSS JOIN results r INDEXED BY idx_results_version ON r.assessment_id = a.id "
                        f"WHERE {where}", params):
        versions.setdefault(row["round_no"], set()).add(row["questionnaire_version"])
    return {round_no: sorted(v) for round_no, v in sorted(versions.items())}
