"""The roadmap follows the firm profile: where its power comes from and whose designs it makes."""
import copy
import json
from pathlib import Path

import pytest

from assessment.core.catalogs import check_actions, parse_actions
from assessment.core.validation import DataFileError
from tests.conftest import PROFILE
from tests.test_roadmap import LIB, Q, random_answers, roadmap_for

ACTIONS = json.loads((Path(__file__).resolve().parent.parent / "questionnaires" / "actions.json")
                     .read_text(encoding="utf-8"))
OWN_DESIGN_STEPS = {"sw_design_2d_cad", "sw_design_cad_cam", "sw_design_simulation"}


def answers_at(levels, default=3):
    """Every item of a dimension at the level given for it, the others at ``default``."""
    return {i.id: str(levels.get(d.id, default)) for d in Q.dimensions for i in d.items}


def offered(roadmap):
    """Ids of every action the roadmap shows or keeps as an alternative."""
    return {a.id for s in roadmap.steps for a in (s.action, *s.alternatives)}


def step_for(roadmap, dimension_id):
    return next(s for s in roadmap.steps if s.dimension_id == dimension_id)


# Nothing the firm already has

@pytest.mark.parametrize("goals", [["delivery"], ["energy"], ["cost"], ["none"]])
def test_a_firm_on_solar_never_gets_the_solar_quote_step(goals):
    answers = answers_at({"en_power": 3})
    _result, grid = roadmap_for(answers, {**PROFILE, "power_source": "grid", "goals": goals})
    _result, solar = roadmap_for(answers, {**PROFILE, "power_source": "solar", "goals": goals})
    assert "en_power_solar_storage" in offered(grid)
    assert "en_power_solar_storage" not in offered(solar)
    assert step_for(solar, "en_power").action.id == "en_power_efficient_drives"


@pytest.mark.parametrize("seed", range(10))
def test_no_step_or_alternative_quotes_solar_panels_to_a_firm_that_runs_on_them(seed):
    _result, roadmap = roadmap_for(random_answers(seed), {**PROFILE, "power_source": "solar"})
    for action in (a for s in roadmap.steps for a in (s.action, *s.alternatives)):
        assert "quotes for rooftop solar" not in action.what["en"].lower(), action.id


def test_a_firm_on_its_own_generator_is_not_told_to_get_a_generator():
    answers = answers_at({"en_power": 1})
    _result, grid = roadmap_for(answers, {**PROFILE, "power_source": "grid"})
    _result, generator = roadmap_for(answers, {**PROFILE, "power_source": "generator"})
    assert step_for(grid, "en_power").action.id == "en_power_backup_critical"
    power = step_for(generator, "en_power")
    assert power.action.id == "en_power_generator_batteries" and not power.alternatives
    assert "size a generator" not in power.action.what["en"]


def test_the_generator_step_is_for_generator_firms_only_and_an_older_assessment_keeps_its_step():
    answers = answers_at({"en_power": 1})
    for source in ("grid", "grid_shared", "solar", None):
        profile = {k: v for k, v in PROFILE.items() if k != "power_source"}
        if source:
            profile["power_source"] = source
        _result, roadmap = roadmap_for(answers, profile)
        assert "en_power_generator_batteries" not in offered(roadmap), source
        assert step_for(roadmap, "en_power").action.id == "en_power_backup_critical", source


def test_a_firm_with_no_electricity_is_not_told_to_log_or_sub_meter_electricity():
    for level in (1, 2):
        answers = answers_at({"cn_capture": level})
        _result, grid = roadmap_for(answers, {**PROFILE, "power_source": "grid", "goals": ["energy"]})
        _result, none = roadmap_for(answers, {**PROFILE, "power_source": "no_power", "goals": ["energy"]})
        electricity = {"cn_capture_energy_logger", "cn_capture_submeters"}
        assert electricity & offered(grid), level
        assert not electricity & offered(none), level


def test_a_firm_on_a_shared_meter_is_not_told_to_read_its_own_meter():
    answers = answers_at({"en_power": 0})
    _result, grid = roadmap_for(answers, {**PROFILE, "power_source": "grid", "goals": ["energy"]})
    _result, shared = roadmap_for(answers, {**PROFILE, "power_source": "grid_shared", "goals": ["energy"]})
    assert step_for(grid, "en_power").action.id == "en_power_meter_log"
    assert "en_power_meter_log" not in offered(shared)


# Steady power first, for firms on their own generator or solar

@pytest.mark.parametrize("source", ["generator", "solar"])
def test_a_firm_on_its_own_power_gets_the_power_step_before_programmable_machines(source):
    answers = answers_at({"en_power": 1, "hw_equipment": 1, "hw_automation": 1})
    _result, grid = roadmap_for(answers, {**PROFILE, "power_source": "grid"})
    _result, own = roadmap_for(answers, {**PROFILE, "power_source": source})
    for dimension in ("hw_equipment", "hw_automation"):
        assert step_for(grid, dimension).unmet == []  # on the grid, level 1 power is enough
        step, power = step_for(own, dimension), step_for(own, "en_power")
        assert [(r.dimension, r.level) for r in step.unmet] == [("en_power", 2)]
        assert step.needs == [power]
        assert own.steps.index(power) < own.steps.index(step)
        assert power.horizon == "next" and step.horizon == "later"


def test_a_requirement_that_applies_twice_is_named_once_at_its_higher_level():
    action = next(a for a in LIB.actions if a.id == "hw_equipment_cnc_retrofit")
    levels = lambda source: {r.dimension: r.level for r in action.requirements_for(  # noqa: E731
        {"power_source": source})}
    assert levels("generator") == {"en_skills": 2, "en_power": 2}
    assert levels("grid") == levels(None) == {"en_skills": 2, "en_power": 1}
    assert len(action.requirements_for({"power_source": "solar"})) == 2


@pytest.mark.parametrize("seed", range(8))
def test_a_generator_firms_prerequisites_still_come_first(seed):
    _result, roadmap = roadmap_for(random_answers(seed), {**PROFILE, "power_source": "generator"})
    position = {id(s): n for n, s in enumerate(roadmap.steps)}
    for step in roadmap.steps:
        for need in step.needs:
            assert position[id(need)] < position[id(step)], (need.action.id, step.action.id)


# Whose designs the firm makes

@pytest.mark.parametrize("level", [0, 1, 2])
@pytest.mark.parametrize("has_design", ["customer", "none"])
def test_a_firm_without_designs_of_its_own_gets_no_own_design_cad_step(level, has_design):
    answers = answers_at({"sw_design": level})
    _result, own = roadmap_for(answers, {**PROFILE, "has_design": "yes_own"})
    _result, contract = roadmap_for(answers, {**PROFILE, "has_design": has_design})
    assert step_for(own, "sw_design").action.id in OWN_DESIGN_STEPS
    assert not OWN_DESIGN_STEPS & offered(contract)
    assert step_for(contract, "sw_design").action.id == {
        0: "sw_design_job_sheets", 1: "sw_design_cutting_plans", 2: "sw_design_shared_files"}[level]


def test_the_design_process_steps_that_fit_contract_work_stay():
    _result, contract = roadmap_for(answers_at({"sw_design": 3}), {**PROFILE, "has_design": "customer"})
    assert step_for(contract, "sw_design").action.id == "sw_design_digital_twin"
    _result, mixed = roadmap_for(answers_at({"sw_design": 0}), {**PROFILE, "has_design": "mixed"})
    assert step_for(mixed, "sw_design").action.id == "sw_design_2d_cad"
    assert "sw_design_job_sheets" not in offered(mixed)


# The catalog's checks of these fields

def action(data, action_id):
    return next(a for a in data["actions"] if a["id"] == action_id)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: action(d, "en_power_solar_storage").update(not_for=["solar"]),
     'action en_power_solar_storage: "not_for" must map profile question ids to lists of their answer values'),
    (lambda d: action(d, "en_power_solar_storage").update(not_for={"power_source": "solar"}),
     'action en_power_solar_storage: "not_for" must map'),
    (lambda d: action(d, "sw_design_job_sheets").update(only_for={"has_design": []}),
     'action sw_design_job_sheets: "only_for" must map'),
    (lambda d: action(d, "hw_equipment_cnc_retrofit")["requires"][1].update(when="generator"),
     'action hw_equipment_cnc_retrofit: "when" of the requirement on en_power must map'),
])
def test_malformed_profile_conditions_name_the_action(mutate, message):
    data = copy.deepcopy(ACTIONS)
    mutate(data)
    with pytest.raises(DataFileError) as caught:
        parse_actions(data, source="actions.json")
    assert any(p.startswith(f"actions.json: {message}") for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("mutate, message", [
    (lambda d: action(d, "en_power_solar_storage").update(not_for={"power_supply": ["solar"]}),
     "action en_power_solar_storage: \"not_for\" names 'power_supply', which is not a single-choice profile "
     "question (one of: country, sector, size_band, has_design, power_source)"),
    (lambda d: action(d, "en_power_solar_storage").update(not_for={"goals": ["energy"]}),
     "\"not_for\" names 'goals', which is not a single-choice profile question"),
    (lambda d: action(d, "en_power_solar_storage").update(not_for={"power_source": ["sun"]}),
     "action en_power_solar_storage: \"not_for\": values ['sun'] are not options of \"power_source\" "
     "(options: grid, grid_shared, generator, solar, no_power)"),
    (lambda d: action(d, "hw_equipment_used_cnc")["requires"][2].update(when={"power_source": ["diesel"]}),
     "action hw_equipment_used_cnc: \"when\" of the requirement on en_power: values ['diesel'] are not options"),
    (lambda d: action(d, "en_power_efficient_drives").update(not_for={"power_source": ["solar"]}),
     "dimension en_power: no action for step 3->4 fits a firm whose power_source is 'solar' "
     '(see "not_for" and "only_for")'),
    (lambda d: action(d, "en_power_backup_critical").update(only_for={"power_source": ["grid"]}),
     "dimension en_power: no action for step 1->2 fits a firm whose power_source is unanswered"),
    (lambda d: action(d, "sw_design_shared_files").update(not_for={"has_design": ["customer"]}),
     "dimension sw_design: no action for step 2->3 fits a firm whose has_design is 'customer'"),
])
def test_profile_conditions_are_checked_against_the_questionnaire(mutate, message):
    data = copy.deepcopy(ACTIONS)
    mutate(data)
    with pytest.raises(DataFileError) as caught:
        check_actions(parse_actions(data), Q)
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_a_step_left_out_only_where_its_area_is_skipped_is_accepted():
    # the two power items are skipped for a firm that uses no electricity: its power steps may be too
    data = copy.deepcopy(ACTIONS)
    for entry in data["actions"]:
        if entry["dimension"] == "en_power":
            entry["not_for"] = {"power_source": ["no_power"]}
    check_actions(parse_actions(data), Q)
