"""The action and pointer catalogs: every shipped entry valid, each kind of mistake named with its place."""
import copy
import json
from pathlib import Path

import pytest

from assessment.core.catalogs import check_actions, parse_actions, parse_pointers
from assessment.core.library import load_library
from assessment.core.validation import DataFileError

DATA = Path(__file__).resolve().parent.parent / "questionnaires"
ACTIONS = json.loads((DATA / "actions.json").read_text(encoding="utf-8"))
POINTERS = json.loads((DATA / "pointers.json").read_text(encoding="utf-8"))
Q = load_library(DATA).questionnaires["core"]


def test_every_dimension_has_an_action_for_every_step_and_evidence_names_its_source():
    actions = parse_actions(ACTIONS)
    check_actions(actions, Q)
    for action in actions:
        if action.evidence:
            assert action.evidence.source.startswith("E/CN.16/2022/2"), action.id
    assert sum(1 for a in actions if a.evidence) >= 5


def test_every_pointer_names_a_source_and_any_firm_gets_two_of_each_kind():
    pointers = parse_pointers(POINTERS)
    assert all(p.source for p in pointers)
    for kind in ("awareness", "financing"):
        assert sum(1 for p in pointers if p.kind == kind and p.scope == "global" and "*" in p.dimensions) >= 2
    assert all(p.generic or "E/CN.16/2022/2" in p.source or p.url for p in pointers)


def first_action(data):
    return data["actions"][0]


@pytest.mark.parametrize("mutate, message", [
    (lambda a: a.update(cost_band="cheap"), "cost_band must be one of low, medium, high"),
    (lambda a: a.update(to_level=a["from_level"] + 2), "to_level one more"),
    (lambda a: a.update(evidence={"text": {"en": "40% less power"}}), "no source, no number"),
    (lambda a: a.pop("why"), '"why" needs English text'),
    (lambda a: a.update(requires=[{"dimension": "en_power", "level": 7}]), 'a "level" 1-4'),
])
def test_action_mistakes_name_the_action(mutate, message):
    data = copy.deepcopy(ACTIONS)
    mutate(first_action(data))
    with pytest.raises(DataFileError) as caught:
        parse_actions(data, source="actions.json")
    assert any(p.startswith(f"actions.json: action {first_action(data)['id']}") and message in p
               for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("mutate, message", [
    (lambda a: a.update(dimension="hw_teleport"), "unknown dimension 'hw_teleport'"),
    (lambda a: a.update(goals=["world_peace"]), "unknown goals ['world_peace']"),
    (lambda a: a.update(requires=[{"dimension": a["dimension"], "level": 2}]), "requires its own dimension"),
])
def test_cross_checks_name_the_action(mutate, message):
    data = copy.deepcopy(ACTIONS)
    mutate(first_action(data))
    with pytest.raises(DataFileError) as caught:
        check_actions(parse_actions(data), Q)
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_a_missing_step_is_named_with_its_dimension():
    data = copy.deepcopy(ACTIONS)
    data["actions"] = [a for a in data["actions"] if not (a["dimension"] == "en_power" and a["from_level"] == 2)]
    with pytest.raises(DataFileError) as caught:
        check_actions(parse_actions(data), Q)
    assert "actions.json: dimension en_power: no action for step(s) 2->3" in caught.value.problems
