"""Every page in every shipped language: no English left, catalogs complete, right to left for Arabic.

The walk is cheap (the Flask test client, no browser): the demo database gives every staff page
something to show, and every GET route of the app is visited, so a page added later is checked too.
A text on a page that is exactly an English source string (interface or content) which the
language translates differently, or does not translate at all, is English left on the page.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter
from wtforms.i18n import messages_path

from assessment import create_app
from assessment import translation_files as files
from assessment.cli import smartstep
from assessment.core.pdf.font_coverage import can_draw
from assessment.core.translation_check import read_catalog_file
from assessment.db import connect

LANGUAGES = [lang for lang in files.shipped_languages() if lang != "en"]
PASSWORD = "demo-password-123"
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
NOT_PAGES = ("static", "/live.json", ".svg", ".csv", ".xlsx", ".pdf", ".json", "/api/")


class PageText(HTMLParser):
    """The texts a person reads on a page: text between tags and the readable attributes."""

    def __init__(self):
        super().__init__()
        self.texts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs:
                self.texts.append(value)

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data)


def page_texts(html):
    parser = PageText()
    parser.feed(html)
    return {" ".join(t.split()) for t in parser.texts}


WTFORMS_TEMPLATE = Path(messages_path()) / "wtforms.pot"


def english_sources():
    """Every English interface and content string without placeholders, WTForms' own messages too."""
    ui = [m.id for m in files.extract_ui_template(files.PROJECT_ROOT) if m.id and isinstance(m.id, str)]
    content = [m.id for m in files.content_template() if m.id]
    wtforms = [m.id for m in read_catalog_file(WTFORMS_TEMPLATE, "en") if m.id and isinstance(m.id, str)]
    return {" ".join(s.split()) for s in ui + content + wtforms if "%(" not in s and "%s" not in s}


def translations_of(lang):
    strings = {}
    wtforms = Path(messages_path()) / lang / "LC_MESSAGES" / "wtforms.po"
    for path in (files.ui_catalog_path(lang), files.content_catalog_path(lang), wtforms):
        for message in read_catalog_file(path, lang):
            if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                strings[" ".join(message.id.split())] = message.string
    return strings


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(folder / "db.sqlite"),
                      "WTF_CSRF_ENABLED": False})
    (folder / "password").write_text(PASSWORD + "\n")
    result = app.test_cli_runner().invoke(smartstep, ["demo", "--password-file", str(folder / "password")])
    assert result.exit_code == 0, result.output
    return app


def demo_ids(app):
    db = connect(app.config["DATABASE"])
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    ids = {"workshop_id": one("SELECT min(id) FROM workshops"), "cohort_id": one("SELECT min(id) FROM cohorts"),
           "firm_id": one("SELECT min(id) FROM firms"), "user_id": one("SELECT max(id) FROM users"),
           "token": one("SELECT token FROM assessments WHERE completed_at IS NOT NULL ORDER BY id LIMIT 1"),
           "code": one("SELECT join_code FROM workshops ORDER BY id LIMIT 1")}
    db.close()
    return ids


def page_urls(app, ids):
    """A URL for every GET route that shows a page; unknown parts get a value that leads to 404,
    which is a page too."""
    urls = set()
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or any(part in rule.rule for part in NOT_PAGES):
            continue
        values = {name: ids.get(name, _any_value(conv)) for name, conv in rule._converters.items()}
        urls.add(adapter.build(rule.endpoint, values))
    return sorted(urls) + ["/no-such-page"]


def _any_value(converter):
    if isinstance(converter, IntegerConverter):
        return 1
    return sorted(converter.items)[0] if isinstance(converter, AnyConverter) else "x"


def english_left(html, english, translated):
    return sorted(t for t in page_texts(html) if t in english and translated.get(t) != t)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_shows_english(demo_app, lang):
    english, translated = english_sources(), translations_of(lang)
    client = demo_app.test_client()
    completed = demo_ids(demo_app)
    in_progress = dict(completed, token=client.post("/start").headers["Location"].split("/")[2])
    questionnaire = demo_app.extensions["smartstep.library"].questionnaires["core"]
    urls = page_urls(demo_app, completed) + page_urls(demo_app, in_progress)
    urls += [f"/a/{in_progress['token']}/p/{page}" for page in questionnaire.page_ids]
    pages, problems = 0, {}
    for logged_in in (False, True):
        if logged_in:
            response = client.post("/staff/login", data={"email": "admin@demo-agency.example", "password": PASSWORD})
            assert response.status_code == 302
        for url in urls:
            response = client.get(url, query_string={"lang": lang}, follow_redirects=True)
            if response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
            pages += 1
            assert f'lang="{lang}"' in html, url
            left = english_left(html, english, translated)
            if left:
                problems[url] = left[:5]
    for url, data in ((f"/a/{in_progress['token']}/p/profile", {"nav": "next"}), ("/resume", {"code": "ZZZZ"}),
                      (f"/a/{in_progress['token']}/p/profile", {"nav": "next", "country": "ZZ", "size_band": "huge"}),
                      ("/staff/login", {"email": "nobody@x.org", "password": "wrong"})):
        html = client.post(url, data=data, query_string={"lang": lang}).get_data(as_text=True)
        left = english_left(html, english, translated)  # pages with the errors of a form
        if left:
            problems[f"POST {url}"] = left[:5]
    assert pages > 40
    assert not problems, f"English left on {len(problems)} page(s) in {lang}: {problems}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_shipped_language_is_complete(lang):
    """Nothing untranslated or outdated, placeholders kept, every character drawable in PDFs
    (what `smartstep translations check` reports)."""
    report, = files.check([lang], can_draw=can_draw)
    assert not report.untranslated, report.untranslated[:10]
    assert not report.outdated, report.outdated[:10]
    assert not report.placeholders, report.placeholders[:10]
    assert not report.undrawable, report.undrawable


def test_the_english_left_check_can_fail():
    html = '<p>Save and continue</p><button aria-label="Start the assessment">x</button>'
    english = {"Save and continue", "Start the assessment", "Kenya"}
    assert english_left(html, english, {"Kenya": "Kenya"}) == ["Save and continue", "Start the assessment"]
    assert english_left("<p>Kenya</p>", english, {"Kenya": "Kenya"}) == []


def test_arabic_pages_are_right_to_left(demo_app):
    if "ar" not in LANGUAGES:
        pytest.fail("Arabic is not shipped")
    html = demo_app.test_client().get("/?lang=ar").get_data(as_text=True)
    assert re.search(r'<html lang="ar" dir="rtl">', html)
