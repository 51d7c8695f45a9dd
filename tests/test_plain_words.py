"""Every technical word a workshop owner may not know is explained where it appears (one tap, no script)."""
import re
from pathlib import Path

import pytest

from assessment.core.questionnaire import load_questionnaire

Q = load_questionnaire(Path(__file__).resolve().parent.parent / "questionnaires" / "core.json")

# word as it appears in a question or option -> the term that explains it
JARGON = {"PLC": "PLC", "cobot": "Cobot", "CAM": "CAM", "CAD": "CAD", "digital twin": "Digital twin",
          "MES": "MES", "RFID": "RFID", "IoT": "IoT", "EDI": "EDI", "two-step login": "Two-step login",
          "firewall": "Firewall", "collateral": "Collateral", "credit line": "Credit line", "ERP": "ERP",
          "KPI": "KPI", "dashboard": "Dashboard", "hotspot": "Hotspot", "fixed line": "Fixed line",
          "microfinance": "Microfinance", "savings group": "Savings group", "mobile-money loan": "Mobile-money loan",
          "UPS": "UPS", "stabiliser": "Voltage stabiliser", "simulation": "Simulation", "jig": "Jig",
          "fixture": "Fixture", "3D print": "3D printing", "CNC": "CNC", "leasing": "Leasing", "sensor": "Sensor",
          "submeter": "Submeter", "portal": "Web portal", "sector association": "Sector association",
          "pilot": "Pilot", "demonstration centre": "Demonstration centre", "backup": "Backup"}


def words_of(item):
    texts = [item.text["en"]] + [o.text["en"] for o in item.options]
    if item.not_relevant_text:
        texts.append(item.not_relevant_text["en"])
    return " ".join(texts)


@pytest.mark.parametrize("pillar", [p.id for p in Q.pillars])
def test_each_technical_word_is_explained_on_its_page_at_or_before_its_first_use(pillar):
    explained, missing = set(), []
    for item in Q.pillar(pillar).items:
        explained |= {t.term["en"].lower() for t in item.terms}
        for word, term in JARGON.items():
            if re.search(rf"\b{re.escape(word)}(s|ed|ing)?\b", words_of(item), re.IGNORECASE) and term.lower() not in explained:
                missing.append(f"{item.id}: {word}")
    assert missing == []


def test_business_line_is_no_longer_used():
    assert not any("business line" in words_of(i).lower() for i in Q.items)
