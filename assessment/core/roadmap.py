"""Scores + firm profile + catalogs -> the next realistic steps, in three horizons, with pointers.

For every scored dimension below the target level, the catalog's action for the step up from the
firm's current level (the best-fitting one; the others are kept as alternatives), among the actions
that fit the firm's profile (an action's "not_for": no solar quotes for a firm that runs on solar).
An action's requirements may depend on the profile too (a requirement's "when": a firm on its own
generator or solar needs steadier power before programmable machines). Then:
- horizon: cheap, quick steps now (0-3 months), medium ones next (3-12 months), costly or long ones
  later (1-3 years); an action never comes before a step it needs, and one whose prerequisite is
  more than one level away waits until "later";
- order: prerequisites first (steps that other steps of this roadmap need), then the goals the firm
  named, then the dimensions most other actions build on (power, internet, skills, records), then
  low cost, low effort and retrofit.
"""
from dataclasses import dataclass, field

HORIZONS = ("now", "next", "later")
HORIZON_NAMES = {"now": {"en": "Now (0-3 months)"}, "next": {"en": "Next (3-12 months)"},
                 "later": {"en": "Later (1-3 years)"}}
RANK = {"low": 0, "medium": 1, "high": 2}
POINTERS_PER_KIND = 2


@dataclass
class Step:
    action: object
    dimension_id: str
    current_level: int
    horizon: str = "now"
    depth: int = 0
    goal_matches: tuple = ()
    needs: list = field(default_factory=list)       # ids of roadmap steps' actions this one waits for
    unmet: list = field(default_factory=list)       # requirements not met by the firm (Requirement)
    alternatives: tuple = ()
    awareness: tuple = ()
    financing: tuple = ()


@dataclass
class Roadmap:
    steps: list
    awareness: tuple
    financing: tuple
    target_level: int

    def by_horizon(self):
        return {h: [s for s in self.steps if s.horizon == h] for h in HORIZONS}


def build_roadmap(questionnaire, result, profile, actions, pointers, target_level=4):
    """The ordered roadmap for one firm (see the module's docstring for the rules)."""
    levels = {did: e["level"] for did, e in result["dimensions"].items()}
    goals = tuple(profile.get("goals") or ())
    fitting = [a for a in actions if a.fits(profile)]
    steps = [_step_for(d, levels[d.id], fitting, goals) for d in questionnaire.dimensions
             if levels.get(d.id) is not None and levels[d.id] < target_level]
    steps = [s for s in steps if s is not None]
    _link_prerequisites(steps, levels, profile)
    _assign_horizons(steps)
    order = {d.id: n for n, d in enumerate(questionnaire.dimensions)}
    foundations = _foundation_counts(fitting, profile)
    needed_by = {id(need): sum(need in s.needs for s in steps) for need in steps}
    steps.sort(key=lambda s: _sort_key(s, result, order, foundations, needed_by))
    scope = _firm_scope(questionnaire, profile)
    # Only pointers of the firm's country, its region or the whole world can be offered: sorting
    # them out once spares checking every other country's pointers against every step.
    pointers = [p for p in pointers if _scope_rank(p, scope) is not None]
    size = profile.get("size_band")
    for step in steps:
        fits = [p for p in pointers if p.fits(step.action.cost_band, step.horizon, size)]
        step.awareness = _pointers_for(fits, "awareness", [step.dimension_id], scope)
        step.financing = _pointers_for(fits, "financing", [step.dimension_id], scope)
    dims = [s.dimension_id for s in steps] or ["*"]
    # The roadmap-wide lists keep a pointer that fits at least one of the firm's steps.
    usable = [p for p in pointers if p.fits(size_band=size)
              and (not steps or any(p.fits(s.action.cost_band, s.horizon) for s in steps))]
    return Roadmap(steps=steps, target_level=target_level,
                   awareness=_pointers_for(usable, "awareness", dims, scope, limit=6),
                   financing=_pointers_for(usable, "financing", dims, scope, limit=6))


def _step_for(dimension, level, actions, goals):
    """The best action for this dimension's next step, with the other candidates as alternatives."""
    candidates = [a for a in actions if a.dimension == dimension.id and a.from_level == level]
    if not candidates:
        return None
    candidates.sort(key=lambda a: (-len(set(a.goals) & set(goals)), RANK[a.cost_band],
                                   RANK[a.effort], not a.retrofit, a.id))
    best = candidates[0]
    return Step(action=best, dimension_id=dimension.id, current_level=level,
                goal_matches=tuple(g for g in goals if g in best.goals),
                alternatives=tuple(candidates[1:]))


def _link_prerequisites(steps, levels, profile):
    """Records which requirements the firm does not meet yet and which roadmap steps meet them."""
    by_dimension = {s.dimension_id: s for s in steps}
    for step in steps:
        for requirement in step.action.requirements_for(profile):
            have = levels.get(requirement.dimension)
            if have is None or have >= requirement.level:
                continue  # met already, or that dimension is not relevant to this firm
            step.unmet.append(requirement)
            helper = by_dimension.get(requirement.dimension)
            if helper is not None:
                step.needs.append(helper)


def base_horizon(action):
    """The horizon a step starts from, before prerequisites push it later."""
    return HORIZONS[_base_horizon(action)]


def pointer_preview(questionnaire, actions, pointers, pointer, scope_country=None):
    """The roadmap steps (catalog actions) a pointer can appear on, for a firm of its scope:
    [(action, horizon, shown)], where ``shown`` says whether it ranks among the step's
    POINTERS_PER_KIND pointers of its kind against ``pointers`` (the others that firm would see).
    The horizon is the step's starting one; prerequisites may move a real firm's step later."""
    regions = questionnaire.regions()
    country = scope_country
    prefix, _, value = (pointer.scope or "").partition(":")
    if prefix == "country":
        country = value
    elif prefix == "region":
        country = country or next((c for c, r in regions.items() if r == value), None)
    scope = {"country": country, "region": regions.get(country)}
    others = [p for p in pointers if p.id != pointer.id]
    size = pointer.size_bands[0] if pointer.size_bands else None
    known = {d.id for d in questionnaire.dimensions}
    preview = []
    for action in sorted(actions, key=lambda a: (a.dimension, a.from_level, a.id)):
        horizon = base_horizon(action)
        if action.dimension not in known or not pointer.covers(action.dimension) \
                or not pointer.fits(action.cost_band, horizon):
            continue
        fitting = [p for p in others if p.fits(action.cost_band, horizon, size)] + [pointer]
        chosen = _pointers_for(fitting, pointer.kind, [action.dimension], scope)
        preview.append((action, horizon, pointer in chosen))
    return preview


def _base_horizon(action):
    if action.cost_band == "high" or action.effort == "high":
        return 2
    if action.cost_band == "medium" or action.effort == "medium":
        return 1
    return 0


def _assign_horizons(steps):
    """Base horizon from cost and effort, then pushed after every step it needs; a requirement more
    than one level away cannot be met within this roadmap's step, so it waits until "later"."""
    horizon = {id(s): _base_horizon(s.action) for s in steps}
    depth = {id(s): 0 for s in steps}
    for s in steps:
        if any(_reachable_level(s, r) < r.level for r in s.unmet):
            horizon[id(s)] = 2
    for _round in range(len(steps)):  # relaxation; capped horizons make it end even on a cycle
        changed = False
        for s in steps:
            for need in s.needs:
                wanted_h = min(2, horizon[id(need)] + 1)
                wanted_d = min(len(steps), depth[id(need)] + 1)
                if wanted_h > horizon[id(s)] or wanted_d > depth[id(s)]:
                    horizon[id(s)] = max(horizon[id(s)], wanted_h)
                    depth[id(s)] = max(depth[id(s)], wanted_d)
                    changed = True
        if not changed:
            break
    for s in steps:
        s.horizon, s.depth = HORIZONS[horizon[id(s)]], depth[id(s)]


def _reachable_level(step, requirement):
    """The level the required dimension reaches through this roadmap (-1 if no step raises it)."""
    helper = next((n for n in step.needs if n.dimension_id == requirement.dimension), None)
    return helper.action.to_level if helper else -1


def _foundation_counts(actions, profile):
    """How many catalog actions need each dimension: power, internet, skills and records rank first
    because everything later builds on them."""
    counts = {}
    for action in actions:
        for requirement in action.requirements_for(profile):
            counts[requirement.dimension] = counts.get(requirement.dimension, 0) + 1
    return counts


def _sort_key(step, result, order, foundations, needed_by):
    action = step.action
    return (HORIZONS.index(step.horizon), step.depth, -needed_by[id(step)], -len(step.goal_matches),
            -foundations.get(step.dimension_id, 0), RANK[action.cost_band],
            RANK[action.effort], not action.retrofit, result["dimensions"][step.dimension_id]["score"],
            order[step.dimension_id])


def _firm_scope(questionnaire, profile):
    country = profile.get("country")
    return {"country": country, "region": questionnaire.regions().get(country)}


def _scope_rank(pointer, scope):
    """0 for the firm's country, 1 for its region, 2 for global; None when it is elsewhere."""
    if pointer.scope == f"country:{scope['country']}":
        return 0
    if scope["region"] and pointer.scope == f"region:{scope['region']}":
        return 1
    return 2 if pointer.scope == "global" else None


def _pointers_for(pointers, kind, dimension_ids, scope, limit=POINTERS_PER_KIND):
    """The most specific pointers of a kind for these dimensions: country, then region, then global;
    a pointer for the exact dimension before a general one."""
    ranked = []
    for pointer in pointers:
        rank = _scope_rank(pointer, scope)
        hits = sum(1 for d in dimension_ids if d in pointer.dimensions)
        if pointer.kind == kind and rank is not None and (hits or "*" in pointer.dimensions):
            ranked.append(((rank, -hits, pointer.generic, pointer.id), pointer))
    ranked.sort(key=lambda pair: pair[0])
    return tuple(p for _key, p in ranked[:limit])
