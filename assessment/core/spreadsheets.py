"""Reading an uploaded table: the first sheet of an XLSX file, or a CSV file in any of the
encodings and separators spreadsheets write, into rows of text with the row numbers a spreadsheet
shows (the header is row 1). Problems come back in plain words."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

MAX_ROWS = 10_000
MAX_COLUMNS = 500
MAX_CELL_CHARS = 2_000  # names and text answers are at most a few hundred characters
# An XLSX file is a zip: a few KB can unpack into gigabytes. What each part may unpack to:
MAX_SHEETS_BYTES = 64 * 1024 * 1024  # all worksheets together (read row by row, never held whole)
MAX_PART_BYTES = 8 * 1024 * 1024  # any other part (shared strings, styles: read whole by openpyxl)
# In the XML, a cell's text or a tag is a run without "<"; longer runs than this are refused before
# any value is read (10 bytes: the longest way XML can write one character, "&#x10FFFF;").
MAX_RUN_BYTES = MAX_CELL_CHARS * 10 + 1000
FORMATS = ("csv", "xlsx")


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file that can be read; the message says why, in plain words."""


class TooManyRows(UnreadableFile):
    """The file is readable but holds more rows than one import takes."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        place = f"row {self.row}"
        if self.column:
            place += f", column{'s' if ', ' in self.column else ''} {self.column}"
        return f"{place}: {self.reason}"


@dataclass(frozen=True)
class Table:
    """A read file: column names as written (trimmed, lower case) and (row number, {column: text})."""
    columns: list
    rows: list
    errors: list = field(default_factory=list)


def file_format(filename):
    """'csv' or 'xlsx' from a file name; raises UnreadableFile for anything else."""
    extension = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if extension not in FORMATS:
        raise UnreadableFile(f"{filename or 'the file'} is not a CSV or XLSX file; save the sheet as "
                             f"CSV (comma separated) or as an Excel workbook (.xlsx) and upload that")
    return extension


def read_table(filename, data):
    """Reads the first sheet of an XLSX file, or a CSV file (UTF-8 or Windows encoding, comma,
    semicolon or tab separated), into a Table; raises UnreadableFile when that is impossible."""
    fmt = file_format(filename)
    cells = _xlsx_cells(data) if fmt == "xlsx" else _csv_cells(data)
    return _table(cells)


def _csv_cells(data):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile("the CSV file cannot be read: a cell is far too long or a quotation mark is not "
                             "closed; open it in a spreadsheet program and save it again as CSV") from exc


def _decode(data):
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("the file's characters cannot be read; save it as 'CSV UTF-8'") from exc
    if b"\x00" in data[:4096]:
        raise UnreadableFile("this is not a text CSV file; if it is a spreadsheet, save it as .xlsx or CSV")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("the CSV file's characters cannot be read; save it as 'CSV UTF-8'")


def _xlsx_cells(data):
    """The first sheet's rows (blank rows as []), after checking the file's declared sizes, the
    sheet's extent and the length of every text in it: openpyxl pads every missing row and keeps
    every shared string in memory, so a small crafted file could otherwise exhaust the server."""
    try:
        sheet_extents = _check_xlsx_parts(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise UnreadableFile("the file is not an Excel workbook (.xlsx) that can be opened; "
                             "open it in a spreadsheet program and save it again as .xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        declared = (sheet.max_row or 0, sheet.max_column or 0)
        found = sheet_extents.get(getattr(sheet, "_worksheet_path", ""), (0, 0))
        _check_extent(max(declared[0], found[0]), max(declared[1], found[1]))
        sheet.reset_dimensions()  # read what is there, not what the file claims
        return [_row_text(row) for row in sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS,
                                                          values_only=True)]
    finally:
        workbook.close()


def _check_xlsx_parts(data):
    """Checks every part's unpacked size (as the zip declares it; reading stops there) and that no
    text in the XML is longer than a cell may be; returns {worksheet part: (last row, last column)}."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        sheets = [p for p in parts if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")]
        if sum(p.file_size for p in sheets) > MAX_SHEETS_BYTES or any(
                p.file_size > MAX_PART_BYTES for p in parts if p not in sheets):
            raise UnreadableFile("the workbook unpacks to far more data than an import can hold; copy only "
                                 "the table to import into a new workbook and upload that")
        extents = {}
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                with archive.open(part) as stream:
                    extents[part.filename] = _scan_xml(stream, part in sheets)
        return extents


ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,12})"')
CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,5})\d')


def _scan_xml(stream, is_sheet, chunk_size=1 << 20):
    """Reads one XML part in chunks: refuses any run of text longer than a cell may be, and for a
    worksheet returns the last row and column its cells name, (0, 0) otherwise."""
    last_row = last_column = 0
    tail = b""
    while chunk := stream.read(chunk_size):
        window = tail + chunk
        if max(map(len, window.split(b"<"))) > MAX_RUN_BYTES:
            raise UnreadableFile(f"a cell holds more than {MAX_CELL_CHARS} characters; "
                                 "an import takes names and short answers only")
        if is_sheet:
            last_row = max([last_row] + [int(n) for n in ROW_REF.findall(window)])
            last_column = max([last_column] + [_column_number(c) for c in set(CELL_REF.findall(window))])
        tail = window[-MAX_RUN_BYTES:]
    return last_row, last_column


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_extent(rows, columns):
    if rows > MAX_ROWS + 1:
        raise TooManyRows(f"the sheet reaches row {rows}; import at most {MAX_ROWS} rows at a time, and "
                          "delete any empty but formatted rows below the table")
    if columns > MAX_COLUMNS:
        raise UnreadableFile(f"the sheet reaches column {columns}; an import has at most {MAX_COLUMNS} "
                             "columns, so delete the columns to the right of the table")


def _row_text(row):
    """A row's cells as text, without the empty cells after the last filled one."""
    last = max((i for i, v in enumerate(row) if v is not None), default=-1)
    return [_cell_text(v) for v in row[:last + 1]]


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(cells):
    _check_cells(cells)
    cells = [[c.strip() for c in row] for row in cells]
    if not cells or not any(cells[0]):
        raise UnreadableFile("the file is empty or its first row has no column names")
    header = [_column_name(c) for c in cells[0]]
    errors, rows = [], []
    for number, raw in enumerate(cells[1:], start=2):
        if not any(raw):
            continue  # blank lines between or after the data are harmless
        for index, value in enumerate(raw):
            if value and (index >= len(header) or not header[index]):
                errors.append(RowError(number, f"number {index + 1}",
                                       f"{value!r} is in a column without a name in row 1"))
        rows.append((number, {name: (raw[i] if i < len(raw) else "") for i, name in enumerate(header) if name}))
    if len(rows) > MAX_ROWS:
        raise TooManyRows(f"the file has {len(rows)} rows; import at most {MAX_ROWS} at a time")
    return Table(columns=[c for c in header if c], rows=rows, errors=errors)


def _check_cells(cells):
    """Refuses rows wider, and cells longer, than an import takes (CSV and XLSX alike)."""
    for number, row in enumerate(cells, start=1):
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            _check_extent(0, len(row))
        for index, value in enumerate(row):
            if len(value) > MAX_CELL_CHARS:
                raise UnreadableFile(f"row {number}, column number {index + 1} holds {len(value)} characters; "
                                     f"a cell may hold at most {MAX_CELL_CHARS}")


def _column_name(text):
    return re.sub(r"\s+", "_", text.strip().lower())
