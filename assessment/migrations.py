"""Versioned schema migrations (sqlite-utils Migrations). Never edit an applied one: add a new one."""
import json

from sqlite_utils.migrations import Migrations

from assessment.core.scoring import score_rows

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


@migrations()
def m002_organisations_staff_workshops(db):
    db.execute("""
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations (id),
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator', 'programme_manager')),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            last_login_at TEXT
        )""")
    db.execute("""
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations (id),
            title TEXT NOT NULL,
            held_on TEXT NOT NULL,
            questionnaire_id TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT 'en',
            join_code TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL,
            opened_at TEXT,
            closed_at TEXT
        )""")
    db.execute("CREATE INDEX idx_workshops_org ON workshops (org_id)")
    db.execute("ALTER TABLE assessments ADD COLUMN workshop_id INTEGER REFERENCES workshops (id)")
    db.execute("ALTER TABLE assessments ADD COLUMN share_name INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX idx_assessments_workshop ON assessments (workshop_id, status)")


@migrations()
def m003_result_scores(db):
    """One row per stored score, so group statistics are SQL aggregates over an index."""
    db.execute("""
        CREATE TABLE result_scores (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            score REAL NOT NULL,
            level INTEGER NOT NULL,
            PRIMARY KEY (assessment_id, key)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX idx_result_scores_key ON result_scores (key, score)")
    for row in list(db.query("SELECT assessment_id, scores FROM results")):
        for key, score, level in score_rows(json.loads(row["scores"])):
            db.execute("INSERT INTO result_scores VALUES (?, ?, ?, ?)", [row["assessment_id"], key, score, level])



@migrations()
def m004_firms_cohorts_rounds(db):
    db.execute("""
        CREATE TABLE cohorts (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations (id),
            name TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (org_id, name)
        )""")
    db.execute("""
        CREATE TABLE firms (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations (id),
            cohort_id INTEGER REFERENCES cohorts (id),
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            sector TEXT NOT NULL,
            size_band TEXT NOT NULL,
            region TEXT NOT NULL,
            current_round INTEGER NOT NULL DEFAULT 0,
            invite_token TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX idx_firms_org ON firms (org_id, name)")
    db.execute("CREATE INDEX idx_firms_cohort ON firms (cohort_id)")
    db.execute("ALTER TABLE assessments ADD COLUMN firm_id INTEGER REFERENCES firms (id)")
    db.execute("ALTER TABLE assessments ADD COLUMN round_no INTEGER")
    db.execute("ALTER TABLE assessments ADD COLUMN respondent_role TEXT")
    db.execute("CREATE INDEX idx_assessments_firm ON assessments (firm_id, round_no, status)")
    # A firm's combined result per round (several respondents -> one), with its peer-group
    # columns copied in so that benchmark counts are index range scans.
    db.execute("""
        CREATE TABLE firm_scores (
            firm_id INTEGER NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
            round_no INTEGER NOT NULL,
            key TEXT NOT NULL,
            score REAL NOT NULL,
            level INTEGER NOT NULL,
            is_latest INTEGER NOT NULL DEFAULT 0,
            sector TEXT NOT NULL,
            size_band TEXT NOT NULL,
            country TEXT NOT NULL,
            region TEXT NOT NULL,
            PRIMARY KEY (firm_id, round_no, key)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX idx_firm_scores_all ON firm_scores (key, is_latest, score)")
    db.execute("CREATE INDEX idx_firm_scores_peer ON firm_scores "
               "(key, is_latest, sector, size_band, country, score)")
    db.execute("CREATE INDEX idx_firm_scores_region ON firm_scores (key, is_latest, region, score)")
    db.execute("""
        CREATE TABLE firm_actions (
            firm_id INTEGER NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
            action_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'done')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (firm_id, action_id)
        )""")
    db.execute("""
        CREATE TABLE api_tokens (
            org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""")


@migrations()
def m005_benchmark_indexes(db):
    """Cohort and peer figures as index ranges, whatever the number of firms (bench/benchmark_scale.py).

    - idx_firm_scores_firm_latest: a firm's latest rows in score order, so that a cohort's most
      common gaps read each firm's few lowest rows instead of sorting all of them;
    - idx_firm_scores_peer_region: the "sector, size band and region" peer group as one index range
      (idx_firm_scores_region starts with region alone, so it scanned every sector and size band);
    - firm_score_counts: how many firms' latest rounds have each score, per key, kept by triggers on
      firm_scores (whoever writes it), so that "all firms" percentiles sum at most 401 rows per key
      instead of counting every firm.
    """
    db.execute("CREATE INDEX idx_firm_scores_firm_latest ON firm_scores (firm_id, is_latest, score, key)")
    db.execute("CREATE INDEX idx_firm_scores_peer_region ON firm_scores "
               "(key, is_latest, sector, size_band, region, score)")
    db.execute("""
        CREATE TABLE firm_score_counts (
            key TEXT NOT NULL,
            score REAL NOT NULL,
            firms INTEGER NOT NULL,
            PRIMARY KEY (key, score)
        ) WITHOUT ROWID""")
    db.execute("INSERT INTO firm_score_counts (key, score, firms) "
               "SELECT key, score, count(*) FROM firm_scores WHERE is_latest = 1 GROUP BY key, score")
    add_one = ("INSERT INTO firm_score_counts (key, score, firms) SELECT NEW.key, NEW.score, 1 "
               "WHERE NEW.is_latest = 1 ON CONFLICT (key, score) DO UPDATE SET firms = firms + 1;")
    take_one = ("UPDATE firm_score_counts SET firms = firms - 1 "
                "WHERE OLD.is_latest = 1 AND key = OLD.key AND score = OLD.score; "
                "DELETE FROM firm_score_counts WHERE firms <= 0 AND key = OLD.key AND score = OLD.score;")
    db.execute(f"CREATE TRIGGER firm_score_counts_insert AFTER INSERT ON firm_scores "
               f"WHEN NEW.is_latest = 1 BEGIN {add_one} END")
    db.execute(f"CREATE TRIGGER firm_score_counts_delete AFTER DELETE ON firm_scores "
               f"WHEN OLD.is_latest = 1 BEGIN {take_one} END")
    db.execute(f"CREATE TRIGGER firm_score_counts_update AFTER UPDATE OF key, score, is_latest ON firm_scores "
               f"WHEN OLD.is_latest = 1 OR NEW.is_latest = 1 BEGIN {take_one} {add_one} END")


@migrations()
def m006_session_versions_and_unused_indexes(db):
    """users.session_version: logging out (or being disabled) ends every session of that account,
    even a copied cookie. The two m004 indexes that m005's queries replaced are dropped."""
    db.execute("ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0")
    db.execute("DROP INDEX IF EXISTS idx_firm_scores_all")
    db.execute("DROP INDEX IF EXISTS idx_firm_scores_region")


@migrations()
def m007_deletion_log_and_retention(db):
    """deletion_log: what kind of record was removed, when, by whom and how much went with it, never
    what it contained (a firm's right to erasure leaves no copy behind). organisations.retention_days:
    after how many days an agency's unfinished anonymous (workshop) assessments are removed."""
    db.execute("""
        CREATE TABLE deletion_log (
            id INTEGER PRIMARY KEY,
            org_id INTEGER,
            kind TEXT NOT NULL,
            record_id INTEGER,
            assessments INTEGER NOT NULL DEFAULT 0,
            deleted_by TEXT NOT NULL,
            deleted_at TEXT NOT NULL
        )""")
    db.execute("ALTER TABLE organisations ADD COLUMN retention_days INTEGER")


@migrations()
def m008_org_pointers(db):
    """An organisation's own pointers, managed by its admin in the staff pages. ``data`` is the
    pointer exactly as in a pointer catalog file (docs/data-format.md), so the same validation,
    import and export apply; ``retired_at`` hides it from roadmaps without losing it."""
    db.execute("""
        CREATE TABLE org_pointers (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations (id),
            pointer_id TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT,
            UNIQUE (org_id, pointer_id)
        )""")


@migrations()
def m009_submissions_and_answer_times(db):
    """Answers sent again after a dropped connection count once. ``submissions`` keeps each page
    submission's id (made on the phone, or in the page for phones without JavaScript), so a resend
    changes nothing. Each answer keeps when it was chosen, so an older answer arriving late never
    overwrites a newer one: ``answered_ms`` on the server's clock (epoch milliseconds, estimated
    from the phone's own clock without trusting it), and ``device``/``device_ms`` for comparing two
    answers from the same phone on that phone's clock exactly."""
    db.execute("""
        CREATE TABLE submissions (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            submission_id TEXT NOT NULL,
            page_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (assessment_id, submission_id)
        )""")
    db.execute("ALTER TABLE answers ADD COLUMN answered_ms INTEGER")
    db.execute("ALTER TABLE answers ADD COLUMN device TEXT")
    db.execute("ALTER TABLE answers ADD COLUMN device_ms INTEGER")


@migrations()
def m010_cohort_counts(db):
    """A cohort's figures as a few hundred counted rows, whatever its size (bench/benchmark_scale.py
    at 1,000,000 assessments: cohorts of 5,000 firms).

    - firm_scores.cohort_id: the firm's cohort copied in (as the peer-group columns are), kept by a
      trigger on firms, so that the count triggers below know the cohort even while a firm is deleted;
    - cohort_score_counts: firms per cohort, key, score and level of their latest round (the
      cohort's medians, quartiles and levels), kept by triggers on firm_scores;
    - cohort_movement_counts: firms per cohort, key and change from T0 to T1 (change rounded to
      0.01, as cohort_movement rounds it), kept by triggers on firm_scores; a pair belongs to the
      cohort of its T1 row, so that moving a firm's rows one by one keeps the counts right;
    - idx_firms_cohort_name: a cohort's firm list one page at a time, in name order (it replaces
      idx_firms_cohort, its prefix); idx_firm_scores_firm_key: each listed firm's score for a key;
    - idx_firms_cohort_country and idx_results_version: the cohort's countries and its rounds'
      questionnaire versions from small index entries instead of 5,000 firm rows and 10,000 result
      rows (each with its scores JSON) scattered over the file.
    """
    db.execute("ALTER TABLE firm_scores ADD COLUMN cohort_id INTEGER")
    db.execute("UPDATE firm_scores SET cohort_id = (SELECT f.cohort_id FROM firms f WHERE f.id = firm_scores.firm_id)")
    db.execute("CREATE INDEX idx_firms_cohort_name ON firms (cohort_id, name)")
    db.execute("DROP INDEX IF EXISTS idx_firms_cohort")
    db.execute("CREATE INDEX idx_firms_cohort_country ON firms (cohort_id, country)")
    db.execute("CREATE INDEX idx_results_version ON results (assessment_id, questionnaire_version)")
    db.execute("CREATE INDEX idx_firm_scores_firm_key ON firm_scores (firm_id, key, is_latest, score)")
    db.execute("CREATE TRIGGER firm_scores_follow_cohort AFTER UPDATE OF cohort_id ON firms "
               "BEGIN UPDATE firm_scores SET cohort_id = NEW.cohort_id WHERE firm_id = NEW.id; END")
    _cohort_score_counts(db)
    _cohort_movement_counts(db)


def _cohort_score_counts(db):
    db.execute("""
        CREATE TABLE cohort_score_counts (
            cohort_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            score REAL NOT NULL,
            level INTEGER NOT NULL,
            firms INTEGER NOT NULL,
            PRIMARY KEY (cohort_id, key, score, level)
        ) WITHOUT ROWID""")
    db.execute("INSERT INTO cohort_score_counts (cohort_id, key, score, level, firms) "
               "SELECT cohort_id, key, score, level, count(*) FROM firm_scores "
               "WHERE is_latest = 1 AND cohort_id IS NOT NULL GROUP BY cohort_id, key, score, level")
    add_one = ("INSERT INTO cohort_score_counts (cohort_id, key, score, level, firms) "
               "SELECT NEW.cohort_id, NEW.key, NEW.score, NEW.level, 1 "
               "WHERE NEW.is_latest = 1 AND NEW.cohort_id IS NOT NULL "
               "ON CONFLICT (cohort_id, key, score, level) DO UPDATE SET firms = firms + 1;")
    match_old = "cohort_id = OLD.cohort_id AND key = OLD.key AND score = OLD.score AND level = OLD.level"
    take_one = (f"UPDATE cohort_score_counts SET firms = firms - 1 WHERE OLD.is_latest = 1 AND {match_old}; "
                f"DELETE FROM cohort_score_counts WHERE firms <= 0 AND {match_old};")
    db.execute(f"CREATE TRIGGER cohort_score_counts_insert AFTER INSERT ON firm_scores "
               f"WHEN NEW.is_latest = 1 BEGIN {add_one} END")
    db.execute(f"CREATE TRIGGER cohort_score_counts_delete AFTER DELETE ON firm_scores "
               f"WHEN OLD.is_latest = 1 BEGIN {take_one} END")
    db.execute(f"CREATE TRIGGER cohort_score_counts_update AFTER UPDATE OF key, score, level, is_latest, cohort_id "
               f"ON firm_scores WHEN OLD.is_latest = 1 OR NEW.is_latest = 1 BEGIN {take_one} {add_one} END")


def _movement_pair(row):
    """SELECT (cohort, key, change) of ``row``'s T0-T1 pair, from its partner row in the other round."""
    return (f"SELECT CASE WHEN {row}.round_no = 1 THEN {row}.cohort_id ELSE o.cohort_id END AS cohort_id, "
            f"{row}.key AS key, "
            f"round(CASE WHEN {row}.round_no = 1 THEN {row}.score - o.score "
            f"ELSE o.score - {row}.score END, 2) AS change "
            f"FROM firm_scores o WHERE o.firm_id = {row}.firm_id AND o.round_no = 1 - {row}.round_no "
            f"AND o.key = {row}.key")


def _cohort_movement_counts(db):
    db.execute("""
        CREATE TABLE cohort_movement_counts (
            cohort_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            change REAL NOT NULL,
            firms INTEGER NOT NULL,
            PRIMARY KEY (cohort_id, key, change)
        ) WITHOUT ROWID""")
    db.execute("INSERT INTO cohort_movement_counts (cohort_id, key, change, firms) "
               "SELECT b.cohort_id, b.key, round(b.score - a.score, 2) AS change, count(*) "
               "FROM firm_scores a JOIN firm_scores b ON b.firm_id = a.firm_id AND b.round_no = 1 AND b.key = a.key "
               "WHERE a.round_no = 0 AND b.cohort_id IS NOT NULL GROUP BY b.cohort_id, b.key, change")
    add_pair = (f"INSERT INTO cohort_movement_counts (cohort_id, key, change, firms) "
                f"SELECT pair.*, 1 FROM ({_movement_pair('NEW')}) AS pair WHERE pair.cohort_id IS NOT NULL "
                f"ON CONFLICT (cohort_id, key, change) DO UPDATE SET firms = firms + 1;")
    match_old = f"(cohort_id, key, change) = ({_movement_pair('OLD')})"
    take_pair = (f"UPDATE cohort_movement_counts SET firms = firms - 1 WHERE {match_old}; "
                 f"DELETE FROM cohort_movement_counts WHERE firms <= 0 AND {match_old};")
    db.execute(f"CREATE TRIGGER cohort_movement_counts_insert AFTER INSERT ON firm_scores "
               f"WHEN NEW.round_no IN (0, 1) BEGIN {add_pair} END")
    db.execute(f"CREATE TRIGGER cohort_movement_counts_delete AFTER DELETE ON firm_scores "
               f"WHEN OLD.round_no IN (0, 1) BEGIN {take_pair} END")
    # round_no and firm_id are never updated (a round is deleted and inserted again)
    db.execute(f"CREATE TRIGGER cohort_movement_counts_update AFTER UPDATE OF key, score, cohort_id ON firm_scores "
               f"WHEN OLD.round_no IN (0, 1) BEGIN {take_pair} {add_pair} END")
