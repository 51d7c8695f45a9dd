"""Named pointers a firm can act on: sourced, dated, in a plain form, matched to the firm, and
the coverage report that shows where they are still missing."""
import copy
import json
from datetime import date
from pathlib import Path

import pytest

from assessment.core.catalogs import (MONEY_OFFERS, OFFER_TYPES, check_named_sources, check_pointers,
                                      parse_pointers)
from assessment.core.library import load_library
from assessment.core.pointer_coverage import country_coverage, coverage_lines, stale_pointers
from assessment.core.roadmap import build_roadmap
from assessment.core.scoring import score_assessment
from assessment.core.validation import DataFileError
from tests.conftest import PROFILE

DATA = Path(__file__).resolve().parent.parent / "questionnaires"
RAW = json.loads((DATA / "pointers.json").read_text(encoding="utf-8"))
LIB = load_library(DATA)
Q = LIB.questionnaires["core"]
SHIPPED = parse_pointers(RAW)

NAMED = {
    "id": "test_fund", "kind": "financing", "type": "innovation_fund", "scope": "country:KE",
    "dimensions": ["*"], "name": {"en": "Test fund"}, "description": {"en": "Loans for machines."},
    "source": "https://example.org/fund", "generic": False, "url": "https://example.org/fund",
    "organisation": "Example Fund", "offer_type": "loan", "eligibility": {"en": "Small firms"},
    "size_bands": ["micro", "small"], "cost_bands": ["medium", "high"], "checked": "2026-12-02",
}


def catalog(*entries):
    return {"kind": "pointers", "id": "t", "version": "1.0.0", "pointers": list(entries)}


def test_every_shipped_named_pointer_names_its_organisation_source_and_check_date():
    check_named_sources(SHIPPED)  # raises naming each gap
    for pointer in SHIPPED:
        if pointer.generic:
            continue
        assert pointer.organisation and pointer.checked, pointer.id
        assert date.fromisoformat(pointer.checked) <= date(2026, 12, 31), pointer.id
        assert pointer.url or "E/CN.16/2022/2" in pointer.source, pointer.id
        if "E/CN.16/2022/2" not in pointer.source:
            # Read on a web page: it says to whom the programme is open, as that page published it.
            assert pointer.url and pointer.eligibility and pointer.eligibility.get("en"), pointer.id
        if pointer.kind == "financing":
            assert pointer.offer_type in OFFER_TYPES, pointer.id


def test_shipped_texts_are_english_only_for_the_translators():
    for raw in RAW["pointers"]:
        for key in ("name", "description", "eligibility"):
            if key in raw:
                assert set(raw[key]) == {"en"}, (raw["id"], key)


def test_web_sourced_financing_says_plainly_what_form_the_money_takes():
    web_financing = [p for p in SHIPPED if p.kind == "financing" and p.url and not p.generic
                     and "E/CN.16" not in p.source]
    assert all(p.offer_type in MONEY_OFFERS for p in web_financing)


@pytest.mark.parametrize("change, message", [
    ({"offer_type": "gift"}, "offer_type must be one of loan, grant"),
    ({"checked": "2 Dec 2026"}, 'checked must be a date like "2026-12-02"'),
    ({"checked": "2026-13-02"}, 'checked must be a date like "2026-12-02"'),
    ({"size_bands": ["tiny"]}, '"size_bands" must be a list of micro, small, medium, large'),
    ({"cost_bands": "low"}, '"cost_bands" must be a list of low, medium, high'),
    ({"horizons": ["soon"]}, '"horizons" must be a list of now, next, later'),
    ({"url": "example.org"}, "url must be a web address"),
    ({"eligibility": "small firms"}, '"eligibility" needs English text'),
])
def test_each_new_field_mistake_is_named_with_its_place(change, message):
    with pytest.raises(DataFileError) as caught:
        parse_pointers(catalog({**NAMED, **change}))
    assert any(p.startswith("pointers.json: pointer test_fund: ") and message in p
               for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("drop, message", [
    ("organisation", '"organisation" is required for a named pointer'),
    ("checked", '"checked" is required for a named pointer'),
    ("url", '"url" is required for a named pointer'),
    ("offer_type", '"offer_type" is required for named financing'),
])
def test_the_shipped_catalog_refuses_a_named_pointer_without_its_source_facts(drop, message):
    entry = copy.deepcopy(NAMED)
    entry.pop(drop)
    if drop == "url":
        entry["source"] = "a web page"
    with pytest.raises(DataFileError) as caught:
        check_named_sources(parse_pointers(catalog(entry)))
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_generic_guidance_needs_none_of_the_named_facts():
    entry = {k: v for k, v in NAMED.items() if k not in ("organisation", "checked", "url", "offer_type")}
    check_named_sources(parse_pointers(catalog({**entry, "generic": True, "source": "SmartStep guidance"})))


def roadmap_for(profile, pointers):
    answers = {i.id: "1" for i in Q.items}
    result = score_assessment(Q, answers, profile)
    return build_roadmap(Q, result, profile, LIB.actions, pointers)


def test_a_size_limited_programme_reaches_only_firms_of_that_size():
    fund = parse_pointers(catalog({**NAMED, "cost_bands": []}))[0]
    pointers = LIB.pointers + (fund,)
    small = roadmap_for({**PROFILE, "size_band": "small"}, pointers)
    large = roadmap_for({**PROFILE, "size_band": "large"}, pointers)
    assert fund in small.financing and any(fund in s.financing for s in small.steps)
    assert fund not in large.financing and not any(fund in s.financing for s in large.steps)


def test_a_pointer_limited_to_costly_steps_is_not_offered_for_cheap_ones():
    fund = parse_pointers(catalog({**NAMED, "size_bands": []}))[0]
    roadmap = roadmap_for(PROFILE, LIB.pointers + (fund,))
    cheap = [s for s in roadmap.steps if s.action.cost_band == "low"]
    costly = [s for s in roadmap.steps if s.action.cost_band in ("medium", "high")]
    assert cheap and costly
    assert not any(fund in s.financing for s in cheap)
    assert any(fund in s.financing for s in costly)


def test_coverage_report_counts_named_pointers_per_country_and_lists_stale_ones():
    fund = parse_pointers(catalog({**NAMED, "checked": "2025-06-01"}))[0]
    pointers = SHIPPED + (fund,)
    check_pointers((fund,), Q)
    rows = {r.code: r for r in country_coverage(pointers, Q)}
    assert fund in rows["KE"].financing
    assert "other" not in rows
    assert stale_pointers(pointers, date(2026, 12, 2)) == [fund]
    lines = coverage_lines(pointers, Q, date(2026, 12, 2))
    assert any(line.startswith("KE") and "named financing and awareness" in line for line in lines)
    assert any("test_fund" in line and "2025-06-01" in line for line in lines)


def test_pointers_report_command_prints_coverage(runner):
    result = runner.invoke(["pointers", "report", "--today", "2026-12-02"])
    assert result.exit_code == 0, result.output
    assert "countries have named financing and named awareness pointers" in result.output
    assert "Named pointers checked more than 12 months ago (or never): 0" in result.output
