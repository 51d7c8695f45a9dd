"""Small building blocks the workshop and cohort PDFs share: escaped markup, paragraphs, bullets,
a share bar and the row of count boxes."""
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Rect
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Table

from assessment.core.pdf.charts import new_drawing
from assessment.core.pdf.styles import CONTENT_WIDTH, GREYS, INK, MUTED, RULE, Para, paragraph_styles, table_style

MUTED_HEX = MUTED.hexval().replace("0x", "#")


def esc(text):
    return escape(str(text or ""), {'"': "&quot;"})


def para(markup, style="body"):
    """A paragraph of the page's flow, from markup (escape plain text with ``esc`` first)."""
    return Paragraph(markup, paragraph_styles()[style])


def cell_para(markup, style="cell"):
    """A table cell's paragraph (styles.Para keeps its line breaks while the table is laid out)."""
    return Para(markup, paragraph_styles()[style])


@lru_cache(maxsize=None)
def _centered_style():
    return ParagraphStyle("cell_center", parent=paragraph_styles()["cell"], alignment=TA_CENTER)


def centered(markup):
    """A table-cell paragraph, centred."""
    return Para(markup, _centered_style())


def link(url):
    return f'<a href="{esc(url)}" color="black"><u>{esc(url)}</u></a>'


def note(markup):
    """Inline markup for a small grey note inside a paragraph."""
    return f'<font size="7.5" color="{MUTED_HEX}">{markup}</font>'


def bullets(items):
    return [Paragraph(markup, paragraph_styles()["bullet"], bulletText="•") for markup in items]


def share_bar(part, whole, width=70, height=8):
    """A small outlined bar, filled to ``part`` of ``whole``."""
    bar = new_drawing(width, height)
    bar.add(Rect(0, 0, width, height, fillColor=None, strokeColor=INK, strokeWidth=0.5))
    if part and whole:
        bar.add(Rect(0, 0, width * part / whole, height, fillColor=GREYS[3], strokeColor=INK, strokeWidth=0.5))
    return bar


def count_boxes(counts):
    """A boxed row of big numbers with their labels: [(number, label)]."""
    cells = [[cell_para(str(n), "level"), cell_para(esc(label), "body")] for n, label in counts]
    width = CONTENT_WIDTH / len(counts)
    return Table([cells], colWidths=(width,) * len(counts), style=table_style(
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
    ))


def method_block(heading, points, questionnaire):
    """The closing "how to read it" section, kept on one page: short, and read as a whole."""
    return [KeepTogether([
        para(heading, "h1"),
        *bullets(points),
        para(f"Questionnaire: <b>{esc(questionnaire.id)}</b>, version <b>{esc(questionnaire.version)}</b>.",
             "small"),
    ])]


def pointer_scope(report, pointer):
    """"General guidance" for generic entries, else where the pointer applies. ``report`` is any of
    the PDFs' report objects: it has ``questionnaire`` and ``text()``."""
    if pointer.generic:
        return "General guidance"
    kind, _, value = (pointer.scope or "").partition(":")
    if kind == "country":
        country = report.questionnaire.profile_question("country").option(value)
        return report.text(country.text) if country else value
    if kind == "region":
        return value.replace("_", " ").capitalize()
    return "Worldwide"
