"""The only place that opens SQLite: connections, pragmas, write transactions, migrations."""
import contextlib
import sqlite3
import threading

import sqlite_utils
from flask import current_app, g

from assessment.migrations import migrations

BUSY_TIMEOUT_MS = 10_000
# How long a write may wait for its turn before the respondent is asked to send again (503):
# writes queue on a lock of this process (in order, no polling), and only the one at the head
# of each worker process's queue waits on SQLite's busy timeout for the other workers.
WRITE_WAIT_S = 30
_write_turn = threading.Lock()


class DatabaseBusy(Exception):
    """A write could not get its turn in time: the server is overloaded. Nothing was written."""


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


_thread = threading.local()


def get_db():
    """The request's (or CLI command's) database: the worker thread's own connection."""
    if "db" not in g:
        g.db = _thread_connection(current_app.config["DATABASE"])
    return g.db


def _thread_connection(path):
    """One connection per worker thread, kept between requests: opening one cost more than most
    pages' queries under the workshop load. A thread that switches files (tests) closes the old."""
    kept = getattr(_thread, "connection", None)
    if kept is not None and kept[0] == path:
        return kept[1]
    if kept is not None:
        kept[1].close()
    db = connect(path)
    _thread.connection = (path, db)
    return db


def close_db(exc=None):
    """End of request: the connection stays open for the thread's next request, never inside a
    transaction."""
    db = g.pop("db", None)
    if db is not None:
        db.rollback()


@contextlib.contextmanager
def write_transaction(db):
    """A short write transaction begun IMMEDIATE, one at a time per process: concurrent writers
    wait their turn instead of all polling SQLite's busy timeout. Raises DatabaseBusy (nothing
    written) when the turn does not come within WRITE_WAIT_S or SQLite stays locked."""
    if not _write_turn.acquire(timeout=WRITE_WAIT_S):
        raise DatabaseBusy(f"no turn to write within {WRITE_WAIT_S} s")
    try:
        _begin_immediate(db)
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        _commit(db)
    finally:
        _write_turn.release()


def _is_busy(exc):
    return "locked" in str(exc) or "busy" in str(exc)


def _begin_immediate(db):
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise DatabaseBusy(str(exc)) from exc
        raise


def _commit(db):
    try:
        db.commit()
    except sqlite3.OperationalError as exc:
        db.rollback()
        if _is_busy(exc):
            raise DatabaseBusy(str(exc)) from exc
        raise


def close_thread_connection():
    """Closes this thread's kept connection: before a server forks its workers, and before its file
    is deleted or replaced (a new file at the same path would otherwise be served by the old file's
    connection)."""
    kept = getattr(_thread, "connection", None)
    if kept is not None:
        kept[1].close()
        _thread.connection = None
    if g:  # in an app context: its end must not roll back the closed connection
        g.pop("db", None)


def migrate(db):
    """Applies pending schema migrations; returns the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


def init_app(app):
    app.teardown_appcontext(close_db)


def backup(db, target):
    """A consistent copy of the live database in ``target`` (VACUUM INTO: safe while the server
    writes; never a file copy)."""
    db.execute("VACUUM INTO ?", [str(target)])
