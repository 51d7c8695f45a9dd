"""`smartstep translations ...`: extract, update and check the translation catalogs."""
import sys

import click

from assessment import translation_files as files


@click.group("translations")
def translations_group():
    """Translation catalogs: interface strings and content (questions, actions, pointers)."""


@translations_group.command("extract")
def extract_command():
    """Write the templates assessment/translations/messages.pot and questionnaires/translations/content.pot."""
    files.extract()
    click.echo(f"Wrote {files.UI_DIR / 'messages.pot'} and {files.CONTENT_DIR / 'content.pot'}.")


@translations_group.command("update")
@click.argument("languages", nargs=-1)
def update_command(languages):
    """Bring LANGUAGES' catalogs (default: every shipped one) in line with the code and data files.

    New strings are added untranslated; strings whose English changed are marked fuzzy (outdated),
    with the previous English kept beside them. A language with no catalogs yet gets new ones.
    """
    langs = [lang for lang in (languages or files.shipped_languages()) if lang != "en"]
    for lang in langs:
        _check_language_code(lang)
    files.update(langs)
    click.echo(f"Updated: {', '.join(langs) or 'nothing'}.")


@translations_group.command("compile")
def compile_command():
    """Compile the interface catalogs (.mo files; built by `make`, never committed)."""
    files.compile_ui()
    click.echo("Compiled.")


@translations_group.command("check")
@click.argument("languages", nargs=-1)
@click.option("--verbose", "-v", is_flag=True, help="List every missing or outdated string, not only counts.")
def check_command(languages, verbose):
    """List, per language, untranslated and outdated strings; exit 1 if a shipped language is incomplete."""
    from assessment.core.pdf.font_coverage import can_draw

    langs = [lang for lang in (languages or files.shipped_languages()) if lang != "en"]
    incomplete = []
    for report in files.check(langs, can_draw=can_draw):
        click.echo(f"{report.lang}: {len(report.untranslated)} untranslated, {len(report.outdated)} outdated, "
                   f"{len(report.placeholders)} placeholder mismatch(es), "
                   f"{len(report.undrawable)} character(s) the PDF fonts cannot draw")
        _list(report, verbose)
        if not report.complete:
            incomplete.append(report.lang)
    if incomplete:
        click.echo(f"Incomplete: {', '.join(incomplete)}", err=True)
        sys.exit(1)


def _list(report, verbose):
    limit = None if verbose else 5
    for label, rows in (("untranslated", report.untranslated), ("outdated", report.outdated)):
        for kind, english in rows[:limit]:
            click.echo(f"  {label} ({kind}): {english[:100]}")
    for kind, english, translation in report.placeholders[:limit]:
        click.echo(f"  placeholders differ ({kind}): {english[:60]!r} -> {translation[:60]!r}")
    if report.undrawable:
        click.echo(f"  cannot draw in PDFs: {' '.join(report.undrawable[:40])}")


def _check_language_code(lang):
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(lang)
    except (ValueError, UnknownLocaleError) as exc:
        raise click.BadParameter(f"{lang!r} is not a language code Babel knows (e.g. fr, sw, bn)") from exc
