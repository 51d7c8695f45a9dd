"""Workshops: a facilitator's session with a join code, and the participants' assessments in it."""
import json
import sqlite3
from datetime import datetime, timedelta

from assessment.db import write_transaction
from assessment.store import export_reads
from assessment.store.clock import now
from assessment.store.rows import one_row
from assessment.store.codes import new_code, normalise_code

JOIN_CODE_LENGTH = 6


class WorkshopNotFound(LookupError):
    """No workshop with that id in this organisation, or no workshop with that join code."""


class WorkshopClosed(Exception):
    """The workshop takes no new participants."""


def create_workshop(db, org_id, user_id, title, held_on, questionnaire_id, language):
    for _attempt in range(10):  # draw again on the rare clash of join codes
        try:
            with write_transaction(db):
                cursor = db.execute(
                    "INSERT INTO workshops (org_id, title, held_on, questionnaire_id, language, join_code, "
                    "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [org_id, title, held_on, questionnaire_id, language, new_code(JOIN_CODE_LENGTH),
                     user_id, now()])
            return get_workshop(db, cursor.lastrowid, org_id)
        except sqlite3.IntegrityError as exc:
            if "join_code" not in str(exc):
                raise
    raise RuntimeError("could not draw a free join code")


def get_workshop(db, workshop_id, org_id):
    """The workshop if it belongs to this organisation; WorkshopNotFound otherwise."""
    return one_row(db, "SELECT * FROM workshops WHERE id = ? AND org_id = ?", [workshop_id, org_id],
                   WorkshopNotFound(workshop_id))


def update_workshop(db, workshop_id, org_id, title, held_on, language):
    with write_transaction(db):
        db.execute("UPDATE workshops SET title = ?, held_on = ?, language = ? WHERE id = ? AND org_id = ?",
                   [title, held_on, language, workshop_id, org_id])
    return get_workshop(db, workshop_id, org_id)


def get_by_join_code(db, typed_code):
    code = normalise_code(typed_code)
    if not code:
        raise WorkshopNotFound(typed_code)
    return one_row(db, "SELECT * FROM workshops WHERE join_code = ?", [code], WorkshopNotFound(typed_code))


def workshops_of(db, org_id):
    return list(db.query(
        "SELECT w.*, (SELECT count(*) FROM assessments a WHERE a.workshop_id = w.id) AS joined "
        "FROM workshops w WHERE w.org_id = ? ORDER BY w.held_on DESC, w.id DESC", [org_id]))


def set_status(db, workshop_id, org_id, status):
    """Opens or closes a workshop of this organisation."""
    stamp_column = {"open": "opened_at", "closed": "closed_at"}[status]
    with write_transaction(db):
        cursor = db.execute(
            f"UPDATE workshops SET status = ?, {stamp_column} = ? WHERE id = ? AND org_id = ?",
            [status, now(), workshop_id, org_id])
    if cursor.rowcount != 1:
        raise WorkshopNotFound(workshop_id)


def check_open(workshop):
    if workshop["status"] != "open":
        raise WorkshopClosed(workshop["id"])


STALLED_AFTER_MINUTES = 30  # no answer saved for this long: the participant has most likely left


def counts(db, workshop_id, stamp=None):
    """Joined, in progress (an answer saved in the last 30 minutes), stopped (none since) and
    completed participants."""
    cutoff = (datetime.fromisoformat(stamp or now()) - timedelta(minutes=STALLED_AFTER_MINUTES)).isoformat(
        timespec="seconds")
    row = next(db.query(
        "SELECT count(*) AS joined, coalesce(sum(status = 'in_progress' AND updated_at >= :cutoff), 0) AS in_progress, "
        "coalesce(sum(status = 'in_progress' AND updated_at < :cutoff), 0) AS stopped, "
        "coalesce(sum(status = 'completed'), 0) AS completed FROM assessments WHERE workshop_id = :workshop",
        {"cutoff": cutoff, "workshop": workshop_id}))
    return dict(row)


def completed_results(db, workshop_id):
    """The stored results (plain data) of the workshop's completed participants."""
    return [json.loads(r["scores"]) for r in db.query(
        "SELECT r.scores FROM results r JOIN assessments a ON a.id = r.assessment_id "
        "WHERE a.workshop_id = ? AND a.status = 'completed' ORDER BY a.id", [workshop_id])]


def shared_firm_names(db, workshop_id):
    """Firm names of participants who agreed to share them, in joining order."""
    return [json.loads(r["value"]) for r in db.query(
        "SELECT ans.value FROM assessments a JOIN answers ans ON ans.assessment_id = a.id "
        "AND ans.question_id = 'firm_name' WHERE a.workshop_id = ? AND a.share_name = 1 ORDER BY a.id",
        [workshop_id])]


def completed_participants(db, workshop_id, score_keys):
    """[(assessment row, {score key: (score, level)}, answers)] for completed participants, in
    joining order: the scores of ``score_keys`` ('overall', 'pillar:<id>', 'dimension:<id>')."""
    return export_reads.completed_with_scores(
        db, "SELECT a.*, {picked} AS picked FROM assessments a JOIN results r ON r.assessment_id = a.id "
            "WHERE a.workshop_id = ? AND a.status = 'completed' ORDER BY a.id", [workshop_id], score_keys,
        "FROM answers ans JOIN assessments a ON a.id = ans.assessment_id "
        "WHERE a.workshop_id = ? AND a.status = 'completed'", [workshop_id])


def participant_countries(db, workshop_id):
    """The distinct countries the workshop's participants named."""
    return sorted({json.loads(r["value"]) for r in db.query(
        "SELECT ans.value FROM answers ans JOIN assessments a ON a.id = ans.assessment_id "
        "WHERE a.workshop_id = ? AND ans.question_id = 'country'", [workshop_id])})
