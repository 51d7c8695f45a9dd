"""The read-only JSON API for a cohort's results, with a per-organisation token, and the admin page
that makes that token.

GET /api/cohorts/<id>/results with ``Authorization: Bearer <token>``. Every error is JSON
({"error": "..."}). Group statistics are given only for groups of at least 5 firms.
"""
from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from assessment.core.benchmark import MIN_GROUP
from assessment.core.cohort_tables import round_label
from assessment.db import get_db
from assessment.store import api_tokens, benchmarks, exchange, firms
from assessment.web import errors
from assessment.web.auth import require_login_for_blueprint
from assessment.web.forms import ButtonForm
from assessment.web.security import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

admin_bp = Blueprint("api_admin", __name__, url_prefix="/staff/admin")
require_login_for_blueprint(admin_bp, roles=("admin",))

MISSING_TOKEN = "send your organisation's API token in the header 'Authorization: Bearer <token>'"
BAD_TOKEN = "this API token is not valid (it may have been replaced); an admin can make a new one"


def json_error(status, message, **headers):
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


@bp.errorhandler(HTTPException)
def http_error(error):
    return json_error(error.code, error.description or error.name)


@bp.errorhandler(Exception)
def unexpected_error(error):
    current_app.logger.exception("API error")
    return json_error(500, "something went wrong on the server; try again later")


def bearer_token():
    scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@bp.get("/cohorts/<int:cohort_id>/results")
def cohort_results(cohort_id):
    token = bearer_token()
    if not token:
        return json_error(401, MISSING_TOKEN, **{"WWW-Authenticate": 'Bearer realm="SmartStep"'})
    db = get_db()
    try:
        org_id = api_tokens.org_of_token(db, token)
    except api_tokens.TokenNotFound:
        return json_error(401, BAD_TOKEN, **{"WWW-Authenticate": 'Bearer realm="SmartStep", error="invalid_token"'})
    try:
        cohort = firms.get_cohort(db, cohort_id, org_id)
    except firms.CohortNotFound:
        return json_error(404, f"your organisation has no cohort {cohort_id}")
    return jsonify(results_document(db, cohort))


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def routing_error(error):
    """Unknown API addresses and methods other than GET are answered in JSON too (routing errors never
    reach a blueprint's own handlers); every other page keeps its HTML error page."""
    if request.path.startswith(bp.url_prefix + "/"):
        if error.code == 405:
            return json_error(405, "the API is read-only: use GET", Allow=", ".join(error.valid_methods or ["GET"]))
        return json_error(404, "no such API address; see GET /api/cohorts/<id>/results")
    return errors.render_error(error)


def results_document(db, cohort):
    """The cohort, each firm with its combined scores per round, and the group figures of the firms'
    latest rounds — only for groups of at least MIN_GROUP firms."""
    rounds = {}
    for firm, round_no, scores in exchange.cohort_round_scores(db, cohort["id"]):
        rounds.setdefault(firm["id"], {})[round_label(round_no)] = round_entry(scores)
    summaries = benchmarks.cohort_summaries(db, cohort["id"])
    return {
        "cohort": {"id": cohort["id"], "name": cohort["name"], "starts_on": cohort["starts_on"],
                   "ends_on": cohort["ends_on"]},
        "firms": [{"id": f["id"], "name": f["name"], "country": f["country"], "sector": f["sector"],
                   "size_band": f["size_band"], "region": f["region"], "current_round": round_label(f["current_round"]),
                   "rounds": rounds.get(f["id"], {})} for f in firms.firms_of_cohort(db, cohort["id"])],
        "group": {key: {"size": s.size, "median": s.median, "q1": s.q1, "q3": s.q3}
                  for key, s in summaries.items() if s.size >= MIN_GROUP},
        "group_basis": f"each firm's latest round; only groups of at least {MIN_GROUP} firms",
    }


def round_entry(scores):
    """{key: (score, level)} from firm_scores -> {"overall": x, "pillars": {...}, "dimensions": {...}}."""
    entry = {"overall": scores.get("overall", (None,))[0], "pillars": {}, "dimensions": {}}
    for key, (score, _level) in scores.items():
        kind, _, ident = key.partition(":")
        if kind in ("pillar", "dimension"):
            entry[kind + "s"][ident] = score
    return entry


@admin_bp.route("/api-token", methods=["GET", "POST"])
def api_token():
    """An admin makes (or replaces) the organisation's API token; it is shown once, only its hash is kept."""
    form = ButtonForm()
    token = None
    if form.validate_on_submit():
        token = api_tokens.replace_token(get_db(), g.user["org_id"])
    example = url_for("api.cohort_results", cohort_id=first_cohort_id(), _external=True)
    return render_template("api/token.html", form=form, token=token, example_url=example,
                           created_at=api_tokens.token_created_at(get_db(), g.user["org_id"]))


def first_cohort_id():
    cohorts = firms.cohorts_of(get_db(), g.user["org_id"])
    return cohorts[0]["id"] if cohorts else 1
