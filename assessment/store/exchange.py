"""Bulk writes and reads for imports, exports and the results API of a cohort."""
from assessment.db import write_transaction
from assessment.store import export_reads
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
    # tuples, not dicts: one row per firm round and score key, about 23,000 for a 500-firm cohort
    for firm_id, round_no, key, score, level in db.execute(
            "SELECT s.firm_id, s.round_no, s.key, s.score, s.level FROM firm_scores s "
            "JOIN firms f ON f.id = s.firm_id WHERE f.cohort_id = ?", [cohort_id]):
        rounds.setdefault((firm_id, round_no), {})[key] = (score, level)
    keys = sorted(rounds, key=lambda k: (firms[k[0]]["name"].casefold(), k[0], k[1]))
    return [(firms[firm_id], round_no, rounds[(firm_id, round_no)]) for firm_id, round_no in keys]


def cohort_completed_assessments(db, cohort_id, score_keys, question_ids=None):
    """[(assessment row with firm_name, {score key: (score, level)}, answers)] for every completed
    respondent assessment of the cohort's firms, by firm name, round and id: the scores of
    ``score_keys`` ('overall', 'pillar:<id>', 'dimension:<id>'), and answers to ``question_ids``
    only when given (an export's profile columns need a tenth of a firm's answers).

    The cohort's firms are read first (idx_firms_cohort), then their assessments (idx_assessments_firm):
    left to itself SQLite starts from idx_assessments_status, every completed assessment of the database."""
    return export_reads.completed_with_scores(
        db, "SELECT a.*, f.name AS firm_name, {picked} AS picked FROM firms f CROSS JOIN assessments a "
            "ON a.firm_id = f.id CROSS JOIN results r ON r.assessment_id = a.id WHERE f.cohort_id = ? "
            "AND a.status = 'completed' ORDER BY f.name COLLATE NOCASE, a.firm_id, a.round_no, a.id",
        [cohort_id], score_keys,
        "FROM firms f CROSS JOIN assessments a ON a.firm_id = f.id CROSS JOIN answers ans "
        "ON ans.assessment_id = a.id WHERE f.cohort_id = ? AND a.status = 'completed'", [cohort_id], question_ids)
