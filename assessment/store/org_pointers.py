"""An organisation's own pointers (table org_pointers): every query is scoped to one organisation.

``data`` holds the pointer as a catalog file entry (a dict); validation is the caller's (see
assessment/org_pointers.py), so that the staff pages, the import and the file format agree.
"""
import json

from assessment.db import write_transaction
from assessment.store.clock import now
from assessment.store.rows import one_row


class PointerNotFound(LookupError):
    pass


class PointerIdTaken(ValueError):
    pass


def _row(row):
    return {**dict(row), "data": json.loads(row["data"])}


def pointers_of(db, org_id, include_retired=True):
    """The organisation's pointers, active ones first, each in id order."""
    sql = "SELECT * FROM org_pointers WHERE org_id = ?" + ("" if include_retired else " AND retired_at IS NULL")
    return [_row(r) for r in db.query(sql + " ORDER BY retired_at IS NOT NULL, pointer_id", [org_id])]


def active_entries(db, org_id):
    """The catalog entries (dicts) of the organisation's pointers that are not retired."""
    return [json.loads(r["data"]) for r in db.query(
        "SELECT data FROM org_pointers WHERE org_id = ? AND retired_at IS NULL ORDER BY pointer_id", [org_id])]


def get_pointer(db, org_id, row_id):
    return _row(one_row(db, "SELECT * FROM org_pointers WHERE id = ? AND org_id = ?", [row_id, org_id],
                        PointerNotFound(row_id)))


def create_pointer(db, org_id, entry):
    """Adds a validated entry; raises PointerIdTaken when the organisation already has its id."""
    with write_transaction(db):
        if _id_used(db, org_id, entry["id"]):
            raise PointerIdTaken(entry["id"])
        stamp = now()
        cursor = db.execute("INSERT INTO org_pointers (org_id, pointer_id, data, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?)", [org_id, entry["id"], json.dumps(entry), stamp, stamp])
    return get_pointer(db, org_id, cursor.lastrowid)


def update_pointer(db, org_id, row_id, entry):
    """Replaces a pointer's entry (its id may change, to one the organisation does not use yet)."""
    with write_transaction(db):
        current = get_pointer(db, org_id, row_id)
        if entry["id"] != current["pointer_id"] and _id_used(db, org_id, entry["id"]):
            raise PointerIdTaken(entry["id"])
        db.execute("UPDATE org_pointers SET pointer_id = ?, data = ?, updated_at = ? WHERE id = ? AND org_id = ?",
                   [entry["id"], json.dumps(entry), now(), row_id, org_id])
    return get_pointer(db, org_id, row_id)


def set_retired(db, org_id, row_id, retired):
    """Retires a pointer (kept, but no longer shown to firms) or brings it back."""
    with write_transaction(db):
        get_pointer(db, org_id, row_id)
        db.execute("UPDATE org_pointers SET retired_at = ?, updated_at = ? WHERE id = ? AND org_id = ?",
                   [now() if retired else None, now(), row_id, org_id])


def import_entries(db, org_id, entries):
    """Adds or replaces (by id) every entry in one transaction: all of them, or none if anything fails.
    An imported entry that was retired becomes active again. Returns (added, replaced)."""
    added = replaced = 0
    with write_transaction(db):
        stamp = now()
        for entry in entries:
            if _id_used(db, org_id, entry["id"]):
                db.execute("UPDATE org_pointers SET data = ?, updated_at = ?, retired_at = NULL "
                           "WHERE org_id = ? AND pointer_id = ?", [json.dumps(entry), stamp, org_id, entry["id"]])
                replaced += 1
            else:
                db.execute("INSERT INTO org_pointers (org_id, pointer_id, data, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?)", [org_id, entry["id"], json.dumps(entry), stamp, stamp])
                added += 1
    return added, replaced


def _id_used(db, org_id, pointer_id):
    return db.execute("SELECT 1 FROM org_pointers WHERE org_id = ? AND pointer_id = ?",
                      [org_id, pointer_id]).fetchone() is not None


def org_of_assessment(db, assessment_id):
    """The organisation whose workshop or cohort an assessment belongs to (None for a walk-in)."""
    row = db.execute(
        "SELECT COALESCE(w.org_id, f.org_id) FROM assessments a "
        "LEFT JOIN workshops w ON w.id = a.workshop_id LEFT JOIN firms f ON f.id = a.firm_id "
        "WHERE a.id = ?", [assessment_id]).fetchone()
    return row[0] if row else None
