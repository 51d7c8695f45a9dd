"""Fixtures: a fresh app and SQLite file per test, a client, a CLI runner, and answer helpers."""
import pytest

from assessment import create_app
from assessment.cli import smartstep
from assessment.db import connect
from assessment.store import staff


@pytest.fixture(autouse=True)
def fresh_translations():
    """Flask-Babel keeps loaded catalogs on the module-wide Babel object, shared by every app of the
    process: each test starts without them, so that no test depends on which ran before."""
    from assessment.web.i18n import babel
    domain = babel.__dict__.get("domain_instance")  # a cached_property, once an app has asked for it
    if domain is not None:
        domain.cache.clear()


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(tmp_path / "smartstep.sqlite"),
    })
    result = app.test_cli_runner().invoke(smartstep, ["init-db"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def app_no_csrf(app):
    """The same app with CSRF off, for tests about everything else."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.fixture
def client(app_no_csrf):
    return app_no_csrf.test_client()


@pytest.fixture
def runner(app):
    class Runner:
        def invoke(self, args, **kwargs):
            return app.test_cli_runner().invoke(smartstep, args, **kwargs)
    return Runner()


@pytest.fixture
def db(app):
    """A connection of the test's own to the app's database file, for checking its state."""
    database = connect(app.config["DATABASE"])
    yield database
    database.close()


STAFF_PASSWORD = "password-123"


@pytest.fixture
def org(db):
    """An incubator with one programme manager, pm@a.org."""
    org_id = staff.ensure_organisation(db, "Incubator A")
    staff.create_user(db, org_id, "pm@a.org", STAFF_PASSWORD, "programme_manager")
    return org_id


@pytest.fixture
def pm(client, org):
    """The client, logged in as the programme manager."""
    response = client.post("/staff/login", data={"email": "pm@a.org", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def questionnaire(app):
    return app.extensions["smartstep.library"].questionnaires["core"]


PROFILE = {"firm_name": "Taller Núñez", "country": "KE", "sector": "metal", "size_band": "small",
           "goals": ["energy", "cost"], "has_design": "yes_own", "power_source": "grid"}


class Respondent:
    """Walks a client through the assessment the way a phone would."""

    def __init__(self, client, questionnaire):
        self.client, self.questionnaire = client, questionnaire
        response = client.post("/start")
        assert response.status_code == 302
        self.token = response.headers["Location"].split("/")[2]

    def url(self, page):
        return f"/a/{self.token}/{page}"

    def answer_profile(self, profile=PROFILE):
        return self.client.post(self.url("p/profile"), data={"nav": "next", **profile})

    def answer_pillar(self, pillar_id, level_for=lambda item: "2"):
        data = {"nav": "next"}
        for item in self.questionnaire.pillar(pillar_id).items:
            data[item.id] = level_for(item)
        return self.client.post(self.url(f"p/{pillar_id}"), data=data)

    def complete(self, level_for=lambda item: "2", profile=PROFILE):
        self.answer_profile(profile)
        for pillar in self.questionnaire.pillars:
            assert self.answer_pillar(pillar.id, level_for).status_code == 302
        response = self.client.post(self.url("review"))
        assert response.status_code == 302, response.data[:500]
        return response


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, once per browser test module (each module starts its own `server`)."""
    from tests.browser_helpers import launched_chromium

    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def no_server_errors(server):
    """Any traceback the module's server logs during a test fails that test, with the traceback shown."""
    from tests.browser_helpers import failing_on_server_errors

    with failing_on_server_errors(server):
        yield


@pytest.fixture
def respondent(client, questionnaire):
    return Respondent(client, questionnaire)
