"""One assessment's full picture (scores, profile, roadmap) as the results page and the PDF need it.

Shared by the web views and the CLI; reads through store/, computes through core/.
"""
import functools
from dataclasses import dataclass

from assessment.core import pages
from assessment.core.library import load_library
from assessment.core.roadmap import build_roadmap
from assessment.core.translations import NO_TRANSLATIONS
from assessment.db import connect
from assessment.org_pointers import pointers_for_assessment
from assessment.store import assessments
from assessment.store.questionnaires import stored_questionnaire


@dataclass
class FirmPicture:
    assessment: dict
    questionnaire: object
    result: dict
    profile: dict
    roadmap: object
    translations: object = None  # content catalogs, for level and horizon names in the PDF


def firm_picture(db, library, assessment_row):
    """Scores exactly as stored, with the questionnaire version they came from, and today's roadmap.

    :raise assessments.AssessmentNotFound: when the assessment has no result yet.
    """
    result = assessments.result_of(db, assessment_row["id"])
    questionnaire = stored_questionnaire(db, result["questionnaire"]["id"], result["questionnaire"]["version"],
                                         library.translations)
    profile = pages.profile_answers(questionnaire, assessments.answers_of(db, assessment_row["id"]))
    pointers = pointers_for_assessment(db, library, assessment_row["id"])  # + its agency's own
    roadmap = build_roadmap(questionnaire, result, profile, library.actions, pointers)
    return FirmPicture(assessment_row, questionnaire, result, profile, roadmap, library.translations)


def roadmap_pdf(picture, resume_url, language=None):
    """The roadmap PDF's bytes for a firm picture, in the assessment's language unless ``language``."""
    from assessment.core.pdf.roadmap_pdf import RoadmapReport, build_roadmap_pdf

    completed = (picture.assessment["completed_at"] or picture.assessment["updated_at"])[:10]
    return build_roadmap_pdf(RoadmapReport(
        questionnaire=picture.questionnaire, result=picture.result, profile=picture.profile,
        roadmap=picture.roadmap, completed_on=completed, resume_url=resume_url,
        resume_code=assessments.format_code(picture.assessment["resume_code"]),
        language=language or picture.assessment["language"], translations=picture.translations or NO_TRANSLATIONS))


def roadmap_pdf_of(db, library, assessment_id, resume_url, language=None):
    """The roadmap PDF of an assessment that has a result, read afresh from the database by its id."""
    row = assessments.get_assessment(db, assessment_id)
    return roadmap_pdf(firm_picture(db, library, row), resume_url, language)


def pdf_process_files(config):
    """What a PDF process reads, in the order its functions take them: the database, the data
    folder and an agency's own files, from the app's config."""
    return config["DATABASE"], config["DATA_DIR"], tuple(config["LOCAL_DATA_FILES"])


def roadmap_pdf_in_pdf_process(database, data_dir, local_files, assessment_id, resume_url, language):
    """roadmap_pdf_of in a PDF process (web/pdf_worker.py), which is sent file names and an id rather
    than the firm's picture: pickling the picture's questionnaire and translation catalogs (1.3 MB)
    took about 8 ms of the server process's time per PDF, and unpickling as much again. The process
    opens the database and loads the library once, from the same files as the server."""
    db, library = _opened(database, data_dir, tuple(local_files))
    return roadmap_pdf_of(db, library, assessment_id, resume_url, language)


def ready_pdf_process(database, data_dir, local_files):
    """What a PDF process does as soon as it starts (serving.prepared): opens the database, loads the
    library and registers the fonts, about 0.2 s on top of the process's start that the room's first
    PDF would otherwise wait for."""
    from assessment.core.pdf.styles import register_fonts

    _opened(database, data_dir, tuple(local_files))
    register_fonts()


@functools.lru_cache(maxsize=4)
def _opened(database, data_dir, local_files):
    return connect(database), load_library(data_dir, local_files)


# Measured by bench/pdf.py: about 51 KB with no step (fonts, cover, method) and 0.6-0.7 KB per step
# (2026-12-02: steps that name what they need first, as for firms on their own generator, are longer).
PDF_BASE_BYTES = 51 * 1024
PDF_BYTES_PER_STEP = 620


def estimated_pdf_bytes(steps):
    """A roadmap PDF's size before it is built, within a few KB (checked by a test)."""
    return PDF_BASE_BYTES + PDF_BYTES_PER_STEP * steps
