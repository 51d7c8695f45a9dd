"""Finishing an assessment: score it, store the result, and refresh the firm's round if it has one."""
from assessment.core import pages
from assessment.core.scoring import combine_results, score_assessment
from assessment.store import assessments, firms


def complete_assessment(db, questionnaire, row, answers):
    """Scores and stores one assessment; raises scoring.IncompleteAnswers naming what is missing."""
    result = score_assessment(questionnaire, answers, pages.profile_answers(questionnaire, answers))
    assessments.store_result(db, row["id"], result)
    if row["firm_id"] is not None:
        refresh_firm_round(db, questionnaire, row["firm_id"], row["round_no"])
    return result


def refresh_firm_round(db, questionnaire, firm_id, round_no):
    """Recombines the firm's completed respondents for that round into its benchmark rows."""
    firm = firms.get_firm_any_org(db, firm_id)
    results = firms.completed_results_of_round(db, firm_id, round_no)
    if results:
        firms.store_firm_round(db, firm, round_no, combine_results(questionnaire, results))
