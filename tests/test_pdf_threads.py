"""PDFs built at the same time in several threads (a workshop's downloads) come out whole and identical.

ReportLab's font subsetting is shared per font; without the build lock in core/pdf/styles.py some
concurrent builds fail or wrap text differently (seen in bench/workshop_load.py).
"""
import dataclasses
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assessment.core.pdf.roadmap_pdf import build_roadmap_pdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from pdf import example_reports  # noqa: E402

NAMES = ["Fábrica São João", "Société Générale d'Usinage", "Taller Núñez", "Ĉeĥa Ŝtalfabriko", "Øresund Ålægning"]


def test_concurrent_builds_match_one_at_a_time_builds():
    base = example_reports()["level4"]  # the shortest PDF: many builds in little time
    reports = [dataclasses.replace(base, profile={**base.profile, "firm_name": name}) for name in NAMES]
    serial = [build_roadmap_pdf(r) for r in reports]
    jobs = list(range(len(reports))) * 24
    with ThreadPoolExecutor(max_workers=16) as pool:
        parallel = list(pool.map(lambda n: build_roadmap_pdf(reports[n]), jobs))
    differing = [jobs[k] for k, data in enumerate(parallel) if data != serial[jobs[k]]]
    assert differing == []


def test_the_size_estimate_shown_before_building_is_within_a_few_kb():
    from assessment.firm_report import estimated_pdf_bytes
    for report in example_reports().values():
        actual = len(build_roadmap_pdf(report))
        assert abs(estimated_pdf_bytes(len(report.roadmap.steps)) - actual) <= 4 * 1024
