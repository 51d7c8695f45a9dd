"""Saving a page's answers so that a resent submission counts once and an older answer never
overwrites a newer one (core/submissions.py decides which is newer)."""
import json
from dataclasses import dataclass, field
from datetime import datetime

from assessment.core.submissions import is_older
from assessment.db import write_transaction
from assessment.store.clock import now


@dataclass
class Saved:
    replayed: bool = False  # this submission had already been saved: nothing changed
    kept_newer: list = field(default_factory=list)  # question ids where a newer stored answer stayed


def iso_to_ms(stamp):
    return int(datetime.fromisoformat(stamp).timestamp() * 1000)


def save(db, assessment_id, page_id, answers, submission):
    """Stores ``answers`` (question id -> value, None removes it) from ``submission`` in one
    transaction; returns what happened as Saved."""
    stamp = now()
    saved = Saved()
    with write_transaction(db):
        if submission.submission_id and not _record(db, assessment_id, submission.submission_id,
                                                    page_id, stamp):
            saved.replayed = True
            return saved
        stored = _stored(db, assessment_id, list(answers))
        for question_id, value in answers.items():
            time = submission.time_of(question_id)
            current = stored.get(question_id)
            if current is not None and is_older(time, submission.device, current):
                if current["value"] != value:
                    saved.kept_newer.append(question_id)
                continue
            _write(db, assessment_id, question_id, value, time, submission.device, stamp)
        db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, assessment_id])
    return saved


def _record(db, assessment_id, submission_id, page_id, stamp):
    """Notes the submission; False when it was already there (a resend)."""
    cursor = db.execute(
        "INSERT INTO submissions (assessment_id, submission_id, page_id, received_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, submission_id) DO NOTHING",
        [assessment_id, submission_id, page_id, stamp])
    return cursor.rowcount == 1


def _stored(db, assessment_id, question_ids):
    if not question_ids:
        return {}
    marks = ", ".join("?" * len(question_ids))
    rows = db.query(
        f"SELECT question_id, value, updated_at, answered_ms, device, device_ms FROM answers "
        f"WHERE assessment_id = ? AND question_id IN ({marks})", [assessment_id, *question_ids])
    return {r["question_id"]: {
        "value": json.loads(r["value"]), "device": r["device"], "device_ms": r["device_ms"],
        # answers saved before times were kept: when they were last written
        "answered_ms": r["answered_ms"] if r["answered_ms"] is not None else iso_to_ms(r["updated_at"]),
    } for r in rows}


def _write(db, assessment_id, question_id, value, time, device, stamp):
    if value is None:
        db.execute("DELETE FROM answers WHERE assessment_id = ? AND question_id = ?",
                   [assessment_id, question_id])
        return
    db.execute(
        "INSERT INTO answers (assessment_id, question_id, value, updated_at, answered_ms, device, device_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, question_id) DO UPDATE SET "
        "value = excluded.value, updated_at = excluded.updated_at, answered_ms = excluded.answered_ms, "
        "device = excluded.device, device_ms = excluded.device_ms",
        [assessment_id, question_id, json.dumps(value, ensure_ascii=False), stamp, time.server_ms,
         device, time.device_ms])


def count(db, assessment_id):
    return db.execute("SELECT count(*) FROM submissions WHERE assessment_id = ?", [assessment_id]).fetchone()[0]
