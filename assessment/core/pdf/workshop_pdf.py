"""A workshop's summary as a PDF: who took part, where the group stands on each pillar, the most
common gaps, the pointers that matter most for this group, and how to read it.

Group figures (distributions, medians, quartiles, gaps) appear only when ``summary.pillars`` is
filled, which the caller does only at or above the anonymity floor; below it the PDF says so and
shows no statistic at all.

Pure reportlab (platypus and reportlab.graphics): plain data in, PDF bytes out; no web framework.
Fonts, paragraph styles and the page template ("Page N of M") are those of styles.py, shared with
the roadmap PDF.
"""
import io
from dataclasses import dataclass

from reportlab.graphics.shapes import Line, Polygon, Rect
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from assessment.core.levels import LEVEL_NAMES, TOP_LEVEL
from assessment.core.pdf import language
from assessment.core.pdf.charts import format_score, label, mirrored, new_drawing
from assessment.core.pdf.language import _, ngettext
from assessment.core.pdf.markup import (centered, count_boxes, esc, group_pointer_entry, method_block, para,
                                        ruled_table_style, share_bar)
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import (CONTENT_WIDTH, FONT, FONT_BOLD, GREYS, INK, MUTED, RULE, build_document,
                                        document, table, table_style)
from assessment.core.translations import NO_TRANSLATIONS

LEVELS = range(TOP_LEVEL + 1)
FOOTER_TITLE_CHARS = 60
CHART_GAP = 14
CHART_WIDTH = (CONTENT_WIDTH - CHART_GAP) / 2
OVERVIEW_COLUMNS = (90, 32, 80, 56) + ((CONTENT_WIDTH - 258) / 5,) * 5
GAP_COLUMNS = (22, 190, 100, 80, CONTENT_WIDTH - 392)


@dataclass
class WorkshopSummary:
    questionnaire: object   # Questionnaire
    title: str
    held_on: str            # "2026-11-28"
    counts: dict            # {"joined": n, "in_progress": n, "completed": n}
    pillars: list           # [(Pillar, GroupSummary)]; EMPTY when fewer than `floor` completed
    common_gaps: list       # [(Dimension, number_of_firms)]; empty below the floor
    awareness: list         # [Pointer]
    financing: list         # [Pointer]
    floor: int = 5
    language: str = "en"
    translations: object = NO_TRANSLATIONS  # content catalogs (level names)

    def text(self, obj):
        """A text object ({"en": ...}) in the summary's language."""
        return self.translations.text(obj, self.language)

    def level_name(self, level):
        return self.text(LEVEL_NAMES[level])

    def count(self, key):
        return int(self.counts.get(key) or 0)

    @property
    def shows_group(self):
        return bool(self.pillars)


def build_workshop_pdf(summary: WorkshopSummary) -> bytes:
    """The workshop summary PDF, as bytes."""
    buffer = io.BytesIO()
    with language.in_language(summary.language):
        doc = document(buffer, title=_("Workshop summary: %(title)s", title=summary.title),
                       footer_text=_footer_text(summary))
        build_document(doc, _story(summary))
    return buffer.getvalue()


def _footer_text(summary):
    title = summary.title
    if len(title) > FOOTER_TITLE_CHARS:
        title = title[:FOOTER_TITLE_CHARS - 1].rstrip() + "…"
    name = _("SmartStep workshop summary")  # outside the f-string: extraction cannot see into one
    return f"{name} · {title} · {language.date(summary.held_on)}"


def _story(summary):
    group = [*group_section(summary), *gaps_section(summary)] if summary.shows_group else below_floor(summary)
    return [*cover(summary), *group, *pointers_section(summary), *method_section(summary)]


# -- title, date and counts ------------------------------------------------------------------------

def cover(summary):
    q = summary.questionnaire
    return [
        para(esc(_("Workshop summary")), "title"),
        para(esc(ltr_value(summary.title)), "firm"),
        para(esc(_("Held on %(date)s · %(questionnaire)s, version %(version)s", date=language.date(summary.held_on),
                   questionnaire=summary.text(q.title), version=q.version)), "small"),
        Spacer(1, 10),
        counts_table(summary),
        Spacer(1, 14),
    ]


def counts_table(summary):
    labels = (("joined", _("joined")), ("in_progress", _("in progress")), ("completed", _("completed")))
    return count_boxes([(language.whole(summary.count(key)), words) for key, words in labels])


# -- below the anonymity floor ---------------------------------------------------------------------

def below_floor(summary):
    completed = summary.count("completed")
    so_far = (_("So far nobody has completed it.") if completed == 0 else
              ngettext("So far %(num)s participant has completed it.",
                       "So far %(num)s participants have completed it.", completed))
    return [
        para(esc(_("Group results")), "h1"),
        para("<b>" + esc(_("Group figures are shown only once at least %(floor)s participants have completed "
                           "the assessment.", floor=summary.floor)) + "</b>", "lead"),
        para(esc(so_far + " " + _("This keeps every firm's answers anonymous. Download this summary again when "
                                  "more participants have finished.")), "body"),
        Spacer(1, 8),
    ]


# -- where the group stands ------------------------------------------------------------------------

def group_section(summary):
    return [
        para(esc(_("Where the group stands")), "h1"),
        para(esc(_("How the %(count)s participants who completed the assessment are spread over the five levels, "
                   "from 0 (%(lowest)s) to 4 (%(highest)s). In each chart the number above a bar is how many "
                   "firms are at that level; ▼ marks the group's median and the bracket ├─┤ spans the middle "
                   "half of the firms, from the lower to the upper quartile.",
                   count=summary.count("completed"), lowest=summary.level_name(0),
                   highest=summary.level_name(TOP_LEVEL))), "body"),
        chart_grid(summary),
        Spacer(1, 6),
        overview_table(summary),
        Spacer(1, 14),
    ]


def pillar_label(summary, pillar):
    title = summary.text(pillar.title)
    return title if pillar.in_overall else _("%(pillar)s (readiness)", pillar=title)


def overview_table(summary):
    rows = [_overview_header(summary)] + [_overview_row(summary, p, s) for p, s in summary.pillars]
    return table(rows, colWidths=OVERVIEW_COLUMNS, repeatRows=1, style=ruled_table_style(
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("LINEBEFORE", (4, 0), (4, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ))


def _overview_header(summary):
    heads = [f"<b>{esc(h)}</b>" for h in (_("Pillar"), _("Firms"), _("Median"), _("Middle half"))]
    heads += [f'<b>{level}</b><br/><font size="7">{esc(summary.level_name(level))}</font>' for level in LEVELS]
    return [para(h, "cell") for h in heads[:1]] + [centered(h) for h in heads[1:]]


def _overview_row(summary, pillar, group):
    median_level = min(int(group.median), TOP_LEVEL)
    return [
        para(f"<b>{esc(pillar_label(summary, pillar))}</b>", "cell"),
        language.whole(group.size),
        centered(f'<b>{format_score(group.median)}</b> <font size="7">{esc(summary.level_name(median_level))}</font>'),
        f"{format_score(group.q1)} – {format_score(group.q3)}",
        *(language.whole(n) for n in group.distribution),
    ]


def chart_grid(summary):
    """The pillars' charts two by two; each is kept whole on a page."""
    tallest = max(max(group.distribution) for _pillar, group in summary.pillars)
    charts = [level_chart(summary, pillar, group, tallest) for pillar, group in summary.pillars]
    rows = [charts[i:i + 2] + [""] * (2 - len(charts[i:i + 2])) for i in range(0, len(charts), 2)]
    return table(rows, colWidths=(CHART_WIDTH + CHART_GAP / 2,) * 2, style=table_style(
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ))


# -- the level chart -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LevelChartLayout:
    width: float = CHART_WIDTH
    height: float = 148
    base_y: float = 34        # the bars' baseline; level numbers and names go below it
    plot_top: float = 84      # the tallest bar of all the pillars' charts reaches this
    marker_y: float = 106     # the median marker and the quartile bracket sit on this line

    @property
    def bin_width(self):
        return self.width / len(LEVELS)

    def x_of(self, score):
        """Where a score sits: level k's bar spans scores [k, k+1); level 4 (exactly 4) sits in the
        middle of its bar, as on the roadmap's scale."""
        position = TOP_LEVEL + 0.5 if score >= TOP_LEVEL else score
        return self.bin_width * position


def level_chart(summary, pillar, group, tallest, layout=LevelChartLayout()):
    """How many firms are at each level 0-4 (adjacent bars over the 0-4 scale), with the median
    and the quartiles marked above the bars and written out as text. ``tallest`` firms make the
    tallest bar: one scale for all the pillars' charts, so their bars can be compared."""
    drawing = new_drawing(layout.width, layout.height)
    top = layout.height
    drawing.add(label(0, top - 11, pillar_label(summary, pillar), fontName=FONT_BOLD, fontSize=10, fillColor=INK))
    drawing.add(label(layout.width, top - 11, ngettext("%(num)s firm", "%(num)s firms", group.size),
                      fontName=FONT, fontSize=8, fillColor=MUTED, textAnchor="end"))
    drawing.add(label(0, top - 24, _("Median %(median)s · middle half %(q1)s to %(q3)s",
                                     median=format_score(group.median), q1=format_score(group.q1),
                                     q3=format_score(group.q3)),
                      fontName=FONT, fontSize=8, fillColor=INK))
    for level, firms in enumerate(group.distribution):
        _level_bar(drawing, layout, level, firms, tallest, summary)
    drawing.add(Line(0, layout.base_y, layout.width, layout.base_y, strokeColor=INK, strokeWidth=0.8))
    _median_and_quartiles(drawing, layout, group, tallest)
    return mirrored(drawing)


def _bar_height(layout, firms, tallest):
    return (layout.plot_top - layout.base_y) * firms / tallest if tallest else 0


def _level_bar(drawing, layout, level, firms, tallest, summary):
    left, w = layout.bin_width * level, layout.bin_width
    height = _bar_height(layout, firms, tallest)
    if firms:
        drawing.add(Rect(left, layout.base_y, w, height, fillColor=GREYS[level], strokeColor=INK, strokeWidth=0.6))
    drawing.add(label(left + w / 2, layout.base_y + height + 3, language.whole(firms), fontName=FONT_BOLD,
                      fontSize=9, fillColor=INK if firms else MUTED, textAnchor="middle"))
    drawing.add(label(left + w / 2, layout.base_y - 10, str(level), fontName=FONT_BOLD, fontSize=7.5,
                      fillColor=INK, textAnchor="middle"))
    for n, line in enumerate(_name_lines(summary.level_name(level), w - 4)):
        drawing.add(label(left + w / 2, layout.base_y - 19 - 8 * n, line, fontName=FONT, fontSize=6.8,
                          fillColor=INK, textAnchor="middle"))


def _name_lines(name, width, font=FONT, size=6.8):
    """A level name on one line, or on two at the first space if it is too wide for its bar."""
    if stringWidth(name, font, size) <= width or " " not in name:
        return [name]
    first, rest = name.split(" ", 1)
    return [first, rest]


def _median_and_quartiles(drawing, layout, group, tallest):
    y = layout.marker_y
    q1, q3, median = (layout.x_of(s) for s in (group.q1, group.q3, group.median))
    drawing.add(Line(q1, y, q3, y, strokeColor=INK, strokeWidth=1.2))
    for x in (q1, q3):
        drawing.add(Line(x, y - 4, x, y + 4, strokeColor=INK, strokeWidth=1.2))
    median_level = min(int(group.median), TOP_LEVEL)
    label_top = layout.base_y + _bar_height(layout, group.distribution[median_level], tallest) + 14
    if label_top < y - 3:  # a dotted drop line to just above the median's bar and its count
        drawing.add(Line(median, label_top, median, y - 2, strokeColor=INK, strokeWidth=0.7,
                         strokeDashArray=[2, 2]))
    drawing.add(Polygon([median - 5, y + 9, median + 5, y + 9, median, y], fillColor=INK, strokeColor=INK))


# -- the most common gaps --------------------------------------------------------------------------

def gaps_section(summary):
    heading = [
        CondPageBreak(160),
        para(esc(_("The most common gaps")), "h1"),
        para(esc(_("Each participant's biggest gaps are its lowest-scoring areas that are not yet at level 4 "
                   "(up to three per firm; areas answered \"not relevant\" never count). These areas came up "
                   "for the most firms.")), "body"),
    ]
    if not summary.common_gaps:
        return heading + [para(esc(_("No common gaps: every area the firms answered is at the top level.")), "body")]
    rows = [["#", _("Area"), _("Pillar"), _("Firms with this gap"), ""]]
    rows += [_gap_row(summary, n, dimension, firms) for n, (dimension, firms) in enumerate(summary.common_gaps, 1)]
    return heading + [table(rows, colWidths=GAP_COLUMNS, repeatRows=1, style=_gap_table_style()), Spacer(1, 12)]


def _gap_row(summary, number, dimension, firms):
    pillar = summary.questionnaire.pillar(dimension.pillar_id)
    completed = max(summary.count("completed"), firms)
    return [language.whole(number), para(f"<b>{esc(summary.text(dimension.title))}</b>", "cell"),
            para(esc(summary.text(pillar.title)), "cell"), share_bar(firms, completed),
            ngettext("%(firms)s of %(num)s firm", "%(firms)s of %(num)s firms", completed,
                     firms=language.whole(firms))]


def _gap_table_style():
    return ruled_table_style(
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5, 11),
        ("FONT", (0, 1), (0, -1), FONT_BOLD, 9, 11),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("SPAN", (3, 0), (4, 0)),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (3, 1), (3, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    )


# -- pointers --------------------------------------------------------------------------------------

def pointers_section(summary):
    if summary.shows_group:
        aware = _("Places and programmes where the group can see tools for its common gaps in use and learn about them.")
        money = _("Funds, banks and programmes that can help the group's firms pay for their next steps.")
    else:
        aware = _("Places and programmes where firms can see these tools in use and learn about them.")
        money = _("Funds, banks and programmes that can help firms pay for their next steps.")
    return [*_pointer_block(summary, _("Where to see it working"), aware, summary.awareness),
            *_pointer_block(summary, _("How to pay for it"), money, summary.financing)]


def _pointer_block(summary, title, intro, pointers):
    heading = [para(esc(title), "h1"), para(esc(intro), "body")]
    if not pointers:
        return [KeepTogether(heading + [para(
            esc(_("Ask your local business-support agency or chamber of commerce where to start.")), "body")])]
    first, *rest = [_pointer_entry(summary, p) for p in pointers]
    return [KeepTogether(heading + first), *(KeepTogether(entry) for entry in rest), Spacer(1, 8)]


def _pointer_entry(summary, pointer):
    """One pointer as one paragraph, laid out as the roadmap's."""
    return [group_pointer_entry(summary, pointer, _("For the group's gaps:"), "body")]


# -- how to read it --------------------------------------------------------------------------------

def method_section(summary):
    return method_block(esc(_("How to read this summary")), [esc(p) for p in method_points(summary)],
                        summary.questionnaire)


def method_points(summary):
    points = [
        _("This summary is anonymous: it shows figures for the group only, never one firm's answers, "
          "scores or name."),
        _("Group figures are calculated only from participants who completed the assessment, and only "
          "once at least %(floor)s have; participants still in progress are counted but not scored.",
          floor=summary.floor),
        _("Each area, pillar and firm is scored from 0 (%(lowest)s) to 4 (%(highest)s); a score's level is its "
          "whole part, so %(example)s is level 2. Questions answered \"not relevant\" are left out.",
          lowest=summary.level_name(0), highest=summary.level_name(TOP_LEVEL), example=language.number(2.75)),
    ]
    if summary.shows_group:
        points += [
            _("The median is the middle firm's score: half the firms scored at or below it, half at or above."),
            _("The middle half runs from the lower quartile to the upper quartile: a quarter of the firms "
              "scored below it, a quarter above it, and the other half within it."),
        ]
    return points + [_("These are self-assessments: the answers were not checked by anyone else.")]
