"""An agency's own pointers, managed by its admin in the staff pages: validated like the file
format, shown only in that agency's roadmaps, visible and editable only by that agency's admins,
imported all-or-nothing and exported in the documented format."""
import io
import json

import pytest

from assessment.org_pointers import catalog_of, pointers_for_org
from assessment.store import firms, org_pointers, staff
from tests.staff_helpers import db_of, join_and_complete, login, make_user, make_workshop

FORM = {"pointer_id": "nakuru_makers", "kind": "awareness", "type": "innovation_lab", "scope": "country:KE",
        "dimensions": ["*"], "name": "Nakuru makerspace open day",
        "description": "See low-cost sensors and 3D printers working, every Thursday.",
        "eligibility": "Any firm of the county, free of charge.", "organisation": "Nakuru Makers",
        "offer_type": "advice", "url": "https://example.org/makers", "checked": "2026-12-01",
        "source": "Our own visit", "size_bands": ["micro", "small"]}
ENTRY = {"id": "agency_fund", "kind": "financing", "type": "credit_line", "scope": "country:KE",
         "dimensions": ["*"], "name": {"en": "County equipment loan"}, "description": {"en": "Loans for machines."},
         "source": "County office", "generic": False, "url": None, "offer_type": "loan"}


@pytest.fixture
def admin_a(app):
    return make_user(app, "admin@agency-a.org", org="Agency A", role="admin")


@pytest.fixture
def admin_b(app):
    return make_user(app, "admin@agency-b.org", org="Agency B", role="admin")


def logged_in(app, user):
    client = app.test_client()
    assert login(client, user["email"]).status_code == 302
    return client


def add_pointer(client, **changes):
    return client.post("/staff/admin/pointers/new", data={**FORM, **changes})


def test_admin_adds_a_pointer_and_sees_where_firms_will_see_it(app_no_csrf, admin_a):
    client = logged_in(app_no_csrf, admin_a)
    response = add_pointer(client)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved." in page and "Where firms will see it" in page
    assert "It fits" in page and ">yes<" in page  # a step on which it ranks among those shown
    stored = org_pointers.pointers_of(db_of(app_no_csrf), admin_a["org_id"])
    assert [r["data"]["size_bands"] for r in stored] == [["micro", "small"]]
    assert "Nakuru makerspace open day" in client.get("/staff/admin/pointers").get_data(as_text=True)


@pytest.mark.parametrize("changes, field_message", [
    ({"url": "example.org/makers"}, "url must be a web address starting with http:// or https://"),
    ({"pointer_id": "Nakuru Makers!"}, "must be lower-case letters, digits"),
    ({"name": ""}, '"name" needs English text'),
    ({"dimensions": []}, '"dimensions" must list dimension ids'),
    ({"pointer_id": "unido_kenya_iot"}, "id already used in pointers.json"),
    ({"type": "development_bank"}, "type for awareness must be one of"),
])
def test_a_mistake_is_named_under_its_field_keeps_what_was_typed_and_saves_nothing(
        app_no_csrf, admin_a, changes, field_message):
    client = logged_in(app_no_csrf, admin_a)
    response = add_pointer(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_message in page.replace("&#34;", '"').replace("&quot;", '"')
    assert "nothing was saved" in page
    assert "See low-cost sensors and 3D printers working" in page  # what was typed is kept
    assert org_pointers.pointers_of(db_of(app_no_csrf), admin_a["org_id"]) == []


def test_pointers_reach_only_the_roadmaps_of_the_agencys_own_workshops(app_no_csrf, admin_a, admin_b, questionnaire):
    assert add_pointer(logged_in(app_no_csrf, admin_a)).status_code == 302
    workshop_a = make_workshop(app_no_csrf, admin_a, title="A's workshop")
    workshop_b = make_workshop(app_no_csrf, admin_b, title="B's workshop")
    firm_a = join_and_complete(app_no_csrf, questionnaire, workshop_a["join_code"])
    firm_b = join_and_complete(app_no_csrf, questionnaire, workshop_b["join_code"])
    assert "Nakuru makerspace open day" in firm_a.client.get(firm_a.url("results")).get_data(as_text=True)
    assert "Nakuru makerspace open day" not in firm_b.client.get(firm_b.url("results")).get_data(as_text=True)
    db = db_of(app_no_csrf)
    library = app_no_csrf.extensions["smartstep.library"]
    assert "nakuru_makers" in {p.id for p in pointers_for_org(db, library, admin_a["org_id"])}
    assert "nakuru_makers" not in {p.id for p in pointers_for_org(db, library, admin_b["org_id"])}
    assert "nakuru_makers" not in {p.id for p in pointers_for_org(db, library, None)}  # walk-in firms


def test_a_retired_pointer_leaves_the_roadmaps_and_can_come_back(app_no_csrf, admin_a, questionnaire):
    client = logged_in(app_no_csrf, admin_a)
    row_id = int(add_pointer(client).headers["Location"].split("/")[-1].split("?")[0])
    workshop = make_workshop(app_no_csrf, admin_a)
    firm = join_and_complete(app_no_csrf, questionnaire, workshop["join_code"])
    assert client.post(f"/staff/admin/pointers/{row_id}/retired", data={"retired": "1"}).status_code == 302
    assert "Nakuru makerspace open day" not in firm.client.get(firm.url("results")).get_data(as_text=True)
    assert "retired" in client.get("/staff/admin/pointers").get_data(as_text=True)
    client.post(f"/staff/admin/pointers/{row_id}/retired", data={"retired": "0"})
    assert "Nakuru makerspace open day" in firm.client.get(firm.url("results")).get_data(as_text=True)


def test_only_the_agencys_own_admins_can_see_or_change_its_pointers(app_no_csrf, admin_a, admin_b):
    row_id = int(add_pointer(logged_in(app_no_csrf, admin_a)).headers["Location"].split("/")[-1].split("?")[0])
    other = logged_in(app_no_csrf, admin_b)
    assert "Nakuru makerspace open day" not in other.get("/staff/admin/pointers").get_data(as_text=True)
    assert other.get(f"/staff/admin/pointers/{row_id}").status_code == 404
    assert other.post(f"/staff/admin/pointers/{row_id}", data={**FORM, "name": "Taken over"}).status_code == 404
    assert other.post(f"/staff/admin/pointers/{row_id}/retired", data={"retired": "1"}).status_code == 404
    assert b"nakuru_makers" not in other.get("/staff/admin/pointers/export.json").data
    facilitator = make_user(app_no_csrf, "fac@agency-a.org", org="Agency A", role="facilitator")
    colleague = logged_in(app_no_csrf, facilitator)
    assert colleague.get("/staff/admin/pointers").status_code in (302, 403)
    assert colleague.get(f"/staff/admin/pointers/{row_id}").status_code in (302, 403)
    row = org_pointers.get_pointer(db_of(app_no_csrf), admin_a["org_id"], row_id)
    assert row["retired_at"] is None and row["data"]["name"]["en"] == "Nakuru makerspace open day"
    assert logged_in(app_no_csrf, admin_a).get("/staff/admin/pointers").status_code == 200


def upload(client, data, name="pointers.json"):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post("/staff/admin/pointers/import", data={"file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def test_import_is_all_or_nothing_and_names_every_problem(app_no_csrf, admin_a):
    client = logged_in(app_no_csrf, admin_a)
    bad = catalog_of([ENTRY, {**ENTRY, "id": "second", "scope": "country:ZZ"}, {**ENTRY, "id": "third", "url": "x"}])
    response = upload(client, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported: 2 problems." in page
    assert "pointer second: unknown country code" in page and "pointer third: url must be" in page
    assert org_pointers.pointers_of(db_of(app_no_csrf), admin_a["org_id"]) == []
    assert upload(client, b"{not json").status_code == 400
    response = upload(client, catalog_of([ENTRY, {**ENTRY, "id": "second"}]))
    assert response.status_code == 302
    assert "2 pointers added; 0 replaced" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = upload(client, catalog_of([{**ENTRY, "name": {"en": "County equipment loan, 2027"}}]))
    assert "0 pointers added; 1 replaced" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_export_is_a_pointer_file_another_agency_can_import(app_no_csrf, admin_a, admin_b):
    client = logged_in(app_no_csrf, admin_a)
    add_pointer(client)
    upload(client, catalog_of([ENTRY]))
    response = client.get("/staff/admin/pointers/export.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["kind"] == "pointers" and {p["id"] for p in data["pointers"]} == {"nakuru_makers", "agency_fund"}
    other = logged_in(app_no_csrf, admin_b)
    assert upload(other, response.data).status_code == 302
    assert {r["pointer_id"] for r in org_pointers.pointers_of(db_of(app_no_csrf), admin_b["org_id"])} == \
        {"nakuru_makers", "agency_fund"}


def test_the_file_based_site_wide_catalog_still_reaches_every_agency(tmp_path):
    from assessment import create_app
    from assessment.cli import smartstep
    local = tmp_path / "pointers.json"
    local.write_text(json.dumps(catalog_of([{**ENTRY, "id": "site_wide_fund"}], "local")), encoding="utf-8")
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "LOCAL_DATA_FILES": [str(local)]})
    assert app.test_cli_runner().invoke(smartstep, ["init-db"]).exit_code == 0
    db = db_of(app)
    library = app.extensions["smartstep.library"]
    org = staff.ensure_organisation(db, "Agency C")
    org_pointers.create_pointer(db, org, ENTRY)
    assert {"site_wide_fund", "agency_fund"} <= {p.id for p in pointers_for_org(db, library, org)}
    assert "site_wide_fund" in {p.id for p in pointers_for_org(db, library, None)}


def test_pointers_reach_the_agencys_own_cohort_firms_only(app, db, org, pm, questionnaire):
    from assessment import cohort_report
    from tests.test_cohorts import build_cohort
    library = app.extensions["smartstep.library"]
    cohort_id, (firm_id,) = build_cohort(pm, questionnaire, [1])
    other_org = staff.ensure_organisation(db, "Incubator B")
    org_pointers.create_pointer(db, org, {**ENTRY, "id": "incubator_a_loan", "name": {"en": "Incubator A loan"}})
    org_pointers.create_pointer(db, other_org, {**ENTRY, "id": "incubator_b_loan", "name": {"en": "Incubator B loan"}})
    picture = cohort_report.firm_picture(db, library, questionnaire, firms.get_firm(db, firm_id, org))
    shown = {p.id for p in picture.roadmap.financing} | {p.id for s in picture.roadmap.steps for p in s.financing}
    assert "incubator_a_loan" in shown and "incubator_b_loan" not in shown
    page = pm.get(f"/staff/programme/firms/{firm_id}").get_data(as_text=True)
    assert "Incubator B loan" not in page
