"""The PDFs in every shipped language: translated headings and content, accents intact, Arabic
shaped (joined presentation forms drawn) and readable back in logical order."""
import subprocess
import unicodedata
from dataclasses import replace

import pytest

from assessment import translation_files as files
from assessment.core.library import load_library
from assessment.core.pdf.data_pdf import build_data_pdf
from assessment.core.pdf.language import catalog
from assessment.core.pdf.roadmap_pdf import build_roadmap_pdf
from assessment.core.pdf.workshop_pdf import build_workshop_pdf
from bench.pdf import ROOT, example_reports
from tests.pdf_helpers import ReadPdf, squeeze
from tests.test_workshop_pdf import example_summaries

LANGUAGES = [lang for lang in files.shipped_languages() if lang != "en"]
HEADINGS = ("Your roadmap", "Where to see it working", "How to pay for it", "How this was measured, and its limits")
PRESENTATION_FORMS = range(0xFB50, 0xFF00)


@pytest.fixture(scope="module")
def library():
    files.compile_ui()
    return load_library(ROOT / "questionnaires")


def logical_text(data):
    """The PDF's text as poppler reads it back (logical order), with bidi controls dropped and
    presentation forms folded to plain letters (NFKC)."""
    raw = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    visible = "".join(c for c in raw if unicodedata.category(c) != "Cf")
    return raw, squeeze(unicodedata.normalize("NFKC", visible))


def bare(text):
    """Arabic compared letter by letter: without spaces (poppler may put the space on the other side
    of a Latin word inside an Arabic line) and without vowel marks (harakat), which the PDFs leave
    out as printed Arabic usually does."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace()
                   and unicodedata.category(c) not in ("Mn", "Cf"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_roadmap_pdf_is_written_in_the_assessments_language(library, lang):
    report = example_reports(library, lang)["mixed"]
    data = build_roadmap_pdf(report)
    translated = [catalog(lang).gettext(h) for h in HEADINGS]
    assert all(t != h for t, h in zip(translated, HEADINGS)), "headings are not translated"
    first_step = report.text(report.roadmap.steps[0].action.title)
    assert first_step != report.roadmap.steps[0].action.title["en"]
    if lang == "ar":
        text = bare(logical_text(data)[1])
        for sentence in translated + [first_step]:
            assert bare(sentence) in text, sentence
    else:
        text = ReadPdf(data).text
        for sentence in translated + [first_step]:
            assert squeeze(sentence) in text, sentence
    assert "Your roadmap" not in text and "How to pay for it" not in text


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "ar"])
def test_accents_survive_in_the_pdf(library, lang):
    text = ReadPdf(build_roadmap_pdf(example_reports(library, lang)["mixed"])).text
    accented = [c for c in text if unicodedata.category(c) == "Ll" and ord(c) > 127]
    assert accented, "no accented letter found"
    assert "\ufffd" not in text


def test_arabic_is_drawn_joined_and_reads_back_in_logical_order(library):
    if "ar" not in LANGUAGES:
        pytest.fail("Arabic is not shipped")
    report = example_reports(library, "ar")["mixed"]
    raw, text = logical_text(build_roadmap_pdf(report))
    assert sum(ord(c) in PRESENTATION_FORMS for c in raw) > 500  # joined letter forms were drawn
    heading = catalog("ar").gettext("How to pay for it")
    assert bare(heading) in bare(text)
    pointer = report.roadmap.financing[0]
    assert bare(report.text(pointer.name)) in bare(text)


def test_the_arabic_check_can_fail():
    """Letters drawn unjoined (no shaping) are not presentation forms: the check above sees that."""
    unshaped = "كيف تدفع ثمنها"
    assert not any(ord(c) in PRESENTATION_FORMS for c in unshaped)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_workshop_summary_pdf_follows_the_language(library, lang):
    summary = replace(example_summaries(library)["full"], language=lang, translations=library.translations)
    data = build_workshop_pdf(summary)
    text = bare(logical_text(data)[1]) if lang == "ar" else ReadPdf(data).text
    same = bare if lang == "ar" else squeeze
    assert same(catalog(lang).gettext("Workshop summary")) in text
    assert same(catalog(lang).gettext("The most common gaps")) in text


def test_a_latin_workshop_title_keeps_its_closing_bracket_in_arabic(library):
    """A title in Latin letters on the cover of an Arabic summary is one left-to-right value: its
    closing bracket is not drawn at the front ("(Atelier São Tomé (jour 1"). Its accents make it
    go through the bidirectional algorithm (plain ASCII is drawn as it is)."""
    title = "Atelier São Tomé (jour 1)"
    summary = replace(example_summaries(library)["full"], title=title, language="ar",
                      translations=library.translations)
    drawn = ReadPdf(build_workshop_pdf(summary)).reader.pages[0].extract_text()  # in drawing order
    assert title in [line.strip() for line in drawn.splitlines()]


def test_a_latin_firm_name_keeps_its_closing_bracket_in_an_arabic_data_download():
    name = "Fábrica São João (Lda)"
    data = {"firm": {"name": name}, "exported_at": "2026-12-02T10:00:00", "assessments": []}
    drawn = ReadPdf(build_data_pdf(data, "ar")).reader.pages[0].extract_text()
    assert name in [line.strip() for line in drawn.splitlines()]
