"""A workshop's group picture: live counts, and per pillar the level distribution and median,
computed only when at least 5 participants have completed (the anonymity floor)."""
from dataclasses import dataclass

from assessment.core import benchmark, scoring
from assessment.org_pointers import pointers_for_org
from assessment.store import workshops


@dataclass
class WorkshopPicture:
    workshop: dict
    counts: dict
    pillars: list        # [(pillar, GroupSummary)] when the floor is met, else []
    common_gaps: list    # [(dimension, firms)] when the floor is met, else []
    shared_names: list   # firm names of participants who chose to share them
    floor: int = benchmark.MIN_GROUP

    @property
    def shows_group(self):
        return bool(self.pillars)


def workshop_picture(db, questionnaire, workshop):
    results = workshops.completed_results(db, workshop["id"])
    pillars, gaps = [], []
    if len(results) >= benchmark.MIN_GROUP:
        pillars = [(p, _pillar_summary(p, results)) for p in questionnaire.pillars]
        pillars = [(p, s) for p, s in pillars if s is not None]
        gaps = _common_gaps(questionnaire, results)
    return WorkshopPicture(workshop=workshop, counts=workshops.counts(db, workshop["id"]),
                           pillars=pillars, common_gaps=gaps,
                           shared_names=workshops.shared_firm_names(db, workshop["id"]))


def _pillar_summary(pillar, results):
    scores = [r["pillars"][pillar.id]["score"] for r in results
              if r["pillars"].get(pillar.id, {}).get("score") is not None]
    try:
        return benchmark.summarise(scores)
    except benchmark.GroupTooSmall:
        return None


def _common_gaps(questionnaire, results):
    firm_gaps = [[d.id for d, _e in scoring.biggest_gaps(questionnaire, result)] for result in results]
    return [(questionnaire.dimension(did), n) for did, n in benchmark.most_common_gaps(firm_gaps)]


def live_data(picture):
    """The dashboard's JSON for the page script: counts, and group figures only above the floor."""
    data = {"counts": picture.counts, "floor": picture.floor, "pillars": []}
    for pillar, summary in picture.pillars:
        data["pillars"].append({"id": pillar.id, "median": summary.median,
                                "distribution": list(summary.distribution), "size": summary.size})
    return data


def workshop_summary_pdf(db, library, questionnaire, workshop, language="en"):
    """The workshop summary PDF: group distribution, most common gaps, pointers for the group."""
    from assessment.core.pdf.workshop_pdf import WorkshopSummary, build_workshop_pdf

    picture = workshop_picture(db, questionnaire, workshop)
    gap_ids = [d.id for d, _n in picture.common_gaps]
    places = group_places(questionnaire, workshops.participant_countries(db, workshop["id"]))
    pointers = pointers_for_org(db, library, workshop["org_id"])  # site-wide + the agency's own
    return build_workshop_pdf(WorkshopSummary(
        questionnaire=questionnaire, title=workshop["title"], held_on=workshop["held_on"],
        counts=picture.counts, pillars=picture.pillars, common_gaps=picture.common_gaps,
        awareness=group_pointers(pointers, "awareness", gap_ids, places),
        financing=group_pointers(pointers, "financing", gap_ids, places), floor=picture.floor,
        language=language, translations=library.translations))


def group_places(questionnaire, countries):
    """The pointer scopes that apply to a group: global, and its members' countries and regions."""
    regions = questionnaire.regions()
    places = {"global"} | {f"country:{c}" for c in countries}
    return places | {f"region:{regions[c]}" for c in countries if regions.get(c)}


def group_pointers(pointers, kind, dimension_ids, places=frozenset({"global"}), limit=6):
    """Pointers of a kind for the group's places that serve most of its common gaps; a country's
    own pointers before its region's, before global ones; general guidance after named sources."""
    specificity = {"country": 0, "region": 1, "global": 2}
    usable = [p for p in pointers if p.kind == kind and p.scope in places]
    ranked = sorted(usable, key=lambda p: (-sum(p.covers(d) for d in dimension_ids),
                                           specificity[p.scope.split(":")[0]], p.generic, p.id))
    return ranked[:limit]
