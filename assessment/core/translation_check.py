"""What is missing or outdated in each language: interface catalogs and content catalogs.

Interface strings: ``assessment/translations/<lang>/LC_MESSAGES/messages.po`` (Flask-Babel),
checked against a fresh extraction of the code and templates (``babel.cfg``).
Content: ``questionnaires/translations/<lang>.po``, checked against the English texts of the data
files as they are now. "Outdated" means the English changed after the translation was made:
``smartstep translations update`` marks such entries fuzzy and keeps the previous English beside them.
"""
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


@dataclass
class LanguageReport:
    lang: str
    untranslated: list = field(default_factory=list)  # (where, english)
    outdated: list = field(default_factory=list)       # (where, english)
    placeholders: list = field(default_factory=list)   # (where, english, translation)
    undrawable: list = field(default_factory=list)     # characters the PDF fonts cannot draw

    @property
    def complete(self):
        return not (self.untranslated or self.outdated or self.placeholders or self.undrawable)


def placeholders_of(text):
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text or ""))


def extract_ui_template(project_root):
    """A fresh extraction of the interface strings (pybabel extract with babel.cfg)."""
    root = Path(project_root)
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"),
                                    "-k", "_l", "-k", "lazy_gettext", "--no-location",
                                    "-o", str(pot), str(root)])
        with open(pot, "rb") as handle:
            return read_po(handle)


def check_catalog(report, kind, template_ids, catalog):
    """Adds to ``report`` what ``catalog`` lacks against ``template_ids`` (msgid or (singular, plural))."""
    entries = {message_key(m.id): m for m in catalog if m.id}
    for key in template_ids:
        message = entries.get(key)
        english = key[0] if isinstance(key, tuple) else key
        if message is None or not _translated(message):
            report.untranslated.append((kind, english))
        elif message.fuzzy:
            report.outdated.append((kind, english))
        else:
            _check_placeholders(report, kind, message)


def message_key(msgid):
    """A msgid as a dict key: plural entries have a (singular, plural) pair."""
    return tuple(msgid) if isinstance(msgid, (list, tuple)) else msgid


def _translated(message):
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(s for s in strings)


def _check_placeholders(report, kind, message):
    sources = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    wanted = set(placeholders_of(sources[-1])) | set(placeholders_of(sources[0]))
    for string in strings:
        found = set(placeholders_of(string))
        # A plural form may leave out the count (Arabic's "one" and "two" forms do), never add one.
        if not found <= wanted or (len(strings) == 1 and found != set(placeholders_of(sources[0]))):
            report.placeholders.append((kind, sources[0], string))


def undrawable_characters(texts, can_draw):
    """Characters of the translated ``texts`` that ``can_draw`` (the PDF fonts) cannot draw."""
    chars = {c for text in texts for c in text if not c.isspace()}
    return sorted(c for c in chars if not can_draw(c))


def read_catalog_file(path, lang):
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang)
