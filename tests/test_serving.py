"""Serving with several worker processes: what they share (rate limits, PDFs, the database) holds
across processes; overload answers 503 and keeps the answers, never 500; app and CLI import one way."""
import ast
import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assessment import create_app
from assessment import db as database
from assessment.web.pdf_cache import PdfCache

ROOT = Path(__file__).resolve().parent.parent
SMARTSTEP = str(Path(sys.executable).parent / "smartstep")


def free_port():
    """A free port in 18000-18099, the range these tests may use."""
    for port in range(18000, 18100):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18000-18099")


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class Servers:
    """`smartstep serve` processes started on one database, stopped at the end."""

    def __init__(self, folder):
        self.env = {**os.environ, "SMARTSTEP_DATABASE": str(folder / "smartstep.sqlite"),
                    "SMARTSTEP_SECRET_KEY": "serving-test", "SMARTSTEP_RESUME_CODE_LIMIT": "3 per minute"}
        self.processes = []
        subprocess.run([SMARTSTEP, "init-db"], env=self.env, check=True, capture_output=True, timeout=120)

    def start(self, *options):
        port = free_port()
        process = subprocess.Popen([SMARTSTEP, "serve", "--port", str(port), *options], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(process)
        return wait_until_serving(port)

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_serving(port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/") == 200:
                return port
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.fixture
def servers(tmp_path):
    started = Servers(tmp_path)
    yield started
    started.stop()


def test_a_limit_counted_in_one_worker_process_holds_in_another(servers):
    first = servers.start("--server", "gunicorn", "--workers", "2")
    second = servers.start("--server", "gunicorn", "--workers", "1")
    assert [get(first, f"/j/AAAA0{n}") for n in range(3)] == [404, 404, 404]
    assert get(second, "/j/AAAA09") == 429  # another process, another server: the same count


def test_waitress_still_serves_where_gunicorn_does_not_run(servers):
    port = servers.start("--server", "waitress")
    assert get(port, "/") == 200


def test_the_pdf_cache_is_shared_through_its_folder(tmp_path):
    one, other = PdfCache(tmp_path / "pdfs"), PdfCache(tmp_path / "pdfs")
    builds = []
    assert one.get_or_build("k", lambda: builds.append(1) or b"%PDF-1") == b"%PDF-1"
    assert other.size("k") == 6 and other.get_or_build("k", lambda: builds.append(2) or b"x") == b"%PDF-1"
    assert builds == [1]


def test_the_pdf_cache_keeps_at_most_its_capacity(tmp_path):
    cache = PdfCache(tmp_path, capacity=3)
    for n in range(5):
        cache.get_or_build(n, lambda: b"pdf")
        os.utime(cache._path(n), (n, n))  # distinct ages
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(Path(cache._path(n)).name for n in (2, 3, 4))


# --- overload -------------------------------------------------------------------------------------

@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(database, "WRITE_WAIT_S", 0.2)


def hardware_answers(questionnaire, level="3"):
    return {item.id: level for item in questionnaire.pillar("hardware").items}


def stored(db, token):
    row = db.execute("SELECT id FROM assessments WHERE token = ?", [token]).fetchone()
    return dict(db.execute("SELECT question_id, value FROM answers WHERE assessment_id = ?", [row[0]]).fetchall())


def test_a_write_that_cannot_get_its_turn_gets_503_that_keeps_the_answers(app, client, respondent, db,
                                                                         questionnaire, short_wait):
    answers = hardware_answers(questionnaire)
    database._write_turn.acquire()  # another request is writing, and takes too long
    try:
        response = client.post(respondent.url("p/hardware"), data={"nav": "next", **answers})
    finally:
        database._write_turn.release()
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Busy for a moment" in page and "Traceback" not in page
    for item_id, value in answers.items():
        assert f'<input type="hidden" name="{item_id}" value="{value}">' in page
    assert 'name="nav" value="next"' in page
    assert not any(item_id in stored(db, respondent.token) for item_id in answers)  # nothing acknowledged
    # sent again, as the page's button does: saved
    again = client.post(respondent.url("p/hardware"), data={"nav": "next", **answers})
    assert again.status_code == 302 and set(answers) <= set(stored(db, respondent.token))


def test_a_database_locked_by_another_process_gets_503_not_500(app, client, respondent, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    database.close_thread_connection()  # reconnect with the short busy timeout
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        response = client.post(respondent.url("p/hardware"), data={"nav": "next"})
    finally:
        other.rollback()
        other.close()
        database.close_thread_connection()
    assert response.status_code == 503 and "Busy for a moment" in response.get_data(as_text=True)


def test_writes_queue_in_turn_under_many_threads(app, db):
    """60 threads writing at once all succeed (they wait their turn, none hits the busy timeout)."""
    from assessment.store import assessments
    with app.app_context():
        questionnaire = app.extensions["smartstep.library"].questionnaires["core"]
    errors = []

    def write():
        try:
            conn = database.connect(app.config["DATABASE"])
            assessments.create_assessment(conn, questionnaire)
            conn.close()
        except Exception as exc:  # noqa: BLE001 - any failure is the test's finding
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and db.execute("SELECT count(*) FROM assessments").fetchone()[0] == 60


def test_the_app_does_not_import_the_cli():
    """One way: cli.py imports the app factory; app.py knows nothing of the CLI."""
    tree = ast.parse((ROOT / "assessment" / "app.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {f"{n.module}.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not any(name.endswith("cli") or ".cli." in name for name in imported), imported


def test_a_pdf_that_waits_too_long_in_a_burst_gets_503_with_retry_after(app, client, respondent, monkeypatch):
    from assessment.web import pdf_worker
    respondent.complete()
    app.config["PDF_WORKER"] = True

    def queue_full(*args):
        raise pdf_worker.PdfQueueFull()

    monkeypatch.setattr(pdf_worker.pdf_worker, "run", queue_full)
    response = client.get(respondent.url("roadmap.pdf"))
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Try again" in response.get_data(as_text=True)


def test_the_serve_command_stops_cleanly_after_closing_its_connection(app):
    """Regression: closing the kept connection before the fork must not leave the app context a
    closed connection to roll back."""
    with app.app_context():
        database.get_db()
        database.close_thread_connection()
    # leaving the context ran close_db without error



def test_a_served_app_builds_pdfs_apart_in_a_process_made_ready_at_start(app):
    from assessment import serving
    from assessment.firm_report import pdf_process_files, ready_pdf_process
    from assessment.web.pdf_worker import pdf_worker
    assert serving.prepared(app) is app and app.config["PDF_WORKER"] is True
    assert pdf_worker.pool is not None
    # The same start-up, waited for: it runs in the PDF process, which opens this app's files.
    assert pdf_worker.start(ready_pdf_process, *pdf_process_files(app.config)).result(timeout=60) is None
    database, data_dir, local_files = pdf_process_files(app.config)
    missing = pdf_worker.start(ready_pdf_process, database + "-missing/db.sqlite", data_dir, local_files)
    assert "unable to open database file" in str(missing.exception(timeout=60))


def children_running(pid, marker):
    """Process ids whose parent is ``pid`` and whose command line holds ``marker`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and marker in command:
            found.append(int(entry))
    return found


def has_open(pid, name):
    """Whether process ``pid`` has a file called ``name`` open (Linux /proc): a PDF process opens
    the database when it is made ready."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return any(os.path.basename(link) == name for link in links)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_pdf_process_ends_with_a_server_stopped_by_a_signal(servers):
    """waitress on SIGTERM skips the pool's own shutdown: its PDF process must not live on."""
    servers.start("--server", "waitress")
    server = servers.processes[-1]
    deadline = time.monotonic() + 30
    while not (pdf_processes := children_running(server.pid, b"spawn_main")):
        assert time.monotonic() < deadline, "the PDF process did not start with the server"
        time.sleep(0.1)
    servers.stop()
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in pdf_processes):
        if time.monotonic() > deadline:
            for pid in pdf_processes:
                os.kill(pid, 9)
            raise AssertionError("the PDF process outlived its server")
        time.sleep(0.1)


def _as_in_a_terminal():
    """Ctrl+C as a terminal's foreground command gets it: a test run started in the background
    of a script (CI) ignores SIGINT, and its children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_server_without_a_traceback(tmp_path):
    """Ctrl+C in the terminal of `make run` reaches every process of its group, the PDF processes
    too: they leave stopping to their server and print nothing (they end with it)."""
    env = Servers(tmp_path).env
    port = free_port()
    server = subprocess.Popen([SMARTSTEP, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                              preexec_fn=_as_in_a_terminal)
    try:
        wait_until_serving(port)
        deadline = time.monotonic() + 30
        while sum(has_open(pdf, "smartstep.sqlite") for worker in children_running(server.pid, b"smartstep")
                  for pdf in children_running(worker, b"spawn_main")) < 2:
            assert time.monotonic() < deadline, "the PDF processes were not made ready with the workers"
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGINT)  # what the terminal does on Ctrl+C
        _out, errors = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert b"Traceback" not in errors and b"KeyboardInterrupt" not in errors, errors.decode()[-2000:]


def test_healthz_says_ok_while_the_database_answers(app, tmp_path):
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.data) == (200, b"ok\n")
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers
    empty = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "not-set-up.sqlite")})
    response = empty.test_client().get("/healthz")  # no schema: init-db never ran
    assert (response.status_code, response.data) == (503, b"database unavailable\n")
