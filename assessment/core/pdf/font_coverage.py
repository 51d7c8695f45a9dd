"""Which characters the fonts bundled for PDFs can draw, so that a language whose script they
lack is refused by name instead of printing empty boxes."""
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile

FONT_DIR = Path(__file__).resolve().parent / "fonts"


@lru_cache(maxsize=None)
def drawable_code_points():
    """Code points with a glyph in any regular-weight font shipped in fonts/."""
    points = set()
    for path in sorted(FONT_DIR.glob("*.ttf")):
        if "Bold" not in path.name:
            points |= set(TTFontFile(str(path)).charToGlyph)
    return frozenset(points)


def can_draw(char):
    # Joiners and direction marks shape or order text; they are never drawn themselves.
    return ord(char) in drawable_code_points() or char in "\u200c\u200d\u200e\u200f\u061c"
