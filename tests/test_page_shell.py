"""Question pages served from a cached shell (web/page_shell.py) are the template's own HTML, with
each request's token, CSRF token, submission id, time and answers; pages that may differ otherwise
are rendered in full."""
import re

import pytest

from assessment.web import page_shell
from tests.conftest import PROFILE

FRESH = [(re.compile(r'name="csrf_token" type="hidden" value="[^"]+"'), 'name="csrf_token" type="hidden" value="C"'),
         (re.compile(r'name="sid" value="[^"]+"'), 'name="sid" value="S"'),
         (re.compile(r'name="loaded" value="\d+"'), 'name="loaded" value="L"')]


def without_fresh_values(html):
    for pattern, replacement in FRESH:
        html, count = pattern.subn(replacement, html)
        assert count <= 1
    return html


def start(client):
    """A new assessment, as a phone starts one from the landing page (CSRF on): its token and the
    session's CSRF token."""
    page = client.get("/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/start", data={"csrf_token": csrf})
    assert response.status_code == 302, response.data[:300]
    return response.headers["Location"].split("/")[2], csrf


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_shell_pages_are_the_template_pages(app, questionnaire, monkeypatch, language):
    """Two respondents (the second one served only from shells the first one's pages made), every page
    with stored answers: the same HTML as the template renders, with the second one's own token."""
    first, second = app.test_client(), app.test_client()
    tokens = []
    for client in (first, second):
        token, csrf = start(client)
        tokens.append(token)
        profile = {"csrf_token": csrf, "nav": "next", **PROFILE, "firm_name": f"Firm {token[:4]}"}
        assert client.post(f"/a/{token}/p/profile?lang={language}", data=profile).status_code == 302
    for page_id in questionnaire.page_ids:
        for client, token in zip((first, second), tokens):
            url = f"/a/{token}/p/{page_id}"
            from_shell = client.get(url).get_data(as_text=True)
            assert "smartstepHole" not in from_shell
            with monkeypatch.context() as patched:
                patched.setattr(page_shell, "can_use_shell", lambda: False)
                from_template = client.get(url).get_data(as_text=True)
            assert without_fresh_values(from_shell) == without_fresh_values(from_template), (page_id, language)
            assert from_shell.count(token) >= 3  # the form's offline key and the language links
            other = tokens[1] if token == tokens[0] else tokens[0]
            assert other not in from_shell
            assert f'lang="{language}" dir=' in from_shell
    shells = app.extensions["smartstep.page_shells"]
    assert len(shells) == len(questionnaire.page_ids)  # one per page, shared by both respondents


def test_fresh_values_are_new_on_every_request(app):
    client = app.test_client()
    token, _csrf = start(client)
    pages = [client.get(f"/a/{token}/p/profile").get_data(as_text=True) for _ in range(2)]
    sids = [re.search(r'name="sid" value="([^"]+)"', page).group(1) for page in pages]
    assert sids[0] != sids[1]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', pages[1]).group(1)
    answer = {"csrf_token": csrf, "nav": "next", **PROFILE}
    assert client.post(f"/a/{token}/p/profile", data=answer).status_code == 302  # the shell's CSRF token works


def test_a_flashed_message_and_errors_are_shown_after_the_shell_is_cached(client, respondent):
    url = respondent.url("p/profile")
    client.get(url)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "A message for this respondent only")]
    assert "A message for this respondent only" in client.get(url).get_data(as_text=True)
    assert "A message for this respondent only" not in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"nav": "next", "country": "KE"}).get_data(as_text=True)
    assert 'class="error summary"' in refused and "smartstepHole" not in refused


def test_a_staff_user_sees_the_staff_header_on_a_question_page(pm, questionnaire):
    from tests.conftest import Respondent
    anonymous = Respondent(pm.application.test_client(), questionnaire)
    anonymous.client.get(anonymous.url("p/profile"))  # the shell exists
    page = pm.get(anonymous.url("p/profile")).get_data(as_text=True)
    assert "Log out" in page
    assert "Log out" not in anonymous.client.get(anonymous.url("p/profile")).get_data(as_text=True)


def test_a_template_without_the_questions_is_refused():
    with pytest.raises(ValueError, match="no longer shows the questions"):
        page_shell.Shell("<html>smartstepHoletokenHere</html>")


def test_a_signed_csrf_token_is_reused_for_a_minute_then_signed_again(app):
    from assessment.web import security
    client = app.test_client()
    token, _csrf = start(client)
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    key = (app.secret_key, raw)

    def shown():
        page = client.get(f"/a/{token}/p/profile").get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    security._signed_tokens[key] = ("kept-token", security.time.monotonic() - 30)
    assert shown() == "kept-token"
    security._signed_tokens[key] = ("expired-token", security.time.monotonic() - security.CSRF_TOKEN_REUSE - 1)
    fresh = shown()
    assert fresh != "expired-token" and security._signed_tokens[key][0] == fresh
    answer = {"csrf_token": fresh, "nav": "next", **PROFILE}
    assert client.post(f"/a/{token}/p/profile", data=answer).status_code == 302


def test_a_shell_page_is_gzipped_for_browsers_that_accept_it(app):
    import gzip
    client = app.test_client()
    token, _csrf = start(client)
    url = f"/a/{token}/p/hardware"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data) / 2
    html = gzip.decompress(zipped.data).decode()
    assert without_fresh_values(html) == without_fresh_values(plain.get_data(as_text=True))
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and b"<!doctype html>" in refused.data


def test_a_question_page_with_errors_is_gzipped_too(app):
    import gzip
    client = app.test_client()
    token, csrf = start(client)
    refused = client.post(f"/a/{token}/p/profile", data={"csrf_token": csrf, "nav": "next"},
                          headers={"Accept-Encoding": "gzip"})
    assert refused.status_code == 200 and refused.headers["Content-Encoding"] == "gzip"
    assert 'class="error' in gzip.decompress(refused.data).decode()


@pytest.mark.parametrize("header, accepted", [
    ("gzip, deflate, br", True), ("br, GZIP", True), ("*", True), ("deflate, br", False), ("", False),
    ("identity", False), ("gzip;q=0, identity", False), ("br;q=1.0, gzip;q=0.5", True), ("*;q=0", False)])
def test_gzip_is_sent_only_to_browsers_that_take_it(app, header, accepted):
    from assessment.web.page_gzip import accepts_gzip
    with app.test_request_context("/", headers={"Accept-Encoding": header} if header else {}):
        assert accepts_gzip() is accepted
