"""Loading and validating the action and pointer catalogs (see docs/data-format.md)."""
import itertools
import re
from dataclasses import dataclass
from datetime import date

from assessment.core.validation import Problems, as_list

COST_BANDS = ("low", "medium", "high")
EFFORTS = ("low", "medium", "high")
POINTER_TYPES = {
    "awareness": ("demonstration_centre", "science_park", "innovation_lab", "incubator",
                  "training", "knowledge_platform", "productivity_agency", "sector_association"),
    "financing": ("innovation_fund", "development_bank", "donor_programme", "national_programme",
                  "leasing", "credit_line", "guarantee_scheme"),
}
# What form the help takes; money first, so a firm sees plainly whether it must pay it back.
OFFER_TYPES = ("loan", "grant", "guarantee", "leasing", "equity", "advice")
MONEY_OFFERS = ("loan", "grant", "guarantee", "leasing", "equity")
SIZE_BANDS = ("micro", "small", "medium", "large")
STEP_HORIZONS = ("now", "next", "later")
ALL_DIMENSIONS = "*"
URL_PATTERN = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
# A named entry taken from a document rather than a web page cites its paragraph or footnote.
DOCUMENT_CITATION = re.compile(r"\b(para\.|paras\.|footnote)\s*\d+")


def _answers_match(conditions, profile):
    """(question id, answer values) pairs -> for each pair, whether the firm's answer is one of them
    (an unanswered question never matches)."""
    return [profile.get(question) in values for question, values in conditions]


@dataclass(frozen=True)
class Requirement:
    dimension: str
    level: int
    when: tuple = ()  # ((profile question id, answer values), ...): only for firms answering so

    def applies(self, profile):
        """Whether this requirement is one for a firm with this profile."""
        return all(_answers_match(self.when, profile))


@dataclass(frozen=True)
class Evidence:
    text: dict
    source: str


@dataclass(frozen=True)
class Action:
    id: str
    dimension: str
    from_level: int
    to_level: int
    title: dict
    what: dict
    why: dict
    cost_band: str
    effort: str
    retrofit: bool
    requires: tuple
    goals: tuple
    evidence: Evidence | None
    not_for: tuple = ()   # ((profile question id, answer values), ...): firms it is never offered to
    only_for: tuple = ()  # the same, for the only firms it is offered to (a question left unanswered
                          # keeps a firm out of only_for and in reach of not_for)

    def fits(self, profile):
        """Whether the action may be offered to a firm with this profile (it does not, for example,
        recommend what the firm already has)."""
        return all(_answers_match(self.only_for, profile)) and not any(_answers_match(self.not_for, profile))

    @property
    def conditions(self):
        """The profile questions whose answers decide whether the action fits a firm."""
        return {question for question, _values in self.not_for + self.only_for}

    def requirements_for(self, profile):
        """The requirements that apply to this firm, one per dimension (the highest level)."""
        levels = {}
        for requirement in self.requires:
            if requirement.applies(profile):
                levels[requirement.dimension] = max(levels.get(requirement.dimension, 0), requirement.level)
        return tuple(Requirement(dimension, level) for dimension, level in levels.items())


@dataclass(frozen=True)
class Pointer:
    id: str
    kind: str
    type: str
    scope: str
    dimensions: tuple
    name: dict
    description: dict
    source: str
    generic: bool
    url: str | None
    organisation: str | None = None
    offer_type: str | None = None
    eligibility: dict | None = None
    size_bands: tuple = ()      # () = any firm size
    cost_bands: tuple = ()      # () = steps of any cost band
    horizons: tuple = ()        # () = steps of any horizon
    checked: str | None = None  # ISO date the source was last read

    def covers(self, dimension_id):
        return ALL_DIMENSIONS in self.dimensions or dimension_id in self.dimensions

    def fits(self, cost_band=None, horizon=None, size_band=None):
        """Whether the pointer suits a step of this cost band and horizon, for a firm of this size
        (an unknown value never excludes a pointer)."""
        return all(not allowed or value is None or value in allowed
                   for allowed, value in ((self.cost_bands, cost_band), (self.horizons, horizon),
                                          (self.size_bands, size_band)))


def parse_actions(data, source="actions.json"):
    """Validates an action catalog's own rules; cross-checks come in check_actions."""
    return _parse_catalog(data, "actions", _parse_action, source)


def _parse_catalog(data, kind, parse_entry, source):
    """A catalog file's header and its list of entries (under the key ``kind``), every problem
    collected before one DataFileError is raised."""
    problems = Problems(source)
    entries, seen = [], {}
    if problems.check_header(data, kind):
        for raw in as_list(data.get(kind), kind, problems, kind):
            entry = parse_entry(raw, problems, seen)
            if entry:
                entries.append(entry)
    problems.raise_if_any()
    return tuple(entries)


def _parse_action(raw, problems, seen):
    place = f"action {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
    aid = problems.check_id(raw, place, seen)
    if aid is None:
        return None
    for key in ("title", "what", "why"):
        problems.require_text(raw, key, place)
    from_level, to_level = raw.get("from_level"), raw.get("to_level")
    if not (from_level in (0, 1, 2, 3) and to_level == from_level + 1):
        problems.add(place, f"from_level must be 0-3 and to_level one more (found {from_level!r} -> {to_level!r})")
    _check_choice(raw, "cost_band", COST_BANDS, place, problems)
    _check_choice(raw, "effort", EFFORTS, place, problems)
    return Action(
        id=aid, dimension=raw.get("dimension"), from_level=from_level, to_level=to_level,
        title=raw.get("title"), what=raw.get("what"), why=raw.get("why"),
        cost_band=raw.get("cost_band"), effort=raw.get("effort"), retrofit=bool(raw.get("retrofit")),
        requires=_parse_requires(raw.get("requires", []), place, problems),
        goals=tuple(raw.get("goals") or ()), evidence=_parse_evidence(raw.get("evidence"), place, problems),
        not_for=_parse_conditions(raw.get("not_for", {}), '"not_for"', place, problems),
        only_for=_parse_conditions(raw.get("only_for", {}), '"only_for"', place, problems),
    )


def _check_choice(raw, key, allowed, place, problems):
    if raw.get(key) not in allowed:
        problems.add(place, f'{key} must be one of {", ".join(allowed)}, found {raw.get(key)!r}')


def _parse_requires(raw_requires, place, problems):
    if not isinstance(raw_requires, list):
        problems.add(place, '"requires" must be a list')
        return ()
    parsed = []
    for raw in raw_requires:
        level = raw.get("level") if isinstance(raw, dict) else None
        if not isinstance(level, int) or not 1 <= level <= 4 or not isinstance(raw.get("dimension"), str):
            problems.add(place, f'each requirement needs a "dimension" and a "level" 1-4, found {raw!r}')
            continue
        when = _parse_conditions(raw.get("when", {}), f'"when" of the requirement on {raw["dimension"]}',
                                 place, problems)
        parsed.append(Requirement(raw["dimension"], level, when))
    return tuple(parsed)


def _parse_conditions(raw, name, place, problems):
    """{"<profile question id>": ["<answer value>", ...]} -> ((id, values), ...), sorted by id;
    the ids and values are checked against the questionnaire in check_actions."""
    if not isinstance(raw, dict) or any(
            not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values)
            for values in raw.values()):
        problems.add(place, f'{name} must map profile question ids to lists of their answer values, '
                            f'like {{"power_source": ["solar"]}}, found {raw!r}')
        return ()
    return tuple((question, tuple(values)) for question, values in sorted(raw.items()))


def _parse_evidence(raw, place, problems):
    if raw is None:
        return None
    if not isinstance(raw, dict) or not str(raw.get("source") or "").strip():
        problems.add(place, 'evidence needs its "source": no source, no number')
        return None
    problems.require_text(raw, "text", f"{place}, evidence")
    return Evidence(text=raw.get("text"), source=raw["source"])


def parse_pointers(data, source="pointers.json"):
    """Validates a pointer catalog (the shipped one or an agency's own)."""
    return _parse_catalog(data, "pointers", _parse_pointer, source)


def _parse_pointer(raw, problems, seen):
    place = f"pointer {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
    pid = problems.check_id(raw, place, seen)
    if pid is None:
        return None
    problems.require_text(raw, "name", place)
    problems.require_text(raw, "description", place)
    kind = raw.get("kind")
    if kind not in POINTER_TYPES:
        problems.add(place, f'kind must be "awareness" or "financing", found {kind!r}')
    elif raw.get("type") not in POINTER_TYPES[kind]:
        problems.add(place, f'type for {kind} must be one of {", ".join(POINTER_TYPES[kind])}, found {raw.get("type")!r}')
    if not str(raw.get("source") or "").strip():
        problems.add(place, '"source" is required: name where this entry comes from')
    _check_scope(raw.get("scope"), place, problems)
    dimensions = raw.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        problems.add(place, '"dimensions" must list dimension ids, or ["*"] for all')
        dimensions = []
    offer_type = raw.get("offer_type")
    if offer_type is not None and offer_type not in OFFER_TYPES:
        problems.add(place, f'offer_type must be one of {", ".join(OFFER_TYPES)}, found {offer_type!r}')
    if raw.get("eligibility") is not None:
        problems.require_text(raw, "eligibility", place)
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not URL_PATTERN.match(url)):
        problems.add(place, f'url must be a web address starting with http:// or https://, found {url!r}')
    checked = raw.get("checked")
    if checked is not None and _parse_date(checked) is None:
        problems.add(place, f'checked must be a date like "2026-12-02", found {checked!r}')
    return Pointer(id=pid, kind=kind, type=raw.get("type"), scope=raw.get("scope"),
                   dimensions=tuple(dimensions), name=raw.get("name"), description=raw.get("description"),
                   source=raw.get("source"), generic=bool(raw.get("generic")), url=url,
                   organisation=raw.get("organisation"), offer_type=offer_type,
                   eligibility=raw.get("eligibility"),
                   size_bands=_choices(raw, "size_bands", SIZE_BANDS, place, problems),
                   cost_bands=_choices(raw, "cost_bands", COST_BANDS, place, problems),
                   horizons=_choices(raw, "horizons", STEP_HORIZONS, place, problems), checked=checked)


def _choices(raw, key, allowed, place, problems):
    """An optional list of allowed values; absent or empty means "any"."""
    values = raw.get(key, [])
    if not isinstance(values, list) or any(v not in allowed for v in values):
        problems.add(place, f'"{key}" must be a list of {", ".join(allowed)}, found {values!r}')
        return ()
    return tuple(values)


def _parse_date(value):
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _check_scope(scope, place, problems):
    if scope == "global":
        return
    prefix, _, value = (scope or "").partition(":")
    if prefix not in ("region", "country") or not value:
        problems.add(place, f'scope must be "global", "region:<region>" or "country:<code>", found {scope!r}')


def check_actions(actions, questionnaire, source="actions.json"):
    """Cross-checks actions against a questionnaire: known dimensions and goals, every step covered."""
    problems = Problems(source)
    dimensions = {d.id for d in questionnaire.dimensions}
    goals = {o.value for q in questionnaire.profile if q.id == "goals" for o in q.options}
    for action in actions:
        place = f"action {action.id}"
        if action.dimension not in dimensions:
            problems.add(place, f"unknown dimension {action.dimension!r}")
        for requirement in action.requires:
            if requirement.dimension not in dimensions:
                problems.add(place, f"requires unknown dimension {requirement.dimension!r}")
            elif requirement.dimension == action.dimension:
                problems.add(place, "requires its own dimension")
        if unknown := sorted(set(action.goals) - goals):
            problems.add(place, f"unknown goals {unknown}")
        _check_conditions(action, questionnaire, problems)
    covered = {(a.dimension, a.from_level) for a in actions}
    for dimension in sorted(dimensions):
        missing = [f"{lv}->{lv + 1}" for lv in range(4) if (dimension, lv) not in covered]
        if missing:
            problems.add(f"dimension {dimension}", f"no action for step(s) {', '.join(missing)}")
    if not problems.items:
        _check_every_firm_has_a_step(actions, questionnaire, problems)
    problems.raise_if_any()


def _check_conditions(action, questionnaire, problems):
    """"not_for", "only_for" and a requirement's "when" name single-choice profile questions and
    their options."""
    questions = {q.id: q for q in questionnaire.profile}
    named = [('"not_for"', action.not_for), ('"only_for"', action.only_for)] + [
        (f'"when" of the requirement on {r.dimension}', r.when) for r in action.requires]
    for name, conditions in named:
        for question_id, values in conditions:
            question = questions.get(question_id)
            if question is None or question.type != "choice":
                choices = ", ".join(q.id for q in questionnaire.profile if q.type == "choice")
                problems.add(f"action {action.id}", f"{name} names {question_id!r}, which is not a "
                                                    f"single-choice profile question (one of: {choices})")
            elif unknown := [v for v in values if question.option(v) is None]:
                problems.add(f"action {action.id}", f'{name}: values {unknown} are not options of "{question_id}" '
                                                    f'(options: {", ".join(o.value for o in question.options)})')


def _check_every_firm_has_a_step(actions, questionnaire, problems):
    """"not_for" and "only_for" leave some firms out of an action; for every possible answer (and
    for none: an assessment of an older questionnaire that did not ask), each step up of an area
    that applies to the firm must still have an action that fits it."""
    question_ids = sorted({q for a in actions for q in a.conditions})
    options = [[o.value for o in questionnaire.profile_question(q).options] + [None] for q in question_ids]
    for dimension in questionnaire.dimensions:
        for level in range(4):
            candidates = [a for a in actions if a.dimension == dimension.id and a.from_level == level]
            left_out = set()
            for answers in itertools.product(*options):
                profile = dict(zip(question_ids, answers))
                if all(i.is_skipped(profile) for i in dimension.items) or any(a.fits(profile) for a in candidates):
                    continue
                mentioned = set().union(*(a.conditions for a in candidates))
                left_out.add(", ".join(f"{q} is {_answer_name(profile[q])}" for q in question_ids if q in mentioned))
            for firm in sorted(left_out):
                problems.add(f"dimension {dimension.id}", f"no action for step {level}->{level + 1} fits a firm "
                                                          f'whose {firm} (see "not_for" and "only_for")')


def _answer_name(value):
    return "unanswered" if value is None else repr(value)


def check_pointers(pointers, questionnaire, source="pointers.json"):
    """Cross-checks pointers against a questionnaire: known dimensions, regions and countries."""
    problems = Problems(source)
    dimensions = {d.id for d in questionnaire.dimensions}
    regions = questionnaire.regions()
    for pointer in pointers:
        place = f"pointer {pointer.id}"
        if unknown := sorted(set(pointer.dimensions) - dimensions - {ALL_DIMENSIONS}):
            problems.add(place, f"unknown dimensions {unknown}")
        prefix, _, value = (pointer.scope or "").partition(":")
        if prefix == "region" and value not in set(regions.values()):
            problems.add(place, f"unknown region {value!r} (known: {', '.join(sorted(set(regions.values())))})")
        if prefix == "country" and value not in regions:
            problems.add(place, f"unknown country code {value!r}")
    problems.raise_if_any()


def check_named_sources(pointers, source="pointers.json"):
    """The shipped catalog's rule: a named pointer (not generic guidance) says who offers it, where
    that was read and when, and, for money, in what form, so that a firm can find it and apply.
    An agency's own pointers may leave these out (the agency itself is their source)."""
    problems = Problems(source)
    for pointer in pointers:
        if pointer.generic:
            continue
        place = f"pointer {pointer.id}"
        if not str(pointer.organisation or "").strip():
            problems.add(place, '"organisation" is required for a named pointer: who offers it, as they name themselves')
        if pointer.checked is None:
            problems.add(place, '"checked" is required for a named pointer: the date its source was read, like "2026-12-02"')
        if not pointer.url and not DOCUMENT_CITATION.search(pointer.source or ""):
            problems.add(place, '"url" is required for a named pointer: the address of the page where it was read '
                                '(or a "source" citing a document\'s paragraph or footnote)')
        if pointer.kind == "financing" and pointer.offer_type is None:
            problems.add(place, f'"offer_type" is required for named financing: one of {", ".join(OFFER_TYPES)}')
    problems.raise_if_any()
