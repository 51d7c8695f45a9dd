"""Collecting data-file problems so that one run reports all of them, each with its place."""
import json
import re
from pathlib import Path

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")


class DataFileError(Exception):
    """A questionnaire or catalog file is unreadable or breaks the format.

    ``problems`` holds one line per mistake: ``<file>: <place>: <what is wrong>``.
    """

    def __init__(self, source, problems):
        self.source = str(source)
        self.problems = [f"{self.source}: {p}" for p in problems]
        super().__init__("\n".join(self.problems))

    @classmethod
    def combined(cls, errors):
        """One error carrying the problems of several files, each already naming its file."""
        error = cls("", [])
        error.problems = [p for e in errors for p in e.problems]
        error.args = ("\n".join(error.problems),)
        return error


class Problems:
    """Accumulates problems found while checking one file."""

    def __init__(self, source):
        self.source = source
        self.items = []

    def add(self, place, message):
        self.items.append(f"{place}: {message}" if place else message)

    def raise_if_any(self):
        if self.items:
            raise DataFileError(self.source, self.items)

    def require_text(self, obj, key, place):
        """A text object needs a non-empty English string; other languages must be strings too."""
        value = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(value, dict) or not str(value.get("en") or "").strip():
            self.add(place, f'"{key}" needs English text ({{"en": "..."}})')
            return
        for lang, text in value.items():
            if not isinstance(text, str):
                self.add(place, f'"{key}" in language "{lang}" must be a string')

    def check_id(self, obj, place, seen):
        """Checks an object's id is well formed and unique; returns it (or None)."""
        ident = obj.get("id") if isinstance(obj, dict) else None
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            self.add(place, f'id {ident!r} must be lower-case letters, digits and "_", starting with a letter')
            return None
        if ident in seen:
            self.add(place, f'duplicate id "{ident}" (already used at {seen[ident]})')
        else:
            seen[ident] = place
        return ident

    def check_header(self, data, kind):
        """Checks kind, id and version at the top of a file."""
        if not isinstance(data, dict):
            self.add("", "the file must hold one JSON object")
            return False
        if data.get("kind") != kind:
            self.add("kind", f'must be "{kind}", found {data.get("kind")!r}')
        if not isinstance(data.get("id"), str) or not ID_PATTERN.match(data["id"]):
            self.add("id", f"must be a lower-case id, found {data.get('id')!r}")
        if not isinstance(data.get("version"), str) or not VERSION_PATTERN.match(data["version"]):
            self.add("version", f'must look like "1.0.0", found {data.get("version")!r}')
        return True


def read_json(path):
    """Reads a JSON file, turning unreadable or malformed files into DataFileError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, [f"cannot read the file ({exc.strerror})"]) from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(path, ["the file is not UTF-8 text"]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(path, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]) from exc


def as_list(value, place, problems, name):
    """Returns value if it is a non-empty list, else records a problem and returns []."""
    if not isinstance(value, list) or not value:
        problems.add(place, f'"{name}" must be a non-empty list')
        return []
    return value


def text_of(text_obj, lang="en"):
    """The text in the asked language, falling back to English."""
    if not text_obj:
        return ""
    return text_obj.get(lang) or text_obj.get("en", "")
