"""The calibration set stays valid for the current questionnaire (the bench reports the targets)."""
import copy
import sys
from pathlib import Path

from assessment.core.questionnaire import load_questionnaire

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from calibration import firm_problems, load_firms  # noqa: E402  (bench/ is a folder of scripts)

Q = load_questionnaire(Path(__file__).resolve().parent.parent / "questionnaires" / "core.json")
FIRMS = load_firms()


def test_the_set_has_at_least_15_firms_spanning_sizes_regions_and_sectors():
    assert len(FIRMS) >= 15
    assert {f["profile_answers"]["size_band"] for f in FIRMS} >= {"micro", "small", "medium"}
    regions = {Q.regions()[f["profile_answers"]["country"]] for f in FIRMS}
    assert regions >= {"africa", "asia_pacific", "latin_america_caribbean", "western_asia"}
    assert {f["profile_answers"]["sector"] for f in FIRMS} >= {"food", "textiles", "metal", "wood", "plastics"}


def test_every_firm_answers_the_current_questionnaire():
    problems = [p for firm in FIRMS for p in firm_problems(Q, firm)]
    assert problems == []


def test_a_stale_answer_is_named():
    firm = copy.deepcopy(FIRMS[0])
    firm["answers"]["hw_old_item"] = "2"
    firm["answers"]["hw_equipment_type"] = "7"
    problems = firm_problems(Q, firm)
    assert f"{firm['id']}: hw_old_item is not an item of version {Q.version}" in problems
    assert any(p.startswith(f"{firm['id']}: hw_equipment_type='7' is not an answer") for p in problems)


def test_an_answer_to_a_skipped_item_is_named():
    firm = next(f for f in FIRMS if f["profile_answers"]["has_design"] == "customer")
    firm = copy.deepcopy(firm)
    firm["answers"]["sw_design_tools"] = "1"
    assert f"{firm['id']}: sw_design_tools is skipped for this profile; leave it out" in firm_problems(Q, firm)
