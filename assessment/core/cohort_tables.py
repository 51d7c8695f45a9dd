"""Tables of a cohort for export (CSV, XLSX): firms, firm rounds, respondent assessments.

Plain headers and rows, no file format here. These are each firm's own figures, never group
statistics, so the floor of 5 firms does not apply to them.
"""
from assessment.core.tables import participant_table


def round_label(round_no):
    return f"T{round_no}"


def firms_table(firms):
    """One row per firm: its master data and the round it is in now."""
    headers = ["firm_id", "name", "country", "sector", "size_band", "region", "current_round", "created_at"]
    rows = [[f["id"], f["name"], f["country"], f["sector"], f["size_band"], f["region"],
             round_label(f["current_round"]), (f["created_at"] or "")[:19]] for f in firms]
    return headers, rows


def score_headers(questionnaire):
    return (["overall_score", "overall_level"] + [f"pillar_{p.id}" for p in questionnaire.pillars]
            + [f"dimension_{d.id}" for d in questionnaire.dimensions])


def rounds_table(questionnaire, firm_rounds):
    """One row per firm and round with its combined scores. ``firm_rounds`` is
    [(firm row, round_no, {key: (score, level)})] as stored in firm_scores."""
    headers = ["firm_id", "firm", "country", "sector", "size_band", "round"] + score_headers(questionnaire)
    rows = []
    for firm, round_no, scores in firm_rounds:
        overall = scores.get("overall", (None, None))
        row = [firm["id"], firm["name"], firm["country"], firm["sector"], firm["size_band"], round_label(round_no),
               overall[0], overall[1]]
        row += [scores.get(f"pillar:{p.id}", (None,))[0] for p in questionnaire.pillars]
        row += [scores.get(f"dimension:{d.id}", (None,))[0] for d in questionnaire.dimensions]
        rows.append(row)
    return headers, rows


def assessments_table(questionnaire, entries, lang="en"):
    """One row per completed respondent assessment: the firm, round and role, then the same profile
    and score columns as a workshop export. ``entries`` is [(assessment row with firm_name, result,
    answers)]."""
    headers, rows = participant_table(questionnaire, entries, lang)
    lead = ["assessment_id", "firm_id", "firm", "round", "respondent_role"]
    out = []
    for (row, _result, _answers), cells in zip(entries, rows):
        out.append([row["id"], row["firm_id"], row["firm_name"], round_label(row["round_no"]),
                    row["respondent_role"] or ""] + cells[2:])
    return lead + headers[2:], out
