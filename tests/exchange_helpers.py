"""Helpers for import, export and API tests: an incubator with a programme manager, cohorts, and
CSV/XLSX files built in memory."""
import csv
import html
import io

from openpyxl import Workbook, load_workbook


PASSWORD = "password-123"


def login(client, email, password=PASSWORD):
    return client.post("/staff/login", data={"email": email, "password": password})


def new_cohort(client, name="Intake 2026"):
    response = client.post("/staff/programme/", data={"name": name, "starts_on": "2026-01-10"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def csv_file(headers, rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, cohort_id, kind, data, filename):
    return client.post(f"/staff/programme/cohorts/{cohort_id}/import/{kind}",
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def text_of(response):
    """The page as text, with HTML entities turned back into characters (' rather than &#39;)."""
    return html.unescape(response.get_data(as_text=True))


def read_csv(data):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def read_xlsx(data, sheet=0):
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in workbook.worksheets[sheet].iter_rows(values_only=True)]
    return rows[0], rows[1:]


def read_export_xlsx(data):
    """An export's first sheet with its readable headers turned back into column ids (its "Columns" sheet)."""
    labels, rows = read_xlsx(data)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    ids = dict(list(r) for r in workbook["Columns"].iter_rows(min_row=2, values_only=True))
    return [ids[label] for label in labels], rows


FIRM_HEADERS = ["name", "country", "sector", "size_band"]
SECTORS = ["metal", "food", "textiles", "wood", "plastics", "metal", "food", "printing"]
SIZES = ["micro", "small", "medium", "small", "micro", "large", "small", "medium"]


def firm_rows(count, prefix="Firm"):
    return [[f"{prefix} {n}", "KE", SECTORS[n % len(SECTORS)], SIZES[n % len(SIZES)]] for n in range(1, count + 1)]


def answer_headers(questionnaire):
    return ["firm", "round", "respondent_role", "goals", "has_design", "power_source"] + [i.id for i in questionnaire.items]


def answer_row(questionnaire, firm, level=2, round_="T0", role="owner", goals="cost; energy",
               has_design="yes_own", power_source="grid", **overrides):
    """One answers row: every item at ``level`` (a number or a function of the item)."""
    level_of = level if callable(level) else (lambda item: level)
    cells = {"firm": firm, "round": round_, "respondent_role": role, "goals": goals, "has_design": has_design,
             "power_source": power_source}
    cells.update({i.id: str(level_of(i)) for i in questionnaire.items})
    cells.update(overrides)
    return [cells[h] for h in answer_headers(questionnaire)]
