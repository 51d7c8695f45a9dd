"""Questionnaire versions kept in the database, so that old results keep the version they were scored with."""
import functools
import json

from assessment.core.questionnaire import parse_questionnaire
from assessment.db import write_transaction
from assessment.store.clock import now


class QuestionnaireChanged(Exception):
    """A questionnaire file was edited without giving it a new version."""


class UnknownQuestionnaireVersion(LookupError):
    pass


def register_questionnaire(db, questionnaire):
    """Stores this version of the questionnaire once; refuses a changed file with the same version."""
    row = _stored_row(db, questionnaire.id, questionnaire.version)
    if row is None:
        with write_transaction(db):
            db.execute(
                "INSERT OR IGNORE INTO questionnaire_versions "
                "(questionnaire_id, version, digest, definition, loaded_at) VALUES (?, ?, ?, ?, ?)",
                [questionnaire.id, questionnaire.version, questionnaire.digest,
                 json.dumps(questionnaire.raw, ensure_ascii=False), now()])
        row = _stored_row(db, questionnaire.id, questionnaire.version)
    if row["digest"] != questionnaire.digest:
        raise QuestionnaireChanged(
            f'questionnaire "{questionnaire.id}" version {questionnaire.version} differs from the one '
            "already used for stored results; give the edited file a new version number")


def stored_questionnaire(db, questionnaire_id, version):
    """The questionnaire exactly as it was when results were scored with it."""
    row = _stored_row(db, questionnaire_id, version)
    if row is None:
        raise UnknownQuestionnaireVersion(f"{questionnaire_id} {version}")
    return _parse_cached(row["digest"], row["definition"])


@functools.lru_cache(maxsize=32)
def _parse_cached(digest, definition):
    return parse_questionnaire(json.loads(definition), source=f"stored questionnaire {digest[:8]}")


def _stored_row(db, questionnaire_id, version):
    rows = list(db.query(
        "SELECT digest, definition FROM questionnaire_versions WHERE questionnaire_id = ? AND version = ?",
        [questionnaire_id, version]))
    return rows[0] if rows else None
