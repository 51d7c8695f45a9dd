"""CSRF on every POST, security headers on every response, cookie flags."""
import re
import time

import pytest
import itsdangerous.timed

from assessment import create_app


@pytest.fixture
def csrf_client(app):
    return app.test_client()  # CSRF on: the app fixture leaves it enabled


def csrf_token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("url", ["/start", "/resume"])
def test_post_without_token_gets_400_and_a_page_that_explains(csrf_client, url):
    response = csrf_client.post(url, data={"code": "AAAA-AAAA"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This page could not be sent" in page and "security token" in page


def test_every_post_route_is_csrf_protected(app, csrf_client):
    """No view is exempt: every rule that takes POST refuses a request without a token."""
    post_rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert post_rules
    for rule in post_rules:
        url = re.sub(r"<int:[^>]+>", "1", rule.rule)
        url = re.sub(r"<any\(([a-z_]+)[^>]*>", r"\1", url)
        url = re.sub(r"<[^>]+>", "x" * 22, url)
        assert csrf_client.post(url).status_code == 400, rule.rule


def test_a_valid_token_lets_the_form_through(csrf_client):
    token = csrf_token(csrf_client.get("/").get_data(as_text=True))
    assert csrf_client.post("/start", data={"csrf_token": token}).status_code == 302


@pytest.mark.parametrize("hours_later, status", [(9, 302), (13, 400)])
def test_a_token_stays_valid_for_a_whole_workshop_day(csrf_client, monkeypatch, hours_later, status):
    token = csrf_token(csrf_client.get("/").get_data(as_text=True))
    now = time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + hours_later * 3600)
    assert csrf_client.post("/start", data={"csrf_token": token}).status_code == status


@pytest.mark.parametrize("url", ["/", "/nowhere", "/static/app.css"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def session_cookie(response):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_and_samesite_lax(csrf_client):
    cookie = session_cookie(csrf_client.get("/"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_served_over_https(tmp_path):
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "HTTPS": True})
    cookie = session_cookie(app.test_client().get("/"))
    assert "Secure" in cookie


def test_no_inline_script_or_style_attribute_on_pages(client, respondent):
    respondent.complete()
    for url in ["/", respondent.url("started"), respondent.url("p/profile"), respondent.url("p/hardware"),
                respondent.url("review"), respondent.url("results")]:
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page and " style=" not in page and "<style" not in page, url
