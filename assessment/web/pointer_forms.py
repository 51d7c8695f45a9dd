"""The staff form for an agency's own pointer: one field per key of a pointer catalog entry."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from assessment.core.catalogs import (ALL_DIMENSIONS, COST_BANDS, OFFER_TYPES, POINTER_TYPES, SIZE_BANDS,
                                      STEP_HORIZONS)
from assessment.web.forms import MultiCheckboxField, strip_text
from assessment.web.i18n import translate

KIND_NAMES = {"awareness": _l("Where to see it and learn (awareness)"),
              "financing": _l("How to pay for it (financing)")}
OFFER_NAMES = {"loan": _l("Loan (paid back)"), "grant": _l("Grant (not paid back)"),
               "guarantee": _l("Guarantee (the bank lends, the scheme covers part of the risk)"),
               "leasing": _l("Leasing or hire-purchase"), "equity": _l("Equity (a share in the firm)"),
               "advice": _l("Advice, training or visits (no money)")}
TYPE_NAMES = {
    "demonstration_centre": _l("demonstration centre"), "science_park": _l("science park"),
    "innovation_lab": _l("innovation lab"), "incubator": _l("incubator"), "training": _l("training"),
    "knowledge_platform": _l("knowledge platform"), "productivity_agency": _l("productivity agency"),
    "sector_association": _l("sector association"), "innovation_fund": _l("innovation fund"),
    "development_bank": _l("development bank"), "donor_programme": _l("donor programme"),
    "national_programme": _l("national programme"), "leasing": _l("leasing"), "credit_line": _l("credit line"),
    "guarantee_scheme": _l("guarantee scheme"),
}
KIND_NAMES = {"awareness": _l("awareness"), "financing": _l("financing")}
REGION_NAMES = {"africa": _l("Africa"), "asia_pacific": _l("Asia and the Pacific"),
                "europe_central_asia": _l("Europe and Central Asia"),
                "latin_america_caribbean": _l("Latin America and the Caribbean"), "western_asia": _l("Western Asia")}
SIZE_NAMES = {"micro": _l("Micro"), "small": _l("Small"), "medium": _l("Medium"), "large": _l("Large")}
COST_NAMES = {"low": _l("Low cost"), "medium": _l("Medium cost"), "high": _l("High cost")}
HORIZON_NAMES = {"now": _l("Now (0-3 months)"), "next": _l("Next (3-12 months)"), "later": _l("Later (1-3 years)")}


def type_label(pointer_type, kind):
    """"development bank (financing)": a pointer type and its kind in the page's language."""
    return f"{TYPE_NAMES.get(pointer_type, pointer_type)} ({KIND_NAMES[kind]})"


def region_label(region):
    return REGION_NAMES.get(region, region.replace("_", " "))


def scope_label(scope, questionnaire):
    """Where a pointer applies, in words: everywhere, a region, or a country's name."""
    kind, _sep, value = (scope or "global").partition(":")
    if kind == "region":
        return _l("Region: %(region)s", region=region_label(value))
    if kind == "country" and questionnaire is not None:
        option = questionnaire.profile_question("country").option(value)
        return translate(option.text) if option else value
    return _l("Everywhere (every firm)")


class PointerForm(FlaskForm):
    pointer_id = StringField(_l("Identifier (lower-case letters, digits and _, e.g. nakuru_makerspace)"),
                             filters=[strip_text])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_NAMES.items()])
    type = SelectField(_l("Type"), choices=[SelectChoice(t, type_label(t, kind))
                                            for kind, types in POINTER_TYPES.items() for t in types])
    scope = SelectField(_l("Where it applies"))
    dimensions = MultiCheckboxField(_l("Areas it helps with"))
    name = StringField(_l("Name (as the firm will see it)"), filters=[strip_text])
    description = TextAreaField(_l("What it offers, in plain words"), filters=[strip_text])
    eligibility = TextAreaField(_l("Who can apply (size, sector, conditions), as published"), filters=[strip_text])
    organisation = StringField(_l("Organisation that offers it"), filters=[strip_text])
    offer_type = SelectField(_l("Form of the help"), choices=[SelectChoice("", _l("Not stated"))] +
                             [SelectChoice(o, OFFER_NAMES[o]) for o in OFFER_TYPES])
    url = StringField(_l("Address of the page where you read it (https://…)"), filters=[strip_text])
    checked = DateField(_l("Date you last checked that page"), validators=[Optional()])
    size_bands = MultiCheckboxField(_l("Only for firms of these sizes (none ticked: any size)"),
                                    choices=[SelectChoice(s, SIZE_NAMES[s]) for s in SIZE_BANDS])
    cost_bands = MultiCheckboxField(_l("Only for steps of these costs (none ticked: any)"),
                                    choices=[SelectChoice(c, COST_NAMES[c]) for c in COST_BANDS])
    horizons = MultiCheckboxField(_l("Only for steps in these horizons (none ticked: any)"),
                                  choices=[SelectChoice(h, HORIZON_NAMES[h]) for h in STEP_HORIZONS])
    source = StringField(_l("Source (where this comes from)"), filters=[strip_text])
    generic = BooleanField(_l("General advice, not a named programme"))

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope.choices = scope_choices(questionnaire)
        self.dimensions.choices = [SelectChoice(ALL_DIMENSIONS, _l("All areas"))] + [
            SelectChoice(d.id, translate(d.title)) for d in (questionnaire.dimensions if questionnaire else ())]

    def entry(self):
        """The posted values as a pointer catalog entry (docs/data-format.md); empty optional
        values are left out, as a hand-written file would."""
        entry = {"id": self.pointer_id.data or "", "kind": self.kind.data, "type": self.type.data,
                 "scope": self.scope.data, "dimensions": list(self.dimensions.data or []),
                 "name": {"en": self.name.data or ""}, "description": {"en": self.description.data or ""},
                 "source": self.source.data or "", "generic": bool(self.generic.data), "url": self.url.data or None}
        optional = {"organisation": self.organisation.data, "offer_type": self.offer_type.data,
                    "checked": self.checked.data.isoformat() if self.checked.data else None,
                    "eligibility": {"en": self.eligibility.data} if self.eligibility.data else None}
        entry.update({k: v for k, v in optional.items() if v})
        for key in ("size_bands", "cost_bands", "horizons"):
            if getattr(self, key).data:
                entry[key] = list(getattr(self, key).data)
        return entry

    def fill_from(self, entry):
        """Sets the fields from a stored entry (for editing)."""
        from datetime import date

        self.pointer_id.data = entry.get("id")
        for key in ("kind", "type", "scope", "source", "url", "organisation", "offer_type"):
            getattr(self, key).data = entry.get(key) or ""
        for key in ("dimensions", "size_bands", "cost_bands", "horizons"):
            getattr(self, key).data = list(entry.get(key) or [])
        for key in ("name", "description", "eligibility"):
            getattr(self, key).data = (entry.get(key) or {}).get("en", "")
        self.generic.data = bool(entry.get("generic"))
        checked = entry.get("checked")
        self.checked.data = date.fromisoformat(checked) if checked else None

    def place_problems(self, problems):
        """Puts each validation problem ("<file>: pointer <id>: <what>") under the field it names;
        returns the ones that name no field."""
        unplaced = []
        for problem in problems:
            message = problem.split(": ", 2)[-1] if problem.count(": ") >= 2 else problem
            field = self._field_named_in(message)
            (field.errors.append(message) if field is not None else unplaced.append(message))
        return unplaced

    def _field_named_in(self, message):
        keys = {"id": self.pointer_id, "duplicate id": self.pointer_id, "name": self.name,
                "description": self.description, "eligibility": self.eligibility, "kind": self.kind,
                "type": self.type, "scope": self.scope, "unknown country": self.scope,
                "unknown region": self.scope, "dimensions": self.dimensions, "unknown dimensions": self.dimensions,
                "source": self.source, "url": self.url, "checked": self.checked, "offer_type": self.offer_type,
                "organisation": self.organisation, "size_bands": self.size_bands,
                "cost_bands": self.cost_bands, "horizons": self.horizons}
        for key in sorted(keys, key=len, reverse=True):
            if message.startswith((key + " ", f'"{key}"', key + ":")):
                return keys[key]
        return None


def scope_choices(questionnaire):
    """Everywhere, each region, each country (by its name in the current language)."""
    choices = [SelectChoice("global", _l("Everywhere (every firm)"))]
    if questionnaire is None:
        return choices
    regions = questionnaire.regions()
    for region in sorted({r for r in regions.values() if r and r != "global"}):
        choices.append(SelectChoice(f"region:{region}", _l("Region: %(region)s", region=region_label(region))))
    country = questionnaire.profile_question("country")
    for option in country.options:
        if option.region != "global":
            choices.append(SelectChoice(f"country:{option.value}", translate(option.text)))
    return choices


class PointerImportForm(FlaskForm):
    file = FileField(_l("Pointer file (.json, the format of docs/data-format.md)"))


def offer_label(offer_type):
    """The plain name of a pointer's form of help (a loan is paid back, a grant is not)."""
    return OFFER_NAMES.get(offer_type, offer_type or "")


def checked_date(iso_date):
    """A pointer's check date in the current language's medium format."""
    from datetime import date

    from flask_babel import format_date
    try:
        return format_date(date.fromisoformat(iso_date), "medium")
    except (TypeError, ValueError):
        return iso_date or ""
