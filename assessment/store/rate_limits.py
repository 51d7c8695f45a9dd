"""Rate-limit counters that every worker process shares: a small SQLite file beside the database.

Flask-Limiter keeps its counters in a `limits` storage; its "memory://" storage is one process's,
so with several server workers a guesser would get the limit once per worker. This storage is
registered for URIs ``smartstep+sqlite:///path/to/file`` and implements the fixed-window
strategy. Keys (which contain client addresses) are stored only as keyed hashes and only until
their window ends: no client address is ever written down.
"""
import hashlib
import hmac
import random
import threading
import time

from limits.storage import Storage

from assessment.db import connect

SCHEME = "smartstep+sqlite"


class SqliteLimitStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri, wrap_exceptions=False, key_secret="", **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        self.secret = str(key_secret).encode()
        self.local = threading.local()

    @property
    def base_exceptions(self):
        import sqlite3
        return sqlite3.Error

    def _db(self):
        db = getattr(self.local, "db", None)
        if db is None:
            db = connect(self.path)
            db.execute("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, "
                       "count INTEGER NOT NULL, expires REAL NOT NULL)")
            self.local.db = db
        return db

    def _key(self, key):
        return hmac.new(self.secret, key.encode(), hashlib.sha256).hexdigest()

    def incr(self, key, expiry, amount=1):
        now = time.time()
        db = self._db()
        if random.random() < 0.01:  # now and then, forget windows long over
            db.execute("DELETE FROM counters WHERE expires < ?", [now])
        row = db.execute(
            "INSERT INTO counters (key, count, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
            "count = CASE WHEN expires <= ? THEN excluded.count ELSE count + excluded.count END, "
            "expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END RETURNING count",
            [self._key(key), amount, now + expiry, now, now]).fetchall()  # all: ends the statement
        return row[0][0]

    def get(self, key):
        row = self._db().execute("SELECT count FROM counters WHERE key = ? AND expires > ?",
                                 [self._key(key), time.time()]).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key):
        row = self._db().execute("SELECT expires FROM counters WHERE key = ? AND expires > ?",
                                 [self._key(key), time.time()]).fetchone()
        return row[0] if row else time.time()

    def check(self):
        return True

    def reset(self):
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key):
        self._db().execute("DELETE FROM counters WHERE key = ?", [self._key(key)])


def storage_uri(database_path):
    """The counters' file for a database file: beside it, named after it."""
    return f"{SCHEME}://{database_path}.limits"
