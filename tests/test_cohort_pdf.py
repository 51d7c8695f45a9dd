"""The cohort report PDF, built through the app from a real database and read back with pypdf: the
figures of the cohort page's own picture, the gaps and the firms; and below the anonymity floor no
group statistic at all."""
from dataclasses import replace

import pytest

from assessment.cohort_report import cohort_picture
from assessment.core.pdf.charts import format_score
from assessment.core.pdf.cohort_pdf import build_cohort_pdf
from assessment.db import connect, get_db
from assessment.store import firms, staff
from assessment.web.context import current_questionnaire, library
from tests.conftest import PROFILE
from tests.pdf_helpers import ReadPdf

COHORT_NAME = "Intake 2026 · Fábrica São João"
FIRM_NAMES = ["Taller Núñez", "Kumasi Furniture", "Nakuru Metalworks", "Mombasa Plastics",
              "Arusha Textiles", "Kisumu Food Packers"]


@pytest.fixture
def pm(app, client):
    """A client (CSRF off) logged in as Incubator A's programme manager."""
    db = connect(app.config["DATABASE"])
    staff.create_user(db, staff.ensure_organisation(db, "Incubator A"), "pm@a.org", "password-123",
                      "programme_manager")
    db.close()
    assert client.post("/staff/login", data={"email": "pm@a.org", "password": "password-123"}).status_code == 302
    return client


def new_cohort(pm, name):
    response = pm.post("/staff/programme/", data={"name": name, "starts_on": "2026-01-12", "ends_on": "2026-12-18"})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def new_firm(pm, cohort_id, name, sector="metal", size_band="small"):
    response = pm.post(f"/staff/programme/cohorts/{cohort_id}/firms",
                       data={"name": name, "country": "KE", "sector": sector, "size_band": size_band})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def staff_entry(pm, questionnaire, firm_id, level_for):
    """Staff type in one respondent's answers through the respondent pages."""
    token = pm.post(f"/staff/programme/firms/{firm_id}/enter").headers["Location"].split("/")[2]
    pm.post(f"/a/{token}/p/profile", data={"nav": "next", **PROFILE})
    for pillar in questionnaire.pillars:
        data = {"nav": "next", **{item.id: level_for(n, item) for n, item in enumerate(pillar.items)}}
        assert pm.post(f"/a/{token}/p/{pillar.id}", data=data).status_code == 302
    assert pm.post(f"/a/{token}/review").status_code == 302


def varied(firm_no, shift=0):
    """Answers that differ between firms and items; not relevant where an item allows it, now and then."""
    def level_for(n, item):
        if item.not_relevant and (firm_no + n) % 7 == 3:
            return "na"
        return str(min(4, max(0, (firm_no * 3 + n * 2) % 5 - 1 + shift)))
    return level_for


def build_cohort(pm, questionnaire, names, followed_up=0, name=COHORT_NAME):
    """A cohort whose firms have a T0 result each, the first ``followed_up`` also a better T1; the
    first firm has two respondents in its T0 round."""
    cohort_id = new_cohort(pm, name)
    for firm_no, firm_name in enumerate(names):
        firm_id = new_firm(pm, cohort_id, firm_name, sector=("metal", "food")[firm_no % 2])
        staff_entry(pm, questionnaire, firm_id, varied(firm_no))
        if firm_no == 0:
            staff_entry(pm, questionnaire, firm_id, varied(firm_no + 2))
        if firm_no < followed_up:
            assert pm.post(f"/staff/programme/firms/{firm_id}/next-round").status_code == 302
            staff_entry(pm, questionnaire, firm_id, varied(firm_no, shift=1 + firm_no % 2))
    return cohort_id


def picture_of(app, cohort_id):
    with app.test_request_context():
        db = get_db()
        record = firms.get_cohort(db, cohort_id, staff.ensure_organisation(db, "Incubator A"))
        return cohort_picture(db, library(), current_questionnaire(), record)




def download(pm, cohort_id, query=""):
    response = pm.get(f"/staff/programme/cohorts/{cohort_id}/report.pdf{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="cohort-{cohort_id}-report.pdf"'
    return response.data


@pytest.fixture
def cohort_of_six(app, pm, questionnaire):
    cohort_id = build_cohort(pm, questionnaire, FIRM_NAMES, followed_up=5)
    return cohort_id, picture_of(app, cohort_id)


def area_label(questionnaire, key):
    if key == "overall":
        return "Overall"
    kind, _, ident = key.partition(":")
    thing = questionnaire.pillar(ident) if kind == "pillar" else questionnaire.dimension(ident)
    label = thing.title["en"]
    return label if kind != "pillar" or thing.in_overall else f"{label} (readiness)"


def test_report_shows_the_cohort_pages_figures(pm, questionnaire, cohort_of_six):
    cohort_id, picture = cohort_of_six
    pdf = ReadPdf(download(pm, cohort_id))
    assert COHORT_NAME in pdf.pages[0] and "Programme from Jan 12, 2026 to Dec 18, 2026" in pdf.pages[0]
    assert picture.summaries["overall"].size == 6 and picture.movement["overall"][0] == 5
    for key, s in picture.summaries.items():
        row = (f"{area_label(questionnaire, key)} {s.size} {format_score(s.median)} "
               f"{format_score(s.q1)} – {format_score(s.q3)}")
        assert row in pdf.text, row
    for key, (both, improved, change) in picture.movement.items():
        row = f"{area_label(questionnaire, key)} {both} {improved} of {both} {change:+.2f}"
        assert row in pdf.text, row
    assert picture.common_gaps
    for n, (dimension, count) in enumerate(picture.common_gaps, start=1):
        assert f"{n} {dimension.title['en']}" in pdf.text and f"{count} of 6 firms" in pdf.text
    for pointer in picture.activities["awareness"] + picture.activities["financing"]:
        assert pointer.name["en"] in pdf.text and pointer.source in pdf.text
    assert "General guidance" in pdf.text  # the generic pointers say so
    total = len(pdf.pages)
    assert all(f"Page {n} of {total}" in page for n, page in enumerate(pdf.pages, start=1))
    method = pdf.text[pdf.text.index("How to read this report"):]
    for words in ("at least 5 firms", "The median is the middle firm's score", "lower to the upper quartile",
                  "several people in a firm", "average of its answered questions", "self-assessments"):
        assert words in method, words


def test_report_lists_every_firm_with_its_own_scores(pm, cohort_of_six):
    cohort_id, picture = cohort_of_six
    pdf = ReadPdf(download(pm, cohort_id, "?sort=overall&dir=desc"))
    firms_part = pdf.text[pdf.text.index("Firms Each firm's own scores"):]
    positions = [firms_part.index(name) for name in FIRM_NAMES]
    for row in picture.table:
        after_name = firms_part[firms_part.index(row["name"]):]
        scores = " ".join(format_score(row[key]) for key in ("overall", "pillar:hardware", "pillar:software"))
        assert scores in after_name[:200], (row["name"], scores)
    by_overall = sorted(picture.table, key=lambda r: -r["overall"])
    assert sorted(positions) == [firms_part.index(r["name"]) for r in by_overall]
    assert "sorted by Overall score, highest first" in pdf.text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_firm_shows_its_name_over_its_country_sector_and_size(cohort_of_six, lang):
    """The name cell is drawn as plain text lines (bold name, small grey profile), not as markup:
    characters that markup would take as tags print as themselves."""
    _cohort_id, picture = cohort_of_six
    table = [dict(row, name=f"Smith & <Sons> {n}") for n, row in enumerate(picture.table)]
    data = build_cohort_pdf(replace(picture, table=table), lang)
    if lang == "ar":
        from tests.test_pdf_languages import bare, logical_text
        text = bare(logical_text(data)[1])
        assert all(bare(row["name"]) in text for row in table)
        return
    pdf = ReadPdf(data)
    sectors = {"metal": "Metal products and machinery", "food": "Food and beverages"}
    for row in table:
        after_name = pdf.text[pdf.text.index(row["name"]) + len(row["name"]):]
        assert after_name.startswith(f" Kenya · {sectors[row['sector']]} · 10 to 49 people "), after_name[:80]


def test_areas_below_the_floor_and_missing_movement_are_said_not_shown(questionnaire, cohort_of_six):
    _cohort_id, picture = cohort_of_six
    hidden = ("dimension:hw_additive", "dimension:hw_automation")
    summaries = {key: s for key, s in picture.summaries.items() if key not in hidden}
    pdf = ReadPdf(build_cohort_pdf(replace(picture, summaries=summaries, movement={})))
    for key in hidden:
        assert f"{area_label(questionnaire, key)} fewer than 5 firms" in pdf.text
    assert "The movement appears once at least 5 firms have both an intake (T0) and a follow-up (T1)" in pdf.text
    assert "Moved up" not in pdf.text and "Median change" not in pdf.text
    empty = replace(picture, summaries={}, movement={}, common_gaps=[], table=[],
                    activities={"awareness": [], "financing": []})
    pdf = ReadPdf(build_cohort_pdf(empty, generated_on="2026-11-27"))
    assert "No firms in this cohort yet." in pdf.text and "So far no firm has results." in pdf.text
    assert "Median" not in pdf.text and pdf.pages[0].endswith("Page 1 of 1")


def test_below_the_floor_the_report_shows_no_group_statistic(app, pm, questionnaire):
    cohort_id = build_cohort(pm, questionnaire, FIRM_NAMES[:4], followed_up=4, name="Small intake")
    assert picture_of(app, cohort_id).summaries == {}
    pdf = ReadPdf(download(pm, cohort_id))
    assert "Group figures are shown only once at least 5 firms of the cohort have results" in pdf.text
    assert "So far 4 firms have results" in pdf.text
    for word in ("median", "quartile", "middle half", "moved up", "spread", "of 4 firms"):
        assert word not in pdf.text.lower(), word
    for heading in ("Median", "Movement from T0 to T1", "Most common gaps", "Suggested group activities"):
        assert heading not in pdf.text, heading
    assert all(name in pdf.text for name in FIRM_NAMES[:4])  # the firms' own scores are still listed


def test_another_organisations_cohort_report_is_404(app, pm, questionnaire):
    cohort_id = new_cohort(pm, "Intake 2026")
    db = connect(app.config["DATABASE"])
    staff.create_user(db, staff.ensure_organisation(db, "Incubator B"), "pm@b.org", "password-123",
                      "programme_manager")
    db.close()
    outsider = app.test_client()
    outsider.post("/staff/login", data={"email": "pm@b.org", "password": "password-123"})
    assert outsider.get(f"/staff/programme/cohorts/{cohort_id}/report.pdf").status_code == 404
    assert app.test_client().get(f"/staff/programme/cohorts/{cohort_id}/report.pdf").status_code in (302, 401)
