"""A long table of short rows (a cohort's 500 firms), drawn straight on the canvas.

reportlab's Table styles, measures and draws every cell on its own, and at each page break makes
two new tables and applies every style command again to the rows that are left: for hundreds of
rows that was most of a cohort report's build. Here the header is a one-row reportlab Table,
repeated at the top of every page the rows run over, and the body rows are plain data: a
``TextLines`` cell and plain strings, all of a page's text in one text object, one rectangle per
shaded column and one path for the rules between rows; the header is written once, as a form. It
looks the same as the Table it replaces: shading, padding, rules, rows centred vertically, in
right-to-left languages columns from the right.
"""
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from assessment.core.pdf import language
from assessment.core.pdf.rtl_text import visual
from assessment.core.pdf.styles import FONT, INK, RULE, TextLines
LEFT, CENTRE = "LEFT", "CENTER"


class RowsLook:
    """How the body rows look: per column (in reading order) its padding left and right and its
    alignment (``TextLines`` cells fill their column, strings are left-aligned or centred), the
    columns shaded and their colour, cell padding above and below, the text style of strings and
    the rule under each row."""

    def __init__(self, widths, paddings, aligns, shaded=(), shade=None, top=3, bottom=4, font=(FONT, 8.5, 11),
                 rule=(0.4, RULE)):
        self.rtl = language.is_rtl()
        if self.rtl:  # the first column is where the reader starts: on the right
            widths, aligns, shaded = widths[::-1], aligns[::-1], [len(widths) - 1 - c for c in shaded]
            paddings = [(right, left) for left, right in paddings[::-1]]
        self.widths, self.paddings, self.aligns = tuple(widths), tuple(paddings), tuple(aligns)
        self.positions = [sum(self.widths[:n]) for n in range(len(self.widths) + 1)]
        self.shaded, self.shade = tuple(shaded), shade
        self.top, self.bottom, self.font, self.rule = top, bottom, font, rule
        self._widths = {}

    def cells(self, row):
        """A row's cells in drawing order (mirrored, strings shaped, in right-to-left languages)."""
        if not self.rtl:
            return row
        return [visual(cell) if isinstance(cell, str) else cell for cell in reversed(row)]

    def string_width(self, text):
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = stringWidth(text, self.font[0], self.font[1])
        return width


class RowsTable(Flowable):
    """``header``: a one-row Table (made with styles.table, so mirrored already) drawn on top of
    every part; ``rows``: lists of cells in reading order, each a TextLines or a str; ``look``: a
    RowsLook. Splits between rows, like a Table with ``repeatRows=1``."""

    def __init__(self, header, rows, look, _heights=None, _continued=False):
        super().__init__()
        self.header = header
        self.rows = rows if _heights is not None else [look.cells(row) for row in rows]
        self.look = look
        self._heights = _heights
        self._continued = _continued  # a part after a page break: the rule above its rows is drawn too
        self._header_height = None

    def _measure(self, availWidth, availHeight):
        if self._header_height is None:
            self._header_height = self.header.wrap(availWidth, availHeight)[1]
        if self._heights is None:
            self._heights = [self._row_height(row) for row in self.rows]

    def _row_height(self, row):
        look = self.look
        height = look.font[2]  # a string's line
        for cell, width, (left, right) in zip(row, look.widths, look.paddings):
            if isinstance(cell, TextLines):
                height = max(height, cell.wrap(width - left - right, 1e6)[1])
        return height + look.top + look.bottom

    def wrap(self, availWidth, availHeight):
        self._measure(availWidth, availHeight)
        self.width = self.look.positions[-1]
        self.height = self._header_height + sum(self._heights)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self._measure(availWidth, availHeight)
        used, fit = self._header_height, 0
        for height in self._heights:
            if used + height > availHeight:
                break
            used += height
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return []
        return [RowsTable(self.header, self.rows[:fit], self.look, self._heights[:fit], self._continued),
                RowsTable(self.header, self.rows[fit:], self.look, self._heights[fit:], True)]

    def draw(self):
        canv, look = self.canv, self.look
        body = self.height - self._header_height
        canv.saveState()
        if look.shade is not None:
            canv.setFillColor(look.shade)
            for column in look.shaded:
                canv.rect(look.positions[column], 0, look.widths[column], body, stroke=0, fill=1)
        self._draw_header(body)
        self._draw_text(body)
        self._draw_rules(body)
        canv.restoreState()

    def _draw_header(self, y):
        """The header, drawn once per document as a form and placed on each page the rows run over:
        its paragraphs are laid out and written once, not on every page."""
        canv, header = self.canv, self.header
        form = getattr(header, "_rows_form", None)
        if form is None or form[0] is not canv:  # one canvas per PDF built
            name = f"rows_header_{id(header)}"
            margin = 10  # the rules' width and round caps reach a little beyond the header's box
            canv.beginForm(name, -margin, -margin, self.look.positions[-1] + margin, self._header_height + margin)
            header.drawOn(canv, 0, 0)
            canv.endForm()
            form = header._rows_form = (canv, name)
        canv.saveState()
        canv.translate(0, y)
        canv.doForm(form[1])
        canv.restoreState()

    def _draw_text(self, top):
        look = self.look
        font, size, leading = look.font
        text, plain = self.canv.beginText(), False  # plain: the text object is set for strings
        for row, height in zip(self.rows, self._heights):
            bottom = top - height
            for cell, x, width, (left, right), align in zip(row, look.positions, look.widths, look.paddings,
                                                             look.aligns):
                if isinstance(cell, TextLines):
                    # as a Table places a flowable in a middle-aligned cell
                    y = bottom + (height + look.bottom - look.top + cell.height) / 2 - cell.height
                    cell.write(text, x + left, y)
                    plain = False
                elif cell:
                    if not plain:
                        text.setFont(font, size)
                        text.setFillColor(INK)
                        plain = True
                    # as a Table places a string in a middle-aligned cell
                    y = bottom + (look.bottom + height - look.top + leading) / 2 - size
                    if align == CENTRE:
                        x = x + (width + left - right) / 2 - look.string_width(cell) / 2
                    else:
                        x = x + left
                    text.setTextOrigin(x, y)
                    text.textOut(cell)
            top = bottom
        self.canv.drawText(text)

    def _draw_rules(self, top):
        """The rule under each row, as a Table draws LINEBELOW: round caps and joins. A Table split at
        a page break keeps the rule of the row before the break above the first row after it, over
        the header's rule: so does this."""
        canv, look = self.canv, self.look
        weight, color = look.rule
        canv.setStrokeColor(color)
        canv.setLineWidth(weight)
        canv.setLineCap(1)
        canv.setLineJoin(1)
        path = canv.beginPath()
        if self._continued:
            path.moveTo(0, top)
            path.lineTo(look.positions[-1], top)
        for height in self._heights:
            top -= height
            path.moveTo(0, top)
            path.lineTo(look.positions[-1], top)
        canv.drawPath(path, stroke=1, fill=0)
