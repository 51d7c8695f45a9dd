"""Workshops: create, open, close, join, the dashboard and its anonymity floor, exports, QR, and who may see what."""
import csv
import io
import json
import re

import pytest
import segno
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.store import workshops
from tests.conftest import PROFILE
from tests.staff_helpers import (  # noqa: F401  (fixtures are used by name)
    PASSWORD, Participant, assessment_count, build_url, csrf_token, db_of, facilitator, join_and_complete, login,
    make_user, make_workshop, open_workshop, staff_client, workshop_urls)


def workshop_row(app, workshop_id):
    return db_of(app).execute("SELECT status, opened_at, closed_at FROM workshops WHERE id = ?",
                              [workshop_id]).fetchone()


# --- create, open, close ---------------------------------------------------------------------

GOOD_WORKSHOP = {"title": "Metal workshops, Nakuru", "held_on": "2024-05-14", "questionnaire": "core",
                 "language": "en"}


def test_a_facilitator_creates_a_workshop_as_a_draft(app, staff_client, facilitator):
    page = staff_client.get("/staff/workshops/new").get_data(as_text=True)
    assert 'name="title"' in page and 'name="held_on"' in page and 'name="questionnaire"' in page
    response = staff_client.post("/staff/workshops/new", data=GOOD_WORKSHOP)
    assert response.status_code == 302
    workshop_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    row = workshops.get_workshop(db_of(app), workshop_id, facilitator["org_id"])
    assert row["title"] == "Metal workshops, Nakuru" and row["held_on"] == "2024-05-14"
    assert row["status"] == "draft" and row["created_by"] == facilitator["id"]
    assert row["questionnaire_id"] == "core" and row["language"] == "en"
    assert re.fullmatch(r"[A-Z0-9]{6}", row["join_code"])
    detail = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert row["join_code"] in detail and "Open for participants" in detail
    assert "Metal workshops, Nakuru" in staff_client.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Give the workshop a title"),
    ({"title": "   "}, "Give the workshop a title"),
    ({"title": "x" * 121}, "Keep the title under 120 characters."),
    ({"held_on": ""}, "Choose the workshop's date."),
    ({"held_on": "14 May"}, "date"),
    ({"questionnaire": "nope"}, "Not a valid choice"),
])
def test_bad_workshop_input_gets_a_clear_message_and_keeps_the_rest(app, staff_client, changes, message):
    data = {**GOOD_WORKSHOP, **changes}
    response = staff_client.post("/staff/workshops/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'class="error"' in page
    for name in ("title", "held_on"):
        if name not in changes:
            assert f'value="{data[name]}"' in page, name
    assert db_of(app).execute("SELECT count(*) FROM workshops").fetchone()[0] == 0


def test_a_facilitator_opens_and_closes_a_workshop(app, staff_client, facilitator):
    workshop = make_workshop(app, facilitator, status="draft")
    url = f"/staff/workshops/{workshop['id']}/status"
    assert staff_client.post(url, data={"status": "open"}).status_code == 302
    status, opened_at, closed_at = workshop_row(app, workshop["id"])
    assert status == "open" and opened_at and closed_at is None
    assert "Close: no new participants" in staff_client.get(f"/staff/workshops/{workshop['id']}").get_data(as_text=True)
    assert staff_client.post(url, data={"status": "closed"}).status_code == 302
    status, _opened, closed_at = workshop_row(app, workshop["id"])
    assert status == "closed" and closed_at


@pytest.mark.parametrize("status", ["", "draft", "deleted"])
def test_an_unknown_status_is_refused(app, staff_client, open_workshop, status):
    assert staff_client.post(f"/staff/workshops/{open_workshop['id']}/status",
                             data={"status": status}).status_code == 400
    assert workshop_row(app, open_workshop["id"])[0] == "open"


# --- joining ---------------------------------------------------------------------------------

def spaced_lower(code):
    return " " + code[:3].lower() + " " + code[3:].lower() + " "


@pytest.mark.parametrize("typed", [str, str.lower, spaced_lower, lambda c: c[:3] + "-" + c[3:]])
def test_join_by_typing_the_code_on_the_landing_page(app, client, open_workshop, typed):
    assert "Workshop code" in client.get("/").get_data(as_text=True)
    response = client.post("/join", data={"code": typed(open_workshop["join_code"])})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{open_workshop['join_code']}"


def test_a_wrong_workshop_code_gets_a_clear_message_and_keeps_what_was_typed(client, open_workshop):
    response = client.post("/join", data={"code": "QQQQQQ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No workshop has the code QQQQQQ" in page and 'value="QQQQQQ"' in page


def test_the_join_page_shows_the_consent_note(client, open_workshop):
    page = client.get(f"/j/{open_workshop['join_code']}").get_data(as_text=True)
    assert "Metal workshops, Nakuru" in page
    assert "The facilitator sees how many people joined and finished" in page
    assert "without names" in page and "only if you tick the box" in page
    assert 'name="share_name"' in page and "Join and start" in page


@pytest.mark.parametrize("share_name", [False, True])
def test_joining_starts_an_assessment_linked_to_the_workshop(app, client, questionnaire, open_workshop, share_name):
    participant = Participant(client, questionnaire, open_workshop["join_code"].lower(), share_name=share_name)
    row = db_of(app).execute("SELECT workshop_id, share_name, questionnaire_id, language FROM assessments "
                             "WHERE token = ?", [participant.token]).fetchone()
    assert row == (open_workshop["id"], int(share_name), "core", "en")
    assert client.get(participant.url("started")).status_code == 200


def test_an_unknown_join_code_is_404(client):
    assert client.get("/j/QQQQQQ").status_code == 404
    assert client.post("/j/QQQQQQ").status_code == 404


@pytest.mark.parametrize("status, message", [
    ("closed", "This workshop is closed and takes no new participants."),
    ("draft", "This workshop has not started yet."),
])
def test_a_closed_or_draft_workshop_takes_no_new_participants(app, client, facilitator, status, message):
    workshop = make_workshop(app, facilitator, status=status)
    page = client.get(f"/j/{workshop['join_code']}").get_data(as_text=True)
    assert message in page and "Join and start" not in page
    response = client.post(f"/j/{workshop['join_code']}", data={"share_name": "y"})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert assessment_count(app) == 0


def test_a_closed_workshop_keeps_its_results(app, staff_client, questionnaire, open_workshop):
    join_and_complete(app, questionnaire, open_workshop["join_code"], level=3)
    Participant(app.test_client(), questionnaire, open_workshop["join_code"])  # joined, never finished
    staff_client.post(f"/staff/workshops/{open_workshop['id']}/status", data={"status": "closed"})
    assert client_cannot_join(app, open_workshop)
    base = f"/staff/workshops/{open_workshop['id']}"
    live = staff_client.get(base + "/live.json").get_json()
    assert live["counts"] == {"joined": 2, "in_progress": 1, "stopped": 0, "completed": 1}
    assert 'data-count="completed">1<' in staff_client.get(base + "/dashboard").get_data(as_text=True)
    rows = csv_rows(staff_client.get(base + "/results.csv"))
    assert len(rows) == 1 and rows[0]["overall_score"] == "3.0"
    assert "completed: 1" in staff_client.get(base).get_data(as_text=True)


def client_cannot_join(app, workshop):
    before = assessment_count(app)
    app.test_client().post(f"/j/{workshop['join_code']}")
    return assessment_count(app) == before


# --- authorisation ---------------------------------------------------------------------------

@pytest.fixture
def other_org_workshop(app, questionnaire):
    """A workshop of Agency B, with 5 completed participants (so every page of it has content)."""
    owner = make_user(app, "fac@agency-b.org", org="Agency B")
    workshop = make_workshop(app, owner, title="Agency B's secret workshop")
    for level in range(5):
        join_and_complete(app, questionnaire, workshop["join_code"], level=level, firm_name="Secret Ltd",
                          share_name=True)
    return workshop


def test_another_organisations_workshops_are_404_by_any_id(app, staff_client, open_workshop, other_org_workshop):
    ids = [other_org_workshop["id"], other_org_workshop["id"] + 1000, 0, 999999]
    for workshop_id in ids:
        for method, url in workshop_urls(workshop_id):
            response = staff_client.open(url, method=method, data={"status": "closed"})
            assert response.status_code == 404, (method, url, response.status_code)
            assert "Secret" not in response.get_data(as_text=True)
    assert workshop_row(app, other_org_workshop["id"])[0] == "open"
    index = staff_client.get("/staff/").get_data(as_text=True)
    assert "Agency B" not in index and other_org_workshop["join_code"] not in index
    # the facilitator's own workshop answers on every one of the same URLs
    for method, url in workshop_urls(open_workshop["id"]):
        if not url.endswith("summary.pdf"):  # the summary PDF has its own test
            data = {"status": "open"}
            assert staff_client.open(url, method=method, data=data).status_code in (200, 302), url


def test_an_admin_of_another_organisation_gets_404_too(app, client, other_org_workshop):
    admin = make_user(app, "boss@agency-a.org", org="Agency A", role="admin")
    login(client, admin["email"])
    for method, url in workshop_urls(other_org_workshop["id"]):
        assert client.open(url, method=method, data={"status": "closed"}).status_code == 404, url


def test_a_respondent_without_a_staff_login_gets_no_dashboard_or_export(app, client, questionnaire, open_workshop):
    participant = join_and_complete(app, questionnaire, open_workshop["join_code"])
    for method, url in workshop_urls(open_workshop["id"]):
        response = participant.client.open(url, method=method, data={"status": "closed"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), url
    assert workshop_row(app, open_workshop["id"])[0] == "open"


@pytest.fixture
def csrf_app(app):
    """The app as in production: CSRF on (no test here uses the CSRF-off `client` fixture)."""
    assert app.config.get("WTF_CSRF_ENABLED", True)
    return app


def logged_in_browser(app, email):
    browser = app.test_client()
    token = csrf_token(browser.get("/staff/login").get_data(as_text=True))
    assert browser.post("/staff/login", data={"csrf_token": token, "email": email,
                                              "password": PASSWORD}).status_code == 302
    return browser


def test_every_staff_post_without_a_csrf_token_gets_400(csrf_app):
    app = csrf_app
    admin = make_user(app, "boss@agency-a.org", org="Agency A", role="admin")
    colleague = make_user(app, "fac@agency-a.org")
    workshop = make_workshop(app, admin, status="open")
    browser = logged_in_browser(app, admin["email"])
    posts = [
        (f"/staff/workshops/{workshop['id']}/status", {"status": "closed"}),
        ("/staff/workshops/new", GOOD_WORKSHOP),
        ("/staff/admin/users", {"email": "new@agency-a.org", "password": PASSWORD, "role": "admin"}),
        (f"/staff/admin/users/{colleague['id']}/active", {"active": "0"}),
        ("/staff/logout", {}),
        (f"/j/{workshop['join_code']}", {"share_name": "y"}),
        ("/join", {"code": workshop["join_code"]}),
    ]
    for url, data in posts:
        response = browser.post(url, data=data)
        assert response.status_code == 400, url
        assert "This page could not be sent" in response.get_data(as_text=True)
    db = db_of(app)
    assert workshop_row(app, workshop["id"])[0] == "open"
    assert db.execute("SELECT count(*) FROM workshops").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 2
    assert db.execute("SELECT active FROM users WHERE id = ?", [colleague["id"]]).fetchone()[0] == 1
    assert assessment_count(app) == 0
    assert browser.get("/staff/").status_code == 200  # still logged in: the logout without token was refused
    # a stale or forged token is refused the same way
    response = browser.post("/staff/logout", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_every_post_rule_refuses_a_logged_in_request_without_a_token(csrf_app):
    """Not just the forms listed above: every rule that takes POST, logged in as an admin."""
    app = csrf_app
    admin = make_user(app, "boss@agency-a.org", org="Agency A", role="admin")
    make_workshop(app, admin, status="open")
    browser = logged_in_browser(app, admin["email"])
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        assert browser.post(build_url(app, rule)).status_code == 400, rule.rule


def test_posts_with_a_token_work_with_csrf_on(csrf_app):
    app = csrf_app
    user = make_user(app, "fac@agency-a.org")
    browser = logged_in_browser(app, user["email"])
    token = csrf_token(browser.get("/staff/workshops/new").get_data(as_text=True))
    response = browser.post("/staff/workshops/new", data={**GOOD_WORKSHOP, "csrf_token": token})
    assert response.status_code == 302
    detail = browser.get(response.headers["Location"]).get_data(as_text=True)
    workshop_id = int(response.headers["Location"].split("/")[-1])
    response = browser.post(f"/staff/workshops/{workshop_id}/status",
                            data={"status": "open", "csrf_token": csrf_token(detail)})
    assert response.status_code == 302 and workshop_row(app, workshop_id)[0] == "open"
    code = db_of(app).execute("SELECT join_code FROM workshops").fetchone()[0]
    phone = app.test_client()
    join_page = phone.get(f"/j/{code}").get_data(as_text=True)
    assert phone.post(f"/j/{code}", data={"csrf_token": csrf_token(join_page)}).status_code == 302
    assert assessment_count(app, workshop_id) == 1


# --- the dashboard, live.json and the anonymity floor ---------------------------------------

GROUP_MARKERS = ["Median", "Firms at each level", "Most common gaps"]


def test_with_4_completed_no_group_statistic_is_shown(app, staff_client, questionnaire, open_workshop):
    for level in (0, 1, 2, 3):
        join_and_complete(app, questionnaire, open_workshop["join_code"], level=level)
    for _ in range(2):  # 6 joined, but only 4 completed: still below the floor
        Participant(app.test_client(), questionnaire, open_workshop["join_code"]).answer_profile()
    base = f"/staff/workshops/{open_workshop['id']}"
    page = staff_client.get(base + "/dashboard").get_data(as_text=True)
    assert 'data-count="completed">4<' in page
    for marker in GROUP_MARKERS:
        assert marker not in page
    assert "Group results appear when at least 5 participants have completed" in page
    live = staff_client.get(base + "/live.json").get_json()
    assert live["counts"] == {"joined": 6, "in_progress": 2, "stopped": 0, "completed": 4}
    assert live["pillars"] == [] and "median" not in json.dumps(live)
    assert len(csv_rows(staff_client.get(base + "/results.csv"))) == 4  # per-participant export: fine


def test_with_5_completed_the_distribution_and_median_are_right(app, staff_client, questionnaire, open_workshop):
    levels = [0, 1, 1, 3, 4]  # per pillar: 1 firm at 0, 2 at 1, none at 2, 1 at 3, 1 at 4; median 1
    for level in levels:
        join_and_complete(app, questionnaire, open_workshop["join_code"], level=level)
    Participant(app.test_client(), questionnaire, open_workshop["join_code"])  # in progress: not counted
    base = f"/staff/workshops/{open_workshop['id']}"
    live = staff_client.get(base + "/live.json").get_json()
    assert live["counts"] == {"joined": 6, "in_progress": 1, "stopped": 0, "completed": 5}
    assert [p["id"] for p in live["pillars"]] == [p.id for p in questionnaire.pillars]
    for pillar in live["pillars"]:
        assert pillar["distribution"] == [1, 2, 0, 1, 1], pillar["id"]
        assert pillar["median"] == 1 and pillar["size"] == 5
    page = staff_client.get(base + "/dashboard").get_data(as_text=True)
    for marker in GROUP_MARKERS:
        assert marker in page
    rows = re.findall(r"<tr><th>([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>", page)
    assert len(rows) == len(questionnaire.pillars)
    for _title, cells in rows:
        assert re.findall(r"<td>([^<]*)</td>", cells) == ["1", "2", "0", "1", "1", "1"]  # the median, in the language's notation


def test_the_median_of_mixed_scores(app, staff_client, questionnaire, open_workshop):
    for level in (4, 4, 2, 0, 3):
        join_and_complete(app, questionnaire, open_workshop["join_code"], level=level)
    live = staff_client.get(f"/staff/workshops/{open_workshop['id']}/live.json").get_json()
    for pillar in live["pillars"]:
        assert pillar["distribution"] == [1, 0, 1, 1, 2] and pillar["median"] == 3


def test_the_dashboard_refreshes_itself(staff_client, open_workshop):
    page = staff_client.get(f"/staff/workshops/{open_workshop['id']}/dashboard").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in page  # inside <noscript>: the plain fallback
    assert "live.js" in page and f"/staff/workshops/{open_workshop['id']}/live.json" in page


def test_firm_names_appear_only_for_participants_who_shared_them(app, staff_client, questionnaire, open_workshop):
    for n in range(6):
        join_and_complete(app, questionnaire, open_workshop["join_code"], level=2,
                          firm_name=f"Shared Firm {n}" if n % 2 == 0 else f"Private Firm {n}",
                          share_name=n % 2 == 0)
    base = f"/staff/workshops/{open_workshop['id']}"
    page = staff_client.get(base + "/dashboard").get_data(as_text=True)
    assert all(f"Shared Firm {n}" in page for n in (0, 2, 4))
    assert "Private Firm" not in page
    live = staff_client.get(base + "/live.json").get_data(as_text=True)
    assert "Private Firm" not in live
    rows = csv_rows(staff_client.get(base + "/results.csv"))
    assert [r["firm_name"] for r in rows] == ["Shared Firm 0", "", "Shared Firm 2", "", "Shared Firm 4", ""]
    sheet = xlsx_rows(staff_client.get(base + "/results.xlsx"))
    assert [r["firm_name"] or "" for r in sheet] == ["Shared Firm 0", "", "Shared Firm 2", "", "Shared Firm 4", ""]
    assert b"Private Firm" not in staff_client.get(base + "/results.xlsx").data


def test_a_shared_name_of_someone_still_answering_is_shown_but_counts_nowhere_else(
        app, staff_client, questionnaire, open_workshop):
    participant = Participant(app.test_client(), questionnaire, open_workshop["join_code"], share_name=True)
    participant.answer_profile({**PROFILE, "firm_name": "Early Bird Ltd"})
    base = f"/staff/workshops/{open_workshop['id']}"
    assert "Early Bird Ltd" in staff_client.get(base + "/dashboard").get_data(as_text=True)
    assert csv_rows(staff_client.get(base + "/results.csv")) == []


# --- the summary PDF -------------------------------------------------------------------------

def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(response.data)).pages)


def test_summary_pdf_with_4_completed_shows_no_group_statistic(app, staff_client, questionnaire, open_workshop):
    for level in (0, 1, 2, 3):
        join_and_complete(app, questionnaire, open_workshop["join_code"], level=level)
    response = staff_client.get(f"/staff/workshops/{open_workshop['id']}/summary.pdf")
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response)
    assert "Metal workshops, Nakuru" in text
    assert "median" not in text.lower() and "quartile" not in text.lower()
    assert "Where the group stands" not in text
    assert "Group figures are shown only once at least 5 participants have completed" in " ".join(text.split())


def test_summary_pdf_with_5_completed_shows_the_group(app, staff_client, questionnaire, open_workshop):
    for level in (0, 1, 1, 3, 4):
        join_and_complete(app, questionnaire, open_workshop["join_code"], level=level)
    text = pdf_text(staff_client.get(f"/staff/workshops/{open_workshop['id']}/summary.pdf"))
    assert "Where the group stands" in text
    assert text.count("Median 1 ") == len(questionnaire.pillars)  # every pillar's median is 1
    assert text.count("5 firms") >= len(questionnaire.pillars)


# --- exports ---------------------------------------------------------------------------------

def csv_rows(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def xlsx_rows(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.data))
    values = list(workbook.active.iter_rows(values_only=True))
    ids = dict(workbook["Columns"].iter_rows(min_row=2, values_only=True))  # readable header -> column id
    return [dict(zip([ids[label] for label in values[0]], row)) for row in values[1:]]


def stored_results(app, workshop_id):
    db = db_of(app)
    return [json.loads(r[0]) for r in db.execute(
        "SELECT r.scores FROM results r JOIN assessments a ON a.id = r.assessment_id "
        "WHERE a.workshop_id = ? ORDER BY a.id", [workshop_id]).fetchall()]


def mixed_level(n):
    """Participant n answers each item at a level that depends on the item, so scores differ by dimension."""
    return lambda item: str((len(item.id) + n) % 5)


def test_csv_and_xlsx_have_one_row_per_completed_participant_with_the_stored_scores(
        app, staff_client, questionnaire, open_workshop):
    for n in range(3):
        participant = Participant(app.test_client(), questionnaire, open_workshop["join_code"], share_name=True)
        participant.complete(level_for=mixed_level(n), profile={**PROFILE, "firm_name": f"Firm {n}"})
    Participant(app.test_client(), questionnaire, open_workshop["join_code"])  # in progress: not exported
    results = stored_results(app, open_workshop["id"])
    assert len(results) == 3
    base = f"/staff/workshops/{open_workshop['id']}"
    for rows, as_number in ((csv_rows(staff_client.get(base + "/results.csv")), float),
                            (xlsx_rows(staff_client.get(base + "/results.xlsx")), lambda v: v)):
        assert len(rows) == 3
        for n, (row, result) in enumerate(zip(rows, results)):
            assert str(row["participant"]) == str(n + 1)
            assert row["firm_name"] == f"Firm {n}"
            assert row["country"] == "Kenya" and row["sector"] and row["size_band"] and row["goals"]
            assert row["completed_at"]
            assert as_number(row["overall_score"]) == result["overall"]["score"]
            assert int(row["overall_level"]) == result["overall"]["level"]
            assert row["overall_level_name"]
            for pillar in questionnaire.pillars:
                assert as_number(row[f"pillar_{pillar.id}"]) == result["pillars"][pillar.id]["score"]
            for dimension in questionnaire.dimensions:
                assert as_number(row[f"dimension_{dimension.id}"]) == result["dimensions"][dimension.id]["score"]
        scores = {row[f"dimension_{d.id}"] for d in questionnaire.dimensions for row in rows}
        assert len(scores) > 1  # the scores really differ, so a mix-up of columns would show


def test_a_change_after_completing_reaches_the_export_and_the_scores(app, staff_client, questionnaire,
                                                                     open_workshop):
    participant = join_and_complete(app, questionnaire, open_workshop["join_code"], level=1,
                                    firm_name="First Name Ltd", share_name=True)
    participant.answer_profile({**PROFILE, "firm_name": "Second Name Ltd"})
    participant.answer_pillar("hardware", lambda item: "4")
    row = csv_rows(staff_client.get(f"/staff/workshops/{open_workshop['id']}/results.csv"))[0]
    assert row["firm_name"] == "Second Name Ltd"
    assert float(row["pillar_hardware"]) == 4 and float(row["overall_score"]) == \
        stored_results(app, open_workshop["id"])[0]["overall"]["score"]


def test_profile_fields_are_exported_as_readable_text(app, staff_client, questionnaire, open_workshop):
    join_and_complete(app, questionnaire, open_workshop["join_code"], level=2)
    row = csv_rows(staff_client.get(f"/staff/workshops/{open_workshop['id']}/results.csv"))[0]
    for question in questionnaire.profile:
        if question.id == "firm_name":
            continue
        value = PROFILE[question.id]
        values = value if isinstance(value, list) else [value]
        for option in question.options:
            if option.value in values:
                text = option.text["en"] if isinstance(option.text, dict) else str(option.text)
                assert text in row[question.id], question.id


def test_an_empty_workshop_exports_just_the_headers(staff_client, open_workshop):
    base = f"/staff/workshops/{open_workshop['id']}"
    assert csv_rows(staff_client.get(base + "/results.csv")) == []
    assert xlsx_rows(staff_client.get(base + "/results.xlsx")) == []


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","Click")', "+1+2", "-2+3", "@SUM(A1:A2)"])
def test_a_firm_name_that_looks_like_a_formula_is_neutralised(app, staff_client, questionnaire, open_workshop, name):
    join_and_complete(app, questionnaire, open_workshop["join_code"], firm_name=name, share_name=True)
    base = f"/staff/workshops/{open_workshop['id']}"
    assert csv_rows(staff_client.get(base + "/results.csv"))[0]["firm_name"] == "'" + name
    response = staff_client.get(base + "/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Firm name") + 1)
    assert cell.data_type == "s" and cell.value == "'" + name
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


# --- QR code and projector ------------------------------------------------------------------

def test_the_qr_code_is_an_svg_that_encodes_the_join_url(staff_client, open_workshop):
    response = staff_client.get(f"/staff/workshops/{open_workshop['id']}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<svg" in svg and f"<title>{open_workshop['join_code']}</title>" in svg
    expected = io.BytesIO()
    segno.make(f"http://localhost/j/{open_workshop['join_code']}", error="m").save(
        expected, kind="svg", scale=10, border=2, title=open_workshop["join_code"])
    assert response.data == expected.getvalue()


def test_the_projector_shows_the_code_the_qr_and_live_counts(app, staff_client, questionnaire, open_workshop):
    join_and_complete(app, questionnaire, open_workshop["join_code"])
    page = staff_client.get(f"/staff/workshops/{open_workshop['id']}/projector").get_data(as_text=True)
    assert f'class="bigcode">{open_workshop["join_code"]}<' in page
    assert f'src="/staff/workshops/{open_workshop["id"]}/qr.svg"' in page
    assert "http://localhost" in page
    assert 'data-count="joined">1<' in page and 'data-count="completed">1<' in page
    assert "not open" not in page


def test_the_projector_warns_when_the_workshop_is_not_open(app, staff_client, facilitator):
    workshop = make_workshop(app, facilitator, status="draft")
    page = staff_client.get(f"/staff/workshops/{workshop['id']}/projector").get_data(as_text=True)
    assert "This workshop is not open" in page


def get_at(app, base, email, url):
    """A page as seen by a staff browser that reached the server at ``base``."""
    browser = app.test_client()
    browser.post("/staff/login", data={"email": email, "password": PASSWORD}, base_url=base)
    return browser.get(url, base_url=base)


def test_the_projector_warns_when_opened_as_localhost(app, staff_client, facilitator, open_workshop):
    """Opened as localhost on the facilitator's laptop, the address and QR would lead phones nowhere."""
    url = f"/staff/workshops/{open_workshop['id']}/projector"
    assert "Phones cannot reach http://localhost" in staff_client.get(url).get_data(as_text=True)
    page = get_at(app, "http://127.0.0.1:5000", facilitator["email"], url).get_data(as_text=True)
    assert "Phones cannot reach http://127.0.0.1:5000" in page


def test_opened_at_the_network_address_the_projector_and_qr_lead_there(app, staff_client, facilitator, open_workshop):
    base = "http://192.168.137.1:8080"  # the laptop's address on its own hotspot
    page = get_at(app, base, facilitator["email"], f"/staff/workshops/{open_workshop['id']}/projector")
    page = page.get_data(as_text=True)
    assert "Phones cannot reach" not in page and f'class="url">{base}<' in page
    svg = get_at(app, base, facilitator["email"], f"/staff/workshops/{open_workshop['id']}/qr.svg").data
    expected = io.BytesIO()
    segno.make(f"{base}/j/{open_workshop['join_code']}", error="m").save(
        expected, kind="svg", scale=10, border=2, title=open_workshop["join_code"])
    assert svg == expected.getvalue()


def test_names_and_titles_are_escaped_on_staff_pages(app, staff_client, questionnaire, facilitator):
    workshop = make_workshop(app, facilitator, title="<script>alert(1)</script> & Co")
    join_and_complete(app, questionnaire, workshop["join_code"], firm_name="<img src=x onerror=alert(2)>",
                      share_name=True)
    base = f"/staff/workshops/{workshop['id']}"
    for url in (base, base + "/dashboard", base + "/projector", "/staff/", f"/j/{workshop['join_code']}"):
        page = staff_client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    assert "&lt;img src=x onerror=alert(2)&gt;" in staff_client.get(base + "/dashboard").get_data(as_text=True)


def test_summary_pdf_prints_a_title_with_markup_characters(app, staff_client, questionnaire, facilitator):
    workshop = make_workshop(app, facilitator, title='Metal & <Wood> "works" <b>')
    for level in range(5):
        join_and_complete(app, questionnaire, workshop["join_code"], level=level)
    text = pdf_text(staff_client.get(f"/staff/workshops/{workshop['id']}/summary.pdf"))
    assert 'Metal & <Wood> "works" <b>' in text


def test_a_participant_in_progress_can_still_finish_after_the_workshop_closes(
        app, staff_client, questionnaire, open_workshop):
    participant = Participant(app.test_client(), questionnaire, open_workshop["join_code"])
    participant.answer_profile()
    staff_client.post(f"/staff/workshops/{open_workshop['id']}/status", data={"status": "closed"})
    participant.complete()
    live = staff_client.get(f"/staff/workshops/{open_workshop['id']}/live.json").get_json()
    assert live["counts"] == {"joined": 1, "in_progress": 0, "stopped": 0, "completed": 1}
