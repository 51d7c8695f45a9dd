"""The XLSX writer (web/exports.py, XlsxWriter) and the remembered text look-ups of the export tables."""
import io

import pytest

from openpyxl import load_workbook

from assessment.core.tables import remembering
from assessment.web.exports import xlsx_bytes

ROWS = [
    [1, "Fábrica São João", 2.75, 0, None, "", "=1+1", "+254 700", "-x", "@sum", "http://example.org", "مصنع"],
    [2, "Bench firm 2", 4.0, 3, 1.5, "T1", "'quoted", "a\nb", "T", "<b>&</b>", "www.example.org", "x" * 80],
]
HEADERS = [f"h{n}" for n in range(len(ROWS[0]))]


def read(data):
    book = load_workbook(io.BytesIO(data))
    return book, [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_every_cell_comes_back_as_written_numbers_as_numbers_text_as_text():
    book, rows = read(xlsx_bytes(HEADERS, ROWS, "Results"))
    assert book.sheetnames == ["Results"]
    assert rows[0] == HEADERS
    expected = [[None if v == "" else ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for v in row]
                for row in ROWS]
    assert rows[1:] == expected
    cells = [cell for row in book.worksheets[0].iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert {type(c.value) for c in cells} == {int, float, str}
    assert all(c.data_type == ("n" if isinstance(c.value, (int, float)) else "s") for c in cells)
    assert not any(c.hyperlink for c in cells)  # addresses stay text, never links


def test_header_is_bold_panes_frozen_and_columns_as_wide_as_their_text():
    book, _rows = read(xlsx_bytes(HEADERS, ROWS))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "B2"
    assert all(cell.font.b for cell in sheet[1]) and not sheet.cell(row=2, column=2).font.b
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert widths["B"] >= len("Fábrica São João") + 2 and widths["L"] >= 50  # capped at MAX_WIDTH (50)
    assert widths["A"] < widths["B"]


def test_the_columns_sheet_pairs_each_label_with_its_id(app):
    labels = [f"Label {n}" for n in range(len(HEADERS))]
    with app.test_request_context("/"):
        book, rows = read(xlsx_bytes(HEADERS, ROWS, "Results", labels))
    assert book.sheetnames == ["Results", "Columns"]
    assert rows[0] == labels
    pairs = [list(r) for r in book["Columns"].iter_rows(values_only=True)]
    assert pairs[1:] == [[label, header] for label, header in zip(labels, HEADERS)]
    assert book["Columns"].freeze_panes == "A2"


def test_remembering_asks_once_per_text_object_and_keeps_objects_apart():
    asked = []

    def text(obj):
        asked.append(obj)
        return obj["en"].upper()

    remembered = remembering(text)
    kenya, ghana, also_kenya = {"en": "Kenya"}, {"en": "Ghana"}, {"en": "Kenya, again"}
    results = [remembered(o) for o in (kenya, ghana, kenya, also_kenya, ghana, kenya)]
    assert results == ["KENYA", "GHANA", "KENYA", "KENYA, AGAIN", "GHANA", "KENYA"]
    assert asked == [kenya, ghana, also_kenya]
    assert remembering(text)(kenya) == "KENYA" and len(asked) == 4  # each table starts afresh


def test_collection_is_paused_while_an_export_is_made_and_resumes_after():
    import gc
    from assessment.web.exports import collection_paused
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with collection_paused():
            raise ValueError("a failed export")
    assert gc.isenabled()
    gc.disable()  # someone else turned it off: it stays off
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
