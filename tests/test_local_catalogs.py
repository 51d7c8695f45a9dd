"""An agency's own pointers in instance/pointers.json: merged at start-up, validated, used."""
import json

import pytest

from assessment import create_app
from assessment.core.validation import DataFileError
from tests.conftest import PROFILE

LOCAL_POINTER = {
    "id": "nakuru_makerspace", "kind": "awareness", "type": "innovation_lab", "scope": "country:KE",
    "dimensions": ["*"], "name": {"en": "Nakuru makerspace open day"},
    "description": {"en": "See low-cost sensors and 3D printers working on Thursdays."},
    "source": "Agency's own list, 2026", "generic": False, "url": None,
}


def local_file(tmp_path, pointers):
    path = tmp_path / "pointers.json"
    path.write_text(json.dumps({"kind": "pointers", "id": "local", "version": "1.0.0", "pointers": pointers}),
                    encoding="utf-8")
    return path


def make_app(tmp_path, path):
    return create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "LOCAL_DATA_FILES": [str(path)],
                       "WTF_CSRF_ENABLED": False})


def test_local_pointers_are_merged_and_reach_the_firms_roadmap(tmp_path):
    app = make_app(tmp_path, local_file(tmp_path, [LOCAL_POINTER]))
    assert "nakuru_makerspace" in {p.id for p in app.extensions["smartstep.library"].pointers}
    from assessment.cli import smartstep
    assert app.test_cli_runner().invoke(smartstep, ["init-db"]).exit_code == 0
    client = app.test_client()
    from tests.conftest import Respondent
    respondent = Respondent(client, app.extensions["smartstep.library"].questionnaires["core"])
    respondent.complete(profile=PROFILE)
    assert "Nakuru makerspace open day" in client.get(respondent.url("results")).get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"scope": "country:ZZ"}, "unknown country code 'ZZ'"),
    ({"source": ""}, '"source" is required'),
    ({"id": "unido_kenya_iot"}, "id already used in pointers.json"),
    ({"type": "bank"}, "type for awareness must be one of"),
])
def test_a_bad_local_file_stops_start_up_naming_file_place_and_mistake(tmp_path, change, message):
    path = local_file(tmp_path, [{**LOCAL_POINTER, **change}])
    with pytest.raises(DataFileError) as caught:
        make_app(tmp_path, path)
    assert any(p.startswith("pointers.json: pointer ") and message in p for p in caught.value.problems), \
        caught.value.problems


def test_validate_command_checks_a_local_file(runner, tmp_path):
    good = local_file(tmp_path, [LOCAL_POINTER])
    assert runner.invoke(["validate", str(good)]).exit_code == 0
    bad = local_file(tmp_path, [{**LOCAL_POINTER, "scope": "country:ZZ"}])
    result = runner.invoke(["validate", str(bad)])
    assert result.exit_code == 1 and "unknown country code 'ZZ'" in result.output


def test_report_command_writes_the_roadmap_pdf(app, client, respondent, runner, tmp_path):
    respondent.complete()
    out = tmp_path / "roadmap.pdf"
    result = runner.invoke(["report", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "KB" in result.output
    missing = runner.invoke(["report", "99", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "does not exist or is not completed" in missing.output


def test_a_pdf_process_builds_the_roadmap_from_the_database_and_the_agencys_own_files(tmp_path):
    """As `smartstep serve` runs: the PDF process is sent the assessment's id and reads the rest itself."""
    from tests.pdf_helpers import ReadPdf
    app = make_app(tmp_path, local_file(tmp_path, [LOCAL_POINTER]))
    from assessment.cli import smartstep
    assert app.test_cli_runner().invoke(smartstep, ["init-db"]).exit_code == 0
    client = app.test_client()
    from tests.conftest import Respondent
    respondent = Respondent(client, app.extensions["smartstep.library"].questionnaires["core"])
    respondent.complete(profile=PROFILE)
    app.config["PDF_WORKER"] = True
    response = client.get(respondent.url("roadmap.pdf") + "?language=fr")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    text = ReadPdf(response.data).text
    assert "Nakuru makerspace open day" in text and "Feuille de route" in text, text[:300]
