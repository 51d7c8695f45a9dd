"""Everything SmartStep reads from data files: questionnaires, actions and pointers."""
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from assessment.core.catalogs import (check_actions, check_named_sources, check_pointers, parse_actions,
                                      parse_pointers)
from assessment.core.questionnaire import parse_questionnaire
from assessment.core.translations import NO_TRANSLATIONS, load_translations
from assessment.core.validation import DataFileError, read_json


@dataclass
class Library:
    questionnaires: dict = field(default_factory=dict)
    actions: tuple = ()
    pointers: tuple = ()
    sources: dict = field(default_factory=dict)  # catalog entry id -> file it came from
    translations: object = NO_TRANSLATIONS  # content catalogs, see core/translations.py


def data_files(folder):
    """The JSON files of a data folder, sorted so that errors come in a stable order."""
    return sorted(Path(folder).glob("*.json"))


def load_library(folder, local_files=(), translations_dir=None):
    """Loads and validates every file in ``folder``, then an agency's own files (``local_files``,
    those that exist), and cross-checks them; raises DataFileError listing every problem.
    Content translations come from ``translations_dir`` (default: ``folder``/translations)."""
    library, errors = Library(), []
    library.translations = load_translations(translations_dir or Path(folder) / "translations")
    shipped = data_files(folder)
    paths = shipped + [Path(p) for p in local_files if Path(p).exists()]
    for path in paths:
        try:
            load_data_file(path, library, shipped=path in shipped)
        except DataFileError as exc:
            errors.append(exc)
    if not library.questionnaires and not errors:
        errors.append(DataFileError(folder, ["no questionnaire file found"]))
    if not errors:
        errors.extend(_cross_check(library))
    if errors:
        raise DataFileError.combined(errors)
    return library


def load_data_file(path, library, shipped=False):
    """Loads one data file into the library, by its kind. A shipped pointer catalog must also
    source and date every named pointer (check_named_sources)."""
    path = Path(path)
    english = read_json(path)
    data = library.translations.applied(english)
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "questionnaire":
        questionnaire = parse_questionnaire(data, source=path.name)
        # The digest and the stored definition are of the English file: translating is not editing.
        library.questionnaires[questionnaire.id] = dataclasses.replace(questionnaire, raw=english)
    elif kind == "actions":
        library.actions += parse_actions(data, source=path.name)
        library.sources.update({a.id: path.name for a in library.actions})
    elif kind == "pointers":
        pointers = parse_pointers(data, source=path.name)
        if shipped:
            check_named_sources(pointers, source=path.name)
        _check_no_clash(pointers, library, path.name)
        library.pointers += pointers
        library.sources.update({p.id: path.name for p in pointers})
    else:
        raise DataFileError(path.name, [
            f'kind: unknown kind {kind!r} (expected "questionnaire", "actions" or "pointers")'])


def _check_no_clash(pointers, library, source):
    clashes = sorted({p.id for p in pointers} & {p.id for p in library.pointers})
    if clashes:
        raise DataFileError(source, [f"pointer {c}: id already used in {library.sources[c]}" for c in clashes])


def _cross_check(library):
    """Catalog entries must name dimensions, goals and places the questionnaires know."""
    errors = []
    for questionnaire in library.questionnaires.values():
        checks = [(check_actions, library.actions, "actions")]
        for source in sorted({library.sources[p.id] for p in library.pointers}):
            mine = tuple(p for p in library.pointers if library.sources[p.id] == source)
            checks.append((check_pointers, mine, source))
        for check, entries, source in checks:
            try:
                check(entries, questionnaire, source=source)
            except DataFileError as exc:
                errors.append(exc)
    return errors
