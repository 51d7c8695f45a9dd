"""Which answers of a firm's last round still hold in a new round, possibly on a newer questionnaire.

An item carries over when it asks the same thing: same id, same question, same options (levels and
English wording), same "not relevant" answer and skip rule. A new help text or term explanation does not
change what an answer means, so it does not stop the carry-over. Profile answers carry over when they are
still options of the question (the firm's own record fills firm_name, country, sector and size). Changed
and new items start empty, so the respondent answers them afresh (questionnaires/CHANGELOG.md).
"""


def _english(text):
    return (text or {}).get("en") if isinstance(text, dict) else text


def item_meaning(item):
    """What an answer to this item means; two items with equal meanings take the same answers."""
    return (_english(item.text), tuple((o.level, _english(o.text)) for o in item.options),
            item.not_relevant, _english(item.not_relevant_text), repr(item.skip_if))


def unchanged_items(previous, current):
    """Ids of the current questionnaire's items that ask exactly what they asked in ``previous``."""
    before = {i.id: item_meaning(i) for i in previous.items}
    return [i.id for i in current.items if before.get(i.id) == item_meaning(i)]


def carried_answers(previous, current, answers):
    """The answers (question id -> stored value) of an earlier assessment on ``previous`` that still
    hold on ``current``."""
    carried = {item_id: answers[item_id] for item_id in unchanged_items(previous, current) if item_id in answers}
    for question in current.profile:
        value = answers.get(question.id)
        if value in (None, "", []):
            continue
        if question.type == "text":
            carried[question.id] = value
        elif question.type == "multi":
            kept = [v for v in value if question.option(v)] if isinstance(value, list) else []
            if kept:
                carried[question.id] = kept
        elif question.option(value):
            carried[question.id] = value
    return carried
