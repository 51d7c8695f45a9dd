"""Issue 12 in a real browser (Chromium, 360 x 740, against `smartstep serve`): answers survive a
dropped connection. The phone goes offline mid-page, reloads the page offline and comes back; a
network that drops about half of the requests (before or after the server got them) walks a
whole assessment. Every answer must arrive, once. (The walk with JavaScript off is in
test_browser.py.)"""
import random
import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser_helpers import new_page, running_server
from tests.test_browser import answer_pillar_page, fill_profile, save_and_continue, start

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_server_errors")]  # fixtures in conftest.py
SAVED = "No connection. Your answers are saved on this phone and will be sent when the connection returns."


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("offline")


@pytest.fixture(scope="module")
def server(folder):
    with running_server(folder) as base:
        yield base




def stored(folder, token):
    """(answers {question id: JSON value}, submissions per page) as the server stored them."""
    with sqlite3.connect(Path(folder) / "db.sqlite") as db:
        (assessment_id,) = db.execute("SELECT id FROM assessments WHERE token = ?", [token]).fetchone()
        answers = dict(db.execute("SELECT question_id, value FROM answers WHERE assessment_id = ?",
                                  [assessment_id]))
        pages = dict(db.execute("SELECT page_id, count(*) FROM submissions WHERE assessment_id = ? "
                                "GROUP BY page_id", [assessment_id]))
    return answers, pages


def checked_values(page):
    return page.evaluate("Array.from(document.querySelectorAll('form input:checked'), i => i.name + '=' + i.value)")


def token_of(page):
    return re.search(r"/a/([^/]+)/", page.url).group(1)


def finish(page):
    """Review, then results."""
    page.wait_for_url(re.compile(r"/review$"))
    page.get_by_role("button", name="See my results").click()
    page.wait_for_url(re.compile(r"/results$"))
    expect(page.locator("h1")).to_have_text("Your results")


def test_offline_mid_page_reload_then_online_sends_every_answer_once(chromium, server, folder):
    context, page = new_page(chromium)
    try:
        start(page, server)
        fill_profile(page)
        save_and_continue(page)
        page.wait_for_function("navigator.serviceWorker.controller !== null")  # this page is kept
        drawn_at = page.locator("input[name=loaded]").get_attribute("value")
        url = page.url

        context.set_offline(True)
        answer_pillar_page(page, offset=1)
        chosen = checked_values(page)
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator(".offline-note")).to_have_text(SAVED)
        assert page.url == url
        context.clear_cookies()  # the session (and the form's token) expired while offline

        page.reload()  # offline: the page the service worker kept, with the answers filled in again
        assert page.locator("input[name=loaded]").get_attribute("value") == drawn_at
        assert checked_values(page) == chosen
        expect(page.locator(".offline-note")).to_have_text(SAVED)
        page.goto(re.sub(r"/p/[^/]+$", "/results", url))  # results need the server, and say so
        expect(page.locator("h1")).to_have_text("No connection")
        page.go_back()

        context.set_offline(False)
        page.wait_for_url(lambda new: new != url and "/p/" in new, timeout=20_000)
        answers, pages = stored(folder, token_of(page))
        hardware = [c.split("=")[0] for c in chosen]
        assert {c.split("=")[0]: f'"{c.split("=")[1]}"' for c in chosen} == {q: answers[q] for q in hardware}
        assert pages[url.rsplit("/", 1)[1]] == 1  # sent once, though tried offline and after a reload
        offset = 2
        while "/p/" in page.url:
            answer_pillar_page(page, offset)
            offset += 1
            save_and_continue(page)
        finish(page)
    finally:
        context.close()


def test_a_flaky_network_loses_and_duplicates_nothing(chromium, server, folder):
    """About half of the requests fail at random: dropped before the server saw them, or after it
    answered (the phone never hears back). A page that does not open, the respondent opens
    again with the resume link."""
    context, page = new_page(chromium, service_workers="block")
    luck = random.Random(12)
    dropped = []

    def flaky(route):
        """Half the requests fail; a POST half of those times after the server saved it. The first
        POST's answer and the first page's opening are always lost, so both happen in every run."""
        post = route.request.method == "POST"
        roll = luck.random()
        if post and "after" not in dropped:
            roll = 0.3
        elif not post and "before" not in dropped:
            roll = 0.0
        if roll < (0.25 if post else 0.5):
            dropped.append("before")
            route.abort("connectionreset")
        elif roll < 0.5:
            route.fetch()  # the server saves; its answer is lost on the way back
            dropped.append("after")
            route.abort("connectionreset")
        else:
            route.continue_()

    try:
        start(page, server)
        token = token_of(page)
        context.route(re.compile(r".*/a/[^/]+/p/.*"), flaky)
        expected, visited = {}, []
        while "/p/" in page.url or page.url.startswith("chrome-error"):
            while not re.search(r"/p/[^/]+$", page.url) or page.locator("form[data-offline]").count() == 0:
                try:  # the page did not open: the resume link, as a person would
                    page.goto(f"{server}/a/{token}")
                except PlaywrightError as error:  # dropped again, or the page's own retry got there
                    assert "net::ERR_" in str(error) or "interrupted by another navigation" in str(error), error
            url = page.url
            visited.append(url.rsplit("/", 1)[1])
            if url.endswith("/profile"):
                fill_profile(page)
            else:
                answer_pillar_page(page, len(visited))
            expected.update(page.evaluate(
                "Object.fromEntries(Array.from(new FormData(document.querySelector('form')))"
                ".filter(([k, v]) => v !== '' && !['csrf_token', 'sid', 'loaded'].includes(k)))"))
            page.get_by_role("button", name="Save and continue").click()
            try:
                page.wait_for_url(lambda new: new != url, timeout=60_000)
            except PlaywrightError as error:  # the next page did not open: reloaded above
                if "net::ERR_" not in str(error):
                    raise
        context.unroute(re.compile(r".*/a/[^/]+/p/.*"))
        finish(page)
        assert "before" in dropped and "after" in dropped, dropped
        answers, pages = stored(folder, token)
        assert pages == {page_id: 1 for page_id in visited}  # each page saved by one submission
        for name, value in expected.items():
            if name != "goals":
                assert answers[name].strip('"') == value, name
        assert '"cost"' in answers["goals"] and '"energy"' in answers["goals"]
    finally:
        context.close()
