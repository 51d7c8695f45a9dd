"""A firm's data as a PDF (the data-rights download): the same content as the JSON file, for a
person to read: the firm, its rounds' levels, and each assessment's answers, levels and roadmap."""
import io

from assessment.core.pdf import language
from assessment.core.pdf.language import _
from assessment.core.pdf.rtl_text import ltr_value
from assessment.core.pdf.styles import build_document, bullets, document, esc, para


def build_data_pdf(data, lang="en") -> bytes:
    buffer = io.BytesIO()
    with language.in_language(lang):
        name = (data.get("firm") or {}).get("name") or _("Your assessment")
        doc = document(buffer, title=_("Data held by SmartStep: %(name)s", name=name),
                       footer_text=_("SmartStep data export") + f" · {data['exported_at'][:10]}")
        build_document(doc, _story(data, name))
    return buffer.getvalue()


def _story(data, name):
    story = [para(esc(_("Data held by SmartStep")), "title"), para(esc(ltr_value(name)), "firm"),
             para(esc(_("Exported on %(when)s (UTC). The JSON file of the same download holds the same data for "
                        "other programs.", when=data["exported_at"].replace("T", " ")[:16])), "small")]
    firm = data.get("firm") or {}
    if len(firm) > 1:
        story += [para(esc(_("The firm")), "h1")]
        story += bullets([f"{esc(key)}: {esc(value)}" for key, value in firm.items() if value is not None])
    for entry in data.get("rounds", []):
        story += [para(esc(_("Round %(round)s: levels", round=entry["round"])), "h2")]
        story += bullets([f"{esc(key)}: {esc(v['score'])} · {esc(v['level_name'])}" for key, v in entry["scores"].items()
                          if not key.startswith("dimension:")])
    if data.get("roadmap_status"):
        story += [para(esc(_("Roadmap actions marked")), "h2")]
        story += bullets([f"{esc(action)}: {esc(status)}" for action, status in data["roadmap_status"].items()])
    for record in data["assessments"]:
        story += _assessment(record)
    return story


def _assessment(record):
    heading = _("Assessment %(id)s", id=record["assessment_id"])
    if record["round"]:
        heading += f" · {record['round']}"
    story = [para(esc(heading), "h1"),
             para(esc(_("Status: %(status)s. Started %(start)s, last saved %(saved)s.", status=record["status"],
                        start=record["started_at"][:10], saved=record["last_saved_at"][:10])), "small"),
             para(esc(_("Answers")), "h2")]
    story += bullets([f"{esc(a['question'])} <b>{esc(a['answer'])}</b>" for a in record["answers"]] or [esc("–")])
    if record["levels"]:
        overall = record["levels"]["overall"]
        story += [para(esc(_("Levels")), "h2"),
                  para(esc(_("Overall: %(score)s · %(level)s", score=overall["score"], level=overall["level_name"])))]
        story += bullets([f"{esc(name)}: {esc(e['score'])} · {esc(e['level_name'] or '–')}"
                          for name, e in record["levels"]["pillars"].items()])
    if record["roadmap"]:
        story += [para(esc(_("Roadmap")), "h2")]
        story += bullets([f"{esc(s['action'])} ({esc(s['dimension'])})" for s in record["roadmap"]], numbered=True)
    return story
