"""The roadmap PDF: what the owner must find in it, read back from the PDF's text with pypdf.

The three example firms are bench/pdf.py's (level 0, mixed, level 4). Expectations come from the
roadmap the engine built for each firm, not from hard-coded catalog entries.
"""
import ast
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import pdf as bench_pdf  # noqa: E402  (bench/ is a folder of scripts, not a package)

from assessment.core.pdf import RoadmapReport, build_roadmap_pdf  # noqa: E402
from assessment.core.roadmap import HORIZON_NAMES  # noqa: E402
from assessment.core.scoring import level_name  # noqa: E402
from tests.pdf_helpers import ReadPdf, squeeze

FIRMS = ("level0", "mixed", "level4")






@pytest.fixture(scope="module")
def reports():
    return bench_pdf.example_reports()


@pytest.fixture(scope="module")
def pdfs(reports):
    return {name: ReadPdf(build_roadmap_pdf(report)) for name, report in reports.items()}


@pytest.mark.parametrize("firm", FIRMS)
def test_cover_names_the_firm_and_its_overall_level(firm, reports, pdfs):
    report, cover = reports[firm], pdfs[firm].pages[0]
    overall = report.result["overall"]
    assert "Digital maturity roadmap" in cover
    assert report.profile["firm_name"] in cover
    assert f"Overall level {overall['level']} · {level_name(overall['level'])}" in cover
    assert "Assessment completed on Nov 27, 2026" in cover  # dates through Babel
    country = report.questionnaire.profile_question("country").option(report.profile["country"])
    assert country.text["en"] in cover


@pytest.mark.parametrize("firm", FIRMS)
def test_every_level_name_and_pillar_is_shown(firm, reports, pdfs):
    text = pdfs[firm].text
    for level in range(5):
        assert level_name(level) in text
    for pillar in reports[firm].questionnaire.pillars:
        assert pillar.title["en"] in text
    assert "Enablers (readiness)" in text


def test_a_not_relevant_area_is_shown_as_such(reports, pdfs):
    report = reports["mixed"]
    skipped = [d for d in report.questionnaire.dimensions
               if report.result["dimensions"][d.id]["score"] is None]
    assert skipped, "the mixed example should have a dimension answered 'not relevant'"
    assert "not relevant" in pdfs["mixed"].text
    assert "not relevant" not in pdfs["level0"].pages[1]


@pytest.mark.parametrize("firm", ("level0", "mixed"))
def test_every_step_the_engine_chose_is_in_the_roadmap(firm, reports, pdfs):
    report, text = reports[firm], pdfs[firm].text
    assert report.roadmap.steps
    for step in report.roadmap.steps:
        action = step.action
        assert action.title["en"] in text
        assert squeeze(action.what["en"]) in text
        assert f"level {action.from_level} → {action.to_level}" in text
    for horizon, steps in report.roadmap.by_horizon().items():
        if steps:
            assert HORIZON_NAMES[horizon]["en"] in text


def test_steps_say_what_they_cost_need_and_why(reports, pdfs):
    steps, text = reports["mixed"].roadmap.steps, pdfs["mixed"].text
    assert any(s.unmet for s in steps), "the mixed example should have a step with a prerequisite"
    for step in steps:
        for requirement in step.unmet:
            title = reports["mixed"].questionnaire.dimension(requirement.dimension).title["en"]
            assert f"{title} at level {requirement.level}" in text
        if step.action.evidence:
            assert squeeze(step.action.evidence.text["en"]) in text
            assert step.action.evidence.source in text
    assert "under US$1,000" in text and "Effort:" in text


def test_first_steps_come_first(reports, pdfs):
    roadmap_text = pdfs["level0"].text.split("Your roadmap", 1)[1]
    titles = [s.action.title["en"] for s in reports["level0"].roadmap.steps[:4]]
    positions = [roadmap_text.index(title) for title in titles]
    assert positions == sorted(positions)


def test_the_firms_country_pointers_are_listed(reports, pdfs):
    report, text = reports["level0"], pdfs["level0"].text
    pointers = report.roadmap.awareness + report.roadmap.financing
    local = [p for p in pointers if p.scope == f"country:{report.profile['country']}"]
    assert local, "the engine chose no pointer for the firm's country (KE) for the level-0 firm"
    for pointer in local:
        assert pointer.name["en"] in text
        assert f"{pointer.name['en']} · Kenya" in text


@pytest.mark.parametrize("firm", FIRMS)
def test_every_pointer_has_its_source(firm, reports, pdfs):
    report, text = reports[firm], pdfs[firm].text
    pointers = report.roadmap.awareness + report.roadmap.financing
    assert pointers
    for pointer in pointers:
        assert pointer.name["en"] in text
        assert f"Source: {pointer.source}" in text
        if pointer.generic:
            assert f"{pointer.name['en']} · General guidance" in text
        if pointer.url:
            assert pointer.url in text.replace(" ", "")
    assert "Where to see it working" in text and "How to pay for it" in text


@pytest.mark.parametrize("firm", FIRMS)
def test_method_page_gives_scale_formula_version_limits_and_resume(firm, reports, pdfs):
    report, method = reports[firm], pdfs[firm].pages[-1]
    meta = report.result["questionnaire"]
    assert "How this was measured" in method
    assert f"Questionnaire: {meta['id']}, version {meta['version']}" in method
    assert "average" in method and "Enablers are shown beside it as readiness" in method
    assert "self-assessment" in method and "not relevant" in method
    assert report.resume_code in method
    assert report.resume_url in method


@pytest.mark.parametrize("firm", FIRMS)
def test_every_page_has_its_number_and_footer(firm, reports, pdfs):
    read = pdfs[firm]
    total = len(read.pages)
    assert 3 <= total <= 15
    for number, page in enumerate(read.pages, start=1):
        assert f"Page {number} of {total}" in page
        assert f"SmartStep roadmap · {reports[firm].profile['firm_name']} · Nov 27, 2026" in page


@pytest.mark.parametrize("firm", FIRMS)
def test_only_the_embedded_dejavu_font_is_used(firm, pdfs):
    fonts = pdfs[firm].font_names()
    assert fonts and all("DejaVu" in name for name in fonts), fonts


@pytest.mark.parametrize("firm, name", [("level0", "Fábrica São João"),
                                        ("mixed", "Société Générale d'Usinage"),
                                        ("level4", "Taller Núñez")])
def test_accented_firm_names_print_correctly(firm, name, pdfs):
    assert name in pdfs[firm].pages[0]
    assert name in pdfs[firm].pages[-1]  # the footer


def test_a_level_4_firm_is_told_there_are_no_further_steps(reports, pdfs):
    assert reports["level4"].roadmap.steps == []
    text = pdfs["level4"].text
    assert "there are no further steps in this roadmap" in text.lower()
    assert HORIZON_NAMES["now"]["en"] not in text


@pytest.mark.parametrize("firm", FIRMS)
def test_pdf_fits_the_download_budget(firm, pdfs):
    assert len(pdfs[firm].data) <= bench_pdf.BUDGET_KB * 1024


@pytest.mark.parametrize("firm_name", ["", None, "   "])
def test_a_firm_without_a_name_is_called_your_firm(firm_name, reports):
    report = reports["level0"]
    profile = {**report.profile, "firm_name": firm_name}
    read = ReadPdf(build_roadmap_pdf(replace(report, profile=profile)))
    assert "Your firm" in read.pages[0]
    assert "SmartStep roadmap · Your firm · Nov 27, 2026" in read.pages[-1]


def test_a_very_long_firm_name_is_shortened_in_the_footer(reports):
    report = reports["level0"]
    name = "Cooperativa " + "Metalúrgica Artesanal " * 9
    read = ReadPdf(build_roadmap_pdf(replace(report, profile={**report.profile, "firm_name": name})))
    assert squeeze(name) in read.pages[0]
    lines = read.reader.pages[1].extract_text().splitlines()
    footer = next(line for line in lines if "SmartStep roadmap" in line)
    assert "…" in footer and len(footer) < 120


def test_markup_characters_in_a_name_are_printed_not_parsed(reports):
    report = reports["mixed"]
    name = "Smith & Sons <Metal> \"Works\""
    read = ReadPdf(build_roadmap_pdf(replace(report, profile={**report.profile, "firm_name": name})))
    assert name in read.pages[0]


def test_an_unanswered_profile_still_builds(reports):
    report = reports["mixed"]
    bare = RoadmapReport(questionnaire=report.questionnaire, result=report.result, profile={},
                         roadmap=report.roadmap, completed_on="2026-11-27",
                         resume_url="https://example.org/r/x", resume_code="AAAA-BBBB")
    read = ReadPdf(build_roadmap_pdf(bare))
    assert "Your firm" in read.pages[0] and "AAAA-BBBB" in read.pages[-1]


def test_the_pdf_package_imports_no_web_code():
    """core/ never imports Flask or the web package (the assessment package itself does, for
    create_app, so this reads the imports rather than sys.modules)."""
    for path in (ROOT / "assessment" / "core" / "pdf").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("flask", "assessment.web", "assessment.app")), (path.name, name)
                in_core = name.startswith("assessment.core")
                assert not name.startswith("assessment") or in_core, (path.name, name)
