"""The cohort page's firm list, 50 firms a page: links, sorting and search across pages, and page
numbers that are not there (never a 500); core.paging on its own."""
import re

import pytest

from assessment.core.paging import PageNumberInvalid, PageOutOfRange, paging
from assessment.core.scoring import combine_results, score_assessment
from assessment.store import firms

FIRMS = 120  # three pages: 50, 50, 20
NAMES = [f"Firm {n:03d}" for n in range(FIRMS - 2)] + ["Firm 100% local", "Firm_under score"]
BY_NAME = sorted(NAMES)  # as SQLite sorts text: by code point


@pytest.fixture
def cohort(pm, db, org, questionnaire):
    """A cohort of 120 firms, every third with a result (overall levels 0-4), the others without."""
    cohort_id = firms.create_cohort(db, org, "Big intake", "2026-01-10")["id"]
    for n, name in enumerate(NAMES):
        firm = firms.create_firm(db, org, name, "KE", "metal", "small", "africa", cohort_id=cohort_id)
        if n % 3 == 0:
            answers = {i.id: str(n % 5) for i in questionnaire.items}
            result = score_assessment(questionnaire, answers, {"has_design": "yes_own"})
            firms.store_firm_round(db, firm, 0, combine_results(questionnaire, [result]))
    return cohort_id


def listed(page):
    return re.findall(r'/staff/programme/firms/\d+"><bdi>([^<]+)<', page)


def get_page(pm, cohort_id, query=""):
    response = pm.get(f"/staff/programme/cohorts/{cohort_id}{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_first_middle_and_last_page(pm, cohort):
    first = get_page(pm, cohort)
    assert listed(first) == BY_NAME[:50] and "120 firms" in first
    assert "Page 1 of 3" in first and "Firms 1–50 of 120" in first
    assert f'href="/staff/programme/cohorts/{cohort}?page=2#firms">Next page' in first
    assert "Previous page" not in first and "First page" not in first
    middle = get_page(pm, cohort, "?page=2")
    assert listed(middle) == BY_NAME[50:100] and "Page 2 of 3" in middle
    assert f'rel="prev" href="/staff/programme/cohorts/{cohort}#firms"' in middle  # page 1 has one address
    last = get_page(pm, cohort, "?page=3")
    assert listed(last) == BY_NAME[100:] and "Firms 101–120 of 120" in last
    assert "Next page" not in last and "Last page" not in last and "First page" in last


def test_sorting_runs_across_pages_and_keeps_to_the_links(pm, db, cohort):
    scores = {r["name"]: r["score"] for r in db.query(
        "SELECT f.name, s.score FROM firms f JOIN firm_scores s ON s.firm_id = f.id AND s.key = 'overall' "
        "WHERE f.cohort_id = ?", [cohort])}
    expected = sorted(scores, key=lambda name: (-scores[name], name)) + sorted(set(NAMES) - set(scores))
    pages = [get_page(pm, cohort, f"?sort=overall&dir=desc&page={n}") for n in (1, 2, 3)]
    assert sum((listed(page) for page in pages), []) == expected
    assert "?page=2&amp;sort=overall&amp;dir=desc#firms" in pages[0]
    assert listed(get_page(pm, cohort, "?dir=desc&page=3")) == sorted(NAMES, reverse=True)[100:]


@pytest.mark.parametrize("text, expected", [
    ("firm 01", [n for n in BY_NAME if "Firm 01" in n]),
    ("100%", ["Firm 100% local"]),  # % and _ are letters here, not wildcards
    ("_", ["Firm_under score"]),
])
def test_search_by_part_of_the_name(pm, cohort, text, expected):
    page = get_page(pm, cohort, "?" + __import__("urllib.parse").parse.urlencode({"q": text}))
    assert listed(page) == expected
    assert f"Firms 1–{len(expected)} of {len(expected)}" in page and "Show every firm" in page


def test_a_search_that_finds_nothing_says_so(pm, cohort):
    page = get_page(pm, cohort, "?q=Nobody")
    assert "No firm of this cohort has “Nobody” in its name." in page and listed(page) == []


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "%D9%A3", "1e3", " 2"])
def test_a_page_number_that_is_not_one_leads_to_the_first_page(pm, cohort, page):
    response = pm.get(f"/staff/programme/cohorts/{cohort}?sort=overall&page={page}")
    if page == "":  # an empty page parameter is no page parameter: the first page, as it is
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/programme/cohorts/{cohort}?sort=overall#firms"


@pytest.mark.parametrize("page", ["4", "999999999", "1" + "0" * 30, "9" * 5000])
def test_a_page_past_the_last_leads_to_the_last_page(pm, cohort, page):
    response = pm.get(f"/staff/programme/cohorts/{cohort}?q=Firm&page={page}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/programme/cohorts/{cohort}?page=3&q=Firm#firms"


def test_a_small_cohort_has_no_pager_or_search(pm, db, org):
    cohort_id = firms.create_cohort(db, org, "Small", "2026-01-10")["id"]
    firms.create_firm(db, org, "Only firm", "KE", "metal", "small", "africa", cohort_id=cohort_id)
    page = get_page(pm, cohort_id)
    assert listed(page) == ["Only firm"] and "Page 1 of" not in page and 'name="q"' not in page
    assert get_page(pm, cohort_id, "?q=Only").count("Only firm") >= 1


@pytest.mark.parametrize("requested, total, expected", [
    (None, 0, (1, 1, 0, 0)), (None, 120, (1, 3, 1, 50)), ("2", 120, (2, 3, 51, 100)),
    ("3", 120, (3, 3, 101, 120)), ("1", 50, (1, 1, 1, 50)), ("2", 51, (2, 2, 51, 51)),
])
def test_paging_numbers(requested, total, expected):
    page = paging(requested, total)
    assert (page.number, page.pages, page.first_item, page.last_item) == expected
    assert page.has_previous == (page.number > 1) and page.has_next == (page.number < page.pages)


@pytest.mark.parametrize("requested, error", [
    ("abc", PageNumberInvalid), ("0", PageNumberInvalid), ("-1", PageNumberInvalid), ("٣", PageNumberInvalid),
    ("4", PageOutOfRange), ("2", PageOutOfRange), ("9" * 5000, PageOutOfRange),
])
def test_paging_refuses_pages_that_are_not_there(requested, error):
    with pytest.raises(error):
        paging(requested, 120 if requested != "2" else 0)


PAGING_ENGLISH = ["Find firms by name", ">Find<", "Show every firm", "Firms 51–100 of", "Pages of the firm list",
                  "First page", "Previous page", "Next page", "Last page", "Page 2 of 3"]


@pytest.mark.parametrize("lang", ["fr", "es", "pt", "ar"])
def test_the_pager_and_search_speak_the_language(pm, cohort, lang):
    page = get_page(pm, cohort, f"?q=Firm&page=2&lang={lang}")
    assert f'lang="{lang}"' in page and len(listed(page)) == 50
    assert [text for text in PAGING_ENGLISH if text in page] == []
    nothing = get_page(pm, cohort, f"?q=Nobody&lang={lang}")
    assert "No firm of this cohort" not in nothing and "Nobody" in nothing
