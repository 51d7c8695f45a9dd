"""Group figures computed in SQL over the indexed firm_scores table, never for fewer than 5 firms.

firm_scores holds each firm's combined result per round, one row per key ("overall",
"pillar:<id>", "dimension:<id>"), with the firm's peer-group columns copied in, so that every
count below is an index range scan rather than a pass over all rows in Python.
"""
from assessment.core.benchmark import MIN_GROUP, LEVEL_COUNT, GroupSummary

QUARTILES = (0.25, 0.5, 0.75)

# Peer groups from narrow to wide: the first with enough firms is used.
PEER_LEVELS = (
    ("sector, size band and country", ("sector", "size_band", "country")),
    ("sector, size band and region", ("sector", "size_band", "region")),
    ("all firms", ()),
)


def cohort_summaries(db, cohort_id, round_no=None):
    """key -> GroupSummary over the cohort's firms (their latest round, or ``round_no``); keys with
    fewer than MIN_GROUP firms are left out."""
    where, params = _cohort_filter(cohort_id, round_no)
    positions = _quartile_rows(db, where, params)
    distributions = _distributions(db, where, params)
    return {key: GroupSummary(size=n, median=q[1], q1=q[0], q3=q[2], distribution=distributions[key])
            for key, (n, q) in positions.items()}


def _cohort_filter(cohort_id, round_no):
    if round_no is None:
        return "f.cohort_id = ? AND s.is_latest = 1", [cohort_id]
    return "f.cohort_id = ? AND s.round_no = ?", [cohort_id, round_no]


def _quartile_rows(db, where, params):
    """Median and quartiles by SQL window functions: only the ranked neighbours of each quartile
    position leave the database, and are interpolated here (method "inclusive")."""
    sql = f"""
        WITH ranked AS (
            SELECT s.key, s.score,
                   row_number() OVER (PARTITION BY s.key ORDER BY s.score) AS rn,
                   count(*) OVER (PARTITION BY s.key) AS n
            FROM firm_scores s JOIN firms f ON f.id = s.firm_id WHERE {where})
        SELECT key, n, rn, score FROM ranked WHERE n >= ? AND (
            rn IN (1 + CAST((n - 1) * 0.25 AS INT), 2 + CAST((n - 1) * 0.25 AS INT),
                   1 + CAST((n - 1) * 0.5 AS INT), 2 + CAST((n - 1) * 0.5 AS INT),
                   1 + CAST((n - 1) * 0.75 AS INT), 2 + CAST((n - 1) * 0.75 AS INT)))"""
    by_key = {}
    for row in db.query(sql, params + [MIN_GROUP]):
        entry = by_key.setdefault(row["key"], (row["n"], {}))
        entry[1][row["rn"]] = row["score"]
    return {key: (n, [_interpolate(ranks, n, p) for p in QUARTILES]) for key, (n, ranks) in by_key.items()}


def _interpolate(ranks, n, p):
    position = (n - 1) * p
    low = int(position)
    fraction = position - low
    lower = ranks[low + 1]
    upper = ranks.get(low + 2, lower)
    return round(lower + (upper - lower) * fraction, 2)


def _distributions(db, where, params):
    distributions = {}
    for row in db.query(f"SELECT s.key, s.level, count(*) AS firms FROM firm_scores s "
                        f"JOIN firms f ON f.id = s.firm_id WHERE {where} GROUP BY s.key, s.level", params):
        counts = distributions.setdefault(row["key"], [0] * LEVEL_COUNT)
        counts[min(row["level"], LEVEL_COUNT - 1)] = row["firms"]
    return {key: tuple(counts) for key, counts in distributions.items()}


def cohort_movement(db, cohort_id, from_round=0, to_round=1):
    """key -> (firms with both rounds, firms that moved up, median change) — only for >= 5 firms."""
    sql = """
        WITH pairs AS (
            SELECT a.key, b.score - a.score AS change,
                   row_number() OVER (PARTITION BY a.key ORDER BY b.score - a.score) AS rn,
                   count(*) OVER (PARTITION BY a.key) AS n
            FROM firm_scores a JOIN firm_scores b
              ON b.firm_id = a.firm_id AND b.key = a.key AND b.round_no = ?
            JOIN firms f ON f.id = a.firm_id
            WHERE f.cohort_id = ? AND a.round_no = ?)
        SELECT key, n, sum(change > 0) AS improved,
               avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN change END) AS median_change
        FROM pairs GROUP BY key HAVING n >= ?"""
    return {r["key"]: (r["n"], r["improved"], round(r["median_change"], 2))
            for r in db.query(sql, [to_round, cohort_id, from_round, MIN_GROUP])}


def cohort_common_gaps(db, cohort_id, count=5, per_firm=3):
    """[(dimension id, firms)] most often among firms' lowest dimensions (latest round); [] below 5 firms."""
    sql = """
        WITH ranked AS (
            SELECT s.firm_id, s.key, row_number() OVER (PARTITION BY s.firm_id ORDER BY s.score, s.key) AS rn
            FROM firm_scores s JOIN firms f ON f.id = s.firm_id
            WHERE f.cohort_id = ? AND s.is_latest = 1 AND s.key LIKE 'dimension:%' AND s.score < 4)
        SELECT key, count(*) AS firms FROM ranked WHERE rn <= ? GROUP BY key ORDER BY firms DESC, key LIMIT ?"""
    if _cohort_firms_with_results(db, cohort_id) < MIN_GROUP:
        return []
    rows = list(db.query(sql, [cohort_id, per_firm, count]))
    return [(r["key"].split(":", 1)[1], r["firms"]) for r in rows]


def _cohort_firms_with_results(db, cohort_id):
    return next(db.query("SELECT count(*) AS n FROM firm_scores s JOIN firms f ON f.id = s.firm_id "
                         "WHERE f.cohort_id = ? AND s.is_latest = 1 AND s.key = 'overall'", [cohort_id]))["n"]


def cohort_table(db, cohort_id, keys, sort_key="name", descending=False):
    """One row per firm of the cohort with its latest scores for ``keys`` (a firm's own figures,
    not group statistics), sorted in SQL by a whitelisted column."""
    columns = ", ".join(f"max(CASE WHEN s.key = ? THEN s.score END) AS \"{k}\"" for k in keys)
    order = f'"{sort_key}"' if sort_key in keys else "f.name"
    direction = "DESC" if descending else "ASC"
    sql = (f"SELECT f.id, f.name, f.country, f.sector, f.size_band, max(s.round_no) AS round_no, {columns} "
           f"FROM firms f LEFT JOIN firm_scores s ON s.firm_id = f.id AND s.is_latest = 1 "
           f"WHERE f.cohort_id = ? GROUP BY f.id ORDER BY {order} IS NULL, {order} {direction}, f.name")
    return list(db.query(sql, list(keys) + [cohort_id]))


def peer_benchmark(db, firm):
    """(group description, group size, {key: (firm score, percentile)}) for the firm's latest round
    against the narrowest peer group of at least 5 other firms; None if even all firms are fewer."""
    for description, columns in PEER_LEVELS:
        size = _peer_count(db, firm, columns)
        if size >= MIN_GROUP:
            return description, size, _percentiles(db, firm, columns)
    return None


def _peer_where(columns):
    return "".join(f" AND p.{c} = me.{c}" for c in columns)


def _peer_count(db, firm, columns):
    sql = (f"SELECT count(*) AS n FROM firm_scores me JOIN firm_scores p ON p.key = me.key "
           f"AND p.is_latest = 1 AND p.firm_id != me.firm_id{_peer_where(columns)} "
           f"WHERE me.firm_id = ? AND me.is_latest = 1 AND me.key = 'overall'")
    return next(db.query(sql, [firm["id"]]))["n"]


def _percentiles(db, firm, columns):
    """Per key: share of peers scoring at or below the firm, counted through the index."""
    sql = (f"SELECT me.key, me.score, count(p.firm_id) AS n, sum(p.score <= me.score) AS at_or_below "
           f"FROM firm_scores me JOIN firm_scores p ON p.key = me.key AND p.is_latest = 1 "
           f"AND p.firm_id != me.firm_id{_peer_where(columns)} "
           f"WHERE me.firm_id = ? AND me.is_latest = 1 GROUP BY me.key, me.score")
    return {r["key"]: (r["score"], round(100 * r["at_or_below"] / r["n"]))
            for r in db.query(sql, [firm["id"]]) if r["n"] >= MIN_GROUP}
