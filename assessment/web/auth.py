"""Staff login and logout, the logged-in user, and the access checks every staff blueprint uses."""
import functools
import secrets

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from assessment.db import get_db
from assessment.store import staff
from assessment.web.forms import ButtonForm, LoginForm
from assessment.web.security import get_remote_address, limiter

bp = Blueprint("auth", __name__, url_prefix="/staff")


@bp.before_app_request
def load_logged_in_user():
    """g.user is the active staff user of this session, or None (a disabled user is logged out)."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    try:
        user = staff.get_user(get_db(), user_id)
    except staff.UserNotFound:
        user = None
    if user is None or not user["active"] or session.get("session_version") != user["session_version"]:
        session.clear()
        return
    g.user = user


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def require_login_for_blueprint(blueprint, roles=None):
    """Access checked once per blueprint: staff only, and only the given roles.

    :raise 403: for a logged-in user whose role is not allowed here.
    """
    @blueprint.before_request
    def check_access():
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        if roles and g.user["role"] not in roles:
            g.page_roles = roles  # the 403 page says whose page this is
            abort(403)


def _failed_login(response):
    return response.status_code != 302


def _client_and_account_key():
    """Failed logins count per client *and* account: a guesser elsewhere cannot lock a staff member
    out of their own account by typing wrong passwords for it (OWASP: lockout is a denial of
    service); each client is also limited over all accounts (LOGIN_LIMIT_PER_CLIENT)."""
    return f"login:{get_remote_address()}:{(request.form.get('email') or '').strip().lower()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_CLIENT"], deduct_when=_failed_login,
               methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT"], key_func=_client_and_account_key,
               deduct_when=_failed_login, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = staff.authenticate(get_db(), form.email.data, form.password.data)
        if user is not None:
            return _start_session(user)
        form.password.errors.append(_("The e-mail address or the password is wrong."))
    return render_template("staff/login.html", form=form), 200


def _start_session(user):
    """A fresh session at login, so that nothing from before the login carries over."""
    session.clear()
    session.permanent = True
    session["user_id"] = user["id"]
    session["session_version"] = user["session_version"]
    session["login_nonce"] = secrets.token_hex(8)
    target = request.args.get("next") or ""
    if not _is_local_path(target):
        target = staff_home_url(user)
    return redirect(target)


def staff_home_url(user=None):
    """Where a staff member starts: their cohorts (programme managers) or workshops (the others)."""
    user = user or g.get("user")
    return url_for("cohorts.index" if user and user["role"] == "programme_manager" else "workshops.index")


def _is_local_path(target):
    """Only a path on this site: browsers read "/\\host", and "//host" with tabs or newlines
    inside, as another site."""
    return (target.startswith("/") and not target.startswith("//")
            and not any(c == "\\" or c.isspace() or ord(c) < 32 for c in target))


@bp.errorhandler(429)
def too_many_logins(error):
    """Failed logins over the limit: say so plainly, and for how long (never more than the window)."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    minutes = max(1, round(limit.get_expiry() / 60)) if limit is not None else 15
    return render_template("staff/429.html", minutes=minutes), 429


@bp.post("/logout")
def logout():
    if g.user is not None:
        staff.end_sessions(get_db(), g.user["id"])  # a copied cookie stops working too
    session.clear()
    return redirect(url_for("auth.login"))


@bp.app_context_processor
def staff_context():
    return {"current_user": g.get("user"), "logout_form": ButtonForm(formdata=None) if g.get("user") else None,
            "staff_home_url": staff_home_url}
