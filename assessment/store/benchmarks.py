"""Group figures computed in SQL over the indexed firm_scores table, never for fewer than 5 firms.

firm_scores holds each firm's combined result per round, one row per key ("overall",
"pillar:<id>", "dimension:<id>"), with the firm's peer-group columns copied in, so that every
count below is an index range scan rather than a pass over all rows in Python.

How each figure stays fast at 1,000,000 assessments, 5,000 firms a cohort (bench/benchmark_scale.py):
- a cohort's medians, quartiles and levels (latest round) and its T0-T1 movement come from
  cohort_score_counts and cohort_movement_counts, histograms kept by triggers on firm_scores
  (migration m010): a few hundred rows per cohort, whatever its size;
- the firm list is read a page at a time: in name order straight from idx_firms_cohort_name, or by
  a score with one idx_firm_scores_firm_key lookup per firm of the cohort; only the page's firms
  get their columns;
- other cohort figures read the cohort's firms through idx_firms_cohort_name and their rows through
  firm_scores' primary key or idx_firm_scores_firm_latest (both firm_id first); the join order is
  fixed (CROSS JOIN, and a unary + on firm_scores' columns where a key-first index would otherwise
  be chosen, which would read every firm's row for that key);
- the most common gaps read each firm's lowest dimensions from idx_firm_scores_firm_latest (in
  score order, LIMIT per firm), instead of ranking all the cohort's rows with a window function;
- medians and quartiles come from a histogram (firms per key and score, counted or aggregated in
  SQL); the quantiles are interpolated from its cumulative counts, so what leaves the database is
  bounded by the score resolution (at most 401 values from 0.00 to 4.00 per key), not by the
  number of firms;
- peer percentiles are two index range counts per key: within a sector/size band/country or region
  group through idx_firm_scores_peer and idx_firm_scores_peer_region; against all firms through
  firm_score_counts (firms per key and score, kept up to date by triggers on firm_scores), so that
  no page counts every firm row by row.
"""
from assessment.core.benchmark import MIN_GROUP, LEVEL_COUNT, GroupSummary

QUARTERS = (1, 2, 3)  # q1, median, q3

# Peer groups from narrow to wide: the first with enough firms is used.
PEER_LEVELS = (
    ("sector, size band and country", ("sector", "size_band", "country")),
    ("sector, size band and region", ("sector", "size_band", "region")),
    ("all firms", ()),
)

# A cohort's firms, then each firm's rows by the primary key (firm_id, round_no, key).
COHORT_ROWS = "FROM firms f CROSS JOIN firm_scores s ON s.firm_id = f.id"
DIMENSION_KEYS = "+s.key BETWEEN 'dimension:' AND 'dimension;'"  # every key that starts "dimension:"


def cohort_summaries(db, cohort_id, round_no=None):
    """key -> GroupSummary over the cohort's firms (their latest round, or ``round_no``); keys with
    fewer than MIN_GROUP firms are left out."""
    if round_no is None:  # the trigger-kept histogram: a few hundred rows, whatever the cohort's size
        sql = ("SELECT key, score AS value, level, firms FROM cohort_score_counts WHERE cohort_id = ? "
               "ORDER BY key, score, level")
        histograms = _histograms(db, sql, [cohort_id])
    else:
        where, params = _cohort_filter(cohort_id, round_no)
        histograms = _histograms(db, f"SELECT s.key, s.score AS value, s.level, count(*) AS firms {COHORT_ROWS} "
                                     f"WHERE {where} GROUP BY s.key, s.score, s.level ORDER BY s.key, s.score",
                                 params)
    return {key: _summary(rows) for key, rows in histograms.items() if _size(rows) >= MIN_GROUP}


def _cohort_filter(cohort_id, round_no):
    if round_no is None:
        return "f.cohort_id = ? AND +s.is_latest = 1", [cohort_id]
    return "f.cohort_id = ? AND +s.round_no = ?", [cohort_id, round_no]


def _histograms(db, sql, params):
    """key -> [row] from a query of (key, value, …, firms) ordered by key and value."""
    histograms = {}
    for row in db.query(sql, params):
        histograms.setdefault(row["key"], []).append(row)
    return histograms


def _size(histogram):
    return sum(row["firms"] for row in histogram)


def _value_at(histogram, rank):
    """The rank-th smallest value (1-based) of the firms a histogram counts."""
    seen = 0
    for row in histogram:
        seen += row["firms"]
        if seen >= rank:
            return row["value"]
    raise IndexError(rank)


def _quartile(histogram, n, quarter):
    """statistics.quantiles(..., n=4, method="inclusive")[quarter - 1], to the same floating point."""
    m = n - 1
    j, delta = divmod(quarter * m, 4)
    lower, upper = _value_at(histogram, j + 1), _value_at(histogram, min(j + 2, n))
    return round((lower * (4 - delta) + upper * delta) / 4, 2)


def _summary(histogram):
    n = _size(histogram)
    q1, median, q3 = (_quartile(histogram, n, quarter) for quarter in QUARTERS)
    distribution = [0] * LEVEL_COUNT
    for row in histogram:
        distribution[min(row["level"], LEVEL_COUNT - 1)] += row["firms"]
    return GroupSummary(size=n, median=median, q1=q1, q3=q3, distribution=tuple(distribution))


def cohort_movement(db, cohort_id, from_round=0, to_round=1):
    """key -> (firms with both rounds, firms that moved up, median change) — only for >= 5 firms."""
    if (from_round, to_round) == (0, 1):  # T0 to T1: the trigger-kept histogram of changes
        sql, params = ("SELECT key, change AS value, firms FROM cohort_movement_counts WHERE cohort_id = ? "
                       "ORDER BY key, change"), [cohort_id]
    else:
        sql, params = """
            SELECT a.key, round(b.score - a.score, 2) AS value, count(*) AS firms
            FROM firms f CROSS JOIN firm_scores a ON a.firm_id = f.id AND a.round_no = ?
            CROSS JOIN firm_scores b ON b.firm_id = a.firm_id AND b.round_no = ? AND b.key = a.key
            WHERE f.cohort_id = ? GROUP BY a.key, value ORDER BY a.key, value""", [from_round, to_round, cohort_id]
    movement = {}
    for key, rows in _histograms(db, sql, params).items():
        n = _size(rows)
        if n >= MIN_GROUP:
            median = (_value_at(rows, (n + 1) // 2) + _value_at(rows, (n + 2) // 2)) / 2
            improved = sum(row["firms"] for row in rows if row["value"] > 0)
            movement[key] = (n, improved, round(median, 2))
    return movement


def cohort_common_gaps(db, cohort_id, count=5, per_firm=3):
    """[(dimension id, firms)] most often among firms' lowest dimensions (latest round); [] below 5 firms."""
    sql = f"""
        WITH lowest AS (
            SELECT (SELECT json_group_array(key) FROM (
                        SELECT s.key FROM firm_scores s
                        WHERE s.firm_id = f.id AND s.is_latest = 1 AND s.score < 4 AND {DIMENSION_KEYS}
                        ORDER BY s.score, s.key LIMIT ?)) AS keys
            FROM firms f WHERE f.cohort_id = ?)
        SELECT gap.value AS key, count(*) AS firms FROM lowest, json_each(lowest.keys) AS gap
        GROUP BY gap.value ORDER BY firms DESC, gap.value LIMIT ?"""
    if _cohort_firms_with_results(db, cohort_id) < MIN_GROUP:
        return []
    rows = list(db.query(sql, [per_firm, cohort_id, count]))
    return [(r["key"].split(":", 1)[1], r["firms"]) for r in rows]


def _cohort_firms_with_results(db, cohort_id):
    """Firms whose latest round has an overall score: summed from cohort_score_counts (one row per
    score), not counted firm by firm."""
    return db.execute("SELECT coalesce(sum(firms), 0) FROM cohort_score_counts WHERE cohort_id = ? AND key = 'overall'",
                      [cohort_id]).fetchone()[0]


def cohort_table(db, cohort_id, keys, sort_key="name", descending=False, name_part=None, limit=-1, offset=0):
    """One row per firm of the cohort with its latest scores for ``keys`` (a firm's own figures,
    not group statistics), sorted in SQL by a whitelisted column; ``limit``/``offset`` give one page
    and ``name_part`` keeps the firms whose name contains it.

    The page is chosen first (its firms' names come in order from idx_firms_cohort_name; a sort key
    costs one idx_firm_scores_firm_key lookup per firm of the cohort), then only the page's firms
    get their columns."""
    columns = "".join(f', (SELECT s.score FROM firm_scores s WHERE s.firm_id = f.id AND s.key = ? '
                      f'AND s.is_latest = 1) AS "{k}"' for k in keys)
    direction = "DESC" if descending else "ASC"
    if sort_key in keys:
        chosen = ("SELECT f.id, s.score IS NULL AS unscored, s.score AS sort_score FROM firms f "
                  "LEFT JOIN firm_scores s ON s.firm_id = f.id AND s.key = ? AND s.is_latest = 1")
        chosen_params = [sort_key]
        order = f"unscored, sort_score {direction}, f.name, f.id"
        page_order = f"listed.unscored, listed.sort_score {direction}, f.name, f.id"
    else:
        chosen, chosen_params = "SELECT f.id FROM firms f", []
        order = page_order = f"f.name {direction}, f.id {direction}"
    match, match_params = _name_filter(name_part)
    sql = (f"SELECT f.id, f.name, f.country, f.sector, f.size_band, (SELECT s.round_no FROM firm_scores s "
           f"WHERE s.firm_id = f.id AND s.is_latest = 1 LIMIT 1) AS round_no{columns} "
           f"FROM ({chosen} WHERE f.cohort_id = ?{match} ORDER BY {order} LIMIT ? OFFSET ?) AS listed "
           f"CROSS JOIN firms f ON f.id = listed.id ORDER BY {page_order}")
    return list(db.query(sql, list(keys) + chosen_params + [cohort_id] + match_params + [limit, offset]))


def cohort_firm_count(db, cohort_id, name_part=None):
    """Firms of the cohort (whose name contains ``name_part``): an index range count."""
    match, params = _name_filter(name_part)
    return db.execute(f"SELECT count(*) FROM firms f WHERE f.cohort_id = ?{match}",
                      [cohort_id] + params).fetchone()[0]


def _name_filter(name_part):
    """(SQL, params) keeping names that contain ``name_part`` (any case for ASCII letters, as LIKE)."""
    if not name_part:
        return "", []
    escaped = name_part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return " AND f.name LIKE ? ESCAPE '\\'", [f"%{escaped}%"]


def cohort_countries(db, cohort_id):
    return {r["country"] for r in db.query("SELECT DISTINCT country FROM firms WHERE cohort_id = ?", [cohort_id])}


def peer_benchmark(db, firm):
    """(group description, group size, {key: (firm score, percentile)}) for the firm's latest round
    against the narrowest peer group of at least 5 other firms; None if even all firms are fewer."""
    for description, columns in PEER_LEVELS:
        counts = _peer_counts(db, firm["id"], columns)
        size = counts["overall"][1] if "overall" in counts else 0
        if size >= MIN_GROUP:
            return description, size, {key: (score, round(100 * at_or_below / n))
                                       for key, (score, n, at_or_below) in counts.items() if n >= MIN_GROUP}
    return None


def _peer_counts(db, firm_id, columns):
    """key -> (the firm's latest score, other firms in the group, those scoring at or below it).

    Both counts are index range counts (the firm itself is in both, and taken off): in firm_scores
    for a group of sector, size band and country or region; in firm_score_counts for all firms."""
    if columns:
        group = "".join(f" AND p.{c} = me.{c}" for c in columns)
        count, source = "count(*)", f"firm_scores p WHERE p.key = me.key AND p.is_latest = 1{group}"
    else:
        count, source = "sum(p.firms)", "firm_score_counts p WHERE p.key = me.key"
    sql = (f"SELECT me.key, me.score, (SELECT {count} FROM {source}) - 1 AS n, "
           f"(SELECT {count} FROM {source} AND p.score <= me.score) - 1 AS at_or_below "
           f"FROM firm_scores me WHERE me.firm_id = ? AND +me.is_latest = 1")
    return {r["key"]: (r["score"], r["n"], r["at_or_below"]) for r in db.query(sql, [firm_id])}
