"""Removing workshops, cohorts, firms and assessments, with everything that hangs on them, and
the log that records a removal without its content."""
from datetime import datetime, timedelta

from assessment.db import write_transaction
from assessment.store.clock import now


def _log(db, org_id, kind, record_id, assessments, deleted_by):
    db.execute("INSERT INTO deletion_log (org_id, kind, record_id, assessments, deleted_by, deleted_at) "
               "VALUES (?, ?, ?, ?, ?, ?)", [org_id, kind, record_id, assessments, deleted_by, now()])


def _delete_firm_rows(db, firm_id):
    """Inside a transaction: the firm's benchmark rows (the count triggers follow), roadmap
    statuses, assessments (answers and results cascade) and the firm; returns assessments removed."""
    db.execute("DELETE FROM firm_scores WHERE firm_id = ?", [firm_id])
    db.execute("DELETE FROM firm_actions WHERE firm_id = ?", [firm_id])
    removed = db.execute("DELETE FROM assessments WHERE firm_id = ?", [firm_id]).rowcount
    db.execute("DELETE FROM firms WHERE id = ?", [firm_id])
    return removed


def delete_firm(db, firm, deleted_by):
    """Removes a firm and all its data; returns how many assessments went with it."""
    with write_transaction(db):
        removed = _delete_firm_rows(db, firm["id"])
        _log(db, firm["org_id"], "firm", firm["id"], removed, deleted_by)
    return removed


def delete_cohort(db, cohort, deleted_by):
    """Removes a cohort with its firms and all their data; returns (firms, assessments) removed."""
    firm_ids = [r["id"] for r in db.query("SELECT id FROM firms WHERE cohort_id = ?", [cohort["id"]])]
    with write_transaction(db):
        removed = sum(_delete_firm_rows(db, firm_id) for firm_id in firm_ids)
        db.execute("DELETE FROM cohorts WHERE id = ?", [cohort["id"]])
        _log(db, cohort["org_id"], "cohort", cohort["id"], removed, deleted_by)
    return len(firm_ids), removed


def delete_workshop(db, workshop, deleted_by):
    """Removes a workshop and its participants' assessments; returns how many assessments went."""
    with write_transaction(db):
        removed = db.execute("DELETE FROM assessments WHERE workshop_id = ?", [workshop["id"]]).rowcount
        db.execute("DELETE FROM workshops WHERE id = ?", [workshop["id"]])
        _log(db, workshop["org_id"], "workshop", workshop["id"], removed, deleted_by)
    return removed


def delete_assessment(db, row, org_id, deleted_by):
    """Removes one assessment (answers and results cascade); for a firm's assessment, that round's
    combined rows go too, and the caller recombines what remains (completion.refresh_firm_round)."""
    with write_transaction(db):
        db.execute("DELETE FROM assessments WHERE id = ?", [row["id"]])
        if row["firm_id"] is not None:
            db.execute("DELETE FROM firm_scores WHERE firm_id = ? AND round_no = ?", [row["firm_id"], row["round_no"]])
            db.execute("UPDATE firm_scores SET is_latest = (round_no = (SELECT max(round_no) FROM firm_scores "
                       "WHERE firm_id = ?)) WHERE firm_id = ?", [row["firm_id"], row["firm_id"]])
        _log(db, org_id, "assessment", row["id"], 1, deleted_by)


def deletion_log(db, org_id):
    return list(db.query("SELECT * FROM deletion_log WHERE org_id = ? ORDER BY id DESC", [org_id]))


def purge_unfinished(db, org_id, days, today=None):
    """Removes the organisation's unfinished workshop assessments untouched for ``days`` days;
    returns how many were removed."""
    cutoff = _days_before(today or now(), days)
    with write_transaction(db):
        removed = db.execute(
            "DELETE FROM assessments WHERE status = 'in_progress' AND updated_at < ? AND workshop_id IN "
            "(SELECT id FROM workshops WHERE org_id = ?)", [cutoff, org_id]).rowcount
        if removed:
            _log(db, org_id, "unfinished assessments (retention)", None, removed, "retention")
    return removed


def _days_before(stamp, days):
    return (datetime.fromisoformat(stamp) - timedelta(days=days)).isoformat(timespec="seconds")
