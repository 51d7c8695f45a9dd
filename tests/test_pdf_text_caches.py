"""The PDFs' remembered text work: numbers formatted per language, Arabic shaped and reordered
once per text, and lines broken once per text and width. Remembered results must be exactly what the work itself gives, in every language."""
import arabic_reshaper
import pytest
from babel.numbers import format_decimal
from bidi.algorithm import get_display
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from assessment.core.pdf import language
from assessment.core.pdf.charts import format_score
from assessment.core.pdf.rtl_text import LRM, drawing_order, ltr_value, shaped, visual
from assessment.core.pdf.styles import FONT, TextLines, broken_lines, register_fonts

SCORES = [0, 0.5, 1, 1.25, 2.0, 2.75, 3.33, 4, 12345.678]
TEXTS = ["T1", "2.75", "–", "Bench firm 14501", "(readiness)", "T0: 1.0.0; T1: 1.1.0", "Smith & <Sons>",
         "كينيا · الأغذية والمشروبات · من 10 إلى 49 شخصا", "الإجمالي", "Fábrica São João", "مصنع 12 Ltd",
         "שלום", "Kenya · مصنع", "٢٫٧٥"]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "ar"])
def test_numbers_are_babels_in_each_language_however_often_asked(lang):
    with language.in_language(lang):
        for _round in range(2):  # the second round comes from the cache
            for value in SCORES:
                assert language.number(value) == format_decimal(value, format="0.00", locale=lang)
                assert language.number(value, digits=0) == format_decimal(value, format="0", locale=lang)
                assert language.whole(value) == format_decimal(value, format="#,##0", locale=lang)


def test_a_number_asked_in_one_language_is_not_reused_in_another():
    with language.in_language("en"):
        english = (language.number(2.75), language.whole(12345), format_score(2.75))
    with language.in_language("fr"):
        french = (language.number(2.75), language.whole(12345), format_score(2.75))
    assert english == ("2.75", "12,345", "2.75")
    assert french[0] == "2,75" and french[2] == "2,75" and french[1] != "12,345"


@pytest.mark.parametrize("text", TEXTS)
def test_shaping_and_order_are_the_libraries_own(text):
    for _round in range(2):
        assert shaped(text) == arabic_reshaper.reshape(text)
        assert drawing_order(shaped(text)) == get_display(arabic_reshaper.reshape(text))
        with language.in_language("ar"):
            assert visual(text) == get_display(arabic_reshaper.reshape(text))
        with language.in_language("en"):
            assert visual(text) == text


def test_text_lines_draw_arabic_runs_shaped_and_in_drawing_order():
    with language.in_language("ar"):
        lines = TextLines([("مصنع النجاح", "cell_title"), ("كينيا · الأغذية والمشروبات", "cell_note")])
        lines.wrap(400, 100)
    drawn = [text for text, _style, _x, _baseline in lines._layout[1]]
    assert drawn == [get_display(arabic_reshaper.reshape("مصنع النجاح")),
                     get_display(arabic_reshaper.reshape("كينيا · الأغذية والمشروبات"))]


@pytest.mark.parametrize("width", [30, 60, 400])
def test_lines_are_broken_as_reportlab_breaks_them(width):
    register_fonts()
    for text in TEXTS:
        for rtl in (False, True):
            for _round in range(2):
                lines = simpleSplit(shaped(text) if rtl else text, FONT, 7.5, width)
                if any(stringWidth(line, FONT, 7.5) > width for line in lines):
                    continue  # a word wider than the column: cut (the test below)
                expected = [drawing_order(line, base_dir="R") if rtl else line for line in lines]
                assert [line for line, _width in broken_lines(text, FONT, 7.5, width, rtl)] == expected


ADDRESS = "https://www.example-development-bank.org/en/programmes/sme-digital-upgrade-fund/apply-online"


@pytest.mark.parametrize("rtl", [False, True])
@pytest.mark.parametrize("text", [ADDRESS, "العنوان: " + ADDRESS, "Address: " + ADDRESS + " (checked)"])
def test_a_word_wider_than_the_column_is_cut_at_the_edge_and_keeps_every_character(text, rtl):
    register_fonts()
    lines = broken_lines(text, FONT, 7.5, 150, rtl)
    assert len(lines) > 1 and all(width <= 150 for _line, width in lines)
    assert stringWidth(ADDRESS, FONT, 7.5) > 150  # the address alone would run past the edge
    kept = "".join(line for line, _width in lines).replace(" ", "")
    written = (drawing_order(shaped(text)) if rtl else text).replace(" ", "")
    assert sorted(kept) == sorted(written)  # nothing lost (in Arabic, lines are reordered one by one)


def only_line(text, rtl=True):
    register_fonts()
    with language.in_language("ar" if rtl else "en"):
        (line, _width), = broken_lines(text, FONT, 7.5, 400, rtl)
    return line


def test_a_right_to_left_line_that_starts_with_a_latin_word_still_reads_from_the_right():
    # The pointer "AFAWA: ضمان…": its first word is drawn at the right, where the reader starts.
    assert only_line("AFAWA: ضمان من أجل النمو").endswith(":AFAWA")


def test_an_english_title_in_an_arabic_sentence_keeps_its_closing_quote_and_bracket():
    def source_line(title):
        return "المصدر: " + title + " (تم التحقق في 02/12/2026)"

    title = 'Women in Africa (AFAWA)"'
    assert '"(Women in Africa (AFAWA' in only_line(source_line(title))  # why values are marked
    with language.in_language("ar"):
        marked = ltr_value(title)
    line = only_line(source_line(marked))
    assert 'Women in Africa (AFAWA)"' in line and LRM not in line
    with language.in_language("ar"):
        address = ltr_value("https://www.fongip.sn/")
    assert only_line("العنوان: " + address).startswith("https://www.fongip.sn/ ")
    with language.in_language("fr"):
        assert ltr_value(title) == title  # left-to-right languages need no marks


@pytest.mark.parametrize("width", [60, 80, 150])
def test_a_marked_title_broken_over_lines_stays_left_to_right_on_each(width):
    register_fonts()
    with language.in_language("ar"):
        text = "المصدر: " + ltr_value("Financial Afrik, Fongip (Jan 2023)") + " (تم التحقق)"
        lines = [line for line, _width in broken_lines(text, FONT, 7.5, width, True)]
    assert len(lines) > 1 and any("2023)" in line for line in lines), lines
    assert not any("(2023" in line or line.startswith(",") for line in lines), lines
    assert not any(LRM in line for line in lines)


@pytest.mark.parametrize("name", ["Taller Núñez (Pty)", "Société Générale d'Usinage S.A."])
def test_a_latin_firm_name_alone_on_its_line_in_an_arabic_pdf_is_drawn_as_written(name):
    with language.in_language("ar"):
        marked = ltr_value(name)
    assert only_line(marked) == name
    assert only_line(name) != name  # why it is marked: the closing bracket or stop would move


def test_an_arabic_value_is_not_marked():
    with language.in_language("ar"):
        assert ltr_value("مصنع النجاح (فرع 2)") == "مصنع النجاح (فرع 2)"
