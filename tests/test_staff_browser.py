"""Issue 14's staff pages in a real browser (Debian's Chromium, Playwright, the real server):
the confirmation and undo of a new round, the visible error of an empty firm form, the way back
from "Enter answers yourself", and the dashboard's charts updating when a phone completes.
Phone (360 x 740) and projector/desk (1280 x 720) sizes."""
import html.parser
import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import new_page, running_server, smartstep

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_server_errors")]  # fixtures in conftest.py

PASSWORD = "browser-test-password"
PM, FACILITATOR = "pm@incubator.test", "fac@agency.test"
PHONE, DESK = {"width": 360, "height": 740}, {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("staff-server")
    assert smartstep(folder, "init-db").returncode == 0
    password_file = folder / "password"
    password_file.write_text(PASSWORD)
    for email, role in ((PM, "programme_manager"), (FACILITATOR, "facilitator")):
        made = smartstep(folder, "create-user", email, "--org", "Agency", "--role", role,
                         "--password-file", str(password_file))
        assert made.returncode == 0, made.stdout + made.stderr
    with running_server(folder) as base:
        yield base




def logged_in(chromium, server, email, viewport):
    context, page = new_page(chromium, viewport=viewport)
    page.goto(server + "/staff/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/staff/"))
    return context, page


def new_cohort(page, server, name):
    page.goto(server + "/staff/programme/")
    page.get_by_label("Cohort name").fill(name)
    page.get_by_role("button", name="Create cohort").click()
    page.wait_for_url(re.compile(r"/cohorts/\d+$"))


def add_firm(page, name):
    form = page.locator("#add-firm")
    form.get_by_label("Firm name").fill(name)
    form.get_by_label("Country").select_option("KE")
    form.get_by_label("Sector").select_option(index=1)
    form.get_by_label("Size").select_option(index=1)
    form.get_by_role("button", name="Add firm").click()
    page.wait_for_url(re.compile(r"/firms/\d+$"))


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_an_empty_firm_form_shows_its_error_where_the_eye_is(chromium, server, viewport):
    context, page = logged_in(chromium, server, PM, viewport)
    try:
        new_cohort(page, server, f"Empty form {viewport['width']}")
        page.locator("#add-firm").get_by_role("button", name="Add firm").click()
        page.wait_for_load_state()
        error = page.locator("#name-error")
        expect(error).to_have_text("Type the firm's name.")
        expect(error).to_be_in_viewport()  # not below a screen of export links
        expect(page.locator("#name")).to_be_focused()
        expect(page.locator("#country-error")).to_have_text("Choose the firm's country.")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_starting_a_round_asks_first_and_can_be_undone(chromium, server, viewport):
    context, page = logged_in(chromium, server, PM, viewport)
    try:
        new_cohort(page, server, f"Rounds {viewport['width']}")
        add_firm(page, "Kumasi Furniture")
        firm_url = page.url
        page.get_by_role("link", name="Start round T1…").click()
        expect(page.get_by_role("heading", name="Start round T1 for “Kumasi Furniture”?")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("Round T0 has no completed answers yet")
        expect(page.locator("main")).to_contain_text("invitation link")
        page.get_by_role("link", name="Cancel: keep things as they are").click()
        page.wait_for_url(firm_url)
        expect(page.locator("main")).to_contain_text("current round T0")
        page.get_by_role("link", name="Start round T1…").click()
        page.get_by_role("button", name="Start round T1").click()
        page.wait_for_url(firm_url)
        expect(page.locator(".flash")).to_contain_text("the invitation link now leads to T1")
        expect(page.locator("main")).to_contain_text("current round T1")
        page.get_by_role("button", name="Undo round T1 (back to T0)").click()
        page.wait_for_url(firm_url)
        expect(page.locator(".flash")).to_contain_text("Round T1 undone")
        expect(page.locator("main")).to_contain_text("current round T0")
    finally:
        context.close()


def answer_every_page(page):
    """Taps the first option of every open question, page after page, up to the review page."""
    while "/p/" in page.url:
        for fieldset in page.locator("form fieldset.q").all():
            if not fieldset.locator("input:checked").count():
                fieldset.locator("label.opt").first.click()
        for select in page.locator("form select").all():
            if not select.input_value():
                select.select_option(index=1)
        url = page.url
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(lambda new: new != url)  # offline.js posts, then goes to the next page


def test_enter_answers_yourself_leads_back_to_the_firm(chromium, server):
    context, page = logged_in(chromium, server, PM, PHONE)
    try:
        new_cohort(page, server, "Visits")
        add_firm(page, "Nakuru Metal Works")
        firm_url = page.url
        page.get_by_role("button", name="Enter answers yourself").click()
        page.wait_for_url(re.compile(r"/p/profile$"))  # straight to the questions, no "keep your code" page
        expect(page.get_by_label(re.compile("name of your firm"))).to_have_value("Nakuru Metal Works")
        answer_every_page(page)
        page.wait_for_url(re.compile(r"/review$"))
        page.get_by_role("button", name="See my results").click()
        page.wait_for_url(firm_url)
        expect(page.locator(".flash")).to_contain_text("Answers saved")
        expect(page.get_by_role("heading", name="Levels in round T0")).to_be_visible()
    finally:
        context.close()


# --- a phone that completes, without a browser: plain HTTP as a cheap phone would send it ---------

class FormReader(html.parser.HTMLParser):
    """The first choice of every radio group, checkbox group and select of a page, and its CSRF token."""

    def __init__(self):
        super().__init__()
        self.values, self.select, self.csrf = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "csrf_token":
            self.csrf = a.get("value")
        elif tag == "input" and a.get("type") in ("radio", "checkbox") and a.get("value") != "na":
            self.values.setdefault(a["name"], a["value"])
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and a.get("value") and self.select not in self.values:
            self.values[self.select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


class Phone:
    def __init__(self, server):
        self.server = server
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.server + path) as response:
            return response.geturl(), response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(self.server + path, body) as response:
            return response.geturl(), response.read().decode()

    def form(self, path):
        reader = FormReader()
        url, page = self.get(path)
        reader.feed(page)
        return url, reader

    def join_and_complete(self, code):
        _url, join = self.form(f"/j/{code}")
        url, _page = self.post(f"/j/{code}", {"csrf_token": join.csrf})
        token = url.split("/a/")[1].split("/")[0]
        path = f"/a/{token}/p/profile"
        while "/p/" in path:
            _url, page = self.form(path)
            url, _page = self.post(path, {"csrf_token": page.csrf, "nav": "next", **page.values})
            path = urllib.parse.urlparse(url).path
        _url, review = self.form(f"/a/{token}/review")
        url, _page = self.post(f"/a/{token}/review", {"csrf_token": review.csrf})
        assert url.endswith("/results"), url


def test_the_dashboard_chart_updates_when_a_phone_completes(chromium, server):
    context, page = logged_in(chromium, server, FACILITATOR, DESK)
    try:
        page.goto(server + "/staff/workshops/new")
        page.get_by_label("Title").fill("Projector test")
        page.get_by_role("button", name="Create workshop").click()
        page.wait_for_url(re.compile(r"/staff/workshops/\d+$"))
        code = page.locator("main p strong").inner_text().strip()
        page.get_by_role("link", name="Open for participants").click()
        page.get_by_role("button", name="Open for participants").click()
        expect(page.locator(".flash")).to_contain_text("Workshop open")
        for _ in range(4):
            Phone(server).join_and_complete(code)
        page.get_by_role("link", name="Live dashboard").click()
        expect(page.locator(".note.big")).to_contain_text("at least 5 participants")
        expect(page.locator("svg.stack")).to_have_count(0)  # the floor of 5 holds
        page.evaluate("window.notReloaded = true")
        Phone(server).join_and_complete(code)
        expect(page.locator("svg.stack").first).to_be_visible(timeout=15_000)
        assert page.evaluate("window.notReloaded === true"), "the page reloaded instead of updating"
        expect(page.locator('[data-count="completed"]')).to_have_text("5")
        expect(page.locator(".legend")).to_contain_text("Digital basics")
        for viewport in (DESK, {"width": 1024, "height": 768}):  # a projector shows both charts at once
            page.set_viewport_size(viewport)
            expect(page.locator("svg.stack").last).to_be_in_viewport()
            expect(page.locator("#gaps-title")).to_be_in_viewport()
        page.get_by_role("link", name="Back to the workshop page").click()
        page.wait_for_url(re.compile(r"/staff/workshops/\d+$"))
    finally:
        context.close()
