"""Languages: Flask-Babel for interface strings, text objects for questionnaire content."""
from flask import current_app, g, request
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l

from assessment.core.levels import LEVEL_MEANINGS, LEVEL_NAMES
from assessment.core.pages import chosen_options
from assessment.core.roadmap import HORIZON_NAMES

babel = Babel()


def select_locale():
    """?lang=xx wins (a facilitator can hand out a link per language), then the language of the
    assessment on the page (set by its workshop), then the browser's choice."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    if g.get("assessment_language") in languages:  # a workshop's or an assessment's own language
        return g.assessment_language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def translate(text_obj):
    """A text object of the data files or the code in the current language (English fallback)."""
    return current_app.extensions["smartstep.library"].translations.text(text_obj, str(get_locale() or "en"))


def level_name(level):
    return translate(LEVEL_NAMES[level])


def level_meaning(level):
    return translate(LEVEL_MEANINGS[level])


def horizon_name(horizon):
    return translate(HORIZON_NAMES[horizon])


STATUS_NAMES = {"draft": _l("not open yet"), "open": _l("open"), "closed": _l("closed")}


ROLE_NAMES = {
    "admin": _l("Admin"), "facilitator": _l("Facilitator"), "programme_manager": _l("Programme manager"),
    "owner": _l("Owner or managing director"), "production": _l("Production or technical manager"),
    "office": _l("Office, finance or sales"), "other": _l("Other"), "staff entry": _l("Entered by staff"),
    "imported": _l("Imported"),
}
STATUS_NAMES.update({"in_progress": _l("in progress"), "completed": _l("completed")})


def status_name(status):
    return STATUS_NAMES.get(status, status)


def role_name(role):
    return ROLE_NAMES.get(role, role or "")


def rows_for(questionnaire):
    """(score key, label, css class) for each pillar and its dimensions, for group tables."""
    rows = []
    for pillar in questionnaire.pillars:
        rows.append((f"pillar:{pillar.id}", translate(pillar.title), "strong"))
        rows += [(f"dimension:{d.id}", translate(d.title), "sub") for d in pillar.dimensions]
    return rows


def header_keys(questionnaire):
    return [("overall", _l("Overall"))] + [(f"pillar:{p.id}", translate(p.title)) for p in questionnaire.pillars]


def option_text(questionnaire, question_id, value):
    option = questionnaire.profile_question(question_id).option(value)
    return translate(option.text) if option else value


def template_globals():
    return {"current_locale": str(get_locale() or "en")}


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["t"] = translate
    app.jinja_env.globals.update(level_name=level_name, level_meaning=level_meaning, horizon_name=horizon_name, status_name=status_name, role_name=role_name,
                                 rows_for=rows_for, header_keys=header_keys, option_text=option_text,
                                 chosen=chosen_options)
    app.context_processor(template_globals)
