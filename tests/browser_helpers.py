"""Shared by the browser tests: a real SmartStep server (`smartstep serve`, waitress) started as a
separate process on its own new SQLite file, and Debian's Chromium driven by Playwright."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, log, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"smartstep serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"smartstep serve did not answer {url} within {timeout}s:\n{log.read_text()}")


class Server(str):
    """The base URL, which also knows the server's log file."""

    def __new__(cls, base, log):
        url = super().__new__(cls, base)
        url.log = log
        return url


def smartstep(folder, *args, timeout=120):
    """Runs `smartstep ARGS` against the database of ``folder``; returns the finished process."""
    return subprocess.run([str(Path(sys.executable).parent / "smartstep"), *args], env=server_env(folder),
                          capture_output=True, text=True, timeout=timeout)


def server_env(folder):
    env = {key: value for key, value in os.environ.items() if not key.startswith("SMARTSTEP_")}
    env.update(SMARTSTEP_DATABASE=str(Path(folder) / "db.sqlite"), SMARTSTEP_SECRET_KEY="test",
               SMARTSTEP_HTTPS="false")  # plain http on localhost: cookies must not be Secure
    return env


@contextlib.contextmanager
def running_server(folder):
    """A SmartStep server on a free port over ``folder``'s database (created here if needed);
    yields its base URL as a Server. Fill the database (e.g. `smartstep demo`) before calling this."""
    init = smartstep(folder, "init-db", timeout=60)
    assert init.returncode == 0, init.stdout + init.stderr
    port = free_port()
    log = Path(folder) / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "smartstep"), "serve", "--host",
                                    "127.0.0.1", "--port", str(port)],
                                   env=server_env(folder), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process, log)
        yield Server(base, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def failing_on_server_errors(server):
    """Fails the test when the server logs a traceback while the block runs, showing the traceback."""
    before = server.log.stat().st_size
    yield
    with open(server.log, encoding="utf-8", errors="replace") as log:
        log.seek(before)
        new = log.read()
    if "Traceback" in new:
        pytest.fail(f"the server failed during this test:\n{new}")


@contextlib.contextmanager
def launched_chromium():
    executable = shutil.which("chromium")
    assert executable, "Debian's Chromium is missing: apt-get install chromium (or `make browser`)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(chromium, javascript=True, viewport=PHONE, **context_options):
    """A new context (no cookies) and its page, with JavaScript on or off as asked."""
    context = chromium.new_context(viewport=viewport, java_script_enabled=javascript, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert page.title() == ("on" if javascript else "off"), "JavaScript setting not applied"
    return context, page
