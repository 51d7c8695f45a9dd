"""The SQLite file: migrations, pragmas, write transactions, stored questionnaire versions."""
import json
import sqlite3
import threading

import pytest

from assessment.core.questionnaire import parse_questionnaire
from assessment.db import connect, migrate, write_transaction
from assessment.store import assessments
from assessment.store.questionnaires import QuestionnaireChanged, register_questionnaire, stored_questionnaire


def test_init_db_creates_the_schema_by_migrations_and_is_idempotent(app, db, runner):
    assert {"questionnaire_versions", "assessments", "answers", "results"} <= set(db.table_names())
    assert migrate(db) == []
    result = runner.invoke(["init-db"])
    assert result.exit_code == 0 and "0 migration(s) applied" in result.output


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_foreign_keys_refuse_answers_for_a_missing_assessment(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO answers (assessment_id, question_id, value, updated_at) VALUES (999, 'x', '1', 'now')")


def test_write_transactions_begin_immediate_and_roll_back_on_error(app, db, questionnaire):
    row = assessments.create_assessment(db, questionnaire)
    with pytest.raises(RuntimeError):
        with write_transaction(db):
            db.execute("UPDATE assessments SET language = 'fr' WHERE id = ?", [row["id"]])
            other = connect(app.config["DATABASE"])
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.conn.execute("PRAGMA busy_timeout = 0")
                other.conn.execute("BEGIN IMMEDIATE")  # the write lock is already held
            other.close()
            raise RuntimeError("boom")
    assert assessments.get_assessment(db, row["id"])["language"] == "en"


def test_concurrent_writers_all_land(app, questionnaire):
    def write_answers(n):
        own = connect(app.config["DATABASE"])
        row = assessments.create_assessment(own, questionnaire)
        for k in range(10):
            assessments.save_answers(own, row["id"], {f"q{k}": str(n)})
        own.close()
    threads = [threading.Thread(target=write_answers, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 80
    db.close()


def test_a_stored_result_keeps_its_questionnaire_version_when_the_file_changes(app, db, client, respondent, questionnaire):
    respondent.complete(lambda item: "4")
    row = assessments.get_by_token(db, respondent.token)
    before = assessments.result_of(db, row["id"])
    edited_raw = json.loads(json.dumps(questionnaire.raw))
    edited_raw["version"] = "2.0.0"
    first = edited_raw["pillars"][0]["dimensions"][0]["items"][0]
    first["options"] = [o for o in first["options"] if o["level"] < 4]
    edited = parse_questionnaire(edited_raw, source="edited.json")
    app.extensions["smartstep.library"].questionnaires["core"] = edited
    register_questionnaire(db, edited)
    assert assessments.result_of(db, row["id"]) == before
    page = client.get(respondent.url("results")).get_data(as_text=True)
    assert f"version {questionnaire.version}" in page and "4 · Smart" in page
    assert stored_questionnaire(db, "core", questionnaire.version).digest == questionnaire.digest


def test_editing_a_file_without_a_new_version_is_refused(db, questionnaire):
    edited_raw = json.loads(json.dumps(questionnaire.raw))
    edited_raw["title"] = {"en": "Changed title"}
    with pytest.raises(QuestionnaireChanged, match="new version"):
        register_questionnaire(db, parse_questionnaire(edited_raw, source="edited.json"))


def test_backup_command_writes_a_consistent_copy_and_refuses_to_overwrite(app, runner, respondent, tmp_path):
    respondent.complete()
    target = tmp_path / "copy.sqlite"
    result = runner.invoke(["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = connect(str(target))
    assert copy.execute("SELECT count(*) FROM results").fetchone()[0] == 1
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    again = runner.invoke(["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output
    missing = runner.invoke(["backup", str(tmp_path / "no" / "x.sqlite")])
    assert missing.exit_code != 0 and "does not exist" in missing.output
