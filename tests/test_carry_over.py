"""Answers carry over to a firm's next round where the question did not change, across versions too."""
import json
from pathlib import Path

from assessment.core.carry_over import carried_answers, unchanged_items
from assessment.core.questionnaire import load_questionnaire, parse_questionnaire
from assessment.cohort_report import versions_compared
from assessment.completion import complete_assessment
from assessment.db import write_transaction
from assessment.store import assessments, questionnaires
from tests.exchange_helpers import new_cohort
from tests.test_cohorts import new_firm, staff_entry

DATA = Path(__file__).resolve().parent.parent / "questionnaires"
OLD = load_questionnaire(DATA / "history" / "core-1.0.0.json")
NEW = load_questionnaire(DATA / "core.json")
CHANGED_IN_1_1 = {"hw_automation_tasks", "hw_additive_use", "sw_business_records", "sw_design_tools",
                  "sw_data_problems", "cn_internet_access", "cn_internet_reliability", "cn_capture_energy",
                  "cn_integration_partners", "cn_security_protection", "en_skills_digital", "en_skills_training",
                  "en_leadership_awareness", "en_finance_access", "en_power_supply"}
NEW_IN_1_1 = {"sw_design_process", "en_power_protection"}


def test_only_items_that_ask_the_same_thing_carry_over_from_1_0_0():
    same = set(unchanged_items(OLD, NEW))
    assert same == {i.id for i in NEW.items} - CHANGED_IN_1_1 - NEW_IN_1_1
    assert "hw_maintenance_practice" in same


def test_every_changed_item_is_in_the_changelog():
    changelog = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    for item_id in CHANGED_IN_1_1 | NEW_IN_1_1:
        assert f"`{item_id}`" in changelog, item_id


def test_a_new_help_text_does_not_stop_the_carry_over_but_a_new_option_does():
    raw = json.loads((DATA / "core.json").read_text(encoding="utf-8"))
    first = raw["pillars"][0]["dimensions"][0]["items"][0]
    first["help"] = {"en": "Another help text."}
    second = raw["pillars"][0]["dimensions"][0]["items"][1]
    second["options"][1]["text"] = {"en": "Settings are written on a board"}
    edited = parse_questionnaire(raw, source="edited.json")
    same = unchanged_items(NEW, edited)
    assert first["id"] in same and second["id"] not in same


def test_profile_answers_carry_over_when_still_options():
    old_answers = {"goals": ["new_products", "cost"], "has_design": "adapt", "hw_maintenance_practice": "2",
                   "hw_additive_use": "0", "sector": "metal"}
    carried = carried_answers(OLD, NEW, old_answers)
    assert carried == {"goals": ["new_products", "cost"], "sector": "metal", "hw_maintenance_practice": "2"}


def test_a_firms_next_round_on_a_new_version_starts_with_its_unchanged_answers(app, db, pm, questionnaire):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kisumu Metal")
    questionnaires.register_questionnaire(db, OLD)
    old = assessments.create_assessment(db, OLD, firm_id=firm_id, round_no=0, respondent_role="staff entry")
    answers = {i.id: "1" for i in OLD.items}
    answers.update({"goals": ["cost"], "has_design": "yes_own"})
    assessments.save_answers(db, old["id"], answers)
    with write_transaction(db):
        db.execute("UPDATE assessments SET status = 'completed', completed_at = '2026-01-01' WHERE id = ?",
                   [old["id"]])
    pm.post(f"/staff/programme/firms/{firm_id}/next-round")
    token = pm.post(f"/staff/programme/firms/{firm_id}/enter").headers["Location"].split("/")[2]
    row = assessments.get_by_token(db, token)
    assert (row["round_no"], row["questionnaire_version"]) == (1, NEW.version)
    stored = assessments.answers_of(db, row["id"])
    assert stored["hw_maintenance_practice"] == "1" and stored["goals"] == ["cost"]
    assert "hw_additive_use" not in stored and "sw_design_process" not in stored
    assert "already filled in" in pm.get(f"/a/{token}/started").get_data(as_text=True)


def test_rounds_compared_across_versions_say_so(app, db, pm, questionnaire):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Nakuru Foods")
    questionnaires.register_questionnaire(db, OLD)
    old = assessments.create_assessment(db, OLD, firm_id=firm_id, round_no=0, respondent_role="owner")
    answers = {i.id: "1" for i in OLD.items}
    answers.update({"goals": ["cost"], "has_design": "yes_own"})
    assessments.save_answers(db, old["id"], answers)
    complete_assessment(db, OLD, old, answers)
    page = pm.get(f"/staff/programme/firms/{firm_id}").get_data(as_text=True)
    assert "different versions of the questionnaire" not in page  # one round only
    pm.post(f"/staff/programme/firms/{firm_id}/next-round")
    staff_entry(pm, questionnaire, firm_id, lambda item: 2)
    page = pm.get(f"/staff/programme/firms/{firm_id}").get_data(as_text=True)
    assert f"different versions of the questionnaire (T0: 1.0.0; T1: {NEW.version})" in page


def test_a_1_0_0_assessment_still_shows_scores_and_prints_as_it_was(app, db, client):
    questionnaires.register_questionnaire(db, OLD)
    row = assessments.create_assessment(db, OLD)
    answers = {i.id: "2" for i in OLD.items}
    answers.update({"goals": ["cost"], "has_design": "yes_own", "hw_additive_use": "0"})
    assessments.save_answers(db, row["id"], answers)
    result = complete_assessment(db, OLD, row, answers)
    # 1.0.0 weighs every area 1: hardware (2 + 2 + 2 + 0) / 4 = 1.5, overall (1.5 + 2 + 2) / 3
    assert result["questionnaire"]["version"] == "1.0.0" and result["pillars"]["hardware"]["score"] == 1.5
    page = client.get(f"/a/{row['token']}/results").get_data(as_text=True)
    assert "Score: 1.83 of 4" in page
    pdf = client.get(f"/a/{row['token']}/roadmap.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_comparison_names_the_versions_only_when_they_differ():
    assert versions_compared({0: ["1.0.0"], 1: ["1.1.0"]}, (0, 1)) == "T0: 1.0.0; T1: 1.1.0"
    assert versions_compared({0: ["1.0.0", "1.1.0"], 1: ["1.1.0"]}, (0, 1)) == "T0: 1.0.0, 1.1.0; T1: 1.1.0"
    assert versions_compared({0: ["1.1.0"], 1: ["1.1.0"]}, (0, 1)) is None
    assert versions_compared({0: ["1.0.0"], 2: ["1.1.0"]}, (0, 1)) is None  # T1 not there: nothing compared
