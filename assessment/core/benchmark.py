"""Group statistics with the anonymity floor: nothing is computed for fewer than 5 firms."""
import statistics
from dataclasses import dataclass

MIN_GROUP = 5
LEVEL_COUNT = 5


class GroupTooSmall(Exception):
    """Fewer firms than the anonymity floor; ``size`` says how many there are."""

    def __init__(self, size):
        self.size = size
        super().__init__(f"group of {size} is below the floor of {MIN_GROUP}")


@dataclass(frozen=True)
class GroupSummary:
    size: int
    median: float
    q1: float
    q3: float
    distribution: tuple  # firms at level 0, 1, 2, 3, 4


def check_floor(size):
    if size < MIN_GROUP:
        raise GroupTooSmall(size)


def summarise(scores):
    """Median, quartiles and level distribution of a group's scores (0-4).

    :raise GroupTooSmall: for fewer than MIN_GROUP scores.
    """
    scores = sorted(scores)
    check_floor(len(scores))
    q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return GroupSummary(size=len(scores), median=round(median, 2), q1=round(q1, 2), q3=round(q3, 2),
                        distribution=level_distribution(scores))


def level_distribution(scores):
    counts = [0] * LEVEL_COUNT
    for score in scores:
        counts[min(int(score), LEVEL_COUNT - 1)] += 1
    return tuple(counts)


def percentile_rank(value, group_scores):
    """Share of the group (0-100) scoring at or below ``value``; the floor applies to the group."""
    check_floor(len(group_scores))
    at_or_below = sum(1 for s in group_scores if s <= value)
    return round(100 * at_or_below / len(group_scores))


def most_common_gaps(firm_gaps, count=5):
    """Dimension ids most often among firms' biggest gaps: [(dimension id, firms)], most first.

    ``firm_gaps`` is one list of gap dimension ids per firm; the floor applies to the firm count.
    """
    check_floor(len(firm_gaps))
    tally = {}
    for gaps in firm_gaps:
        for dimension_id in gaps:
            tally[dimension_id] = tally.get(dimension_id, 0) + 1
    return sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))[:count]
