"""Programme views: a cohort's group picture and one firm's picture over time and against peers."""
from dataclasses import dataclass

from assessment.core.paging import paging
from assessment.core.roadmap import build_roadmap
from assessment.core.scoring import combine_results
from assessment.org_pointers import pointers_for_org
from assessment.store import benchmarks, firms
from assessment.workshop_report import group_places, group_pointers


@dataclass
class CohortPicture:
    cohort: dict
    questionnaire: object
    summaries: dict        # key -> GroupSummary (only groups of >= 5 firms)
    movement: dict         # key -> (firms, improved, median change) from T0 to T1
    common_gaps: list      # [(Dimension, firms)]
    activities: dict       # {"awareness": [...], "financing": [...]} for the common gaps
    table: list            # firms with their latest scores
    sort: str
    descending: bool
    round_versions: dict = None  # round_no -> questionnaire versions of its results
    firm_count: int = 0          # all the cohort's firms
    listing: object = None       # FirmListing when ``table`` is one page of the firm list

    @property
    def movement_versions(self):
        """"T0: 1.0.0; T1: 1.1.0" when T0 and T1 were answered on different versions, else None."""
        return versions_compared(self.round_versions or {}, (0, 1))


def versions_compared(round_versions, round_nos):
    """"T0: 1.0.0; T1: 1.1.0" when the compared rounds' results come from more than one questionnaire
    version (some questions changed between them), else None."""
    compared = {n: round_versions[n] for n in round_nos if n in round_versions}
    if len({v for versions in compared.values() for v in versions}) < 2:
        return None
    return "; ".join(f"T{n}: {', '.join(versions)}" for n, versions in compared.items())


def table_keys(questionnaire):
    return ["overall"] + [f"pillar:{p.id}" for p in questionnaire.pillars]


@dataclass
class FirmListing:
    """One page of a cohort's firm list, and the name search that narrowed it."""
    paging: object          # core.paging.Paging
    name_part: str | None


def cohort_picture(db, library, questionnaire, cohort, sort="name", descending=False, paged=False, page=None,
                   name_part=None):
    """The cohort's group figures and its firm list: all firms (the PDF report), or with ``paged``
    the page ``page`` (query-string text) of the firms whose name contains ``name_part``.
    :raise PageNumberInvalid, PageOutOfRange: (core.paging) for a page that is not there."""
    keys = table_keys(questionnaire)
    firm_count = benchmarks.cohort_firm_count(db, cohort["id"])
    listing, bounds = None, {}
    if paged:
        total = firm_count if not name_part else benchmarks.cohort_firm_count(db, cohort["id"], name_part)
        listing = FirmListing(paging(page, total), name_part or None)
        bounds = {"limit": listing.paging.size, "offset": listing.paging.offset}
    gaps = [(questionnaire.dimension(d), n) for d, n in benchmarks.cohort_common_gaps(db, cohort["id"])]
    return CohortPicture(
        cohort=cohort, questionnaire=questionnaire,
        summaries=benchmarks.cohort_summaries(db, cohort["id"]),
        movement=benchmarks.cohort_movement(db, cohort["id"]), common_gaps=gaps,
        activities=_group_activities(db, library, questionnaire, cohort, gaps),
        table=benchmarks.cohort_table(db, cohort["id"], keys, sort, descending, name_part, **bounds),
        sort=sort if sort in keys else "name", descending=descending,
        round_versions=firms.round_versions(db, cohort_id=cohort["id"]), firm_count=firm_count, listing=listing)


def _group_activities(db, library, questionnaire, cohort, gaps):
    """{"awareness": [...], "financing": [...]}: pointers for the common gaps, where the firms are."""
    if not gaps:
        return {"awareness": [], "financing": []}
    places = group_places(questionnaire, benchmarks.cohort_countries(db, cohort["id"]))
    pointers = pointers_for_org(db, library, cohort["org_id"])  # site-wide + the agency's own
    gap_ids = [d.id for d, _n in gaps]
    return {kind: group_pointers(pointers, kind, gap_ids, places) for kind in ("awareness", "financing")}


@dataclass
class FirmPicture:
    firm: dict
    questionnaire: object
    rounds: dict            # round_no -> {key: (score, level)}
    latest: dict | None     # combined result of the latest round (with disagreements)
    roadmap: object | None
    action_status: dict
    peers: tuple | None     # (group description, size, {key: (score, percentile)})
    assessments: list
    round_versions: dict = None  # round_no -> questionnaire versions of its results

    @property
    def compared_versions(self):
        """"T0: 1.0.0; T2: 1.1.0" when the first and latest rounds used different versions, else None."""
        if not self.rounds:
            return None
        return versions_compared(self.round_versions or {}, (min(self.rounds), max(self.rounds)))


def firm_picture(db, library, questionnaire, firm):
    rounds = firms.round_scores(db, firm["id"])
    latest, roadmap = None, None
    if rounds:
        latest_round = max(rounds)
        latest = combine_results(questionnaire, firms.completed_results_of_round(db, firm["id"], latest_round))
        profile = {"country": firm["country"], "size_band": firm["size_band"],
                   "goals": firms.goals_of_round(db, firm["id"], latest_round)}
        pointers = pointers_for_org(db, library, firm["org_id"])  # site-wide + the agency's own
        roadmap = build_roadmap(questionnaire, latest, profile, library.actions, pointers)
    return FirmPicture(firm=firm, questionnaire=questionnaire, rounds=rounds, latest=latest, roadmap=roadmap,
                       action_status=firms.action_statuses(db, firm["id"]),
                       peers=benchmarks.peer_benchmark(db, firm) if rounds else None,
                       assessments=firms.firm_assessments(db, firm["id"]),
                       round_versions=firms.round_versions(db, firm_id=firm["id"]))
