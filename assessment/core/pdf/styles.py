"""Fonts, paragraph styles and the A4 page template (footer with "Page N of M") of SmartStep PDFs.

Everything is grey-scale so a page printed in black and white reads the same as on screen.
The fonts are DejaVu Sans, shipped in ``fonts/`` with their licence and embedded (subset) in
every PDF, so accented names such as "Fábrica São João" print correctly.
"""
import html
import re
import threading
from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.lib.utils import simpleSplit
from reportlab.lib.enums import TA_CENTER
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from assessment.core.pdf import language
from assessment.core.pdf.language import _
from assessment.core.pdf.rtl_text import drawing_order, ltr_value, marks_carried_over, shaped, visual

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

FOOTER_SIZE = 7.5
FOOTER_NUMBER_ROOM = 70  # points kept free for "Page N of M"
PAGE_SIZE = A4
MARGIN = 2 * cm
BOTTOM_MARGIN = 2.2 * cm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN

INK = colors.black
MUTED = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.92, 0.92, 0.92)
GREYS = tuple(colors.Color(g, g, g) for g in (0.93, 0.80, 0.64, 0.47, 0.28))  # level 0 -> 4


@lru_cache(maxsize=None)
def register_fonts():
    """Registers DejaVu Sans (regular and bold) once per process; later calls cost nothing."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT


@lru_cache(maxsize=None)
def use_binary_streams():
    """Once per process, for every reportlab PDF: write streams as binary, not ASCII85 text. The
    text encoding of the embedded fonts costs about a tenth of a roadmap's build time and a few KB,
    and the PDFs are downloaded as binary files anyway."""
    rl_config.useA85 = 0


def _style(name, size, leading=None, font=FONT, **extra):
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3,
                          bulletFontName=FONT, textColor=extra.pop("textColor", INK), **extra)


@lru_cache(maxsize=None)
def paragraph_styles():
    """The paragraph styles by short name: title, h1, h2, body, small, cell, cell_title…"""
    register_fonts()
    return {
        "title": _style("title", 26, 32, FONT_BOLD, spaceAfter=10),
        "firm": _style("firm", 17, 22, FONT_BOLD, spaceAfter=4),
        "h1": _style("h1", 16, 20, FONT_BOLD, spaceBefore=4, spaceAfter=8),
        "h2": _style("h2", 12, 15, FONT_BOLD, spaceBefore=10, spaceAfter=4),
        "body": _style("body", 10, 14, spaceAfter=6),
        "name": _style("name", 9.5, 13, spaceBefore=7),
        "pointer": _style("pointer", 9.5, 13.5, spaceBefore=4, spaceAfter=6),
        "pointer_text": _style("pointer_text", 9.5, 13),
        "note": _style("note", 7.5, 10, textColor=MUTED),
        "lead": _style("lead", 11, 15, spaceAfter=6),
        "small": _style("small", 8.5, 11, textColor=MUTED, spaceAfter=4),
        "bullet": _style("bullet", 10, 14, leftIndent=12, bulletIndent=2, spaceAfter=3),
        "level": _style("level", 20, 25, FONT_BOLD, spaceAfter=4),
        "cell": _style("cell", 8.5, 11),
        "cell_title": _style("cell_title", 8.5, 11, FONT_BOLD),
        "cell_label": _style("cell_label", 8.5, 11, FONT_BOLD, spaceBefore=3),
        "cell_note": _style("cell_note", 7.5, 10, textColor=MUTED, spaceBefore=1),
        "cell_goals": _style("cell_goals", 7.5, 10, textColor=MUTED, spaceBefore=2),
        "cell_small": _style("cell_small", 7.5, 9.5, textColor=MUTED),
        "cell_bullet": _style("cell_bullet", 9, 12, leftIndent=11, bulletIndent=1, spaceAfter=3),
    }


def table_style(*commands):
    """A TableStyle whose cells default to DejaVu (else each table names Helvetica in the PDF)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.5, 11), *commands])


def table(rows, colWidths, style=None, **options):
    """A Table; in a right-to-left language its columns run from the right (cells, widths and the
    style's column references mirrored), so the first column is where the reader starts."""
    if not language.is_rtl():
        return Table(rows, colWidths=colWidths, style=style, **options)
    count = len(colWidths)
    rows = [[visual(c) if isinstance(c, str) else c for c in reversed(row)] for row in rows]
    commands = [_mirrored(command, count) for command in (style.getCommands() if style else [])]
    return Table(rows, colWidths=tuple(reversed(colWidths)), style=TableStyle(commands), **options)


SIDES = {"LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING", "LINEBEFORE": "LINEAFTER",
         "LINEAFTER": "LINEBEFORE"}
ALIGN = {"LEFT": "RIGHT", "RIGHT": "LEFT"}


def _mirrored(command, count):
    name, (c0, r0), (c1, r1), *rest = command
    c0, c1 = (count - 1 - (c % count) for c in (c0, c1))
    if name in ("ALIGN", "ALIGNMENT") and rest:
        rest = [ALIGN.get(str(rest[0]).upper(), rest[0]), *rest[1:]]
    return (SIDES.get(name, name), (min(c0, c1), r0), (max(c0, c1), r1), *rest)


class Para(Paragraph):
    """A Paragraph that remembers its line breaks for a width: tables and page breaking wrap the
    same cell several times, and breaking lines is most of a PDF's build time."""

    _wrapped = None

    def wrap(self, availWidth, availHeight):
        # split() for a page break drops the line breaks (blPara): then wrap again for real.
        if self._wrapped and self._wrapped[0] == availWidth and hasattr(self, "blPara"):
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


class TextLines(Flowable):
    """Plain text (no markup) in a few runs, each in a paragraph style and wrapped at spaces, drawn
    straight on the canvas: several times faster than a Paragraph per run, for the many short
    texts in table cells. ``runs`` is a list of (text, style name); a style's spaceBefore is kept."""

    def __init__(self, runs):
        super().__init__()
        self.runs = [(text, paragraph_styles()[name] if isinstance(name, str) else name) for text, name in runs if text]
        self.rtl = language.is_rtl()
        self._layout = None

    def getSpaceBefore(self):
        return self.runs[0][1].spaceBefore if self.runs else 0

    def getSpaceAfter(self):
        return self.runs[-1][1].spaceAfter if self.runs else 0

    def wrap(self, availWidth, availHeight):
        if self._layout is None or self._layout[0] != availWidth:
            self._layout = (availWidth, *self._lay_out(availWidth))
        self.width, self.height = availWidth, self._layout[2]
        return self.width, self.height

    def _lay_out(self, width):
        """(lines as (text, style, x, distance from the top to the baseline), total height)"""
        lines, top = [], 0
        for index, (text, style) in enumerate(self.runs):
            top += style.spaceBefore if index else 0
            for piece, piece_width in broken_lines(text, style.fontName, style.fontSize, width - style.leftIndent,
                                                   self.rtl):
                lines.append((piece, style, self._line_x(width - piece_width, style), top + style.fontSize))
                top += style.leading
        return lines, top

    def draw(self):
        """One text object for all lines: a drawString per line costs twice as much."""
        text_object = self.canv.beginText()
        self.write(text_object)
        self.canv.drawText(text_object)

    def write(self, text_object, x=0, y=0):
        """Writes the lines (as wrapped last) into a text object, the bottom left corner at (x, y):
        a long table puts all of a page's cells in one text object (rows_table.RowsTable)."""
        current = None
        for text, style, line_x, baseline in self._layout[1]:
            if style is not current:
                text_object.setFont(style.fontName, style.fontSize)
                text_object.setFillColor(style.textColor)
                current = style
            text_object.setTextOrigin(x + line_x, y + self.height - baseline)
            text_object.textOut(text)

    def _line_x(self, free, style):
        """Left-aligned, or right-aligned in a right-to-left language; centred styles stay centred.
        ``free``: the room the line leaves."""
        if style.alignment == TA_CENTER:
            return free / 2
        return free - style.leftIndent if self.rtl else style.leftIndent


@lru_cache(maxsize=4096)
def broken_lines(text, font, size, width, rtl):
    """((line, its width) …): the text broken at spaces into lines of at most ``width`` points; in a
    right-to-left language shaped, broken in reading order and each line put in drawing order as a
    line of a right-to-left paragraph (one that starts with a Latin word included).
    Remembered: a cohort report breaks the same country · sector · size lines again and again."""
    lines = []
    for line in simpleSplit(shaped(text) if rtl else text, font, size, width):
        lines += _cut_to_width(line, font, size, width)
    lines = [drawing_order(line, base_dir="R") for line in marks_carried_over(lines)] if rtl else lines
    return tuple((line, pdfmetrics.stringWidth(line, font, size)) for line in lines)


def _cut_to_width(line, font, size, width):
    """[line], or a line holding a word wider than ``width`` (a web address in a narrow column) cut
    where it reaches the edge, as reportlab's Paragraph cuts long words: it would otherwise run past
    the margin (in Arabic, past the left one)."""
    if pdfmetrics.stringWidth(line, font, size) <= width:
        return [line]
    pieces, current = [], ""
    for char in line:
        if current and pdfmetrics.stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = char.lstrip()
        else:
            current += char
    return pieces + [current] if current else pieces


TAG = re.compile(r"<[^>]+>")


def plain_text(markup):
    """The words of paragraph markup without its tags (<b>, <a>, <font>…)."""
    return html.unescape(TAG.sub("", re.sub(r"<br\s*/?>", "\n", markup)))


def paragraph(markup, style, bullet=None):
    """A Para in left-to-right languages; in right-to-left ones the same words, shaped and put in
    drawing order line by line, right-aligned (inline bold and links are not kept there)."""
    style = paragraph_styles()[style] if isinstance(style, str) else style
    if language.is_rtl():
        return TextLines([((f"{bullet} " if bullet else "") + plain_text(markup), style)])
    return Para(markup, style, bulletText=bullet) if bullet else Para(markup, style)


def para(markup, style="body"):
    """A paragraph in one of ``paragraph_styles()``; escape plain text inside markup with ``esc``."""
    return paragraph(markup, style)


def esc(text):
    """Text made safe to put inside paragraph markup ("&", "<" and quotes print as themselves)."""
    return escape(str(text or ""), {'"': "&quot;"})


def bullets(items, style="bullet", numbered=False):
    """A bulleted (or numbered) list: one paragraph per markup item."""
    marks = [f"{n}." for n in range(1, len(items) + 1)] if numbered else ["•"] * len(items)
    return [paragraph(markup, style, bullet=mark) for markup, mark in zip(items, marks)]


def link(url):
    """A clickable address, underlined so that it shows as a link on paper too."""
    return f'<a href="{esc(url)}" color="black"><u>{esc(ltr_value(url))}</u></a>'


def text_width(text, font, size):
    """The width of a line of text in points (with the fonts registered first)."""
    register_fonts()
    return pdfmetrics.stringWidth(text, font, size)


def fit_text(text, font, size, width):
    """The text, shortened with an ellipsis if it would not fit in ``width`` points."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class NumberedCanvas(Canvas):
    """A canvas that holds pages back until the end, so each footer can say "Page N of M"."""

    def __init__(self, *args, footer_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self._footer_text = footer_text
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number, total):
        y = BOTTOM_MARGIN - 0.9 * cm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 10, PAGE_SIZE[0] - MARGIN, y + 10)
        self.setFillColor(MUTED)
        self.setFont(FONT, FOOTER_SIZE)
        page = visual(_("Page %(number)s of %(total)s", number=language.whole(number), total=language.whole(total)))
        start, end = (page, visual(self._footer_text)) if language.is_rtl() else (self._footer_text, page)
        self.drawString(MARGIN, y, start)
        self.drawRightString(PAGE_SIZE[0] - MARGIN, y, end)
        self.restoreState()


def document(buffer, title, footer_text):
    """An A4 document template with one frame per page; build it with ``build_document``."""
    register_fonts()
    use_binary_streams()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN, title=title, author="SmartStep", creator="SmartStep",
        pageCompression=1, invariant=1, initialFontName=FONT,  # else each page names Helvetica
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.footer_text = footer_text
    return doc


# ReportLab's TrueType subsetting keeps shared state per font: two PDFs built at the same time in
# one process can fail or come out wrong (seen under the workshop load). One build at a time.
_BUILD_LOCK = threading.Lock()


def build_document(doc, story):
    """Lays the story out on pages, each with the footer and "Page N of M"."""
    with _BUILD_LOCK:
        doc.build(story, canvasmaker=partial(NumberedCanvas, footer_text=doc.footer_text))
