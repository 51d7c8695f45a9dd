"""The firms of a cohort in its PDF report: each firm's name over its country, sector and size, its
latest overall and pillar scores and its round, in the cohort page's order.

Part of the cohort report (cohort_pdf.py builds the whole document); pure reportlab.
"""
from reportlab.platypus import CondPageBreak, Spacer

from assessment.core.levels import LEVEL_NAMES, TOP_LEVEL
from assessment.core.pdf.charts import format_score
from assessment.core.pdf.language import _
from assessment.core.pdf.markup import bold, cell_para, centered, esc, note, para, ruled_table_style
from assessment.core.pdf.rows_table import CENTRE, LEFT, RowsLook, RowsTable
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import CONTENT_WIDTH, GREYS, TextLines, table

SCORE_COLUMN = 58
ROUND_COLUMN = 36
PROFILE_QUESTIONS = ("country", "sector", "size_band")  # the small grey line under a firm's name


def small(markup):
    return f'<font size="7.5">{markup}</font>'


def firms_section(report):
    pillars = report.questionnaire.pillars
    columns = [("overall", _("Overall"))] + [(f"pillar:{p.id}", report.text(p.title)) for p in pillars]
    widths = ((CONTENT_WIDTH - SCORE_COLUMN * len(columns) - ROUND_COLUMN,) + (SCORE_COLUMN,) * len(columns)
              + (ROUND_COLUMN,))
    profile_lines = {}  # (country, sector, size) -> its line, written once: 500 firms share few
    rows = [_firm_row(report, row, columns, profile_lines) for row in report.picture.table]
    intro = esc(_("Each firm's own scores from its latest round (0 %(lowest)s to 4 %(highest)s), for the "
                  "programme's own follow-up; %(order)s.", lowest=report.text(LEVEL_NAMES[0]),
                  highest=report.text(LEVEL_NAMES[TOP_LEVEL]), order=_sort_note(report, dict(columns))))
    if not report.picture.table:
        return [para(esc(_("Firms")), "h1"), para(esc(_("No firms in this cohort yet.")), "body"), Spacer(1, 14)]
    header = table([_firms_header(report)], colWidths=widths, style=ruled_table_style(
        ("LEFTPADDING", (1, 0), (-1, -1), 2), ("RIGHTPADDING", (1, 0), (-1, -1), 2)))
    look = RowsLook(widths, paddings=[(3, 3)] + [(2, 2)] * (len(widths) - 1),
                    aligns=[LEFT] + [CENTRE] * (len(widths) - 1), shaded=[1], shade=GREYS[0])
    firms_table = RowsTable(header, rows, look)
    return [CondPageBreak(140), para(esc(_("Firms")), "h1"), para(intro, "body"), firms_table, Spacer(1, 14)]


def _firms_header(report):
    """Column heads small enough for a pillar's name on one line; enablers say they are readiness."""
    heads = [centered(small(bold(_("Overall"))))]
    for pillar in report.questionnaire.pillars:
        readiness = "" if pillar.in_overall else "<br/>" + note(esc(_("(readiness)")))
        heads.append(centered(small(bold(report.text(pillar.title))) + readiness))
    return [cell_para(bold(_("Firm")))] + heads + [centered(small(bold(_("Round"))))]


def _sort_note(report, labels):
    picture = report.picture
    if picture.sort == "name":
        return _("by name, Z to A") if picture.descending else _("by name, A to Z")
    column = labels.get(picture.sort, picture.sort)
    if picture.descending:
        return _("sorted by %(column)s score, highest first", column=column)
    return _("sorted by %(column)s score, lowest first", column=column)


def _firm_row(report, row, columns, profile_lines):
    """The firm's name in bold over its country, sector and size in small grey, then its scores. The
    name cell is plain text lines, not a Paragraph: parsing, wrapping and drawing 500 paragraphs
    was most of a 500-firm report's build time. ``profile_lines``: the grey lines already written for
    this report (scores are remembered by language.number)."""
    answers = tuple(row[question] for question in PROFILE_QUESTIONS)
    profile = profile_lines.get(answers)
    if profile is None:
        parts = [_option_text(report, question, value) for question, value in zip(PROFILE_QUESTIONS, answers)]
        profile = profile_lines[answers] = " · ".join(p for p in parts if p)
    name = TextLines([(ltr_value(row["name"]), "cell_title"), (profile, "cell_note")])
    scores = [format_score(row[key]) if row[key] is not None else "–" for key, _label in columns]
    return [name, *scores, f"T{row['round_no']}" if row["round_no"] is not None else "–"]


def _option_text(report, question_id, value):
    if not value:
        return ""
    option = report.questionnaire.profile_option(question_id, value)
    return report.text(option.text) if option else str(value)
