"""Loading and validating the action and pointer catalogs (see docs/data-format.md)."""
from dataclasses import dataclass

from assessment.core.validation import Problems, as_list

COST_BANDS = ("low", "medium", "high")
EFFORTS = ("low", "medium", "high")
POINTER_TYPES = {
    "awareness": ("demonstration_centre", "science_park", "innovation_lab", "incubator",
                  "training", "knowledge_platform"),
    "financing": ("innovation_fund", "development_bank", "donor_programme", "national_programme",
                  "leasing", "credit_line"),
}
ALL_DIMENSIONS = "*"


@dataclass(frozen=True)
class Requirement:
    dimension: str
    level: int


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

    def covers(self, dimension_id):
        return ALL_DIMENSIONS in self.dimensions or dimension_id in self.dimensions


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
        parsed.append(Requirement(raw["dimension"], level))
    return tuple(parsed)


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
    return Pointer(id=pid, kind=kind, type=raw.get("type"), scope=raw.get("scope"),
                   dimensions=tuple(dimensions), name=raw.get("name"), description=raw.get("description"),
                   source=raw.get("source"), generic=bool(raw.get("generic")), url=raw.get("url"))


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
    covered = {(a.dimension, a.from_level) for a in actions}
    for dimension in sorted(dimensions):
        missing = [f"{lv}->{lv + 1}" for lv in range(4) if (dimension, lv) not in covered]
        if missing:
            problems.add(f"dimension {dimension}", f"no action for step(s) {', '.join(missing)}")
    problems.raise_if_any()


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
