"""One place for timestamps, stored as UTC ISO 8601 text."""
from datetime import datetime, timezone


def now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
