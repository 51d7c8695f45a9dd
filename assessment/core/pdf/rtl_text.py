"""Right-to-left text for drawing in a PDF: Arabic letters shaped into their joined forms, lines put
in drawing order by the Unicode bidirectional algorithm, and values written left to right (English
titles, Latin names, web addresses) marked so that their brackets and quotes stay in place.
"""
import unicodedata
from functools import lru_cache

import arabic_reshaper
from bidi.algorithm import get_display

from assessment.core.pdf import language

LRM = "\u200e"  # LEFT-TO-RIGHT MARK


def visual(text):
    """A single line of text ready to draw: shaped and in drawing order for right-to-left languages."""
    return drawing_order(shaped(text)) if language.is_rtl() and text else text


# Shaping and reordering are pure functions of the text, and a cohort report asks for the same scores,
# rounds and country lines thousands of times (arabic_reshaper reads its configuration on every call).
# ASCII text has nothing to shape and no right-to-left letter to reorder: it is returned as it is.

@lru_cache(maxsize=8192)
def shaped(text):
    """Arabic letters in their joined forms (arabic_reshaper), in reading order."""
    return text if text.isascii() else arabic_reshaper.reshape(text)


@lru_cache(maxsize=8192)
def drawing_order(text, base_dir=None):
    """One line put in the order it is drawn, left to right (the Unicode bidirectional algorithm),
    without the direction marks that served it (ltr_value). ``base_dir`` "R": a line of a
    right-to-left paragraph; None: a value on its own (a table cell), whose first letter decides."""
    return text if text.isascii() else get_display(text, base_dir=base_dir).replace(LRM, "")


def ltr_value(text):
    """A value that is written left to right (an English source title, an organisation's or firm's
    name in Latin letters, a web address) in a right-to-left document, marked at both ends: else
    the bidirectional algorithm gives its closing quote, bracket or slash to the right-to-left
    sentence or line around it, and draws them at the value's other end ("(Women in Africa (AFAWA"
    for 'Women in Africa (AFAWA)"'). A value that starts with an Arabic letter needs no mark."""
    return f"{LRM}{text}{LRM}" if text and language.is_rtl() and _starts_left_to_right(text) else text


def _starts_left_to_right(text):
    """Whether the first letter with a direction (Unicode bidirectional class) is left-to-right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind == "L"
    return False


def marks_carried_over(lines):
    """Lines ordered one by one: a marked value (ltr_value) broken over lines gets its marks at
    each line's break too, so that "Afrik," at the end of one line and "2023)" at the start of the
    next stay left-to-right."""
    carried, inside = [], False
    for line in lines:
        starts_inside = inside
        inside = inside != (line.count(LRM) % 2 == 1)
        carried.append((LRM if starts_inside else "") + line + (LRM if inside else ""))
    return carried
