"""Tables of a cohort for export (CSV, XLSX): firms, firm rounds, respondent assessments.

Plain headers and rows, no file format here. These are each firm's own figures, never group
statistics, so the floor of 5 firms does not apply to them.
"""
from assessment.core.tables import (CODED_COLUMNS, english, option_name, participant_table,
                                    remembering, score_cells, score_headers)


def round_label(round_no):
    return f"T{round_no}"


def _coded(questionnaire, firm, text):
    """Country, sector and size as names, each followed by its code."""
    cells = []
    for column in CODED_COLUMNS:
        cells += [option_name(questionnaire, column, firm[column], text), firm[column]]
    return cells


CODED_HEADERS = [h for c in CODED_COLUMNS for h in (c, f"{c}_code")]


def firms_table(questionnaire, firms, text=english):
    """One row per firm: its master data and the round it is in now."""
    headers, text = ["firm_id", "name", *CODED_HEADERS, "region", "current_round", "created_at"], remembering(text)
    rows = [[f["id"], f["name"], *_coded(questionnaire, f, text), f["region"], round_label(f["current_round"]),
             (f["created_at"] or "")[:19]] for f in firms]
    return headers, rows


def rounds_table(questionnaire, firm_rounds, text=english):
    """One row per firm and round with its combined scores. ``firm_rounds`` is
    [(firm row, round_no, {key: (score, level)})] as stored in firm_scores."""
    headers, text = ["firm_id", "firm", *CODED_HEADERS, "round"] + score_headers(questionnaire), remembering(text)
    rows = [[firm["id"], firm["name"], *_coded(questionnaire, firm, text), round_label(round_no)]
            + score_cells(questionnaire, scores, text) for firm, round_no, scores in firm_rounds]
    return headers, rows


def assessments_table(questionnaire, entries, text=english):
    """One row per completed respondent assessment: the firm, round and role, then the same profile
    and score columns as a workshop export. ``entries`` is [(assessment row with firm_name, result,
    answers)]; the answers to ``answered_columns(questionnaire)`` are all it reads."""
    headers, rows = participant_table(questionnaire, entries, text)
    lead = ["assessment_id", "firm_id", "firm", "round", "respondent_role"]
    out = []
    for (row, _result, _answers), cells in zip(entries, rows):
        out.append([row["id"], row["firm_id"], row["firm_name"], round_label(row["round_no"]),
                    row["respondent_role"] or ""] + cells[2:])
    return lead + headers[2:], out
