"""The questions of a questionnaire page, rendered cheaply.

Rendering every radio button through WTForms widgets and the Jinja field macro cost about half of
a question page's time, and none of it depends on the respondent but which options are chosen.
So each question's HTML is rendered once per process (per parsed questionnaire version, questions
on the page, place among them and language, which decide its number and the terms it explains) by
the very same macro in `_fields.html`, cut where a choice is marked, and reused: a request only
puts ``checked``/``selected``/the typed value into the cuts. The HTML is identical to the macro's (a test renders both ways).

A question with an error message is rendered by the macro itself, from the validated form: errors
are rare, and their markup stays in one place. WTForms still validates every POST.
"""
import re
import threading

from flask import get_template_attribute
from markupsafe import Markup, escape

from assessment.core import pages
from assessment.web import forms
from assessment.web.i18n import current_language

_blocks = {}
_lock = threading.Lock()
# "checked" and "selected" sort before every other attribute WTForms writes (id, name, value).
CHOICE_CUT = re.compile(r'(?<=<input )(?=id=")')
OPTION_CUT = re.compile(r'(?<=<option )(?=value=")')
VALUE_CUT = re.compile(r'(?<= value=")(?=">)')


class Block:
    """One question's HTML cut where a respondent's answer goes: ``parts[i]`` is followed by the
    mark for ``values[i]`` (an option's value), or by the typed text when ``values`` is None."""

    def __init__(self, html, kind, values):
        cut = {"choice": CHOICE_CUT, "select": OPTION_CUT, "text": VALUE_CUT}[kind]
        self.parts = cut.split(str(html))
        self.kind, self.values = kind, values
        expected = 2 if kind == "text" else len(values) + 1
        if len(self.parts) != expected:  # the macro changed: fail loudly rather than mis-mark
            raise ValueError(f"cannot cut the {kind} question's HTML into {expected} parts")

    def render(self, answer):
        if self.kind == "text":
            return Markup(self.parts[0] + str(escape("" if answer is None else answer)) + self.parts[1])
        chosen = set(answer) if isinstance(answer, list) else {answer}
        mark = "checked " if self.kind == "choice" else "selected "
        pieces = [self.parts[0]]
        for value, part in zip(self.values, self.parts[1:]):
            if value in chosen:
                pieces.append(mark)
            pieces.append(part)
        return Markup("".join(pieces))


def questions_html(questionnaire, questions, make_field, answers, form=None):
    """The page's questions as HTML: answers (stored, or the posted form's) marked in cached
    blocks; a question with errors rendered by the macro from ``form``."""
    language = current_language()
    on_page = tuple(q.id for q in questions)
    new_terms = None  # which terms each question explains: worked out only when a block is made
    pieces = []
    for number, question in enumerate(questions, start=1):
        field = form[question.id] if form is not None else None
        if field is not None and field.errors:
            new_terms = new_terms or pages.terms_to_explain(questions)
            pieces.append(_macro()(field, question, number, new_terms[question.id]))
            continue
        answer = field.data if field is not None else answers.get(question.id)
        # The questions on the page decide a block's number and the terms it explains (each term
        # where it first comes up). id(): the parsed questionnaire version is one object per
        # process (parsing is cached), kept alive by its blocks, so the id cannot be reused.
        key = (id(questionnaire), on_page, number, language)
        block = _blocks.get(key)
        if block is None:
            new_terms = new_terms or pages.terms_to_explain(questions)
            block = _build(key, questionnaire, question, make_field, number, new_terms[question.id])
        pieces.append(block.render(answer))
    return Markup("\n".join(pieces) + ("\n" if pieces else ""))


def _build(key, questionnaire, question, make_field, number, terms):
    form = forms.page_form([question], make_field, csrf=False)
    field = form[question.id]
    html = _macro()(field, question, number, terms)
    if field.type in ("RadioField", "MultiCheckboxField"):
        block = Block(html, "choice", [value for value, _label, _checked, _kw in field.iter_choices()])
    elif field.type == "SelectField":
        block = Block(html, "select", [value for value, _label, _selected, _kw in field.iter_choices()])
    else:
        block = Block(html, "text", None)
    block.questionnaire = questionnaire  # keeps id(questionnaire) from being reused
    with _lock:
        _blocks[key] = block
    return block


def _macro():
    return get_template_attribute("_fields.html", "field")


def clear_cache():
    """Forget every block (tests that change templates or data)."""
    with _lock:
        _blocks.clear()
