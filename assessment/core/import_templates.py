"""Example files for importing: a firms file and an answers file with one example row each, and the
list of what each choice column accepts (the XLSX template's second sheet). Built from the
questionnaire, so a template always matches what core/importing.py checks.
"""
from assessment.core.importing import FIRM_COLUMNS, all_answer_columns, answer_profile_questions
from assessment.core.questionnaire import NOT_RELEVANT

EXAMPLE_FIRM = "Example Metalworks Ltd"


def firms_template(questionnaire):
    """(headers, [example row]) for a firms file, built from the questionnaire's options."""
    example = [EXAMPLE_FIRM] + [_example_option(questionnaire.profile_question(c)) for c in FIRM_COLUMNS[1:]]
    return list(FIRM_COLUMNS), [example]


def answers_template(questionnaire, firm_name=EXAMPLE_FIRM):
    """(headers, [example row]) for an answers file: every item answered 2, except those the
    example profile's skip rules hide."""
    profile = {q.id: _example_profile_value(q) for q in answer_profile_questions(questionnaire)}
    row = [firm_name, "T0", "owner"]
    row += ["; ".join(v) if isinstance(v, list) else v for v in profile.values()]
    row += ["" if i.is_skipped(profile) else _example_level(i) for i in questionnaire.items]
    return all_answer_columns(questionnaire), [row]


def _example_option(question):
    return question.options[0].value


def _example_profile_value(question):
    if question.type == "text":
        return ""
    if question.type == "multi":
        return [o.value for o in question.options[:min(2, question.max_choices)]]
    return question.options[0].value


def _example_level(item):
    values = [o.value for o in item.options]
    return values[len(values) // 2]


def choice_lists(questionnaire):
    """Rows (column, value, meaning) listing what each choice column accepts, for the XLSX template."""
    rows = []
    for question in questionnaire.profile:
        for option in question.options:
            column = "country" if question.id == "country" else question.id
            rows.append([column, option.value, (option.text or {}).get("en", "")])
    for item in questionnaire.items:
        for option in item.options:
            rows.append([item.id, option.value, (option.text or {}).get("en", "")])
        if item.not_relevant:
            rows.append([item.id, NOT_RELEVANT, "Not relevant to our business"])
    rows.append(["round", "T0, T1, T2…", "T0 is the intake assessment, T1 the first follow-up"])
    return ["column", "value", "meaning"], rows
