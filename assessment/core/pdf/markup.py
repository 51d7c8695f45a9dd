"""Small building blocks the workshop and cohort PDFs share: cell paragraphs, bold and note markup,
the ruled table look, a share bar, the row of count boxes and a group's pointer entries. Escaping,
paragraphs and bullets are styles.py's, offered here too so that a report imports from one place."""
from functools import lru_cache

from reportlab.graphics.shapes import Rect
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether

from assessment.core.catalogs import ALL_DIMENSIONS
from assessment.core.pdf import language
from assessment.core.pdf.charts import mirrored, new_drawing
from assessment.core.pdf.language import _
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import (CONTENT_WIDTH, GREYS, INK, MUTED, RULE, SHADE, bullets, esc, link,  # noqa: F401
                                        para, paragraph, paragraph_styles, table, table_style)

MUTED_HEX = MUTED.hexval().replace("0x", "#")


def cell_para(markup, style="cell"):
    """A table cell's paragraph (styles.Para keeps its line breaks while the table is laid out)."""
    return paragraph(markup, style)


@lru_cache(maxsize=None)
def _centered_style():
    return ParagraphStyle("cell_center", parent=paragraph_styles()["cell"], alignment=TA_CENTER)


def centered(markup):
    """A table-cell paragraph, centred."""
    return paragraph(markup, _centered_style())


def bold(text):
    """Plain text as bold markup."""
    return f"<b>{esc(text)}</b>"


def note(markup):
    """Inline markup for a small grey note inside a paragraph."""
    return f'<font size="7.5" color="{MUTED_HEX}">{markup}</font>'


def ruled_table_style(*commands):
    """The cohort and workshop reports' table look: a shaded header between rules, thin rules between
    rows; ``commands`` come last, so they can change any of it."""
    return table_style(
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *commands,
    )


def share_bar(part, whole, width=70, height=8):
    """A small outlined bar, filled to ``part`` of ``whole``."""
    bar = new_drawing(width, height)
    bar.add(Rect(0, 0, width, height, fillColor=None, strokeColor=INK, strokeWidth=0.5))
    if part and whole:
        bar.add(Rect(0, 0, width * part / whole, height, fillColor=GREYS[3], strokeColor=INK, strokeWidth=0.5))
    return mirrored(bar)


def count_boxes(counts):
    """A boxed row of big numbers with their labels: [(number, label)]."""
    cells = [[cell_para(str(n), "level"), cell_para(esc(label), "body")] for n, label in counts]
    width = CONTENT_WIDTH / len(counts)
    return table([cells], colWidths=(width,) * len(counts), style=table_style(
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
        para(esc(_("Questionnaire: %(id)s, version %(version)s.", id=questionnaire.id,
                    version=questionnaire.version)), "small"),
    ])]


def pointer_scope(report, pointer):
    """"General guidance" for generic entries, else where the pointer applies. ``report`` is any of
    the PDFs' report objects: it has ``questionnaire`` and ``text()``."""
    if pointer.generic:
        return _("General guidance")
    kind, _sep, value = (pointer.scope or "").partition(":")
    if kind == "country":
        country = report.questionnaire.profile_question("country").option(value)
        return report.text(country.text) if country else value
    if kind == "region":
        return region_name(value)
    return _("Worldwide")


def group_pointer_entry(report, pointer, gaps_label, style):
    """One pointer as one paragraph of a group's report (a workshop's or a cohort's): name · scope,
    description, the group's common gaps it serves after ``gaps_label``, source, address."""
    lines = [f"<b>{esc(report.text(pointer.name))}</b> · {esc(pointer_scope(report, pointer))}",
             esc(report.text(pointer.description))]
    helps = gaps_served(report, pointer)
    if helps:
        lines.append(note(f"<b>{esc(gaps_label)}</b> {esc(helps)}"))
    lines.append(note(esc(_("Source: %(source)s", source=ltr_value(report.text({"en": pointer.source}))))))
    if pointer.url:
        lines.append(note(esc(_("Address:")) + " " + link(pointer.url)))
    return para("<br/>".join(lines), style)


def gaps_served(report, pointer):
    """The names of the group's common gaps (``report.common_gaps``: (dimension, firms) pairs; none
    below the anonymity floor) that the pointer serves; "" for a pointer that serves every area,
    where naming them all would say nothing."""
    if ALL_DIMENSIONS in pointer.dimensions:
        return ""
    return language.join_names(report.text(d.title) for d, _firms in report.common_gaps if pointer.covers(d.id))


def region_name(region):
    names = {"africa": _("Africa"), "asia_pacific": _("Asia and the Pacific"),
             "europe_central_asia": _("Europe and Central Asia"),
             "latin_america_caribbean": _("Latin America and the Caribbean"),
             "western_asia": _("Western Asia"), "middle_east_north_africa": _("Middle East and North Africa")}
    return names.get(region, region.replace("_", " ").capitalize())
