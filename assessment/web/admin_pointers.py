"""An agency admin's own pointers (staff pages): list, add, edit with a preview of the roadmap
steps it would appear on, retire or bring back, import and export as a pointer catalog file.

Every query is scoped to the admin's organisation (g.user["org_id"]): another organisation's
pointer is a 404, and its pointers reach only the roadmaps of its own workshops and cohorts.
"""
from flask import Response, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessment.core.catalogs import parse_pointers
from assessment.core.roadmap import pointer_preview
from assessment.core.validation import DataFileError
from assessment.db import get_db
from assessment.org_pointers import catalog_of, export_file, import_file, pointers_for_org, validate_entries
from assessment.store import org_pointers
from assessment.web.admin import bp
from assessment.web.context import current_questionnaire, library
from assessment.web.forms import ButtonForm
from assessment.web.pointer_forms import (COST_NAMES, PointerForm, PointerImportForm, checked_date, offer_label,
                                          scope_label)


# Roadmaps everywhere (respondent, cohort pages) name a pointer's form of help and check date.
bp.app_template_global("offer_label")(offer_label)
bp.app_template_global("scope_label")(scope_label)
bp.app_template_global("checked_date")(checked_date)


def _org():
    return g.user["org_id"]


def _pointer_or_404(row_id):
    try:
        return org_pointers.get_pointer(get_db(), _org(), row_id)
    except org_pointers.PointerNotFound:
        abort(404)


@bp.get("/pointers")
def pointers():
    rows = org_pointers.pointers_of(get_db(), _org())
    imported = None
    if request.args.get("added") is not None:
        imported = (request.args.get("added", 0, type=int), request.args.get("replaced", 0, type=int))
    return render_template("admin/pointers.html", rows=rows, questionnaire=current_questionnaire(), button=ButtonForm(), import_form=PointerImportForm(),
                           imported=imported, problems=[])


@bp.route("/pointers/new", methods=["GET", "POST"])
def new_pointer():
    form = PointerForm(questionnaire=current_questionnaire())
    if request.method == "GET":
        form.checked.data = None
    return _save(form, None)


@bp.route("/pointers/<int:row_id>", methods=["GET", "POST"])
def edit_pointer(row_id):
    row = _pointer_or_404(row_id)
    form = PointerForm(questionnaire=current_questionnaire())
    if request.method == "GET":
        form.fill_from(row["data"])
    return _save(form, row)


def _save(form, row):
    """Validates the posted pointer as a catalog entry; saves it, or shows every problem under
    its field with what was typed kept."""
    general = []
    if form.validate_on_submit():
        entry = form.entry()
        try:
            validate_entries(library(), [entry], source="pointer")
            if row is None:
                row = org_pointers.create_pointer(get_db(), _org(), entry)
            else:
                row = org_pointers.update_pointer(get_db(), _org(), row["id"], entry)
        except DataFileError as exc:
            general = form.place_problems(exc.problems)
        except org_pointers.PointerIdTaken:
            form.pointer_id.errors.append(_("Your organisation already has a pointer with this identifier."))
        else:
            return redirect(url_for(".edit_pointer", row_id=row["id"], saved=1))
    return render_template("admin/pointer_form.html", form=form, row=row, general=general,
                           saved=request.args.get("saved"), button=ButtonForm(), cost_names=COST_NAMES,
                           preview=_preview(row) if row and request.method == "GET" else None)


def _preview(row):
    """The catalog steps this pointer can appear on, and whether it is among those shown."""
    try:
        pointer = parse_pointers(catalog_of([row["data"]]))[0]
    except DataFileError:
        return None
    questionnaire = current_questionnaire()
    others = pointers_for_org(get_db(), library(), _org())
    steps = pointer_preview(questionnaire, library().actions, others, pointer)
    return {"pointer": pointer, "steps": steps, "questionnaire": questionnaire,
            "shown": sum(1 for _a, _h, shown in steps if shown)}


@bp.post("/pointers/<int:row_id>/retired")
def set_retired(row_id):
    if not ButtonForm().validate_on_submit():
        abort(400)
    _pointer_or_404(row_id)
    org_pointers.set_retired(get_db(), _org(), row_id, request.form.get("retired") == "1")
    return redirect(url_for(".pointers"))


@bp.get("/pointers/export.json")
def export_pointers():
    body = export_file(get_db(), _org(), include_retired=request.args.get("retired") == "1")
    return Response(body, headers={"Content-Type": "application/json; charset=utf-8",
                                   "Content-Disposition": 'attachment; filename="pointers.json"'})


@bp.post("/pointers/import")
def import_pointers():
    form = PointerImportForm()
    problems = []
    if not form.validate_on_submit() or not form.file.data:
        problems = [_("Choose a pointer file (.json) to import.")]
    else:
        try:
            added, replaced = import_file(get_db(), library(), _org(), form.file.data.read(),
                                          filename=form.file.data.filename or "pointers.json")
        except DataFileError as exc:
            problems = exc.problems
        else:
            return redirect(url_for(".pointers", added=added, replaced=replaced))
    rows = org_pointers.pointers_of(get_db(), _org())
    return render_template("admin/pointers.html", rows=rows, questionnaire=current_questionnaire(), button=ButtonForm(), import_form=form,
                           imported=None, problems=problems), 400
