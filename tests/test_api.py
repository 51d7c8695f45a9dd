"""The read-only results API with a per-organisation token, and the admin page that makes the token."""
import re

import pytest

from assessment.core.benchmark import MIN_GROUP
from assessment.store import api_tokens, firms, staff
from tests.exchange_helpers import (  # noqa: F401  (fixtures are used by name)
    FIRM_HEADERS, answer_headers, answer_row, csv_file, firm_rows, login, new_cohort, upload)


@pytest.fixture
def admin(db, org):
    return staff.create_user(db, org, "admin@a.org", "password-123", "admin")


def make_token(client, email="admin@a.org"):
    client.post("/staff/logout")
    assert login(client, email).status_code == 302
    response = client.post("/staff/admin/api-token")
    assert response.status_code == 200
    return re.search(r'<p class="code small" id="api-token">([^<]+)</p>', response.get_data(as_text=True)).group(1)


def cohort_with_results(pm, questionnaire, firm_count, name="Intake 2026"):
    """A cohort whose firms all have a T0 result (firm n answers every item at n % 5)."""
    cohort_id = new_cohort(pm, name)
    assert upload(pm, cohort_id, "firms", csv_file(FIRM_HEADERS, firm_rows(firm_count)), "f.csv").status_code == 302
    rows = [answer_row(questionnaire, f"Firm {n}", level=n % 5) for n in range(1, firm_count + 1)]
    response = upload(pm, cohort_id, "answers", csv_file(answer_headers(questionnaire), rows), "a.csv")
    assert response.status_code == 302
    return cohort_id


def get_results(client, cohort_id, token):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(f"/api/cohorts/{cohort_id}/results", headers=headers)


def test_the_admin_makes_a_token_shown_once_and_only_its_hash_is_stored(client, db, admin):
    page = client.get("/staff/admin/api-token")
    assert page.status_code == 302  # not logged in
    token = make_token(client)
    assert len(token) >= 40
    stored = list(db.query("SELECT * FROM api_tokens"))
    assert len(stored) == 1 and stored[0]["org_id"] == admin["org_id"]
    assert stored[0]["token_hash"] == api_tokens.hash_token(token) and token not in "\n".join(db.conn.iterdump())
    again = client.get("/staff/admin/api-token").get_data(as_text=True)
    assert token not in again and "A token exists since" in again


def test_only_admins_reach_the_token_page(pm):
    assert pm.get("/staff/admin/api-token").status_code == 403
    assert pm.post("/staff/admin/api-token").status_code == 403


def test_a_good_token_reads_the_cohorts_results(client, db, admin, questionnaire):
    token = make_token(client)
    cohort_id = cohort_with_results(client, questionnaire, 3)
    response = get_results(client, cohort_id, token)
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["cohort"] == {"id": cohort_id, "name": "Intake 2026", "starts_on": "2026-01-10", "ends_on": None}
    assert [f["name"] for f in data["firms"]] == ["Firm 1", "Firm 2", "Firm 3"]
    for firm in data["firms"]:
        stored = firms.round_scores(db, firm["id"])[0]
        t0 = firm["rounds"]["T0"]
        assert t0["overall"] == stored["overall"][0]
        assert t0["pillars"] == {p.id: stored[f"pillar:{p.id}"][0] for p in questionnaire.pillars}
        assert t0["dimensions"] == {d.id: stored[f"dimension:{d.id}"][0] for d in questionnaire.dimensions}
        assert {k: firm[k] for k in ("country", "sector", "size_band")} == \
            {k: firms.get_firm(db, firm["id"], admin["org_id"])[k] for k in ("country", "sector", "size_band")}
    assert data["firms"][1]["rounds"]["T0"]["overall"] == 2.0


def test_no_group_statistic_is_given_for_fewer_than_5_firms(client, admin, questionnaire):
    token = make_token(client)
    cohort_id = cohort_with_results(client, questionnaire, MIN_GROUP - 1)
    data = get_results(client, cohort_id, token).get_json()
    assert data["group"] == {}
    assert all(f["rounds"] for f in data["firms"])  # each firm's own figures are still there


def test_group_statistics_appear_from_5_firms(client, admin, questionnaire):
    token = make_token(client)
    cohort_id = cohort_with_results(client, questionnaire, MIN_GROUP)
    group = get_results(client, cohort_id, token).get_json()["group"]
    assert group["overall"] == {"size": 5, "median": 2.0, "q1": 1.0, "q3": 3.0}  # firms at 1, 2, 3, 4, 0
    assert all(g["size"] >= MIN_GROUP for g in group.values())
    assert {f"pillar:{p.id}" for p in questionnaire.pillars} <= set(group)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer not-the-token-at-all-xxxxxxxxxxxx", "Basic abc"])
def test_a_missing_or_wrong_token_gets_401_json(client, admin, questionnaire, header):
    make_token(client)
    cohort_id = new_cohort(client)
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(f"/api/cohorts/{cohort_id}/results", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/json" and "token" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_replaced_token_stops_working(client, admin):
    old = make_token(client)
    cohort_id = new_cohort(client)
    assert get_results(client, cohort_id, old).status_code == 200
    new = make_token(client)
    assert get_results(client, cohort_id, old).status_code == 401
    assert get_results(client, cohort_id, new).status_code == 200


def test_a_cohort_of_another_organisation_is_404(client, db, admin):
    mine = make_token(client)
    other = staff.ensure_organisation(db, "Incubator B")
    cohort_b = firms.create_cohort(db, other, "B's intake", "2026-02-01")
    response = get_results(client, cohort_b["id"], mine)
    assert response.status_code == 404 and "error" in response.get_json()
    assert get_results(client, 9999, mine).status_code == 404


def test_the_api_is_read_only_and_answers_errors_in_json(client, admin):
    token = make_token(client)
    cohort_id = new_cohort(client)
    response = client.post(f"/api/cohorts/{cohort_id}/results", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 405 and response.get_json()["error"] and "GET" in response.headers["Allow"]
    response = client.get("/api/nothing/here")
    assert response.status_code == 404 and response.get_json()["error"]


def test_the_api_needs_no_csrf_token_and_no_session(app, db, admin):
    """With CSRF on (the real set-up) and a fresh client without a session, the token alone suffices."""
    app.config["WTF_CSRF_ENABLED"] = True
    org_id = admin["org_id"]
    token = api_tokens.replace_token(db, org_id)
    cohort = firms.create_cohort(db, org_id, "Intake", "2026-01-01")
    response = app.test_client().get(f"/api/cohorts/{cohort['id']}/results",
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["firms"] == []


def test_the_cohort_page_shows_the_api_address(client, admin):
    login(client, "admin@a.org")
    cohort_id = new_cohort(client)
    page = client.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    assert f"http://localhost/api/cohorts/{cohort_id}/results" in page


def test_other_pages_keep_their_html_error_pages(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and response.mimetype == "text/html"
