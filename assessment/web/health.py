"""GET /healthz for a load balancer or an uptime monitor: 200 "ok" when the database answers with
SmartStep's schema, 503 otherwise. Plain text, never cached, no session and no language: a
monitor asks every few seconds."""
import sqlite3

from flask import Blueprint, Response

from assessment.db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        get_db().execute("SELECT 1 FROM assessments LIMIT 1").fetchall()
    except sqlite3.Error:
        return _plain("database unavailable\n", 503)
    return _plain("ok\n", 200)


def _plain(text, status):
    return Response(text, status=status, headers={"Content-Type": "text/plain; charset=utf-8",
                                                  "Cache-Control": "no-store"})
