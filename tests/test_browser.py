"""The respondent's way in a real browser: Debian's Chromium driven by Playwright, against the
real server (`smartstep serve`, waitress) started as a separate process on a fresh SQLite file.

Phone-sized viewport (360 x 740). The walk answers every question by tapping its label, so a
label that does not select its input, a page that does not submit, or an answer that is not
stored makes a test fail. The same walk runs with JavaScript on and off.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import PHONE, new_page, running_server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_server_errors")]  # fixtures in conftest.py

NOT_RELEVANT = "Not relevant to our business"
PROFILE = {"firm_name": "Taller Núñez", "country": "KE", "sector": "Metal products and machinery",
           "size_band": "10 to 49 people", "goals": ["Cut costs", "Use less energy and water"],
           "has_design": "Only our own designs", "power_source": "The public grid, with our own meter"}
CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The base URL of a real SmartStep server on a free port with its own new database."""
    with running_server(tmp_path_factory.mktemp("server")) as base:
        yield base



def question_text(fieldset):
    """A question's own words, as the review page shows them: the legend without its number."""
    legend = fieldset.locator("legend").inner_text().strip()
    return re.sub(r"^\d+\.\s*", "", legend)


def answer_pillar_page(page, offset):
    """Taps one option for every question: levels vary from question to question, and the first
    question offering "not relevant" gets it. Returns {question text: chosen option text}."""
    chosen, used_not_relevant = {}, False
    fieldsets = page.locator("form fieldset.q")
    assert fieldsets.count() >= 3, page.url
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        options = fieldset.locator("label.opt")
        texts = [text.strip() for text in options.all_inner_texts()]
        levels = [text for text in texts if text != NOT_RELEVANT]
        if NOT_RELEVANT in texts and not used_not_relevant:
            text, used_not_relevant = NOT_RELEVANT, True
        else:
            text = levels[(index + offset) % len(levels)]
        label = options.nth(texts.index(text))
        label.click()
        expect(label.locator("input")).to_be_checked()
        chosen[question_text(fieldset)] = text
    return chosen, used_not_relevant


def fill_profile(page):
    expect(page.locator("h1")).to_have_text("About your firm")
    page.locator("input[name=firm_name]").fill(PROFILE["firm_name"])
    page.select_option("select[name=country]", PROFILE["country"])
    page.locator("label.opt", has_text=PROFILE["sector"]).click()
    page.locator("label.opt", has_text=PROFILE["size_band"]).click()
    for goal in PROFILE["goals"]:
        page.locator("label.opt", has_text=goal).click()
    page.locator("label.opt", has_text=PROFILE["has_design"]).click()
    page.locator("label.opt", has_text=PROFILE["power_source"]).click()
    for text in [PROFILE["sector"], PROFILE["size_band"], *PROFILE["goals"], PROFILE["has_design"],
                 PROFILE["power_source"]]:
        expect(page.locator("label.opt", has_text=text).locator("input")).to_be_checked()


def save_and_continue(page):
    url = page.url
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(lambda new: new != url)


def start(page, server):
    """Landing -> Start -> the started page; returns the resume code shown there."""
    page.goto(server + "/")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/a/[^/]+/started$"))
    code = page.locator("p.code").inner_text().strip()
    assert CODE.match(code), code
    page.get_by_role("link", name="Begin").click()
    page.wait_for_url(re.compile(r"/p/profile$"))
    return code


def walk_to_results(page, server, check_layout=None):
    """One whole assessment; returns (resume code, answers chosen, pillar titles)."""
    code = start(page, server)
    if check_layout:
        check_layout(page)  # the profile page: radios, checkboxes, a select and a text field
    fill_profile(page)
    save_and_continue(page)
    answers, titles, used_not_relevant = {}, [], False
    while "/p/" in page.url:
        titles.append(page.locator("h1").inner_text().strip())
        if check_layout and len(titles) == 1:
            check_layout(page)
        chosen, not_relevant = answer_pillar_page(page, offset=len(titles))
        answers.update(chosen)
        used_not_relevant |= not_relevant
        save_and_continue(page)
    assert used_not_relevant, "no item offered 'not relevant to our business'"
    assert len(titles) >= 3, titles
    assert page.url.endswith("/review"), page.url
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_review_shows(page, answers)
    if check_layout:
        assert_no_sideways_scroll(page)
    page.get_by_role("button", name="See my results").click()
    page.wait_for_url(re.compile(r"/results$"))
    assert_results(page, titles)
    if check_layout:
        assert_no_sideways_scroll(page)
    return code, answers, titles


def assert_results(page, titles):
    expect(page.locator("h1")).to_have_text("Your results")
    overall = page.locator("section.overall")
    expect(overall.get_by_text("Overall level")).to_be_visible()
    expect(overall.locator("p.level")).to_have_text(
        re.compile(r"^[0-4] · (Analog|Digital basics|Digitised|Connected|Smart)$"))
    expect(overall.locator("svg.bar")).to_be_visible()
    sections = page.locator("section.pillar")
    expect(sections).to_have_count(len(titles))
    for index, title in enumerate(titles):
        section = sections.nth(index)
        expect(section).to_be_visible()
        expect(section.locator("h2")).to_contain_text(title)
        expect(section.locator("svg.bar").first).to_be_visible()


def review_answers(page):
    """{question: answer shown} read from the review page's definition lists."""
    shown = {}
    for dl in page.locator("dl").all():
        terms = [t.strip() for t in dl.locator("dt").all_inner_texts()]
        values = [v.strip() for v in dl.locator("dd").all_inner_texts()]
        assert len(terms) == len(values)
        shown.update(zip(terms, values))
    return shown


def assert_review_shows(page, answers):
    shown = review_answers(page)
    assert NOT_RELEVANT in answers.values()
    for question, answer in answers.items():
        assert shown.get(question) == answer, (question, answer, shown.get(question))
    assert "Not answered" not in shown.values()
    assert shown["What is the name of your firm? (optional)"] == PROFILE["firm_name"]
    assert shown["In which country is your firm?"] == "Kenya"
    assert shown["Whose designs do you make?"] == PROFILE["has_design"]
    assert "Cut costs" in shown["What do you most want to improve in the next two years? Choose up to 3."]


def resume_in_new_context(chromium, server, code, answers, javascript):
    """A different phone (a new context, no cookies): type the code, land on the results, and find
    every answer on the review page."""
    context, page = new_page(chromium, javascript)
    try:
        page.goto(server + "/")
        page.get_by_label("Your resume code").fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/results$"))
        expect(page.locator("section.overall p.level")).to_be_visible()
        page.get_by_role("link", name="Change your answers").click()
        page.wait_for_url(re.compile(r"/review$"))
        shown = review_answers(page)
        picked = [q for q, a in answers.items() if a == NOT_RELEVANT][:1]
        picked += [q for q, a in answers.items() if a != NOT_RELEVANT][:3]
        for question in picked:
            assert shown[question] == answers[question], question
        assert_review_shows(page, answers)
    finally:
        context.close()


def assert_no_sideways_scroll(page, width=320):
    page.set_viewport_size({"width": width, "height": 740})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(PHONE)
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width} px: {scroll_width} px wide"


def check_phone_layout(page):
    """No sideways scrolling at 320 px, and every radio/checkbox label is a 44 px tap target."""
    assert_no_sideways_scroll(page)
    too_small = page.evaluate("""() => [...document.querySelectorAll(
            'label:has(> input[type=radio]), label:has(> input[type=checkbox])')]
        .map(l => [l.innerText.trim(), l.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert page.locator("label.opt").count() >= 5
    assert too_small == [], f"labels under 44 px on {page.url}: {too_small}"
    buttons = page.evaluate("""() => [...document.querySelectorAll('.btn, select, input[type=text]')]
        .map(b => b.getBoundingClientRect().height).filter(h => h < 44)""")
    assert buttons == [], f"buttons or fields under 44 px on {page.url}: {buttons}"


def test_whole_assessment_with_javascript_then_resume_on_another_phone(chromium, server):
    context, page = new_page(chromium, javascript=True)
    try:
        code, answers, _titles = walk_to_results(page, server, check_layout=check_phone_layout)
    finally:
        context.close()
    resume_in_new_context(chromium, server, code, answers, javascript=True)


def test_whole_assessment_without_javascript_then_resume(chromium, server):
    context, page = new_page(chromium, javascript=False)
    try:
        code, answers, _titles = walk_to_results(page, server)
    finally:
        context.close()
    resume_in_new_context(chromium, server, code.lower().replace("-", " "), answers, javascript=False)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_unanswered_question_is_marked_and_other_answers_kept(chromium, server, javascript):
    context, page = new_page(chromium, javascript)
    try:
        start(page, server)
        fill_profile(page)
        save_and_continue(page)
        url = page.url
        fieldsets = page.locator("form fieldset.q")
        left_open = 1
        kept = {}
        for index in range(fieldsets.count()):
            if index == left_open:
                continue
            label = fieldsets.nth(index).locator("label.opt").nth(index % 3)
            label.click()
            kept[index] = label.locator("input").get_attribute("id")
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
        expect(page.locator(".error.summary")).to_be_visible()
        assert page.url == url
        missing = fieldsets.nth(left_open)
        expect(missing).to_have_class(re.compile(r"\bhas-error\b"))
        message = missing.locator("p.error")
        expect(message).to_have_text("Please choose an answer to this question.")
        expect(message).to_be_visible()
        legend_box = missing.locator("legend").bounding_box()
        message_box = message.bounding_box()
        first_option_box = missing.locator("label.opt").first.bounding_box()
        assert legend_box["y"] < message_box["y"] < first_option_box["y"], "error not at its question"
        assert missing.get_attribute("aria-describedby") == message.get_attribute("id")
        expect(missing.locator("input:checked")).to_have_count(0)
        expect(page.locator("fieldset.has-error")).to_have_count(1)
        for index, input_id in kept.items():
            expect(page.locator(f"#{input_id}")).to_be_checked()
        # answering the missing one now goes on to the next page
        missing.locator("label.opt").first.click()
        save_and_continue(page)
        assert "/p/" in page.url and page.url != url
    finally:
        context.close()
