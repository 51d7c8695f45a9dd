"""The `smartstep` command: thin wrappers over core/, store/ and db.py."""
import sys
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import ScriptInfo, with_appcontext

from assessment.app import PROJECT_ROOT, create_app
from assessment.core.library import Library, load_data_file, load_library
from assessment.core.validation import DataFileError, read_json
from assessment import serving
from assessment.db import backup, close_thread_connection, get_db, migrate
from assessment.store import staff
from assessment.store.staff import ROLES
from assessment.store.questionnaires import QuestionnaireChanged, register_questionnaire


def prepare_database():
    """Migrates the schema and registers the loaded questionnaires; returns migrations applied."""
    applied = migrate(get_db())
    try:
        for questionnaire in current_app.extensions["smartstep.library"].questionnaires.values():
            register_questionnaire(get_db(), questionnaire)
    except QuestionnaireChanged as exc:
        raise click.ClickException(str(exc)) from exc
    return applied


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database and register the questionnaires."""
    applied = prepare_database()
    click.echo(f"Database ready at {current_app.config['DATABASE']} "
               f"({len(applied)} migration(s) applied).")


@click.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def validate_command(path):
    """Check questionnaire and catalog files; exit 1 naming every mistake.

    PATH is a file or a folder. Without PATH: the questionnaires/ folder and the agency's own
    instance/pointers.json. A separate pointers file is checked against the shipped questionnaires.
    """
    try:
        checked = validate_path(path)
    except DataFileError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"OK: {', '.join(str(p) for p in checked)}")


def validate_path(path):
    """Loads what PATH names (as the app would) and returns the files checked."""
    shipped = PROJECT_ROOT / "questionnaires"
    local = PROJECT_ROOT / "instance" / "pointers.json"
    if path is None:
        load_library(shipped, [local])
        return [shipped] + ([local] if local.exists() else [])
    if path.is_dir():
        load_library(path)
    elif path.resolve().parent == shipped.resolve():
        load_library(shipped)
    elif _kind_of(read_json(path)) in ("pointers", "actions"):
        load_library(shipped, [path])
    else:
        load_data_file(path, Library())
    return [path]


def _kind_of(data):
    return data.get("kind") if isinstance(data, dict) else None


def serving_app():
    """The app as each server worker process builds it (serving.prepared), after the fork."""
    return serving.prepared(create_app())


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets phones on the same network connect.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (gunicorn); default: one per core.")
@click.option("--threads", default=32, show_default=True, type=click.IntRange(1, 256),
              help="Threads per worker process that answer requests (a download waiting for its PDF "
                   "holds one).")
@click.option("--connection-limit", default=1000, show_default=True, type=click.IntRange(10, 10000),
              help="Open connections accepted at once (per worker): each phone keeps one, so a room "
                   "needs at least one per participant.")
@click.option("--server", type=click.Choice(serving.SERVERS), default="auto", show_default=True,
              help="gunicorn (several processes: every core; Linux and macOS) or waitress (one "
                   "process; works everywhere, e.g. Windows). auto: gunicorn where it runs.")
@with_appcontext
def serve_command(host, port, workers, threads, connection_limit, server):
    """Serve SmartStep with a production server (gunicorn, or waitress where gunicorn cannot run)."""
    prepare_database()
    chosen = serving.choose_server(server)
    workers = workers or serving.default_workers()
    click.echo(f"SmartStep on http://{host}:{port}/ ({chosen}, "
               f"{workers if chosen == 'gunicorn' else 1} process(es); Ctrl+C stops it)")
    if chosen == "gunicorn":
        close_thread_connection()  # nothing open crosses the fork into the workers
        serving.serve_with_gunicorn(serving_app, host, port, workers, threads, connection_limit)
    else:
        app = serving.prepared(current_app._get_current_object())
        serving.serve_with_waitress(app, host, port, threads, connection_limit)


@click.command("report")
@click.argument("assessment_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF, e.g. roadmap.pdf.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Address SmartStep is reached at, for the resume link printed in the PDF.")
@with_appcontext
def report_command(assessment_id, output, base_url):
    """Write the roadmap PDF of a completed assessment (the same as its download)."""
    from assessment.firm_report import firm_picture, roadmap_pdf
    from assessment.store import assessments

    db = get_db()
    try:
        row = assessments.get_assessment(db, assessment_id)
        picture = firm_picture(db, current_app.extensions["smartstep.library"], row)
    except assessments.AssessmentNotFound as exc:
        raise click.ClickException(f"assessment {assessment_id} does not exist or is not completed yet") from exc
    with current_app.test_request_context(base_url=base_url):
        resume_url = url_for("respondent.continue_assessment", token=row["token"], _external=True)
    data = roadmap_pdf(picture, resume_url)
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")


@click.command("create-user")
@click.argument("email")
@click.option("--org", "org_name", required=True, help="Organisation (agency or incubator) name; created if new.")
@click.option("--role", type=click.Choice(ROLES), default="admin", show_default=True, help="The account's role.")
@click.option("--password-file", type=click.File("r"),
              help="Read the password from this file (first line) instead of asking for it.")
@with_appcontext
def create_user_command(email, org_name, role, password_file):
    """Create a staff account (the first admin of an organisation, for example)."""
    if password_file:
        password = password_file.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = get_db()
    try:
        org_id = staff.ensure_organisation(db, org_name)
        user = staff.create_user(db, org_id, email, password, role)
    except staff.StaffError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user['role']} {user['email']} in {user['org_name']}.")


@click.command("demo")
@click.option("--seed", default=2024, show_default=True, type=int,
              help="Random seed: the same seed builds the same firms and answers.")
@click.option("--password-file", type=click.File("r"),
              help="Give all three demo accounts the password on this file's first line instead of random ones.")
@with_appcontext
def demo_command(seed, password_file):
    """Fill an empty database with a demo agency, workshop and cohort, and print the staff logins.

    Refuses (exit 1) when the database already holds organisations, assessments or firms.
    """
    from assessment import demo

    prepare_database()
    password = password_file.readline().rstrip("\n") if password_file else None
    try:
        report = demo.build_demo(get_db(), current_app.extensions["smartstep.library"],
                                 current_app.config["DEFAULT_QUESTIONNAIRE"], seed=seed, password=password)
    except (demo.DatabaseNotEmpty, staff.StaffError) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in demo.summary_lines(report, current_app.config["DATABASE"],
                                   password_file.name if password_file else None):
        click.echo(line)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target):
    """Write a consistent copy of the database to TARGET (safe while SmartStep runs)."""
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose a new file name")
    if not target.parent.is_dir():
        raise click.ClickException(f"folder {target.parent} does not exist")
    backup(get_db(), target)
    click.echo(f"Backup written to {target} ({target.stat().st_size // 1024} KB).")


@click.command("purge-unfinished")
@with_appcontext
def purge_unfinished_command():
    """Remove unfinished anonymous workshop assessments older than each organisation's retention
    period (set by its admin under Staff > Data retention); run it daily, e.g. from cron."""
    from assessment.store.deletions import purge_unfinished

    db = get_db()
    for org in staff.organisations_with_retention(db):
        removed = purge_unfinished(db, org["id"], org["retention_days"])
        click.echo(f"{org['name']}: {removed} unfinished assessment(s) older than {org['retention_days']} days removed.")


@click.group("pointers")
def pointers_group():
    """The pointer catalogs: where firms learn and find money for their steps."""


@pointers_group.command("report")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to measure check dates against (default: today), e.g. 2026-12-02.")
@with_appcontext
def pointers_report_command(today):
    """Print per country how many named financing and awareness pointers it has (or whether it
    falls back to regional and global ones), and list named pointers not checked in 12 months."""
    from datetime import date

    from assessment.core.pointer_coverage import coverage_lines

    library = current_app.extensions["smartstep.library"]
    for questionnaire in library.questionnaires.values():
        if not questionnaire.regions():
            continue
        click.echo(f"Questionnaire {questionnaire.id}:")
        for line in coverage_lines(library.pointers, questionnaire, today.date() if today else date.today()):
            click.echo(line)


@click.group()
def smartstep():
    """SmartStep: digital-maturity self-assessment and roadmap for manufacturing SMEs.

    Settings come from instance/config.py and SMARTSTEP_* environment variables (see the README).
    """


from assessment.cli_translations import translations_group  # noqa: E402 (a group of its own module)

for _command in (init_db_command, validate_command, serve_command, report_command, create_user_command,
                 demo_command, backup_command, purge_unfinished_command, translations_group, pointers_group):
    smartstep.add_command(_command)


def main():
    smartstep(prog_name="smartstep", obj=ScriptInfo(create_app=create_app))
