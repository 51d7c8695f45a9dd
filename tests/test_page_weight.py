"""The page-weight budgets of DESIGN.md, measured as bench/page_weight.py measures them."""
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import page_weight  # noqa: E402  (bench/ is a folder of scripts, not a package)


from assessment.translation_files import shipped_languages  # noqa: E402


@pytest.fixture(scope="module")
def weight_app(tmp_path_factory):
    return page_weight.make_app(tmp_path_factory.mktemp("weight") / "weight.sqlite")


@pytest.fixture(scope="module", params=shipped_languages())
def report(request, weight_app):
    """The budgets hold in every language (Arabic and Portuguese texts run longer than English)."""
    report = page_weight.measure(weight_app, request.param)
    assert f'lang="{request.param}"'.encode() in report.pages[2].html
    return report


def test_walk_covers_every_page(report):
    names = [page.name for page in report.pages]
    assert names[:4] == ["landing", "started", "profile", "profile, errors"]
    assert names[-2:] == ["review", "results"]
    pillars = names[4:-2]
    assert len(pillars) >= 3, names
    assert all(page.questionnaire for page in report.pages[2:-2])


def test_questionnaire_pages_fit_the_first_round_trip(report):
    assert report.questionnaire_pages
    for page in report.questionnaire_pages:
        assert page.gz <= page_weight.QUESTIONNAIRE_PAGE_GZ, (page.name, page.gz)
    assert report.max_page_gz <= 14_000


def test_first_visit_budget(report):
    assert report.css_raw > 0, "the landing page loads no stylesheet"
    parts = dict(report.first_visit)
    assert parts["landing HTML"] == report.pages[0].gz
    assert any(url.endswith(".css") for url in parts), parts
    assert report.first_visit_gz >= report.pages[0].gz + report.css_gz
    assert report.first_visit_gz <= 30 * 1024
    assert report.problems() == []


def test_javascript_is_small_from_files_and_never_needed(report):
    """The walk itself posts every page without JavaScript (the test client runs none); the one
    script, and the service worker it registers, fit 4 KB gzipped together (issue 12)."""
    assert report.pages[-1].name == "results"
    assert {url.rsplit("/", 1)[1] for url in report.assets if url.endswith(".js")} == {"offline.js", "sw.js"}
    assert 0 < report.js_gz <= page_weight.JS_GZ
    assert report.problems() == []
    for page in report.pages:
        assert page_weight.inline_script_bytes(page.html) == 0, page.name
        for attrs in page_weight.parse(page.html).scripts:
            assert attrs.get("src", "").startswith("/static/") and "defer" in attrs, (page.name, attrs)
        assert not re.search(rb"\son[a-z]+\s*=", page.html, re.I), f"inline handler on {page.name}"
        assert b"javascript:" not in page.html.lower(), page.name
    assert report.first_visit_gz <= page_weight.FIRST_VISIT_GZ


def test_nothing_is_loaded_or_linked_from_another_host(report):
    for page in report.pages:
        for tag, attribute, value in page_weight.parse(page.html).urls:
            parts = urlsplit(value.strip())
            if parts.scheme == "data":
                continue  # inline data (the empty favicon) loads nothing from anywhere
            if parts.scheme or value.strip().startswith("//"):
                assert parts.scheme in ("http", "https"), (page.name, tag, attribute, value)
                assert parts.netloc == report.host, (page.name, tag, attribute, value)
                assert tag == "a", f"{page.name}: <{tag} {attribute}> loads {value}"
    css = b"".join(body for url, body in report.assets.items() if url.endswith(".css"))
    assert not re.search(rb"url\(\s*['\"]?(https?:)?//", css), "CSS loads from another host"
    assert b"@import" not in css


def test_pages_show_what_they_measure(report):
    """The walk really reached the pages it names, so the figures are of the right pages."""
    pages = {page.name: page.html for page in report.pages}
    assert b'class="code"' in pages["started"]
    assert b'class="error' in pages["profile, errors"]
    for page in report.questionnaire_pages:
        assert b"<fieldset" in page.html, page.name
    assert b'class="box overall"' in pages["results"]
