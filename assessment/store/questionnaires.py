"""Questionnaire versions kept in the database, so that old results keep the version they were scored with."""
import dataclasses
import functools
import json
import weakref

from assessment.core.questionnaire import parse_questionnaire
from assessment.core.translations import NO_TRANSLATIONS
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


def stored_questionnaire(db, questionnaire_id, version, translations=NO_TRANSLATIONS):
    """The questionnaire exactly as it was when results were scored with it, with today's
    translations of those of its English texts that are unchanged."""
    digest = _stored_digest(db, questionnaire_id, version)
    try:
        return _parsed[digest, translations]
    except KeyError:
        pass
    row = _stored_row(db, questionnaire_id, version)
    questionnaire = _parse_cached(row["digest"], row["definition"], translations)
    _parsed[digest, translations] = questionnaire
    while len(_parsed) > 32:
        _parsed.pop(next(iter(_parsed)))
    return questionnaire


# Parsed versions by (digest, translations): every page asks for one, and a version never changes,
# so only its digest is read (not its 80 KB definition) once the version has been parsed.
_parsed = {}


# Digests by connection: a stored version is never changed or removed, so each connection reads a
# version's digest once (a query less on every page), and a connection to another file starts empty.
_digests = weakref.WeakKeyDictionary()


def _stored_digest(db, questionnaire_id, version):
    known = _digests.setdefault(db, {})
    digest = known.get((questionnaire_id, version))
    if digest is None:
        row = db.execute("SELECT digest FROM questionnaire_versions WHERE questionnaire_id = ? AND version = ?",
                         [questionnaire_id, version]).fetchone()
        if row is None:
            raise UnknownQuestionnaireVersion(f"{questionnaire_id} {version}")
        digest = known[questionnaire_id, version] = row[0]
    return digest


@functools.lru_cache(maxsize=32)
def _parse_cached(digest, definition, translations):
    english = json.loads(definition)
    questionnaire = parse_questionnaire(translations.applied(english), source=f"stored questionnaire {digest[:8]}")
    return dataclasses.replace(questionnaire, raw=english)


def _stored_row(db, questionnaire_id, version):
    rows = list(db.query(
        "SELECT digest, definition FROM questionnaire_versions WHERE questionnaire_id = ? AND version = ?",
        [questionnaire_id, version]))
    return rows[0] if rows else None
