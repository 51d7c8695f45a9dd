"""Writing tables as CSV and XLSX responses.

CSV keeps the stable column ids (for scripts and re-imports); an XLSX for people gets readable,
translated headers (pillar and dimension names), column widths, a frozen header row, a named
sheet, and a "Columns" sheet pairing each readable header with its id (docs/data-format.md).
"""
import contextlib
import csv
import gc
import io
from itertools import zip_longest

from flask import Response
from flask_babel import gettext as _
import xlsxwriter

from assessment.web.i18n import translate

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_WIDTH = 50


@contextlib.contextmanager
def collection_paused():
    """No garbage collection while a big table is read and written: its tens of thousands of rows
    and cells set off full collections that walked them all, about 40 ms of a 500-firm cohort's
    export. Collection resumes after, for every thread (it is process-wide). The rows hold no
    reference cycles and go as soon as they are unused; XlsxWriter's cells do not: its worksheets
    keep a method of their workbook, so the 45,000 cells of that export wait for the one young
    collection that follows, about 11 ms (measured 2026-12-02; breaking the cycle would mean
    reaching into XlsxWriter's internals)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def table_response(headers, rows, fmt, filename, sheet="results", labels=None):
    """``labels``: readable headers for the XLSX (the CSV always has ``headers``)."""
    body = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes(headers, rows, sheet, labels)
    return Response(body, headers={
        "Content-Type": CONTENT_TYPES[fmt],
        "Content-Disposition": f'attachment; filename="{filename}.{fmt}"',
    })


def csv_bytes(headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([_safe_cell(c) for c in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens accents correctly


def xlsx_bytes(headers, rows, sheet_title="results", labels=None):
    """A workbook with a bold header, frozen header row and first column, and columns as wide as
    their text. Written with XlsxWriter, cell by cell in its type: a 500-firm cohort's assessments
    (45,000 cells) take about half the time of openpyxl's write-only mode, whose per-cell cost alone
    was over the 300 ms budget (bench/benchmark_scale.py --reports)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})  # no temporary files
    bold = workbook.add_format({"bold": True})
    _write_sheet(workbook, _sheet_name(sheet_title), list(labels or headers), rows, (1, 1), bold)
    if labels:
        pairs = [[label, header] for label, header in zip(labels, headers)]
        _write_sheet(workbook, _sheet_name(_("Columns")), [_("Column"), _("Column id (as in the CSV export)")],
                     pairs, (1, 0), bold)
    workbook.close()
    return buffer.getvalue()


def _write_sheet(workbook, title, header, rows, freeze, bold):
    sheet = workbook.add_worksheet(title)
    _fit_columns(sheet, [header] + rows[:500])
    sheet.freeze_panes(*freeze)
    for column, text in enumerate(header):
        sheet.write_string(0, column, str(text), bold)
    _write_rows(sheet, rows)


def _write_rows(sheet, rows):
    """Each cell by its type: text is never read as a formula (``_safe_cell``) or a link; blanks are
    left out. The loop is the export's hot path (45,000 cells for a 500-firm cohort)."""
    write_string, write_number = sheet.write_string, sheet.write_number
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(number, column, _safe_cell(value))
            elif kind is int or kind is float:
                write_number(number, column, value)
            elif kind is bool:
                sheet.write_boolean(number, column, value)
            elif value is not None:
                write_string(number, column, str(_safe_cell(value)))


def _fit_columns(sheet, rows):
    """Widths from the header and the first 500 rows (enough to judge; a 5,000-row export stays quick),
    column by column: the widest text + 2, at least 8 and at most MAX_WIDTH characters."""
    for n, values in enumerate(zip_longest(*rows)):
        longest = max((len(str(value)) for value in values if value is not None), default=0)
        sheet.set_column(n, n, max(8, min(longest + 2, MAX_WIDTH)))


def _sheet_name(title):
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip()
    return cleaned[:31] or "Sheet"


def _safe_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR; OWASP) is quoted: exports are opened
    in Excel, and a firm name is typed by anyone."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- readable headers -----------------------------------------------------------------------------

def _fixed_labels():
    return {
        "participant": _("Participant"), "firm_name": _("Firm name"), "completed_at": _("Completed (UTC)"),
        "firm_id": _("Firm id"), "name": _("Firm"), "firm": _("Firm"), "assessment_id": _("Assessment id"),
        "round": _("Round"), "respondent_role": _("Respondent role"), "region": _("Region"),
        "current_round": _("Current round"), "created_at": _("Added (UTC)"),
        "country": _("Country"), "country_code": _("Country (code)"), "sector": _("Sector"),
        "sector_code": _("Sector (code)"), "size_band": _("Size"), "size_band_code": _("Size (code)"),
        "overall_score": _("Overall score (0-4)"), "overall_level": _("Overall level (0-4)"),
        "overall_level_name": _("Overall level"),
    }


def readable_headers(questionnaire, headers):
    """The XLSX header for each column id: pillar and dimension names, profile questions' short names."""
    fixed = _fixed_labels()
    pillars = {p.id: translate(p.title) for p in questionnaire.pillars}
    dimensions = {d.id: translate(d.title) for d in questionnaire.dimensions}
    profile = {q.id: translate(q.text) for q in questionnaire.profile}
    labels = []
    for header in headers:
        if header in fixed:
            labels.append(fixed[header])
        elif header.startswith("pillar_") and header.endswith("_level_name") and header[7:-11] in pillars:
            labels.append(_("%(pillar)s: level", pillar=pillars[header[7:-11]]))
        elif header.startswith("pillar_") and header[7:] in pillars:
            labels.append(_("%(pillar)s: score (0-4)", pillar=pillars[header[7:]]))
        elif header.startswith("dimension_") and header[10:] in dimensions:
            labels.append(_("%(dimension)s (0-4)", dimension=dimensions[header[10:]]))
        else:
            labels.append(profile.get(header, header))
    return labels
