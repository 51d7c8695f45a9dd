"""`smartstep demo`: an empty database gets the promised demo data, and a second run refuses."""
import re
import statistics

import pytest
from werkzeug.routing import AnyConverter

from assessment.db import connect
from assessment.store import staff
from tests.staff_helpers import csrf_token

ACCOUNT_LINE = re.compile(r"^\s+(admin|facilitator|programme manager)\s+(\S+@\S+)\s+(\S+)$", re.M)


@pytest.fixture
def demo_output(runner):
    result = runner.invoke(["demo", "--seed", "11"])
    assert result.exit_code == 0, result.output
    return result.output


def credentials(output):
    return {role: (email, password) for role, email, password in ACCOUNT_LINE.findall(output)}


def test_demo_fills_the_workshop_with_24_completed_participants(demo_output, db):
    [workshop] = list(db.query("SELECT * FROM workshops"))
    assert workshop["status"] == "closed"
    rows = list(db.query("SELECT status, share_name FROM assessments WHERE workshop_id = ?", [workshop["id"]]))
    assert len(rows) == 24 and {r["status"] for r in rows} == {"completed"}
    shared = sum(r["share_name"] for r in rows)
    assert 0 < shared < 24  # some participants shared their firm's name, others did not
    assert db.execute("SELECT count(*) FROM results r JOIN assessments a ON a.id = r.assessment_id "
                      "WHERE a.workshop_id = ?", [workshop["id"]]).fetchone()[0] == 24


def test_demo_cohort_has_30_firms_with_t0_and_t1(demo_output, db):
    [cohort] = list(db.query("SELECT * FROM cohorts"))
    firm_rounds = {}
    for row in db.query("SELECT f.id, s.round_no, s.is_latest FROM firms f JOIN firm_scores s ON s.firm_id = f.id "
                        "WHERE f.cohort_id = ? AND s.key = 'overall'", [cohort["id"]]):
        firm_rounds.setdefault(row["id"], {})[row["round_no"]] = row["is_latest"]
    assert len(firm_rounds) == 30
    assert all(rounds == {0: 0, 1: 1} for rounds in firm_rounds.values())
    names = {r["name"] for r in db.query("SELECT name FROM firms")}
    assert len(names) == 30 and {"Taller Núñez", "Fábrica São João", "Kumasi Furniture"} <= names
    assert len({r["country"] for r in db.query("SELECT country FROM firms")}) >= 10


def test_demo_answers_are_varied_and_realistic(demo_output, db):
    overall = {(r["firm_id"], r["round_no"]): r["score"] for r in db.query(
        "SELECT firm_id, round_no, score FROM firm_scores WHERE key = 'overall'")}
    firm_ids = {firm for firm, _round in overall}
    moved_up = sum(overall[(f, 1)] > overall[(f, 0)] for f in firm_ids)
    assert moved_up >= 20  # most firms moved up from T0 to T1
    by_size = {}
    for row in db.query("SELECT f.size_band, s.score FROM firms f JOIN firm_scores s ON s.firm_id = f.id "
                        "WHERE s.key = 'overall' AND s.round_no = 0"):
        by_size.setdefault(row["size_band"], []).append(row["score"])
    assert statistics.median(by_size["micro"]) < statistics.median(by_size["medium"])
    assert len(set(overall.values())) > 20
    values = [r["value"] for r in db.query("SELECT value FROM answers WHERE question_id LIKE 'hw_%'")]
    assert '"na"' in values and len(set(values)) >= 5  # "not relevant" and every level occur
    goals = {r["value"] for r in db.query("SELECT value FROM answers WHERE question_id = 'goals'")}
    assert len(goals) >= 10
    two_respondents = db.execute(
        "SELECT count(DISTINCT firm_id) FROM assessments WHERE firm_id IS NOT NULL AND respondent_role = 'production'"
    ).fetchone()[0]
    assert two_respondents >= 3
    assert db.execute("SELECT count(*) FROM firm_actions WHERE status = 'done'").fetchone()[0] > 0


def staff_get_urls(app, workshop_id, cohort_id, firm_ids, pointer_ids=()):
    """Every GET page under /staff, filled with the demo's workshop, cohort, firms and pointers."""
    values = {"workshop_id": [workshop_id], "cohort_id": [cohort_id], "firm_id": firm_ids,
              "row_id": list(pointer_ids)}
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or "GET" not in rule.methods:
            continue
        choices = [{}]
        for argument in sorted(rule.arguments):
            converter = rule._converters.get(argument)
            options = list(converter.items) if isinstance(converter, AnyConverter) else values.get(argument)
            assert options, f"no demo value for <{argument}> in {rule.rule}: add one to this test"
            choices = [{**c, argument: o} for c in choices for o in options]
        urls += [rule.build(c)[1] for c in choices]
    return urls


def log_in(app, email, password):
    """A client logged in through the real login form (CSRF on, as in production)."""
    client = app.test_client()
    token = csrf_token(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={"email": email, "password": password, "csrf_token": token})
    return client, response


def test_demo_staff_log_in_with_the_printed_credentials_and_every_page_answers(app, demo_output, db):
    logins = credentials(demo_output)
    assert set(logins) == {"admin", "facilitator", "programme manager"}
    landing = {"admin": "/staff/", "facilitator": "/staff/", "programme manager": "/staff/programme/"}
    for role, (email, password) in logins.items():
        client, response = log_in(app, email, password)
        assert response.status_code == 302, role
        assert client.get(landing[role]).status_code == 200
    admin, _response = log_in(app, *logins["admin"])
    workshop_id = db.execute("SELECT id FROM workshops").fetchone()[0]
    cohort_id = db.execute("SELECT id FROM cohorts").fetchone()[0]
    firm_ids = [r[0] for r in db.execute("SELECT id FROM firms ORDER BY id")]
    pointer_ids = [r[0] for r in db.execute("SELECT id FROM org_pointers")]
    urls = staff_get_urls(app, workshop_id, cohort_id, firm_ids, pointer_ids)
    assert len(urls) > 40
    for url in urls:
        assert admin.get(url).status_code == 200, url
    cohort_page = admin.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Median" in cohort_page and "Movement from T0 to T1" in cohort_page
    firm_pages = [admin.get(f"/staff/programme/firms/{f}").get_data(as_text=True) for f in firm_ids]
    assert any("disagree by more than one level" in page for page in firm_pages)
    assert any("Reopen" in page for page in firm_pages)  # an action marked done
    assert all("Percentile" in page for page in firm_pages)


def test_a_second_run_refuses_and_changes_nothing(runner, demo_output, db):
    before = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("assessments", "firms", "users")]
    result = runner.invoke(["demo"])
    assert result.exit_code != 0
    assert "already holds data" in result.output
    after = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("assessments", "firms", "users")]
    assert after == before


def test_demo_refuses_a_database_with_any_organisation(runner, db):
    staff.ensure_organisation(db, "Real Agency")
    result = runner.invoke(["demo"])
    assert result.exit_code == 1 and "organisations: 1" in result.output
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 0


def firm_score_rows(path):
    database = connect(path)
    rows = list(database.execute(
        "SELECT f.name, s.round_no, s.key, s.score FROM firm_scores s JOIN firms f ON f.id = s.firm_id "
        "ORDER BY f.name, s.round_no, s.key"))
    database.close()
    return rows


def test_same_seed_same_data_and_password_file_sets_every_password(tmp_path):
    from assessment import create_app
    from assessment.cli import smartstep

    password_file = tmp_path / "pw.txt"
    password_file.write_text("demo-password-2024\n", encoding="utf-8")
    paths = []
    for n in (1, 2):
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / f"demo{n}.sqlite")})
        result = app.test_cli_runner().invoke(smartstep, ["demo", "--seed", "7",
                                                          "--password-file", str(password_file)])
        assert result.exit_code == 0, result.output
        assert "demo-password-2024" not in result.output and "the password in" in result.output
        paths.append(app.config["DATABASE"])
    assert firm_score_rows(paths[0]) == firm_score_rows(paths[1])
    _client, response = log_in(app, "programme@demo-agency.example", "demo-password-2024")
    assert response.status_code == 302
