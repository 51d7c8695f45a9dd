"""Workshop load: a room of participants answering at once, against the real server.

Budget (docs: DESIGN.md, "Budgets"): 300 respondents answering at once on 2 cores -> 0 errors,
0 lost answers, p95 page time <= 300 ms.

Run:  .venv/bin/python bench/workshop_load.py [--participants 1000] [--think-min 5 --think-max 20]
      .venv/bin/python bench/workshop_load.py --stress       (no thinking time, 900 participants)

Pace: by default participants join within 60 s (the code goes up on the projector) and take 5-20 s
per page. A real owner takes about 15 minutes for the whole assessment; this room does it in about
3, so every participant overlaps every other and the load is several times a real room's.
--stress is overload on purpose: no thinking time at all, everyone starts within 10 s, and by
default 900 participants (3x the 300 the single-core server held). It reports the 5xx count, lost
answers and latency: overload must queue (slower answers), at worst answer 503 with Retry-After, and
never 500 or lose an acknowledged answer.

1. A temporary folder gets an empty database (`smartstep init-db`) and a facilitator
   (`smartstep create-user`), using the `smartstep` script next to this Python; then
   `smartstep serve --threads 32` starts as a separate process on a free port of 127.0.0.1
   (gunicorn with one worker process per core, unless --server or --workers say otherwise).
2. The facilitator logs in over HTTP, creates a workshop and opens it.
3. Every participant is a thread with its own cookie jar and its own keep-alive connection (as a
   phone's browser keeps one): it starts at a random moment within --spread seconds, joins with the
   workshop's /j/CODE link, answers every page with random valid answers read from the page's own
   form (no item ids are written here), reviews, opens the results and downloads the roadmap PDF,
   waiting a random think time before each click. Redirects are followed by hand and every request
   is timed on its own, from sending to the last byte of the body. A 503 (overload) is sent again
   after its Retry-After (at most 5 s, 5 times), as a person taps "Send my answers again".
4. The server is stopped, and the SQLite file is read directly: every answer the server
   acknowledged (a page POST answered by a redirect to the next page) must be stored with the value
   sent, and every assessment whose review was acknowledged must be completed with a result row.
5. A summary per kind of request, then as the last line:
     participants=N completed=N errors=N lost_answers=N p50_ms=N p95_ms=N
   completed: participants who got through to the PDF and whose assessment is stored completed with
   a result. errors: non-2xx/3xx responses, exceptions and timeouts, unexpected responses (a page
   re-shown instead of a redirect, a PDF that is not one) and participants cut off by --time-limit.
   p50/p95: over every request the participants made (pages, posts, results, PDF).
   Exit status 1 unless completed == participants, errors == 0 and lost_answers == 0.
   Before it: CPU seconds used during the run by the server (with its child processes), by this
   load generator and by everything else on the machine, since other work on the same 2 cores
   changes the latencies; the line
     http_5xx=N http_500=N http_503=N busy_resends=N server_cpu_s_per_assessment=N
   (every 5xx answer, the 500s and 503s among them, the requests sent again after a 503, and the
   server's CPU seconds per completed assessment); and how often waitress logged queued requests
   or its connection limit.

Keep-alive: one open connection per participant, as phones keep them, so 300 participants hold
300 connections (`smartstep serve` sets waitress's connection_limit to 1000; waitress's own default is 100).
--no-keep-alive opens a new connection for every request instead. --smartstep PATH runs another
install's script (for example a wrapper that starts the server differently) to compare servers.

Bounded: each request has --timeout, the whole run --time-limit, and only 127.0.0.1 is contacted.
tests/test_workshop_load.py runs the same code with a dozen participants and short think times.
"""
import argparse
import datetime
import html
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
FACILITATOR = "facilitator@workshop-load.example"
KINDS = ["join GET", "join POST", "started", "page GET", "page POST", "review GET", "review POST",
         "results", "roadmap.pdf"]
QUEUE_WARNING = "Task queue depth"  # waitress's log, to count
LIMIT_WARNING = "reached the connection limit"
MAX_PAGES = 50  # a questionnaire longer than this is a redirect loop, not a questionnaire
MAX_BUSY_RESENDS = 5
STRESS_PARTICIPANTS = 900  # 3x the 300 participants one core held
FIRM_WORDS = ["Taller", "Núñez", "Fábrica", "São", "João", "Metal", "Works", "Société", "d'Usinage",
              "Kibo", "Plastics", "& Sons", "Ltd", "Ng'ang'a", "Çelik", "Đông", "Á"]


# ---------------------------------------------------------------------------------------------
# Forms, read from the HTML with regular expressions (cheaper than html.parser on 2 cores).

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELDSET_RE = re.compile(r"<fieldset\b[^>]*>(.*?)</fieldset>", re.S | re.I)
INPUT_RE = re.compile(r"<input\b([^>]*)>", re.I)
SELECT_RE = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
OPTION_RE = re.compile(r"<option\b([^>]*)>", re.I)
TEXTAREA_RE = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S | re.I)
ATTR_RE = re.compile(r"""([a-zA-Z_:][-\w:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
MAX_CHOICES_RE = re.compile(r"\b(?:up to|at most|no more than)\s+(\d+)", re.I)
TAG_RE = re.compile(r"<[^>]+>")


def attributes(text):
    return {name.lower(): html.unescape(a if a else b if b else c) for name, a, b, c in ATTR_RE.findall(text)}


@dataclass
class Field:
    name: str
    kind: str  # radio, checkbox, select, text, hidden
    options: list = field(default_factory=list)
    value: str = ""
    maxlength: int = 0
    max_choices: int = 0


@dataclass
class Form:
    action: str
    fields: dict  # name -> Field, in page order

    @property
    def csrf_token(self):
        token = self.fields.get("csrf_token")
        if token is None or not token.value:
            raise ProtocolError("the form has no csrf_token")
        return token.value


def parse_forms(page):
    """Every POST form of a page, with its fields."""
    forms = []
    for match in FORM_RE.finditer(page):
        form_attrs = attributes(match.group(1))
        if form_attrs.get("method", "get").lower() != "post":
            continue
        body = match.group(2)
        fields = {}
        for tag in INPUT_RE.finditer(body):
            attrs = attributes(tag.group(1))
            name, kind = attrs.get("name"), attrs.get("type", "text").lower()
            if not name or kind in ("submit", "button", "reset", "image", "file"):
                continue
            if kind in ("radio", "checkbox"):
                fields.setdefault(name, Field(name, kind)).options.append(attrs.get("value", "on"))
            else:
                maxlength = int(attrs["maxlength"]) if attrs.get("maxlength", "").isdigit() else 0
                fields[name] = Field(name, "hidden" if kind == "hidden" else "text",
                                     value=attrs.get("value", ""), maxlength=maxlength)
        for tag in SELECT_RE.finditer(body):
            name = attributes(tag.group(1)).get("name")
            if name:
                values = [attributes(o).get("value", "") for o in OPTION_RE.findall(tag.group(2))]
                fields[name] = Field(name, "select", options=[v for v in values if v])
        for tag in TEXTAREA_RE.finditer(body):
            attrs = attributes(tag.group(1))
            if attrs.get("name"):
                maxlength = int(attrs["maxlength"]) if attrs.get("maxlength", "").isdigit() else 0
                fields[attrs["name"]] = Field(attrs["name"], "text", maxlength=maxlength)
        for group in FIELDSET_RE.finditer(body):  # "Choose up to 3." in a checkbox group's legend
            limit = MAX_CHOICES_RE.search(TAG_RE.sub(" ", group.group(1)))
            if limit:
                for tag in INPUT_RE.finditer(group.group(1)):
                    name = attributes(tag.group(1)).get("name")
                    if name in fields and fields[name].kind == "checkbox":
                        fields[name].max_choices = int(limit.group(1))
        forms.append(Form(form_attrs.get("action", ""), fields))
    return forms


def find_form(page, action=None, having=None):
    """The POST form posting to ``action`` ("" = the page itself), or the one with field ``having``."""
    for form in parse_forms(page):
        if having is not None and having in form.fields:
            return form
        if having is None and form.action == (action or ""):
            return form
    raise ProtocolError(f"no form (action={action!r}, field={having!r}) on the page")


EXCLUSIVE_VALUES = {"none"}


def random_answers(form, rng):
    """Random valid answers to every question of a page form: {name: str or list}."""
    answers = {}
    for f in form.fields.values():
        if f.kind == "hidden":
            continue
        if f.kind in ("radio", "select") and f.options:
            answers[f.name] = rng.choice(f.options)
        elif f.kind == "checkbox" and len(f.options) > 1:
            # "None of these" (value "none" in the questionnaire) cannot go with another choice
            options = [v for v in f.options if v not in EXCLUSIVE_VALUES]
            most = min(f.max_choices or 1, len(options))
            chosen = set(rng.sample(options, rng.randint(1, most)))
            answers[f.name] = [v for v in f.options if v in chosen]  # page order
        elif f.kind == "text":
            words = rng.sample(FIRM_WORDS, rng.randint(1, 3)) + [str(rng.randint(1, 999))]
            answers[f.name] = " ".join(words)[: f.maxlength or 60].strip()
    return answers


# ---------------------------------------------------------------------------------------------
# HTTP: one keep-alive connection and one cookie jar per simulated person.

class ProtocolError(Exception):
    """The server answered, but not as the app should (a wrong status, a missing form, ...)."""


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def location(self, port):
        """The redirect target's path; refuses any other host than ours."""
        target = self.headers.get("Location")
        if not target:
            raise ProtocolError(f"{self.status} without a Location header")
        parts = urlsplit(target)
        if parts.netloc and parts.netloc != f"{HOST}:{port}":
            raise ProtocolError(f"redirect to another host: {target}")
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Browser:
    """A cookie jar and a connection to 127.0.0.1; every request timed into ``timings``."""

    def __init__(self, port, timeout, keep_alive=True):
        self.port, self.timeout, self.keep_alive = port, timeout, keep_alive
        self.cookies = {}
        self.conn = None
        self.timings = []  # (kind, seconds)
        self.retries = 0   # requests re-sent once because the server had closed an idle connection
        self.server_errors = {}  # 5xx status -> how many

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, kind, method, path, form=None, expect=(200,)):
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if not self.keep_alive:
            headers["Connection"] = "close"
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            raw, data = self._exchange(method, path, body, headers)
        finally:  # a timed-out or failed request is timed too, as long as it took
            self.timings.append((kind, time.perf_counter() - started))
        if raw.will_close:
            self.close()
        response = Response(raw.status, raw.headers, data)
        for cookie in raw.headers.get_all("Set-Cookie") or []:
            pair, _sep, flags = cookie.partition(";")
            name, _eq, value = pair.strip().partition("=")
            if re.search(r"max-age=0\b", flags, re.I):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.status >= 500:
            self.server_errors[response.status] = self.server_errors.get(response.status, 0) + 1
        if not 200 <= response.status < 400:
            raise HttpError(kind, response.status, path, response.headers.get("Retry-After"))
        if response.status not in expect:
            raise ProtocolError(f"{kind} {path}: status {response.status}, expected {expect}")
        return response

    def _exchange(self, method, path, body, headers):
        for attempt in (1, 2):
            reused = self.conn is not None and self.conn.sock is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body, headers)
                raw = self.conn.getresponse()
                return raw, raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if not (reused and attempt == 1):
                    raise
                self.retries += 1  # an idle keep-alive connection the server had closed: browsers
                # silently send the request again on a new connection
            except BaseException:
                self.close()
                raise
        raise AssertionError("unreachable")


class HttpError(Exception):
    def __init__(self, kind, status, path, retry_after=None):
        super().__init__(f"{kind} {path}: HTTP {status}")
        self.status, self.retry_after = status, retry_after


# ---------------------------------------------------------------------------------------------
# The facilitator and the participants.

def set_up_workshop(port, email, password, timeout):
    """Logs in, creates a workshop for today and opens it; returns its join code."""
    staff = Browser(port, timeout)
    try:
        page = staff.request("staff", "GET", "/staff/login").text
        staff.request("staff", "POST", "/staff/login", expect=(302,), form={
            "email": email, "password": password, "csrf_token": find_form(page, having="email").csrf_token})
        form = find_form(staff.request("staff", "GET", "/staff/workshops/new").text, having="title")
        questionnaires = form.fields["questionnaire"].options
        languages = form.fields["language"].options
        created = staff.request("staff", "POST", "/staff/workshops/new", expect=(302,), form={
            "title": "Workshop load bench", "held_on": datetime.date.today().isoformat(),
            "questionnaire": "core" if "core" in questionnaires else questionnaires[0],
            "language": "en" if "en" in languages else languages[0], "csrf_token": form.csrf_token})
        detail = created.location(port)
        if not re.fullmatch(r"/staff/workshops/\d+", detail):
            raise ProtocolError(f"creating the workshop led to {detail}")
        confirm = staff.request("staff", "GET", f"{detail}/status?status=open").text  # "Open …?" page
        status_form = find_form(confirm, having="csrf_token")
        staff.request("staff", "POST", f"{detail}/status", expect=(302,),
                      form={"status": "open", "csrf_token": status_form.csrf_token})
        page = staff.request("staff", "GET", detail).text
        found = re.search(r"\bcode\s*<strong>([A-Z0-9]{4,12})</strong>", page)
        if not found:
            page = staff.request("staff", "GET", f"{detail}/projector").text
            found = re.search(r'class="bigcode">\s*([A-Z0-9]{4,12})\s*<', page)
        if not found:
            raise ProtocolError("no join code on the workshop's pages")
        return found.group(1)
    finally:
        staff.close()


class Participant:
    def __init__(self, number, port, options, code, stop):
        self.number, self.port, self.options, self.code, self.stop = number, port, options, code, stop
        self.rng = random.Random(None if options.seed is None else options.seed * 100_003 + number)
        self.browser = Browser(port, options.timeout, keep_alive=not options.no_keep_alive)
        self.start_at = self.rng.uniform(0, options.spread)
        self.token = None
        self.acknowledged = {}  # question id -> the value the server acknowledged with a redirect
        self.reviewed = False   # the review POST was acknowledged: a result must be stored
        self.finished = False   # got through to the roadmap PDF
        self.error = None
        self.busy_resends = 0   # requests sent again after a 503

    def think(self):
        """A person reading and tapping before the next click; the run's time limit cuts it short."""
        if self.stop.wait(self.rng.uniform(self.options.think_min, self.options.think_max)):
            raise TimeLimitReached()

    def run(self, epoch):
        try:
            if self.stop.wait(max(0.0, epoch + self.start_at - time.monotonic())):
                raise TimeLimitReached()
            self.walk()
            self.finished = True
        except TimeLimitReached:
            self.error = "stopped by --time-limit"
        except Exception as exc:  # every failure counts: the summary lists them
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.browser.close()

    def send(self, *args, **kwargs):
        """One request; after a 503 (overload), the same again after Retry-After, as a person would."""
        for attempt in range(MAX_BUSY_RESENDS + 1):
            try:
                return self.browser.request(*args, **kwargs)
            except HttpError as exc:
                if exc.status != 503 or attempt == MAX_BUSY_RESENDS:
                    raise
                self.busy_resends += 1
                wait = min(5.0, float(exc.retry_after or 1))
                if self.stop.wait(wait * self.rng.uniform(0.5, 1.5)):
                    raise TimeLimitReached() from exc
        raise AssertionError("unreachable")

    def walk(self):
        get = self.send
        join = f"/j/{self.code}"
        form = find_form(get("join GET", "GET", join).text)
        data = {"csrf_token": form.csrf_token}
        if "share_name" in form.fields and self.rng.random() < 0.5:
            data["share_name"] = form.fields["share_name"].options[0]
        self.think()
        started = get("join POST", "POST", join, form=data, expect=(302,)).location(self.port)
        found = re.fullmatch(r"/a/([^/]+)/started", started)
        if not found:
            raise ProtocolError(f"joining led to {started}")
        self.token = found.group(1)
        prefix = f"/a/{self.token}"
        begin = re.search(rf'href="({re.escape(prefix)}/p/[^"]+)"', get("started", "GET", started).text)
        if not begin:
            raise ProtocolError("no link to the first page on the start page")
        path = html.unescape(begin.group(1))
        self.think()
        for _page in range(MAX_PAGES):
            form = find_form(get("page GET", "GET", path).text)
            answers = random_answers(form, self.rng)
            self.think()
            following = get("page POST", "POST", path, expect=(302,), form={
                "csrf_token": form.csrf_token, **answers, "nav": "next"}).location(self.port)
            if following in (path, f"{prefix}/started") or not following.startswith(prefix + "/"):
                raise ProtocolError(f"saving {path} led to {following}")
            self.acknowledged.update(answers)
            path = following
            if not path.startswith(f"{prefix}/p/"):
                break
        else:
            raise ProtocolError(f"more than {MAX_PAGES} pages")
        if path != f"{prefix}/review":
            raise ProtocolError(f"the last page led to {path}, not the review")
        form = find_form(get("review GET", "GET", path).text)
        self.think()
        results = get("review POST", "POST", path, expect=(302,),
                      form={"csrf_token": form.csrf_token}).location(self.port)
        if results != f"{prefix}/results":
            raise ProtocolError(f"submitting the review led to {results}")
        self.reviewed = True
        link = re.search(rf'href="({re.escape(prefix)}/[^"]*\.pdf)"', get("results", "GET", results).text)
        if not link:
            raise ProtocolError("no PDF link on the results page")
        self.think()
        pdf = get("roadmap.pdf", "GET", html.unescape(link.group(1)))
        if not pdf.body.startswith(b"%PDF-") or "pdf" not in pdf.headers.get("Content-Type", ""):
            raise ProtocolError(f"the roadmap download is not a PDF ({pdf.headers.get('Content-Type')})")


class TimeLimitReached(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The server process.

def free_port(port=0):
    """``port`` if nothing listens on it (else exit), or any free port for 0."""
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            raise SystemExit(f"port {port} of {HOST} is taken: {exc}") from exc
        return sock.getsockname()[1]


def smartstep_command(given=None):
    """The `smartstep` script next to this Python (or ``given``, to measure another install)."""
    script = Path(given) if given else Path(sys.executable).parent / "smartstep"
    if not script.exists():
        raise SystemExit(f"{script} not found: install the project into this Python (pip install -e .)")
    return str(script)


class Server:
    def __init__(self, folder, port, threads, command=None, serve_options=()):
        self.folder, self.port, self.threads = Path(folder), port, threads
        self.serve_options = list(serve_options)
        self.command = smartstep_command(command)
        self.database = self.folder / "smartstep.sqlite"
        self.log_path = self.folder / "server.log"
        self.email, self.password = FACILITATOR, secrets.token_urlsafe(18)
        self.env = {**os.environ, "SMARTSTEP_DATABASE": str(self.database),
                    "SMARTSTEP_SECRET_KEY": secrets.token_hex(32)}
        self.process = None

    def cli(self, *args):
        done = subprocess.run([self.command, *args], env=self.env, cwd=self.folder,
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"smartstep {' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    def prepare(self):
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n", encoding="utf-8")
        self.cli("init-db")
        self.cli("create-user", self.email, "--org", "Workshop load bench", "--role", "facilitator",
                 "--password-file", str(password_file))

    def start(self, wait=60):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [self.command, "serve", "--host", HOST, "--port", str(self.port),
                 "--threads", str(self.threads), *self.serve_options],
                env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                try:
                    conn.request("GET", "/")
                    if conn.getresponse().status == 200:
                        return
                finally:
                    conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server did not answer within {wait} s:\n{self.log_tail()}")

    def read_cpu_seconds(self):
        """CPU time (user + system) of the server and its child processes so far (Linux /proc), or None."""
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue  # a process that just ended
                stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
        if self.process is None or self.process.pid not in stats:
            return None
        family = {self.process.pid}
        while True:  # the server, its workers, their children...
            grown = family | {pid for pid, (ppid, _ticks) in stats.items() if ppid in family}
            if grown == family:
                break
            family = grown
        total = sum(stats[pid][1] for pid in family)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self):
        """Ctrl+C, as a facilitator stops it; then SIGTERM and SIGKILL if it does not exit."""
        if self.process is None or self.process.poll() is not None:
            return
        for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            self.process.send_signal(sig)
            try:
                self.process.wait(grace)
                return
            except subprocess.TimeoutExpired:
                print(f"the server did not stop within {grace} s of {sig.name}", file=sys.stderr)

    def log_tail(self, lines=30):
        """The log's last lines, less waitress's warnings about queued requests and the connection
        limit (many under load; the summary counts them)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        kept = [line for line in text.splitlines() if not re.search(QUEUE_WARNING + "|" + LIMIT_WARNING, line)]
        return "\n".join(kept[-lines:])


# ---------------------------------------------------------------------------------------------
# Checking the database, and the figures.

def check_database(path, participants):
    """(lost answers, reviewed assessments without a completed result), read from the file itself."""
    lost = missing_results = 0
    conn = sqlite3.connect(path)
    try:
        for person in participants:
            if person.token is None:
                continue
            row = conn.execute("SELECT id, status FROM assessments WHERE token = ?", [person.token]).fetchone()
            if row is None:
                lost += len(person.acknowledged)
                if person.reviewed:
                    missing_results += 1
                    person.finished = False
                continue
            assessment_id, status = row
            stored = {q: json.loads(v) for q, v in conn.execute(
                "SELECT question_id, value FROM answers WHERE assessment_id = ?", [assessment_id])}
            lost += sum(1 for q, value in person.acknowledged.items() if stored.get(q) != value)
            if person.reviewed:
                has_result = conn.execute("SELECT 1 FROM results WHERE assessment_id = ?",
                                          [assessment_id]).fetchone()
                if status != "completed" or not has_result:
                    missing_results += 1
                    person.finished = False
    finally:
        conn.close()
    return lost, missing_results


def machine_busy_seconds():
    """CPU time all processes on this machine have used since boot (Linux /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def percentile(sorted_values, q):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


@dataclass
class Outcome:
    participants: int
    completed: int
    errors: int
    lost_answers: int
    missing_results: int
    p50_ms: int
    p95_ms: int

    @property
    def ok(self):
        return (self.completed == self.participants and self.errors == 0 and self.lost_answers == 0
                and self.missing_results == 0)

    def last_line(self):
        return (f"participants={self.participants} completed={self.completed} errors={self.errors} "
                f"lost_answers={self.lost_answers} p50_ms={self.p50_ms} p95_ms={self.p95_ms}")


def server_errors_line(participants, cpu_seconds):
    errors = {}
    for p in participants:
        for status, count in p.browser.server_errors.items():
            errors[status] = errors.get(status, 0) + count
    completed = sum(p.finished for p in participants)
    per_assessment = f"{cpu_seconds / completed:.3f}" if cpu_seconds is not None and completed else "?"
    return (f"http_5xx={sum(errors.values())} http_500={errors.get(500, 0)} http_503={errors.get(503, 0)} "
            f"busy_resends={sum(p.busy_resends for p in participants)} "
            f"server_cpu_s_per_assessment={per_assessment}")


def summarise(participants, lost, missing_results, wall, cpu, out):
    timings = [t for p in participants for t in p.browser.timings]
    by_kind = {}
    for kind, seconds in timings:
        by_kind.setdefault(kind, []).append(seconds * 1000)
    every = sorted(ms for values in by_kind.values() for ms in values)
    print(f"{'request':<13}{'count':>7}{'p50':>8}{'p95':>8}{'max':>8}  (ms)", file=out)
    for kind in KINDS + sorted(set(by_kind) - set(KINDS)):
        values = sorted(by_kind.get(kind, []))
        if values:
            print(f"{kind:<13}{len(values):>7}{percentile(values, .5):>8.0f}{percentile(values, .95):>8.0f}"
                  f"{values[-1]:>8.0f}", file=out)
    print(f"{'all':<13}{len(every):>7}{percentile(every, .5):>8.0f}{percentile(every, .95):>8.0f}"
          f"{every[-1] if every else 0:>8.0f}", file=out)
    used = ", ".join(f"{name} {'?' if seconds is None else f'{seconds:.1f}'}" for name, seconds in cpu.items())
    print(f"wall {wall:.1f} s, {len(every) / wall if wall else 0:.0f} requests/s, connection retries "
          f"{sum(p.browser.retries for p in participants)}; CPU seconds (of {os.cpu_count() * wall:.0f} on "
          f"{os.cpu_count()} cores): {used}", file=out)
    failed = [p for p in participants if p.error]
    errors = len(failed)
    if failed:
        counts = {}
        for p in failed:
            message = p.error.replace(p.token, "<token>") if p.token else p.error
            counts[message] = counts.get(message, 0) + 1
        print(f"errors ({errors}):", file=out)
        for message, count in sorted(counts.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {count} x {message}", file=out)
    if missing_results:
        print(f"reviewed assessments without a completed result: {missing_results}", file=out)
    print(server_errors_line(participants, cpu.get("server")), file=out)
    return Outcome(participants=len(participants), completed=sum(p.finished for p in participants),
                   errors=errors, lost_answers=lost, missing_results=missing_results,
                   p50_ms=round(percentile(every, .5)), p95_ms=round(percentile(every, .95)))


def run(options, out=None):
    """The whole bench; returns an Outcome (also printed, last line as documented above)."""
    out = out or sys.stdout
    folder = tempfile.mkdtemp(prefix="smartstep-load-")
    serve_options = (["--server", options.server] if options.server else []) + \
        (["--workers", str(options.workers)] if options.workers else [])
    server = Server(folder, free_port(options.port), options.threads, options.smartstep, serve_options)
    try:
        server.prepare()
        server.start()
        code = set_up_workshop(server.port, server.email, server.password, options.timeout)
        print(f"server: smartstep serve --threads {options.threads} {' '.join(serve_options)} on {HOST}:{server.port} (pid "
              f"{server.process.pid}); workshop {code}; {options.participants} participants, start "
              f"spread {options.spread:g} s, think {options.think_min:g}-{options.think_max:g} s, "
              f"{'new connection per request' if options.no_keep_alive else 'keep-alive'}", file=out, flush=True)
        stop = threading.Event()
        participants = [Participant(n, server.port, options, code, stop) for n in range(options.participants)]
        before = (time.process_time(), server.read_cpu_seconds(), machine_busy_seconds())
        epoch = time.monotonic()
        threads = [threading.Thread(target=p.run, args=(epoch,), name=f"participant-{p.number}", daemon=True)
                   for p in participants]
        for thread in threads:
            thread.start()
        deadline = epoch + options.time_limit
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if any(t.is_alive() for t in threads):
            stop.set()  # thinking participants give up now; requests in flight end by --timeout
            for thread in threads:
                thread.join(options.timeout + 5)
        wall = time.monotonic() - epoch
        after = (time.process_time(), server.read_cpu_seconds(), machine_busy_seconds())
        cpu = {"server": None, "load generator": after[0] - before[0], "other processes": None}
        if None not in (before[1], after[1]):
            cpu["server"] = after[1] - before[1]
        if None not in (before[1], after[1], before[2], after[2]):
            cpu["other processes"] = max(0.0, after[2] - before[2] - cpu["server"] - cpu["load generator"])
        server.stop()
        if server.process.returncode not in (0, 1, -signal.SIGINT):
            print(f"server exit status {server.process.returncode}", file=out)
        lost, missing_results = check_database(server.database, participants)
        outcome = summarise(participants, lost, missing_results, wall, cpu, out)
        log = server.log_path.read_text(errors="replace") if server.log_path.exists() else ""
        print(f"server log: {len(re.findall(QUEUE_WARNING, log))} x '{QUEUE_WARNING}' (requests waiting for a "
              f"worker thread), {len(re.findall(LIMIT_WARNING, log))} x '{LIMIT_WARNING}' (new connections "
              f"left waiting)", file=out)
        if not outcome.ok:
            print(f"server log (last lines):\n{server.log_tail()}", file=out)
        print(outcome.last_line(), file=out, flush=True)
        return outcome
    finally:
        server.stop()
        if options.keep_dir:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=None,
                        help=f"default 300, or {STRESS_PARTICIPANTS} with --stress")
    parser.add_argument("--stress", action="store_true",
                        help="overload: no thinking time, everyone starts within 10 s")
    parser.add_argument("--server", choices=["auto", "gunicorn", "waitress"], help="passed to smartstep serve")
    parser.add_argument("--workers", type=int, help="server worker processes (default: one per core)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--threads", type=int, default=32, help="the server's threads per worker process")
    parser.add_argument("--think-min", type=float, default=5.0, help="seconds")
    parser.add_argument("--think-max", type=float, default=20.0, help="seconds")
    parser.add_argument("--spread", type=float, default=60.0,
                        help="participants start at random moments within this many seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--time-limit", type=float, default=600.0,
                        help="for all participants together, seconds")
    parser.add_argument("--no-keep-alive", action="store_true",
                        help="a new connection for every request instead of one per participant")
    parser.add_argument("--smartstep", metavar="PATH",
                        help="the smartstep script to run (default: the one next to this Python)")
    parser.add_argument("--seed", type=int, help="for repeatable answers and timings")
    parser.add_argument("--keep-dir", action="store_true", help="keep the database and server log")
    options = parser.parse_args(argv)
    if options.stress:
        options.think_min = options.think_max = 0.0
        options.spread = min(options.spread, 10.0)
        options.time_limit = max(options.time_limit, 1200.0)
    if options.participants is None:
        options.participants = STRESS_PARTICIPANTS if options.stress else 300
    if options.participants < 1 or options.think_min < 0 or options.think_max < options.think_min:
        parser.error("need participants >= 1 and 0 <= think-min <= think-max")
    return options


def main(argv=None):
    outcome = run(parse_args(argv))
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
