"""Import of firms and answers (CSV, XLSX), import templates, and cohort exports."""
import json
import re

import pytest

from assessment.core import importing, spreadsheets
from assessment.core.questionnaire import NOT_RELEVANT
from assessment.store import firms, staff
from assessment.web import imports as imports_module
from tests.exchange_helpers import (  # noqa: F401  (fixtures are used by name)
    FIRM_HEADERS, answer_headers, answer_row, csv_file, firm_rows, login, new_cohort, read_csv,
    read_export_xlsx, read_xlsx, text_of, upload, xlsx_file)


def firm_count(db, cohort_id):
    return db.execute("SELECT count(*) FROM firms WHERE cohort_id = ?", [cohort_id]).fetchone()[0]


def assessment_count(db):
    return db.execute("SELECT count(*) FROM assessments").fetchone()[0]


def import_firms(pm, cohort_id, count, prefix="Firm"):
    response = upload(pm, cohort_id, "firms", csv_file(FIRM_HEADERS, firm_rows(count, prefix)), "firms.csv")
    assert response.status_code == 302, text_of(response)[:2000]
    return response


# --- firms --------------------------------------------------------------------------------------

def test_a_good_firms_csv_is_imported_with_codes_or_names_and_regions(pm, db, org):
    cohort_id = new_cohort(pm)
    rows = [["Taller Núñez", "KE", "metal", "small"],
            ["Accra Foods", "ghana", "Food and beverages", "10 to 49 people"],
            ["  Lima   Textiles ", "Peru", "TEXTILES", "Micro"],
            ["Dhaka Print", "bd", "printing", "250 people or more"]]
    response = upload(pm, cohort_id, "firms", csv_file(FIRM_HEADERS, rows), "firms.csv")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cohorts/{cohort_id}/import/firms?imported=4")
    assert "4 firms imported." in text_of(pm.get(response.headers["Location"]))
    stored = {f["name"]: f for f in firms.firms_of_cohort(db, cohort_id)}
    assert set(stored) == {"Taller Núñez", "Accra Foods", "Lima Textiles", "Dhaka Print"}
    assert [stored["Accra Foods"][k] for k in ("country", "sector", "size_band", "region")] == \
        ["GH", "food", "small", "africa"]
    assert [stored["Lima Textiles"][k] for k in ("country", "sector", "size_band", "region")] == \
        ["PE", "textiles", "micro", "latin_america_caribbean"]
    assert stored["Dhaka Print"]["region"] == "asia_pacific" and stored["Dhaka Print"]["size_band"] == "large"
    assert all(f["org_id"] == org and f["current_round"] == 0 and f["invite_token"] for f in stored.values())


def test_a_good_firms_xlsx_is_imported(pm, db):
    cohort_id = new_cohort(pm)
    response = upload(pm, cohort_id, "firms", xlsx_file(FIRM_HEADERS, firm_rows(3)), "firms.xlsx")
    assert response.status_code == 302
    assert [f["name"] for f in firms.firms_of_cohort(db, cohort_id)] == ["Firm 1", "Firm 2", "Firm 3"]


def test_a_semicolon_separated_windows_csv_is_read(pm, db):
    cohort_id = new_cohort(pm)
    data = csv_file(FIRM_HEADERS, [["Café Müller", "KE", "food", "micro"]], delimiter=";", encoding="cp1252")
    assert upload(pm, cohort_id, "firms", data, "firms.csv").status_code == 302
    assert firms.firms_of_cohort(db, cohort_id)[0]["name"] == "Café Müller"


GOOD_FIRM = ["Good Firm", "KE", "metal", "small"]
GOOD_CELLS = {"name": "Good Firm", "country": "KE", "sector": "metal", "size_band": "small", "employees": "12"}


@pytest.mark.parametrize("headers, bad_row, expected", [
    (FIRM_HEADERS, ["Bad Firm", "KE", "metals", "small"],
     "row 3, column sector: 'metals' is not a sector; use one of food, textiles, wood, metal,"),
    (FIRM_HEADERS, ["Bad Firm", "Atlantis", "metal", "small"],
     "row 3, column country: 'Atlantis' is not a country of the questionnaire; use a two-letter ISO code"),
    (FIRM_HEADERS, ["Bad Firm", "KE", "metal", "huge"],
     "row 3, column size_band: 'huge' is not a size band; use one of micro, small, medium, large"),
    (FIRM_HEADERS, ["", "KE", "metal", "small"], "row 3, column name: empty; fill in the firm's name"),
    (FIRM_HEADERS, ["Bad Firm", "KE", "", "small"], "row 3, column sector: empty; fill in the firm's sector"),
    (FIRM_HEADERS, ["good  FIRM", "KE", "metal", "small"],
     "row 3, column name: 'good FIRM' is also the name in row 2; each firm may appear only once"),
    (FIRM_HEADERS, ["Already There", "KE", "metal", "small"],
     "row 3, column name: a firm called 'Already There' is already in this cohort"),
    (FIRM_HEADERS, ["X" * 121, "KE", "metal", "small"],
     "row 3, column name: the name is longer than 120 characters"),
    (FIRM_HEADERS + ["employees"], ["Bad Firm", "KE", "metal", "small", "12"],
     "row 1, column employees: unknown column; the columns are name, country, sector, size_band"),
    (["name", "country", "size_band"], ["Bad Firm", "KE", "small"],
     "row 1, column sector: this column is missing; copy the header row from the template"),
    (FIRM_HEADERS + ["sector"], ["Bad Firm", "KE", "metal", "small", "metal"],
     "row 1, column sector: column sector appears twice"),
    (FIRM_HEADERS, ["Bad Firm", "KE", "metal", "small", "oops"],
     "row 3, column number 5: 'oops' is in a column without a name in row 1"),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_firm_row_is_reported_with_row_column_and_reason_and_nothing_is_imported(
        pm, db, org, headers, bad_row, expected, fmt):
    cohort_id = new_cohort(pm)
    firms.create_firm(db, org, "Already There", "KE", "metal", "small", "africa", cohort_id=cohort_id)
    good = [GOOD_CELLS.get(h, "") for h in headers]
    data = (csv_file if fmt == "csv" else xlsx_file)(headers, [good, bad_row])
    response = upload(pm, cohort_id, "firms", data, f"firms.{fmt}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing was imported" in page
    errors = [str(e) for e in collect_errors(page)]
    assert any(e.startswith(expected) for e in errors), errors
    assert firm_count(db, cohort_id) == 1  # only the firm that was there before


def collect_errors(page):
    """The (row, column, reason) table of an import page, as RowErrors."""
    table = page.split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [spreadsheets.RowError(int(r), c, why) for r, c, why in cells]


def test_every_error_of_every_row_is_listed_together(pm, db):
    cohort_id = new_cohort(pm)
    rows = [["A", "KE", "metals", "small"], ["B", "Atlantis", "metal", "tiny"], GOOD_FIRM, ["", "KE", "food", "micro"]]
    response = upload(pm, cohort_id, "firms", csv_file(FIRM_HEADERS, rows), "firms.csv")
    errors = collect_errors(text_of(response))
    assert [(e.row, e.column) for e in errors] == [(2, "sector"), (3, "country"), (3, "size_band"), (5, "name")]
    assert "4 problems were found" in text_of(response)
    assert firm_count(db, cohort_id) == 0


@pytest.mark.parametrize("filename, data, message", [
    ("firms.txt", b"name,country\n", "Only CSV (.csv) and Excel (.xlsx) files can be imported"),
    ("firms.pdf", b"%PDF-1.4", "Only CSV (.csv) and Excel (.xlsx) files can be imported"),
    ("firms.xlsx", b"this is not a workbook", "is not an Excel workbook (.xlsx) that can be opened"),
    ("firms.csv", b"", "Nothing was imported: the file is empty or its first row has no column names."),
    ("firms.csv", b"\x00\x01\x02binary", "Nothing was imported: this is not a text CSV file"),
])
def test_a_bad_file_type_or_unreadable_file_gets_a_clear_message(pm, db, filename, data, message):
    cohort_id = new_cohort(pm)
    response = upload(pm, cohort_id, "firms", data, filename)
    assert response.status_code == 200
    assert message in text_of(response)
    assert firm_count(db, cohort_id) == 0


def test_posting_without_a_file_asks_for_one(pm):
    cohort_id = new_cohort(pm)
    response = pm.post(f"/staff/programme/cohorts/{cohort_id}/import/firms", data={},
                       content_type="multipart/form-data")
    assert "Choose a CSV or XLSX file to upload." in text_of(response)


def test_import_pages_and_exports_are_only_for_the_cohorts_organisation(pm, client, db):
    cohort_id = new_cohort(pm)
    other = staff.ensure_organisation(db, "Incubator B")
    staff.create_user(db, other, "pm@b.org", "password-123", "programme_manager")
    staff.create_user(db, other, "fac@b.org", "password-123", "facilitator")
    client.post("/staff/logout")
    assert login(client, "pm@b.org").status_code == 302
    base = f"/staff/programme/cohorts/{cohort_id}"
    for url in (base + "/import/firms", base + "/import/answers", base + "/export/firms.csv",
                base + "/export/rounds.xlsx", base + "/export/assessments.csv"):
        assert client.get(url).status_code == 404, url
    assert upload(client, cohort_id, "firms", csv_file(FIRM_HEADERS, firm_rows(2)), "f.csv").status_code == 404
    assert firm_count(db, cohort_id) == 0
    client.post("/staff/logout")
    login(client, "fac@b.org")
    assert client.get("/staff/programme/import-templates/firms.csv").status_code == 403


# --- answers ------------------------------------------------------------------------------------

def test_a_good_answers_csv_creates_completed_assessments_and_the_cohort_shows_figures(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 5)
    page = text_of(pm.get(f"/staff/programme/cohorts/{cohort_id}"))
    assert "Group figures appear once at least 5 firms" in page
    rows = [answer_row(questionnaire, f"Firm {n}", level=n % 5, role="owner" if n % 2 else "") for n in range(1, 5)]
    rows.append(answer_row(questionnaire, "FIRM 5", level=lambda i: 3, round_="0",
                           goals="Cut costs;quality", hw_additive_use="na"))
    response = upload(pm, cohort_id, "answers", csv_file(answer_headers(questionnaire), rows), "answers.csv")
    assert response.status_code == 302, text_of(response)[:3000]
    assert "5 completed assessments imported" in text_of(pm.get(response.headers["Location"]))
    stored = list(db.query("SELECT a.*, f.name FROM assessments a JOIN firms f ON f.id = a.firm_id ORDER BY f.name"))
    assert len(stored) == 5 and {a["status"] for a in stored} == {"completed"} and {a["round_no"] for a in stored} == {0}
    assert [a["respondent_role"] for a in stored] == ["owner", "imported", "owner", "imported", "owner"]
    firm5 = stored[-1]
    answers = {r["question_id"]: r["value"] for r in db.query(
        "SELECT question_id, value FROM answers WHERE assessment_id = ?", [firm5["id"]])}
    assert answers["goals"] == '["cost", "quality"]' and answers["hw_additive_use"] == f'"{NOT_RELEVANT}"'
    assert answers["firm_name"] == '"Firm 5"' and answers["country"] == '"KE"'
    overall = {r["name"]: r["score"] for r in db.query(
        "SELECT f.name, s.score FROM firm_scores s JOIN firms f ON f.id = s.firm_id WHERE s.key = 'overall'")}
    assert overall == {"Firm 1": 1.0, "Firm 2": 2.0, "Firm 3": 3.0, "Firm 4": 4.0, "Firm 5": 3.0}
    page = text_of(pm.get(f"/staff/programme/cohorts/{cohort_id}"))
    assert "Group figures appear once" not in page
    assert "Where the cohort stands" in page and "<td>5</td><td>3</td>" in page  # 5 firms, median 3


def test_a_good_answers_xlsx_with_numbers_and_a_later_round_is_imported(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 2)
    headers = answer_headers(questionnaire)
    rows = [answer_row(questionnaire, "Firm 1", level=1, round_="T1"),
            answer_row(questionnaire, "Firm 2", level=2, round_=0, has_design="customer", sw_design_tools="")]
    rows = [[int(c) if isinstance(c, str) and c.isdigit() else c for c in row] for row in rows]
    rows[0][headers.index("hw_automation_tasks")] = "NA"
    response = upload(pm, cohort_id, "answers", xlsx_file(headers, rows), "answers.xlsx")
    assert response.status_code == 302, text_of(response)[:3000]
    by_name = {f["name"]: f for f in firms.firms_of_cohort(db, cohort_id)}
    assert by_name["Firm 1"]["current_round"] == 1 and by_name["Firm 2"]["current_round"] == 0
    assert firms.round_scores(db, by_name["Firm 1"]["id"]).keys() == {1}
    assert firms.round_scores(db, by_name["Firm 2"]["id"])[0]["overall"] == (2.0, 2)


def test_several_respondents_of_a_firm_are_combined_into_its_round(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 1)
    rows = [answer_row(questionnaire, "Firm 1", level=1, role="owner"),
            answer_row(questionnaire, "Firm 1", level=3, role="production")]
    assert upload(pm, cohort_id, "answers", csv_file(answer_headers(questionnaire), rows), "a.csv").status_code == 302
    firm = firms.firms_of_cohort(db, cohort_id)[0]
    assert firms.round_scores(db, firm["id"])[0]["overall"] == (2.0, 2)


def bad_answers(questionnaire):
    """(description, headers, bad row, expected message) for each kind of wrong answers row (row 3)."""
    headers = answer_headers(questionnaire)
    row = lambda **kw: answer_row(questionnaire, "Firm 1", **kw)  # noqa: E731
    return [
        ("unknown firm", headers, answer_row(questionnaire, "Nowhere Ltd"),
         "row 3, column firm: 'Nowhere Ltd' is not a firm of this cohort"),
        ("blank firm", headers, answer_row(questionnaire, ""),
         "row 3, column firm: empty; fill in the name of a firm of this cohort"),
        ("bad round", headers, row(round_="second"),
         "row 3, column round: 'second' is not a round; write T0, T1, T2… (or 0, 1, 2…)"),
        ("level 5", headers, row(hw_equipment_type="5"),
         "row 3, column hw_equipment_type: '5' is not an answer; use 0, 1, 2, 3 or 4"),
        ("text answer", headers, row(hw_automation_tasks="some"),
         "row 3, column hw_automation_tasks: 'some' is not an answer; use 0, 1, 2, 3 or 4, or na if it is not relevant"),
        ("na not allowed", headers, row(hw_equipment_type="na"),
         "row 3, column hw_equipment_type: this item cannot be 'not relevant' (na); use 0, 1, 2, 3 or 4"),
        ("incomplete", headers, row(hw_equipment_type="", sw_data_use=""),
         "row 3, columns hw_equipment_type, sw_data_use: incomplete answers: no answer given"),
        ("bad goal", headers, row(goals="cost; profit"),
         "row 3, column goals: 'profit' is not an answer to goals; use one of cost, quality, energy"),
        ("too many goals", headers, row(goals="cost; quality; energy; delivery"),
         "row 3, column goals: 4 choices; name at most 3, separated by ';'"),
        ("none with a goal", headers, row(goals="none; cost"),
         "row 3, column goals: none cannot be named together with other choices"),
        ("blank profile", headers, row(has_design=""),
         "row 3, column has_design: empty; fill in one of yes_own, mixed, customer, none"),
        ("skipped item answered", headers, row(has_design="customer"),
         "row 3, column sw_design_tools: this item does not apply when has_design is customer or none; leave it blank"),
        ("missing column", headers[:-1], row()[:-1],
         f"row 1, column {questionnaire.items[-1].id}: this column is missing"),
        ("unknown column", headers + ["notes"], row() + ["x"], "row 1, column notes: unknown column; the columns are"),
    ]


@pytest.mark.parametrize("description", [
    "unknown firm", "blank firm", "bad round", "level 5", "text answer", "na not allowed", "incomplete", "bad goal",
    "too many goals", "none with a goal", "blank profile", "skipped item answered", "missing column", "unknown column"])
def test_a_bad_answers_row_is_reported_and_nothing_is_imported(pm, db, questionnaire, description):
    headers, bad_row, expected = {c[0]: c[1:] for c in bad_answers(questionnaire)}[description]
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 2)
    good = answer_row(questionnaire, "Firm 2")[:len(headers)] + (["x"] if "notes" in headers else [])
    response = upload(pm, cohort_id, "answers", csv_file(headers, [good, bad_row]), "answers.csv")
    assert response.status_code == 200, description
    errors = collect_errors(text_of(response))
    assert any(str(e).startswith(expected) for e in errors), (description, [str(e) for e in errors])
    assert assessment_count(db) == 0
    assert db.execute("SELECT count(*) FROM firm_scores").fetchone()[0] == 0


def test_a_firm_name_used_twice_in_the_cohort_is_refused_as_ambiguous(pm, db, org, questionnaire):
    cohort_id = new_cohort(pm)
    for _ in range(2):
        firms.create_firm(db, org, "Twin Ltd", "KE", "metal", "small", "africa", cohort_id=cohort_id)
    data = csv_file(answer_headers(questionnaire), [answer_row(questionnaire, "Twin Ltd")])
    errors = collect_errors(text_of(upload(pm, cohort_id, "answers", data, "a.csv")))
    assert str(errors[0]).startswith("row 2, column firm: 2 firms of this cohort are called 'Twin Ltd'")


def test_answers_of_a_firm_of_another_cohort_are_refused(pm, db, questionnaire):
    first, second = new_cohort(pm, "Intake A"), new_cohort(pm, "Intake B")
    import_firms(pm, first, 1)
    data = csv_file(answer_headers(questionnaire), [answer_row(questionnaire, "Firm 1")])
    errors = collect_errors(text_of(upload(pm, second, "answers", data, "a.csv")))
    assert "is not a firm of this cohort" in errors[0].reason
    assert assessment_count(db) == 0


def test_when_writing_fails_half_way_what_was_written_is_removed(pm, db, questionnaire, monkeypatch):
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 3)
    real = imports_module.complete_assessment
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(*args)
    monkeypatch.setattr(imports_module, "complete_assessment", failing)
    rows = [answer_row(questionnaire, f"Firm {n}") for n in (1, 2, 3)]
    with pytest.raises(OSError):
        upload(pm, cohort_id, "answers", csv_file(answer_headers(questionnaire), rows), "a.csv")
    assert assessment_count(db) == 0
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM firm_scores").fetchone()[0] == 0


# --- templates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_firms_template_matches_the_questionnaire_and_imports_after_filling(pm, db, fmt):
    response = pm.get(f"/staff/programme/import-templates/firms.{fmt}")
    assert response.status_code == 200
    assert f'filename="smartstep-firms-template.{fmt}"' in response.headers["Content-Disposition"]
    headers, rows = (read_csv if fmt == "csv" else read_xlsx)(response.data)
    assert headers == ["name", "country", "sector", "size_band"] and len(rows) == 1
    cohort_id = new_cohort(pm)
    assert upload(pm, cohort_id, "firms", response.data, f"template.{fmt}").status_code == 302
    assert firm_count(db, cohort_id) == 1
    rows.append(["Second Firm"] + list(rows[0][1:]))
    data = (csv_file if fmt == "csv" else xlsx_file)(headers, [rows[1]])
    assert upload(pm, cohort_id, "firms", data, f"filled.{fmt}").status_code == 302
    assert firm_count(db, cohort_id) == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_answers_template_matches_the_questionnaire_and_imports_after_filling(pm, db, questionnaire, fmt):
    response = pm.get(f"/staff/programme/import-templates/answers.{fmt}")
    assert response.status_code == 200
    headers, rows = (read_csv if fmt == "csv" else read_xlsx)(response.data)
    assert headers[:3] == ["firm", "round", "respondent_role"]
    assert headers[-len(questionnaire.items):] == [i.id for i in questionnaire.items]
    cohort_id = new_cohort(pm)
    unfilled = upload(pm, cohort_id, "answers", response.data, f"template.{fmt}")
    assert "'Example Metalworks Ltd' is not a firm of this cohort" in text_of(unfilled)
    import_firms(pm, cohort_id, 1)
    filled = [["Firm 1"] + [("" if c is None else c) for c in rows[0][1:]]]
    data = (csv_file if fmt == "csv" else xlsx_file)(headers, filled)
    assert upload(pm, cohort_id, "answers", data, f"filled.{fmt}").status_code == 302
    assert assessment_count(db) == 1


def test_the_xlsx_template_lists_the_accepted_values(pm, questionnaire):
    response = pm.get("/staff/programme/import-templates/firms.xlsx")
    headers, rows = read_xlsx(response.data, sheet=1)
    assert headers == ["column", "value", "meaning"]
    assert ["country", "KE", "Kenya"] in rows and ["sector", "metal", "Metal products and machinery"] in rows
    assert [questionnaire.items[0].id, "0", questionnaire.items[0].options[0].text["en"]] in rows


# --- exports ------------------------------------------------------------------------------------

@pytest.fixture
def filled_cohort(pm, db, questionnaire):
    """A cohort of 3 firms; two answered T0 (one of them by two respondents), one also T1."""
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 3)
    rows = [answer_row(questionnaire, "Firm 1", level=1), answer_row(questionnaire, "Firm 1", level=2, role="production"),
            answer_row(questionnaire, "Firm 2", level=lambda i: len(i.id) % 5),
            answer_row(questionnaire, "Firm 2", level=3, round_="T1")]
    assert upload(pm, cohort_id, "answers", csv_file(answer_headers(questionnaire), rows), "a.csv").status_code == 302
    return cohort_id


def read_export(pm, cohort_id, what, fmt):
    response = pm.get(f"/staff/programme/cohorts/{cohort_id}/export/{what}.{fmt}")
    assert response.status_code == 200
    assert f'filename="cohort-{cohort_id}-{what}.{fmt}"' in response.headers["Content-Disposition"]
    headers, rows = (read_csv if fmt == "csv" else read_export_xlsx)(response.data)
    return [dict(zip(headers, row)) for row in rows]


def as_number(value):
    return None if value in (None, "") else float(value)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_firms_export_matches_the_database(pm, db, filled_cohort, fmt):
    rows = read_export(pm, filled_cohort, "firms", fmt)
    stored = firms.firms_of_cohort(db, filled_cohort)
    assert [(r["name"], r["country_code"], r["sector_code"], r["size_band_code"], r["region"], r["current_round"])
            for r in rows] == \
        [(f["name"], f["country"], f["sector"], f["size_band"], f["region"], f"T{f['current_round']}") for f in stored]
    assert rows[0]["country"] == "Kenya" and rows[0]["sector"] == "Food and beverages"  # names, codes beside them
    assert [r["current_round"] for r in rows] == ["T0", "T1", "T0"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_rounds_export_matches_the_firm_round_scores(pm, db, questionnaire, filled_cohort, fmt):
    rows = read_export(pm, filled_cohort, "rounds", fmt)
    assert [(r["firm"], r["round"]) for r in rows] == [("Firm 1", "T0"), ("Firm 2", "T0"), ("Firm 2", "T1")]
    for row in rows:
        firm_id, round_no = int(row["firm_id"]), int(row["round"][1:])
        stored = firms.round_scores(db, firm_id)[round_no]
        assert as_number(row["overall_score"]) == stored["overall"][0]
        assert int(row["overall_level"]) == stored["overall"][1]
        for pillar in questionnaire.pillars:
            assert as_number(row[f"pillar_{pillar.id}"]) == stored[f"pillar:{pillar.id}"][0]
        for dimension in questionnaire.dimensions:
            assert as_number(row[f"dimension_{dimension.id}"]) == stored.get(f"dimension:{dimension.id}", (None,))[0]
    assert as_number(rows[0]["overall_score"]) == 1.5  # two respondents at 1 and 2 combined


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_assessments_export_has_one_row_per_respondent_with_profile_and_scores(pm, db, filled_cohort, fmt):
    rows = read_export(pm, filled_cohort, "assessments", fmt)
    assert [(r["firm"], r["round"], r["respondent_role"]) for r in rows] == [
        ("Firm 1", "T0", "owner"), ("Firm 1", "T0", "production"), ("Firm 2", "T0", "owner"), ("Firm 2", "T1", "owner")]
    stored = {r["assessment_id"]: r["overall_score"] for r in db.query("SELECT * FROM results")}
    assert {int(r["assessment_id"]): as_number(r["overall_score"]) for r in rows} == stored
    assert rows[0]["sector"] == "Food and beverages" and rows[0]["goals"] == "Cut costs; Use less energy and water"
    assert "firm_name" not in rows[0] and "participant" not in rows[0]


def test_the_assessments_export_reads_only_the_answers_it_shows(db, questionnaire, filled_cohort):
    from assessment.core.cohort_tables import assessments_table
    from assessment.core.tables import answered_columns, score_keys
    from assessment.store import exchange
    shown, keys = answered_columns(questionnaire), score_keys(questionnaire)
    every = exchange.cohort_completed_assessments(db, filled_cohort, keys)
    some = exchange.cohort_completed_assessments(db, filled_cohort, keys, shown)
    assert [(row["id"], result) for row, result, _answers in some] == \
        [(row["id"], result) for row, result, _answers in every]
    assert [answers for _row, _result, answers in some] == \
        [{k: v for k, v in answers.items() if k in shown} for _row, _result, answers in every]
    assert sum(map(len, (a for _r, _s, a in some))) < sum(map(len, (a for _r, _s, a in every)))  # items left out
    assert assessments_table(questionnaire, some) == assessments_table(questionnaire, every)


def test_an_export_reads_each_score_as_the_stored_result_holds_it(db, questionnaire, filled_cohort):
    """json_extract picks the scores out of each stored result: the same numbers as decoding it whole."""
    from assessment.core.tables import score_keys
    from assessment.store import exchange
    keys = score_keys(questionnaire)
    entries = exchange.cohort_completed_assessments(db, filled_cohort, keys)
    assert entries
    for row, scores, _answers in entries:
        result = json.loads(db.execute("SELECT scores FROM results WHERE assessment_id = ?", [row["id"]]).fetchone()[0])
        expected = {}
        for key in keys:
            kind, _, name = key.partition(":")
            entry = result["overall"] if kind == "overall" else result[kind + "s"].get(name, {})
            expected[key] = (entry.get("score"), entry.get("level"))
        assert scores == expected
        assert scores["overall"] == (result["overall"]["score"], result["overall"]["level"]) != (None, None)


def test_exported_firm_names_cannot_run_as_formulas(pm, db, org):
    cohort_id = new_cohort(pm)
    firms.create_firm(db, org, "=HYPERLINK(\"http://x\")", "KE", "metal", "small", "africa", cohort_id=cohort_id)
    assert read_export(pm, cohort_id, "firms", "csv")[0]["name"].startswith("'=")


def test_the_cohort_page_links_to_import_export_and_templates(pm):
    cohort_id = new_cohort(pm)
    page = pm.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    for url in (f"/cohorts/{cohort_id}/import/firms", f"/cohorts/{cohort_id}/import/answers",
                "/import-templates/answers.xlsx", f"/cohorts/{cohort_id}/export/rounds.csv",
                f"/cohorts/{cohort_id}/export/assessments.xlsx"):
        assert f'href="/staff/programme{url}"' in page, url
    from assessment.web.imports import optional_url
    with pm.application.test_request_context():
        report = optional_url("cohorts.report_pdf", cohort_id=cohort_id)
    assert report is None or f'href="{report}"' in page  # linked once that page exists


def test_the_import_page_explains_the_columns(pm, questionnaire):
    cohort_id = new_cohort(pm)
    page = text_of(pm.get(f"/staff/programme/cohorts/{cohort_id}/import/answers"))
    assert "up to 3 of cost, quality" in page and questionnaire.items[0].id in page
    assert 'enctype="multipart/form-data"' in page


# --- the pure checks ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [("T0", 0), ("t1", 1), ("2", 2), (" T 3 ", 3)])
def test_rounds_are_read_as_t_labels_or_numbers(text, expected):
    assert importing.parse_round(text) == expected


@pytest.mark.parametrize("text", ["", "T", "first", "T-1", "T100", "1.5"])
def test_other_round_texts_are_refused(text):
    with pytest.raises(ValueError):
        importing.parse_round(text)


def test_row_errors_read_as_plain_sentences():
    assert str(spreadsheets.RowError(7, "sector", "'metals' is not a sector")) == \
        "row 7, column sector: 'metals' is not a sector"
    assert str(spreadsheets.RowError(4, "a, b", "incomplete")) == "row 4, columns a, b: incomplete"


def test_core_importing_does_not_import_flask():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(importing))
    names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("flask" in (m or "").lower() for m in names | modules)



def test_a_file_over_the_upload_limit_gets_a_clear_message(pm, db, app):
    cohort_id = new_cohort(pm)
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024  # a small limit keeps the test's body in memory
    big = csv_file(FIRM_HEADERS, firm_rows(3)) + b"x" * app.config["MAX_CONTENT_LENGTH"]
    response = upload(pm, cohort_id, "firms", big, "firms.csv")
    assert response.status_code == 413
    assert "This file is too large" in text_of(response) and "up to 100 KB" in text_of(response)
    assert firm_count(db, cohort_id) == 0


def test_an_answers_file_over_the_row_limit_is_refused_whole(pm, db, questionnaire, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ANSWER_ROWS", 2)
    cohort_id = new_cohort(pm)
    import_firms(pm, cohort_id, 3)
    rows = [answer_row(questionnaire, f"Firm {n}") for n in (1, 2, 3)]
    response = upload(pm, cohort_id, "answers", csv_file(answer_headers(questionnaire), rows), "a.csv")
    assert "Nothing was imported: the file has 3 rows of answers; import at most 2 at a time, so split it into several files." \
        in text_of(response)
    assert assessment_count(db) == 0


def test_a_tab_separated_utf16_file_from_excel_is_read():
    data = "name\tcountry\tsector\tsize_band\r\nÖzgür Döküm\tTR\tmetal\tsmall\r\n".encode("utf-16")
    table = spreadsheets.read_table("firms.csv", data)
    assert table.rows == [(2, {"name": "Özgür Döküm", "country": "TR", "sector": "metal", "size_band": "small"})]
