"""Interface strings go through Flask-Babel: a language is added with a catalog, not template edits."""
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from assessment import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_extraction_finds_the_interface_strings(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    text = pot.read_text(encoding="utf-8")
    for message in ("Start the assessment", "Save and continue", "Your roadmap: the next realistic steps",
                    "Please choose an answer to this question.", "Staff login"):
        assert f'msgid "{message}"' in text, message


def test_a_compiled_catalog_translates_pages_without_touching_templates(tmp_path):
    catalog = Catalog(locale="fr")
    catalog.add("Start the assessment", "Commencer l'évaluation")
    catalog.add("Save and continue", "Enregistrer et continuer")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "LANGUAGES": ["en", "fr"],
                      "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)})
    assert "Start the assessment" in app.test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = app.test_client().get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert "Commencer l'évaluation" in french and 'lang="fr"' in french


def test_the_language_chosen_with_the_switcher_is_remembered(tmp_path):
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "LANGUAGES": ["en", "fr", "ar"]})
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'hreflang="fr">Français</a>' in page and 'hreflang="ar">العربية</a>' in page
    assert '<span aria-current="true" lang="en">English</span>' in page
    assert 'lang="fr" dir="ltr"' in client.get("/?lang=fr").get_data(as_text=True)
    later = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="fr" dir="ltr"' in later  # the cookie wins over the browser's setting
    assert 'lang="ar" dir="rtl"' in client.get("/?lang=ar").get_data(as_text=True)


def test_switching_language_on_an_assessment_page_changes_the_assessments_language(tmp_path):
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "LANGUAGES": ["en", "fr"],
                      "WTF_CSRF_ENABLED": False})
    from assessment.cli import smartstep
    from assessment.db import connect
    assert app.test_cli_runner().invoke(smartstep, ["init-db"]).exit_code == 0
    client = app.test_client()
    token = client.post("/start").headers["Location"].split("/")[2]
    assert 'lang="fr"' in client.get(f"/a/{token}/p/profile?lang=fr").get_data(as_text=True)
    assert 'lang="fr"' in app.test_client().get(f"/a/{token}/p/profile").get_data(as_text=True)
    db = connect(app.config["DATABASE"])
    assert next(db.query("SELECT language FROM assessments WHERE token = ?", [token]))["language"] == "fr"
    db.close()


def test_an_assessment_is_shown_in_its_own_language(tmp_path):
    catalog = Catalog(locale="fr")
    catalog.add("Save and continue", "Enregistrer et continuer")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "db.sqlite"), "LANGUAGES": ["en", "fr"],
                      "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path), "WTF_CSRF_ENABLED": False})
    from assessment.cli import smartstep
    from assessment.db import connect
    assert app.test_cli_runner().invoke(smartstep, ["init-db"]).exit_code == 0
    client = app.test_client()
    token = client.post("/start").headers["Location"].split("/")[2]
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE assessments SET language = 'fr' WHERE token = ?", [token])
    db.close()
    page = client.get(f"/a/{token}/p/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Enregistrer et continuer" in page


def test_the_landing_pages_language_stays_with_a_new_assessment(app, client):
    app.config["LANGUAGES"] = ["en", "fr"]
    token = client.post("/start?lang=fr").headers["Location"].split("/")[2]
    from assessment.db import connect
    db = connect(app.config["DATABASE"])
    assert next(db.query("SELECT language FROM assessments WHERE token = ?", [token]))["language"] == "fr"
    db.close()


def test_scores_on_pages_use_the_languages_notation(app, client, questionnaire):
    from tests.conftest import Respondent

    app.config["LANGUAGES"] = ["en", "fr"]
    respondent = Respondent(client, questionnaire)
    respondent.complete(level_for=lambda item: "1" if len(item.id) % 2 else "2")
    french = client.get(respondent.url("results") + "?lang=fr").get_data(as_text=True)
    english = client.get(respondent.url("results") + "?lang=en").get_data(as_text=True)
    score_line = re.compile(r'<p class="score">([^<]*)</p>')
    assert re.search(r"\d,\d", score_line.search(french).group(1))  # 1,5 in French
    assert re.search(r"\d\.\d", score_line.search(english).group(1))  # 1.5 in English


def test_the_catalog_kept_for_a_request_follows_a_changed_locale(app):
    """Templates look the interface catalog up once per request (web/i18n.request_translations);
    a locale changed within the request still gets its own catalog and language code."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Back') }}|{{ current_language() }}"
    with app.test_request_context("/?lang=fr"):
        from assessment.web.i18n import current_language
        app.jinja_env.globals["current_language"] = current_language
        assert render_template_string(page) == "Retour|fr"
        with force_locale("es"):
            assert render_template_string(page) == "Atrás|es"
        assert render_template_string(page) == "Retour|fr"


def test_a_typed_name_inside_a_sentence_is_isolated_and_still_escaped(app):
    """<bdi>: on a right-to-left page a Latin name keeps its closing bracket where it was written."""
    from flask import render_template_string
    page = "{{ _('Digital maturity check for %(firm)s', firm=name|isolate) }}"
    with app.test_request_context("/?lang=ar"):
        html = render_template_string(page, name="Taller <b>Núñez</b> (Pty)")
    assert "<bdi>Taller &lt;b&gt;Núñez&lt;/b&gt; (Pty)</bdi>" in html, html


def test_typed_names_in_staff_headings_and_tables_are_isolated(pm, questionnaire):
    from tests.test_cohorts import build_cohort
    cohort_id, ids = build_cohort(pm, questionnaire, [1])
    cohort = pm.get(f"/staff/programme/cohorts/{cohort_id}").get_data(as_text=True)
    assert re.search(r"<h1><bdi>[^<]+</bdi></h1>", cohort) and re.search(r'firms/\d+"><bdi>Firm', cohort)
    firm_id = re.search(r'firms/(\d+)"><bdi>', cohort).group(1)
    firm = pm.get(f"/staff/programme/firms/{firm_id}").get_data(as_text=True)
    assert re.search(r"<h1><bdi>Firm [^<]+</bdi></h1>", firm)
