"""Importing firms, and answers collected on paper or in another tool, from CSV or XLSX tables.

Pure Python: bytes or rows in, checked plain records out. Every problem of a file is collected, each
as (row, column, reason) in plain words, so that the person importing can fix them all at once; a
file with any problem is rejected as a whole (``ImportRejected``).

Row numbers are the ones a spreadsheet shows: the header is row 1, the first data row is row 2.

Firms file: name, country, sector, size_band. Country is an ISO code (KE) or the country's name
(Kenya); sector and size band are the questionnaire's option values (metal) or texts (Metal products
and machinery). The region comes from the questionnaire's country options.

Answers file: firm (a firm of the cohort, by name), round (T0, T1… or 0, 1…), respondent_role
(optional), one column per profile question the firm's record does not already answer (goals as
"cost; energy"), and one per scored item (0-4, or "na" where the item allows "not relevant"; blank
only for items a skip rule hides).
"""
import re
from dataclasses import dataclass

from assessment.core.questionnaire import NOT_RELEVANT
from assessment.core.scoring import IncompleteAnswers, score_assessment
from assessment.core.spreadsheets import RowError, TooManyRows

# Each answers row becomes a scored assessment in its own short write transaction (so that a workshop
# running at the same time is never kept waiting): about 10 ms a row, so at most ~10 s a file.
MAX_ANSWER_ROWS = 1_000
MAX_NAME_LENGTH = 120
MAX_ROLE_LENGTH = 60
MAX_ROUND = 99
DEFAULT_ROLE = "imported"

FIRM_COLUMNS = ("name", "country", "sector", "size_band")
# Profile answers that come from the firm's record, not from the answers file.
FIRM_FIELDS = ("firm_name", "country", "sector", "size_band")
ALIASES = {"firm_name": "firm", "round_no": "round", "role": "respondent_role"}
NOT_RELEVANT_SPELLINGS = {"na", "n/a", "not relevant"}
NOUNS = {"country": "a country of the questionnaire", "sector": "a sector", "size_band": "a size band"}


class ImportRejected(Exception):
    """The file has problems; ``errors`` lists every one of them (nothing may be imported)."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: e.row)  # stable: columns stay in file order
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class FirmRecord:
    row: int
    name: str
    country: str
    sector: str
    size_band: str
    region: str


@dataclass(frozen=True)
class AnswerRecord:
    row: int
    firm_id: int
    round_no: int
    respondent_role: str
    answers: dict  # question id -> stored value (profile and items), firm fields included


# --- checking columns ---------------------------------------------------------------------------

def _check_columns(table, required, optional=()):
    """Row-1 problems: unknown, duplicate and missing columns; returns (errors, {written: canonical})."""
    known = list(required) + list(optional)
    errors, mapping, seen = [], {}, set()
    for written in table.columns:
        alias = ALIASES.get(written)
        canonical = alias if alias in known else written
        if canonical not in known:
            errors.append(RowError(1, written, f"unknown column; the columns are {', '.join(known)}"))
        elif canonical in seen:
            errors.append(RowError(1, written, f"column {canonical} appears twice"))
        else:
            mapping[written] = canonical
        seen.add(canonical)
    for missing in (c for c in required if c not in seen):
        errors.append(RowError(1, missing, "this column is missing; copy the header row from the template"))
    return errors, mapping


def _canonical_rows(table, mapping):
    return [(number, {mapping[k]: v for k, v in cells.items() if k in mapping}) for number, cells in table.rows]


# --- matching values ----------------------------------------------------------------------------

def _normal(text):
    return re.sub(r"\s+", " ", str(text).strip()).casefold()


def option_lookup(question):
    """Normalised value or text (in any language) -> option value."""
    lookup = {}
    for option in question.options:
        for text in (option.text or {}).values():
            lookup.setdefault(_normal(text), option.value)
    for option in question.options:
        lookup[_normal(option.value)] = option.value
    return lookup


def _choices_hint(question):
    if question.id == "country":
        example = question.options[0]
        return (f"use a two-letter ISO code such as {example.value} or an English country name such as "
                f"{example.text.get('en')}; the XLSX template lists them all")
    return "use one of " + ", ".join(o.value for o in question.options)


def _match_option(question, value, number, column, errors):
    found = option_lookup(question).get(_normal(value))
    if found is None:
        noun = NOUNS.get(question.id, f"an answer to {question.id}")
        errors.append(RowError(number, column, f"{value!r} is not {noun}; {_choices_hint(question)}"))
    return found


def _blank(number, column, what, errors):
    errors.append(RowError(number, column, f"empty; fill in {what}"))


# --- firms --------------------------------------------------------------------------------------

def firm_key(name):
    """Names compare without case and extra spaces: "ACME  Ltd" is the same firm as "Acme Ltd"."""
    return _normal(name)


def parse_firms(questionnaire, table, existing_names=()):
    """Checked FirmRecords for every row; raises ImportRejected listing every problem.

    ``existing_names``: names of the cohort's firms already stored (a name may not repeat)."""
    errors, mapping = _check_columns(table, FIRM_COLUMNS)
    errors += table.errors
    if errors:
        raise ImportRejected(errors)
    existing = {firm_key(n) for n in existing_names}
    seen, records = {}, []
    for number, cells in _canonical_rows(table, mapping):
        record = _parse_firm_row(questionnaire, number, cells, errors)
        if record is None:
            continue
        key = firm_key(record.name)
        if key in existing:
            errors.append(RowError(number, "name", f"a firm called {record.name!r} is already in this cohort"))
        elif key in seen:
            errors.append(RowError(number, "name", f"{record.name!r} is also the name in row {seen[key]}; "
                                                   f"each firm may appear only once"))
        seen.setdefault(key, number)
        records.append(record)
    if not errors and not records:
        errors.append(RowError(2, "", "the file has a header but no firms"))
    if errors:
        raise ImportRejected(errors)
    return records


def _parse_firm_row(questionnaire, number, cells, errors):
    before = len(errors)
    name = re.sub(r"\s+", " ", cells["name"]).strip()
    if not name:
        _blank(number, "name", "the firm's name", errors)
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(RowError(number, "name", f"the name is longer than {MAX_NAME_LENGTH} characters"))
    values = {}
    for column in ("country", "sector", "size_band"):
        question = questionnaire.profile_question(column)
        if not cells[column]:
            _blank(number, column, f"the firm's {column.replace('_', ' ')}", errors)
        else:
            values[column] = _match_option(question, cells[column], number, column, errors)
    if len(errors) > before:
        return None
    return FirmRecord(row=number, name=name, region=questionnaire.regions().get(values["country"]) or "global",
                      **values)


# --- answers ------------------------------------------------------------------------------------

def answer_profile_questions(questionnaire):
    """Profile questions the answers file has a column for (the firm's record answers the others)."""
    return [q for q in questionnaire.profile if q.id not in FIRM_FIELDS]


def answer_columns(questionnaire):
    """(required columns, optional columns) of an answers file for this questionnaire."""
    profile = answer_profile_questions(questionnaire)
    required = ["firm", "round"] + [q.id for q in profile if q.required] + [i.id for i in questionnaire.items]
    optional = ["respondent_role"] + [q.id for q in profile if not q.required]
    return required, optional


def all_answer_columns(questionnaire):
    """Every column in template order: firm, round, respondent_role, profile, items."""
    return (["firm", "round", "respondent_role"] + [q.id for q in answer_profile_questions(questionnaire)]
            + [i.id for i in questionnaire.items])


def parse_round(text):
    """T0/t1/0/1 -> 0/1; raises ValueError for anything else."""
    match = re.fullmatch(r"[tT]?\s*(\d{1,2})", text.strip())
    if not match or int(match.group(1)) > MAX_ROUND:
        raise ValueError(text)
    return int(match.group(1))


def parse_answers(questionnaire, table, firms_by_key):
    """Checked AnswerRecords, one completed assessment per row; raises ImportRejected listing every problem.

    ``firms_by_key``: firm_key(name) -> list of the cohort's firm records (dicts with id, name,
    country, sector, size_band) having that name."""
    if len(table.rows) > MAX_ANSWER_ROWS:
        raise TooManyRows(f"the file has {len(table.rows)} rows of answers; import at most {MAX_ANSWER_ROWS} "
                          f"at a time, so split it into several files")
    required, optional = answer_columns(questionnaire)
    errors, mapping = _check_columns(table, required, optional)
    errors += table.errors
    if errors:
        raise ImportRejected(errors)
    records = [r for r in (_parse_answer_row(questionnaire, number, cells, firms_by_key, errors)
                           for number, cells in _canonical_rows(table, mapping)) if r]
    if not errors and not records:
        errors.append(RowError(2, "", "the file has a header but no answers"))
    if errors:
        raise ImportRejected(errors)
    return records


def _parse_answer_row(questionnaire, number, cells, firms_by_key, errors):
    before = len(errors)
    firm = _row_firm(number, cells.get("firm", ""), firms_by_key, errors)
    round_no = _row_round(number, cells.get("round", ""), errors)
    role = cells.get("respondent_role", "").strip() or DEFAULT_ROLE
    if len(role) > MAX_ROLE_LENGTH:
        errors.append(RowError(number, "respondent_role", f"longer than {MAX_ROLE_LENGTH} characters"))
    profile = _row_profile(questionnaire, number, cells, errors)
    items = _row_items(questionnaire, number, cells, profile, errors)
    if len(errors) > before or firm is None:
        return None
    answers = {**_firm_answers(firm), **profile, **items}
    return AnswerRecord(row=number, firm_id=firm["id"], round_no=round_no, respondent_role=role, answers=answers)


def _firm_answers(firm):
    return {"firm_name": firm["name"], "country": firm["country"], "sector": firm["sector"],
            "size_band": firm["size_band"]}


def _row_firm(number, name, firms_by_key, errors):
    if not name.strip():
        _blank(number, "firm", "the name of a firm of this cohort", errors)
        return None
    found = firms_by_key.get(firm_key(name), [])
    if not found:
        errors.append(RowError(number, "firm", f"{name.strip()!r} is not a firm of this cohort; import or add "
                                               f"the firm first, or check the spelling"))
        return None
    if len(found) > 1:
        errors.append(RowError(number, "firm", f"{len(found)} firms of this cohort are called {name.strip()!r}; "
                                               f"rename them so that each name is used once"))
        return None
    return found[0]


def _row_round(number, text, errors):
    if not text.strip():
        _blank(number, "round", "the round, for example T0 for the intake or T1 for the first follow-up", errors)
        return None
    try:
        return parse_round(text)
    except ValueError:
        errors.append(RowError(number, "round", f"{text!r} is not a round; write T0, T1, T2… (or 0, 1, 2…)"))
        return None


def _row_profile(questionnaire, number, cells, errors):
    profile = {}
    for question in answer_profile_questions(questionnaire):
        text = cells.get(question.id, "").strip()
        if not text:
            if question.required:
                _blank(number, question.id, _profile_hint(question), errors)
            continue
        value = _profile_value(question, text, number, errors)
        if value is not None:
            profile[question.id] = value
    return profile


def _profile_hint(question):
    if question.type == "text":
        return "an answer"
    if question.type == "multi":
        return (f"up to {question.max_choices} of {', '.join(o.value for o in question.options)}, "
                f"separated by ';'")
    return "one of " + ", ".join(o.value for o in question.options)


def _profile_value(question, text, number, errors):
    if question.type == "text":
        if len(text) > question.max_length:
            errors.append(RowError(number, question.id, f"longer than {question.max_length} characters"))
            return None
        return text
    if question.type == "choice":
        return _match_option(question, text, number, question.id, errors)
    return _multi_value(question, text, number, errors)


def _multi_value(question, text, number, errors):
    parts = [p.strip() for p in text.split(";") if p.strip()]
    before = len(errors)
    values = [_match_option(question, p, number, question.id, errors) for p in parts]
    if len(errors) > before:
        return None
    values = list(dict.fromkeys(values))
    if len(values) > question.max_choices:
        errors.append(RowError(number, question.id, f"{len(values)} choices; name at most {question.max_choices}, "
                                                    f"separated by ';'"))
        return None
    alone = [o.value for o in question.options if o.exclusive and o.value in values]
    if alone and len(values) > 1:
        errors.append(RowError(number, question.id, f"{alone[0]} cannot be named together with other choices"))
        return None
    return values


def _row_items(questionnaire, number, cells, profile, errors):
    answers, missing = {}, []
    for item in questionnaire.items:
        text = cells.get(item.id, "").strip()
        skipped = item.is_skipped(profile)
        if not text:
            if not skipped:
                missing.append(item.id)
            continue
        if skipped:
            rule = item.skip_if
            errors.append(RowError(number, item.id, f"this item does not apply when {rule['question']} is "
                                                    f"{' or '.join(rule['any_of'])}; leave it blank"))
            continue
        value = _item_value(item, text, number, errors)
        if value is not None:
            answers[item.id] = value
    if missing:
        errors.append(RowError(number, ", ".join(missing),
                               "incomplete answers: no answer given; every item needs 0-4 (or na where the item "
                               "allows 'not relevant'), only items hidden by a skip rule may stay blank"))
    return answers


def _item_value(item, text, number, errors):
    value = NOT_RELEVANT if text.lower() in NOT_RELEVANT_SPELLINGS else text
    if value in item.allowed_values():
        return value
    levels = [o.value for o in item.options]
    allowed = ", ".join(levels[:-1]) + f" or {levels[-1]}"
    if value == NOT_RELEVANT:
        errors.append(RowError(number, item.id, f"this item cannot be 'not relevant' (na); use {allowed}"))
    else:
        hint = f"{allowed}, or na if it is not relevant" if item.not_relevant else allowed
        errors.append(RowError(number, item.id, f"{text!r} is not an answer; use {hint}"))
    return None


def check_scorable(questionnaire, records):
    """A last check that every record scores as a complete assessment (it always should)."""
    errors = []
    for record in records:
        try:
            score_assessment(questionnaire, record.answers,
                             {q.id: record.answers[q.id] for q in questionnaire.profile if q.id in record.answers})
        except IncompleteAnswers as exc:
            errors.append(RowError(record.row, ", ".join(exc.missing), "incomplete answers"))
    if errors:
        raise ImportRejected(errors)
