"""Tables of results for export (CSV, XLSX): plain headers and rows, no file format here."""
from assessment.core.pages import chosen_options
from assessment.core.scoring import level_name
from assessment.core.validation import text_of


def participant_table(questionnaire, participants, lang="en"):
    """One row per completed participant: profile answers, then overall, pillar and dimension scores.

    ``participants`` is [(assessment row, stored result, answers)]; a firm name appears only when
    the participant chose to share it.
    """
    profile = [q for q in questionnaire.profile if q.id != "firm_name"]
    headers = ["participant", "firm_name", "completed_at"] + [q.id for q in profile]
    headers += ["overall_score", "overall_level", "overall_level_name"]
    headers += [f"pillar_{p.id}" for p in questionnaire.pillars]
    headers += [f"dimension_{d.id}" for d in questionnaire.dimensions]
    rows = [_participant_row(n, questionnaire, profile, entry, lang)
            for n, entry in enumerate(participants, start=1)]
    return headers, rows


def _participant_row(number, questionnaire, profile, entry, lang):
    row, result, answers = entry
    firm_name = answers.get("firm_name", "") if row["share_name"] else ""
    cells = [number, firm_name, (row["completed_at"] or "")[:19]]
    cells += [_profile_text(q, answers.get(q.id), lang) for q in profile]
    overall = result["overall"]
    cells += [overall["score"], overall["level"], level_name(overall["level"], lang) if overall["level"] is not None else ""]
    cells += [result["pillars"].get(p.id, {}).get("score") for p in questionnaire.pillars]
    cells += [result["dimensions"].get(d.id, {}).get("score") for d in questionnaire.dimensions]
    return cells


def _profile_text(question, value, lang):
    if value in (None, "", []):
        return ""
    if question.type == "text":
        return value
    return "; ".join(text_of(o.text, lang) for o in chosen_options(question, value))
