"""What an export reads of many completed assessments at once: a few scores from each stored result,
and the answers to a few questions, each in the fewest Python steps.

A stored result is about 1,750 characters of JSON, and an export of a 500-firm cohort's assessments
(about 1,000) used to decode every one whole for 28 numbers: 37 of its 47 ms of reading. SQLite's
json_extract with several paths reads each result once and hands back a short array. Answers come
as one JSON array built by SQLite instead of a row, a dict and a json.loads per answer.
"""
import json

# Where a score key's entry sits in a stored result (core/scoring.py writes them).
_SECTIONS = {"overall": "$.overall", "pillar": "$.pillars", "dimension": "$.dimensions"}


def completed_with_scores(db, select, params, score_keys, answers_from, answers_params, question_ids=None):
    """[(assessment row, {score key: (score, level)}, answers)]: the rows of ``select`` (SQL over
    results ``r`` with ``{picked}`` where the scores go), the scores of ``score_keys`` ('overall',
    'pillar:<id>', 'dimension:<id>') picked out of each stored result, and the answers reached by
    ``answers_from`` (see answers_by_assessment), only to ``question_ids`` when given."""
    cursor = db.execute(select.format(picked=_picked_scores_sql("r.scores", score_keys)),
                        [*_score_paths(score_keys), *params])
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, values)) for values in cursor]
    answers = answers_by_assessment(db, answers_from, answers_params, question_ids)
    return [(row, _scores_by_key(score_keys, row.pop("picked")), answers.get(row["id"], {})) for row in rows]


def _score_paths(keys):
    """The JSON paths of each key's score and level, score then level: parameters for
    ``_picked_scores_sql``."""
    paths = []
    for key in keys:
        kind, _, name = key.partition(":")
        entry = _SECTIONS[kind] + (f'."{name}"' if name else "")  # quoted: an id is never read as a path
        paths += [entry + ".score", entry + ".level"]
    return paths


def _picked_scores_sql(column, keys):
    """SQL for a JSON array of the keys' scores and levels in the stored result ``column``."""
    return f"json_extract({column}, {', '.join('?' * 2 * len(keys))})"


def _scores_by_key(keys, picked):
    """{key: (score, level)} from the array ``_picked_scores_sql`` gave; (None, None) for a key the
    result does not have."""
    values = json.loads(picked)
    return {key: (values[2 * n], values[2 * n + 1]) for n, key in enumerate(keys)}


def answers_by_assessment(db, joins_and_where, params, question_ids=None):
    """{assessment id: {question id: value}} for the answers table ``ans`` reached through
    ``joins_and_where`` (a FROM ... WHERE text); only ``question_ids`` when given."""
    only = ""
    if question_ids is not None:
        only = f" AND ans.question_id IN ({', '.join('?' * len(question_ids))})"
        params = [*params, *question_ids]
    (document,) = db.execute(
        "SELECT json_group_array(json_array(ans.assessment_id, ans.question_id, json(ans.value))) "
        f"{joins_and_where}{only}", params).fetchone()
    answers = {}
    for assessment_id, question_id, value in json.loads(document):
        answers.setdefault(assessment_id, {})[question_id] = value
    return answers
