"""Scale: the cohort page and the peer benchmark page over 1,000 … 1,000,000 assessments.

Budget (docs: DESIGN.md, "Budgets"): at most 200 ms per page over 1,000,000 assessments (the script
flags any size from 100,000 up).

Run:  .venv/bin/python bench/benchmark_scale.py [--sizes 1000,10000,100000] [--repeats 10] [--seed 1]
                                                [--keep DIR [--reuse]] [--reports]

--keep DIR keeps each database (scale-<size>.sqlite) with a record of its fill (scale-<size>.json);
--reuse then times the kept database of the same size and seed instead of filling it again (1,000,000
assessments take about 18 minutes and 13 GB to fill), after `smartstep init-db` has migrated it.

For each size, a fresh SQLite file (schema by `smartstep init-db`, through the CLI runner) is filled
with that many completed assessments of one organisation: firms spread over sectors, size bands and
25 countries (weighted, so that some peer groups are too small and the benchmark must widen), in
100 cohorts (fewer for tiny sizes: at least 10 firms each), with 1-3 rounds per firm (2 on
average; assessments = firms x rounds). Every assessment has its answers, its stored result, its
result_scores rows, and the firm's round its firm_scores rows (is_latest on the last round), in the
app's format: answers come from the demo's maturity model (assessment/demo.py), scored by
core.scoring.score_assessment and combined by combine_results. To fill fast, a pool of 700 firm
trajectories (T0-T2, 2,100 answer sets) is scored once and reused, and rows go in with executemany in
large transactions, with the secondary indexes dropped during the fill and created again (from their
exact SQL) afterwards.

Then, through the real app (create_app + test client, logged in as a programme manager), each page
is requested twice to warm up and --repeats times for the figure (different cohorts and firms each
time); the median is printed, one line per size:

    assessments=100000 cohort_ms=N peer_ms=N

Fill details (firms, cohorts, seconds, file size) go to stderr. With --reports, stderr also gets the
median wall and CPU milliseconds of a cohort's PDF report and its three XLSX exports (the first five
cohorts); CPU time is the figure to trust on a machine shared with other work.
tests/test_benchmark_scale.py runs a tiny size through the same functions and checks the cohort
figures against plain Python.
"""
import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessment.app import create_app  # noqa: E402
from assessment.cli import smartstep  # noqa: E402
from assessment.core.scoring import combine_results, score_assessment, score_rows  # noqa: E402
from assessment.db import close_thread_connection, connect, write_transaction  # noqa: E402
from assessment.demo import draw_firm, item_answers, progressed  # noqa: E402
from assessment.store import staff  # noqa: E402
from assessment.store.codes import CODE_ALPHABET  # noqa: E402

DEFAULT_SIZES = (1000, 10000, 100000)
BUDGET_MS = 200
MAX_COHORTS = 100
MIN_COHORT_FIRMS = 10
POOL_SIZE = 700  # trajectories of MAX_ROUNDS rounds: 2,100 scored answer sets
MAX_ROUNDS = 3
ROUND_WEIGHTS = {1: 1, 2: 2, 3: 1}  # two rounds per firm on average
CHUNK = 20000  # assessments per transaction
PM_EMAIL, PM_PASSWORD = "pm@bench.example", "bench-password-1"
COUNTRY_WEIGHTS = {"KE": 10, "NG": 9, "GH": 6, "IN": 10, "BD": 5, "VN": 6, "BR": 8, "MX": 8, "CO": 5,
                   "PE": 4, "MA": 4, "EG": 6, "ET": 4, "TZ": 3, "UG": 3, "RW": 2, "SN": 2, "ZA": 5, "PH": 4,
                   "ID": 5, "TR": 4, "JO": 1, "LK": 2, "KH": 1, "AR": 3}
SECTOR_WEIGHTS = {"food": 10, "textiles": 9, "metal": 9, "wood": 6, "plastics": 4, "printing": 3,
                  "chemicals": 3, "building_materials": 4, "electronics": 2, "vehicles": 2, "other": 3}
SIZE_WEIGHTS = {"micro": 45, "small": 33, "medium": 17, "large": 5}
BASE_DATE = "2024-01-15"


@dataclass
class ScoredRound:
    """One respondent's round, precomputed: answers (without the firm-specific profile), result, rows."""
    answers: list          # [(question id, JSON value)]
    result_json: str
    overall: tuple         # (score, level)
    result_rows: list      # [(key, score, level)]
    firm_rows: list        # [(key, score, level)] of the firm's combined round


@dataclass
class Filled:
    path: str
    assessments: int
    firms: int
    cohort_ids: list
    firm_ids: list
    seconds: float
    reused: bool = False  # the kept file of an earlier run (--reuse), migrated, not filled again


def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def scored_round(questionnaire, synthetic, values):
    profile = {key: value for key, value in synthetic.profile_answers().items()
               if key in ("goals", "has_design", "power_source")}
    answers = {**profile, **item_answers(questionnaire, synthetic, values)}
    result = score_assessment(questionnaire, answers, profile)
    return ScoredRound(
        answers=[(k, json.dumps(v, ensure_ascii=False)) for k, v in answers.items()],
        result_json=json.dumps(result), overall=(result["overall"]["score"], result["overall"]["level"]),
        result_rows=score_rows(result), firm_rows=score_rows(combine_results(questionnaire, [result])))


def trajectory_pool(questionnaire, rng, size=POOL_SIZE):
    """size band -> [trajectory]: a trajectory is MAX_ROUNDS scored rounds of one synthetic firm."""
    pool = {band: [] for band in SIZE_WEIGHTS}
    for n in range(size):
        band = list(SIZE_WEIGHTS)[n % len(SIZE_WEIGHTS)]
        synthetic = draw_firm(rng, questionnaire, "", "KE", weighted(rng, SECTOR_WEIGHTS), band)
        rounds, values = [], synthetic.values
        for _round in range(MAX_ROUNDS):
            rounds.append(scored_round(questionnaire, synthetic, values))
            synthetic.values = values
            values = progressed(rng, questionnaire, synthetic)
        pool[band].append(rounds)
    return pool


def plan_firms(rng, assessments, questionnaire):
    """[(name, country, sector, size band, region, rounds)] with rounds adding up to ``assessments``."""
    regions = questionnaire.regions()
    firms, total = [], 0
    while total < assessments:
        rounds = min(weighted(rng, ROUND_WEIGHTS), assessments - total)
        country = weighted(rng, COUNTRY_WEIGHTS)
        firms.append((f"Bench firm {len(firms) + 1}", country, weighted(rng, SECTOR_WEIGHTS),
                      weighted(rng, SIZE_WEIGHTS), regions.get(country, "global"), rounds))
        total += rounds
    return firms


def make_app(path):
    """The real app on ``path``, with the schema made by `smartstep init-db`."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE": str(path)})
    result = app.test_cli_runner().invoke(smartstep, ["init-db"])
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return app


def fill_database(app, assessments, seed=1, pool_size=POOL_SIZE):
    """Fills the app's (empty, migrated) database with ``assessments`` synthetic assessments."""
    started = time.perf_counter()
    rng = random.Random(seed)
    questionnaire = app.extensions["smartstep.library"].questionnaires[app.config["DEFAULT_QUESTIONNAIRE"]]
    pool = trajectory_pool(questionnaire, rng, min(pool_size, max(40, assessments // 2)))
    plan = plan_firms(rng, assessments, questionnaire)
    db = connect(app.config["DATABASE"])
    org_id = staff.ensure_organisation(db, "Bench Programme")
    staff.create_user(db, org_id, PM_EMAIL, PM_PASSWORD, "programme_manager")
    cohort_count = max(1, min(MAX_COHORTS, len(plan) // MIN_COHORT_FIRMS))
    for pragma in ("foreign_keys = OFF", "synchronous = OFF", "cache_size = -1000000"):
        db.execute(f"PRAGMA {pragma}")
    indexes = _drop_indexes(db)
    cohort_ids = _insert_cohorts(db, org_id, cohort_count)
    firm_ids = _insert_firms(db, rng, org_id, questionnaire, plan, pool, cohort_ids)
    with write_transaction(db):
        for sql in indexes:
            db.execute(sql)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return Filled(app.config["DATABASE"], assessments, len(plan), cohort_ids, firm_ids,
                  time.perf_counter() - started)


FILLED_TABLES = ("assessments", "answers", "results", "result_scores", "firms", "firm_scores")


def _drop_indexes(db):
    """Drops the filled tables' secondary indexes (building them once at the end is much faster than
    keeping them up to date row by row); returns their SQL to create them again."""
    marks = ", ".join("?" * len(FILLED_TABLES))
    rows = list(db.query(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                         f"AND tbl_name IN ({marks})", list(FILLED_TABLES)))
    with write_transaction(db):
        for row in rows:
            db.execute(f'DROP INDEX "{row["name"]}"')
    return [row["sql"] for row in rows]


def _insert_cohorts(db, org_id, count):
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO cohorts (id, org_id, name, starts_on, ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(n, org_id, f"Cohort {n:03d}", BASE_DATE, None, BASE_DATE) for n in range(1, count + 1)])
    return list(range(1, count + 1))


def _insert_firms(db, rng, org_id, questionnaire, plan, pool, cohort_ids):
    """Firms, then their assessments in chunks of CHUNK, each chunk one transaction."""
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO firms (id, org_id, cohort_id, name, country, sector, size_band, region, current_round, "
            "invite_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n, org_id, cohort_ids[(n - 1) % len(cohort_ids)], name, country, sector, size, region, rounds - 1,
              f"invite-{n:09d}-{rng.getrandbits(64):016x}", BASE_DATE)
             for n, (name, country, sector, size, region, rounds) in enumerate(plan, start=1)])
    rows, assessment_id = _Rows(), 0
    for firm_id, (name, country, sector, size, region, rounds) in enumerate(plan, start=1):
        trajectory = rng.choice(pool[size])
        profile = [("firm_name", json.dumps(name)), ("country", json.dumps(country)),
                   ("sector", json.dumps(sector)), ("size_band", json.dumps(size))]
        for round_no in range(rounds):
            assessment_id += 1
            rows.add(rng, assessment_id, firm_id, round_no, round_no == rounds - 1, trajectory[round_no], profile,
                     (sector, size, country, region, cohort_ids[(firm_id - 1) % len(cohort_ids)]))
        if len(rows.assessments) >= CHUNK:
            rows.flush(db)
    rows.flush(db)
    return list(range(1, len(plan) + 1))


class _Rows:
    """Rows waiting for the next executemany, table by table."""

    def __init__(self):
        self.codes = set()
        self.clear()

    def clear(self):
        self.assessments, self.answers, self.results, self.result_scores, self.firm_scores = [], [], [], [], []

    def resume_code(self, rng):
        while True:  # 8 characters as the app draws them, never twice
            code = "".join(rng.choices(CODE_ALPHABET, k=8))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def add(self, rng, assessment_id, firm_id, round_no, is_latest, scored, profile, copied_columns):
        stamp = f"{2024 + round_no}-{1 + assessment_id % 12:02d}-{1 + assessment_id % 28:02d}T10:00:00+00:00"
        self.assessments.append((assessment_id, f"bench-{assessment_id:010d}-{rng.getrandbits(48):012x}",
                                 self.resume_code(rng), stamp, stamp, stamp, firm_id, round_no))
        self.answers.extend((assessment_id, k, v, stamp) for k, v in profile + scored.answers)
        self.results.append((assessment_id, *scored.overall, scored.result_json, stamp))
        self.result_scores.extend((assessment_id, *row) for row in scored.result_rows)
        self.firm_scores.extend((firm_id, round_no, key, score, level, int(is_latest), *copied_columns)
                                for key, score, level in scored.firm_rows)

    def flush(self, db):
        with write_transaction(db):
            db.conn.executemany(
                "INSERT INTO assessments (id, token, resume_code, questionnaire_id, questionnaire_version, "
                "language, status, created_at, updated_at, completed_at, firm_id, round_no, respondent_role) "
                "VALUES (?, ?, ?, 'core', (SELECT max(version) FROM questionnaire_versions "
                "WHERE questionnaire_id = 'core'), 'en', 'completed', ?, ?, ?, ?, ?, 'owner')", self.assessments)
            db.conn.executemany("INSERT INTO answers (assessment_id, question_id, value, updated_at) "
                                "VALUES (?, ?, ?, ?)", self.answers)
            db.conn.executemany(
                "INSERT INTO results (assessment_id, questionnaire_id, questionnaire_version, overall_score, "
                "overall_level, scores, computed_at) VALUES (?, 'core', (SELECT max(version) FROM "
                "questionnaire_versions WHERE questionnaire_id = 'core'), ?, ?, ?, ?)", self.results)
            db.conn.executemany("INSERT INTO result_scores (assessment_id, key, score, level) VALUES (?, ?, ?, ?)",
                                self.result_scores)
            db.conn.executemany(
                "INSERT INTO firm_scores (firm_id, round_no, key, score, level, is_latest, sector, size_band, "
                "country, region, cohort_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.firm_scores)
        self.clear()


def logged_in_client(app):
    """A test client logged in as the programme manager through the login form (CSRF on, as served)."""
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/staff/login", data={"email": PM_EMAIL, "password": PM_PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login failed: {response.status_code}")
    return client


@dataclass
class PageTimes:
    """Medians in milliseconds: wall time (the figure) and this process's CPU time (less sensitive
    to other programs on a busy machine)."""
    cohort_ms: float
    peer_ms: float
    cohort_cpu_ms: float
    peer_cpu_ms: float


def median_ms(client, urls, warm_up=2):
    """(wall, CPU) median milliseconds of GET requests to ``urls``, after ``warm_up`` requests."""
    for url in urls[:warm_up]:
        _get(client, url)
    wall, cpu = [], []
    for url in urls:
        started, started_cpu = time.perf_counter(), time.process_time()
        _get(client, url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code}")
    return response


def page_urls(filled, repeats=10, seed=1):
    """(cohort page URLs, firm page URLs): ``repeats`` of each, different cohorts and firms."""
    rng = random.Random(seed)
    cohorts = rng.sample(filled.cohort_ids, min(repeats, len(filled.cohort_ids)))
    firms = rng.sample(filled.firm_ids, min(repeats, len(filled.firm_ids)))
    return ([f"/staff/programme/cohorts/{c}" for c in (cohorts * repeats)[:repeats]],
            [f"/staff/programme/firms/{f}" for f in (firms * repeats)[:repeats]])


def time_pages(app, filled, repeats=10, seed=1):
    """Median times of the cohort page and the firm page (whose peer section is the benchmark)."""
    client = logged_in_client(app)
    cohort_urls, firm_urls = page_urls(filled, repeats, seed)
    cohort_ms, cohort_cpu = median_ms(client, cohort_urls)
    peer_ms, peer_cpu = median_ms(client, firm_urls)
    return PageTimes(cohort_ms, peer_ms, cohort_cpu, peer_cpu)


REPORTS = ("report.pdf", "export/assessments.xlsx", "export/rounds.xlsx", "export/firms.xlsx")


def time_reports(app, filled, repeats=5):
    """Median (wall, CPU) milliseconds of a cohort's PDF report and XLSX exports (the budget: <= 300 ms
    for a cohort of 500 firms), over the first ``repeats`` cohorts after one warm-up request; returns
    {what: (wall, CPU)} and the firms per cohort. The CPU time is the figure to trust on a shared machine: other programs stretch the wall
    time of a request, not the CPU time it needs."""
    client = logged_in_client(app)
    cohorts = filled.cohort_ids[:repeats]
    times = {}
    for what in REPORTS:
        urls = [f"/staff/programme/cohorts/{c}/{what}" for c in cohorts]
        times[what] = median_ms(client, urls, warm_up=1)
    return times, filled.firms / max(1, len(filled.cohort_ids))


def reports_line(times, per_cohort):
    """"# cohort of about 499 firms: report.pdf 120 ms (CPU 110 ms), …" for stderr."""
    return f"# cohort of about {per_cohort:.0f} firms: " + ", ".join(
        f"{what} {wall:.0f} ms (CPU {cpu:.0f} ms)" for what, (wall, cpu) in times.items())


def run_size(size, workdir, repeats=10, seed=1, reuse=False):
    """Fills a fresh database of ``size`` assessments in ``workdir`` (with ``reuse``, takes the one
    an earlier run kept there for the same size and seed) and times the pages; returns (the printed
    line, Filled, PageTimes)."""
    path = Path(workdir) / f"scale-{size}.sqlite"
    filled = kept_fill(path, size, seed) if reuse else None
    if filled is None:
        close_thread_connection()  # an earlier app of this process may still hold the file to delete
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), fill_record(path)):
            stale.unlink(missing_ok=True)
        app = make_app(path)
        filled = fill_database(app, size, seed)
        fill_record(path).write_text(json.dumps({"assessments": size, "seed": seed, "firms": filled.firms,
                                                 "cohorts": len(filled.cohort_ids), "seconds": filled.seconds}))
    else:
        app = make_app(path)  # `smartstep init-db`: migrations added since the fill are applied here
    times = time_pages(app, filled, repeats, seed)
    return f"assessments={size} cohort_ms={round(times.cohort_ms)} peer_ms={round(times.peer_ms)}", filled, times


def fill_record(path):
    """The JSON file beside a kept database: what was filled (size, seed, firms, cohorts, seconds)."""
    return Path(path).with_suffix(".json")


def kept_fill(path, size, seed):
    """Filled for the database an earlier run kept at ``path``, if it was filled completely with this
    size and seed (the record is written only after the fill); else None."""
    record = fill_record(path)
    if not (Path(path).exists() and record.exists()):
        return None
    meta = json.loads(record.read_text())
    if (meta["assessments"], meta["seed"]) != (size, seed):
        return None
    return Filled(str(path), size, meta["firms"], list(range(1, meta["cohorts"] + 1)),
                  list(range(1, meta["firms"] + 1)), meta["seconds"], reused=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of assessments, e.g. 1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=10, help="timed requests per page (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder (default: a temp folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the database kept there by an earlier run of the same size and "
                             "seed (migrated to the current schema) instead of filling it again")
    parser.add_argument("--reports", action="store_true",
                        help="also time a cohort's PDF report and XLSX exports (stderr)")
    args = parser.parse_args(argv)
    if args.reuse and not args.keep:
        parser.error("--reuse needs --keep DIR (the folder of the kept databases)")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    over = []
    with tempfile.TemporaryDirectory(prefix="smartstep-scale-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            line, filled, times = run_size(size, workdir, args.repeats, args.seed, args.reuse)
            megabytes = Path(filled.path).stat().st_size / 1e6
            filled_how = "reused (filled in" if filled.reused else "filled in"
            print(f"# {size} assessments: {filled.firms} firms in {len(filled.cohort_ids)} cohorts, {filled_how} "
                  f"{filled.seconds:.1f} s{')' if filled.reused else ''}, {megabytes:.0f} MB; CPU per page: "
                  f"cohort {times.cohort_cpu_ms:.0f} ms, peer {times.peer_cpu_ms:.0f} ms", file=sys.stderr, flush=True)
            print(line, flush=True)
            if args.reports:
                print(reports_line(*time_reports(make_app(filled.path), filled)), file=sys.stderr, flush=True)
            if size >= 100000 and max(times.cohort_ms, times.peer_ms) > BUDGET_MS:
                over.append(line)
    for line in over:
        print(f"OVER BUDGET ({BUDGET_MS} ms): {line}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
