"""Issue 12, server side: a page submission sent again after a dropped connection counts once, an
older answer never overwrites a newer one (two phones: the later answer wins, the other is told),
and late answers reach the workshop dashboard when they arrive."""
import re
import time

from assessment.store import assessments
from tests.staff_helpers import (  # noqa: F401  (fixtures are used by name)
    Participant, facilitator, open_workshop, staff_client)
from tests.test_respondent import db_of, stored_answers

PHONE_HEADER = {"X-SmartStep-Offline": "1"}


def hardware_items(respondent):
    return respondent.questionnaire.pillar("hardware").items


def phone_post(respondent, sid, level, chosen_ago_ms, device="phoneAAAA", clock_offset_ms=0, extra=None):
    """What offline.js sends: the submission id, the phone's id, when it sends on its own clock and
    when each answer was chosen on that clock (``chosen_ago_ms`` before sending)."""
    sent = int(time.time() * 1000) + clock_offset_ms
    items = hardware_items(respondent)
    data = {"nav": "next", "sid": sid, "device": device, "sent": str(sent), "loaded": "0",
            "chosen": " ".join(f"{i.id}:{sent - chosen_ago_ms}" for i in items),
            **{i.id: level for i in items}, **(extra or {})}
    return respondent.client.post(respondent.url("p/hardware"), data=data, headers=PHONE_HEADER)


def submission_count(app, token):
    db = db_of(app)
    row = assessments.get_by_token(db, token)
    return db.execute("SELECT count(*) FROM submissions WHERE assessment_id = ?", [row["id"]]).fetchone()[0]


def answer_rows(app, token):
    db = db_of(app)
    row = assessments.get_by_token(db, token)
    return db.execute("SELECT question_id, value, updated_at, answered_ms, device, device_ms FROM answers "
                      "WHERE assessment_id = ? ORDER BY question_id", [row["id"]]).fetchall()


def test_the_same_submission_posted_twice_is_saved_once(app, respondent):
    respondent.answer_profile()
    first = phone_post(respondent, "sub-one-0001", "3", chosen_ago_ms=5_000)
    assert first.status_code == 200 and first.get_json()["next"].endswith("/p/software")
    rows = answer_rows(app, respondent.token)
    again = phone_post(respondent, "sub-one-0001", "3", chosen_ago_ms=9_000)
    assert again.get_json()["next"].endswith("/p/software")  # the phone moves on as the first time
    assert answer_rows(app, respondent.token) == rows  # not even a time changed
    assert submission_count(app, respondent.token) == 1
    items = hardware_items(respondent)
    assert sum(1 for r in answer_rows(app, respondent.token) if r[0] in {i.id for i in items}) == len(items)


def test_a_resend_after_a_newer_submission_changes_nothing(app, respondent):
    respondent.answer_profile()
    phone_post(respondent, "sub-old-0001", "1", chosen_ago_ms=20_000)
    phone_post(respondent, "sub-new-0001", "4", chosen_ago_ms=1_000)
    replay = phone_post(respondent, "sub-old-0001", "1", chosen_ago_ms=20_000)
    assert replay.get_json()["next"].endswith("/p/software")
    assert {stored_answers(app, respondent.token)[i.id] for i in hardware_items(respondent)} == {"4"}
    assert submission_count(app, respondent.token) == 2


def test_an_older_submission_after_a_newer_one_changes_nothing_and_the_phone_is_told(app, respondent):
    respondent.answer_profile()
    phone_post(respondent, "sub-new-0002", "4", chosen_ago_ms=1_000)
    # the same phone, a submission it made earlier (a first try that got through only now)
    late = phone_post(respondent, "sub-old-0002", "1", chosen_ago_ms=60_000)
    assert late.get_json()["next"].endswith("/p/hardware")  # back to the page, with the newer answers
    assert {stored_answers(app, respondent.token)[i.id] for i in hardware_items(respondent)} == {"4"}
    page = respondent.client.get(respondent.url("p/hardware")).get_data(as_text=True)
    assert "changed on another phone after you chose them" in page


def test_two_phones_the_later_answer_wins_whatever_their_clocks_say(app, respondent):
    respondent.answer_profile()
    # phone B chose 10 s ago and reaches the server first; its clock is an hour slow
    assert phone_post(respondent, "sub-phone-b1", "4", 10_000, device="phoneBBBB",
                      clock_offset_ms=-3_600_000).get_json()["next"].endswith("/p/software")
    # phone A chose 5 minutes ago, offline; its clock is an hour fast: it is still the older answer
    told = phone_post(respondent, "sub-phone-a1", "1", 300_000, device="phoneAAAA", clock_offset_ms=3_600_000)
    assert told.get_json()["next"].endswith("/p/hardware")
    assert {stored_answers(app, respondent.token)[i.id] for i in hardware_items(respondent)} == {"4"}
    # and the other way round: a later answer from phone A replaces phone B's
    phone_post(respondent, "sub-phone-a2", "2", 0, device="phoneAAAA", clock_offset_ms=3_600_000)
    assert {stored_answers(app, respondent.token)[i.id] for i in hardware_items(respondent)} == {"2"}


def test_answers_the_phone_did_not_touch_never_undo_a_newer_answer(app, respondent):
    """A page drawn before another phone answered still carries the old value; offline.js sends no
    time for it, so it counts as old as the page."""
    respondent.answer_profile()
    loaded = str(int(time.time() * 1000) - 60_000)
    items = hardware_items(respondent)
    phone_post(respondent, "sub-phone-b2", "4", 0, device="phoneBBBB")
    sent = int(time.time() * 1000)
    data = {"nav": "next", "sid": "sub-phone-a3", "device": "phoneAAAA", "sent": str(sent), "loaded": loaded,
            "chosen": f"{items[0].id}:{sent}", **{i.id: "1" for i in items}}
    respondent.client.post(respondent.url("p/hardware"), data=data, headers=PHONE_HEADER)
    stored = stored_answers(app, respondent.token)
    assert stored[items[0].id] == "1"  # chosen just now on phone A
    assert {stored[i.id] for i in items[1:]} == {"4"}  # untouched on phone A: phone B's stay


def test_a_page_without_javascript_names_its_submission_so_a_resent_form_counts_once(app, respondent):
    respondent.answer_profile()
    page = respondent.client.get(respondent.url("p/hardware")).get_data(as_text=True)
    sid = re.search(r'name="sid" value="([^"]+)"', page).group(1)
    assert re.search(r'name="loaded" value="\d+"', page)
    items = hardware_items(respondent)
    data = {"nav": "next", "sid": sid, **{i.id: "3" for i in items}}
    for _attempt in range(2):  # the browser sends the form again after a dropped answer
        response = respondent.client.post(respondent.url("p/hardware"), data=data)
        assert response.status_code == 302 and response.headers["Location"].endswith("/p/software")
    assert submission_count(app, respondent.token) == 1
    other = respondent.client.get(respondent.url("p/hardware")).get_data(as_text=True)
    assert re.search(r'name="sid" value="([^"]+)"', other).group(1) != sid  # each drawing its own


def test_without_a_submission_id_every_post_saves_as_before(app, respondent):
    respondent.answer_profile()
    respondent.answer_pillar("hardware", lambda item: "1")
    respondent.answer_pillar("hardware", lambda item: "3")
    assert {stored_answers(app, respondent.token)[i.id] for i in hardware_items(respondent)} == {"3"}
    assert submission_count(app, respondent.token) == 0


def test_late_answers_show_on_the_live_dashboard_when_they_arrive(app, staff_client, questionnaire, open_workshop):
    participant = Participant(app.test_client(), questionnaire, open_workshop["join_code"])
    participant.answer_profile()
    live_url = f"/staff/workshops/{open_workshop['id']}/live.json"
    # answers chosen an hour ago on a phone that was offline all that time arrive now
    phone_post(participant, "sub-late-0001", "2", chosen_ago_ms=3_600_000)
    assert staff_client.get(live_url).get_json()["counts"]["in_progress"] == 1  # not "stopped"
    for pillar in questionnaire.pillars[1:]:
        participant.answer_pillar(pillar.id)
    assert participant.client.post(participant.url("review")).status_code == 302
    assert staff_client.get(live_url).get_json()["counts"]["completed"] == 1


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert b"fetch" in response.get_data()


def test_the_offline_notice_says_results_need_the_server(client, respondent):
    page = client.get(respondent.url("offline")).get_data(as_text=True)
    assert "your results and the PDF open once the connection returns" in page
    assert client.get("/a/not-a-real-token-at-all/offline").status_code == 404


def test_the_question_page_carries_the_script_and_its_messages(client, respondent):
    page = client.get(respondent.url("p/profile")).get_data(as_text=True)
    assert re.search(r'<script src="/static/offline\.js[^"]*" defer></script>', page)
    assert 'data-saved="No connection. Your answers are saved on this phone' in page
    assert f'data-offline="{respondent.token}/profile/' in page


def test_odd_submission_fields_are_ignored_never_a_500(app, respondent):
    respondent.answer_profile()
    odd = {"sid": "<script>", "device": "x" * 500, "sent": "-1", "loaded": "9" * 40,
           "chosen": "::: hw:abc :123 " + "q:" + "9" * 30}
    response = phone_post(respondent, "sub-odd-00001", "3", 0, extra=odd)
    assert response.get_json()["next"].endswith("/p/software")  # no valid device: saved as answered now
    assert {stored_answers(app, respondent.token)[i.id] for i in hardware_items(respondent)} == {"3"}
    assert submission_count(app, respondent.token) == 0  # "<script>" is no submission id


def test_submission_ids_are_unique_in_a_process_and_differ_in_a_forked_worker():
    import multiprocessing
    from assessment.core.submissions import valid_id
    from assessment.web.offline import new_submission_id

    ids = [new_submission_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids) and all(valid_id(i) for i in ids)
    with multiprocessing.get_context("fork").Pool(1) as pool:  # as gunicorn forks its workers
        in_worker = pool.apply(new_submission_id)
    assert valid_id(in_worker) and in_worker[:12] != ids[0][:12]
