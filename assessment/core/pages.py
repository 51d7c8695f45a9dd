"""The respondent's way through a questionnaire: pages, their questions, what is still open."""
PROFILE_PAGE = "profile"


class UnknownPage(LookupError):
    pass


def questions_on(questionnaire, page_id, profile):
    """The questions shown on a page; items hidden by a skip rule are left out."""
    if page_id == PROFILE_PAGE:
        return list(questionnaire.profile)
    if page_id not in questionnaire.page_ids:
        raise UnknownPage(page_id)
    return [i for i in questionnaire.pillar(page_id).items if not i.is_skipped(profile)]


def neighbours(questionnaire, page_id):
    """(previous page id or None, next page id or None)."""
    pages = questionnaire.page_ids
    index = pages.index(page_id)
    previous = pages[index - 1] if index > 0 else None
    following = pages[index + 1] if index + 1 < len(pages) else None
    return previous, following


def profile_answers(questionnaire, answers):
    return {q.id: answers[q.id] for q in questionnaire.profile if q.id in answers}


def is_answered(question, value):
    """True when a stored value is a complete, allowed answer to the question."""
    if value in (None, "", []):
        return False
    if hasattr(question, "allowed_values"):
        return value in question.allowed_values()
    if question.type == "multi":
        return isinstance(value, list) and all(question.option(v) for v in value)
    if question.type == "choice":
        return question.option(value) is not None
    return True


def first_open_page(questionnaire, answers):
    """The first page with an unanswered required question, or None when everything is answered."""
    profile = profile_answers(questionnaire, answers)
    for page_id in questionnaire.page_ids:
        for question in questions_on(questionnaire, page_id, profile):
            if getattr(question, "required", True) and not is_answered(question, answers.get(question.id)):
                return page_id
    return None


def chosen_options(question, value):
    """The options a stored value picks (several for a multiple-choice question); none for "na"."""
    values = value if isinstance(value, list) else [value]
    by_value = {o.value: o for o in question.options}
    return [by_value[v] for v in values if v in by_value]


def terms_to_explain(questions):
    """question id -> the technical terms to explain there: each term once per page, where it first
    comes up, so a page never repeats an explanation."""
    seen, chosen = set(), {}
    for question in questions:
        terms = []
        for term in getattr(question, "terms", ()):
            key = (term.term.get("en") or "").strip().lower()
            if key not in seen:
                seen.add(key)
                terms.append(term)
        chosen[question.id] = terms
    return chosen
