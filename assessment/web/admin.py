"""An organisation's admin: its staff accounts (add, disable, enable)."""
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessment.db import get_db
from assessment.store import staff
from assessment.web.auth import require_login_for_blueprint
from assessment.web.forms import ButtonForm, NewUserForm

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")
require_login_for_blueprint(bp, roles=("admin",))


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            staff.create_user(get_db(), g.user["org_id"], form.email.data, form.password.data, form.role.data)
        except staff.StaffError as exc:
            form.email.errors.append(_("Could not add the account: %(why)s.", why=str(exc)))
        else:
            return redirect(url_for(".users"))
    return render_template("staff/users.html", form=form, button=ButtonForm(),
                           users=staff.users_of(get_db(), g.user["org_id"]))


@bp.post("/users/<int:user_id>/active")
def set_active(user_id):
    active = request.form.get("active") == "1"
    if user_id == g.user["id"] and not active:
        abort(400)  # an admin cannot lock themselves out
    try:
        staff.set_active(get_db(), g.user["org_id"], user_id, active)
    except staff.UserNotFound:
        abort(404)
    return redirect(url_for(".users"))

from assessment.web import admin_pointers  # noqa: E402,F401 (registers the pointer pages on bp)
