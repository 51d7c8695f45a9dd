"""Per-organisation tokens for the read-only results API; only a SHA-256 hash is stored."""
import hashlib
import secrets

from assessment.db import write_transaction
from assessment.store.clock import now
from assessment.store.rows import one_row

TOKEN_BYTES = 32  # 256 bits


class TokenNotFound(LookupError):
    """No organisation has this token (or no token was given)."""


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def replace_token(db, org_id):
    """A new token for the organisation, replacing any earlier one; the plain token is returned once
    and never stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction(db):
        db.execute("INSERT INTO api_tokens (org_id, token_hash, created_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (org_id) DO UPDATE SET token_hash = excluded.token_hash, "
                   "created_at = excluded.created_at", [org_id, hash_token(token), now()])
    return token


def token_created_at(db, org_id):
    """When the organisation's current token was made, or None when it has none."""
    rows = list(db.query("SELECT created_at FROM api_tokens WHERE org_id = ?", [org_id]))
    return rows[0]["created_at"] if rows else None


def org_of_token(db, token):
    """:raise TokenNotFound: for a missing, malformed or unknown token."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        raise TokenNotFound(token)
    return one_row(db, "SELECT org_id FROM api_tokens WHERE token_hash = ?", [hash_token(token)],
                   TokenNotFound(token))["org_id"]
