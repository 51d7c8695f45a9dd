"""Finishing an assessment: score it, store the result, and refresh the firm's round if it has one."""
from assessment.core import pages
from assessment.core.scoring import combine_results, score_assessment
from assessment.store import assessments, firms, submissions


def complete_assessment(db, questionnaire, row, answers):
    """Scores and stores one assessment; raises scoring.IncompleteAnswers naming what is missing."""
    result = score_assessment(questionnaire, answers, pages.profile_answers(questionnaire, answers))
    assessments.store_result(db, row["id"], result)
    if row["firm_id"] is not None:
        refresh_firm_round(db, questionnaire, row["firm_id"], row["round_no"])
    return result


def save_page(db, questionnaire, row, answers, submission, page_id):
    """Stores one page's answers. A completed assessment may be changed (the results page offers
    it): it is scored again at once, so that its results, PDF, the workshop's dashboard and exports
    and the firm's round follow the answers. Should a change open questions not answered yet (a
    skip rule), it is in progress again until they are. Each answer keeps when it last changed;
    completed_at keeps the first completion and results.computed_at the last scoring. A resent
    ``submission`` changes nothing; an answer older than the stored one is not saved (see
    store/submissions.py). Returns what happened (submissions.Saved)."""
    saved = submissions.save(db, row["id"], page_id, answers, submission)
    if saved.replayed or row["status"] != "completed":
        return saved
    stored = assessments.answers_of(db, row["id"])
    if pages.first_open_page(questionnaire, stored) is None:
        complete_assessment(db, questionnaire, row, stored)
        return saved
    assessments.reopen(db, row["id"])
    if row["firm_id"] is not None:
        refresh_firm_round(db, questionnaire, row["firm_id"], row["round_no"])
    return saved


def refresh_firm_round(db, questionnaire, firm_id, round_no):
    """Recombines the firm's completed respondents for that round into its benchmark rows (none
    left: the round has no result)."""
    firm = firms.get_firm_any_org(db, firm_id)
    results = firms.completed_results_of_round(db, firm_id, round_no)
    if results:
        firms.store_firm_round(db, firm, round_no, combine_results(questionnaire, results))
    else:
        firms.discard_firm_round(db, firm_id, round_no)
