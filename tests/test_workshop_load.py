"""bench/workshop_load.py in small: a dozen participants against the real server, no timing budget.

The full run (300 participants, 1-3 s think times) is a benchmark, not a test: see DESIGN.md, "Budgets".
"""
import json
import re
import sqlite3
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import workshop_load  # noqa: E402  (bench/ is a folder of scripts, not a package)

LAST_LINE = re.compile(r"participants=(\d+) completed=(\d+) errors=(\d+) lost_answers=(\d+) "
                       r"p50_ms=(\d+) p95_ms=(\d+)")


def test_a_small_room_completes_with_every_answer_stored(capsys):
    status = workshop_load.main(["--participants", "12", "--think-min", "0.02", "--think-max", "0.08",
                                 "--spread", "1", "--timeout", "20", "--time-limit", "25", "--seed", "7"])
    output = capsys.readouterr().out
    last = output.rstrip("\n").splitlines()[-1]
    found = LAST_LINE.fullmatch(last)
    assert found, output
    participants, completed, errors, lost_answers = map(int, found.groups()[:4])
    assert (participants, completed, errors, lost_answers) == (12, 12, 0, 0), output
    assert status == 0, output
    counts = {line.split()[0]: int(line.split()[-4]) for line in output.splitlines()
              if line.startswith(("results ", "roadmap.pdf "))}
    assert counts == {"results": 12, "roadmap.pdf": 12}, output


SELECT = ('<select id="country" name="country" required><option value="">Choose…</option>'
          '<option value="KE">Kenya</option><option value="CI">Côte d&#39;Ivoire</option></select>')
PAGE = f"""<form method="post" action="/staff/logout"><input name="csrf_token" type="hidden" value="x"></form>
<form method="post" novalidate><input id="csrf_token" name="csrf_token" type="hidden" value="tok&amp;en">
<input id="firm_name" maxlength="12" name="firm_name" type="text" value="">{SELECT}
<fieldset class="q"><legend>What first? Choose up to 2.</legend>
<label><input id="goals-0" name="goals" required type="checkbox" value="cost"> Cost</label>
<label><input id="goals-1" name="goals" required type="checkbox" value="quality"> Quality</label>
<label><input id="goals-2" name="goals" required type="checkbox" value="energy"> Energy</label></fieldset>
<fieldset class="q"><input name="hw_a" type="radio" value="0"><input name="hw_a" type="radio" value="4">
<input name="hw_a" type="radio" value="na"></fieldset>
<button type="submit" name="nav" value="next">Save</button></form>"""


def test_answers_are_read_from_the_page_form():
    form = workshop_load.find_form(PAGE)
    assert form.csrf_token == "tok&en"
    assert form.fields["country"].options == ["KE", "CI"]
    assert form.fields["goals"].max_choices == 2
    for seed in range(50):
        answers = workshop_load.random_answers(form, workshop_load.random.Random(seed))
        assert set(answers) == {"firm_name", "country", "goals", "hw_a"}
        assert 1 <= len(answers["firm_name"]) <= 12 and answers["firm_name"] == answers["firm_name"].strip()
        assert answers["country"] in ("KE", "CI")
        assert 1 <= len(answers["goals"]) <= 2 and set(answers["goals"]) <= {"cost", "quality", "energy"}
        assert answers["hw_a"] in ("0", "4", "na")


def test_the_database_check_counts_what_went_missing(tmp_path):
    """The check is not vacuous: a changed value, a missing answer and a missing result all count."""
    path = tmp_path / "check.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE assessments (id INTEGER PRIMARY KEY, token TEXT, status TEXT);
        CREATE TABLE answers (assessment_id INTEGER, question_id TEXT, value TEXT);
        CREATE TABLE results (assessment_id INTEGER PRIMARY KEY);
        INSERT INTO assessments VALUES (1, 'tok-a', 'completed'), (2, 'tok-b', 'completed');
        INSERT INTO results VALUES (1);""")
    conn.executemany("INSERT INTO answers VALUES (?, ?, ?)", [
        (1, "q1", json.dumps("3")), (1, "goals", json.dumps(["cost", "energy"])), (1, "q2", json.dumps("na")),
        (2, "q1", json.dumps("1"))])
    conn.commit()
    conn.close()

    def person(token, acknowledged, reviewed=True):
        return SimpleNamespace(token=token, acknowledged=acknowledged, reviewed=reviewed, finished=True)

    intact = person("tok-a", {"q1": "3", "goals": ["cost", "energy"], "q2": "na"})
    assert workshop_load.check_database(path, [intact]) == (0, 0)
    changed = person("tok-a", {"q1": "4", "goals": ["cost"], "q2": "na", "q3": "0"})
    no_result = person("tok-b", {"q1": "1"})
    never_stored = person("tok-c", {"q1": "2", "q2": "0"})
    assert workshop_load.check_database(path, [changed, no_result, never_stored]) == (3 + 0 + 2, 0 + 1 + 1)
    assert no_result.finished is False
