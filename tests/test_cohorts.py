"""Cohorts, firms and rounds: combining respondents, group figures with the floor, peers, access."""
import re


from assessment.core import benchmark
from assessment.core.scoring import combine_results, score_assessment
from assessment.store import benchmarks, firms, staff
from tests.conftest import PROFILE


def new_cohort(pm, name="Intake 2026"):
    response = pm.post("/staff/programme/", data={"name": name, "starts_on": "2026-01-10"})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def new_firm(pm, cohort_id, name, country="KE", sector="metal", size_band="small"):
    response = pm.post(f"/staff/programme/cohorts/{cohort_id}/firms",
                       data={"name": name, "country": country, "sector": sector, "size_band": size_band})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def answer_everything(client, questionnaire, token, level):
    client.post(f"/a/{token}/p/profile", data={"nav": "next", **PROFILE})
    for pillar in questionnaire.pillars:
        data = {"nav": "next", **{i.id: str(level(i)) for i in pillar.items}}
        assert client.post(f"/a/{token}/p/{pillar.id}", data=data).status_code == 302
    assert client.post(f"/a/{token}/review").status_code == 302


def staff_entry(pm, questionnaire, firm_id, level):
    response = pm.post(f"/staff/programme/firms/{firm_id}/enter")
    token = response.headers["Location"].split("/")[2]
    answer_everything(pm, questionnaire, token, level)
    return token


def test_combining_respondents_means_dimensions_and_flags_disagreement(questionnaire):
    answers = lambda lv: {i.id: str(lv) for i in questionnaire.items}  # noqa: E731
    low = score_assessment(questionnaire, answers(0), PROFILE)
    high = score_assessment(questionnaire, answers(3), PROFILE)
    combined = combine_results(questionnaire, [low, high])
    assert combined["overall"]["score"] == 1.5 and combined["respondents"] == 2
    assert {d["dimension"] for d in combined["disagreements"]} == {d.id for d in questionnaire.dimensions}
    close = score_assessment(questionnaire, answers(1), PROFILE)
    assert combine_results(questionnaire, [low, close])["disagreements"] == []


def test_invitation_link_starts_an_assessment_for_the_firms_current_round(app, db, pm, client, questionnaire):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Taller Núñez")
    firm = firms.get_firm(db, firm_id, firms.get_cohort(db, cohort_id, 1)["org_id"])
    page = client.get(f"/f/{firm['invite_token']}").get_data(as_text=True)
    assert "Taller Núñez" in page
    response = client.post(f"/f/{firm['invite_token']}", data={"role": "production"})
    token = response.headers["Location"].split("/")[2]
    row = next(db.query("SELECT * FROM assessments WHERE token = ?", [token]))
    assert (row["firm_id"], row["round_no"], row["respondent_role"]) == (firm_id, 0, "production")
    profile = client.get(f"/a/{token}/p/profile").get_data(as_text=True)
    assert 'value="Taller Núñez"' in profile  # the firm's data is filled in
    assert client.get("/f/not-a-real-invitation-token").status_code == 404


def test_firm_page_shows_change_since_t0_and_disagreements(pm, db, questionnaire):
    cohort_id = new_cohort(pm)
    firm_id = new_firm(pm, cohort_id, "Kumasi Furniture")
    staff_entry(pm, questionnaire, firm_id, lambda i: 0)
    pm.post(f"/staff/programme/firms/{firm_id}/next-round")
    staff_entry(pm, questionnaire, firm_id, lambda i: 1)
    staff_entry(pm, questionnaire, firm_id, lambda i: 3)
    page = pm.get(f"/staff/programme/firms/{firm_id}").get_data(as_text=True)
    assert "Progress from T0 to T1" in page and "+2.00, up 2 levels" in page
    assert "Analog" in page and "Digitised" in page  # both columns carry level names
    assert "disagree by more than one level" in page
    rounds = firms.round_scores(db, firm_id)
    assert rounds[0]["overall"][0] == 0.0 and rounds[1]["overall"][0] == 2.0
    latest = {r["round_no"] for r in db.query("SELECT round_no FROM firm_scores WHERE firm_id = ? AND is_latest = 1", [firm_id])}
    assert latest == {1}


def build_cohort(pm, questionnaire, levels, sector="metal"):
    cohort_id = new_cohort(pm, f"Cohort {len(levels)} {sector}")
    ids = []
    for n, level in enumerate(levels):
        firm_id = new_firm(pm, cohort_id, f"Firm {sector} {n}", sector=sector)
        staff_entry(pm, questionnaire, firm_id, lambda i, lv=level: lv)
        ids.append(firm_id)
    return cohort_id, ids


def test_no_group_figure_for_fewer_than_five_firms(pm, db, questionnaire):
    cohort_id, _ids = build_cohort(pm, questionnaire, [0, 1, 2, 3])
    page = pm.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Group figures appear once at least 5 firms" in page
    assert "Median" not in page and "Most common gaps" not in page
    assert benchmarks.cohort_summaries(db, cohort_id) == {}
    assert benchmarks.cohort_common_gaps(db, cohort_id) == []


def test_cohort_figures_are_right_from_five_firms(pm, db, questionnaire):
    cohort_id, _ids = build_cohort(pm, questionnaire, [0, 1, 2, 3, 4])
    summaries = benchmarks.cohort_summaries(db, cohort_id)
    expected = benchmark.summarise([0.0, 1.0, 2.0, 3.0, 4.0])
    assert summaries["overall"] == expected
    assert summaries["overall"].distribution == (1, 1, 1, 1, 1)
    page = pm.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Median" in page and "Suggested group activities" in page


def test_firm_table_sorts_by_any_score_column(pm, questionnaire):
    cohort_id, _ids = build_cohort(pm, questionnaire, [2, 0, 1])
    page = pm.get(f"/staff/programme/cohorts/{cohort_id}?sort=overall&dir=desc").get_data(as_text=True)
    names = re.findall(r'/staff/programme/firms/\d+"><bdi>([^<]+)<', page)
    assert names == ["Firm metal 0", "Firm metal 2", "Firm metal 1"]
    page = pm.get(f"/staff/programme/cohorts/{cohort_id}?sort=drop%20table&dir=desc").get_data(as_text=True)
    assert re.findall(r"/staff/programme/firms/\d+\"><bdi>([^<]+)<", page) == ["Firm metal 2", "Firm metal 1", "Firm metal 0"]


def test_peer_benchmark_widens_until_five_peers(pm, db, questionnaire):
    build_cohort(pm, questionnaire, [1, 1, 1], sector="food")
    cohort_id, ids = build_cohort(pm, questionnaire, [0, 2, 2, 4], sector="metal")
    firm = firms.get_firm(db, ids[1], firms.get_cohort(db, cohort_id, 1)["org_id"])
    description, size, percentiles = benchmarks.peer_benchmark(db, firm)
    assert description == "all firms" and size == 6  # only 3 metal peers: widened past region
    assert percentiles["overall"] == (2.0, round(100 * 5 / 6))
    build_cohort(pm, questionnaire, [3, 3], sector="metal")
    description, size, _ = benchmarks.peer_benchmark(db, firm)
    assert description == "sector, size band and country" and size == 5


def test_no_peer_figures_when_fewer_than_five_other_firms(pm, db, questionnaire):
    cohort_id, ids = build_cohort(pm, questionnaire, [1, 2, 3])
    firm = firms.get_firm(db, ids[0], firms.get_cohort(db, cohort_id, 1)["org_id"])
    assert benchmarks.peer_benchmark(db, firm) is None
    page = pm.get(f"/staff/programme/firms/{ids[0]}").get_data(as_text=True)
    assert "Peer figures appear once at least 5 other firms" in page and "Percentile" not in page


def test_roadmap_actions_can_be_marked_done(pm, db, questionnaire):
    cohort_id, ids = build_cohort(pm, questionnaire, [1])
    page = pm.get(f"/staff/programme/firms/{ids[0]}").get_data(as_text=True)
    action_id = re.search(r"/actions/([a-z0-9_]+)", page).group(1)
    pm.post(f"/staff/programme/firms/{ids[0]}/actions/{action_id}", data={"status": "done"})
    assert firms.action_statuses(db, ids[0]) == {action_id: "done"}
    assert pm.post(f"/staff/programme/firms/{ids[0]}/actions/not_an_action", data={"status": "done"}).status_code == 400


def test_programme_pages_of_another_organisation_are_404(app, pm, db, questionnaire):
    cohort_id, ids = build_cohort(pm, questionnaire, [1])
    other = staff.ensure_organisation(db, "Incubator B")
    staff.create_user(db, other, "pm@b.org", "password-123", "programme_manager")
    outsider = app.test_client()
    outsider.post("/staff/login", data={"email": "pm@b.org", "password": "password-123"})
    for url in [f"/staff/programme/cohorts/{cohort_id}", f"/staff/programme/firms/{ids[0]}",
                f"/staff/programme/cohorts/{cohort_id + 100}", f"/staff/programme/firms/{ids[0] + 100}"]:
        assert outsider.get(url).status_code == 404, url
    for url in [f"/staff/programme/firms/{ids[0]}/next-round", f"/staff/programme/firms/{ids[0]}/enter",
                f"/staff/programme/cohorts/{cohort_id}/firms"]:
        assert outsider.post(url, data={"name": "x"}).status_code == 404, url


def test_facilitators_cannot_use_programme_pages(app, client, db, org):
    staff.create_user(db, org, "fac@a.org", "password-123", "facilitator")
    facilitator = app.test_client()
    facilitator.post("/staff/login", data={"email": "fac@a.org", "password": "password-123"})
    assert facilitator.get("/staff/programme/").status_code == 403
