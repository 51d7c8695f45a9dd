"""The language a PDF is written in: interface strings from the compiled Flask-Babel catalogs
(``assessment/translations``, read with Babel alone, no Flask), numbers and dates through Babel.

A report module marks its strings with ``_()`` (so ``smartstep translations extract`` finds them)
and the builder runs inside ``in_language(lang)``. PDFs are built one at a time per thread; the
language is a context variable, so two threads building in two languages do not mix.
"""
import contextlib
import contextvars
import datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"

_language = contextvars.ContextVar("pdf_language", default="en")


@lru_cache(maxsize=None)
def catalog(lang):
    """The compiled interface catalog of ``lang`` (English and missing catalogs: identity)."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [lang])


@contextlib.contextmanager
def in_language(lang):
    token = _language.set(lang or "en")
    try:
        yield
    finally:
        _language.reset(token)


def current():
    return _language.get()


def _(message, **values):
    """The message in the PDF's language; ``%(name)s`` placeholders filled from ``values``."""
    text = catalog(current()).gettext(message)
    return text % values if values else text


def ngettext(singular, plural, count, **values):
    text = catalog(current()).ngettext(singular, plural, count)
    return text % dict(values, num=count)


@lru_cache(maxsize=None)
def _locale(lang):
    return Locale.parse(lang)


def is_rtl(lang=None):
    return _locale(lang or current()).character_order == "right-to-left"


def number(value, digits=2):
    """A number with ``digits`` decimals, in the PDF language's notation (2,75 in French)."""
    pattern = "0." + "0" * digits if digits else "0"
    return _decimal(value, pattern, current())


def whole(value):
    return _decimal(value, "#,##0", current())


@lru_cache(maxsize=8192, typed=True)
def _decimal(value, pattern, lang):
    """Babel's formatting, remembered: a cohort report writes the same few hundred scores (0.00-4.00)
    thousands of times, and each formatting parses its pattern and locale anew."""
    return format_decimal(value, format=pattern, locale=lang)


def percent(fraction):
    return format_percent(fraction, locale=current())


def date(value):
    """An ISO date (or date) written the local way: 27 nov. 2026, 27/11/2026…"""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    # CLDR puts direction marks inside right-to-left dates; drawn text is ordered by the bidi
    # algorithm already, and with the marks left in it would split "27/11/2026" into pieces.
    return format_date(value, format="medium", locale=current()).replace("\u200f", "").replace("\u200e", "")


def join_names(names):
    """"A, B and C" in the PDF's language (Babel's list patterns)."""
    from babel.lists import format_list
    return format_list(list(names), locale=current()) if names else ""
