"""A firm's data as a PDF (the data-rights download): the same content as the JSON file, for a
person to read: the firm, its rounds' levels, and each assessment's answers, levels and roadmap.

The JSON keeps codes for other programs (KE, metal, pillar:hardware, done); the PDF names each one
in the reader's language (``DataNames``), and writes numbers and dates the local way.
"""
import io
from dataclasses import dataclass, field

from assessment.core.pdf import language
from assessment.core.pdf.language import _
from assessment.core.pdf.markup import region_name
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import build_document, bullets, document, esc, para
from assessment.core.translations import NO_TRANSLATIONS


@dataclass
class DataNames:
    """What names the codes of a data export: the current questionnaire (countries, sectors, sizes,
    pillars), the library's actions (by id) and the content catalogs."""
    questionnaire: object = None
    actions: dict = field(default_factory=dict)
    translations: object = NO_TRANSLATIONS

    def text(self, obj):
        return self.translations.text(obj, language.current())

    def option(self, question_id, value):
        """The option's text, or the code itself when the questionnaire does not know it."""
        option = self.questionnaire.profile_option(question_id, value) if self.questionnaire else None
        return self.text(option.text) if option else value

    @property
    def pillars(self):
        return self.questionnaire.pillars if self.questionnaire else ()

    def score_order(self, key):
        """Where a score key ('overall', 'pillar:<id>') comes: overall first, pillars in the
        questionnaire's order."""
        ids = [p.id for p in self.pillars]
        pillar_id = key.partition(":")[2]
        return (key != "overall", ids.index(pillar_id) if pillar_id in ids else len(ids), key)

    def pillar(self, pillar_id):
        pillar = next((p for p in self.pillars if p.id == pillar_id), None)
        return self.text(pillar.title) if pillar else pillar_id

    def action(self, action_id):
        action = self.actions.get(action_id)
        return self.text(action.title) if action else action_id


def build_data_pdf(data, lang="en", names=None) -> bytes:
    names = names or DataNames()
    buffer = io.BytesIO()
    with language.in_language(lang):
        name = (data.get("firm") or {}).get("name") or _("Your assessment")
        doc = document(buffer, title=_("Data held by SmartStep: %(name)s", name=name),
                       footer_text=_("SmartStep data export") + f" · {language.date(data['exported_at'])}")
        build_document(doc, _story(data, name, names))
    return buffer.getvalue()


def _story(data, name, names):
    story = [para(esc(_("Data held by SmartStep")), "title"), para(esc(ltr_value(name)), "firm"),
             para(esc(_("Exported on %(when)s (UTC). The JSON file of the same download holds the same data for "
                        "other programs.", when=_moment(data["exported_at"]))), "small")]
    firm = data.get("firm") or {}
    if len(firm) > 1:
        story += [para(esc(_("The firm")), "h1")] + bullets(_firm_lines(firm, names))
    for entry in data.get("rounds", []):
        story += [para(esc(_("Round %(round)s: levels", round=entry["round"])), "h2")]
        keys = sorted((key for key in entry["scores"] if not key.startswith("dimension:")), key=names.score_order)
        story += bullets([_labelled(_score_label(key, names), _score(entry["scores"][key]["score"],
                                                                      entry["scores"][key]["level_name"]))
                          for key in keys])
    if data.get("roadmap_status"):
        statuses = {"done": _("done"), "open": _("open")}
        story += [para(esc(_("Roadmap actions marked")), "h2")]
        story += bullets([_labelled(names.action(action), statuses.get(status, status))
                          for action, status in data["roadmap_status"].items()])
    for record in data["assessments"]:
        story += _assessment(record, names)
    return story


def _firm_lines(firm, names):
    """The firm's record, each field under its name; codes named, dates written the local way."""
    shown = [
        (_("Firm"), ltr_value(firm.get("name"))),
        (_("Country"), names.option("country", firm.get("country"))),
        (_("Sector"), names.option("sector", firm.get("sector"))),
        (_("Size"), names.option("size_band", firm.get("size_band"))),
        (_("Region"), region_name(firm["region"]) if firm.get("region") else None),
        (_("Cohort"), ltr_value(firm.get("cohort"))),
        (_("Current round"), firm.get("current_round")),
        (_("Firm id"), firm.get("id")),
    ]
    lines = [_labelled(label, value) for label, value in shown if value is not None]
    if firm.get("added_at"):
        lines.append(esc(_("Added on %(date)s", date=language.date(firm["added_at"]))))
    return lines


def _labelled(label, value):
    """"Pays : Kenya": the colon as the language writes it."""
    return esc(_("%(label)s: %(value)s", label=label, value=value))


def _score_label(key, names):
    kind, _sep, pillar_id = key.partition(":")
    return _("Overall") if kind == "overall" else names.pillar(pillar_id)


def _score(score, level_name):
    return f"{_number(score)} · {level_name or '–'}"


def _moment(iso):
    """"2 déc. 2026 17:57" from an ISO date and time."""
    return f"{language.date(iso)} {iso[11:16]}".strip()


def _assessment(record, names):
    heading = _("Assessment %(id)s", id=record["assessment_id"])
    if record["round"]:
        heading += f" · {record['round']}"
    status = {"completed": _("completed"), "in_progress": _("in progress")}.get(record["status"], record["status"])
    story = [para(esc(heading), "h1"),
             para(esc(_("Status: %(status)s. Started %(start)s, last saved %(saved)s.", status=status,
                        start=language.date(record["started_at"]), saved=language.date(record["last_saved_at"]))),
                  "small"),
             para(esc(_("Answers")), "h2")]
    story += bullets([f"{esc(a['question'])} <b>{esc(a['answer'])}</b>" for a in record["answers"]] or [esc("–")])
    if record["levels"]:
        overall = record["levels"]["overall"]
        story += [para(esc(_("Levels")), "h2"),
                  para(esc(_("Overall: %(score)s · %(level)s", score=_number(overall["score"]),
                             level=overall["level_name"] or "–")))]
        story += bullets([_labelled(name, _score(e["score"], e["level_name"]))
                          for name, e in record["levels"]["pillars"].items()])
    if record["roadmap"]:
        story += [para(esc(_("Roadmap")), "h2")]
        story += bullets([f"{esc(s['action'])} ({esc(s['dimension'])})" for s in record["roadmap"]], numbered=True)
    return story


def _number(score):
    return language.number(score) if score is not None else "–"
