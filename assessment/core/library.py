"""Everything SmartStep reads from data files: questionnaires now, catalogs beside them."""
from dataclasses import dataclass, field
from pathlib import Path

from assessment.core.questionnaire import parse_questionnaire
from assessment.core.validation import DataFileError, read_json


@dataclass
class Library:
    questionnaires: dict = field(default_factory=dict)


def data_files(folder):
    """The JSON files of a data folder, sorted so that errors come in a stable order."""
    return sorted(Path(folder).glob("*.json"))


def load_library(folder):
    """Loads and validates every file in ``folder``; raises DataFileError listing every problem."""
    library, errors = Library(), []
    for path in data_files(folder):
        try:
            load_data_file(path, library)
        except DataFileError as exc:
            errors.append(exc)
    if errors:
        raise DataFileError.combined(errors)
    if not library.questionnaires:
        raise DataFileError(folder, ["no questionnaire file found"])
    return library


def load_data_file(path, library):
    data = read_json(path)
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "questionnaire":
        questionnaire = parse_questionnaire(data, source=path.name)
        library.questionnaires[questionnaire.id] = questionnaire
    else:
        raise DataFileError(path.name, [f'kind: unknown kind {kind!r} (expected "questionnaire")'])
