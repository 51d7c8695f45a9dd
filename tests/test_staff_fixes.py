"""Issue 14: staff can fix what was entered wrong, confirm what cannot be taken back lightly, and
every action says what it did. Request tests; the browser tests are in test_staff_browser.py."""
import html
import re

import pytest

from assessment.store import firms, staff, workshops
from tests.conftest import STAFF_PASSWORD
from tests.conftest import PROFILE
from tests.staff_helpers import facilitator, make_workshop, staff_client  # noqa: F401  (fixtures)
from tests.test_cohorts import new_cohort, new_firm, staff_entry

P = "/staff/programme"


@pytest.fixture
def other_org(app, db):
    """A second incubator's programme manager (and admin), with a cohort, a firm and a workshop."""
    org_id = staff.ensure_organisation(db, "Incubator B")
    user = staff.create_user(db, org_id, "admin@b.org", STAFF_PASSWORD, "admin")
    cohort = firms.create_cohort(db, org_id, "B intake", "2026-01-01")
    firm = firms.create_firm(db, org_id, "B firm", "KE", "metal", "small", "africa", cohort_id=cohort["id"])
    return {"cohort": cohort, "firm": firm, "workshop": make_workshop(app, user)}


def counts_rows(db):
    return db.execute("SELECT coalesce(sum(firms), 0) FROM firm_score_counts WHERE key = 'overall'").fetchone()[0]


def test_a_cohort_can_be_renamed_and_its_dates_corrected(pm, db):
    cohort_id = new_cohort(pm)
    page = pm.get(f"{P}/cohorts/{cohort_id}/edit").get_data(as_text=True)
    assert 'value="Intake 2026"' in page
    response = pm.post(f"{P}/cohorts/{cohort_id}/edit", data={"name": "Intake 2026 (Nairobi)",
                                                              "starts_on": "2026-02-01", "ends_on": "2026-12-01"})
    assert response.status_code == 302
    row = db.execute("SELECT name, starts_on, ends_on FROM cohorts WHERE id = ?", [cohort_id]).fetchone()
    assert tuple(row) == ("Intake 2026 (Nairobi)", "2026-02-01", "2026-12-01")
    assert "Cohort saved." in pm.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("url", [f"{P}/", "edit"])
def test_a_cohort_ending_before_it_starts_is_refused_with_a_clear_message(pm, db, url):
    if url == "edit":
        url = f"{P}/cohorts/{new_cohort(pm)}/edit"
    response = pm.post(url, data={"name": "Backwards", "starts_on": "2026-05-01", "ends_on": "2026-04-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end date is before the start date" in page and 'value="Backwards"' in page
    assert db.execute("SELECT count(*) FROM cohorts WHERE name = 'Backwards'").fetchone()[0] == 0


def test_add_a_firm_starts_with_nothing_chosen_and_names_every_missing_choice(pm, db):
    cohort_id = new_cohort(pm)
    page = pm.get(f"{P}/cohorts/{cohort_id}").get_data(as_text=True)
    form = page[page.index('id="add-firm"'):]
    for name in ("country", "sector", "size_band"):
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', form, re.S).group(0)
        assert re.search(r'^<select[^>]*><option value="">Choose…</option>', select) and "selected" not in select
    response = pm.post(f"{P}/cohorts/{cohort_id}/firms", data={"name": "", "country": "", "sector": "", "size_band": ""})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    for message in ("Type the firm's name.", "Choose the firm's country.", "Choose the firm's sector.",
                    "Choose the firm's size."):
        assert message in page
    # the form comes first on the page, before the export links, and its first error takes the focus
    assert page.index('id="add-firm"') < page.index("Import and export")
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*autofocus[^>]*name="name"', page)
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 0


def test_a_firm_name_already_in_the_cohort_is_warned_about_then_can_be_added(pm, db):
    cohort_id = new_cohort(pm)
    new_firm(pm, cohort_id, "Kumasi Furniture")
    data = {"name": " kumasi furniture ", "country": "GH", "sector": "metal", "size_band": "small"}
    page = pm.post(f"{P}/cohorts/{cohort_id}/firms", data=data).get_data(as_text=True)
    assert "is already in this cohort" in page and 'name="add_anyway"' in page
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 1
    assert pm.post(f"{P}/cohorts/{cohort_id}/firms", data={**data, "add_anyway": "y"}).status_code == 302
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 2


def test_correcting_a_firm_moves_its_results_to_the_right_peer_group(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furnitur", country="KE", sector="metal")
    staff_entry(pm, questionnaire, firm_id, lambda i: 2)
    response = pm.post(f"{P}/firms/{firm_id}/edit", data={"name": "Kumasi Furniture", "country": "GH",
                                                          "sector": "wood", "size_band": "micro"})
    assert response.status_code == 302
    firm = db.execute("SELECT name, country, sector, size_band FROM firms WHERE id = ?", [firm_id]).fetchone()
    assert tuple(firm) == ("Kumasi Furniture", "GH", "wood", "micro")
    peers = {tuple(r) for r in db.execute("SELECT country, sector, size_band FROM firm_scores WHERE firm_id = ?",
                                          [firm_id])}
    assert peers == {("GH", "wood", "micro")}


def test_deleting_a_firm_confirms_what_goes_and_removes_it_from_benchmarks_and_exports(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    keep = new_firm(pm, cohort_id, "Keeps Ltd")
    gone = new_firm(pm, cohort_id, "Goes Ltd")
    staff_entry(pm, questionnaire, keep, lambda i: 1)
    staff_entry(pm, questionnaire, gone, lambda i: 3)
    assert counts_rows(db) == 2
    page = pm.get(f"{P}/firms/{gone}/delete").get_data(as_text=True)
    assert "Delete the firm “Goes Ltd”?" in page and "Its 1 assessment goes with it" in page
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 2  # GET deletes nothing
    response = pm.post(f"{P}/firms/{gone}/delete")
    assert response.headers["Location"].endswith(f"/cohorts/{cohort_id}")
    assert "Firm “Goes Ltd” deleted, with 1 assessment." in pm.get(response.headers["Location"]).get_data(as_text=True)
    assert counts_rows(db) == 1
    assert db.execute("SELECT count(*) FROM firm_scores WHERE firm_id = ?", [gone]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM assessments WHERE firm_id = ?", [gone]).fetchone()[0] == 0
    for what in ("firms", "rounds", "assessments"):
        export = pm.get(f"{P}/cohorts/{cohort_id}/export/{what}.csv").get_data(as_text=True)
        assert "Goes Ltd" not in export and "Keeps Ltd" in export
    log = db.execute("SELECT * FROM deletion_log").fetchall()
    assert len(log) == 1 and "Goes" not in repr(tuple(log[0]))  # logged, without the content


def test_deleting_a_cohort_takes_its_firms_and_answers(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furniture")
    staff_entry(pm, questionnaire, firm_id, lambda i: 2)
    page = pm.get(f"{P}/cohorts/{cohort_id}/delete").get_data(as_text=True)
    assert "1 firm go with it, with their 1 assessment" in page or "1 firm" in page
    assert pm.post(f"{P}/cohorts/{cohort_id}/delete").status_code == 302
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM assessments").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM firm_score_counts").fetchone()[0] == 0


def test_a_workshop_can_be_edited_and_deleted_with_its_participants(app, staff_client, facilitator, questionnaire):
    from tests.staff_helpers import db_of, join_and_complete
    workshop = make_workshop(app, facilitator)
    join_and_complete(app, questionnaire, workshop["join_code"])
    base = f"/staff/workshops/{workshop['id']}"
    response = staff_client.post(base + "/edit", data={"title": "Metal workshops, Nakuru (day 2)",
                                                       "held_on": "2024-05-15", "language": "en"})
    assert response.status_code == 302
    row = workshops.get_workshop(db_of(app), workshop["id"], facilitator["org_id"])
    assert (row["title"], row["held_on"], row["join_code"]) == ("Metal workshops, Nakuru (day 2)", "2024-05-15",
                                                                workshop["join_code"])
    page = staff_client.get(base + "/delete").get_data(as_text=True)
    assert "its 1 participant are deleted with it" in page
    staff_client.post(base + "/delete")
    assert db_of(app).execute("SELECT count(*) FROM assessments").fetchone()[0] == 0
    assert staff_client.get(base).status_code == 404


def test_closing_a_workshop_asks_first_and_says_what_happened(app, staff_client, facilitator):
    workshop = make_workshop(app, facilitator)
    url = f"/staff/workshops/{workshop['id']}/status"
    page = staff_client.get(url + "?status=closed").get_data(as_text=True)
    assert "Nobody new can join" in page and 'name="status" value="closed"' in page
    assert workshop["status"] == "open"
    response = staff_client.post(url, data={"status": "closed"})
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Workshop closed: nobody new can join." in page


def test_starting_a_round_confirms_warns_and_can_be_undone_until_someone_answers(pm, db, questionnaire, client):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furniture")
    page = pm.get(f"{P}/firms/{firm_id}/next-round").get_data(as_text=True)
    assert "Round T0 has no completed answers yet" in page and "invitation link" in page
    assert firms.get_firm_any_org(db, firm_id)["current_round"] == 0
    staff_entry(pm, questionnaire, firm_id, lambda i: 1)
    page = pm.get(f"{P}/firms/{firm_id}/next-round").get_data(as_text=True)
    assert "has no completed answers" not in page
    response = pm.post(f"{P}/firms/{firm_id}/next-round")
    page = pm.get(response.headers["Location"]).get_data(as_text=True)
    assert "Round T1 started: the invitation link now leads to T1" in page and "Undo round T1" in page
    assert pm.post(f"{P}/firms/{firm_id}/undo-round").status_code == 302
    assert firms.get_firm_any_org(db, firm_id)["current_round"] == 0
    pm.post(f"{P}/firms/{firm_id}/next-round")
    staff_entry(pm, questionnaire, firm_id, lambda i: 2)
    page = pm.get(f"{P}/firms/{firm_id}").get_data(as_text=True)
    assert "Undo round T1" not in page
    pm.post(f"{P}/firms/{firm_id}/undo-round")
    assert firms.get_firm_any_org(db, firm_id)["current_round"] == 1


def test_the_firm_page_after_one_round_shows_one_column(pm, questionnaire):
    firm_id = new_firm(pm, new_cohort(pm), "Kumasi Furniture")
    staff_entry(pm, questionnaire, firm_id, lambda i: 2)
    page = pm.get(f"{P}/firms/{firm_id}").get_data(as_text=True)
    assert "Levels in round T0" in page and "T0 vs" not in page and "+0.00" not in page and "Progress" not in page


def test_entering_answers_skips_the_code_page_and_returns_to_the_firm(pm, questionnaire):
    firm_id = new_firm(pm, new_cohort(pm), "Kumasi Furniture")
    response = pm.post(f"{P}/firms/{firm_id}/enter")
    assert "/started" not in response.headers["Location"]
    token = response.headers["Location"].split("/")[2]
    pm.post(f"/a/{token}/p/profile", data={"nav": "next", **PROFILE})
    for pillar in questionnaire.pillars:
        pm.post(f"/a/{token}/p/{pillar.id}", data={"nav": "next", **{i.id: "2" for i in pillar.items}})
    done = pm.post(f"/a/{token}/review")
    assert done.headers["Location"].endswith(f"{P}/firms/{firm_id}")
    assert "Answers saved" in pm.get(done.headers["Location"]).get_data(as_text=True)


def test_another_organisations_records_cannot_be_edited_or_deleted(pm, db, other_org):
    cohort, firm = other_org["cohort"], other_org["firm"]
    urls = [f"{P}/cohorts/{cohort['id']}/edit", f"{P}/cohorts/{cohort['id']}/delete", f"{P}/firms/{firm['id']}/edit",
            f"{P}/firms/{firm['id']}/delete", f"{P}/firms/{firm['id']}/next-round", f"{P}/firms/{firm['id']}/undo-round"]
    for url in urls:
        for method in ("GET", "POST"):
            if url.endswith("undo-round") and method == "GET":
                continue
            response = pm.open(url, method=method, data={"name": "x", "starts_on": "2026-01-01", "country": "KE",
                                                         "sector": "metal", "size_band": "small"})
            assert response.status_code == 404, (method, url)
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 1
    assert db.execute("SELECT name FROM cohorts").fetchone()[0] == "B intake"


def test_another_organisations_workshop_cannot_be_edited_or_deleted(app, staff_client, other_org, db):
    base = f"/staff/workshops/{other_org['workshop']['id']}"
    for url in (base + "/edit", base + "/delete", base + "/status?status=closed"):
        for method in ("GET", "POST"):
            assert staff_client.open(url, method=method, data={"title": "x"}).status_code == 404, (method, url)
    assert db.execute("SELECT count(*) FROM workshops").fetchone()[0] == 1


# --- pages that make sense ------------------------------------------------------------------------

def test_staff_error_pages_say_what_happened_and_lead_to_the_staff_home(app_no_csrf, facilitator, pm):
    from tests.staff_helpers import login
    other = app_no_csrf.test_client()
    login(other, facilitator["email"])
    page = other.get(f"{P}/").get_data(as_text=True)  # a facilitator on a programme page
    assert "This page belongs to programme managers" in page
    assert 'href="/staff/">Go to your staff start page' in page and "Go to the start page" not in page
    page = pm.get(f"{P}/cohorts/999").get_data(as_text=True)
    assert "another organisation" in page and f'href="{P}/">Go to your staff start page' in page


def test_a_loopback_invitation_link_is_warned_about(app_no_csrf, pm):
    firm_id = new_firm(pm, new_cohort(pm), "Kumasi Furniture")
    warning = "This link leads nowhere outside this computer"

    def page(host):
        browser = app_no_csrf.test_client()  # cookies belong to the host they were set by
        browser.post("/staff/login", data={"email": "pm@a.org", "password": STAFF_PASSWORD}, base_url=f"http://{host}")
        return browser.get(f"{P}/firms/{firm_id}", base_url=f"http://{host}").get_data(as_text=True)
    assert warning in page("127.0.0.1:5000") and warning in page("localhost")
    assert warning not in page("192.168.1.20:8000") and "http://192.168.1.20:8000/f/" in page("192.168.1.20:8000")


def test_projector_and_dashboard_lead_back_to_the_workshop(app, staff_client, facilitator):
    workshop = make_workshop(app, facilitator)
    base = f"/staff/workshops/{workshop['id']}"
    for page in ("/projector", "/dashboard"):
        assert f'href="{base}">Back to the workshop page' in staff_client.get(base + page).get_data(as_text=True)


def test_participants_who_stop_answering_are_shown_as_stopped(app_no_csrf, facilitator, questionnaire):
    app = app_no_csrf
    from tests.staff_helpers import Participant, db_of
    workshop = make_workshop(app, facilitator)
    Participant(app.test_client(), questionnaire, workshop["join_code"]).answer_profile()
    db = db_of(app)
    db.execute("UPDATE assessments SET updated_at = '2020-01-01T00:00:00+00:00'")
    Participant(app.test_client(), questionnaire, workshop["join_code"])
    assert workshops.counts(db, workshop["id"]) == {"joined": 2, "in_progress": 1, "stopped": 1, "completed": 0}


def test_the_dashboard_draws_the_group_as_charts_with_level_names_above_the_floor(app, staff_client, facilitator,
                                                                                    questionnaire):
    from tests.staff_helpers import join_and_complete
    workshop = make_workshop(app, facilitator)
    base = f"/staff/workshops/{workshop['id']}"
    for level in (0, 1, 1, 3):
        join_and_complete(app, questionnaire, workshop["join_code"], level=level)
    page = staff_client.get(base + "/dashboard").get_data(as_text=True)
    assert 'class="stack"' not in page and "at least 5 participants" in page
    join_and_complete(app, questionnaire, workshop["join_code"], level=4)
    page = staff_client.get(base + "/dashboard").get_data(as_text=True)
    assert page.count('<svg class="stack"') == len(questionnaire.pillars)
    assert "Digital basics" in page and "median: Digital basics" in page
    assert 'data-live-region="charts"' in page and "of 5 firms" in page
    assert "<script>" not in page and "style=" not in page  # CSP: no inline script or style


def test_workshop_pages_name_the_language_not_its_code(app, staff_client, facilitator):
    workshop = make_workshop(app, facilitator)
    page = staff_client.get(f"/staff/workshops/{workshop['id']}").get_data(as_text=True)
    assert "English" in page and "· en" not in page
    form = staff_client.get("/staff/workshops/new").get_data(as_text=True)
    assert '<option value="en">English</option>' in form or '<option selected value="en">English</option>' in form


# --- exports people can use without renaming ----------------------------------------------------

def _xlsx(response):
    import io
    from openpyxl import load_workbook
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def test_workshop_exports_have_ids_in_the_csv_and_readable_headers_in_the_xlsx(app, staff_client, facilitator,
                                                                                 questionnaire):
    import csv
    import io
    from tests.staff_helpers import join_and_complete
    workshop = make_workshop(app, facilitator)
    join_and_complete(app, questionnaire, workshop["join_code"], level=2)
    base = f"/staff/workshops/{workshop['id']}"
    rows = list(csv.DictReader(io.StringIO(staff_client.get(base + "/results.csv").data.decode("utf-8-sig"))))
    pillar, dimension = questionnaire.pillars[0], questionnaire.dimensions[0]
    assert {"country", "country_code", "sector", "sector_code", "size_band_code", f"pillar_{pillar.id}",
            f"pillar_{pillar.id}_level_name", f"dimension_{dimension.id}"} <= set(rows[0])
    assert (rows[0]["country"], rows[0]["country_code"]) == ("Kenya", "KE")
    assert rows[0][f"pillar_{pillar.id}_level_name"] == "Digitised"
    book = _xlsx(staff_client.get(base + "/results.xlsx"))
    assert book.sheetnames == ["Participants", "Columns"]
    sheet = book["Participants"]
    header = [c.value for c in sheet[1]]
    assert "Country" in header and "Country (code)" in header and "Overall level" in header
    assert f"{pillar.title['en']}: score (0-4)" in header and f"{pillar.title['en']}: level" in header
    assert f"{dimension.title['en']} (0-4)" in header and not any(h.startswith("dimension_") for h in header)
    assert sheet.freeze_panes == "B2" and sheet.cell(row=1, column=1).font.bold
    assert sheet.column_dimensions["A"].width >= 8
    widths = [sheet.column_dimensions[c].width for c in ("D", "E")]
    assert all(w and w > 8 for w in widths)


def test_cohort_exports_name_country_sector_and_size_and_keep_codes(pm, questionnaire):
    import csv
    import io
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furniture", country="GH", sector="wood", size_band="micro")
    staff_entry(pm, questionnaire, firm_id, lambda i: 1)
    for what, sheet_name in (("firms", "Firms"), ("rounds", "Rounds"), ("assessments", "Assessments")):
        url = f"{P}/cohorts/{cohort_id}/export/{what}"
        row = next(csv.DictReader(io.StringIO(pm.get(url + ".csv").data.decode("utf-8-sig"))))
        # the firm's master data, or (per assessment) what the respondent answered: Kenya, small
        expected = [("KE", "Kenya", "small")] if what == "assessments" else [("GH", "Ghana", "micro")]
        assert [(row["country_code"], row["country"], row["size_band_code"])] == expected, what
        assert row["size_band"] not in ("micro", "small"), what
        book = _xlsx(pm.get(url + ".xlsx"))
        assert book.sheetnames == [sheet_name, "Columns"]
        header = [c.value for c in book[sheet_name][1]]
        assert "Country" in header and "Firm" in header and "firm_id" not in header
    rounds = next(csv.DictReader(io.StringIO(pm.get(f"{P}/cohorts/{cohort_id}/export/rounds.csv").data.decode("utf-8-sig"))))
    assert rounds["overall_level_name"] == "Digital basics"


# --- a firm's data rights -----------------------------------------------------------------------

def test_a_participant_downloads_and_deletes_their_data_from_the_resume_link(app_no_csrf, facilitator, questionnaire):
    import json as jsonlib
    from tests.staff_helpers import db_of, join_and_complete, login
    app = app_no_csrf
    workshop = make_workshop(app, facilitator)
    keep = join_and_complete(app, questionnaire, workshop["join_code"], level=1)
    gone = join_and_complete(app, questionnaire, workshop["join_code"], level=3, firm_name="Secret Widgets Ltd",
                             share_name=True)
    client = gone.client
    assert "Your data: download or delete" in client.get(f"/a/{gone.token}/results").get_data(as_text=True)
    assert "Download everything" in client.get(f"/a/{gone.token}/your-data").get_data(as_text=True)
    data = jsonlib.loads(client.get(f"/a/{gone.token}/your-data.json").data)
    record = data["assessments"][0]
    assert {a["question_id"] for a in record["answers"]} >= {"firm_name", "country"} | {i.id for i in questionnaire.items}
    assert record["levels"]["overall"]["level_name"] == "Connected" and record["roadmap"]
    pdf = client.get(f"/a/{gone.token}/your-data.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert "Delete your assessment?" in client.get(f"/a/{gone.token}/delete").get_data(as_text=True)
    db = db_of(app)
    assert db.execute("SELECT count(*) FROM assessments").fetchone()[0] == 2  # GET deletes nothing
    assert client.post(f"/a/{gone.token}/delete").status_code == 302
    assert client.get(f"/a/{gone.token}").status_code == 404
    assert db.execute("SELECT count(*) FROM answers WHERE value LIKE '%Secret%'").fetchone()[0] == 0
    staff = app.test_client()
    login(staff, facilitator["email"])
    export = staff.get(f"/staff/workshops/{workshop['id']}/results.csv").data.decode("utf-8-sig")
    assert "Secret Widgets" not in export and len(export.strip().splitlines()) == 2
    assert staff.get(f"/staff/workshops/{workshop['id']}/live.json").get_json()["counts"]["joined"] == 1
    assert client.get(f"/a/{keep.token}/results").status_code == 200
    log = [tuple(r) for r in db.execute("SELECT * FROM deletion_log")]
    assert len(log) == 1 and "Secret" not in repr(log) and log[0][2] == "assessment"


def test_a_firm_respondent_deleting_their_data_leaves_the_firms_benchmark(pm, db, questionnaire, client):
    from tests.test_cohorts import answer_everything
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furniture")
    invite = firms.get_firm_any_org(db, firm_id)["invite_token"]
    respondent = pm.application.test_client()
    token = respondent.post(f"/f/{invite}", data={"role": "owner"}).headers["Location"].split("/")[2]
    answer_everything(respondent, questionnaire, token, lambda i: 3)
    assert counts_rows(db) == 1
    respondent.post(f"/a/{token}/delete")
    assert db.execute("SELECT count(*) FROM firm_scores WHERE firm_id = ?", [firm_id]).fetchone()[0] == 0
    assert counts_rows(db) == 0
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 1  # the programme's record stays


def test_staff_download_a_firms_data_as_json_and_pdf(pm, db, questionnaire):
    import json as jsonlib
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furniture")
    staff_entry(pm, questionnaire, firm_id, lambda i: 1)
    pm.post(f"{P}/firms/{firm_id}/next-round")
    staff_entry(pm, questionnaire, firm_id, lambda i: 2)
    page = pm.get(f"{P}/firms/{firm_id}").get_data(as_text=True)
    assert f"{P}/firms/{firm_id}/data.json" in page and f"{P}/firms/{firm_id}/data.pdf" in page
    response = pm.get(f"{P}/firms/{firm_id}/data.json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = jsonlib.loads(response.data)
    assert data["firm"]["name"] == "Kumasi Furniture" and data["firm"]["cohort"] == "Intake 2026"
    assert [r["round"] for r in data["rounds"]] == ["T0", "T1"]
    assert data["rounds"][1]["scores"]["overall"]["level_name"] == "Digitised"
    assert [a["round"] for a in data["assessments"]] == ["T0", "T1"] and data["assessments"][0]["answers"]
    assert all(a["roadmap"] for a in data["assessments"])
    assert pm.get(f"{P}/firms/{firm_id}/data.pdf").data.startswith(b"%PDF")


def test_a_firms_data_pdf_names_every_code_in_the_readers_language(pm, db, questionnaire):
    """The JSON keeps codes for programs; the PDF, for a person, names them in French: no field id,
    country code, score key or status in English, French numbers and dates, and "not relevant"
    in the question page's words."""
    from tests.pdf_helpers import ReadPdf
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Atelier Thiès", country="SN", sector="textiles", size_band="micro")
    not_relevant = next(i for i in questionnaire.items if i.not_relevant and not i.not_relevant_text)
    staff_entry(pm, questionnaire, firm_id, lambda i: "na" if i is not_relevant else 2)
    pm.post(f"{P}/firms/{firm_id}/next-round")
    text = ReadPdf(pm.get(f"{P}/firms/{firm_id}/data.pdf?lang=fr").data).text
    assert "Pays : Sénégal" in text and "Région : Afrique" in text and "Vague en cours : T1" in text
    assert re.search(r"Global : \d,\d\d · ", text) and "État : terminé." in text
    assert re.search(r"Ajoutée le \d+ \w+\.? 20\d\d", text)
    assert "Ne concerne pas notre activité" in text
    answers = pm.get(f"{P}/firms/{firm_id}/data.json?lang=fr").get_json()["assessments"][0]["answers"]
    assert next(a for a in answers if a["question_id"] == not_relevant.id)["answer"] == "Ne concerne pas notre activité"
    for english in ("country:", "size_band:", "pillar:", "overall:", "completed", "not relevant", ": SN", ": micro"):
        assert english not in text, english


def test_another_organisations_firm_data_cannot_be_downloaded_or_deleted(pm, db, other_org):
    firm_id = other_org["firm"]["id"]
    for url in (f"{P}/firms/{firm_id}/data.json", f"{P}/firms/{firm_id}/data.pdf", f"{P}/firms/{firm_id}/delete"):
        assert pm.get(url).status_code == 404, url
    assert pm.post(f"{P}/firms/{firm_id}/delete").status_code == 404
    assert db.execute("SELECT count(*) FROM firms WHERE id = ?", [firm_id]).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM deletion_log").fetchone()[0] == 0


def test_an_agency_sets_a_retention_period_for_unfinished_anonymous_assessments(app_no_csrf, db, questionnaire, runner):
    from tests.staff_helpers import Participant, join_and_complete, login, make_user
    app = app_no_csrf
    admin = make_user(app, "admin@agency-a.org", org="Agency A", role="admin")
    other = make_user(app, "fac@agency-b.org", org="Agency B", role="facilitator")
    workshop, other_workshop = make_workshop(app, admin), make_workshop(app, other)
    old = Participant(app.test_client(), questionnaire, workshop["join_code"])
    fresh = Participant(app.test_client(), questionnaire, workshop["join_code"])
    done = join_and_complete(app, questionnaire, workshop["join_code"])
    elsewhere = Participant(app.test_client(), questionnaire, other_workshop["join_code"])
    db.execute("UPDATE assessments SET updated_at = '2020-01-01T00:00:00+00:00' WHERE token IN (?, ?, ?)",
               [old.token, done.token, elsewhere.token])
    client = app.test_client()
    login(client, admin["email"])
    assert "Data retention" in client.get("/staff/admin/users").get_data(as_text=True)
    page = client.post("/staff/admin/retention", data={"days": "0"}).get_data(as_text=True)
    assert "from 1 to 3650" in page
    response = client.post("/staff/admin/retention", data={"days": "30"})
    assert "1 were removed now" in client.get(response.headers["Location"]).get_data(as_text=True)
    tokens = {r[0] for r in db.execute("SELECT token FROM assessments")}
    assert tokens == {fresh.token, done.token, elsewhere.token}  # the other agency's is not touched
    db.execute("UPDATE organisations SET retention_days = 30")
    result = runner.invoke(["purge-unfinished"])
    assert result.exit_code == 0 and "Agency B: 1 unfinished" in result.output
    assert {r[0] for r in db.execute("SELECT token FROM assessments")} == {fresh.token, done.token}
