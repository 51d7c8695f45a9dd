"""Tables of results for export (CSV, XLSX): plain headers and rows, no file format here.

Headers are stable ids (docs/data-format.md, "Exports"); the XLSX writer puts readable labels over
them. Country, sector and size are written as names, with their codes in `<id>_code` columns.
"""
from assessment.core.pages import chosen_options
from assessment.core.levels import LEVEL_NAMES
from assessment.core.validation import text_of

CODED_COLUMNS = ("country", "sector", "size_band")


def english(text_obj):
    return text_of(text_obj, "en")


def remembering(text):
    """``text`` that works out each text object once: a cohort's table asks for the same few country,
    sector and level names thousands of times, and each asking costs a catalog look-up."""
    seen = {}

    def remembered(text_obj):
        key = id(text_obj)
        if key not in seen:
            seen[key] = (text_obj, text(text_obj))  # holding the object keeps its id from being reused
        return seen[key][1]
    return remembered


def participant_table(questionnaire, participants, text=english):
    """One row per completed participant: profile answers, then overall, pillar and dimension scores.

    ``participants`` is [(assessment row, {score key: (score, level)} for ``score_keys``, answers)];
    a firm name appears only when the participant chose to share it. ``text`` turns a data file's
    text object into the export's language (English by default).
    """
    profile, text = [q for q in questionnaire.profile if q.id != "firm_name"], remembering(text)
    headers = ["participant", "firm_name", "completed_at"]
    for question in profile:
        headers += [question.id] + ([f"{question.id}_code"] if question.id in CODED_COLUMNS else [])
    headers += score_headers(questionnaire)
    profile_text = _remembered_profile_text(text)
    rows = [_participant_row(n, questionnaire, profile, entry, text, profile_text)
            for n, entry in enumerate(participants, start=1)]
    return headers, rows


def answered_columns(questionnaire):
    """The questions whose answers a participant table shows (the profile, firm name included); its
    scores come from the stored result, so a caller may read only these answers."""
    return [question.id for question in questionnaire.profile]


def score_headers(questionnaire):
    return (["overall_score", "overall_level", "overall_level_name"]
            + [f"pillar_{p.id}" for p in questionnaire.pillars]
            + [f"pillar_{p.id}_level_name" for p in questionnaire.pillars]
            + [f"dimension_{d.id}" for d in questionnaire.dimensions])


def score_keys(questionnaire):
    """The keys of the scores a table shows, as firm_scores and result_scores name them."""
    return (["overall"] + [f"pillar:{p.id}" for p in questionnaire.pillars]
            + [f"dimension:{d.id}" for d in questionnaire.dimensions])


def score_cells(questionnaire, scores, text=english):
    """``scores``: {key: (score, level)} as in firm_scores, keys 'overall', 'pillar:<id>', 'dimension:<id>'."""
    def name(key):
        level = scores.get(key, (None, None))[1]
        return text(level_name_text(level)) if level is not None else ""
    overall = scores.get("overall", (None, None))
    cells = [overall[0], overall[1], name("overall")]
    cells += [scores.get(f"pillar:{p.id}", (None,))[0] for p in questionnaire.pillars]
    cells += [name(f"pillar:{p.id}") for p in questionnaire.pillars]
    cells += [scores.get(f"dimension:{d.id}", (None,))[0] for d in questionnaire.dimensions]
    return cells


def level_name_text(level):
    """The text object of a level's name, for the caller's language."""
    return LEVEL_NAMES[level]


def _participant_row(number, questionnaire, profile, entry, text, profile_text):
    row, scores, answers = entry
    firm_name = answers.get("firm_name", "") if row["share_name"] else ""
    cells = [number, firm_name, (row["completed_at"] or "")[:19]]
    for question in profile:
        cells.append(profile_text(question, answers.get(question.id)))
        if question.id in CODED_COLUMNS:
            cells.append(answers.get(question.id) or "")
    return cells + score_cells(questionnaire, scores, text)


def _remembered_profile_text(text):
    """_profile_text worked out once per question and answer: a cohort's thousand rows hold the same
    few countries, sectors and sizes."""
    seen = {}

    def profile_text(question, value):
        if question.type == "text":
            return _profile_text(question, value, text)
        key = (question.id, tuple(value) if isinstance(value, list) else value)
        if key not in seen:
            seen[key] = _profile_text(question, value, text)
        return seen[key]
    return profile_text


def _profile_text(question, value, text):
    if value in (None, "", []):
        return ""
    if question.type == "text":
        return value
    return "; ".join(text(o.text) for o in chosen_options(question, value))


def option_name(questionnaire, question_id, value, text=english):
    """The name of a profile option (a country, a sector, a size band), or the value itself."""
    option = questionnaire.profile_question(question_id).option(value)
    return text(option.text) if option else value
