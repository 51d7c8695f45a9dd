"""bench/benchmark_scale.py on a tiny size, and the benchmark SQL checked against plain Python."""
import contextlib
import io
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest

from assessment.core.benchmark import MIN_GROUP
from assessment.core.scoring import combine_results, score_assessment, score_rows
from assessment import migrations
from assessment.db import connect, write_transaction
from assessment.store import benchmarks, deletions, firms, staff

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import benchmark_scale  # noqa: E402  (bench/ is a folder of scripts, not a package)

SIZES = (120, 300)
LINE = re.compile(r"assessments=(\d+) cohort_ms=(\d+) peer_ms=(\d+)")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The script's main() on two tiny sizes, keeping the databases: (exit status, stdout, folder)."""
    folder = tmp_path_factory.mktemp("scale")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = benchmark_scale.main(["--sizes", ",".join(map(str, SIZES)), "--repeats", "3",
                                       "--keep", str(folder)])
    return status, out.getvalue(), folder


@pytest.fixture(scope="module")
def db(run):
    database = connect(str(run[2] / f"scale-{SIZES[-1]}.sqlite"))
    yield database
    database.close()


@pytest.fixture(scope="module")
def questionnaire(run):
    app = benchmark_scale.create_app({"TESTING": True, "SECRET_KEY": "x",
                                      "DATABASE": str(run[2] / f"scale-{SIZES[-1]}.sqlite")})
    return app.extensions["smartstep.library"].questionnaires["core"]


def test_one_line_per_size_in_the_promised_format(run):
    status, output, _folder = run
    lines = output.strip().splitlines()
    assert status == 0
    assert [int(LINE.fullmatch(line).group(1)) for line in lines] == list(SIZES)
    assert lines[-1].startswith(f"assessments={SIZES[-1]} ")


def test_fill_has_the_size_spread_and_app_format(db, questionnaire):
    assert db.execute("SELECT count(*), sum(status = 'completed') FROM assessments").fetchone() == (300, 300)
    assert db.execute("SELECT count(*) FROM results").fetchone()[0] == 300
    spread = db.execute("SELECT count(DISTINCT sector), count(DISTINCT size_band), count(DISTINCT country), "
                        "count(DISTINCT cohort_id), count(DISTINCT org_id) FROM firms").fetchone()
    assert spread[0] >= 6 and spread[1] == 4 and spread[2] >= 10 and spread[3] >= 5 and spread[4] == 1
    firm_count = db.execute("SELECT count(*) FROM firms").fetchone()[0]
    assert 100 <= firm_count <= 200  # about two rounds per firm
    for row in db.query("SELECT a.id, a.firm_id, a.round_no, r.scores FROM assessments a "
                        "JOIN results r ON r.assessment_id = a.id WHERE a.id % 10 = 1"):
        answers = {r["question_id"]: json.loads(r["value"]) for r in db.query(
            "SELECT question_id, value FROM answers WHERE assessment_id = ?", [row["id"]])}
        result = json.loads(row["scores"])
        assert score_assessment(questionnaire, answers, answers) == result
        stored = {(r["key"], r["score"], r["level"]) for r in db.query(
            "SELECT key, score, level FROM result_scores WHERE assessment_id = ?", [row["id"]])}
        assert stored == set(score_rows(result))
        firm_rows = {(r["key"], r["score"], r["level"]) for r in db.query(
            "SELECT key, score, level FROM firm_scores WHERE firm_id = ? AND round_no = ?",
            [row["firm_id"], row["round_no"]])}
        assert firm_rows == set(score_rows(combine_results(questionnaire, [result])))


def test_latest_flags_and_all_firm_counts_are_consistent(db):
    wrong = db.execute("""SELECT count(*) FROM firm_scores s JOIN firms f ON f.id = s.firm_id
                          WHERE s.is_latest != (s.round_no = f.current_round)
                             OR s.cohort_id IS NOT f.cohort_id""").fetchone()[0]
    assert wrong == 0
    assert_counts_match(db)
    assert db.execute("SELECT count(*) FROM cohort_movement_counts").fetchone()[0] > 0


def assert_counts_match(db):
    """The trigger-kept counts equal counting firm_scores row by row (the cohort taken from firms,
    not from the copied column)."""
    expected = list(db.execute("SELECT key, score, count(*) FROM firm_scores WHERE is_latest = 1 "
                               "GROUP BY key, score ORDER BY key, score"))
    assert list(db.execute("SELECT key, score, firms FROM firm_score_counts ORDER BY key, score")) == expected
    expected = list(db.execute("SELECT f.cohort_id, s.key, s.score, s.level, count(*) FROM firm_scores s "
                               "JOIN firms f ON f.id = s.firm_id WHERE s.is_latest = 1 AND f.cohort_id IS NOT NULL "
                               "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"))
    assert list(db.execute("SELECT cohort_id, key, score, level, firms FROM cohort_score_counts "
                           "ORDER BY 1, 2, 3, 4")) == expected
    changes = Counter()
    for row in db.execute("SELECT f.cohort_id, a.key, b.score - a.score FROM firm_scores a JOIN firm_scores b "
                          "ON b.firm_id = a.firm_id AND b.key = a.key AND b.round_no = 1 JOIN firms f "
                          "ON f.id = a.firm_id WHERE a.round_no = 0 AND f.cohort_id IS NOT NULL"):
        changes[(row[0], row[1], round(row[2], 2))] += 1
    stored = {(r[0], r[1], r[2]): r[3] for r in db.execute("SELECT * FROM cohort_movement_counts")}
    assert stored == dict(changes)


def latest_rows(db, cohort_id, round_no=None):
    """{key: [score, …]} and {key: [level, …]} of the cohort's firms, read plainly."""
    where = "s.is_latest = 1" if round_no is None else "s.round_no = ?"
    params = [cohort_id] + ([] if round_no is None else [round_no])
    scores, levels = {}, {}
    for row in db.query(f"SELECT s.key, s.score, s.level FROM firm_scores s JOIN firms f ON f.id = s.firm_id "
                        f"WHERE f.cohort_id = ? AND {where}", params):
        scores.setdefault(row["key"], []).append(row["score"])
        levels.setdefault(row["key"], []).append(row["level"])
    return scores, levels


@pytest.mark.parametrize("round_no", [None, 0, 1])
def test_cohort_medians_and_quartiles_equal_plain_python(db, round_no):
    cohort_ids = [r[0] for r in db.execute("SELECT id FROM cohorts")]
    for cohort_id in cohort_ids:
        scores, levels = latest_rows(db, cohort_id, round_no)
        summaries = benchmarks.cohort_summaries(db, cohort_id, round_no)
        assert set(summaries) == {k for k, v in scores.items() if len(v) >= MIN_GROUP}
        for key, summary in summaries.items():
            q1, median, q3 = statistics.quantiles(sorted(scores[key]), n=4, method="inclusive")
            assert (summary.size, summary.q1, summary.median, summary.q3) == (
                len(scores[key]), round(q1, 2), round(median, 2), round(q3, 2)), (cohort_id, key)
            counts = Counter(min(level, 4) for level in levels[key])
            assert summary.distribution == tuple(counts[level] for level in range(5))


def test_cohort_movement_gaps_and_table_equal_plain_python(db):
    for (cohort_id,) in db.execute("SELECT id FROM cohorts"):
        before, _ = latest_rows(db, cohort_id, 0)
        changes = {}
        for row in db.query("SELECT a.key, b.score - a.score AS change FROM firm_scores a JOIN firm_scores b "
                            "ON b.firm_id = a.firm_id AND b.key = a.key AND b.round_no = 1 JOIN firms f "
                            "ON f.id = a.firm_id WHERE f.cohort_id = ? AND a.round_no = 0", [cohort_id]):
            changes.setdefault(row["key"], []).append(row["change"])
        movement = benchmarks.cohort_movement(db, cohort_id)
        assert set(movement) == {k for k, v in changes.items() if len(v) >= MIN_GROUP}
        for key, (n, improved, median) in movement.items():
            assert (n, improved) == (len(changes[key]), sum(c > 1e-9 for c in changes[key]))
            assert abs(median - statistics.median(changes[key])) <= 0.0051
        assert benchmarks.cohort_common_gaps(db, cohort_id) == python_common_gaps(db, cohort_id)
        table = benchmarks.cohort_table(db, cohort_id, ["overall"], "overall", descending=True)
        overall = [r["score"] for r in db.query("SELECT s.score FROM firm_scores s JOIN firms f ON f.id = s.firm_id "
                                                "WHERE f.cohort_id = ? AND s.is_latest = 1 AND s.key = 'overall'",
                                                [cohort_id])]
        assert [r["overall"] for r in table] == sorted(overall, reverse=True)


def plain_table(db, cohort_id, key, descending, name_part=""):
    """[(firm id, its latest score for key or None)] sorted as the cohort page sorts, in Python."""
    rows = [(r["id"], r["name"], r["score"]) for r in db.query(
        "SELECT f.id, f.name, s.score FROM firms f LEFT JOIN firm_scores s ON s.firm_id = f.id AND s.key = ? "
        "AND s.is_latest = 1 WHERE f.cohort_id = ?", [key, cohort_id]) if name_part.lower() in r["name"].lower()]
    if key == "name":
        return [(i, None) for i, _n, _s in sorted(rows, key=lambda r: (r[1], r[0]), reverse=descending)]
    scored = sorted((r for r in rows if r[2] is not None), key=lambda r: (-r[2] if descending else r[2], r[1], r[0]))
    unscored = sorted((r for r in rows if r[2] is None), key=lambda r: (r[1], r[0]))
    return [(i, score) for i, _n, score in scored + unscored]


@pytest.mark.parametrize("key", ["name", "overall", "pillar:hardware"])
@pytest.mark.parametrize("descending", [False, True])
def test_cohort_table_pages_add_up_to_the_plainly_sorted_list(db, key, descending):
    for (cohort_id,) in db.execute("SELECT id FROM cohorts"):
        expected = plain_table(db, cohort_id, key, descending)
        pages = [benchmarks.cohort_table(db, cohort_id, ["overall", "pillar:hardware"], key, descending,
                                         limit=3, offset=offset) for offset in range(0, len(expected) + 3, 3)]
        assert all(len(page) == 3 for page in pages[:len(expected) // 3]) and pages[-1] == []
        listed = [(r["id"], r[key] if key != "name" else None) for page in pages for r in page]
        assert listed == expected, cohort_id


@pytest.mark.parametrize("name_part", ["1", "firm 2", "FIRM", "%", "_", "\\", "no such firm"])
def test_name_search_keeps_names_containing_the_text_literally(db, name_part):
    for (cohort_id,) in db.execute("SELECT id FROM cohorts"):
        expected = plain_table(db, cohort_id, "overall", True, name_part)
        assert benchmarks.cohort_firm_count(db, cohort_id, name_part) == len(expected)
        table = benchmarks.cohort_table(db, cohort_id, ["overall"], "overall", True, name_part)
        assert [(r["id"], r["overall"]) for r in table] == expected


def python_common_gaps(db, cohort_id, count=5, per_firm=3):
    by_firm = {}
    for row in db.query("SELECT s.firm_id, s.key, s.score FROM firm_scores s JOIN firms f ON f.id = s.firm_id "
                        "WHERE f.cohort_id = ? AND s.is_latest = 1", [cohort_id]):
        by_firm.setdefault(row["firm_id"], []).append((row["score"], row["key"]))
    if len(by_firm) < MIN_GROUP:
        return []
    tally = Counter()
    for rows in by_firm.values():
        gaps = sorted((s, k) for s, k in rows if k.startswith("dimension:") and s < 4)[:per_firm]
        tally.update(k for _s, k in gaps)
    ranked = sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))[:count]
    return [(key.split(":", 1)[1], n) for key, n in ranked]


def python_peers(rows, firm_id):
    """The peer benchmark computed plainly from all latest rows."""
    mine = {r["key"]: r for r in rows if r["firm_id"] == firm_id}
    for description, columns in benchmarks.PEER_LEVELS:
        peers = [r for r in rows if r["firm_id"] != firm_id and r["key"] in mine
                 and all(r[c] == mine[r["key"]][c] for c in columns)]
        size = sum(r["key"] == "overall" for r in peers)
        if size >= MIN_GROUP:
            by_key = {}
            for r in peers:
                by_key.setdefault(r["key"], []).append(r["score"])
            return description, size, {
                k: (mine[k]["score"], round(100 * sum(s <= mine[k]["score"] for s in v) / len(v)))
                for k, v in by_key.items() if len(v) >= MIN_GROUP}
    return None


def test_peer_benchmark_equals_plain_python_at_every_widening(db):
    seen, rows = set(), list(db.query("SELECT * FROM firm_scores WHERE is_latest = 1"))
    for (firm_id,) in db.execute("SELECT id FROM firms ORDER BY id"):
        expected = python_peers(rows, firm_id)
        assert benchmarks.peer_benchmark(db, firms.get_firm(db, firm_id, 1)) == expected, firm_id
        seen.add(expected[0] if expected else None)
    assert {"sector, size band and region", "all firms"} <= seen


def test_the_cohort_page_shows_the_same_figures(run, db):
    app = benchmark_scale.create_app({"TESTING": True, "SECRET_KEY": "x",
                                      "DATABASE": str(run[2] / f"scale-{SIZES[-1]}.sqlite")})
    client = benchmark_scale.logged_in_client(app)
    cohort_id = db.execute("SELECT id FROM cohorts ORDER BY id").fetchone()[0]
    page = client.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    overall = benchmarks.cohort_summaries(db, cohort_id)["overall"]
    assert f"<td>{overall.size}</td><td>{overall.median}</td><td>{overall.q1}–{overall.q3}</td>" in page


def query_plans(db, call):
    """EXPLAIN QUERY PLAN lines of every statement ``call`` runs."""
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return [line[3] for sql in statements for line in db.execute("EXPLAIN QUERY PLAN " + sql)]


def test_benchmark_queries_use_index_ranges_never_scans(db):
    cohort_id = db.execute("SELECT id FROM cohorts ORDER BY id").fetchone()[0]
    firm = firms.get_firm(db, db.execute("SELECT id FROM firms ORDER BY id").fetchone()[0], 1)
    cohort_lines = query_plans(db, lambda: (
        benchmarks.cohort_summaries(db, cohort_id), benchmarks.cohort_movement(db, cohort_id),
        benchmarks.cohort_common_gaps(db, cohort_id), benchmarks.cohort_table(db, cohort_id, ["overall"])))
    peer_lines = [query_plans(db, lambda c=columns: benchmarks._peer_counts(db, firm["id"], c))
                  for _d, columns in benchmarks.PEER_LEVELS]
    for line in cohort_lines + sum(peer_lines, []):
        assert not re.match(r"SCAN (f|s|a|b|p|me|firms|firm_scores)\b", line), line
    # a cohort's rows come through an index that starts with firm_id, never through a key-first index
    firm_first = ("PRIMARY KEY (firm_id=?", "idx_firm_scores_firm_latest (firm_id=?",
                  "idx_firm_scores_firm_key (firm_id=?")
    reads = [line for line in cohort_lines if re.match(r"SEARCH (s|a|b) ", line)]
    assert reads and all(any(index in line for index in firm_first) for line in reads), reads
    assert any("idx_firm_scores_firm_latest (firm_id=? AND is_latest=? AND score<?)" in line for line in reads)
    assert "idx_firm_scores_firm_key (firm_id=? AND key=? AND is_latest=?)" in " ".join(reads)
    # medians, quartiles, levels and the T0-T1 movement: the trigger-kept counts, never firm_scores
    assert "SEARCH cohort_score_counts USING PRIMARY KEY (cohort_id=?)" in cohort_lines
    assert "SEARCH cohort_movement_counts USING PRIMARY KEY (cohort_id=?)" in cohort_lines
    country, region, everyone = ([line for line in lines if line.startswith("SEARCH p ")] for lines in peer_lines)
    assert country and all("idx_firm_scores_peer (key=? AND is_latest=? AND sector=? AND size_band=? AND "
                           "country=?" in line for line in country)
    assert region and all("idx_firm_scores_peer_region (key=? AND is_latest=? AND sector=? AND size_band=? "
                          "AND region=?" in line for line in region)
    assert everyone and all("PRIMARY KEY (key=?" in line for line in everyone)  # firm_score_counts


@pytest.mark.parametrize("sort_key", ["name", "overall"])
def test_a_page_of_the_firm_list_reads_an_index_range_and_sorts_only_what_it_must(db, sort_key):
    cohort_id = db.execute("SELECT id FROM cohorts ORDER BY id").fetchone()[0]
    lines = query_plans(db, lambda: (
        benchmarks.cohort_table(db, cohort_id, ["overall"], sort_key, True, "firm", limit=5, offset=5),
        benchmarks.cohort_firm_count(db, cohort_id, "firm")))
    assert not [line for line in lines if re.match(r"SCAN (f|s|firms|firm_scores)\b", line)], lines
    assert lines.count("SEARCH f USING COVERING INDEX idx_firms_cohort_name (cohort_id=?)") == 2, lines
    # by name, the page comes in index order: the only sort is of the page's own rows
    assert lines.count("USE TEMP B-TREE FOR ORDER BY") == (1 if sort_key == "name" else 2), lines


def test_the_cohorts_countries_and_versions_come_from_index_entries_not_rows(db):
    cohort_id = db.execute("SELECT id FROM cohorts ORDER BY id").fetchone()[0]
    lines = query_plans(db, lambda: (benchmarks.cohort_countries(db, cohort_id),
                                     firms.round_versions(db, cohort_id=cohort_id)))
    assert lines.count("SEARCH firms USING COVERING INDEX idx_firms_cohort_country (cohort_id=?)") == 2, lines
    assert "SEARCH a USING COVERING INDEX idx_assessments_firm (firm_id=?)" in lines
    assert "SEARCH r USING COVERING INDEX idx_results_version (assessment_id=?)" in lines
    assert firms.round_versions(db, cohort_id=cohort_id) == {
        n: sorted({r[0] for r in db.execute(
            "SELECT r.questionnaire_version FROM results r JOIN assessments a ON a.id = r.assessment_id "
            "JOIN firms f ON f.id = a.firm_id WHERE f.cohort_id = ? AND a.round_no = ?", [cohort_id, n])})
        for n in range(3)}


def test_cohort_export_queries_start_from_the_cohorts_firms(db):
    """Left to itself SQLite read a cohort's assessments through idx_assessments_status: every completed
    assessment of the database, for each export of a 500-firm cohort."""
    from assessment.store import exchange
    cohort_id = db.execute("SELECT id FROM cohorts ORDER BY id").fetchone()[0]
    lines = query_plans(db, lambda: (exchange.cohort_completed_assessments(db, cohort_id, ["overall"], ["country"]),
                                     exchange.cohort_round_scores(db, cohort_id)))
    assert any(re.match(r"SEARCH f USING (COVERING )?INDEX idx_firms_cohort\w* \(cohort_id=\?\)", line)
               for line in lines), lines
    assert not any("idx_assessments_status" in line or re.match(r"SCAN (a|f|s|ans|r)\b", line) for line in lines), lines
    assert any("idx_assessments_firm (firm_id=?)" in line for line in lines), lines


def test_firm_score_counts_follow_every_write(app, questionnaire):
    db = connect(app.config["DATABASE"])
    org_id = staff.ensure_organisation(db, "Counts")
    result = lambda level: score_assessment(  # noqa: E731
        questionnaire, {i.id: str(level) for i in questionnaire.items}, {"has_design": "yes_own"})
    made = [firms.create_firm(db, org_id, f"Firm {n}", "KE", "metal", "small", "africa") for n in range(3)]
    for n, firm in enumerate(made):
        firms.store_firm_round(db, firm, 0, combine_results(questionnaire, [result(n)]))
    assert_counts_match(db)
    firms.store_firm_round(db, made[0], 1, combine_results(questionnaire, [result(4)]))  # a new latest round
    firms.store_firm_round(db, made[1], 0, combine_results(questionnaire, [result(3)]))  # a round replaced
    assert_counts_match(db)
    assert db.execute("SELECT firms FROM firm_score_counts WHERE key = 'overall' AND score = 4.0").fetchone() == (1,)
    db.execute("DELETE FROM firms WHERE id = ?", [made[2]["id"]])  # cascades to firm_scores
    assert_counts_match(db)
    assert db.execute("SELECT count(*) FROM firm_score_counts WHERE firms <= 0").fetchone()[0] == 0
    db.close()


def test_the_migration_counts_the_firms_already_there(app, questionnaire):
    db = connect(app.config["DATABASE"])
    org_id = staff.ensure_organisation(db, "Counts")
    for n in range(4):
        firm = firms.create_firm(db, org_id, f"Firm {n}", "KE", "metal", "small", "africa")
        answers = {i.id: str(n % 5) for i in questionnaire.items}
        result = score_assessment(questionnaire, answers, {"has_design": "yes_own"})
        firms.store_firm_round(db, firm, 0, combine_results(questionnaire, [result]))
    with write_transaction(db):  # back to the schema before m005, with the firms' rows kept
        for kind, name in [("TRIGGER", "firm_score_counts_insert"), ("TRIGGER", "firm_score_counts_delete"),
                           ("TRIGGER", "firm_score_counts_update"), ("TABLE", "firm_score_counts"),
                           ("INDEX", "idx_firm_scores_firm_latest"), ("INDEX", "idx_firm_scores_peer_region")]:
            db.execute(f"DROP {kind} {name}")
        migrations.m005_benchmark_indexes(db)
    assert db.execute("SELECT sum(firms) FROM firm_score_counts WHERE key = 'overall'").fetchone() == (4,)
    assert_counts_match(db)
    db.close()


def test_cohort_counts_follow_every_write(app, questionnaire):
    """cohort_score_counts and cohort_movement_counts through every way a firm's rows change: new
    rounds, a round replaced before and after the next one, a round discarded, a firm moved to
    another cohort, a firm without a cohort, deletions (cascading or by deletions.delete_firm)."""
    db = connect(app.config["DATABASE"])
    org_id = staff.ensure_organisation(db, "Counts")
    cohort_a, cohort_b = (firms.create_cohort(db, org_id, name, "2026-01-01")["id"] for name in ("A", "B"))
    combined = lambda level, shift=0: combine_results(questionnaire, [score_assessment(  # noqa: E731
        questionnaire, {i.id: str(min(4, (level + n * shift) % 5)) for n, i in enumerate(questionnaire.items)},
        {"has_design": "yes_own"})])
    made = [firms.create_firm(db, org_id, f"Firm {n}", "KE", "metal", "small", "africa",
                              cohort_id=[cohort_a, cohort_b, None][n % 3]) for n in range(6)]
    for n, firm in enumerate(made):
        firms.store_firm_round(db, firm, 0, combined(n, 1))
    assert_counts_match(db)
    for n, firm in enumerate(made[:4]):
        firms.store_firm_round(db, firm, 1, combined(n + 1, 2))  # T1: pairs for the movement
    firms.store_firm_round(db, made[0], 0, combined(4))  # T0 replaced after T1
    firms.store_firm_round(db, made[1], 1, combined(0))  # T1 replaced
    firms.store_firm_round(db, made[2], 2, combined(3))  # T2: T1 no longer latest
    assert_counts_match(db)
    assert db.execute("SELECT count(*) FROM cohort_movement_counts WHERE cohort_id = ?", [cohort_a]).fetchone()[0]
    firms.discard_firm_round(db, made[3]["id"], 1)
    db.execute("UPDATE firms SET cohort_id = ? WHERE id = ?", [cohort_b, made[0]["id"]])  # moved, rows follow
    db.execute("UPDATE firms SET cohort_id = NULL WHERE id = ?", [made[1]["id"]])  # left its cohort
    assert_counts_match(db)
    db.execute("DELETE FROM firms WHERE id = ?", [made[4]["id"]])  # cascades to firm_scores
    deletions.delete_firm(db, firms.get_firm(db, made[0]["id"], org_id), "test")
    assert_counts_match(db)
    for table in ("cohort_score_counts", "cohort_movement_counts"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE firms <= 0").fetchone()[0] == 0
    db.close()


M010_OBJECTS = [("TRIGGER", "firm_scores_follow_cohort")] + [
    ("TRIGGER", f"{table}_{what}") for table in ("cohort_score_counts", "cohort_movement_counts")
    for what in ("insert", "delete", "update")] + [
    ("TABLE", "cohort_score_counts"), ("TABLE", "cohort_movement_counts"),
    ("INDEX", "idx_firms_cohort_name"), ("INDEX", "idx_firm_scores_firm_key"),
    ("INDEX", "idx_firms_cohort_country"), ("INDEX", "idx_results_version")]


def test_m010_counts_the_cohorts_firms_already_there(app, questionnaire):
    db = connect(app.config["DATABASE"])
    org_id = staff.ensure_organisation(db, "Counts")
    cohort_id = firms.create_cohort(db, org_id, "A", "2026-01-01")["id"]
    for n in range(6):
        firm = firms.create_firm(db, org_id, f"Firm {n}", "KE", "metal", "small", "africa",
                                 cohort_id=cohort_id if n < 5 else None)
        for round_no in range(1 + n % 2):
            answers = {i.id: str((n + round_no) % 5) for i in questionnaire.items}
            result = score_assessment(questionnaire, answers, {"has_design": "yes_own"})
            firms.store_firm_round(db, firm, round_no, combine_results(questionnaire, [result]))
    with write_transaction(db):  # back to the schema before m010, with the firms' rows kept
        for kind, name in M010_OBJECTS:
            db.execute(f"DROP {kind} {name}")
        db.execute("ALTER TABLE firm_scores DROP COLUMN cohort_id")
        db.execute("CREATE INDEX idx_firms_cohort ON firms (cohort_id)")
        migrations.m010_cohort_counts(db)
    assert db.execute("SELECT sum(firms) FROM cohort_score_counts WHERE key = 'overall'").fetchone() == (5,)
    assert db.execute("SELECT sum(firms) FROM cohort_movement_counts WHERE key = 'overall'").fetchone() == (2,)
    assert_counts_match(db)
    db.close()


def test_reuse_times_the_kept_database_without_filling_it_again(tmp_path):
    def run(*extra):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = benchmark_scale.main(["--sizes", "120", "--repeats", "2", "--keep", str(tmp_path), *extra])
        assert status == 0 and LINE.fullmatch(out.getvalue().strip())

    def marked():
        database = connect(str(tmp_path / "scale-120.sqlite"))
        try:
            return database.execute("SELECT count(*) FROM cohorts WHERE name = 'kept'").fetchone()[0] == 1
        finally:
            database.close()

    run()
    assert json.loads((tmp_path / "scale-120.json").read_text())["assessments"] == 120
    database = connect(str(tmp_path / "scale-120.sqlite"))
    database.execute("INSERT INTO cohorts (org_id, name, starts_on, created_at) VALUES (1, 'kept', '2026-01-01', '')")
    database.close()
    run("--reuse")
    assert marked()  # the same file, timed again
    run("--reuse", "--seed", "2")
    assert not marked()  # another seed: filled afresh
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        benchmark_scale.main(["--reuse"])  # nothing kept to reuse without --keep
