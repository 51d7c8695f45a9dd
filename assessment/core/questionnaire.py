"""Loading and validating questionnaire files into plain, immutable objects.

A questionnaire has a firm profile (unscored) and pillars -> dimensions -> items (scored 0-4).
See docs/data-format.md for the file format and the rules checked here.
"""
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from assessment.core.validation import Problems, as_list, read_json, text_of

LEVELS = range(0, 5)
NOT_RELEVANT = "na"
PROFILE_TYPES = ("text", "choice", "multi")


@dataclass(frozen=True)
class Option:
    value: str
    text: dict
    level: int | None = None
    region: str | None = None
    exclusive: bool = False  # a multi-choice option that cannot be chosen with others ("None of these")


@dataclass(frozen=True)
class ProfileQuestion:
    id: str
    type: str
    text: dict
    help: dict | None
    required: bool
    options: tuple = ()
    max_choices: int = 1
    max_length: int = 200

    def option(self, value):
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Term:
    term: dict
    explanation: dict


@dataclass(frozen=True)
class Item:
    id: str
    dimension_id: str
    text: dict
    help: dict | None
    terms: tuple
    not_relevant: bool
    skip_if: dict | None
    options: tuple
    not_relevant_text: dict | None = None  # the item's own wording of "we have no use for this"

    def allowed_values(self):
        """Answer values this item accepts: its levels as strings, and "na" where offered."""
        values = [o.value for o in self.options]
        return values + [NOT_RELEVANT] if self.not_relevant else values

    def is_skipped(self, profile):
        """True when the firm profile makes this item not apply (a skip rule)."""
        if not self.skip_if:
            return False
        answer = profile.get(self.skip_if["question"])
        answers = answer if isinstance(answer, list) else [answer]
        return any(a in self.skip_if["any_of"] for a in answers)


@dataclass(frozen=True)
class Dimension:
    id: str
    pillar_id: str
    title: dict
    sources: tuple
    items: tuple
    weight: float = 1  # share in its pillar's weighted mean (a niche area weighs less)


@dataclass(frozen=True)
class Pillar:
    id: str
    title: dict
    intro: dict | None
    in_overall: bool
    dimensions: tuple

    @cached_property  # frozen: computed once per parsed version (cached_property writes __dict__ directly)
    def items(self):
        return tuple(i for d in self.dimensions for i in d.items)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: dict
    profile_title: dict
    profile_intro: dict | None
    profile: tuple
    pillars: tuple
    raw: dict = field(repr=False, compare=False)

    @cached_property  # frozen, like every part of a parsed version: computed once
    def dimensions(self):
        return tuple(d for p in self.pillars for d in p.dimensions)

    @cached_property
    def items(self):
        return tuple(i for p in self.pillars for i in p.items)

    @cached_property
    def page_ids(self):
        """Pages of the respondent's way through: the profile first, then one per pillar."""
        return ("profile",) + tuple(p.id for p in self.pillars)

    @property
    def digest(self):
        """A fingerprint of the content, to catch a file edited without a new version."""
        canonical = json.dumps(self.raw, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def pillar(self, pillar_id):
        return next(p for p in self.pillars if p.id == pillar_id)

    def dimension(self, dimension_id):
        return next(d for d in self.dimensions if d.id == dimension_id)

    def profile_question(self, question_id):
        return next(q for q in self.profile if q.id == question_id)

    def profile_option(self, question_id, value):
        """The option ``value`` of the profile question ``question_id``; None when the value is
        empty or either is unknown (a code from another version, say)."""
        question = next((q for q in self.profile if q.id == question_id), None)
        return question.option(value) if question and value else None

    def regions(self):
        """Country code -> region, from the options of the "country" profile question."""
        country = next((q for q in self.profile if q.id == "country"), None)
        return {o.value: o.region for o in country.options} if country else {}


def load_questionnaire(path):
    """Reads and validates one questionnaire file; raises DataFileError naming every mistake."""
    return parse_questionnaire(read_json(path), source=Path(path).name)


def parse_questionnaire(data, source="<questionnaire>"):
    """Validates questionnaire data (already parsed JSON) and builds a Questionnaire."""
    problems = Problems(source)
    if problems.check_header(data, "questionnaire"):
        problems.require_text(data, "title", "title")
        seen = {}
        profile = _parse_profile(data.get("profile"), problems, seen)
        pillars = _parse_pillars(data.get("pillars"), problems, seen)
        _check_skip_rules(pillars, profile, problems)
    problems.raise_if_any()
    return Questionnaire(
        id=data["id"], version=data["version"], title=data["title"],
        profile_title=data["profile"]["title"], profile_intro=data["profile"].get("intro"),
        profile=profile, pillars=pillars, raw=data,
    )


def _parse_profile(profile, problems, seen):
    if not isinstance(profile, dict):
        problems.add("profile", 'a "profile" section with "title" and "questions" is required')
        return ()
    problems.require_text(profile, "title", "profile")
    questions = as_list(profile.get("questions"), "profile", problems, "questions")
    return tuple(q for q in (_parse_profile_question(q, problems, seen) for q in questions) if q)


def _parse_profile_question(raw, problems, seen):
    place = f"profile question {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
    qid = problems.check_id(raw, place, seen)
    if qid is None:
        return None
    problems.require_text(raw, "text", place)
    qtype = raw.get("type")
    if qtype not in PROFILE_TYPES:
        problems.add(place, f'type must be one of {", ".join(PROFILE_TYPES)}, found {qtype!r}')
        return None
    options = ()
    if qtype != "text":
        options = _parse_profile_options(raw.get("options"), place, problems)
    max_choices = raw.get("max_choices", 1)
    if qtype == "multi" and (not isinstance(max_choices, int) or max_choices < 1):
        problems.add(place, f"max_choices must be a whole number of at least 1, found {max_choices!r}")
    return ProfileQuestion(
        id=qid, type=qtype, text=raw.get("text"), help=raw.get("help"),
        required=bool(raw.get("required", True)), options=options,
        max_choices=max_choices if isinstance(max_choices, int) else 1,
        max_length=int(raw.get("max_length", 200)),
    )


def _parse_profile_options(raw_options, place, problems):
    options = as_list(raw_options, place, problems, "options")
    if options and len(options) < 2:
        problems.add(place, "needs at least two options")
    values, parsed = set(), []
    for index, raw in enumerate(options, start=1):
        value = raw.get("value") if isinstance(raw, dict) else None
        opt_place = f"{place}, option {value or index}"
        if not isinstance(value, str) or not value:
            problems.add(opt_place, 'option needs a "value"')
            continue
        if value in values:
            problems.add(opt_place, f'duplicate option value "{value}"')
        values.add(value)
        problems.require_text(raw, "text", opt_place)
        parsed.append(Option(value=value, text=raw.get("text"), region=raw.get("region"),
                             exclusive=raw.get("exclusive") is True))
    return tuple(parsed)


def _parse_pillars(raw_pillars, problems, seen):
    pillars = []
    for raw in as_list(raw_pillars, "pillars", problems, "pillars"):
        place = f"pillar {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
        pid = problems.check_id(raw, place, seen)
        if pid is None:
            continue
        problems.require_text(raw, "title", place)
        dims = tuple(
            d for d in (_parse_dimension(d, pid, problems, seen)
                        for d in as_list(raw.get("dimensions"), place, problems, "dimensions")) if d
        )
        pillars.append(Pillar(id=pid, title=raw.get("title"), intro=raw.get("intro"),
                              in_overall=bool(raw.get("in_overall", True)), dimensions=dims))
    if pillars and not any(p.in_overall for p in pillars):
        problems.add("pillars", 'at least one pillar must have "in_overall": true')
    return tuple(pillars)


def _parse_dimension(raw, pillar_id, problems, seen):
    place = f"dimension {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
    did = problems.check_id(raw, place, seen)
    if did is None:
        return None
    problems.require_text(raw, "title", place)
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        problems.add(place, '"sources" must list the report paragraph(s) it rests on')
        sources = []
    items = tuple(
        i for i in (_parse_item(i, did, problems, seen)
                    for i in as_list(raw.get("items"), place, problems, "items")) if i
    )
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
        problems.add(place, f"weight must be a number above 0 and at most 1, found {weight!r}")
        weight = 1
    return Dimension(id=did, pillar_id=pillar_id, title=raw.get("title"),
                     sources=tuple(sources), items=items, weight=weight)


def _parse_item(raw, dimension_id, problems, seen):
    place = f"item {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
    iid = problems.check_id(raw, place, seen)
    if iid is None:
        return None
    problems.require_text(raw, "text", place)
    not_relevant = raw.get("not_relevant", False)
    if isinstance(not_relevant, dict):
        problems.require_text(raw, "not_relevant", place)
    elif not isinstance(not_relevant, bool):
        problems.add(place, f'"not_relevant" must be true, false or a text, found {not_relevant!r}')
    return Item(
        id=iid, dimension_id=dimension_id, text=raw.get("text"), help=raw.get("help"),
        terms=_parse_terms(raw.get("terms", []), place, problems),
        not_relevant=bool(not_relevant), skip_if=raw.get("skip_if"),
        options=_parse_levels(raw.get("options"), place, problems),
        not_relevant_text=not_relevant if isinstance(not_relevant, dict) else None,
    )


def _parse_terms(raw_terms, place, problems):
    if not isinstance(raw_terms, list):
        problems.add(place, '"terms" must be a list')
        return ()
    for index, raw in enumerate(raw_terms, start=1):
        problems.require_text(raw, "term", f"{place}, term {index}")
        problems.require_text(raw, "explanation", f"{place}, term {index}")
    return tuple(Term(r.get("term"), r.get("explanation")) for r in raw_terms if isinstance(r, dict))


def _parse_levels(raw_options, place, problems):
    options = as_list(raw_options, place, problems, "options")
    if options and len(options) < 2:
        problems.add(place, "needs at least two options")
    parsed = []
    for index, raw in enumerate(options, start=1):
        opt_place = f"{place}, option {index}"
        level = raw.get("level") if isinstance(raw, dict) else None
        if level is None:
            problems.add(opt_place, 'option has no "level" (a whole number 0-4)')
            continue
        if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
            problems.add(opt_place, f"level {level!r} is outside 0-4")
            continue
        problems.require_text(raw, "text", opt_place)
        parsed.append(Option(value=str(level), text=raw.get("text"), level=level))
    levels = [o.level for o in parsed]
    if len(set(levels)) != len(levels):
        problems.add(place, f"two options share a level ({levels})")
    elif levels != sorted(levels):
        problems.add(place, f"options must be listed from the lowest level to the highest ({levels})")
    return tuple(parsed)


def _check_skip_rules(pillars, profile, problems):
    """Skip rules may only name profile questions, so raising a scored answer never hides an item."""
    questions = {q.id: q for q in profile}
    for item in (i for p in pillars for i in p.items):
        rule = item.skip_if
        if rule is None:
            continue
        place = f"item {item.id}, skip_if"
        target = rule.get("question") if isinstance(rule, dict) else None
        if target not in questions:
            problems.add(place, f"points at unknown profile question {target!r}")
            continue
        values = rule.get("any_of")
        known = {o.value for o in questions[target].options}
        if not isinstance(values, list) or not values:
            problems.add(place, '"any_of" must list answer values')
        elif unknown := [v for v in values if v not in known]:
            problems.add(place, f'values {unknown} are not options of "{target}"')


def title_of(obj, lang="en"):
    """Display title of any questionnaire part in a language (English fallback)."""
    return text_of(getattr(obj, "title", None) or getattr(obj, "text", None), lang)
