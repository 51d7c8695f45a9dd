"""An organisation's admin: its staff accounts (add, disable, enable)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessment.db import get_db
from assessment.store import deletions, staff
from assessment.web.auth import require_login_for_blueprint
from assessment.web.forms import ButtonForm, NewUserForm, RetentionForm

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
            flash(_("Account %(email)s added. Give them their first password in person.", email=form.email.data))
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
    flash(_("Account enabled.") if active else _("Account disabled: its sessions have ended."))
    return redirect(url_for(".users"))



@bp.route("/retention", methods=["GET", "POST"])
def retention():
    """How long unfinished anonymous (workshop) assessments are kept; saving applies it at once."""
    db, org_id = get_db(), g.user["org_id"]
    form = RetentionForm(data={"days": staff.retention_days(db, org_id)})
    if form.validate_on_submit():
        staff.set_retention_days(db, org_id, form.days.data)
        if form.days.data:
            removed = deletions.purge_unfinished(db, org_id, form.days.data)
            flash(_("Saved: unfinished anonymous assessments are removed after %(days)d days. %(removed)d "
                    "were removed now.", days=form.days.data, removed=removed))
        else:
            flash(_("Saved: unfinished anonymous assessments are kept."))
        return redirect(url_for(".retention"))
    return render_template("staff/retention.html", form=form, log=deletions.deletion_log(db, org_id)[:50])

from assessment.web import admin_pointers  # noqa: E402,F401 (registers the pointer pages on bp)
