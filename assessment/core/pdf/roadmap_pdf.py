"""The firm's roadmap as a PDF: cover, scores, strengths and gaps, the steps by horizon, where to
see them working and how to pay for them, and the method and its limits.

Pure reportlab (platypus and reportlab.graphics): plain data in, PDF bytes out; no web framework.
"""
import io
from dataclasses import dataclass

from reportlab.platypus import KeepTogether, PageBreak, Spacer

from assessment.core.levels import LEVEL_MEANINGS, LEVEL_NAMES
from assessment.core.pdf import language
from assessment.core.pdf.charts import BarRow, format_score, maturity_scale, score_chart
from assessment.core.pdf.language import _, ngettext
from assessment.core.pdf.markup import pointer_scope
from assessment.core.pdf.roadmap_steps import roadmap_section
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import (CONTENT_WIDTH, FONT, FOOTER_NUMBER_ROOM, FOOTER_SIZE, RULE, build_document,
                                        bullets, document, esc, fit_text, link, para, table, table_style, text_width)
from assessment.core.scoring import biggest_gaps, strongest_areas
from assessment.core.translations import NO_TRANSLATIONS


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

    def option_text(self, question_id, value=None):
        """The text of the option the firm chose for a profile question (or of ``value``); None if
        not answered, the value itself if the questionnaire does not know it."""
        value = value or self.profile.get(question_id)
        option = self.questionnaire.profile_option(question_id, value)
        return self.text(option.text) if option else (str(value) if value else None)


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
    parts = [report.option_text(qid) for qid in ("country", "sector", "size_band")]
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
