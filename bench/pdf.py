"""Roadmap PDF: size and build time for a level-0, a mixed and a level-4 firm.

Budget (docs: DESIGN.md, "Budgets"): each PDF <= 100 KB, built in <= 100 ms median, in every language.

Run:  .venv/bin/python bench/pdf.py [--lang fr|es|pt|ar|all] [--out DIR]
The median is over 20 builds (time.perf_counter), after one warm-up build that registers the fonts
(once per process, as in the web app). No Flask: the reports are built straight from core/.
--out DIR also writes the three PDFs there (to look at them: pdftoppm -png -r 60 FILE PREFIX).
tests/test_pdf.py imports example_reports() to check the same three PDFs.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessment.core.library import load_library  # noqa: E402
from assessment.core.pdf import RoadmapReport, build_roadmap_pdf  # noqa: E402
from assessment.core.roadmap import build_roadmap  # noqa: E402
from assessment.core.scoring import score_assessment  # noqa: E402

BUDGET_KB = 100
BUDGET_MS = 100
BUILDS = 20
MIXED_NOT_RELEVANT = {"hw_additive_use", "sw_design_tools"}

PROFILES = {
    "level0": {"firm_name": "Fábrica São João", "country": "KE", "sector": "metal", "size_band": "small",
               "goals": ["energy", "cost"], "has_design": "yes_own", "power_source": "grid"},
    "mixed": {"firm_name": "Société Générale d'Usinage", "country": "SN", "sector": "metal",
              "size_band": "medium", "goals": ["quality", "delivery"], "has_design": "mixed", "power_source": "generator"},
    "level4": {"firm_name": "Taller Núñez", "country": "MX", "sector": "vehicles", "size_band": "medium",
               "goals": ["new_products"], "has_design": "yes_own"},
}


def mixed_answers(questionnaire):
    """A firm strong in some areas and weak in others, with 3D printing "not relevant"."""
    answers = {}
    for index, item in enumerate(questionnaire.items):
        if item.not_relevant and item.id in MIXED_NOT_RELEVANT:
            answers[item.id] = "na"
        else:
            answers[item.id] = str((index * 3 + index // 4) % 5)
    return answers


def example_answers(name, questionnaire):
    if name == "mixed":
        return mixed_answers(questionnaire)
    level = "0" if name == "level0" else "4"
    return {item.id: level for item in questionnaire.items}


def example_reports(library=None, language="en"):
    """The three example firms' reports, by name: level0, mixed, level4, written in ``language``."""
    library = library or load_library(ROOT / "questionnaires")
    questionnaire = library.questionnaires["core"]
    reports = {}
    for name, profile in PROFILES.items():
        result = score_assessment(questionnaire, example_answers(name, questionnaire), profile)
        roadmap = build_roadmap(questionnaire, result, profile, library.actions, library.pointers)
        reports[name] = RoadmapReport(
            questionnaire=questionnaire, result=result, profile=profile, roadmap=roadmap,
            completed_on="2026-11-27", resume_url=f"https://smartstep.example.org/r/{name}-token",
            resume_code="KM7Q-3XTA", language=language, translations=library.translations)
    return reports


def measure(report, builds=BUILDS):
    """(size in bytes, median build time in ms, median CPU time in ms) of one report's PDF. The CPU
    time shows how much of the wall time other processes on the machine took."""
    pdf = build_roadmap_pdf(report)
    wall, cpu = [], []
    for _ in range(builds):
        start, start_cpu = time.perf_counter(), time.process_time()
        build_roadmap_pdf(report)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return len(pdf), statistics.median(wall), statistics.median(cpu)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the three example PDFs to this folder")
    parser.add_argument("--lang", default="en", help="language of the PDFs (en, fr, es, pt, ar) or 'all'")
    args = parser.parse_args(argv)
    library = load_library(ROOT / "questionnaires")
    languages = ["en", *library.translations.languages] if args.lang == "all" else [args.lang]
    figures, over = [], []
    for lang in languages:
        for name, report in example_reports(library, lang).items():
            size, median_ms, cpu_ms = measure(report)
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{name}-{lang}.pdf").write_bytes(build_roadmap_pdf(report))
            kb = size / 1024
            print(f"{lang} {name:7} {kb:6.1f} KB  median {median_ms:6.1f} ms over {BUILDS} builds "
                  f"(CPU {cpu_ms:5.1f} ms)  {len(report.roadmap.steps)} steps")
            figures.append(f"{lang}_{name}_kb={round(kb)} {lang}_{name}_ms={round(median_ms)}")
            if kb > BUDGET_KB or median_ms > BUDGET_MS:
                over.append(f"{lang} {name}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if over:
        print(f"OVER BUDGET ({BUDGET_KB} KB, {BUDGET_MS} ms): {', '.join(over)}")
    print("pdf " + " ".join(figures))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
