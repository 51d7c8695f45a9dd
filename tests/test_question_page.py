"""The question pages' cheap rendering (web/question_page.py) gives exactly the HTML of the field
macro in _fields.html, for every page, answer state and error state."""
import random

import pytest
from flask import get_template_attribute

from assessment.core import pages
from assessment.web import forms, question_page
from tests.conftest import PROFILE


def macro_html(questionnaire, page_id, formdata=None, data=None):
    """What page.html rendered before: every field through the macro."""
    questions = pages.questions_on(questionnaire, page_id, pages.profile_answers(questionnaire, data or {}))
    make_field = forms.profile_field if page_id == pages.PROFILE_PAGE else forms.item_field
    form = forms.page_form(questions, make_field, formdata=formdata, data=data, csrf=False)
    if formdata is not None:
        form.validate()
    terms = pages.terms_to_explain(questions)
    field = get_template_attribute("_fields.html", "field")
    expected = "".join(str(field(form[q.id], q, n, terms[q.id])) + "\n" for n, q in enumerate(questions, 1))
    return expected, questions, make_field, form, terms


def random_answers(questionnaire, rng):
    answers = dict(PROFILE, firm_name=rng.choice(["", "Taller <Núñez> & \"Hijos\"", "O'Brien Ltd"]))
    for item in questionnaire.items:
        values = [o.value for o in item.options] + (["na"] if item.not_relevant else [])
        if rng.random() < 0.8:
            answers[item.id] = rng.choice(values)
    return answers


@pytest.mark.parametrize("seed", range(4))
def test_stored_answers_render_as_the_macro_renders_them(app, questionnaire, seed):
    answers = random_answers(questionnaire, random.Random(seed)) if seed else {}
    with app.test_request_context("/"):
        for page_id in questionnaire.page_ids:
            expected, questions, make_field, _form, terms = macro_html(questionnaire, page_id, data=answers)
            shown = question_page.questions_html(questionnaire, questions, make_field, answers)
            assert str(shown) == expected, page_id


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_every_language_renders_as_the_macro(app, questionnaire, language):
    app.config["LANGUAGES"] = sorted(set(app.config["LANGUAGES"]) | {language})
    answers = random_answers(questionnaire, random.Random(9))
    with app.test_request_context(f"/?lang={language}"):
        for page_id in questionnaire.page_ids:
            expected, questions, make_field, _form, terms = macro_html(questionnaire, page_id, data=answers)
            assert str(question_page.questions_html(questionnaire, questions, make_field, answers)) == expected


def test_a_refused_post_renders_errors_and_posted_values_as_the_macro(app, questionnaire):
    from werkzeug.datastructures import MultiDict
    posted = MultiDict([("country", "KE"), ("goals", "cost"), ("goals", "energy"), ("goals", "quality"),
                        ("goals", "delivery"), ("firm_name", "x" * 500)])
    with app.test_request_context("/", method="POST", data=posted):
        expected, questions, make_field, form, terms = macro_html(questionnaire, "profile", formdata=posted)
        assert form.errors  # sector, size band missing; too many goals; name too long
        shown = question_page.questions_html(questionnaire, questions, make_field, {}, form)
        assert str(shown) == expected
        assert 'class="q has-error"' in expected and "checked" in expected


def test_the_page_shows_stored_answers_checked(client, respondent):
    respondent.answer_pillar("hardware", lambda item: "3")
    page = client.get(respondent.url("p/hardware")).get_data(as_text=True)
    assert page.count("<input checked") == len(respondent.questionnaire.pillar("hardware").items)
