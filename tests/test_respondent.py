"""The respondent's way through, route by route, with the database state checked after each step."""
import re

import pytest

from assessment.db import connect
from assessment.store import assessments
from assessment.store.codes import CODE_ALPHABET
from tests.conftest import PROFILE


def db_of(app):
    return connect(app.config["DATABASE"])


def stored_answers(app, token):
    db = db_of(app)
    return assessments.answers_of(db, assessments.get_by_token(db, token)["id"])


def test_landing_explains_and_offers_start_and_resume(client):
    page = client.get("/").get_data(as_text=True)
    assert "15 minutes" in page and "roadmap" in page
    assert 'action="/start"' in page and 'action="/resume"' in page


def test_start_creates_an_assessment_with_a_long_token_and_a_short_code(app, client):
    response = client.post("/start")
    token = response.headers["Location"].split("/")[2]
    row = assessments.get_by_token(db_of(app), token)
    assert len(token) >= 22 and row["status"] == "in_progress"  # 16 random bytes = 128 bits
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", row["resume_code"])
    started = client.get(response.headers["Location"]).get_data(as_text=True)
    assert assessments.format_code(row["resume_code"]) in started
    assert f"/a/{token}" in started


def test_every_next_stores_the_page_before_the_next_is_shown(app, respondent):
    response = respondent.answer_profile()
    assert response.status_code == 302 and response.headers["Location"].endswith("/p/hardware")
    assert stored_answers(app, respondent.token)["country"] == "KE"
    respondent.answer_pillar("hardware", lambda item: "3")
    stored = stored_answers(app, respondent.token)
    assert all(stored[i.id] == "3" for i in respondent.questionnaire.pillar("hardware").items)


def test_back_keeps_answers_and_shows_them_again(app, client, respondent):
    respondent.answer_profile()
    items = respondent.questionnaire.pillar("hardware").items
    response = client.post(respondent.url("p/hardware"), data={"nav": "back", items[0].id: "4"})
    assert response.headers["Location"].endswith("/p/profile")
    assert stored_answers(app, respondent.token)[items[0].id] == "4"
    page = client.get(respondent.url("p/hardware")).get_data(as_text=True)
    assert re.search(rf'name="{items[0].id}"[^>]*value="4"[^>]*checked|checked[^>]*name="{items[0].id}"[^>]*value="4"', page) \
        or re.search(rf'<input checked id="{items[0].id}-\d+" name="{items[0].id}" type="radio" value="4">', page)


def test_incomplete_page_names_the_question_and_keeps_other_answers(app, client, respondent):
    respondent.answer_profile()
    items = respondent.questionnaire.pillar("software").items
    data = {"nav": "next", **{i.id: "1" for i in items[1:]}}
    response = client.post(respondent.url("p/software"), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Some questions still need an answer" in page
    assert f'href="#q-{items[0].id}"' in page  # the summary links to each unanswered question
    block = page[page.index(f'id="q-{items[0].id}"'):]
    assert "Please choose an answer to this question." in block[:block.index("</legend>") + 200]
    assert page.count("checked") == len(items) - 1
    stored = stored_answers(app, respondent.token)
    assert items[0].id not in stored and all(stored[i.id] == "1" for i in items[1:])


def test_too_many_goals_are_refused_with_a_clear_message(client, respondent):
    response = respondent.answer_profile({**PROFILE, "goals": ["cost", "quality", "energy", "delivery"]})
    assert response.status_code == 200
    assert "Choose at most 3." in response.get_data(as_text=True)


def test_none_of_these_goals_cannot_be_chosen_with_a_goal(client, respondent):
    response = respondent.answer_profile({**PROFILE, "goals": ["none", "cost"]})
    assert response.status_code == 200
    assert "“None of these for now” cannot be chosen together with other answers." in response.get_data(as_text=True)
    assert respondent.answer_profile({**PROFILE, "goals": ["none"]}).status_code == 302


def test_an_item_offers_its_own_words_for_having_no_use_for_it(client, respondent):
    respondent.answer_profile()
    page = client.get(respondent.url("p/hardware")).get_data(as_text=True)
    assert "We never need to make samples, prototypes, jigs or spare parts" in page
    assert "Not relevant to our business" not in page  # every hardware item names its own case


def test_review_lists_answers_and_the_results_show_levels_gaps_and_roadmap(app, client, respondent):
    respondent.complete(lambda item: "1")
    results = client.get(respondent.url("results")).get_data(as_text=True)
    assert "Digital basics" in results
    assert "Your biggest gaps" in results and "Your roadmap" in results
    assert "<svg" in results and "<script" not in results
    assert re.search(r"Download your roadmap \(PDF, \d+ KB\)", results)
    row = assessments.get_by_token(db_of(app), respondent.token)
    assert row["status"] == "completed"
    assert f"/a/{respondent.token}" in results


def test_review_refuses_to_finish_an_incomplete_assessment(client, respondent):
    respondent.answer_profile()
    response = client.post(respondent.url("review"))
    assert response.status_code == 200
    assert "Some questions are not answered yet." in response.get_data(as_text=True)
    assert client.get(respondent.url("results")).status_code == 302


def test_resume_code_leads_back_to_the_first_open_page(app, client, respondent):
    respondent.answer_profile()
    code = assessments.get_by_token(db_of(app), respondent.token)["resume_code"]
    typed = f" {code[:4].lower()}-{code[4:]} "
    response = client.post("/resume", data={"code": typed})
    assert response.headers["Location"] == f"/a/{respondent.token}"
    assert client.get(response.headers["Location"]).headers["Location"].endswith("/p/hardware")


def stored_state(app, token):
    db = db_of(app)
    row = assessments.get_by_token(db, token)
    try:
        result = assessments.result_of(db, row["id"])
    except assessments.AssessmentNotFound:
        result = None
    return row, assessments.answers_of(db, row["id"]), result


def test_a_change_after_completing_is_saved_and_scored_again_at_once(app, client, respondent):
    """Changing answers after completing is allowed (the results page offers it): the stored result
    follows at once, so the PDF, the dashboards and the exports follow; completed_at stays."""
    respondent.complete(lambda item: "1")
    row, _answers, result = stored_state(app, respondent.token)
    assert respondent.answer_pillar("hardware", lambda item: "4").status_code == 302
    assert respondent.answer_profile({**PROFILE, "firm_name": "Other Ltd"}).status_code == 302
    changed, answers, rescored = stored_state(app, respondent.token)
    assert changed["status"] == "completed" and changed["completed_at"] == row["completed_at"]
    assert answers["firm_name"] == "Other Ltd"
    assert rescored["pillars"]["hardware"]["score"] == 4 > result["pillars"]["hardware"]["score"]
    assert rescored["overall"]["score"] > result["overall"]["score"]


def test_a_change_that_opens_new_questions_is_in_progress_until_they_are_answered(app, client, respondent,
                                                                                   questionnaire):
    respondent.complete(profile={**PROFILE, "has_design": "none"})  # design items skipped
    assert respondent.answer_profile({**PROFILE, "has_design": "yes_own"}).status_code == 302
    row, _answers, result = stored_state(app, respondent.token)
    assert row["status"] == "in_progress" and result is None
    opened = next(i for i in questionnaire.items if i.skip_if)
    pillar = next(p for p in questionnaire.pillars if opened in p.items)
    assert client.get(respondent.url("results")).status_code == 302
    assert client.get(f"/a/{respondent.token}").headers["Location"].endswith(f"/p/{pillar.id}")
    respondent.answer_pillar(pillar.id)
    assert client.post(respondent.url("review")).status_code == 302
    assert stored_state(app, respondent.token)[0]["status"] == "completed"


def test_a_completed_assessment_resumes_at_its_results(client, respondent):
    respondent.complete()
    assert client.get(respondent.url("")[:-1]).headers["Location"].endswith("/results")


def test_wrong_resume_code_gets_a_clear_message_and_keeps_what_was_typed(client):
    response = client.post("/resume", data={"code": "AAAA-AAAA"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We found no assessment with the code AAAA-AAAA" in page
    assert 'value="AAAA-AAAA"' in page


def test_wrong_resume_codes_are_rate_limited(app, client):
    app.config["RESUME_CODE_LIMIT"] = "3 per minute"
    statuses = [client.post("/resume", data={"code": f"AAAA-AAA{n}"}).status_code for n in range(3, 7)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    assert "Too many tries" in client.post("/resume", data={"code": "x"}).get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/a/not-a-token/p/profile", "/a/" + "x" * 22 + "/results", "/a/" + "y" * 200,
    "/a/%00%ff/review", "/nowhere",
])
def test_unknown_or_malformed_tokens_get_404_not_500(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find this page" in response.get_data(as_text=True)


def test_unknown_page_of_a_real_assessment_is_404(client, respondent):
    assert client.get(respondent.url("p/robots")).status_code == 404


def test_the_pdf_downloads_for_a_completed_assessment(client, respondent):
    respondent.complete()
    response = client.get(respondent.url("roadmap.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and "attachment" in response.headers["Content-Disposition"]


def test_the_pdf_of_an_unfinished_assessment_sends_the_respondent_back_to_it(client, respondent, monkeypatch):
    respondent.answer_profile()
    response = client.get(respondent.url("roadmap.pdf"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/a/{respondent.token}")
    # A result gone between the check and the build (the assessment reopened meanwhile): the same.
    from assessment.store import assessments
    monkeypatch.setattr(assessments, "has_result", lambda db, assessment_id: True)
    response = client.get(respondent.url("roadmap.pdf"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/a/{respondent.token}")


def test_no_ip_address_or_user_agent_is_stored(app, client, respondent):
    client.environ_base.update(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="UniqueAgent/9.9")
    respondent.complete()
    dump = "\n".join(db_of(app).conn.iterdump())
    assert "203.0.113.77" not in dump and "UniqueAgent" not in dump


def test_each_technical_term_is_explained_once_per_page(client, respondent):
    respondent.answer_profile()
    for pillar in respondent.questionnaire.pillars:
        page = client.get(respondent.url(f"p/{pillar.id}")).get_data(as_text=True)
        terms = re.findall(r"<summary>What does “([^”]+)” mean\?</summary>", page)
        assert len(terms) == len({t.lower() for t in terms}), pillar.id
        all_terms = {t.term["en"].lower() for i in pillar.items for t in i.terms}
        assert {t.lower() for t in terms} == all_terms


def test_pages_are_served_gzipped(client, respondent):
    response = client.get(respondent.url("p/profile"), headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    css = client.get("/static/app.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    css.close()


def test_an_assessment_and_its_answers_read_together_are_what_each_read_gives(app, respondent, db):
    from assessment.store import assessments
    fresh = assessments.get_with_answers(db, respondent.token)
    assert fresh == (assessments.get_by_token(db, respondent.token), {})
    respondent.answer_profile()
    respondent.answer_pillar("hardware", lambda item: "3")
    row, answers = assessments.get_with_answers(db, respondent.token)
    assert row == assessments.get_by_token(db, respondent.token)
    assert answers == assessments.answers_of(db, row["id"]) and answers["goals"] == ["energy", "cost"]
    assert len(answers) > len(respondent.questionnaire.pillar("hardware").items)
    for wrong in ("x" * 22, "short", None):
        with pytest.raises(assessments.AssessmentNotFound):
            assessments.get_with_answers(db, wrong)


def test_english_sources_and_addresses_are_isolated_from_the_sentence_around_them(client, respondent):
    """In Arabic a title's closing quote would otherwise move to the wrong end (bidi isolates)."""
    respondent.complete(level_for=lambda item: "1")
    page = client.get(respondent.url("results") + "?lang=ar").get_data(as_text=True)
    sources = re.findall(r'<span class="src">[^<]*', page)
    assert sources and all(page.count(s + "<bdi>") for s in set(sources) if ":" in s), sources[:3]
    assert '<span class="addr" dir="ltr">' in page and '<span class="addr">' not in page
