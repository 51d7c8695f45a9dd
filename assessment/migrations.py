"""Versioned schema migrations (sqlite-utils Migrations). Never edit an applied one: add a new one."""
from sqlite_utils.migrations import Migrations

migrations = Migrations("smartstep")


@migrations()
def m001_questionnaires_and_assessments(db):
    db.execute("""
        CREATE TABLE questionnaire_versions (
            questionnaire_id TEXT NOT NULL,
            version TEXT NOT NULL,
            digest TEXT NOT NULL,
            definition TEXT NOT NULL,
            loaded_at TEXT NOT NULL,
            PRIMARY KEY (questionnaire_id, version)
        )""")
    db.execute("""
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            token TEXT NOT NULL UNIQUE,
            resume_code TEXT NOT NULL UNIQUE,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT 'en',
            status TEXT NOT NULL DEFAULT 'in_progress'
                CHECK (status IN ('in_progress', 'completed')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            completed_at TEXT,
            FOREIGN KEY (questionnaire_id, questionnaire_version)
                REFERENCES questionnaire_versions (questionnaire_id, version)
        )""")
    db.execute("""
        CREATE TABLE answers (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (assessment_id, question_id)
        )""")
    db.execute("""
        CREATE TABLE results (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            overall_score REAL,
            overall_level INTEGER,
            scores TEXT NOT NULL,
            computed_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX idx_assessments_status ON assessments (status)")
