"""WTForms built from the questionnaire definition: one form per page."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from assessment.core.questionnaire import NOT_RELEVANT
from assessment.web.i18n import language_name, translate

SELECT_THRESHOLD = 12  # longer lists (countries) become a drop-down instead of radio buttons
NOT_RELEVANT_TEXT = _l("Not relevant to our business")


class ButtonForm(FlaskForm):
    """A button and its CSRF token, for POSTs that take no input (start, submit)."""


class ResumeForm(FlaskForm):
    code = StringField(_l("Your resume code"), validators=[
        InputRequired(message=_l("Type the code you wrote down, for example KM7Q-3XTA.")),
        Length(max=20, message=_l("A resume code has 8 letters and digits, for example KM7Q-3XTA."))])


class JoinForm(FlaskForm):
    code = StringField(_l("Workshop code"), validators=[
        InputRequired(message=_l("Type the workshop code shown on the screen, for example 7KQ4MX.")),
        Length(max=20, message=_l("A workshop code has 6 letters and digits, for example 7KQ4MX."))])


class JoinConsentForm(FlaskForm):
    share_name = BooleanField(_l("Show my firm's name to the facilitator (optional)"))


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip_text], validators=[
        DataRequired(message=_l("Give the workshop a title, for example 'Metal workshops, Nakuru'.")),
        Length(max=120, message=_l("Keep the title under 120 characters."))])
    held_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Choose the workshop's date."))])
    questionnaire = SelectField(_l("Questionnaire"))
    language = SelectField(_l("Language"))

    def __init__(self, *args, questionnaires=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire.choices = [SelectChoice(q.id, f"{translate(q.title)} ({q.version})")
                                      for q in (questionnaires or {}).values()]
        self.language.choices = [SelectChoice(lang, language_name(lang)) for lang in current_app.config["LANGUAGES"]]


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), filters=[strip_text], validators=[
        DataRequired(message=_l("Name the cohort, for example 'Intake 2026'.")), Length(max=120)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(message=_l("Choose the start date."))])
    ends_on = DateField(_l("Ends on (optional)"), validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date: choose an end date on or after "
                                     "the start, or leave it empty."))


class FirmForm(FlaskForm):
    """A firm's master data; the choices come from the questionnaire's profile questions."""
    name = StringField(_l("Firm name"), filters=[strip_text], validators=[
        DataRequired(message=_l("Type the firm's name.")), Length(max=120)])
    country = SelectField(_l("Country"), validators=[InputRequired(message=_l("Choose the firm's country."))])
    sector = SelectField(_l("Sector"), validators=[InputRequired(message=_l("Choose the firm's sector."))])
    size_band = SelectField(_l("Size"), validators=[InputRequired(message=_l("Choose the firm's size."))])
    add_anyway = BooleanField(_l("Yes, add it: this is a different firm with the same name"))

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("country", "sector", "size_band"):
            # Nothing chosen until someone chooses: a default would put firms in a peer group by accident.
            question = questionnaire.profile_question(name)
            self[name].choices = [SelectChoice("", _l("Choose…"))] + [
                SelectChoice(o.value, translate(o.text)) for o in question.options]


class RespondentRoleForm(FlaskForm):
    role = RadioField(_l("Your role in the firm"), default="owner", choices=[
        SelectChoice("owner", _l("Owner or managing director")),
        SelectChoice("production", _l("Production or technical manager")),
        SelectChoice("office", _l("Office, finance or sales")),
        SelectChoice("other", _l("Other"))], validators=[InputRequired(message=_l("Choose your role."))])


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[
        InputRequired(message=_l("Type your e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(message=_l("Type your password.")), Length(max=200)])


class NewUserForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[
        InputRequired(message=_l("Type the new colleague's e-mail address.")), Length(max=254)])
    password = PasswordField(_l("First password (at least 10 characters)"), validators=[
        InputRequired(message=_l("Choose a first password.")),
        Length(min=10, max=200, message=_l("The password must have at least 10 characters."))])
    role = SelectField(_l("Role"), choices=[SelectChoice("facilitator", _l("Facilitator")),
                                            SelectChoice("programme_manager", _l("Programme manager")),
                                            SelectChoice("admin", _l("Admin"))])


class RetentionForm(FlaskForm):
    days = IntegerField(_l("Remove unfinished anonymous assessments after this many days (empty: keep them)"),
                        validators=[Optional(), NumberRange(min=1, max=3650, message=_l(
                            "Type a number of days from 1 to 3650, or leave the box empty to keep them."))])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExclusiveChoices:
    """An option such as "None of these" cannot be chosen together with others."""
    def __init__(self, question):
        self.question = question

    def __call__(self, form, field):
        alone = [o for o in self.question.options if o.exclusive and o.value in (field.data or [])]
        if alone and len(field.data) > 1:
            raise ValidationError(_l("“%(option)s” cannot be chosen together with other answers.",
                                     option=translate(alone[0].text)))


class MaxChoices:
    def __init__(self, count):
        self.count = count

    def __call__(self, form, field):
        if field.data and len(field.data) > self.count:
            raise ValidationError(_l("Choose at most %(n)d.", n=self.count))


def required():
    return InputRequired(message=_l("Please choose an answer to this question."))


def profile_field(question):
    """The WTForms field for one profile question."""
    label = translate(question.text)
    choices = [SelectChoice(o.value, translate(o.text)) for o in question.options]
    checks = [required()] if question.required else [Optional()]
    if question.type == "text":
        return StringField(label, validators=[Optional(), Length(max=question.max_length)])
    if question.type == "multi":
        return MultiCheckboxField(label, choices=choices, validators=checks + [MaxChoices(question.max_choices),
                                                                            ExclusiveChoices(question)])
    if len(choices) > SELECT_THRESHOLD:
        return SelectField(label, choices=[SelectChoice("", _l("Choose…"))] + choices, validators=checks)
    return RadioField(label, choices=choices, validators=checks)


def item_field(item):
    """The radio group for one scored item, with "not relevant" where the questionnaire offers it."""
    label = translate(item.text)
    choices = [SelectChoice(o.value, translate(o.text)) for o in item.options]
    if item.not_relevant:
        text = translate(item.not_relevant_text) if item.not_relevant_text else NOT_RELEVANT_TEXT
        choices.append(SelectChoice(NOT_RELEVANT, text))
    return RadioField(label, choices=choices, validators=[required()])


def page_form(questions, make_field, formdata=None, data=None, csrf=True):
    """A form class for the questions on one page, instantiated with posted or stored data."""
    fields = {q.id: make_field(q) for q in questions}
    form_class = type("PageForm", (FlaskForm,), fields)
    return form_class(formdata=formdata, data=data or {}, **({} if csrf else {"meta": {"csrf": False}}))
