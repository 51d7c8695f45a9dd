"""A firm's data rights: everything SmartStep holds about a firm (or one respondent's assessment)
as plain data, for the JSON and PDF downloads, and its deletion.

Shared by the respondent's pages (from a resume link: that assessment) and the programme pages (a
firm of the staff member's organisation: the firm, its rounds, roadmap statuses and every
respondent's assessment). ``text`` turns a data file's text object into the reader's language;
``not_relevant`` is the interface's "not relevant" answer in that language (an item may word its own).
"""
from assessment.completion import refresh_firm_round
from assessment.core.cohort_tables import round_label
from assessment.core.levels import LEVEL_NAMES
from assessment.core.questionnaire import NOT_RELEVANT
from assessment.core.roadmap import build_roadmap
from assessment.core import pages
from assessment.store import assessments, deletions, firms
from assessment.store.clock import now
from assessment.store.questionnaires import stored_questionnaire

FORMAT = "smartstep-data-export/1"
NOT_RELEVANT_ANSWER = "Not relevant to our business"  # the question page's words


def assessment_record(db, library, row, text, not_relevant=NOT_RELEVANT_ANSWER):
    """One assessment: when, in which round or workshop, every answer (id, question, answer), and
    once completed its levels and roadmap."""
    questionnaire = stored_questionnaire(db, row["questionnaire_id"], row["questionnaire_version"])
    answers = assessments.answers_of(db, row["id"])
    record = {
        "assessment_id": row["id"], "status": row["status"], "language": row["language"],
        "started_at": row["created_at"], "last_saved_at": row["updated_at"], "completed_at": row["completed_at"],
        "round": round_label(row["round_no"]) if row["round_no"] is not None else None,
        "respondent_role": row["respondent_role"], "in_a_workshop": row["workshop_id"] is not None,
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "answers": _answers(questionnaire, answers, text, not_relevant),
        "levels": None, "roadmap": [],
    }
    if row["status"] == "completed":
        try:
            result = assessments.result_of(db, row["id"])
        except assessments.AssessmentNotFound:
            return record
        record["levels"] = levels(questionnaire, result, text)
        profile = pages.profile_answers(questionnaire, answers)
        roadmap = build_roadmap(questionnaire, result, profile, library.actions, library.pointers)
        record["roadmap"] = [{"action_id": s.action.id, "action": text(s.action.title), "horizon": s.horizon,
                              "dimension": text(questionnaire.dimension(s.dimension_id).title)}
                             for s in roadmap.steps]
    return record


def _answers(questionnaire, answers, text, not_relevant):
    rows = []
    for question in questionnaire.profile:
        if question.id in answers:
            value = answers[question.id]
            shown = value if question.type == "text" else "; ".join(
                text(o.text) for o in pages.chosen_options(question, value))
            rows.append({"question_id": question.id, "question": text(question.text), "value": value, "answer": shown})
    for item in questionnaire.items:
        if item.id in answers:
            value = answers[item.id]
            option = next((o for o in item.options if o.value == value), None)
            if option:
                shown = text(option.text)
            elif value == NOT_RELEVANT:
                shown = text(item.not_relevant_text) if item.not_relevant_text else not_relevant
            else:
                shown = value
            rows.append({"question_id": item.id, "question": text(item.text), "value": value, "answer": shown})
    return rows


def levels(questionnaire, result, text):
    """Overall, pillar and dimension scores with their level names."""
    def entry(e):
        level = e.get("level")
        return {"score": e.get("score"), "level": level, "level_name": text(LEVEL_NAMES[level]) if level is not None else None}
    return {"overall": entry(result["overall"]),
            "pillars": {text(p.title): entry(result["pillars"].get(p.id, {})) for p in questionnaire.pillars},
            "dimensions": {text(d.title): entry(result["dimensions"].get(d.id, {})) for d in questionnaire.dimensions}}


def respondent_export(db, library, row, text, not_relevant=NOT_RELEVANT_ANSWER):
    """What a resume link may download: that assessment (and, for a firm's respondent, the firm's name)."""
    data = {"format": FORMAT, "exported_at": now(), "assessments": [assessment_record(db, library, row, text, not_relevant)]}
    if row["firm_id"] is not None:
        firm = firms.get_firm_any_org(db, row["firm_id"])
        data["firm"] = {"name": firm["name"]}
    return data


def firm_export(db, library, firm, text, not_relevant=NOT_RELEVANT_ANSWER):
    """Everything about a firm of a programme: master data, each round's levels, roadmap statuses,
    and every respondent's assessment."""
    cohort = firms.get_cohort(db, firm["cohort_id"], firm["org_id"]) if firm["cohort_id"] else None
    rounds = [{"round": round_label(n), "scores": {key: {"score": s, "level": lv, "level_name": text(LEVEL_NAMES[lv])}
                                                  for key, (s, lv) in scores.items()}}
              for n, scores in firms.round_scores(db, firm["id"]).items()]
    return {
        "format": FORMAT, "exported_at": now(),
        "firm": {"id": firm["id"], "name": firm["name"], "country": firm["country"], "sector": firm["sector"],
                 "size_band": firm["size_band"], "region": firm["region"], "cohort": cohort["name"] if cohort else None,
                 "current_round": round_label(firm["current_round"]), "added_at": firm["created_at"]},
        "rounds": rounds,
        "roadmap_status": firms.action_statuses(db, firm["id"]),
        "assessments": [assessment_record(db, library, assessments.get_assessment(db, a["id"]), text, not_relevant)
                        for a in firms.firm_assessments(db, firm["id"])],
    }


def delete_respondent_data(db, library, row):
    """Deletes one assessment asked for from its resume link; a firm's round is recombined from the
    respondents who remain. Logged without content."""
    org_id = _org_of(db, row)
    deletions.delete_assessment(db, row, org_id, "respondent")
    if row["firm_id"] is not None:
        questionnaire = stored_questionnaire(db, row["questionnaire_id"], row["questionnaire_version"])
        refresh_firm_round(db, questionnaire, row["firm_id"], row["round_no"])


def _org_of(db, row):
    if row["firm_id"] is not None:
        return firms.get_firm_any_org(db, row["firm_id"])["org_id"]
    if row["workshop_id"] is not None:
        found = db.execute("SELECT org_id FROM workshops WHERE id = ?", [row["workshop_id"]]).fetchone()
        return found[0] if found else None
    return None
