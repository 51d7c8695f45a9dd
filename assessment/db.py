"""The only place that opens SQLite: connections, pragmas, write transactions, migrations."""
import contextlib
import sqlite3

import sqlite_utils
from flask import current_app, g

from assessment.migrations import migrations

BUSY_TIMEOUT_MS = 10_000


def connect(path):
    """Opens the database file with the settings every connection needs.

    Driver autocommit (isolation_level=None) so that our own BEGIN IMMEDIATE decides when a
    write transaction starts; WAL so readers never block the writer; foreign keys enforced.
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn)
    if db.journal_mode != "wal":
        db.enable_wal()
    return db


def get_db():
    """The request's (or CLI command's) database, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exc=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@contextlib.contextmanager
def write_transaction(db):
    """A short write transaction begun IMMEDIATE, so concurrent writers queue on the busy
    timeout instead of failing half-way with "database is locked"."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.commit()


def migrate(db):
    """Applies pending schema migrations; returns the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


def init_app(app):
    app.teardown_appcontext(close_db)
