"""The firm's roadmap as a PDF: cover, scores, strengths and gaps, the steps by horizon, where to
see them working and how to pay for them, and the method and its limits.

Pure reportlab (platypus and reportlab.graphics): plain data in, PDF bytes out; no web framework.
"""
import io
from dataclasses import dataclass

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from assessment.core.levels import LEVEL_MEANINGS, LEVEL_NAMES
from assessment.core.pdf import language
from assessment.core.pdf.charts import BarRow, format_score, maturity_scale, score_chart
from assessment.core.pdf.language import _, ngettext
from assessment.core.pdf.markup import pointer_scope
from assessment.core.pdf.styles import (CONTENT_WIDTH, FONT, FONT_BOLD, FOOTER_NUMBER_ROOM, FOOTER_SIZE, INK,
                                        PAGE_SIZE, RULE, SHADE, TextLines, build_document, bullets, document, esc,
                                        fit_text, link, ltr_value, para, table, table_style, text_width, visual)
from assessment.core.roadmap import HORIZON_NAMES, HORIZONS
from assessment.core.scoring import biggest_gaps, strongest_areas
from assessment.core.translations import NO_TRANSLATIONS



def cost_band_text(band):
    return {"low": _("under US$1,000"), "medium": _("US$1,000-10,000"), "high": _("over US$10,000")}[band]


def band_name(band):
    return {"low": _("low"), "medium": _("medium"), "high": _("high")}[band]


def effort_text(effort):
    return {"low": _("days"), "medium": _("weeks"), "high": _("months")}[effort]

PAGE_HEIGHT = PAGE_SIZE[1]
STEP_COLUMNS = (24, 205, 100, CONTENT_WIDTH - 329)


@dataclass
class RoadmapReport:
    questionnaire: object      # Questionnaire
    result: dict               # score_assessment() output
    profile: dict              # firm profile answers (firm_name may be missing or empty)
    roadmap: object            # Roadmap
    completed_on: str          # e.g. "2026-11-27"
    resume_url: str            # link to come back and update the assessment
    resume_code: str           # e.g. "KM7Q-3XTA"
    language: str = "en"
    translations: object = NO_TRANSLATIONS  # content catalogs (level and horizon names)

    def text(self, obj):
        """A text object ({"en": ...}) in the report's language."""
        return self.translations.text(obj, self.language)

    @property
    def firm_name(self):
        return (self.profile.get("firm_name") or "").strip() or _("Your firm")

    def level_name(self, level):
        return self.text(LEVEL_NAMES[level])


def build_roadmap_pdf(report: RoadmapReport) -> bytes:
    """The roadmap PDF for one firm, as bytes."""
    buffer = io.BytesIO()
    with language.in_language(report.language):
        doc = document(buffer, title=_("Digital maturity roadmap: %(firm)s", firm=report.firm_name),
                       footer_text=_footer_text(report))
        build_document(doc, _story(report))
    return buffer.getvalue()


def _footer_text(report):
    """"SmartStep roadmap · <firm> · <date>", the name shortened to leave room for the page number."""
    prefix, suffix = _("SmartStep roadmap") + " · ", f" · {language.date(report.completed_on)}"
    room = CONTENT_WIDTH - FOOTER_NUMBER_ROOM - text_width(prefix + suffix, FONT, FOOTER_SIZE)
    return prefix + fit_text(report.firm_name, FONT, FOOTER_SIZE, room) + suffix


def _story(report):
    step_numbers = {id(step): n for n, step in enumerate(report.roadmap.steps, start=1)}
    return [
        *cover(report), PageBreak(),
        *scores_section(report),
        *strengths_and_gaps(report), PageBreak(),
        *roadmap_section(report, step_numbers),
        *pointers_section(report),
        PageBreak(), *method_section(report),
    ]


# -- helpers -------------------------------------------------------------------------------------

def profile_option_text(report, question_id, value=None):
    """The text of the option a firm chose for a profile question (or of ``value``); None if not
    answered, the value itself if the questionnaire does not know it."""
    value = value or report.profile.get(question_id)
    question = next((q for q in report.questionnaire.profile if q.id == question_id), None)
    option = question.option(value) if question and value else None
    return report.text(option.text) if option else (str(value) if value else None)


def level_label(report, entry):
    return _("level %(level)s · %(name)s", level=entry["level"], name=report.level_name(entry["level"]))


# -- cover -----------------------------------------------------------------------------------------

def cover(report):
    overall = report.result["overall"]
    return [
        para(esc(_("Digital maturity roadmap")), "title"),
        para(esc(ltr_value(report.firm_name)), "firm"),
        para(esc(_profile_line(report)), "lead"),
        para(esc(_("Assessment completed on %(date)s", date=language.date(report.completed_on))), "small"),
        Spacer(1, 22),
        *_overall_summary(report, overall),
        Spacer(1, 8),
        maturity_scale(overall["score"], report.text),
        Spacer(1, 16),
        *_readiness_note(report),
        *_start_here(report),
    ]


def _profile_line(report):
    parts = [profile_option_text(report, qid) for qid in ("country", "sector", "size_band")]
    return " · ".join(p for p in parts if p)


def _overall_summary(report, overall):
    if overall["score"] is None:
        return [para(esc(_("Overall level")), "small"), para(esc(_("No score yet: nothing was answered.")), "body")]
    level = overall["level"]
    return [
        para(esc(_("Overall level")), "small"),
        para(f"{level} · {esc(report.level_name(level))}", "level"),
        para(esc(_("Score %(score)s of 4 (%(percent)s / 100)", score=format_score(overall["score"]),
                   percent=language.whole(overall["percent"]))), "body"),
        para(esc(report.text(LEVEL_MEANINGS[level])), "lead"),
    ]


def _readiness_note(report):
    readiness = [(p, report.result["pillars"][p.id]) for p in report.questionnaire.pillars
                 if not p.in_overall and report.result["pillars"][p.id]["score"] is not None]
    return [para(esc(_("%(pillar)s (readiness, not part of the overall score): %(level)s",
                       pillar=report.text(p.title), level=level_label(report, entry))), "body")
            for p, entry in readiness]


def _start_here(report):
    first = report.roadmap.steps[:3]
    if not first:
        return [para(esc(_("Start here: there are no further steps in this roadmap.")), "body")]
    titles = [esc(report.text(step.action.title)) for step in first]
    count = len(report.roadmap.steps)
    return [Spacer(1, 6), para(esc(_("Start here")), "h2"), *bullets(titles, numbered=True),
            Spacer(1, 6),
            para(esc(ngettext("The full roadmap has %(num)s step; see \"Your roadmap\".",
                              "The full roadmap has %(num)s steps; see \"Your roadmap\".", count)), "small")]


# -- scores ----------------------------------------------------------------------------------------

def scores_section(report):
    q, result = report.questionnaire, report.result
    overview = [BarRow(_("Overall"), result["overall"], strong=True)]
    overview += [BarRow(_pillar_label(report, p), result["pillars"][p.id]) for p in q.pillars]
    by_area = [row for pillar in q.pillars for row in _pillar_rows(report, pillar)]
    return [
        para(esc(_("Your scores")), "h1"),
        para(esc(_("Each area is scored from 0 (%(lowest)s) to 4 (%(highest)s). The overall score is the "
                   "average of %(pillars)s; enablers show readiness and are not part of it.",
                   lowest=report.level_name(0), highest=report.level_name(4),
                   pillars=_overall_pillar_names(report))), "body"),
        score_chart(overview, report.text), Spacer(1, 12),
        score_chart(by_area, report.text), Spacer(1, 12),
    ]


def _pillar_label(report, pillar):
    title = report.text(pillar.title)
    return title if pillar.in_overall else _("%(pillar)s (readiness)", pillar=title)


def _overall_pillar_names(report):
    return language.join_names(report.text(p.title) for p in report.questionnaire.pillars if p.in_overall)


def _pillar_rows(report, pillar):
    rows = [BarRow(_pillar_label(report, pillar), report.result["pillars"][pillar.id], strong=True,
                   space_before=0 if pillar is report.questionnaire.pillars[0] else 7)]
    return rows + [BarRow(report.text(d.title), report.result["dimensions"][d.id]) for d in pillar.dimensions]


# -- strengths and gaps ----------------------------------------------------------------------------

def strengths_and_gaps(report):
    """Strongest areas and biggest gaps, side by side."""
    q, result = report.questionnaire, report.result
    gaps = biggest_gaps(q, result)
    strengths = strongest_areas(q, result, exclude={d.id for d, _entry in gaps})
    strength_cell = _area_list(report, strengths) or [
        para(esc(_("No area is above level 0 yet: each step in this roadmap builds a first strength.")), "cell")]
    gap_cell = _area_list(report, gaps) or [
        para(esc(_("No gaps: every area you answered is at the top level.")), "cell")]
    half = CONTENT_WIDTH / 2
    rows = [[para(esc(_("Your strongest areas")), "h2"), para(esc(_("Your biggest gaps")), "h2")],
            [strength_cell, gap_cell]]
    return [table(rows, colWidths=(half, half), style=table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10), ("LEFTPADDING", (1, 0), (1, -1), 10),
        ("LINEBEFORE", (1, 1), (1, 1), 0.4, RULE)))]


def _area_list(report, pairs):
    items = []
    for dimension, entry in pairs:
        pillar = report.questionnaire.pillar(dimension.pillar_id)
        items.append(f"<b>{esc(report.text(dimension.title))}</b> ({esc(report.text(pillar.title))}): "
                     + esc(_("%(level)s, score %(score)s", level=level_label(report, entry),
                             score=format_score(entry["score"]))))
    return bullets(items, "cell_bullet")


# -- the roadmap -----------------------------------------------------------------------------------

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
        name = esc(profile_option_text(report, "goals", goal))
        names.append(f"<b>{name}</b>" if goal in chosen else name)
    return ", ".join(names)


# -- pointers --------------------------------------------------------------------------------------

def pointers_section(report):
    return [
        Spacer(1, 14),
        *_pointer_block(report, _("Where to see it working"),
                        _("Places and programmes where you can see these tools in use and learn about them."),
                        report.roadmap.awareness),
        *_pointer_block(report, _("How to pay for it"),
                        _("Funds, banks and programmes that can help pay for these steps."),
                        report.roadmap.financing),
    ]


def _pointer_block(report, title, intro, pointers):
    heading = [para(esc(title), "h1"), para(esc(intro), "body")]
    if not pointers:
        return [KeepTogether(heading + [para(
            esc(_("Ask your local business-support agency or chamber of commerce where to start.")), "body")])]
    first, *rest = [_pointer_entry(report, p) for p in pointers]
    return [KeepTogether(heading + first), *(KeepTogether(entry) for entry in rest), Spacer(1, 8)]


OFFER_NAMES = {"loan": lambda: _("Loan: paid back"), "grant": lambda: _("Grant: not paid back"),
               "guarantee": lambda: _("Guarantee: your bank lends, the scheme covers part of the risk"),
               "leasing": lambda: _("Leasing: pay for the machine in instalments"),
               "equity": lambda: _("Equity: an investor takes a share")}


def _pointer_entry(report, pointer):
    name = f"<b>{esc(report.text(pointer.name))}</b> · {esc(pointer_scope(report, pointer))}"
    if pointer.organisation:
        name += f" · {esc(ltr_value(pointer.organisation))}"
    entry = [para(name, "name"),
             para(esc(report.text(pointer.description)), "pointer_text")]
    if pointer.eligibility:
        entry.append(para(esc(_("Who can apply: %(who)s", who=report.text(pointer.eligibility))), "pointer_text"))
    source = _("Source: %(source)s", source=ltr_value(report.text({"en": pointer.source})))
    if pointer.offer_type in OFFER_NAMES:
        source = f"{OFFER_NAMES[pointer.offer_type]()}. {source}"
    if pointer.checked:
        source += " " + _("(checked %(date)s)", date=language.date(pointer.checked))
    entry.append(para(esc(source), "note"))
    if pointer.url:
        entry.append(para(esc(_("Address:")) + " " + link(pointer.url), "note"))
    return entry




# -- method and limits -----------------------------------------------------------------------------

def method_section(report):
    meta = report.result["questionnaire"]
    return [
        para(esc(_("How this was measured, and its limits")), "h1"),
        para(esc(_("The scale")), "h2"), _scale_table(report),
        para(esc(_("How the scores are calculated")), "h2"), *bullets([esc(p) for p in _formula(report)]),
        para(esc(_("Questionnaire: %(id)s, version %(version)s. Your scores were calculated with this "
                   "version and do not change if it is revised.", id=meta["id"], version=meta["version"])), "body"),
        para(esc(_("Limits")), "h2"), *bullets([esc(p) for p in limits()]),
        KeepTogether(_resume_block(report)),
    ]


def limits():
    return (
        _("This is a self-assessment: the answers were not checked by anyone else."),
        _("It shows one person's view of the firm; others in the firm may see it differently."),
        _("Questions answered \"not relevant to our business\" are left out of the scores and never shown as gaps."),
        _("Costs and efforts are rough bands, not quotes; check prices with local suppliers before you buy."),
    )


def _scale_table(report):
    rows = [[para(str(level), "cell_title"), para(esc(report.level_name(level)), "cell_title"),
             para(esc(report.text(meaning)), "cell")] for level, meaning in enumerate(LEVEL_MEANINGS)]
    return table(rows, colWidths=(22, 90, CONTENT_WIDTH - 112), style=table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ))


def _pillar_formula(report):
    """The pillar average, naming any area that weighs less than the others in this questionnaire version."""
    lighter = [d for d in report.questionnaire.dimensions if d.weight != 1]
    if not lighter:
        return _("A pillar's score is the average of its areas that have a score.")
    named = "; ".join(_("%(area)s counts %(weight)s", area=report.text(d.title), weight=language.number(d.weight, digits=1))
                      for d in lighter)
    return _("A pillar's score is the weighted average of its areas that have a score. Each area counts 1, "
             "except an area many good firms have little use for: %(areas)s.", areas=named)


def _formula(report):
    """The formula of assessment/core/scoring.py (see its docstring), in plain words."""
    return [
        _("Each answer gives a level from 0 to 4: the level of the option you chose. Answers marked "
          "\"not relevant\", and questions that do not apply to your firm, are left out."),
        _("An area's score is the average of its answered questions."),
        _pillar_formula(report),
        _("\"We have no use for this\" is not \"we have not done this\": where a firm can honestly have no use "
          "for a question, it offers its own answer for that case (for example \"Our work does not need the "
          "internet\"), which is left out like \"not relevant\". The lowest level is for a firm that could use "
          "it and has not started."),
        _("The overall score is the average of %(pillars)s. Enablers are shown beside it as readiness and "
          "are not counted in it.", pillars=_overall_pillar_names(report)),
        _("A score's level is its whole part: %(example)s is level 2, %(level2)s; level 4, %(level4)s, needs a "
          "score of exactly 4. Out of 100, a score counts 25 points per level.",
          example=language.number(2.75), level2=report.level_name(2), level4=report.level_name(4)),
    ]


def _resume_block(report):
    return [
        para(esc(_("Update your assessment")), "h2"),
        para(esc(_("Come back when things change to update your answers and get a new roadmap.")), "body"),
        para(esc(_("Your resume code:")) + f" <b>{esc(report.resume_code)}</b>", "body"),
        para(esc(_("Your link:")) + " " + link(report.resume_url), "body"),
        para(esc(_("Keep the code and the link private: they open your answers.")), "small"),
    ]
