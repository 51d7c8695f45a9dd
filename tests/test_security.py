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
        assert " style=" not in page and "<style" not in page, url
        # a script only from a file of our own (CSP: script-src 'self'), never inline
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
        assert all(body == "" for body in scripts), url
        assert all(re.fullmatch(r'<script src="/static/[a-z]+\.js(\?[^"]*)?" defer>', tag)
                   for tag in re.findall(r"<script\b[^>]*>", page)), url
        assert not re.search(r"\son[a-z]+\s*=", page), url


# --- codes cannot be enumerated ---------------------------------------------------------------

CODE_ROUTES = {
    "resume box": lambda c, n: c.post("/resume", data={"code": f"AAAA-AA{n:02d}"}),
    "workshop code box": lambda c, n: c.post("/join", data={"code": f"AAAA{n:02d}"}),
    "join link": lambda c, n: c.get(f"/j/AAAA{n:02d}"),
    "join link, posted": lambda c, n: c.post(f"/j/AAAA{n:02d}"),
}


@pytest.mark.parametrize("route", list(CODE_ROUTES))
def test_a_guesser_is_refused_after_the_limit_on_each_code_route(app, route):
    app.config.update(WTF_CSRF_ENABLED=False, RESUME_CODE_LIMIT="5 per minute")
    guesser = app.test_client()
    statuses = [CODE_ROUTES[route](guesser, n).status_code for n in range(6)]
    assert statuses[:5] == [200] * 5 or statuses[:5] == [404] * 5, statuses
    assert statuses[5] == 429
    assert "Too many tries" in guesser.get("/j/AAAA99").get_data(as_text=True)


@pytest.mark.parametrize("first, then", [("join link", "resume box"), ("resume box", "join link"),
                                         ("workshop code box", "join link, posted")])
def test_all_code_routes_share_one_limit_per_client(app, first, then):
    app.config.update(WTF_CSRF_ENABLED=False, RESUME_CODE_LIMIT="5 per minute")
    guesser = app.test_client()
    for n in range(3):
        CODE_ROUTES[first](guesser, n)
    for n in range(2):
        assert CODE_ROUTES[then](guesser, 10 + n).status_code in (200, 404)
    assert CODE_ROUTES[then](guesser, 20).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert CODE_ROUTES[then](elsewhere, 30).status_code in (200, 404)


def test_right_join_codes_do_not_count(app):
    from tests.staff_helpers import make_user, make_workshop
    app.config.update(WTF_CSRF_ENABLED=False, RESUME_CODE_LIMIT="3 per minute")
    workshop = make_workshop(app, make_user(app, "fac@agency-a.org"))
    phone = app.test_client()
    assert [phone.get(f"/j/{workshop['join_code']}").status_code for _ in range(6)] == [200] * 6


# --- ids too large for SQLite ----------------------------------------------------------------

HUGE_ID = "9999999999999999999999999"


def id_routes(app):
    """(method, url with every integer part replaced by ``{id}``) for every rule that takes an id."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        url = re.sub(r"<int:[^>]+>", "{id}", rule.rule)
        url = re.sub(r"<any\(([a-z_]+)[^>]*>", r"\1", url)
        url = re.sub(r"<[^>]+>", "x", url)
        routes += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return routes


@pytest.fixture
def admin(app):
    from tests.staff_helpers import make_user
    return make_user(app, "admin@agency-a.org", role="admin")


@pytest.fixture
def admin_client(app, admin):
    """A client logged in as an admin (every staff role), sending the organisation's API token."""
    from assessment.store import api_tokens
    from tests.staff_helpers import db_of, login
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert login(client, admin["email"]).status_code == 302
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + api_tokens.replace_token(db_of(app), admin["org_id"])
    return client


@pytest.mark.parametrize("number", [HUGE_ID, str(2**63), str(2**63 - 1)])
def test_every_route_with_an_id_answers_404_to_any_number_that_is_not_a_row(app, admin_client, number):
    routes = id_routes(app)
    assert len(routes) >= 20  # workshops, cohorts, firms, PDFs, exports, admin, API
    for method, url in routes:
        response = admin_client.open(url.format(id=number), method=method)
        assert response.status_code == 404, (method, url, response.status_code)


# --- headers on downloads, and no traceback for bad input --------------------------------------

def assert_security_headers(response, url):
    headers = response.headers
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "same-origin", url


def test_security_headers_on_pdfs_and_exports(app, admin, admin_client, respondent):
    from tests.staff_helpers import make_workshop
    respondent.complete()
    workshop = make_workshop(app, admin)
    cohort = admin_client.post("/staff/programme/", data={"name": "Intake", "starts_on": "2026-01-10"})
    cohort_id = cohort.headers["Location"].rsplit("/", 1)[1]
    urls = [respondent.url("roadmap.pdf"), f"/staff/workshops/{workshop['id']}/summary.pdf",
            f"/staff/workshops/{workshop['id']}/results.csv", f"/staff/workshops/{workshop['id']}/results.xlsx",
            f"/staff/programme/cohorts/{cohort_id}/report.pdf",
            f"/staff/programme/cohorts/{cohort_id}/export/assessments.csv",
            f"/staff/programme/cohorts/{cohort_id}/export/firms.xlsx"]
    for url in urls:
        response = (respondent.client if url.startswith("/a/") else admin_client).get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)


BAD_INPUT = [
    ("GET", "/a/%00%ff/p/profile", None), ("GET", "/a/" + "x" * 5000, None), ("GET", "/j/%C0%AF", None),
    ("GET", "/j/" + "A" * 5000, None), ("POST", "/resume", {"code": "x" * 10_000}),
    ("POST", "/resume", "code=%ED%A0%80%FF%00"), ("POST", "/join", {"code": "' OR 1=1 --"}),
    ("GET", "/?lang=../../etc/passwd", None), ("GET", "/?lang=" + "x" * 5000, None),
    ("GET", "/staff/login?next=//evil.example", None),
    ("POST", "/staff/login", {"email": "x" * 10_000, "password": "y"}),
    ("POST", "/staff/login", {"email": ["a@b.c", "d@e.f"], "password": "y"}),
    ("GET", "/staff/workshops/-1", None), ("GET", "/staff/workshops/1e9", None),
    ("GET", "/staff/programme/cohorts/0x10", None), ("GET", "/api/cohorts/1/results", None),
]


@pytest.mark.parametrize("method, url, data", BAD_INPUT)
def test_bad_input_gets_a_4xx_page_never_a_traceback(client, method, url, data):
    form = {"content_type": "application/x-www-form-urlencoded"} if isinstance(data, str) else {}
    response = client.open(url, method=method, data=data, **form)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (url, response.status_code)
    assert "Traceback" not in body and "File \"" not in body


@pytest.mark.parametrize("values", [{"nav": "next", "hw_equipment_type": "9"}, {"nav": "next", "hw_equipment_type": "x" * 10_000},
                                    {"nav": ["next", "back"], "unknown": "1"}, {"nav": "next", "csrf_token": "forged"}])
def test_bad_answers_get_the_page_again_never_a_traceback(client, respondent, values):
    response = client.post(respondent.url("p/hardware"), data=values)
    assert response.status_code in (200, 302), response.status_code
    assert "Traceback" not in response.get_data(as_text=True)


def test_endpoints_left_out_of_rate_limiting_have_no_limit_of_their_own(app):
    """security.UNLIMITED_ENDPOINTS skips Flask-Limiter's work on the most requested pages: it must
    never hide a limit. Each of them has no decorated limit, and neither has its blueprint."""
    from flask_limiter.util import get_qualified_name
    from assessment.web.security import UNLIMITED_ENDPOINTS, limiter

    assert UNLIMITED_ENDPOINTS
    for endpoint in UNLIMITED_ENDPOINTS:
        name = get_qualified_name(app.view_functions[endpoint])
        assert name not in limiter._marked_for_limiting, endpoint
        assert not limiter.limit_manager.decorated_limits(name), endpoint
        assert not limiter.limit_manager.blueprint_limits(app, endpoint.split(".")[0]), endpoint
    limited = get_qualified_name(app.view_functions["respondent.resume"])  # the check can fail
    assert limited in limiter._marked_for_limiting or limiter.limit_manager.decorated_limits(limited)


def proxied_app(tmp_path, proxies):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "DATABASE": str(tmp_path / "smartstep.sqlite"), "TRUSTED_PROXIES": proxies,
                      "RESUME_CODE_LIMIT": "2 per minute"})
    from assessment.cli import smartstep
    assert app.test_cli_runner().invoke(smartstep, ["init-db"]).exit_code == 0
    return app


def wrong_codes_from(client, forwarded_for, count):
    return [client.get(f"/j/AAAA{n:02d}", headers={"X-Forwarded-For": forwarded_for}).status_code
            for n in range(count)]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path):
    """Every request reaches the server from the proxy's address: without TRUSTED_PROXIES a room
    behind nginx would share one limit of wrong codes."""
    proxy = proxied_app(tmp_path, 1).test_client()
    assert wrong_codes_from(proxy, "203.0.113.1", 3) == [404, 404, 429]
    assert wrong_codes_from(proxy, "203.0.113.2", 1) == [404]  # another phone, same proxy
    forwarded = {"X-Forwarded-For": "203.0.113.3", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "smartstep.example"}
    started = proxy.post("/start", headers=forwarded)
    page = proxy.get(started.headers["Location"], headers=forwarded).get_data(as_text=True)
    assert "https://smartstep.example/a/" in page  # the resume link the firm writes down


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path):
    """A client cannot pick a new address for each guess by writing X-Forwarded-For itself."""
    direct = proxied_app(tmp_path, 0).test_client()
    assert wrong_codes_from(direct, "203.0.113.1", 2) == [404, 404]
    assert wrong_codes_from(direct, "203.0.113.2", 1) == [429]
