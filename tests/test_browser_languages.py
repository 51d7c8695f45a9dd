"""Arabic (right to left) and French in a real browser at phone size (360 x 740): the whole walk to
results in Arabic, the page mirrored and never wider than the screen, and axe-core in both.

The walk finds its way by structure (forms, names, roles), not by English words, so it runs the
same in every language.
"""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assessment import translation_files as files
from tests.browser_helpers import PHONE, new_page, running_server
from tests.test_accessibility import AXE_OPTIONS, BLOCKING

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_server_errors")]  # fixtures in conftest.py


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("languages")) as base:
        yield base




def next_page(page):
    url = page.url
    page.locator("button[name=nav][value=next]").click()
    page.wait_for_url(lambda new: new != url)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def answer_everything(page, offset):
    """Taps one option of every radio question (its label), choosing by position, not by words."""
    for index, fieldset in enumerate(page.locator("form fieldset.q").all()):
        options = fieldset.locator("label.opt")
        if options.count():
            label = options.nth((index + offset) % options.count())
            label.click()
            expect(label.locator("input")).to_be_checked()


def fill_profile(page):
    page.select_option("select[name=country]", "EG")
    answer_everything(page, offset=0)
    for name in ("sector", "size_band"):  # required single choices: make sure one is ticked
        page.locator(f"input[name={name}]").first.check()


def blocking_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS).response
    assert results["passes"]
    return [f"{page.url}: {v['id']} {v['help']}" for v in results["violations"] if v["impact"] in BLOCKING]


def test_arabic_walk_to_results_reads_right_to_left(chromium, server):
    if "ar" not in files.shipped_languages():
        pytest.fail("Arabic is not shipped")
    context, page = new_page(chromium, locale="ar-EG", extra_http_headers={"Accept-Language": "ar"})
    try:
        page.goto(server + "/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        page.locator("form[action*='/start'] button").click()
        page.wait_for_url(re.compile(r"/started$"))
        page.locator("a[href$='/p/profile']").first.click()
        page.wait_for_url(re.compile(r"/p/profile$"))
        no_sideways_scroll(page)
        fill_profile(page)
        next_page(page)
        pages = 0
        while "/p/" in page.url:
            pages += 1
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            no_sideways_scroll(page)
            first = page.locator("label.opt").first
            box, main = first.bounding_box(), page.locator("main").bounding_box()
            # the radio sits at the start of the line, which in Arabic is the right-hand side
            radio = first.locator("input").bounding_box()
            assert radio["x"] > box["x"] + box["width"] / 2, "radio is not on the right"
            assert box["x"] + box["width"] <= main["x"] + main["width"] + 1
            answer_everything(page, offset=pages)
            button = page.locator("button[name=nav][value=next]")
            expect(button).to_be_visible()
            next_page(page)
        assert pages >= 3 and page.url.endswith("/review"), page.url
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/results$"))
        no_sideways_scroll(page)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # every fold
        no_sideways_scroll(page)
        transform = page.locator("svg.bar").first.evaluate("e => getComputedStyle(e).transform")
        assert transform.startswith("matrix(-1"), transform  # bars fill from the right
        assert page.locator("section.pillar").count() >= 3
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_axe_finds_no_serious_problem(chromium, server, lang):
    if lang not in files.shipped_languages():
        pytest.fail(f"{lang} is not shipped")
    context, page = new_page(chromium)
    found = []
    try:
        page.goto(f"{server}/?lang={lang}")
        found += blocking_violations(page)
        page.locator("form[action*='/start'] button").click()
        page.wait_for_url(re.compile(r"/started$"))
        found += blocking_violations(page)
        page.locator("a[href$='/p/profile']").first.click()
        found += blocking_violations(page)
        fill_profile(page)
        next_page(page)
        found += blocking_violations(page)  # the first pillar page
        page.locator("button[name=nav][value=next]").click()  # nothing answered: the errors
        expect(page.locator(".error.summary")).to_be_visible()  # (offline.js posts first, then the page)
        found += blocking_violations(page)
    finally:
        context.close()
    assert not found, "\n".join(found)
