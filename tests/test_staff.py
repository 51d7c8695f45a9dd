"""Staff accounts: the create-user command, login and logout, sessions, rate limits, roles, admin pages."""
import pytest
from werkzeug.security import check_password_hash

from assessment.store import staff
from tests.staff_helpers import (  # noqa: F401  (fixtures are used by name)
    PASSWORD, build_url, csrf_token, db_of, facilitator, login, make_user, make_workshop, staff_client)


# --- smartstep create-user -------------------------------------------------------------------

@pytest.fixture
def password_file(tmp_path):
    def write(text):
        path = tmp_path / "password.txt"
        path.write_text(text + "\n", encoding="utf-8")
        return str(path)
    return write


def test_create_user_makes_the_organisation_and_its_admin_with_a_hashed_password(app, runner, password_file):
    result = runner.invoke(["create-user", "Boss@Agency.org", "--org", "Kenya Industry Agency",
                            "--role", "admin", "--password-file", password_file(PASSWORD)])
    assert result.exit_code == 0, result.output
    assert "Created admin boss@agency.org in Kenya Industry Agency" in result.output
    db = db_of(app)
    orgs = list(db.query("SELECT * FROM organisations"))
    assert [o["name"] for o in orgs] == ["Kenya Industry Agency"]
    users = list(db.query("SELECT * FROM users"))
    assert len(users) == 1
    user = users[0]
    assert user["email"] == "boss@agency.org" and user["role"] == "admin" and user["active"] == 1
    assert user["org_id"] == orgs[0]["id"]
    assert PASSWORD not in user["password_hash"]
    assert user["password_hash"].startswith(("scrypt:", "pbkdf2:", "$argon2"))
    assert check_password_hash(user["password_hash"], PASSWORD)
    assert PASSWORD not in "\n".join(db.conn.iterdump())


def test_create_user_adds_a_second_user_to_an_existing_organisation(app, runner, password_file):
    for email in ("one@agency.org", "two@agency.org"):
        result = runner.invoke(["create-user", email, "--org", "Agency A", "--role", "facilitator",
                                "--password-file", password_file(PASSWORD)])
        assert result.exit_code == 0, result.output
    db = db_of(app)
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == 1
    assert db.execute("SELECT count(DISTINCT org_id) FROM users").fetchone()[0] == 1


def test_create_user_asks_for_the_password_when_no_file_is_given(app, runner):
    result = runner.invoke(["create-user", "boss@agency.org", "--org", "Agency A"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert staff.authenticate(db_of(app), "boss@agency.org", PASSWORD)["role"] == "admin"


@pytest.mark.parametrize("email, role, password, message", [
    ("boss@agency.org", "admin", "short", "at least 10 characters"),
    ("not-an-email", "admin", PASSWORD, "is not an e-mail address"),
    ("boss@agency.org", "emperor", PASSWORD, "Invalid value for '--role'"),
])
def test_create_user_refuses_bad_input_with_a_clear_message(app, runner, password_file, email, role, password,
                                                           message):
    result = runner.invoke(["create-user", email, "--org", "Agency A", "--role", role,
                            "--password-file", password_file(password)])
    assert result.exit_code != 0
    assert message in result.output
    assert db_of(app).execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_create_user_refuses_a_duplicate_email_whatever_its_case(app, runner, password_file):
    args = ["--org", "Agency A", "--role", "admin", "--password-file", password_file(PASSWORD)]
    assert runner.invoke(["create-user", "boss@agency.org"] + args).exit_code == 0
    result = runner.invoke(["create-user", "BOSS@agency.org"] + args)
    assert result.exit_code != 0
    assert "there is already an account for boss@agency.org" in result.output
    assert db_of(app).execute("SELECT count(*) FROM users").fetchone()[0] == 1


# --- login and logout ------------------------------------------------------------------------

def test_login_page_asks_for_email_and_password(client):
    page = client.get("/staff/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page and 'type="password"' in page


def test_login_leads_to_the_workshops_and_logout_ends_the_session(client, facilitator):
    response = login(client, facilitator["email"])
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert "Workshops of Agency A" in page and "Log out" in page
    assert db_of(client.application).execute(
        "SELECT last_login_at FROM users WHERE id = ?", [facilitator["id"]]).fetchone()[0]
    response = client.post("/staff/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    assert client.get("/staff/").status_code == 302


def test_login_with_a_capitalised_email_works(client, facilitator):
    assert login(client, "  FAC@Agency-A.org ").status_code == 302


def test_login_returns_to_the_page_asked_for(client, facilitator):
    response = client.get("/staff/workshops/new")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login?next=")
    response = client.post(response.headers["Location"], data={"email": facilitator["email"], "password": PASSWORD})
    assert response.headers["Location"].startswith("/staff/workshops/new")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example/x",
                                    "/\t/evil.example/x", "/\n/evil.example", "javascript:alert(1)"])
def test_login_never_redirects_to_another_site(client, facilitator, target):
    response = client.post("/staff/login", query_string={"next": target},
                           data={"email": facilitator["email"], "password": PASSWORD})
    assert response.headers["Location"] == "/staff/"


@pytest.mark.parametrize("email, password", [
    ("fac@agency-a.org", "wrong password!"),
    ("nobody@agency-a.org", PASSWORD),
])
def test_wrong_login_gets_a_clear_message_and_keeps_the_email(client, facilitator, email, password):
    response = login(client, email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in page
    assert f'value="{email}"' in page
    assert password not in page  # a password is never sent back
    assert client.get("/staff/").status_code == 302


def test_empty_login_names_what_is_missing(client):
    page = client.post("/staff/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Type your e-mail address." in page and "Type your password." in page


def test_every_staff_page_requires_login(app, client, facilitator):
    make_workshop(app, facilitator)  # workshop 1 exists: login is asked for before any lookup
    rules = [r for r in app.url_map.iter_rules()
             if r.rule.startswith("/staff") and r.endpoint not in ("auth.login", "auth.logout")]
    assert len(rules) >= 10
    checked = 0
    for rule in rules:
        url = build_url(app, rule)
        for method in {"GET", "POST"} & rule.methods:
            response = client.open(url, method=method, data={"status": "open", "active": "0"})
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/staff/login?next="), (method, url)
            checked += 1
    assert checked >= len(rules)
    db = db_of(app)
    assert db.execute("SELECT status FROM workshops").fetchone()[0] == "open"
    assert db.execute("SELECT active FROM users").fetchone()[0] == 1


# --- the session at login --------------------------------------------------------------------

def session_data(app, cookie_value):
    return app.session_interface.get_signing_serializer(app).loads(cookie_value)


def test_login_renews_the_session(app, facilitator):
    browser = app.test_client()  # CSRF on, as in production
    token = csrf_token(browser.get("/staff/login").get_data(as_text=True))
    before = browser.get_cookie("session").value
    assert "user_id" not in session_data(app, before)
    response = browser.post("/staff/login", data={"csrf_token": token, "email": facilitator["email"],
                                                  "password": PASSWORD})
    assert response.status_code == 302
    after = browser.get_cookie("session").value
    assert after != before
    data = session_data(app, after)
    assert data["user_id"] == facilitator["id"]
    assert "csrf_token" not in data  # nothing from before the login was carried over
    # the pre-login session does not log anyone in
    other = app.test_client()
    other.set_cookie("session", before)
    assert other.get("/staff/").status_code == 302
    assert browser.get("/staff/").status_code == 200


def test_two_logins_get_different_sessions(app, client, facilitator):
    login(client, facilitator["email"])
    first = client.get_cookie("session").value
    client.post("/staff/logout")
    login(client, facilitator["email"])
    assert client.get_cookie("session").value != first


# --- rate limits -----------------------------------------------------------------------------

def test_failed_logins_are_limited_per_client_and_account(app, client, facilitator):
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT="3 per 15 minutes", LOGIN_LIMIT_PER_CLIENT="100 per 15 minutes")
    statuses = [login(client, facilitator["email"], "wrong password!").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = login(client, "FAC@agency-a.org", "wrong password!")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many login attempts" in page and "Wait 15 minutes" in page
    # ... but other accounts from this client are not
    other = make_user(app, "other@agency-a.org")
    assert login(client, other["email"]).status_code == 302


def test_a_guesser_cannot_lock_a_staff_member_out_of_their_account(app, client, facilitator):
    """Wrong passwords typed elsewhere for a known address do not lock its owner out (OWASP)."""
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT="3 per 15 minutes")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    statuses = [login(attacker, facilitator["email"], "wrong password!").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert login(attacker, facilitator["email"]).status_code == 429  # even the right one, from there
    assert login(client, facilitator["email"]).status_code == 302


def test_failed_logins_are_limited_per_client(app, client, facilitator):
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT="100 per 15 minutes", LOGIN_LIMIT_PER_CLIENT="3 per 15 minutes")
    statuses = [login(client, f"guess{n}@agency-a.org", "wrong password!").status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    response = login(client, "guess9@agency-a.org", "wrong password!")
    assert response.status_code == 429 and "Too many" in response.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert login(elsewhere, facilitator["email"]).status_code == 302


def test_successful_logins_do_not_count(app, client, facilitator):
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT="2 per 15 minutes", LOGIN_LIMIT_PER_CLIENT="2 per 15 minutes")
    for _ in range(4):
        assert login(client, facilitator["email"]).status_code == 302
        client.post("/staff/logout")


def test_the_limit_lifts_after_15_minutes(app, client, facilitator, monkeypatch):
    import time
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT="2 per 15 minutes")
    for _ in range(2):
        login(client, facilitator["email"], "wrong password!")
    assert login(client, facilitator["email"]).status_code == 429
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert login(client, facilitator["email"]).status_code == 302


# --- disabled users ---------------------------------------------------------------------------

def test_a_disabled_user_cannot_log_in(app, client, facilitator):
    staff.set_active(db_of(app), facilitator["org_id"], facilitator["id"], False)
    response = login(client, facilitator["email"])
    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_a_logged_in_user_who_is_disabled_is_logged_out_on_the_next_request(app, staff_client, facilitator):
    assert staff_client.get("/staff/").status_code == 200
    staff.set_active(db_of(app), facilitator["org_id"], facilitator["id"], False)
    response = staff_client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    staff.set_active(db_of(app), facilitator["org_id"], facilitator["id"], True)
    assert staff_client.get("/staff/").status_code == 302  # the session was ended, not just paused


# --- admin: the organisation's staff ---------------------------------------------------------

@pytest.fixture
def admin(app):
    return make_user(app, "boss@agency-a.org", org="Agency A", role="admin")


@pytest.fixture
def admin_client(client, admin):
    assert login(client, admin["email"]).status_code == 302
    return client


def user_row(app, email):
    return db_of(app).execute("SELECT id, org_id, role, active FROM users WHERE email = ?", [email]).fetchone()


def test_admin_adds_a_facilitator_who_can_then_log_in(app, admin_client, admin):
    assert "Add a colleague" in admin_client.get("/staff/admin/users").get_data(as_text=True)
    response = admin_client.post("/staff/admin/users", data={"email": "new@agency-a.org", "password": PASSWORD,
                                                              "role": "facilitator"})
    assert response.status_code == 302
    user_id, org_id, role, active = user_row(app, "new@agency-a.org")
    assert (org_id, role, active) == (admin["org_id"], "facilitator", 1)
    assert "new@agency-a.org" in admin_client.get("/staff/admin/users").get_data(as_text=True)
    newcomer = app.test_client()
    assert login(newcomer, "new@agency-a.org").status_code == 302


@pytest.mark.parametrize("email, password, message", [
    ("new@agency-a.org", "short", "The password must have at least 10 characters."),
    ("", PASSWORD, "Type the new colleague's e-mail address."),
    ("no-at-sign", PASSWORD, "is not an e-mail address"),
    ("boss@agency-a.org", PASSWORD, "there is already an account for boss@agency-a.org"),
])
def test_adding_a_colleague_with_bad_input_gets_a_clear_message(app, admin_client, email, password, message):
    response = admin_client.post("/staff/admin/users", data={"email": email, "password": password,
                                                             "role": "facilitator"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    if email:
        assert f'value="{email}"' in page
    assert db_of(app).execute("SELECT count(*) FROM users").fetchone()[0] == 1


def test_admin_disables_and_enables_a_facilitator(app, admin_client, facilitator):
    url = f"/staff/admin/users/{facilitator['id']}/active"
    assert admin_client.post(url, data={"active": "0"}).status_code == 302
    assert user_row(app, facilitator["email"])[3] == 0
    assert "disabled" in admin_client.get("/staff/admin/users").get_data(as_text=True)
    assert login(app.test_client(), facilitator["email"]).status_code == 200
    assert admin_client.post(url, data={"active": "1"}).status_code == 302
    assert user_row(app, facilitator["email"])[3] == 1
    assert login(app.test_client(), facilitator["email"]).status_code == 302


def test_admin_cannot_disable_themselves(app, admin_client, admin):
    assert admin_client.post(f"/staff/admin/users/{admin['id']}/active", data={"active": "0"}).status_code == 400
    assert user_row(app, admin["email"])[3] == 1


def test_admin_cannot_touch_another_organisations_staff(app, admin_client):
    stranger = make_user(app, "fac@agency-b.org", org="Agency B")
    for user_id in (stranger["id"], 9999):
        response = admin_client.post(f"/staff/admin/users/{user_id}/active", data={"active": "0"})
        assert response.status_code == 404
    assert user_row(app, stranger["email"])[3] == 1
    assert "fac@agency-b.org" not in admin_client.get("/staff/admin/users").get_data(as_text=True)


def test_a_facilitator_gets_403_on_admin_pages(app, staff_client, facilitator):
    colleague = make_user(app, "colleague@agency-a.org")
    assert staff_client.get("/staff/admin/users").status_code == 403
    response = staff_client.post("/staff/admin/users", data={"email": "x@agency-a.org", "password": PASSWORD,
                                                             "role": "admin"})
    assert response.status_code == 403
    assert staff_client.post(f"/staff/admin/users/{colleague['id']}/active", data={"active": "0"}).status_code == 403
    assert user_row(app, colleague["email"])[3] == 1
    assert user_row(app, "x@agency-a.org") is None
    assert "Staff</a>" not in staff_client.get("/staff/").get_data(as_text=True)  # no admin link in the menu


def test_a_programme_manager_gets_403_on_admin_pages(app, client):
    manager = make_user(app, "pm@agency-a.org", role="programme_manager")
    login(client, manager["email"])
    assert client.get("/staff/admin/users").status_code == 403


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client):
    db = db_of(app)
    org_id = staff.ensure_organisation(db, "Agency Z")
    staff.create_user(db, org_id, "z@z.org", "password-123", "facilitator")
    assert client.post("/staff/login", data={"email": "z@z.org", "password": "password-123"}).status_code == 302
    copied = client.get_cookie("session").value
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/staff/").status_code == 302  # back to the login page
