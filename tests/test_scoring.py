"""The scoring rules of the design, proven: exclusions, monotonicity, extremes, stored versions."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.core.questionnaire import NOT_RELEVANT, load_questionnaire, parse_questionnaire
from assessment.core.validation import DataFileError
from assessment.core.scoring import (IncompleteAnswers, biggest_gaps, level_name, score_assessment,
                                     strongest_areas)
from tests.conftest import PROFILE
from pathlib import Path

import pytest

CORE_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "core.json"
Q = load_questionnaire(CORE_PATH)
ITEMS = Q.items


def answers_all(level):
    return {i.id: str(level) for i in ITEMS}


def test_all_lowest_answers_give_level_0_analog():
    result = score_assessment(Q, answers_all(0), PROFILE)
    assert result["overall"] == {"score": 0.0, "percent": 0, "level": 0, "answered": result["overall"]["answered"]}
    assert level_name(result["overall"]["level"]) == "Analog"
    assert all(p["level"] == 0 for p in result["pillars"].values())


def test_all_highest_answers_give_level_4_smart():
    result = score_assessment(Q, answers_all(4), PROFILE)
    assert result["overall"]["score"] == 4.0 and result["overall"]["percent"] == 100
    assert level_name(result["overall"]["level"]) == "Smart"
    assert all(d["level"] == 4 for d in result["dimensions"].values() if d["score"] is not None)


def test_formula_dimension_mean_then_pillar_weighted_mean_then_overall_of_technology_pillars():
    answers = answers_all(0)
    dim = Q.pillars[0].dimensions[0]
    answers[dim.items[0].id] = "4"
    result = score_assessment(Q, answers, PROFILE)
    expected_dim = 4 / len(dim.items)
    assert result["dimensions"][dim.id]["score"] == round(expected_dim, 2)
    expected_pillar = expected_dim * dim.weight / sum(d.weight for d in Q.pillars[0].dimensions)
    assert result["pillars"]["hardware"]["score"] == round(expected_pillar, 2)
    in_overall = [p for p in Q.pillars if p.in_overall]
    assert result["overall"]["score"] == round(expected_pillar / len(in_overall), 2)


def test_enablers_do_not_count_in_the_overall_score():
    answers = answers_all(1)
    for item in Q.pillar("enablers").items:
        answers[item.id] = "4"
    result = score_assessment(Q, answers, PROFILE)
    assert result["overall"]["score"] == 1.0
    assert result["pillars"]["enablers"]["score"] == 4.0


def test_not_relevant_items_are_left_out_and_never_a_gap():
    optional = [i for i in ITEMS if i.not_relevant]
    assert optional
    answers = answers_all(3)
    for item in optional:
        answers[item.id] = NOT_RELEVANT
    result = score_assessment(Q, answers, PROFILE)
    assert result["overall"]["score"] == 3.0
    fully_na = {d.id for d in Q.dimensions if all(i.not_relevant for i in d.items)
                and all(answers[i.id] == NOT_RELEVANT for i in d.items)}
    assert fully_na, "at least one dimension can be wholly not relevant"
    for dim_id in fully_na:
        assert result["dimensions"][dim_id]["score"] is None
    gap_ids = {d.id for d, _e in biggest_gaps(Q, result, count=len(Q.dimensions))}
    assert not gap_ids & fully_na


def test_a_skip_rule_leaves_the_item_out():
    skipped = [i for i in ITEMS if i.skip_if]
    assert skipped
    item = skipped[0]
    profile = {**PROFILE, item.skip_if["question"]: item.skip_if["any_of"][0]}
    answers = answers_all(4)
    del answers[item.id]
    result = score_assessment(Q, answers, profile)  # complete without the skipped item
    assert result["overall"]["score"] == 4.0
    with pytest.raises(IncompleteAnswers) as caught:
        score_assessment(Q, answers, PROFILE)
    assert caught.value.missing == [item.id]


def test_gaps_are_lowest_and_strengths_highest_without_overlap():
    answers = answers_all(2)
    weakest, strongest = Q.dimensions[2], Q.dimensions[5]
    for item in weakest.items:
        answers[item.id] = "0"
    for item in strongest.items:
        answers[item.id] = "4"
    result = score_assessment(Q, answers, PROFILE)
    gaps = biggest_gaps(Q, result)
    assert gaps[0][0].id == weakest.id and len(gaps) == 3
    strengths = strongest_areas(Q, result, exclude=[d.id for d, _ in gaps])
    assert strengths[0][0].id == strongest.id
    assert not {d.id for d, _ in gaps} & {d.id for d, _ in strengths}


answer_choice = st.fixed_dictionaries({
    i.id: st.sampled_from(i.allowed_values()) for i in ITEMS})


@settings(max_examples=150, deadline=None)
@given(answers=answer_choice, data=st.data())
def test_raising_any_answer_never_lowers_any_score(answers, data):
    raisable = [i for i in ITEMS if answers[i.id] != NOT_RELEVANT and answers[i.id] != "4"]
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    higher = data.draw(st.integers(min_value=int(answers[item.id]) + 1, max_value=4))
    before = score_assessment(Q, answers, PROFILE)
    after = score_assessment(Q, {**answers, item.id: str(higher)}, PROFILE)
    for scope in ("dimensions", "pillars"):
        for key, entry in before[scope].items():
            if entry["score"] is not None:
                assert after[scope][key]["score"] >= entry["score"]
                assert after[scope][key]["level"] >= entry["level"]
    if before["overall"]["score"] is not None:
        assert after["overall"]["score"] >= before["overall"]["score"]
    assert after["dimensions"][item.dimension_id]["score"] > before["dimensions"][item.dimension_id]["score"]


@settings(max_examples=60, deadline=None)
@given(answers=answer_choice)
def test_scores_stay_within_the_scale(answers):
    result = score_assessment(Q, answers, PROFILE)
    entries = [result["overall"], *result["pillars"].values(), *result["dimensions"].values()]
    for entry in entries:
        if entry["score"] is not None:
            assert 0 <= entry["score"] <= 4 and 0 <= entry["percent"] <= 100 and entry["level"] in range(5)


def test_incomplete_answers_are_refused_naming_the_items():
    answers = answers_all(2)
    missing = ITEMS[3].id
    del answers[missing]
    with pytest.raises(IncompleteAnswers) as caught:
        score_assessment(Q, answers, PROFILE)
    assert caught.value.missing == [missing]


def test_result_names_its_questionnaire_version():
    result = score_assessment(Q, answers_all(2), PROFILE)
    assert result["questionnaire"] == {"id": "core", "version": Q.version}
    json.dumps(result)  # stored as JSON


def test_editing_a_level_in_a_new_version_changes_new_scores_only():
    raw = json.loads(CORE_PATH.read_text(encoding="utf-8"))
    raw["version"] = "9.0.0"
    first = raw["pillars"][0]["dimensions"][0]["items"][0]
    first["options"] = [o for o in first["options"] if o["level"] != 4]
    edited = parse_questionnaire(raw, source="edited.json")
    assert edited.version == "9.0.0"


def test_an_all_analog_firm_is_shown_no_strengths():
    answers = answers_all(0)
    answers[Q.dimensions[0].items[0].id] = "1"  # a little above zero, still level 0
    result = score_assessment(Q, answers, PROFILE)
    assert strongest_areas(Q, result) == []


def test_a_niche_dimension_weighs_less_in_its_pillar():
    niche = [d for d in Q.dimensions if d.weight < 1]
    assert [d.id for d in niche] == ["hw_additive"]
    answers = answers_all(4)
    for item in Q.dimension("hw_additive").items:
        answers[item.id] = "0"
    hardware = Q.pillar("hardware")
    full = sum(d.weight for d in hardware.dimensions)
    result = score_assessment(Q, answers, PROFILE)
    assert result["pillars"]["hardware"]["score"] == round(4 * (full - 0.5) / full, 2)  # 3.43, not 3.0


def test_a_weight_outside_0_to_1_is_refused_by_name():
    raw = json.loads(CORE_PATH.read_text(encoding="utf-8"))
    raw["pillars"][0]["dimensions"][0]["weight"] = 0
    with pytest.raises(DataFileError) as caught:
        parse_questionnaire(raw, source="core.json")
    assert "dimension hw_equipment: weight must be a number above 0 and at most 1, found 0" in str(caught.value)
