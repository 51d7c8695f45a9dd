"""Content translations: one PO catalog per language, keyed by the English text (gettext style).

The data files (questionnaire, actions, pointers) carry English text objects ({"en": "..."}).
``questionnaires/translations/<lang>.po`` gives, for each English sentence, its translation.
Keeping translations out of the data files means translating never changes a questionnaire's
version or digest, the same English sentence is translated the same way everywhere, and an
edited English sentence shows up as untranslated (or "fuzzy" after ``translations update``)
instead of silently keeping a translation of the old meaning.
"""
import copy
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

TEMPLATE_NAME = "content.pot"


def is_text_object(obj):
    """A dict of language code -> string with English in it, e.g. {"en": "Hardware"}."""
    return (isinstance(obj, dict) and isinstance(obj.get("en"), str)
            and all(isinstance(k, str) and 2 <= len(k) <= 8 and isinstance(v, str) for k, v in obj.items()))


def english_texts(data, place=""):
    """Yields (english, place) for every text object in a JSON structure; ``place`` names where."""
    if is_text_object(data):
        if data["en"].strip():
            yield data["en"], place
        return
    if isinstance(data, dict):
        for key, value in data.items():
            yield from english_texts(value, f"{place}/{key}" if place else key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            label = value.get("id", value.get("value", value.get("level", index))) if isinstance(value, dict) else index
            yield from english_texts(value, f"{place}/{label}")


@dataclass(eq=False)  # hashed by identity: usable as a cache key
class ContentTranslations:
    """The translated content catalogs of every language: lang -> {english: translation}."""
    catalogs: dict = field(default_factory=dict)

    @property
    def languages(self):
        return sorted(self.catalogs)

    def lookup(self, english, lang):
        """The translation of one English sentence, or None when it has none (yet)."""
        return self.catalogs.get(lang, {}).get(english)

    def text(self, text_obj, lang):
        """A text object in ``lang``: its own text first, then the catalog's, then English."""
        if not text_obj:
            return ""
        return text_obj.get(lang) or self.lookup(text_obj.get("en", ""), lang) or text_obj.get("en", "")

    def applied(self, data):
        """A copy of ``data`` whose text objects also carry every language the catalogs translate.
        A text a data file already has in a language (an agency's own file) is kept."""
        data = copy.deepcopy(data)
        if self.catalogs:
            self._fill(data)
        return data

    def _fill(self, node):
        if is_text_object(node):
            for lang in self.catalogs:
                translation = self.lookup(node["en"], lang)
                if translation and not node.get(lang):
                    node[lang] = translation
        elif isinstance(node, dict):
            for value in node.values():
                self._fill(value)
        elif isinstance(node, list):
            for value in node:
                self._fill(value)


NO_TRANSLATIONS = ContentTranslations()


def catalog_paths(folder):
    """The language catalogs of a translations folder: {lang: path}."""
    folder = Path(folder)
    return {path.stem: path for path in sorted(folder.glob("*.po"))} if folder.is_dir() else {}


def read_catalog(path, lang=None):
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang or Path(path).stem)


def usable_translations(catalog):
    """{english: translation} for the entries that are translated and not marked fuzzy (outdated)."""
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy
            and isinstance(m.id, str)}


def load_translations(folder):
    """Reads every <lang>.po of ``folder``; a missing folder means no translations."""
    return ContentTranslations({lang: usable_translations(read_catalog(path, lang))
                                for lang, path in catalog_paths(folder).items()})


def build_template(sources):
    """A PO template (babel Catalog) of every English text of ``sources``: (file label, data) pairs."""
    template = Catalog(project="SmartStep content", fuzzy=False)
    for label, data in sources:
        for english, place in english_texts(data):
            existing = template.get(english)
            locations = list(existing.locations) if existing else []
            template.add(english, locations=locations + [(f"{label}:{place}", None)])
    return template


def write_catalog(catalog, path):
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, include_previous=True)


def update_catalog(path, template, lang):
    """Brings one language catalog in line with the template: new texts added untranslated,
    changed English marked fuzzy with the previous English kept (so a translator sees what moved),
    texts no longer used dropped."""
    catalog = read_catalog(path, lang) if Path(path).exists() else Catalog(locale=lang)
    catalog.update(template, update_header_comment=False)
    catalog.obsolete.clear()
    write_catalog(catalog, path)
    return catalog
