"""The `smartstep` command: thin wrappers over core/, store/ and db.py."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from assessment.app import PROJECT_ROOT, create_app
from assessment.core.library import Library, load_data_file, load_library
from assessment.core.validation import DataFileError
from assessment.db import get_db, migrate
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

    PATH is a file or a folder; by default the questionnaires/ folder.
    """
    path = path or PROJECT_ROOT / "questionnaires"
    try:
        if path.is_dir():
            library = load_library(path)
            count = len(library.questionnaires)
        else:
            load_data_file(path, Library())
            count = 1
    except DataFileError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"OK: {path} ({count} questionnaire(s)).")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets phones on the same network connect.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=16, show_default=True, type=click.IntRange(1, 256),
              help="Worker threads; 16 serve a room of 300 phones on 2 cores.")
@with_appcontext
def serve_command(host, port, threads):
    """Serve SmartStep with the production server (waitress)."""
    from waitress import serve

    prepare_database()
    click.echo(f"SmartStep on http://{host}:{port}/ (Ctrl+C stops it)")
    serve(current_app._get_current_object(), host=host, port=port, threads=threads,
          ident="SmartStep")


@click.group()
def smartstep():
    """SmartStep: digital-maturity self-assessment and roadmap for manufacturing SMEs.

    Settings come from instance/config.py and SMARTSTEP_* environment variables (see the README).
    """


for _command in (init_db_command, validate_command, serve_command):
    smartstep.add_command(_command)


def init_app(app):
    """Makes the same commands available as `flask --app assessment ...`."""
    for command in smartstep.commands.values():
        app.cli.add_command(command)


def main():
    smartstep(prog_name="smartstep", obj=ScriptInfo(create_app=create_app))
