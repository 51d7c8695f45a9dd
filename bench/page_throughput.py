"""Page throughput: what a question page, the results page and the landing page cost next to a bare
Flask route, under the same server, measured side by side with the same load generator.

Budget (DESIGN.md, "Budgets"): a question page >= 0.5x the throughput of a bare Flask route.

Run:  .venv/bin/python bench/page_throughput.py [--duration 5] [--connections 32] [--server auto]
                                                [--workers N] [--threads 16] [--rounds 4]

1. A temporary folder gets an empty database (`smartstep init-db`, run by this script), and the
   server starts as a separate process on a free port of 127.0.0.1 through the same code as
   `smartstep serve` (assessment/serving.py), with one extra route, GET /bench/hello, that returns
   "hello" (the bare route: it still passes through the app's request hooks, as any page does).
2. One respondent walks through the assessment over HTTP (random valid answers) and completes it.
3. wrk (Debian package `wrk`: `apt-get install wrk`) runs against each URL in turn, --rounds
   times, with --connections keep-alive connections, the respondent's session cookie and
   `Accept-Encoding: gzip` as a phone sends them: the bare route, the first pillar's question
   page, the results page and the landing page. The best round of each counts (other programs on
   a shared machine only ever slow a round down). Four rounds of 5 s rather than two of 10 s: the
   same time, but a URL whose rounds all fall in a slow minute is less likely (three runs of the
   same code each way: question ratio 0.45-0.71x with two rounds, 0.61-0.66x with four).
4. One line per URL: req/s, the ratio to the bare route and the median latency; then the last line,
   for scripts:   bare_rps=N question_rps=N question_ratio=N results_ratio=N landing_ratio=N
   Exit status 1, with an OVER BUDGET line, when the question page is below 0.5x.

Bounded: each wrk run lasts --duration seconds, and only 127.0.0.1 is contacted.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workshop_load import HOST, Browser, find_form, free_port, random_answers  # noqa: E402

BUDGET_RATIO = 0.5
SERVE_CHILD = "--serve-child"


def serve_child(port, server, workers, threads):
    """In the server process: the app plus the bare route, through assessment.serving."""
    from assessment import create_app, serving

    def make_app():
        app = create_app()
        app.add_url_rule("/bench/hello", "bench_hello", lambda: "hello")
        return serving.prepared(app)  # as `smartstep serve` runs it

    chosen = serving.choose_server(server)
    if chosen == "gunicorn":
        serving.serve_with_gunicorn(make_app, HOST, port, workers, threads, 1000)
    else:
        app = make_app()
        serving.serve_with_waitress(app, HOST, port, threads, 1000)


def start_server(folder, port, options):
    env = dict(os.environ, SMARTSTEP_DATABASE=str(folder / "smartstep.sqlite"),
               SMARTSTEP_SECRET_KEY="page-throughput-bench")
    script = Path(sys.executable).parent / "smartstep"
    subprocess.run([str(script), "init-db"], env=env, check=True, capture_output=True)
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen([sys.executable, __file__, SERVE_CHILD, str(port), options.server,
                                    str(options.workers), str(options.threads)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        probe = Browser(port, 5)
        try:
            probe.request("probe", "GET", "/bench/hello")
            return process
        except OSError:
            time.sleep(0.2)
        finally:
            probe.close()
    process.terminate()
    raise SystemExit("the server did not start; see " + str(folder / "server.log"))


def walk_assessment(port, rng):
    """A respondent who answers every page and completes: returns (cookie header, first page path,
    results path)."""
    browser = Browser(port, 30)
    try:
        return _walk(browser, port, rng)
    finally:
        browser.close()


def _walk(browser, port, rng):
    landing = browser.request("landing", "GET", "/")
    start = find_form(landing.text, action="/start")
    started = browser.request("start", "POST", "/start", {"csrf_token": start.csrf_token}, expect=(302,))
    path = started.location(port).replace("/started", "")
    first_page = None
    for _ in range(50):
        response = browser.request("walk", "GET", path, expect=(200, 302))
        if response.status == 302:
            path = response.location(port)
            continue
        if path.endswith("/review"):
            form = find_form(response.text, action="")
            done = browser.request("review", "POST", path, {"csrf_token": form.csrf_token}, expect=(302,))
            results = done.location(port)
            cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
            return cookie, first_page, results
        if "/p/" in path and not path.endswith("/p/profile") and first_page is None:
            first_page = path
        form = find_form(response.text, action="")
        answers = random_answers(form, rng)
        posted = browser.request("post", "POST", path, {"csrf_token": form.csrf_token, "nav": "next", **answers},
                                 expect=(302,))
        path = posted.location(port)
    raise SystemExit("the walk through the assessment did not end")


def run_wrk(url, options, cookie):
    command = ["wrk", "-t", str(options.threads_client), "-c", str(options.connections),
               "-d", f"{options.duration}s", "--latency", "-H", "Accept-Encoding: gzip", "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=options.duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[median.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, float(median.group(1)) * scale, int(non_2xx.group(1)) if non_2xx else 0


def server_cpu_seconds(pid):
    """CPU seconds used so far by the server process and its children (gunicorn's workers, their PDF
    processes), read from /proc; None where there is no /proc."""
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        total = 0.0
        for each in [str(pid), *children]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        return total
    except (OSError, ValueError, IndexError):
        return None


def run_measured(url, options, cookie, server_pid):
    """run_wrk, plus the server's CPU milliseconds per request over the run (None without /proc)."""
    before = server_cpu_seconds(server_pid)
    rps, median, non_2xx = run_wrk(url, options, cookie)
    after = server_cpu_seconds(server_pid)
    requests = rps * options.duration
    cpu_ms = (after - before) * 1000 / requests if None not in (before, after) and requests else None
    return rps, median, non_2xx, cpu_ms


def measure(options):
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with 'apt-get install wrk' (Debian) and run again")
    folder = Path(tempfile.mkdtemp(prefix="smartstep-throughput-"))
    port = options.port or free_port()
    server = start_server(folder, port, options)
    try:
        cookie, question, results = walk_assessment(port, random.Random(options.seed))
        base = f"http://{HOST}:{port}"
        urls = {"bare": "/bench/hello", "question": question, "results": results, "landing": "/"}
        best = {name: (0.0, 0.0, 0, None) for name in urls}
        for _ in range(options.rounds):
            for name, path in urls.items():
                measured = run_measured(base + path, options, cookie, server.pid)
                if measured[0] > best[name][0]:
                    best[name] = measured
        return best
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def report(best, options):
    bare = best["bare"][0]
    print(f"server={options.server} workers={options.workers} threads={options.threads} "
          f"connections={options.connections} duration={options.duration}s rounds={options.rounds} "
          f"cores={os.cpu_count()} load_before={os.getloadavg()[0]:.1f}")
    print(f"{'url':<10} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'non-2xx':>8} {'server CPU ms/req':>18}")
    for name, (rps, median, errors, cpu_ms) in best.items():
        cpu = "n/a" if cpu_ms is None else f"{cpu_ms:.2f}"
        print(f"{name:<10} {rps:>9.0f} {rps / bare:>7.2f} {median:>8.1f} {errors:>8} {cpu:>18}")
    ratios = {name: best[name][0] / bare for name in best}
    print(f"bare_rps={bare:.0f} question_rps={best['question'][0]:.0f} question_ratio={ratios['question']:.2f} "
          f"results_ratio={ratios['results']:.2f} landing_ratio={ratios['landing']:.2f}")
    if ratios["question"] < BUDGET_RATIO:
        print(f"OVER BUDGET: the question page serves {ratios['question']:.2f}x a bare route (budget {BUDGET_RATIO}x)")
        return 1
    return 0


def parse_args(argv=None):
    from assessment.serving import SERVERS, default_workers
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads-client", type=int, default=2, help="wrk's threads")
    parser.add_argument("--server", choices=SERVERS, default="auto")
    parser.add_argument("--workers", type=int, default=default_workers(), help="server worker processes (gunicorn)")
    parser.add_argument("--threads", type=int, default=32, help="server threads per worker")
    parser.add_argument("--rounds", type=int, default=4, help="runs per URL; the best counts")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_args(argv)
    return report(measure(options), options)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == SERVE_CHILD:
        serve_child(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(main())
