"""The roadmap's steps in a PDF: one table per horizon, each step with what to do, its cost and
effort, what it needs first, and why it pays (with its evidence and the goals it serves).

Part of the roadmap PDF (roadmap_pdf.py builds the whole document); pure reportlab.
"""
from reportlab.platypus import CondPageBreak, KeepTogether

from assessment.core.pdf import language
from assessment.core.pdf.language import _, ngettext
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import (CONTENT_WIDTH, FONT_BOLD, INK, PAGE_SIZE, RULE, SHADE, TextLines, esc, para,
                                        table, table_style)
from assessment.core.roadmap import HORIZON_NAMES, HORIZONS


def cost_band_text(band):
    return {"low": _("under US$1,000"), "medium": _("US$1,000-10,000"), "high": _("over US$10,000")}[band]


def band_name(band):
    return {"low": _("low"), "medium": _("medium"), "high": _("high")}[band]


def effort_text(effort):
    return {"low": _("days"), "medium": _("weeks"), "high": _("months")}[effort]


PAGE_HEIGHT = PAGE_SIZE[1]
STEP_COLUMNS = (24, 205, 100, CONTENT_WIDTH - 329)


def roadmap_section(report, step_numbers):
    steps = report.roadmap.steps
    flow = [para(esc(_("Your roadmap")), "h1")]
    if not steps:
        return flow + [para(esc(_no_steps_text(report)), "lead")]
    flow += [para(esc(ngettext("%(num)s next step in three horizons, in the order to take them: a step that "
                               "needs another one comes after it.",
                               "%(num)s next steps in three horizons, in the order to take them: a step that "
                               "needs another one comes after it.", len(steps))), "body"),
             para(esc(_("Cost: low = under US$1,000; medium = US$1,000-10,000; high = over US$10,000. "
                        "Effort: low = days; medium = weeks; high = months. "
                        "Goals in bold are the ones you chose.")), "small")]
    by_horizon = report.roadmap.by_horizon()
    for horizon in HORIZONS:
        flow += _horizon_block(report, horizon, by_horizon[horizon], step_numbers)
    return flow


def _no_steps_text(report):
    levels = [e["level"] for e in report.result["dimensions"].values() if e["level"] is not None]
    if levels and min(levels) >= report.roadmap.target_level:
        return _("There are no further steps in this roadmap: every area you assessed is at level "
                 "%(level)s, %(name)s. Keep your systems up to date, and take this assessment again when "
                 "your firm or your tools change.", level=report.roadmap.target_level,
                 name=report.level_name(report.roadmap.target_level))
    return _("There are no further steps in this roadmap for your answers. Ask a business-support agency "
             "which step would suit your firm next.")


def _horizon_block(report, horizon, steps, step_numbers):
    heading = para(esc(report.text(HORIZON_NAMES[horizon])), "h2")
    if not steps:
        return [KeepTogether([heading, para(esc(_("Nothing here yet: the steps before come first. Take this "
                                                  "assessment again when they are done.")), "body")])]
    rows = [_step_header()] + [_step_row(report, s, step_numbers) for s in steps]
    steps_table = table(rows, colWidths=STEP_COLUMNS, repeatRows=1, style=_step_table_style())
    return [_room_for_heading_and_first_row(heading, rows), heading, steps_table]


def _room_for_heading_and_first_row(heading, rows):
    """A page break unless the heading, the header row and the first step fit on this page, so a
    heading is never left alone at the bottom of a page."""
    _width, heading_h = heading.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
    _width, rows_h = table(rows[:2], colWidths=STEP_COLUMNS, style=_step_table_style()).wrap(
        CONTENT_WIDTH, PAGE_HEIGHT)
    return CondPageBreak(heading_h + heading.getSpaceBefore() + heading.getSpaceAfter() + rows_h + 2)


def _step_header():
    return ["#", _("What to do"), _("Cost and effort"), _("Why it pays")]


def _step_table_style():
    return table_style(
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5, 11),
        ("FONT", (0, 1), (0, -1), FONT_BOLD, 10, 12),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    )


def _step_row(report, step, step_numbers):
    """One step as a table row. Cells are drawn as TextLines (plain text, no markup): a Paragraph
    for each of the many short texts would make this the slowest part of the build."""
    return [language.whole(step_numbers[id(step)]), _what_cell(report, step),
            _cost_cell(report, step, step_numbers), _why_cell(report, step)]


def _what_cell(report, step):
    action = step.action
    dimension = report.questionnaire.dimension(step.dimension_id)
    move = _("%(area)s: level %(before)s → %(after)s (%(before_name)s → %(after_name)s)",
             area=report.text(dimension.title), before=action.from_level, after=action.to_level,
             before_name=report.level_name(action.from_level), after_name=report.level_name(action.to_level))
    return TextLines([(report.text(action.title), "cell_title"), (report.text(action.what), "cell"),
                      (move, "cell_note")])


def _cost_cell(report, step, step_numbers):
    action = step.action
    needs = [f"• {_requirement_text(report, step, r, step_numbers)}" for r in step.unmet]
    return TextLines([
        (_("Cost: %(band)s", band=band_name(action.cost_band)), "cell_title"),
        (cost_band_text(action.cost_band), "cell"),
        (_("Effort: %(band)s", band=band_name(action.effort)), "cell_title"), (effort_text(action.effort), "cell"),
        (_("Works with what you already have") if action.retrofit else "", "cell_note"),
        (_("Needs first"), "cell_label"), *[(text, "cell") for text in needs or [_("nothing")]],
    ])


def _requirement_text(report, step, requirement, step_numbers):
    title = report.text(report.questionnaire.dimension(requirement.dimension).title)
    helper = next((s for s in step.needs if s.dimension_id == requirement.dimension), None)
    if helper is None or id(helper) not in step_numbers:
        return _("%(area)s at level %(level)s", area=title, level=requirement.level)
    if helper.action.to_level >= requirement.level:
        return _("%(area)s at level %(level)s (step %(step)s)", area=title, level=requirement.level,
                 step=step_numbers[id(helper)])
    return _("%(area)s at level %(level)s (step %(step)s starts it)", area=title, level=requirement.level,
             step=step_numbers[id(helper)])


def _why_cell(report, step):
    action = step.action
    runs = [(report.text(action.why), "cell")]
    if action.evidence:
        runs += [(_("Evidence"), "cell_label"), (report.text(action.evidence.text), "cell"),
                 (_("Source: %(source)s", source=ltr_value(action.evidence.source)), "cell_note")]
    cell = [TextLines(runs)]
    if action.goals:
        cell.append(para("<b>" + esc(_("Goals:")) + "</b> " + _goals_text(report, action.goals), "cell_goals"))
    return cell


def _goals_text(report, goals):
    """The goals an action serves; the firm's own goals in bold."""
    chosen = set(report.profile.get("goals") or ())
    names = []
    for goal in goals:
        name = esc(report.option_text("goals", goal))
        names.append(f"<b>{name}</b>" if goal in chosen else name)
    return ", ".join(names)
