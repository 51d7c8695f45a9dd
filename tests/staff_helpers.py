"""Helpers for staff and workshop tests: accounts, logins, workshops, and participants who join one."""
import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from assessment.db import connect
from assessment.store import staff, workshops
from tests.conftest import PROFILE, Respondent

PASSWORD = "correct horse battery"


def db_of(app):
    return connect(app.config["DATABASE"])


def make_user(app, email, org="Agency A", role="facilitator", password=PASSWORD):
    """A staff account (and its organisation, created on first use); returns the user row."""
    db = db_of(app)
    return staff.create_user(db, staff.ensure_organisation(db, org), email, password, role)


def make_workshop(app, user, status="open", title="Metal workshops, Nakuru"):
    """A workshop of the user's organisation, in the given status ('draft', 'open' or 'closed')."""
    db = db_of(app)
    workshop = workshops.create_workshop(db, user["org_id"], user["id"], title, "2024-05-14", "core", "en")
    if status != "draft":
        workshops.set_status(db, workshop["id"], user["org_id"], status)
    return workshops.get_workshop(db, workshop["id"], user["org_id"])


def login(client, email, password=PASSWORD):
    return client.post("/staff/login", data={"email": email, "password": password})


def csrf_token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def workshop_urls(workshop_id):
    """Every workshop URL a facilitator has, as (method, url)."""
    base = f"/staff/workshops/{workshop_id}"
    return [("GET", base), ("POST", base + "/status"), ("GET", base + "/projector"),
            ("GET", base + "/dashboard"), ("GET", base + "/live.json"), ("GET", base + "/qr.svg"),
            ("GET", base + "/results.csv"), ("GET", base + "/results.xlsx"), ("GET", base + "/summary.pdf")]


def build_url(app, rule):
    """A concrete URL for a rule: 1 for integer parts, the first choice of an any(), "x" otherwise."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def assessment_count(app, workshop_id=None):
    db = db_of(app)
    if workshop_id is None:
        return db.execute("SELECT count(*) FROM assessments").fetchone()[0]
    return db.execute("SELECT count(*) FROM assessments WHERE workshop_id = ?", [workshop_id]).fetchone()[0]


class Participant(Respondent):
    """A respondent who joins a workshop through /j/CODE (its own client: its own cookies)."""

    def __init__(self, client, questionnaire, code, share_name=False):
        self.client, self.questionnaire = client, questionnaire
        data = {"share_name": "y"} if share_name else {}
        response = client.post(f"/j/{code}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.token = response.headers["Location"].split("/")[2]


def join_and_complete(app, questionnaire, code, level=2, firm_name="Taller Núñez", share_name=False):
    """A new participant (own client) who joins the workshop and completes it with every item at ``level``."""
    participant = Participant(app.test_client(), questionnaire, code, share_name=share_name)
    participant.complete(level_for=lambda item: str(level), profile={**PROFILE, "firm_name": firm_name})
    return participant


@pytest.fixture
def facilitator(app):
    return make_user(app, "fac@agency-a.org", org="Agency A", role="facilitator")


@pytest.fixture
def staff_client(client, facilitator):
    """A client (CSRF off) logged in as Agency A's facilitator."""
    assert login(client, facilitator["email"]).status_code == 302
    return client


@pytest.fixture
def open_workshop(app, facilitator):
    return make_workshop(app, facilitator, status="open")
