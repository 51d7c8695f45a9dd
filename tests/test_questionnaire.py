"""The loader accepts every shipped file and rejects each kind of mistake with its place named."""
import copy
import json
from pathlib import Path

import pytest

from assessment.core.library import load_library
from assessment.core.questionnaire import load_questionnaire, parse_questionnaire
from assessment.core.validation import DataFileError

DATA_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
CORE = json.loads((DATA_DIR / "core.json").read_text(encoding="utf-8"))


def test_every_shipped_file_is_valid():
    library = load_library(DATA_DIR)
    assert "core" in library.questionnaires


def test_core_questionnaire_has_the_designed_shape():
    q = load_questionnaire(DATA_DIR / "core.json")
    assert [p.id for p in q.pillars] == ["hardware", "software", "connectivity", "enablers"]
    assert all(3 <= len(p.dimensions) <= 5 for p in q.pillars)
    assert 25 <= len(q.items) <= 35
    assert [p.in_overall for p in q.pillars] == [True, True, True, False]
    profile_ids = {p.id for p in q.profile}
    assert {"firm_name", "country", "sector", "size_band", "goals"} <= profile_ids
    assert q.profile_question("goals").max_choices == 3
    assert not q.profile_question("firm_name").required


def test_core_items_offer_observable_levels_and_explain_terms():
    q = load_questionnaire(DATA_DIR / "core.json")
    for item in q.items:
        assert [o.level for o in item.options] == [0, 1, 2, 3, 4], item.id
    assert any(i.not_relevant for i in q.items)
    assert any(i.skip_if for i in q.items)
    assert sum(len(i.terms) for i in q.items) >= 15
    for dimension in q.dimensions:
        assert all("E/CN.16/2022/2" in s for s in dimension.sources), dimension.id


def broken(mutate):
    data = copy.deepcopy(CORE)
    mutate(data)
    return data


def first_item(data):
    return data["pillars"][0]["dimensions"][0]["items"][0]


def set_item_text_empty(data):
    first_item(data)["text"] = {"en": ""}


def duplicate_item_id(data):
    items = data["pillars"][0]["dimensions"][0]["items"]
    second_dim_item = data["pillars"][0]["dimensions"][1]["items"][0]
    second_dim_item["id"] = items[0]["id"]


def drop_option_level(data):
    del first_item(data)["options"][2]["level"]


def level_out_of_range(data):
    first_item(data)["options"][4]["level"] = 5


def skip_rule_unknown(data):
    first_item(data)["skip_if"] = {"question": "no_such_question", "any_of": ["x"]}


def skip_rule_on_scored_item(data):
    other = data["pillars"][1]["dimensions"][0]["items"][0]["id"]
    first_item(data)["skip_if"] = {"question": other, "any_of": ["0"]}


def bad_version(data):
    data["version"] = "one"


def no_sources(data):
    data["pillars"][0]["dimensions"][0]["sources"] = []


def unknown_profile_type(data):
    data["profile"]["questions"][0]["type"] = "slider"


def not_relevant_not_a_text(data):
    first_item(data)["not_relevant"] = 1


def not_relevant_text_without_english(data):
    first_item(data)["not_relevant"] = {"fr": "Pas utile"}


def levels_out_of_order(data):
    options = first_item(data)["options"]
    options[0], options[1] = options[1], options[0]


@pytest.mark.parametrize("mutate, place, message", [
    (set_item_text_empty, "item {item}", '"text" needs English text'),
    (duplicate_item_id, "item {item}", "duplicate id"),
    (drop_option_level, "item {item}, option 3", 'option has no "level"'),
    (level_out_of_range, "item {item}, option 5", "level 5 is outside 0-4"),
    (skip_rule_unknown, "item {item}, skip_if", "unknown profile question 'no_such_question'"),
    (skip_rule_on_scored_item, "item {item}, skip_if", "unknown profile question"),
    (bad_version, "version", 'must look like "1.0.0"'),
    (no_sources, "dimension", '"sources" must list'),
    (unknown_profile_type, "profile question firm_name", "type must be one of"),
    (levels_out_of_order, "item {item}", "lowest level to the highest"),
    (not_relevant_not_a_text, "item {item}", '"not_relevant" must be true, false or a text, found 1'),
    (not_relevant_text_without_english, "item {item}", '"not_relevant" needs English text'),
])
def test_each_mistake_is_named_with_file_and_place(mutate, place, message):
    data = broken(mutate)
    with pytest.raises(DataFileError) as caught:
        parse_questionnaire(data, source="bad.json")
    item = first_item(CORE)["id"]
    expected_place = place.format(item=item)
    assert any(p.startswith(f"bad.json: {expected_place}") and message in p
               for p in caught.value.problems), caught.value.problems


def test_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"kind": "questionnaire",\n "id": }', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_questionnaire(path)
    assert "broken.json: line 2, column" in caught.value.problems[0]


def test_all_problems_are_reported_at_once():
    def two_mistakes(data):
        level_out_of_range(data)
        bad_version(data)
    with pytest.raises(DataFileError) as caught:
        parse_questionnaire(broken(two_mistakes), source="bad.json")
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize("mutate", [level_out_of_range, skip_rule_unknown])
def test_validate_command_exits_non_zero_naming_the_mistake(runner, tmp_path, mutate):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(broken(mutate)), encoding="utf-8")
    result = runner.invoke(["validate", str(path)])
    assert result.exit_code == 1
    assert f"bad.json: item {first_item(CORE)['id']}" in result.output


def test_validate_command_accepts_the_shipped_folder(runner):
    result = runner.invoke(["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK")
