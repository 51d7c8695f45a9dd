"""Charts drawn with reportlab.graphics: the analog-to-smart scale and the score bars.

Grey-scale only, and every value is also written as text, so nothing depends on colour.
"""
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String

from assessment.core.levels import LEVEL_NAMES, TOP_LEVEL
from assessment.core.pdf import language
from assessment.core.pdf.language import _
from assessment.core.pdf.rtl_text import visual
from assessment.core.pdf.styles import (CONTENT_WIDTH, FONT, FONT_BOLD, GREYS, INK, MUTED, RULE, fit_text,
                                        register_fonts, text_width)
from assessment.core.validation import text_of

LEVELS = range(TOP_LEVEL + 1)
WHITE_TEXT_FROM = 3  # segments this dark or darker get white text


def new_drawing(width, height):
    """A Drawing whose default font is DejaVu too (else every chart names Helvetica in the PDF)."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


def format_score(score):
    """2.75 -> "2.75" ("2,75" in French), 2.0 -> "2", 0.5 -> "0.5" (scores are stored rounded to two
    decimals), in the notation of the PDF's language."""
    return language.number(score, digits=2).rstrip("0").rstrip(".,٫") if score % 1 else language.whole(score)


def english(text_obj):
    return text_of(text_obj, "en")


def mirrored(drawing):
    """The drawing read from the right in a right-to-left language: every shape's position mirrored
    across the drawing's width, text kept upright (only its anchor and place change)."""
    if not language.is_rtl():
        return drawing
    width = drawing.width
    for shape in drawing.contents:
        if isinstance(shape, Rect):
            shape.x = width - shape.x - shape.width
        elif isinstance(shape, Line):
            shape.x1, shape.x2 = width - shape.x1, width - shape.x2
        elif isinstance(shape, Polygon):
            shape.points = [width - v if i % 2 == 0 else v for i, v in enumerate(shape.points)]
        elif isinstance(shape, String):
            shape.x = width - shape.x
            shape.textAnchor = {"start": "end", "end": "start"}.get(shape.textAnchor, shape.textAnchor)
    return drawing


def label(x, y, text, **style):
    """A String ready to draw in the PDF's language (shaped, in drawing order)."""
    return String(x, y, visual(text), **style)


def _scale_x(score, left, width):
    """Where a score sits on a scale of five level segments: level k spans [k, k+1); the top
    level, reached only at exactly 4, sits in the middle of the last segment."""
    position = TOP_LEVEL + 0.5 if score >= TOP_LEVEL else score
    return left + width * position / len(LEVELS)


def maturity_scale(score, text=english, width=CONTENT_WIDTH):
    """The analog-to-smart scale: five labelled segments and a marker at the firm's score."""
    drawing = new_drawing(width, 86)
    pad, bar_y, bar_h = 6, 24, 26
    seg_w = (width - 2 * pad) / len(LEVELS)
    for level in LEVELS:
        _scale_segment(drawing, pad + level * seg_w, bar_y, seg_w, bar_h, level, text)
    if score is not None:
        level = min(int(score), TOP_LEVEL)
        drawing.add(Rect(pad + level * seg_w, bar_y, seg_w, bar_h, fillColor=None, strokeColor=INK,
                         strokeWidth=2.4))
        _scale_marker(drawing, _scale_x(score, pad, width - 2 * pad), bar_y + bar_h, width, score)
    return mirrored(drawing)


def _scale_segment(drawing, x, y, w, h, level, text_in):
    fill = GREYS[level]
    text = "white" if level >= WHITE_TEXT_FROM else INK
    drawing.add(Rect(x, y, w, h, fillColor=fill, strokeColor=INK, strokeWidth=0.6))
    drawing.add(String(x + w / 2, y + h / 2 - 5, str(level), fontName=FONT_BOLD, fontSize=13,
                       fillColor=text, textAnchor="middle"))
    drawing.add(label(x + w / 2, y - 13, text_in(LEVEL_NAMES[level]), fontName=FONT,
                      fontSize=8.5, fillColor=INK, textAnchor="middle"))


def _scale_marker(drawing, x, top, width, score):
    drawing.add(Polygon([x - 6, top + 13, x + 6, top + 13, x, top + 2], fillColor=INK, strokeColor=INK))
    words = _("Your firm: %(score)s", score=format_score(score))
    label_w = text_width(words, FONT_BOLD, 9)
    anchor_x = min(max(x, label_w / 2), width - label_w / 2)
    drawing.add(label(anchor_x, top + 17, words, fontName=FONT_BOLD, fontSize=9,
                      fillColor=INK, textAnchor="middle"))


@dataclass(frozen=True)
class BarRow:
    """One row of a score chart: a label, a score entry (score/level) and how to draw it."""
    label: str
    entry: dict
    strong: bool = False  # overall and pillar rows: bold label, darker and thicker bar
    space_before: float = 0  # extra room above the row, to set groups apart


@dataclass(frozen=True)
class ChartLayout:
    width: float = CONTENT_WIDTH
    label_w: float = 165
    value_w: float = 92
    row_h: float = 13.5
    header_h: float = 22

    @property
    def bar_left(self):
        return self.label_w

    @property
    def bar_width(self):
        return self.width - self.label_w - self.value_w - 12


def score_chart(rows, text=english, layout=ChartLayout()):
    """A horizontal bar chart of scores 0-4; a row with no score says "not relevant"."""
    height = layout.header_h + sum(layout.row_h + row.space_before for row in rows) + 4
    drawing = new_drawing(layout.width, height)
    _chart_grid(drawing, layout, height, text)
    y = height - layout.header_h
    for row in rows:
        y -= row.space_before + layout.row_h
        _chart_row(drawing, row, y, layout, text)
    return mirrored(drawing)


def _chart_grid(drawing, layout, height, text_in):
    top = height - layout.header_h + 4
    for level in LEVELS:
        x = layout.bar_left + layout.bar_width * level / TOP_LEVEL
        drawing.add(Line(x, 2, x, top, strokeColor=RULE, strokeWidth=0.4, strokeDashArray=[2, 2]))
        drawing.add(String(x, top + 9, str(level), fontName=FONT_BOLD, fontSize=7.5,
                           fillColor=INK, textAnchor="middle"))
        drawing.add(label(x, top + 1, text_in(LEVEL_NAMES[level]), fontName=FONT,
                          fontSize=6.5, fillColor=MUTED, textAnchor="middle"))


def _chart_row(drawing, row, y, layout, text_in):
    font = FONT_BOLD if row.strong else FONT
    drawing.add(label(0 if row.strong else 8, y + 4, fit_text(row.label, font, 8.5, layout.label_w - 12),
                      fontName=font, fontSize=8.5, fillColor=INK))
    score = row.entry.get("score")
    value_x = layout.width - layout.value_w
    if score is None:
        drawing.add(label(value_x, y + 4, _("not relevant"), fontName=FONT, fontSize=8, fillColor=MUTED))
        return
    bar_h = 10 if row.strong else 7
    bar_w = max(layout.bar_width * score / TOP_LEVEL, 0.8)
    drawing.add(Rect(layout.bar_left, y + 7 - bar_h / 2, bar_w, bar_h, strokeColor=INK, strokeWidth=0.4,
                     fillColor=GREYS[4] if row.strong else GREYS[2]))
    value = f"{format_score(score)} · {text_in(LEVEL_NAMES[row.entry['level']])}"
    drawing.add(label(value_x, y + 4, value, fontName=font, fontSize=8, fillColor=INK))

