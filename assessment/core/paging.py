"""Long lists one page at a time: which page was asked for, and what that page covers."""
import re
from dataclasses import dataclass

PAGE_SIZE = 50
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only; longer is beyond any list we page


class PageNumberInvalid(ValueError):
    """Not a page number at all (``?page=abc``, ``0``, ``-1``): the first page is meant."""


class PageOutOfRange(ValueError):
    """A page number past the last page (``?page=999`` or ``10**30``): the last page is meant."""


@dataclass(frozen=True)
class Paging:
    number: int   # 1-based
    total: int    # items in the whole list
    size: int = PAGE_SIZE

    @property
    def pages(self):
        return max(1, -(-self.total // self.size))

    @property
    def offset(self):
        return (self.number - 1) * self.size

    @property
    def first_item(self):
        """1-based position of the page's first item (0 on an empty list)."""
        return min(self.offset + 1, self.total)

    @property
    def last_item(self):
        return min(self.offset + self.size, self.total)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages


def paging(requested, total, size=PAGE_SIZE):
    """The page ``requested`` (the query string's text; None or empty for the first page) of a list of
    ``total`` items. :raise PageNumberInvalid, PageOutOfRange: the caller sends the user to the
    first or last page instead of guessing."""
    if not requested:
        return Paging(1, total, size)
    if not _PAGE_NUMBER.fullmatch(requested):
        raise (PageOutOfRange if requested.isascii() and requested.isdigit() else PageNumberInvalid)(requested)
    number = int(requested)
    if number < 1:
        raise PageNumberInvalid(requested)
    if number > Paging(1, total, size).pages:
        raise PageOutOfRange(requested)
    return Paging(number, total, size)
