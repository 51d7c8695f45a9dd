"""The roadmap engine's promises: first steps first, goals matter, prerequisites before dependants."""
import random
from pathlib import Path

import pytest

from assessment.core.library import load_library
from assessment.core.questionnaire import NOT_RELEVANT
from assessment.core.roadmap import HORIZONS, build_roadmap
from assessment.core.scoring import score_assessment
from tests.conftest import PROFILE

LIB = load_library(Path(__file__).resolve().parent.parent / "questionnaires")
Q = LIB.questionnaires["core"]
ADVANCED_WORDS = ("robot", "cobot", "artificial intelligence", " ai ", "predict", "digital twin", "machine learning")


def roadmap_for(answers, profile=PROFILE):
    result = score_assessment(Q, answers, profile)
    return result, build_roadmap(Q, result, profile, LIB.actions, LIB.pointers)


def all_at(level):
    return {i.id: str(level) for i in Q.items}


def random_answers(seed):
    rng = random.Random(seed)
    return {i.id: rng.choice(i.allowed_values()) for i in Q.items}


def test_level_0_firm_gets_basic_low_cost_first_steps_and_nothing_advanced_now():
    _result, roadmap = roadmap_for(all_at(0))
    now = roadmap.by_horizon()["now"]
    assert len(now) >= 5
    for step in now:
        assert step.action.from_level == 0 and step.action.cost_band == "low"
        text = f" {step.action.title['en']} {step.action.what['en']} ".lower()
        assert not any(word in text for word in ADVANCED_WORDS), step.action.id


def test_every_dimension_below_the_top_gets_exactly_one_step_up_from_its_level():
    result, roadmap = roadmap_for(random_answers(7))
    below = {d for d, e in result["dimensions"].items() if e["level"] is not None and e["level"] < 4}
    assert {s.dimension_id for s in roadmap.steps} == below
    for step in roadmap.steps:
        assert step.action.from_level == result["dimensions"][step.dimension_id]["level"]
        assert step.action.to_level == step.action.from_level + 1


def test_a_level_4_dimension_gets_no_move_up_action():
    answers = all_at(1)
    top = Q.dimensions[0]
    for item in top.items:
        answers[item.id] = "4"
    _result, roadmap = roadmap_for(answers)
    assert top.id not in {s.dimension_id for s in roadmap.steps}
    _result, full = roadmap_for(all_at(4))
    assert full.steps == []


def test_not_relevant_items_get_no_action():
    answers = all_at(1)
    wholly_optional = [d for d in Q.dimensions if all(i.not_relevant for i in d.items)]
    assert wholly_optional
    for dimension in wholly_optional:
        for item in dimension.items:
            answers[item.id] = NOT_RELEVANT
    _result, roadmap = roadmap_for(answers)
    assert not {d.id for d in wholly_optional} & {s.dimension_id for s in roadmap.steps}


def energy_positions(goals, answers):
    _result, roadmap = roadmap_for(answers, {**PROFILE, "goals": goals})
    return [n for n, s in enumerate(roadmap.steps) if "energy" in s.action.goals], roadmap


def first_energy_position(roadmap):
    return next(n for n, s in enumerate(roadmap.steps) if "energy" in s.action.goals)


@pytest.mark.parametrize("level", [0, 1, 2])
def test_an_energy_goal_ranks_energy_actions_higher(level):
    with_energy, roadmap_e = energy_positions(["energy"], all_at(level))
    without, roadmap_o = energy_positions(["new_products"], all_at(level))
    assert with_energy, "an energy goal brings energy actions into the roadmap"
    assert not without or first_energy_position(roadmap_e) < first_energy_position(roadmap_o)
    mean = lambda positions: sum(positions) / len(positions)  # noqa: E731
    assert not without or mean(with_energy) < mean(without)


@pytest.mark.parametrize("seed", range(8))
def test_an_energy_goal_never_ranks_energy_actions_lower(seed):
    # compared with no goal: another goal may pick a slower action for some area, which moves every
    # later step up one place without saying anything about energy
    answers = random_answers(seed)
    with_energy, _ = energy_positions(["energy"], answers)
    without, _ = energy_positions(["none"], answers)
    if with_energy and without:
        assert with_energy[0] <= without[0]


@pytest.mark.parametrize("seed", range(12))
def test_a_prerequisite_never_appears_after_what_needs_it(seed):
    _result, roadmap = roadmap_for(random_answers(seed))
    position = {id(s): n for n, s in enumerate(roadmap.steps)}
    for step in roadmap.steps:
        for need in step.needs:
            assert position[id(need)] < position[id(step)], (need.action.id, step.action.id)
            assert HORIZONS.index(need.horizon) <= HORIZONS.index(step.horizon)


def test_unreachable_prerequisites_push_a_step_to_later():
    for seed in range(30):
        _result, roadmap = roadmap_for(random_answers(seed))
        for step in roadmap.steps:
            for requirement in step.unmet:
                helper = next((n for n in step.needs if n.dimension_id == requirement.dimension), None)
                if helper is None or helper.action.to_level < requirement.level:
                    assert step.horizon == "later", step.action.id


@pytest.mark.parametrize("country", ["KE", "BR", "AZ", "other"])
def test_every_firm_gets_at_least_two_pointers_of_each_kind(country):
    _result, roadmap = roadmap_for(random_answers(5), {**PROFILE, "country": country})
    assert len(roadmap.awareness) >= 2 and len(roadmap.financing) >= 2
    for step in roadmap.steps:
        assert len(step.awareness) >= 1 and len(step.financing) >= 1


def test_pointers_for_the_firms_country_come_before_global_ones():
    _result, roadmap = roadmap_for(all_at(0), {**PROFILE, "country": "KE"})
    scopes = [p.scope for p in roadmap.awareness]
    assert "country:KE" in scopes
    assert scopes.index("country:KE") == 0
    _result, elsewhere = roadmap_for(all_at(0), {**PROFILE, "country": "BR"})
    assert "country:KE" not in {p.scope for p in elsewhere.awareness + elsewhere.financing}


def test_group_pointers_keep_to_the_groups_places():
    from assessment.workshop_report import group_places, group_pointers
    places = group_places(Q, {"KE"})
    assert places == {"global", "country:KE", "region:africa"}
    chosen = [p for kind in ("awareness", "financing")
              for p in group_pointers(LIB.pointers, kind, ["cn_capture"], places, limit=50)]
    assert chosen and all(p.scope in places for p in chosen)
    assert any(p.scope == "country:KE" for p in chosen)
    assert not any(p.scope == "country:BR" for p in chosen)
