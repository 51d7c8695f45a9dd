"""Languages: Flask-Babel for interface strings, text objects for questionnaire content."""
import datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import Babel, format_date, format_decimal, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from assessment.core.levels import LEVEL_MEANINGS, LEVEL_NAMES
from assessment.core.pages import chosen_options
from assessment.core.roadmap import HORIZON_NAMES

babel = Babel()


LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def asked_language():
    """The language chosen with the switcher (?lang=xx) on this request, if it is one we offer."""
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else None


def select_locale():
    """?lang=xx wins (the switcher, or a facilitator's link per language), then the language of the
    assessment on the page (its workshop's, or the one its respondent chose), then the choice
    remembered in a cookie, then the browser's."""
    return parsed_locale(_selected_language())


@lru_cache(maxsize=64)
def parsed_locale(code):
    """A Locale made once per language, not on every request (Flask-Babel takes it as it is)."""
    return Locale.parse(code)


def _selected_language():
    languages = current_app.config["LANGUAGES"]
    asked = asked_language()
    if asked:
        return asked
    if g.get("assessment_language") in languages:
        return g.assessment_language
    if request.cookies.get(LANGUAGE_COOKIE) in languages:
        return request.cookies[LANGUAGE_COOKIE]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response):
    """A language picked with the switcher is kept for the next visits (a plain cookie, no account)."""
    if asked_language() and request.cookies.get(LANGUAGE_COOKIE) != asked_language():
        response.set_cookie(LANGUAGE_COOKIE, asked_language(), max_age=LANGUAGE_COOKIE_AGE,
                            httponly=True, samesite="Lax", secure=bool(current_app.config["HTTPS"]))
    return response


@lru_cache(maxsize=None)
def language_name(lang):
    """A language named in itself: Français, Español, Português, العربية; never a bare code like
    "en", except for a code Babel does not know, which is shown as it is."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (ValueError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=None)
def text_direction(lang):
    return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"


def language_links():
    """(code, name in itself, link to this page in that language, is current) for the switcher."""
    current = current_language()
    args = {k: v for k, v in request.args.items() if k != "lang"}
    links = []
    for lang in current_app.config["LANGUAGES"]:
        if request.endpoint and request.method == "GET":
            href = url_for(request.endpoint, **(request.view_args or {}), **args, lang=lang)
        else:  # an error page or a form shown after a POST: the page's address, in that language
            href = f"{request.path}?lang={lang}"
        links.append((lang, language_name(lang), href, lang == current))
    return links


def request_translations():
    """This request's interface catalog. Flask-Babel finds it anew for every string (a fifth of the
    results page's time); here it is kept for the request (see _kept_for_locale)."""
    return _kept_for_locale("_interface_catalog", lambda locale: get_translations())


def current_language():
    """The request's language code ("fr")."""
    return _kept_for_locale("_language_code", lambda locale: str(locale or "en"))


def _kept_for_locale(name, make):
    """``make(locale)``, kept on the request beside the locale it was made for: Flask-Babel keeps
    the locale for the request too, so a locale changed within it gets its own value."""
    locale = get_locale()
    kept = g.get(name) if has_request_context() else None
    if kept is None or kept[0] is not locale:
        kept = (locale, make(locale))
        if has_request_context():
            setattr(g, name, kept)
    return kept[1]


def translate(text_obj):
    """A text object of the data files or the code in the current language (English fallback)."""
    return current_app.extensions["smartstep.library"].translations.text(text_obj, current_language())


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


def number(value):
    """A score for people: 2.75, 2.5, 2 in English; 2,75 in French (Babel's notation of the language)."""
    if value is None:
        return "–"
    return format_decimal(value, format="0.##")


def date_text(value):
    """An ISO date or timestamp ("2026-11-28", "2026-11-28T09:30:00Z") written the language's way."""
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return value
    return format_date(day, format="medium")


def signed(value):
    """A change: +0.50 / -0.25 (−0,25 in French), in the language's notation."""
    return format_decimal(value, format="+0.00;-0.00")


def isolate(value):
    """A name or title that may be in another script than the page (a firm's, cohort's or workshop's
    name, an English source title), isolated with <bdi>: on a right-to-left page "Taller Núñez
    (Pty)" keeps its closing bracket where it was written. Escaped like any other value."""
    return Markup("<bdi>{}</bdi>").format(value)


def template_globals():
    locale = current_language()
    return {"current_locale": locale, "text_direction": text_direction(locale), "language_links": language_links}


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # Flask-Babel's own, with the catalog looked up once
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["t"] = translate
    app.jinja_env.filters["num"] = number
    app.jinja_env.filters["signed"] = signed
    app.jinja_env.filters["date_text"] = date_text
    app.jinja_env.filters["isolate"] = isolate
    app.jinja_env.globals.update(level_name=level_name, level_meaning=level_meaning, horizon_name=horizon_name, status_name=status_name, role_name=role_name,
                                 rows_for=rows_for, header_keys=header_keys, option_text=option_text,
                                 chosen=chosen_options)
    app.context_processor(template_globals)
    app.after_request(remember_language)
