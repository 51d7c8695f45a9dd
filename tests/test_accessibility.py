"""Automated accessibility check: axe-core (bundled by axe-playwright-python) on every kind of page,
in Debian's Chromium at phone size (360 x 740), against the real server filled by `smartstep demo`.

Rules: WCAG 2.0/2.1/2.2 levels A and AA (contrast >= 4.5:1, labels, fieldset/legend, names, ARIA,
ids…) and axe's best practices (landmarks, headings). A violation of impact "serious" or
"critical" fails the test; every such violation of every page is listed in one message.

Set A11Y_SHOTS=/some/folder to also save full-page screenshots of the staff pages there (dashboard
and projector at 1280 x 720, cohort and firm pages at 1280 x 800 and 360 x 740), to look at them.
"""
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser_helpers import PHONE, new_page, running_server, smartstep
from tests.test_browser import answer_pillar_page, fill_profile, save_and_continue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_server_errors")]  # fixtures in conftest.py

PASSWORD = "accessible demo password"
ADMIN = "admin@demo-agency.example"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a",
                                                      "wcag22aa", "best-practice"]},
               "resultTypes": ["violations"]}
BLOCKING = ("serious", "critical")
SHOTS = os.environ.get("A11Y_SHOTS")
DESKTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server over a database that `smartstep demo` filled first: an organisation with its
    admin, a closed workshop of 24 completed participants, and a cohort of 30 firms with results."""
    folder = tmp_path_factory.mktemp("a11y")
    password_file = folder / "password.txt"
    password_file.write_text(PASSWORD + "\n")
    demo = smartstep(folder, "demo", "--password-file", str(password_file))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    with running_server(folder) as base:
        yield base




@pytest.fixture
def page(chromium):
    # The app's Content-Security-Policy ("script-src 'self'") forbids inline scripts, but Playwright
    # runs axe's source through the DevTools protocol (page.evaluate), which the CSP does not
    # govern: no bypass_csp is needed, so the pages are checked exactly as they are served.
    context, page = new_page(chromium)
    yield page
    context.close()


class Audit:
    """Runs axe on page after page and keeps what it finds, so that one run names every problem."""

    def __init__(self):
        self.axe, self.checked, self.found = Axe(), [], []

    def check(self, page, name):
        results = self.axe.run(page, options=AXE_OPTIONS).response
        assert results["passes"], f"axe checked nothing on {name}"
        self.checked.append(name)
        for violation in results["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
                more = f" and {len(targets) - 8} more" if len(targets) > 8 else ""
                self.found.append(f"{name} ({page.url}): {violation['id']} [{violation['impact']}] "
                                  f"{violation['help']}; on {', '.join(targets[:8])}{more}")
        duplicates = page.evaluate("""() => { const seen = {};
            for (const { id } of document.querySelectorAll('[id]')) seen[id] = (seen[id] ?? 0) + 1;
            return Object.keys(seen).filter(id => seen[id] > 1); }""")
        if duplicates:
            self.found.append(f"{name} ({page.url}): ids used more than once: {duplicates}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:  # wide tables must scroll inside their own box, not the page
            self.found.append(f"{name} ({page.url}): the page scrolls sideways ({width} px wide)")
        opened = page.evaluate("""() => { const shut = [...document.querySelectorAll('details:not([open])')];
            shut.forEach(d => d.open = true); const width = document.documentElement.scrollWidth;
            shut.forEach(d => d.open = false); return width; }""")
        if opened > PHONE["width"]:  # and so must what a fold shows once opened
            self.found.append(f"{name} ({page.url}): with its folds open the page scrolls sideways ({opened} px wide)")

    def assert_clean(self, expected_pages):
        assert self.checked == expected_pages, self.checked
        assert not self.found, "serious or critical accessibility problems:\n" + "\n".join(self.found)


def screenshot(page, name, viewport):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(viewport)
    path = Path(SHOTS) / f"{name}-{viewport['width']}x{viewport['height']}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(PHONE)


def test_respondent_pages(page, server):
    audit = Audit()
    page.goto(server + "/")
    audit.check(page, "landing")

    page.get_by_label("Your resume code").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("p.error")).to_contain_text("ZZZZ-ZZZZ")
    audit.check(page, "landing, wrong resume code")

    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/started$"))
    audit.check(page, "started")

    page.get_by_role("link", name="Begin").click()
    page.wait_for_url(re.compile(r"/p/profile$"))
    audit.check(page, "profile")

    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    expect(page.locator(".error.summary")).to_be_visible()
    assert page.locator("fieldset.has-error").count() >= 3
    audit.check(page, "profile, errors")

    fill_profile(page)
    save_and_continue(page)
    pillars = []
    while "/p/" in page.url:
        pillars.append(f"pillar {page.locator('h1').inner_text().strip()}")
        audit.check(page, pillars[-1])
        answer_pillar_page(page, offset=len(pillars))
        save_and_continue(page)
    assert len(pillars) >= 3, pillars
    assert page.url.endswith("/review"), page.url
    audit.check(page, "review")

    page.get_by_role("button", name="See my results").click()
    page.wait_for_url(re.compile(r"/results$"))
    page.locator("#roadmap details").first.locator("summary").click()  # an open step is checked too
    audit.check(page, "results")
    audit.assert_clean(["landing", "landing, wrong resume code", "started", "profile", "profile, errors",
                        *pillars, "review", "results"])


def test_staff_and_join_pages(chromium, page, server):
    audit = Audit()
    page.goto(server + "/staff/login")
    audit.check(page, "staff login")
    page.get_by_label("E-mail").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/staff/$"))
    expect(page.locator("table.data")).to_be_visible()
    audit.check(page, "workshops")

    page.locator("table.data a").first.click()
    page.wait_for_url(re.compile(r"/staff/workshops/\d+$"))
    workshop_url = page.url
    code = page.locator("main p strong").inner_text().strip()
    audit.check(page, "workshop detail")

    joiner, join_page = new_page(chromium)  # a participant's phone: no staff session
    try:
        join_page.goto(f"{server}/j/{code}")
        expect(join_page.locator(".error.summary")).to_be_visible()  # the demo workshop is closed
        audit.check(join_page, "join page, workshop closed")
        page.get_by_role("link", name="Open for participants").click()
        audit.check(page, "confirmation page")
        page.get_by_role("button", name="Open for participants").click()
        page.wait_for_url(workshop_url)
        join_page.reload()
        expect(join_page.get_by_role("button", name="Join and start")).to_be_visible()
        audit.check(join_page, "join page, workshop open")
    finally:
        joiner.close()

    page.goto(workshop_url + "/projector")
    expect(page.locator(".bigcode")).to_have_text(code)
    audit.check(page, "projector")
    screenshot(page, "projector", PROJECTOR)
    screenshot(page, "projector", PHONE)

    page.goto(workshop_url + "/dashboard")
    expect(page.locator("table.dist tbody tr")).not_to_have_count(0)  # the group table shows
    audit.check(page, "dashboard")
    screenshot(page, "dashboard", PROJECTOR)
    screenshot(page, "dashboard", PHONE)

    page.get_by_role("link", name="Cohorts").click()
    page.wait_for_url(re.compile(r"/staff/programme/$"))
    page.locator("table.data a").first.click()
    page.wait_for_url(re.compile(r"/cohorts/\d+$"))
    expect(page.locator("table.data svg.bar").first).to_be_visible()  # >= 5 firms with results
    audit.check(page, "cohort")
    screenshot(page, "cohort", DESKTOP)
    screenshot(page, "cohort", PHONE)

    page.locator("table.sortable tbody a").first.click()
    page.wait_for_url(re.compile(r"/firms/\d+$"))
    expect(page.locator("svg.bar.pair").first).to_be_visible()  # rounds T0 and T1
    audit.check(page, "firm")
    screenshot(page, "firm", DESKTOP)
    screenshot(page, "firm", PHONE)

    page.get_by_role("link", name="Staff").click()
    page.wait_for_url(re.compile(r"/staff/admin/users$"))
    audit.check(page, "admin staff")
    audit.assert_clean(["staff login", "workshops", "workshop detail", "join page, workshop closed", "confirmation page",
                        "join page, workshop open", "projector", "dashboard", "cohort", "firm",
                        "admin staff"])
