"""The workshop summary PDF, read back with pypdf: what a facilitator must find in it, and that
below the anonymity floor it shows no group statistic at all.

The summaries are built straight from core objects: the shipped questionnaire and pointers,
benchmark.summarise over made-up pillar scores, benchmark.most_common_gaps over made-up gap lists.
"""
from babel.lists import format_list

from assessment.core.pdf.markup import region_name
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4

from assessment.core import benchmark
from assessment.core.levels import LEVEL_NAMES
from assessment.core.library import load_library
from assessment.core.pdf.charts import format_score
from assessment.core.pdf.workshop_pdf import WorkshopSummary, build_workshop_pdf
from tests.pdf_helpers import ReadPdf

ROOT = Path(__file__).resolve().parent.parent
FLOOR_SENTENCE = "Group figures are shown only once at least 5 participants have completed the assessment."

# Nine completed firms; each list's fifth value is its median, chosen so it appears nowhere else.
PILLAR_SCORES = {
    "hardware": [0.25, 0.5, 1.0, 1.25, 1.67, 1.75, 2.25, 3.0, 3.5],
    "software": [0.5, 1.0, 1.25, 1.5, 2.33, 2.5, 2.75, 3.0, 4.0],
    "connectivity": [0.0, 0.2, 0.4, 0.6, 0.85, 1.0, 1.4, 2.2, 2.6],
    "enablers": [1.2, 1.4, 1.6, 1.8, 2.45, 2.6, 2.8, 3.4, 3.8],
}
# Pointers a facilitator in Kenya would want: local, worldwide and generic ones.
AWARENESS = ("unido_kenya_iot", "itu_iot_standards", "demo_science_park_visit", "tvet_digital_skills",
             "peer_benchmarking")
FINANCING = ("equipment_leasing", "innovation_technology_fund", "development_bank_credit", "bank_credit_line")
FIRM_GAPS = [
    ["hw_maintenance", "sw_data", "cn_capture"], ["hw_maintenance", "sw_data", "en_finance"],
    ["hw_maintenance", "cn_capture", "sw_production"], ["hw_maintenance", "sw_data", "cn_security"],
    ["hw_maintenance", "cn_capture", "en_finance"], ["sw_data", "cn_capture", "hw_equipment"],
    ["hw_maintenance", "en_skills", "cn_internet"], ["sw_data", "cn_security", "en_finance"],
    ["cn_capture", "en_power", "sw_business"],
]




@pytest.fixture(scope="module")
def library():
    return load_library(ROOT / "questionnaires")


def example_summaries(library):
    """A workshop of 12 (9 completed) with group figures, and one of 8 (3 completed) without."""
    questionnaire = library.questionnaires["core"]
    pillars = [(questionnaire.pillar(pid), benchmark.summarise(scores)) for pid, scores in PILLAR_SCORES.items()]
    gaps = [(questionnaire.dimension(did), n) for did, n in benchmark.most_common_gaps(FIRM_GAPS)]
    pointers = {p.id: p for p in library.pointers}
    full = WorkshopSummary(
        questionnaire=questionnaire, title="Nairobi metalworkers — digital day", held_on="2026-11-28",
        counts={"joined": 12, "in_progress": 3, "completed": 9}, pillars=pillars, common_gaps=gaps,
        awareness=[pointers[pid] for pid in AWARENESS], financing=[pointers[pid] for pid in FINANCING])
    small = replace(full, title="Kisumu furniture makers", counts={"joined": 8, "in_progress": 5, "completed": 3},
                    pillars=[], common_gaps=[])
    return {"full": full, "small": small}


@pytest.fixture(scope="module")
def summaries(library):
    return example_summaries(library)


@pytest.fixture(scope="module")
def pdfs(summaries):
    return {name: ReadPdf(build_workshop_pdf(summary)) for name, summary in summaries.items()}


@pytest.mark.parametrize("name", ("full", "small"))
def test_title_date_and_counts_come_first(name, summaries, pdfs):
    summary, first = summaries[name], pdfs[name].pages[0]
    assert first.startswith("Workshop summary")
    assert summary.title in first and "Held on Nov 28, 2026" in first
    counts = summary.counts
    assert f"{counts['joined']} joined {counts['in_progress']} in progress {counts['completed']} completed" in first


def test_each_pillar_has_its_median_quartiles_and_distribution(summaries, pdfs):
    summary, text = summaries["full"], pdfs["full"].text
    for pillar, group in summary.pillars:
        title = pillar.title["en"]
        assert title in text
        median, q1, q3 = (format_score(v) for v in (group.median, group.q1, group.q3))
        assert f"Median {median} · middle half {q1} to {q3}" in text, title
        level = LEVEL_NAMES[int(group.median)]["en"]
        row = f"{title}{'' if pillar.in_overall else ' (readiness)'} {group.size} {median} {level} {q1} – {q3} "
        assert row + " ".join(str(n) for n in group.distribution) in text, row


def test_the_charts_name_every_level(pdfs):
    for level in LEVEL_NAMES:
        assert level["en"] in pdfs["full"].text


def test_the_most_common_gaps_are_listed_most_first(summaries, pdfs):
    summary, text = summaries["full"], pdfs["full"].text
    assert summary.common_gaps[0][0].id == "hw_maintenance" and summary.common_gaps[0][1] == 6
    gaps_text = text.split("The most common gaps", 1)[1]
    positions = []
    for dimension, firms in summary.common_gaps:
        entry = f"{dimension.title['en']}"
        assert entry in gaps_text
        assert f"{firms} of 9 firms" in gaps_text
        positions.append(gaps_text.index(entry))
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", ("full", "small"))
def test_pointers_have_sources_and_generic_ones_are_labelled(name, summaries, pdfs):
    summary, text = summaries[name], pdfs[name].text
    assert "Where to see it working" in text and "How to pay for it" in text
    pointers = summary.awareness + summary.financing
    assert any(p.generic for p in pointers) and any(not p.generic for p in summary.awareness)
    for pointer in pointers:
        assert f"{pointer.name['en']} · {expected_scope(summary, pointer)}" in text
        assert f"Source: {pointer.source}" in text


def expected_scope(summary, pointer):
    if pointer.generic:
        return "General guidance"
    kind, _, value = pointer.scope.partition(":")
    if kind == "country":
        return summary.questionnaire.profile_question("country").option(value).text["en"]
    return {"global": "Worldwide", "region": region_name(value)}[kind]


def test_pointers_say_which_common_gaps_they_serve(summaries, pdfs):
    pointer = next(p for p in summaries["full"].awareness if "*" not in p.dimensions)
    served = [d.title["en"] for d, _n in summaries["full"].common_gaps if pointer.covers(d.id)]
    assert served
    assert f"For the group's gaps: {format_list(served, locale='en')}" in pdfs["full"].text


def test_the_method_note_explains_anonymity_floor_and_median(pdfs):
    method = pdfs["full"].text.split("How to read this summary", 1)[1]
    assert "anonymous" in method and "at least 5" in method
    assert "half the firms scored at or below it" in method
    assert "lower quartile to the upper quartile" in method


def test_below_the_floor_there_is_no_statistic(summaries, pdfs):
    text = pdfs["small"].text
    assert FLOOR_SENTENCE in text
    assert "So far 3 participants have completed it." in text
    for forbidden in ("Median", "median", "quartile", "middle half", "Where the group stands",
                      "The most common gaps", "For the group's gaps", "of 9 firms"):
        assert forbidden not in text, forbidden
    for _pillar, group in summaries["full"].pillars:
        assert format_score(group.median) not in text, group.median
    for dimension, _firms in summaries["full"].common_gaps:
        assert f"{dimension.title['en']} " not in text.split("Where to see it working")[0]


def test_the_floor_is_the_summarys_own(summaries):
    text = ReadPdf(build_workshop_pdf(replace(summaries["small"], floor=7))).text
    assert "at least 7 participants have completed the assessment" in text
    assert FLOOR_SENTENCE not in text


def test_nobody_completed_yet(summaries):
    summary = replace(summaries["small"], counts={"joined": 2, "in_progress": 2, "completed": 0})
    assert "So far nobody has completed it." in ReadPdf(build_workshop_pdf(summary)).text


def test_a_group_with_no_gaps_says_so(summaries):
    text = ReadPdf(build_workshop_pdf(replace(summaries["full"], common_gaps=[]))).text
    assert "No common gaps" in text


@pytest.mark.parametrize("name", ("full", "small"))
def test_a4_pages_numbered_and_dejavu_embedded(name, pdfs):
    read = pdfs[name]
    total = len(read.pages)
    for number, page in enumerate(read.reader.pages, start=1):
        assert [round(float(v)) for v in page.mediabox[2:]] == [round(A4[0]), round(A4[1])]
        assert f"Page {number} of {total}" in read.pages[number - 1]
    assert any("DejaVuSans" in f for f in read.font_names())
    assert any("DejaVuSans-Bold" in f for f in read.font_names())
    assert not [f for f in read.font_names() if "DejaVu" not in f], read.font_names()
    assert "SmartStep workshop summary · " in read.pages[-1]


def test_markup_characters_in_a_title_are_printed_not_parsed(summaries):
    title = "Smith & Sons <Metal> \"Works\" — São Tomé"
    read = ReadPdf(build_workshop_pdf(replace(summaries["small"], title=title)))
    assert title in read.pages[0]


def test_pdfs_are_small(pdfs):
    for read in pdfs.values():
        assert len(read.data) <= 150 * 1024
