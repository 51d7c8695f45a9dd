"""A cohort's report as a PDF, with the content of the cohort page: where the cohort stands per
pillar and area (median, middle half and their spread on the 0-4 scale), the movement from T0 to T1,
the most common gaps, suggested group activities, the firms and their own latest scores, and how to
read it all.

Group figures come only from ``picture.summaries`` and ``picture.movement``, which the store fills
only for groups of at least 5 firms; when the cohort as a whole is below that floor the report says
so in a sentence and shows no group statistic anywhere.

Pure reportlab: plain data in (the CohortPicture's fields, read by name), PDF bytes out; no web
framework. Fonts, paragraph styles and the page template ("Page N of M") are the roadmap PDF's.
"""
import datetime
import io
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from assessment.core.benchmark import MIN_GROUP
from assessment.core.levels import LEVEL_NAMES, TOP_LEVEL
from assessment.core.pdf import language
from assessment.core.pdf.charts import format_score, label, mirrored
from assessment.core.pdf.cohort_firms import firms_section
from assessment.core.pdf.language import _, ngettext
from assessment.core.pdf.markup import (bold, cell_para, centered, count_boxes, esc, group_pointer_entry, method_block,
                                        para, ruled_table_style, share_bar)
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import (CONTENT_WIDTH, FONT, FONT_BOLD, GREYS, INK, MUTED, RULE, build_document,
                                        document, table)
from assessment.core.translations import NO_TRANSLATIONS

FOOTER_NAME_CHARS = 60
SPREAD_WIDTH = 150
STANDS_COLUMNS = (CONTENT_WIDTH - SPREAD_WIDTH - 150, 36, 46, 68, SPREAD_WIDTH)
MOVEMENT_COLUMNS = (CONTENT_WIDTH - 280, 70, 40, 90, 80)
GAP_COLUMNS = (22, 180, 100, 80, CONTENT_WIDTH - 382)


@dataclass
class CohortReport:
    """The picture with the report's language, and the few words the sections share."""
    picture: object            # CohortPicture (cohort, questionnaire, summaries, movement, …)
    language: str = "en"
    generated_on: str = ""
    translations: object = NO_TRANSLATIONS  # content catalogs (level names)

    @property
    def questionnaire(self):
        return self.picture.questionnaire

    @property
    def common_gaps(self):
        return self.picture.common_gaps if self.shows_group else []

    @property
    def shows_group(self):
        """Group figures only when the cohort as a whole reaches the anonymity floor."""
        return self.picture.summaries.get("overall") is not None

    @property
    def scored(self):
        """Firms of the cohort with at least one result."""
        return sum(1 for row in self.picture.table if row["round_no"] is not None)

    @property
    def followed_up(self):
        return sum(1 for row in self.picture.table if (row["round_no"] or 0) >= 1)

    def text(self, obj):
        return self.translations.text(obj, self.language)

    def pillar_label(self, pillar):
        title = self.text(pillar.title)
        return title if pillar.in_overall else _("%(pillar)s (readiness)", pillar=title)

    def area_rows(self):
        """(score key, label, strong) for overall, each pillar and each of its areas, in order."""
        rows = [("overall", _("Overall"), True)]
        for pillar in self.questionnaire.pillars:
            rows.append((f"pillar:{pillar.id}", self.pillar_label(pillar), True))
            rows += [(f"dimension:{d.id}", self.text(d.title), False) for d in pillar.dimensions]
        return rows


def build_cohort_pdf(picture, lang="en", generated_on=None, translations=NO_TRANSLATIONS) -> bytes:
    """The cohort report PDF for a CohortPicture, as bytes."""
    report = CohortReport(picture, lang, generated_on or datetime.date.today().isoformat(), translations)
    buffer = io.BytesIO()
    with language.in_language(lang):
        doc = document(buffer, title=_("Cohort report: %(name)s", name=picture.cohort["name"]),
                       footer_text=_footer_text(report))
        build_document(doc, _story(report))
    return buffer.getvalue()


def _footer_text(report):
    name = report.picture.cohort["name"]
    if len(name) > FOOTER_NAME_CHARS:
        name = name[:FOOTER_NAME_CHARS - 1].rstrip() + "…"
    title = _("SmartStep cohort report")  # outside the f-string: extraction cannot see into one
    return f"{title} · {name} · {language.date(report.generated_on)}"


def _story(report):
    if report.shows_group:
        group = [*stands_section(report), *movement_section(report), *gaps_section(report),
                 *activities_section(report)]
    else:
        group = below_floor(report)
    return [*cover(report), *group, *firms_section(report), *method_section(report)]


def _area_cell(label, strong):
    return cell_para(f"<b>{esc(label)}</b>" if strong else f"&nbsp;&nbsp;&nbsp;{esc(label)}", "cell")


def _strong_rows(rows):
    """Style commands shading the overall and pillar rows (rows are (…, strong) with a header row)."""
    return [("BACKGROUND", (0, n), (-1, n), GREYS[0]) for n, row in enumerate(rows, start=1) if row[-1]]


# -- cover -----------------------------------------------------------------------------------------

def cover(report):
    cohort, q = report.picture.cohort, report.questionnaire
    return [
        para(esc(_("Cohort report")), "title"),
        para(esc(ltr_value(cohort["name"])), "firm"),
        para(esc(_dates(cohort)), "lead"),
        para(esc(_("Report of %(date)s · %(questionnaire)s, version %(version)s",
                   date=language.date(report.generated_on), questionnaire=report.text(q.title), version=q.version)),
             "small"),
        Spacer(1, 10),
        counts_table(report),
        Spacer(1, 14),
    ]


def _dates(cohort):
    if cohort.get("ends_on"):
        return _("Programme from %(start)s to %(end)s", start=language.date(cohort["starts_on"]),
                 end=language.date(cohort["ends_on"]))
    return _("Programme from %(start)s", start=language.date(cohort["starts_on"]))


def counts_table(report):
    return count_boxes(((language.whole(len(report.picture.table)), _("firms in the cohort")),
                        (language.whole(report.scored), _("with results")),
                        (language.whole(report.followed_up), _("with a follow-up round (T1 or later)"))))


# -- below the anonymity floor ---------------------------------------------------------------------

def below_floor(report):
    scored = report.scored
    so_far = (_("So far no firm has results.") if scored == 0 else
              ngettext("So far %(num)s firm has results.", "So far %(num)s firms have results.", scored))
    more = _("The movement from T0 to T1, the most common gaps and the suggested group activities appear with "
             "the group figures.")
    listed = " " + _("Each firm's own scores are listed below.") if report.picture.table else ""
    return [
        para(esc(_("Where the cohort stands")), "h1"),
        para("<b>" + esc(_("Group figures are shown only once at least %(floor)s firms of the cohort have results, "
                           "so that no firm can be recognised.", floor=MIN_GROUP)) + "</b>", "lead"),
        para(esc(f"{so_far} {more}{listed}"), "body"),
        Spacer(1, 8),
    ]


# -- where the cohort stands -----------------------------------------------------------------------

def stands_section(report):
    rows = report.area_rows()
    table_rows = [_stands_header()] + [_stands_row(report, key, label, strong) for key, label, strong in rows]
    return [
        para(esc(_("Where the cohort stands")), "h1"),
        para(esc(_("Each firm's latest round. For every pillar and area: how many firms have a score, their median, "
                   "the middle half of the firms (lower to upper quartile) and, drawn on the 0-4 scale, the middle "
                   "half as a box with the median as a black line.")), "body"),
        table(table_rows, colWidths=STANDS_COLUMNS, repeatRows=1,
              style=ruled_table_style(("ALIGN", (1, 0), (3, -1), "CENTER"), *_strong_rows(rows),
                                 *_floor_spans(report, rows))),
        Spacer(1, 14),
    ]


def _stands_header():
    heads = [cell_para(bold(_("Area")), "cell")] + [centered(bold(h)) for h in (_("Firms"), _("Median"), _("Middle half"))]
    return heads + [scale_header()]


def _stands_row(report, key, area, strong):
    summary = report.picture.summaries.get(key)
    if summary is None:
        return [_area_cell(area, strong), cell_para(esc(_("fewer than %(floor)s firms", floor=MIN_GROUP)),
                                                     "cell_small"), "", "", ""]
    median = f"<b>{format_score(summary.median)}</b>" if strong else format_score(summary.median)
    return [_area_cell(area, strong), language.whole(summary.size), centered(median),
            f"{format_score(summary.q1)} – {format_score(summary.q3)}", spread(summary)]


def _floor_spans(report, rows):
    """A row below the floor says so across its four figure columns."""
    return [("SPAN", (1, n), (-1, n)) for n, (key, _label, _strong) in enumerate(rows, start=1)
            if key not in report.picture.summaries]


def _scale_x(score, width=SPREAD_WIDTH - 6):
    return 3 + width * score / TOP_LEVEL


def scale_header(height=20):
    """The levels 0-4 written above the spread column, at the places of the spread's ticks."""
    drawing = Drawing(SPREAD_WIDTH, height)
    drawing.initialFontName = FONT
    drawing.add(label(SPREAD_WIDTH / 2, height - 8, _("Spread on 0-4"), fontName=FONT_BOLD, fontSize=8.5,
                      fillColor=INK, textAnchor="middle"))
    for level in range(TOP_LEVEL + 1):
        anchor = "start" if level == 0 else "end" if level == TOP_LEVEL else "middle"
        x = _scale_x(level) + (-3 if level == 0 else 3 if level == TOP_LEVEL else 0)
        drawing.add(label(x, 0, str(level), fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor=anchor))
    return mirrored(drawing)


def spread(summary, height=10):
    """The group on the 0-4 scale: a grey box from the lower to the upper quartile, a black line at
    the median, dotted ticks at each level."""
    drawing = Drawing(SPREAD_WIDTH, height)
    drawing.initialFontName = FONT
    drawing.add(Line(_scale_x(0), height / 2, _scale_x(TOP_LEVEL), height / 2, strokeColor=RULE, strokeWidth=0.5))
    for level in range(TOP_LEVEL + 1):
        drawing.add(Line(_scale_x(level), 0, _scale_x(level), height, strokeColor=RULE, strokeWidth=0.4,
                         strokeDashArray=[1, 1.5]))
    left, right = _scale_x(summary.q1), _scale_x(summary.q3)
    drawing.add(Rect(left, 1, max(right - left, 1), height - 2, fillColor=GREYS[2], strokeColor=INK,
                     strokeWidth=0.5))
    median = _scale_x(summary.median)
    drawing.add(Line(median, -1, median, height + 1, strokeColor=INK, strokeWidth=2))
    return mirrored(drawing)


# -- movement from T0 to T1 ------------------------------------------------------------------------

def movement_section(report):
    movement = report.picture.movement
    heading = [CondPageBreak(120), para(esc(_("Movement from T0 to T1")), "h1")]
    if not movement:
        return heading + [para(esc(_("The movement appears once at least %(floor)s firms have both an intake (T0) "
                                     "and a follow-up (T1) result.", floor=MIN_GROUP)), "body"), Spacer(1, 8)]
    rows = [(key, label, strong) for key, label, strong in report.area_rows() if key in movement]
    table_rows = [_movement_header()] + [_movement_row(movement[key], label, strong) for key, label, strong in rows]
    versions = report.picture.movement_versions
    version_note = [para(esc(_("T0 and T1 were answered on different versions of the questionnaire (%(versions)s). "
                               "Some questions changed between versions, so part of a change can come from the "
                               "questions, not from the firms.", versions=versions)), "body")] if versions else []
    return heading + version_note + [
        para(esc(_("Firms with both an intake (T0) and a follow-up (T1) result: how many of them moved up, and the "
                   "median of their changes (T1 score minus T0 score; + is up).")), "body"),
        table(table_rows, colWidths=MOVEMENT_COLUMNS, repeatRows=1,
              style=ruled_table_style(("ALIGN", (1, 0), (-1, -1), "CENTER"), ("ALIGN", (2, 1), (2, -1), "RIGHT"),
                                 ("SPAN", (2, 0), (3, 0)), ("RIGHTPADDING", (2, 1), (2, -1), 4),
                                 *_strong_rows(rows))),
        Spacer(1, 14),
    ]


def _movement_header():
    return [cell_para(bold(_("Area")), "cell"), centered(bold(_("Firms with both rounds"))),
            centered(bold(_("Moved up"))), "", centered(bold(_("Median change")))]


def _movement_row(entry, area, strong):
    firms, improved, change = entry
    change_text = ("+" if change > 0 else "−" if change < 0 else "") + language.number(abs(change))
    return [_area_cell(area, strong), language.whole(firms),
            _("%(part)s of %(whole)s", part=language.whole(improved), whole=language.whole(firms)),
            share_bar(improved, firms),
            centered(f"<b>{change_text}</b>" if strong else change_text)]


# -- the most common gaps --------------------------------------------------------------------------

def gaps_section(report):
    heading = [CondPageBreak(140), para(esc(_("Most common gaps")), "h1"),
               para(esc(_("Each firm's biggest gaps are its lowest-scoring areas that are not yet at level 4 (up to "
                          "three per firm, latest round; areas answered \"not relevant\" never count). These areas "
                          "came up for the most firms.")), "body")]
    if not report.common_gaps:
        return heading + [para(esc(_("No common gaps: every area the firms answered is at the top level.")), "body")]
    whole = max([report.picture.summaries["overall"].size] + [n for _d, n in report.common_gaps])
    rows = [["#", _("Area"), _("Pillar"), _("Firms with this gap"), ""]]
    rows += [_gap_row(report, number, dimension, firms, whole)
             for number, (dimension, firms) in enumerate(report.common_gaps, start=1)]
    return heading + [table(rows, colWidths=GAP_COLUMNS, repeatRows=1, style=ruled_table_style(
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5, 11), ("FONT", (0, 1), (0, -1), FONT_BOLD, 9, 11),
        ("ALIGN", (0, 0), (0, -1), "CENTER"), ("SPAN", (3, 0), (4, 0)), ("RIGHTPADDING", (3, 1), (3, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5))), Spacer(1, 14)]


def _gap_row(report, number, dimension, firms, whole):
    pillar = report.questionnaire.pillar(dimension.pillar_id)
    return [language.whole(number), cell_para(f"<b>{esc(report.text(dimension.title))}</b>", "cell"),
            cell_para(esc(report.text(pillar.title)), "cell"), share_bar(firms, whole),
            ngettext("%(firms)s of %(num)s firm", "%(firms)s of %(num)s firms", whole, firms=language.whole(firms))]


# -- suggested group activities --------------------------------------------------------------------

def activities_section(report):
    activities = report.picture.activities
    heading = [para(esc(_("Suggested group activities")), "h1"),
               para(esc(_("Awareness, training and financing pointers that match the cohort's most common gaps: "
                          "visits, courses and funding the programme can organise for the whole group.")), "body")]
    blocks = [(_("Where to see it working and learn"), activities.get("awareness") or []),
              (_("How to pay for it"), activities.get("financing") or [])]
    flow = []
    for title, pointers in blocks:
        entries = [_pointer_entry(report, p) for p in pointers] or [
            para(esc(_("Ask your local business-support agency or chamber of commerce where to start.")), "body")]
        first = (heading if not flow else []) + [para(esc(title), "h2"), entries[0]]
        flow += [KeepTogether(first), *(KeepTogether([entry]) for entry in entries[1:])]
    return flow + [Spacer(1, 10)]


def _pointer_entry(report, pointer):
    return group_pointer_entry(report, pointer, _("For the cohort's gaps:"), "pointer")


# -- how to read it --------------------------------------------------------------------------------

def method_section(report):
    return method_block(esc(_("How to read this report")), [esc(p) for p in method_points(report)],
                        report.questionnaire)


def method_points(report):
    overall_of = language.join_names(report.text(p.title) for p in report.questionnaire.pillars if p.in_overall)
    points = [
        _("Anonymity floor: group figures are calculated only for groups of at least %(floor)s firms; a pillar or "
          "area with fewer firms shows none. The firms table is the programme's own record of each firm and is "
          "not anonymous: keep it within the programme.", floor=MIN_GROUP),
        _("Each answer gives a level from 0 (%(lowest)s) to 4 (%(highest)s); answers marked \"not relevant\" are "
          "left out. An area's score is the average of its answered questions, a pillar's the average of its "
          "areas, and the overall score the average of %(pillars)s; enablers show readiness and are not part of "
          "it. A score's level is its whole part: %(example)s is level 2.",
          lowest=report.text(LEVEL_NAMES[0]), highest=report.text(LEVEL_NAMES[TOP_LEVEL]), pillars=overall_of,
          example=language.number(2.75)),
        _("When several people in a firm answered in the same round (owner, production manager…), the "
          "firm's result combines them: each area's score is the average of their scores for it."),
    ]
    if report.shows_group:
        points += [
            _("The median is the middle firm's score: half the firms scored at or below it, half at or above. "
              "The middle half runs from the lower to the upper quartile: a quarter of the firms scored below "
              "it and a quarter above it."),
            _("The movement compares the firms that have both an intake (T0) and a follow-up (T1) result; "
              "the median change is the middle of their changes."),
        ]
    return points + [_("These are self-assessments: the answers were not checked by anyone else.")]
