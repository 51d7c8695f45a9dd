"""An agency's own pointers, managed in the staff pages: validated exactly like a pointer catalog
file, merged into the roadmaps of that agency's workshops and cohorts only.

Reads and writes through store/org_pointers.py; checks through core/catalogs.py.
"""
import json

from assessment.core.catalogs import check_pointers, parse_pointers
from assessment.core.validation import DataFileError
from assessment.store import org_pointers

EXPORT_ID = "agency_pointers"


def catalog_of(entries, catalog_id=EXPORT_ID):
    """Entries wrapped as a pointer catalog file (docs/data-format.md)."""
    return {"kind": "pointers", "id": catalog_id, "version": "1.0.0", "pointers": list(entries)}


def validate_entries(library, entries, source="pointers"):
    """Parses and cross-checks entries as one pointer catalog; raises DataFileError naming every
    problem of every entry (each "<source>: pointer <id>: <what is wrong>"). Ids of the site-wide
    catalogs are refused: an agency's pointer must not shadow a shipped one."""
    problems, pointers = [], []
    try:
        parse_pointers(catalog_of(entries), source=source)  # the file's own rules, duplicates included
    except DataFileError as exc:
        problems.extend(exc.problems)
    for entry in entries:  # each entry that parses on its own is cross-checked too
        try:
            pointers.extend(parse_pointers(catalog_of([entry]), source=source))
        except DataFileError:
            continue
    for questionnaire in library.questionnaires.values():
        try:
            check_pointers(tuple(pointers), questionnaire, source=source)
        except DataFileError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    taken = {p.id: library.sources.get(p.id, "the site-wide catalog") for p in library.pointers}
    problems.extend(f"{source}: pointer {p.id}: id already used in {taken[p.id]}; choose another id"
                    for p in pointers if p.id in taken)
    if problems:
        raise _as_error(problems)
    return tuple(pointers)


def _as_error(problems):
    error = DataFileError("", [])
    error.problems = list(problems)
    error.args = ("\n".join(problems),)
    return error


def pointers_for_org(db, library, org_id):
    """The site-wide pointers plus the organisation's active ones (none for org_id None)."""
    if org_id is None:
        return library.pointers
    entries = org_pointers.active_entries(db, org_id)
    if not entries:
        return library.pointers
    try:
        return library.pointers + parse_pointers(catalog_of(entries), source="agency pointers")
    except DataFileError:
        # Stored entries were valid when saved; a later format change must not break roadmaps.
        return library.pointers + tuple(_each_valid(entries))


def _each_valid(entries):
    for entry in entries:
        try:
            yield from parse_pointers(catalog_of([entry]))
        except DataFileError:
            continue


def pointers_for_assessment(db, library, assessment_id):
    return pointers_for_org(db, library, org_pointers.org_of_assessment(db, assessment_id))


def import_file(db, library, org_id, raw_bytes, filename="pointers.json"):
    """Imports a pointer catalog file into the organisation: every entry valid, or nothing changes.
    Returns (added, replaced); raises DataFileError naming every problem."""
    try:
        data = json.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(filename, ["the file is not UTF-8 text"]) from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(filename, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]) from exc
    problems = []
    if not isinstance(data, dict) or data.get("kind") != "pointers":
        problems.append('kind: must be "pointers" (a pointer catalog file, see docs/data-format.md)')
    entries = data.get("pointers") if isinstance(data, dict) else None
    if not problems and (not isinstance(entries, list) or not entries):
        problems.append('"pointers" must be a non-empty list')
    if problems:
        raise DataFileError(filename, problems)
    validate_entries(library, entries, source=filename)
    return org_pointers.import_entries(db, org_id, entries)


def export_file(db, org_id, include_retired=False):
    """The organisation's pointers as a pointer catalog file (bytes), ready to import elsewhere."""
    rows = org_pointers.pointers_of(db, org_id, include_retired=include_retired)
    return json.dumps(catalog_of([r["data"] for r in rows]), indent=2, ensure_ascii=False).encode("utf-8")
