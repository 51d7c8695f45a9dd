"""Writing tables as CSV and XLSX responses."""
import csv
import io

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_response(headers, rows, fmt, filename):
    body = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes(headers, rows)
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


def xlsx_bytes(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "results"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(c) for c in row])
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR; OWASP) is quoted: exports are opened
    in Excel, and a firm name is typed by anyone."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
