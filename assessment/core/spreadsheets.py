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
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("the file is not an Excel workbook (.xlsx) that can be opened; "
                             "open it in a spreadsheet program and save it again as .xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        cells, filled = [], 0
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            cells.append([_cell_text(v) for v in row])
            filled += any(v is not None for v in row)
            if filled > MAX_ROWS + 1:  # a small file can unpack into a huge sheet: stop early
                raise TooManyRows(f"the file has more than {MAX_ROWS} rows; import at most {MAX_ROWS} at a time")
        return cells
    finally:
        workbook.close()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(cells):
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


def _column_name(text):
    return re.sub(r"\s+", "_", text.strip().lower())
