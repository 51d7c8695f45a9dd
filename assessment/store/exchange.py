"""Bulk writes and reads for imports, exports and the results API of a cohort."""
import json

from assessment.db import write_transaction
from assessment.store.assessments import new_token
from assessment.store.clock import now


def insert_firms(db, org_id, cohort_id, records):
    """Adds checked firm records (core.importing.FirmRecord) to the cohort, all in one transaction:
    either every firm is stored or none is."""
    stamp = now()
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO firms (org_id, cohort_id, name, country, sector, size_band, region, invite_token, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(org_id, cohort_id, r.name, r.country, r.sector, r.size_band, r.region, new_token(), stamp)
             for r in records])


def raise_current_rounds(db, rounds):
    """``rounds``: firm id -> highest round imported; a firm's current round never goes down."""
    with write_transaction(db):
        db.conn.executemany("UPDATE firms SET current_round = max(current_round, ?) WHERE id = ?",
                            [(round_no, firm_id) for firm_id, round_no in rounds.items()])


def discard_assessments(db, assessment_ids):
    """Removes assessments (answers and results go with them) and the firm round rows built from
    them; returns the (firm id, round) pairs whose combined result must be recomputed."""
    if not assessment_ids:
        return set()
    marks = ", ".join("?" * len(assessment_ids))
    pairs = {(r["firm_id"], r["round_no"]) for r in db.query(
        f"SELECT firm_id, round_no FROM assessments WHERE id IN ({marks}) AND firm_id IS NOT NULL",
        list(assessment_ids))}
    with write_transaction(db):
        db.execute(f"DELETE FROM assessments WHERE id IN ({marks})", list(assessment_ids))
        for firm_id, round_no in pairs:
            db.execute("DELETE FROM firm_scores WHERE firm_id = ? AND round_no = ?", [firm_id, round_no])
            db.execute("UPDATE firm_scores SET is_latest = (round_no = (SELECT max(round_no) FROM firm_scores "
                       "WHERE firm_id = ?)) WHERE firm_id = ?", [firm_id, firm_id])
    return pairs


def cohort_round_scores(db, cohort_id):
    """[(firm row, round_no, {key: (score, level)})] for every firm round with a result, by name and round."""
    firms = {f["id"]: f for f in db.query("SELECT * FROM firms WHERE cohort_id = ?", [cohort_id])}
    rounds = {}
    for row in db.query("SELECT s.firm_id, s.round_no, s.key, s.score, s.level FROM firm_scores s "
                        "JOIN firms f ON f.id = s.firm_id WHERE f.cohort_id = ?", [cohort_id]):
        rounds.setdefault((row["firm_id"], row["round_no"]), {})[row["key"]] = (row["score"], row["level"])
    keys = sorted(rounds, key=lambda k: (firms[k[0]]["name"].casefold(), k[0], k[1]))
    return [(firms[firm_id], round_no, rounds[(firm_id, round_no)]) for firm_id, round_no in keys]


def cohort_completed_assessments(db, cohort_id):
    """[(assessment row with firm_name, stored result, answers)] for every completed respondent
    assessment of the cohort's firms, by firm name, round and id."""
    rows = list(db.query(
        "SELECT a.*, f.name AS firm_name, r.scores FROM assessments a JOIN firms f ON f.id = a.firm_id "
        "JOIN results r ON r.assessment_id = a.id WHERE f.cohort_id = ? AND a.status = 'completed' "
        "ORDER BY f.name COLLATE NOCASE, a.firm_id, a.round_no, a.id", [cohort_id]))
    answers = {}
    for row in db.query(
            "SELECT ans.assessment_id, ans.question_id, ans.value FROM answers ans "
            "JOIN assessments a ON a.id = ans.assessment_id JOIN firms f ON f.id = a.firm_id "
            "WHERE f.cohort_id = ? AND a.status = 'completed'", [cohort_id]):
        answers.setdefault(row["assessment_id"], {})[row["question_id"]] = json.loads(row["value"])
    return [(row, json.loads(row["scores"]), answers.get(row["id"], {})) for row in rows]
