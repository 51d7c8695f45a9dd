"""Calibration: do SmartStep's levels match an assessor's judgement of the same firm?

Each file in bench/calibration/ is one reference firm: a short profile, the answers its owner would give
to the current questionnaire, and the levels an assessor reading the profile would give (overall and per
pillar, on the 0-4 score scale) with the reasoning. This script scores the answers with the real scoring
code and prints, per firm and per pillar, expected vs scored, then the mean absolute error (MAE) and the
mean bias (scored - expected; negative = SmartStep places firms too low).

Targets (issue #10): every firm within 0.5 of its expected overall score; |mean bias| <= 0.15;
MAE per pillar <= 0.4. The script reports them; tests/test_calibration.py only checks that the set is
valid for the current questionnaire (answers exist, skipped items are left out), never the targets.

It also prints the 10 hardest questionnaire items to read (Flesch-Kincaid US grade of the stem and its
options read as sentences, textstat) against the target of grade 8 or lower.

Run:  .venv/bin/python bench/calibration.py
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessment.core.questionnaire import load_questionnaire  # noqa: E402
from assessment.core.scoring import score_assessment  # noqa: E402

FIRMS_DIR = Path(__file__).resolve().parent / "calibration"
CORE = ROOT / "questionnaires" / "core.json"
PILLARS = ("hardware", "software", "connectivity", "enablers")
FIRM_TOLERANCE, BIAS_LIMIT, PILLAR_MAE_LIMIT, GRADE_LIMIT = 0.5, 0.15, 0.4, 8.0
FIRM_KEYS = ("id", "name", "profile", "composite", "sources", "profile_answers", "answers", "expected", "reasoning")


def load_firms(folder=FIRMS_DIR):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))]


def firm_problems(questionnaire, firm):
    """Everything that makes a reference firm unusable with this questionnaire, named."""
    name = firm.get("id", "?")
    problems = [f"{name}: missing {key}" for key in FIRM_KEYS if key not in firm]
    if problems:
        return problems
    profile, answers = firm["profile_answers"], firm["answers"]
    for question in questionnaire.profile:
        value = profile.get(question.id)
        values = value if isinstance(value, list) else [value]
        if question.type != "text" and value not in (None, "", []) and not all(question.option(v) for v in values):
            problems.append(f"{name}: profile {question.id}={value!r} is not an option")
        elif question.required and value in (None, "", []):
            problems.append(f"{name}: profile {question.id} has no answer")
    items = {i.id: i for i in questionnaire.items}
    problems += [f"{name}: {item_id} is not an item of version {questionnaire.version}"
                 for item_id in answers if item_id not in items]
    for item in items.values():
        value = answers.get(item.id)
        if item.is_skipped(profile):
            if value is not None:
                problems.append(f"{name}: {item.id} is skipped for this profile; leave it out")
        elif value not in item.allowed_values():
            problems.append(f"{name}: {item.id}={value!r} is not an answer (use {', '.join(item.allowed_values())})")
    expected = firm["expected"]
    problems += [f"{name}: expected {key} must be a score 0-4" for key in ("overall",) + PILLARS
                 if not isinstance(expected.get(key), (int, float)) or not 0 <= expected[key] <= 4]
    if not firm["sources"] and "composite" not in str(firm["composite"]).lower():
        problems.append(f"{name}: no source; say that it is a composite typical case")
    return problems


def score_firm(questionnaire, firm):
    result = score_assessment(questionnaire, firm["answers"], firm["profile_answers"])
    scored = {"overall": result["overall"]["score"]}
    scored.update({p: result["pillars"][p]["score"] for p in PILLARS})
    return scored


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def calibrate(questionnaire, firms):
    """Per firm: expected and scored per key; then MAE and bias per key."""
    rows = [(firm, firm["expected"], score_firm(questionnaire, firm)) for firm in firms]
    keys = ("overall",) + PILLARS
    summary = {key: {"mae": mean(abs(s[key] - e[key]) for _f, e, s in rows if s[key] is not None),
                     "bias": mean(s[key] - e[key] for _f, e, s in rows if s[key] is not None)} for key in keys}
    return rows, summary


def hardest_items(questionnaire, count=10):
    """(grade, item id) of the items hardest to read: stem, options and the item's own "no use" answer."""
    import textstat  # only the bench needs it (test extras)
    sentence = lambda text: text if text.rstrip()[-1:] in ".?!" else text.rstrip() + "."  # noqa: E731
    graded = []
    for question in [q for q in questionnaire.profile if q.id not in ("country", "sector", "firm_name")] + \
            list(questionnaire.items):
        parts = [question.text["en"]] + [o.text["en"] for o in question.options]
        if getattr(question, "not_relevant_text", None):
            parts.append(question.not_relevant_text["en"])
        graded.append((textstat.flesch_kincaid_grade(" ".join(sentence(p) for p in parts)), question.id))
    graded.sort(reverse=True)
    return graded[:count], graded


def main():
    questionnaire = load_questionnaire(CORE)
    firms = load_firms()
    problems = [p for firm in firms for p in firm_problems(questionnaire, firm)]
    if problems:
        print("\n".join(problems))
        return 2
    rows, summary = calibrate(questionnaire, firms)
    print(f"Calibration of questionnaire {questionnaire.id} {questionnaire.version}: {len(firms)} reference firms")
    print("expected -> scored (difference); overall, then hardware, software, connectivity, enablers")
    for firm, expected, scored in rows:
        cells = []
        for key in ("overall",) + PILLARS:
            if scored[key] is None:
                cells.append(f"{expected[key]:.2f} -> n/a")
            else:
                cells.append(f"{expected[key]:.2f} -> {scored[key]:.2f} ({scored[key] - expected[key]:+.2f})")
        flag = "" if scored["overall"] is None or abs(scored["overall"] - expected["overall"]) <= FIRM_TOLERANCE \
            else "  OUTSIDE 0.5"
        print(f"  {firm['id']:<32} " + " | ".join(cells) + flag)
    print("\n  key           MAE   bias")
    for key, figures in summary.items():
        print(f"  {key:<12} {figures['mae']:.2f}  {figures['bias']:+.2f}")
    outside = [f["id"] for f, e, s in rows if abs(s["overall"] - e["overall"]) > FIRM_TOLERANCE]
    worst = max(abs(s["overall"] - e["overall"]) for _f, e, s in rows)
    pillar_mae = max(summary[p]["mae"] for p in PILLARS)
    hardest, graded = hardest_items(questionnaire)
    print(f"\nReadability (Flesch-Kincaid US grade of stem + options, target <= {GRADE_LIMIT:g}); the 10 hardest:")
    for grade, item_id in hardest:
        print(f"  {grade:5.1f}  {item_id}")
    over = [i for g, i in graded if g > GRADE_LIMIT]
    checks = [
        ("every firm within 0.5 overall", not outside, f"worst {worst:.2f}" + (f"; outside: {', '.join(outside)}" if outside else "")),
        ("|mean bias| <= 0.15", abs(summary["overall"]["bias"]) <= BIAS_LIMIT, f"{summary['overall']['bias']:+.2f}"),
        ("MAE per pillar <= 0.4", pillar_mae <= PILLAR_MAE_LIMIT, f"largest {pillar_mae:.2f}"),
        ("every item grade <= 8", not over, f"{len(over)} over" + (f": {', '.join(over)}" if over else "")),
    ]
    print()
    for label, ok, figure in checks:
        print(f"  {'OK  ' if ok else 'MISS'} {label}: {figure}")
    print(f"\nfirms={len(firms)} mae_overall={summary['overall']['mae']:.2f} bias_overall={summary['overall']['bias']:+.2f} "
          f"max_pillar_mae={pillar_mae:.2f} worst_firm={worst:.2f} max_grade={hardest[0][0]:.1f}")
    return 0 if all(ok for _l, ok, _f in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
