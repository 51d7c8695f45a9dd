"""Crafted spreadsheets cannot exhaust the server: a small XLSX that names a far-away row or holds
one huge text, or unpacks to gigabytes, is refused before its values are read, quickly and within a
memory bound. Each file is read in a fresh process whose peak memory and CPU time are measured."""
import io
import json
import random
import re
import string
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook

from assessment.core import spreadsheets
from exchange_helpers import FIRM_HEADERS, new_cohort, text_of, upload

MEMORY_BOUND_MB = 50
CPU_BOUND_S = 1.0


def workbook_bytes(cells):
    """An XLSX with the firms header in row 1 and the given {(row, column): value} cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(FIRM_HEADERS)
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data, change):
    """The same workbook with the first sheet's XML passed through ``change``."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            out.writestr(item, body)
    return target.getvalue()


def cell_at_row(row):
    """One cell at any row, even past Excel's last (1,048,576), as a hand-edited file can have."""
    return rewrite_sheet(workbook_bytes({(777_777, 1): "x"}), lambda xml: xml.replace(b"777777", b"%d" % row))


def without_dimension(data):
    return rewrite_sheet(data, lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml))


def lying_dimension(data):
    return rewrite_sheet(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:D2"', xml))


def random_text(length):
    rng = random.Random(7)
    return "".join(rng.choices(string.ascii_letters + " ", k=length))


def text_cell(text):
    """A workbook with ``text`` in cell A2 (openpyxl itself cuts texts at Excel's 32,767 characters)."""
    data = workbook_bytes({(2, 1): "MARKER"})
    return rewrite_sheet(data, lambda xml: xml.replace(b"MARKER", text.encode()))


CRAFTED = {
    "one cell at row 100,000": (lambda: cell_at_row(100_000), "the sheet reaches row 100000"),
    "one cell at row 5,000,000": (lambda: cell_at_row(5_000_000), "the sheet reaches row 5000000"),
    "row 5,000,000 and no dimension": (lambda: without_dimension(cell_at_row(5_000_000)),
                                       "the sheet reaches row 5000000"),
    "row 5,000,000 and a dimension that lies": (lambda: lying_dimension(cell_at_row(5_000_000)),
                                                "the sheet reaches row 5000000"),
    "a cell in column 16,000": (lambda: workbook_bytes({(2, 16_000): "x"}), "the sheet reaches column 16000"),
    "one 3 MB text cell": (lambda: text_cell(random_text(3 << 20)),
                           f"a cell holds more than {spreadsheets.MAX_CELL_CHARS} characters"),
    "one 60 MB text cell": (lambda: text_cell("B" * (60 << 20)),
                            f"a cell holds more than {spreadsheets.MAX_CELL_CHARS} characters"),
    "a sheet that unpacks to 100 MB": (lambda: text_cell("B" * (100 << 20)), "far more data than an import can hold"),
}

MEASURE = """
import json, sys, time
from assessment.core import spreadsheets
data = open(sys.argv[1], "rb").read()
def rss_kb(field):
    status = open("/proc/self/status").read()
    return int(status.split(field + ":")[1].split()[0])
open("/proc/self/clear_refs", "w").write("5")  # start the peak (VmHWM) from here
before, started = rss_kb("VmRSS"), time.process_time()
try:
    spreadsheets.read_table("crafted.xlsx", data)
    message = None
except spreadsheets.UnreadableFile as exc:
    message = str(exc)
print(json.dumps({"grew_mb": (rss_kb("VmHWM") - before) / 1024, "cpu_s": time.process_time() - started,
                  "message": message}))
"""


def read_in_fresh_process(tmp_path, data):
    path = tmp_path / "crafted.xlsx"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(CRAFTED))
def test_a_crafted_workbook_is_refused_quickly_within_the_memory_bound(tmp_path, name):
    make, message = CRAFTED[name]
    data = make()
    assert len(data) < 5 * 1024 * 1024  # every one of them fits under the upload limit
    measured = read_in_fresh_process(tmp_path, data)
    assert message in (measured["message"] or ""), measured
    assert measured["grew_mb"] < MEMORY_BOUND_MB, measured
    assert measured["cpu_s"] < CPU_BOUND_S, measured


def test_the_measure_can_see_a_file_that_costs_memory(tmp_path, monkeypatch):
    """The probe is not blind: a workbook that is read whole shows its cost."""
    rows = {(r, c): f"cell {r}-{c} " * 10 for r in range(2, 3000) for c in range(1, 20)}
    measured = read_in_fresh_process(tmp_path, workbook_bytes(rows))
    assert measured["message"] is None and measured["grew_mb"] > 5, measured


@pytest.mark.parametrize("name", ["one cell at row 5,000,000", "one 60 MB text cell"])
def test_the_import_page_says_nothing_was_imported(pm, db, name):
    make, message = CRAFTED[name]
    cohort_id = new_cohort(pm)
    response = upload(pm, cohort_id, "firms", make(), "firms.xlsx")
    assert response.status_code == 200
    assert f"Nothing was imported: {message}" in text_of(response)
    assert db.execute("SELECT count(*) FROM firms").fetchone()[0] == 0


def test_a_long_csv_cell_is_refused_with_its_place():
    data = ("name,country,sector,size_band\nAcme,KE,metal," + "x" * 5000 + "\n").encode()
    with pytest.raises(spreadsheets.UnreadableFile, match="row 2, column number 4 holds 5000 characters"):
        spreadsheets.read_table("firms.csv", data)


def test_a_workbook_with_blank_rows_between_keeps_its_row_numbers():
    data = workbook_bytes({(2, 1): "Acme", (2, 2): "KE", (2, 3): "metal", (2, 4): "small",
                           (900, 1): "Bema", (900, 2): "KE", (900, 3): "metal", (900, 4): "micro"})
    table = spreadsheets.read_table("firms.xlsx", data)
    assert [number for number, _row in table.rows] == [2, 900]
