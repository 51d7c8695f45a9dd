"""Answers + questionnaire -> dimension, pillar and overall scores and levels.

The formula (also in the README and the PDF's method page):
- an item's score is the level (0-4) of the chosen option; "not relevant" answers and items a skip
  rule hides are left out;
- a dimension's score is the mean of its answered items;
- a pillar's score is the weighted mean of its dimensions that have a score; every dimension weighs 1
  except a niche one the questionnaire marks lighter ("weight", e.g. 0.5 for 3D printing), so that an
  area many firms have little use for cannot pull a pillar down as much as a core one;
- the overall score is the mean of the pillars marked "in_overall" (hardware, software,
  connectivity); enablers are reported beside it as readiness;
- a score's level is its whole part (2.75 -> level 2, "Digitised"); percent = score x 25.

Means are exact fractions, so that all-4 answers give exactly 4.0 and rounding never makes a
raised answer look like a lower score.
"""
from fractions import Fraction
from math import floor

from assessment.core.levels import LEVEL_NAMES, TOP_LEVEL
from assessment.core.questionnaire import NOT_RELEVANT
from assessment.core.validation import text_of


class IncompleteAnswers(Exception):
    """Some required item has no answer; ``missing`` lists their ids."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(f"unanswered items: {', '.join(self.missing)}")


def score_assessment(questionnaire, answers, profile=None, require_all=True):
    """Scores one assessment. ``answers`` maps item id -> "0".."4" or "na".

    Returns plain data: {"questionnaire": {...}, "overall": {...}, "pillars": {id: {...}},
    "dimensions": {id: {...}}}; each score entry has score (None when nothing was answered),
    percent, level and answered (item count).
    """
    profile = profile or {}
    if require_all:
        _check_complete(questionnaire, answers, profile)
    dimensions = {d.id: _score_dimension(d, answers, profile) for d in questionnaire.dimensions}
    return _roll_up(questionnaire, dimensions)


def _roll_up(questionnaire, dimensions):
    """Pillar and overall scores from exact dimension entries, as a stored result."""
    pillars = {p.id: _mean_entry([dimensions[d.id] for d in p.dimensions], [d.weight for d in p.dimensions])
               for p in questionnaire.pillars}
    overall = _mean_entry([pillars[p.id] for p in questionnaire.pillars if p.in_overall])
    return {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "overall": _public(overall),
        "pillars": {pid: _public(e) for pid, e in pillars.items()},
        "dimensions": {did: _public(e) for did, e in dimensions.items()},
    }


def _check_complete(questionnaire, answers, profile):
    missing = [i.id for i in questionnaire.items
               if not i.is_skipped(profile) and answers.get(i.id) not in i.allowed_values()]
    if missing:
        raise IncompleteAnswers(missing)


def _score_dimension(dimension, answers, profile):
    levels = [int(answers[i.id]) for i in dimension.items
              if not i.is_skipped(profile) and answers.get(i.id) not in (None, NOT_RELEVANT)
              and answers[i.id] in i.allowed_values()]
    score = Fraction(sum(levels), len(levels)) if levels else None
    return {"exact": score, "answered": len(levels)}


def _mean_entry(entries, weights=None):
    """Weighted mean of the entries that have a score (equal weights when none are given)."""
    weights = [Fraction(str(w)) for w in weights] if weights else [Fraction(1)] * len(entries)
    scored = [(e["exact"], w) for e, w in zip(entries, weights) if e["exact"] is not None]
    total = sum((w for _s, w in scored), Fraction(0))
    score = sum((s * w for s, w in scored), Fraction(0)) / total if scored else None
    return {"exact": score, "answered": sum(e["answered"] for e in entries)}


def _public(entry):
    """Turns an exact entry into stored, JSON-friendly numbers."""
    score = entry["exact"]
    if score is None:
        return {"score": None, "percent": None, "level": None, "answered": entry["answered"]}
    return {
        "score": round(float(score), 2),
        "percent": round(float(score * 25)),
        "level": min(floor(score), TOP_LEVEL),
        "answered": entry["answered"],
    }


def level_name(level, lang="en"):
    """The name of a level, e.g. 0 -> "Analog"."""
    return text_of(LEVEL_NAMES[level], lang)


def ranked_dimensions(questionnaire, result):
    """Scored dimensions as (dimension, entry), lowest score first, questionnaire order on ties."""
    order = {d.id: n for n, d in enumerate(questionnaire.dimensions)}
    scored = [(questionnaire.dimension(did), e) for did, e in result["dimensions"].items()
              if e["score"] is not None and did in order]
    return sorted(scored, key=lambda pair: (pair[1]["score"], order[pair[0].id]))


def biggest_gaps(questionnaire, result, count=3):
    """The lowest-scoring dimensions that are not yet at the top; never a "not relevant" one."""
    return [pair for pair in ranked_dimensions(questionnaire, result)
            if pair[1]["score"] < TOP_LEVEL][:count]


def strongest_areas(questionnaire, result, count=3, exclude=()):
    """The highest-scoring dimensions that have reached at least level 1 (a strength at "Analog"
    would say nothing), leaving out ``exclude`` (e.g. the gaps shown)."""
    ranked = sorted(ranked_dimensions(questionnaire, result), key=lambda pair: -pair[1]["score"])
    return [pair for pair in ranked if pair[1]["level"] >= 1 and pair[0].id not in exclude][:count]


def score_rows(result):
    """(key, score, level) for every scored part of a result: overall, pillar:<id>, dimension:<id>."""
    entries = [("overall", result["overall"])]
    entries += [(f"pillar:{k}", e) for k, e in result["pillars"].items()]
    entries += [(f"dimension:{k}", e) for k, e in result["dimensions"].items()]
    return [(key, e["score"], e["level"]) for key, e in entries if e["score"] is not None]


def combine_results(questionnaire, results):
    """One firm's round from several respondents' results (owner, production manager…).

    A dimension's combined score is the mean of the respondents' scores for it; pillars and overall
    follow from those by the usual formula. ``disagreements`` lists the dimensions where
    respondents' levels differ by more than one level.
    """
    dimensions = {}
    for dimension in questionnaire.dimensions:
        scores = [Fraction(str(r["dimensions"][dimension.id]["score"])) for r in results
                  if r["dimensions"].get(dimension.id, {}).get("score") is not None]
        dimensions[dimension.id] = {"exact": sum(scores, Fraction(0)) / len(scores) if scores else None,
                                    "answered": len(scores)}
    return {**_roll_up(questionnaire, dimensions), "respondents": len(results),
            "disagreements": _disagreements(questionnaire, results)}


def _disagreements(questionnaire, results):
    found = []
    for dimension in questionnaire.dimensions:
        levels = [r["dimensions"][dimension.id]["level"] for r in results
                  if r["dimensions"].get(dimension.id, {}).get("level") is not None]
        if levels and max(levels) - min(levels) > 1:
            found.append({"dimension": dimension.id, "lowest": min(levels), "highest": max(levels)})
    return found
