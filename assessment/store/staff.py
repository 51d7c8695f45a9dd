"""Organisations (agencies, incubators) and their staff accounts."""
import functools
import sqlite3

from werkzeug.security import check_password_hash, generate_password_hash

from assessment.db import write_transaction
from assessment.store.clock import now
from assessment.store.rows import one_row

ROLES = ("admin", "facilitator", "programme_manager")
MIN_PASSWORD_LENGTH = 10


class StaffError(ValueError):
    """A staff account request that cannot be done; the message says why."""


class UserNotFound(LookupError):
    pass


def ensure_organisation(db, name):
    """The organisation's id, creating it on first use."""
    name = (name or "").strip()
    if not name:
        raise StaffError("an organisation needs a name")
    with write_transaction(db):
        db.execute("INSERT OR IGNORE INTO organisations (name, created_at) VALUES (?, ?)", [name, now()])
    return next(db.query("SELECT id FROM organisations WHERE name = ?", [name]))["id"]


def check_password_rules(password):
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise StaffError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def create_user(db, org_id, email, password, role):
    """Adds a staff account with a hashed password; raises StaffError naming what is wrong."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise StaffError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    try:
        with write_transaction(db):
            cursor = db.execute(
                "INSERT INTO users (org_id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
                [org_id, email, generate_password_hash(password), role, now()])
    except sqlite3.IntegrityError as exc:
        raise StaffError(f"there is already an account for {email}") from exc
    return get_user(db, cursor.lastrowid)


def get_user(db, user_id):
    return one_row(db, "SELECT u.*, o.name AS org_name FROM users u JOIN organisations o ON o.id = u.org_id "
                       "WHERE u.id = ?", [user_id], UserNotFound(user_id))


def authenticate(db, email, password):
    """The active user with this e-mail and password, else None (same answer for every failure)."""
    rows = list(db.query("SELECT id, password_hash, active FROM users WHERE email = ?",
                         [(email or "").strip().lower()]))
    if not rows:
        check_password_hash(_dummy_hash(), password or "")  # same time whether or not the account exists
        return None
    row = rows[0]
    if not check_password_hash(row["password_hash"], password or "") or not row["active"]:
        return None
    with write_transaction(db):
        db.execute("UPDATE users SET last_login_at = ? WHERE id = ?", [now(), row["id"]])
    return get_user(db, row["id"])


@functools.cache
def _dummy_hash():
    return generate_password_hash("not-a-real-password")


def users_of(db, org_id):
    return list(db.query("SELECT * FROM users WHERE org_id = ? ORDER BY email", [org_id]))


def set_active(db, org_id, user_id, active):
    """Enables or disables an account of this organisation; raises UserNotFound for any other."""
    with write_transaction(db):
        cursor = db.execute("UPDATE users SET active = ?, session_version = session_version + 1 "
                            "WHERE id = ? AND org_id = ?", [int(active), user_id, org_id])
    if cursor.rowcount != 1:
        raise UserNotFound(user_id)


def end_sessions(db, user_id):
    """Makes every existing session of this account invalid (logout everywhere)."""
    with write_transaction(db):
        db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])


def retention_days(db, org_id):
    """Days after which the organisation's unfinished workshop assessments are removed (None: kept)."""
    return db.execute("SELECT retention_days FROM organisations WHERE id = ?", [org_id]).fetchone()[0]


def set_retention_days(db, org_id, days):
    with write_transaction(db):
        db.execute("UPDATE organisations SET retention_days = ? WHERE id = ?", [days, org_id])


def organisations_with_retention(db):
    return list(db.query("SELECT id, name, retention_days FROM organisations WHERE retention_days IS NOT NULL"))
