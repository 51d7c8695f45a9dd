"""Where the translation files live, and the work on them behind `smartstep translations`.

Adding a language is adding files (docs/translating.md):
  assessment/translations/<lang>/LC_MESSAGES/messages.po   interface strings (Flask-Babel)
  questionnaires/translations/<lang>.po                     content: questions, actions, pointers
  docs/glossary-<lang>.md                                   the terms every file follows
"""
import contextlib
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from assessment.core import levels, roadmap
from assessment.core.library import data_files
from assessment.core.translation_check import (LanguageReport, check_catalog, extract_ui_template, message_key,
                                               read_catalog_file, undrawable_characters)
from assessment.core.translations import TEMPLATE_NAME, build_template, update_catalog, write_catalog
from assessment.core.validation import read_json

PROJECT_ROOT = Path(__file__).resolve().parent.parent
UI_DIR = PROJECT_ROOT / "assessment" / "translations"
CONTENT_DIR = PROJECT_ROOT / "questionnaires" / "translations"
DATA_DIR = PROJECT_ROOT / "questionnaires"


def ui_catalog_path(lang, ui_dir=UI_DIR):
    return Path(ui_dir) / lang / "LC_MESSAGES" / "messages.po"


def content_catalog_path(lang, content_dir=CONTENT_DIR):
    return Path(content_dir) / f"{lang}.po"


def shipped_languages(ui_dir=UI_DIR, content_dir=CONTENT_DIR):
    """Languages with both an interface catalog and a content catalog, English first."""
    ui = {p.parent.parent.name for p in Path(ui_dir).glob("*/LC_MESSAGES/messages.po")}
    content = {p.stem for p in Path(content_dir).glob("*.po")}
    return ["en"] + sorted((ui & content) - {"en"})


def content_sources(data_dir=DATA_DIR):
    """Every English text a user reads that is not an interface string: the data files, and the
    level and horizon names the code keeps as text objects."""
    sources = [(path.name, read_json(path)) for path in data_files(data_dir)]
    # A generic pointer's source is SmartStep's own words ("SmartStep generic guidance, based on
    # …"), so it is translated; a named pointer's source is a publication's title and stays as is.
    generic = [{"en": p["source"]} for _name, data in sources if data.get("kind") == "pointers"
               for p in data.get("pointers", []) if p.get("generic") and p.get("source")]
    sources.append(("pointers.json-sources", {"generic": generic}))  # no space: PO locations split on spaces
    sources.append(("levels", {"names": list(levels.LEVEL_NAMES), "meanings": list(levels.LEVEL_MEANINGS)}))
    sources.append(("roadmap", {"horizons": roadmap.HORIZON_NAMES}))
    return sources


def content_template(data_dir=DATA_DIR):
    return build_template(content_sources(data_dir))


def extract():
    """Writes the two templates (.pot) from the code, templates and data files."""
    UI_DIR.mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(PROJECT_ROOT):  # locations relative to the project, the same on every machine
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                                    "--sort-by-file", "-o", str(UI_DIR / "messages.pot"), "."])
    CONTENT_DIR.mkdir(parents=True, exist_ok=True)
    write_catalog(content_template(), CONTENT_DIR / TEMPLATE_NAME)


def update(langs):
    """Brings each language's two catalogs in line with fresh templates (new strings added empty,
    changed ones marked fuzzy with the previous English kept)."""
    extract()
    template = content_template()
    for lang in langs:
        ui_path = ui_catalog_path(lang)
        command = "update" if ui_path.exists() else "init"
        CommandLineInterface().run(["pybabel", "-q", command, "-i", str(UI_DIR / "messages.pot"),
                                    "-d", str(UI_DIR), "-l", lang, "--width", "100"]
                                   + (["--ignore-obsolete"] if command == "update" else []))
        update_catalog(content_catalog_path(lang), template, lang)


def compile_ui(quiet=True):
    """Compiles the interface catalogs (.mo files are built, never committed)."""
    args = ["pybabel"] + (["-q"] if quiet else []) + ["compile", "-d", str(UI_DIR), "--use-fuzzy"]
    if any(UI_DIR.glob("*/LC_MESSAGES/messages.po")):
        CommandLineInterface().run(args)


def check(langs, can_draw=None):
    """One LanguageReport per language."""
    ui_ids = [message_key(m.id) for m in extract_ui_template(PROJECT_ROOT) if m.id]
    content_ids = [m.id for m in content_template() if m.id]
    reports = []
    for lang in langs:
        report = LanguageReport(lang)
        translated = []
        for kind, path, ids in (("interface", ui_catalog_path(lang), ui_ids),
                                ("content", content_catalog_path(lang), content_ids)):
            if not path.exists():
                report.untranslated.append((kind, f"(no file {path.relative_to(PROJECT_ROOT)})"))
                continue
            catalog = read_catalog_file(path, lang)
            check_catalog(report, kind, ids, catalog)
            translated += [s for m in catalog if m.id for s in _strings(m)]
        if can_draw:
            report.undrawable = undrawable_characters(translated, can_draw)
        reports.append(report)
    return reports


def _strings(message):
    return [s for s in (message.string if isinstance(message.string, (list, tuple)) else [message.string]) if s]
