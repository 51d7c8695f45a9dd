"""`smartstep demo`: an empty database filled with a demo agency, so that every page can be seen.

The demo agency has three staff accounts (admin, facilitator, programme manager), a closed
workshop of 24 firms from Nakuru, Kenya, and a programme cohort of 30 firms from three continents
with an intake (T0) and a follow-up (T1) round. Everything goes through store/ and completion.py,
as the web pages would do it.

The answers are drawn from a small model of latent maturity, deterministic for a given seed:
- a firm's base level comes from its size band (micro firms mostly level 0-1, small 1-2, medium
  1-3, large 2-3), shifted by its sector, and a few firms are leaders (a level higher);
- each pillar varies around the base, each dimension has its usual offset (internet access is ahead
  of sensors and integration; additive manufacturing and automation lag), each item adds noise;
- "not relevant" is chosen for some items that allow it (3D printing most often);
- at T1 most firms have moved up a little, some have stalled;
- some firms have a second respondent (the production manager) who disagrees with the owner by two
  levels on one or two dimensions.
The same model feeds bench/benchmark_scale.py.
"""
import datetime
import random
import secrets
from dataclasses import dataclass, field
from math import floor

from assessment import completion
from assessment.cohort_report import firm_picture
from assessment.core.questionnaire import NOT_RELEVANT
from assessment.db import write_transaction
from assessment.store import assessments, firms, org_pointers, staff, workshops

DEMO_ORG = "Demo Business Support Agency"
STAFF_ACCOUNTS = (("admin", "admin@demo-agency.example"),
                  ("facilitator", "facilitator@demo-agency.example"),
                  ("programme_manager", "programme@demo-agency.example"))
DEFAULT_SEED = 2024

# --- the maturity model ---------------------------------------------------------------------

SIZE_BASE = {"micro": (0.55, 0.35), "small": (1.15, 0.45), "medium": (1.9, 0.5), "large": (2.5, 0.5)}
SECTOR_SHIFT = {"electronics": 0.4, "vehicles": 0.4, "chemicals": 0.3, "plastics": 0.2, "printing": 0.1,
                "metal": 0.0, "food": 0.0, "building_materials": -0.1, "textiles": -0.1, "wood": -0.3,
                "other": 0.0}
LEADER_CHANCE, LEADER_LIFT = 0.08, 1.1
PILLAR_SPREAD = 0.3
PILLAR_SHIFT = {"hardware": 0.0, "software": 0.1, "connectivity": 0.15, "enablers": 0.1}
DIMENSION_SHIFT = {"hw_equipment": 0.2, "hw_automation": -0.6, "hw_additive": -1.0, "sw_business": 0.3,
                   "sw_design": -0.2, "sw_production": -0.1, "sw_data": -0.4, "cn_internet": 0.8,
                   "cn_network": -0.2, "cn_capture": -0.6, "cn_integration": -0.5, "cn_security": -0.2,
                   "en_leadership": 0.1, "en_finance": -0.3, "en_power": 0.3, "en_privacy": -0.2}
ITEM_NOISE = 0.5
NOT_RELEVANT_CHANCE = {"hw_additive_use": 0.35, "hw_automation_tasks": 0.12,
                       "cn_integration_partners": 0.15, "sw_design_tools": 0.1}
GOAL_WEIGHTS = {"cost": 5, "quality": 4, "delivery": 3, "energy": 2, "new_products": 2, "new_markets": 1, "labour": 2,
                "traceability": 1}
DESIGN_WEIGHTS = {"micro": {"yes_own": 1, "mixed": 3, "customer": 4, "none": 3},
                  "small": {"yes_own": 3, "mixed": 4, "customer": 3, "none": 1},
                  "medium": {"yes_own": 5, "mixed": 3, "customer": 2, "none": 0},
                  "large": {"yes_own": 6, "mixed": 2, "customer": 2, "none": 0}}
POWER_BY_SIZE = {"micro": "grid_shared", "small": "grid", "medium": "grid", "large": "grid"}
STALL_CHANCE = 0.15


@dataclass
class SyntheticFirm:
    """A firm's profile and its latent item values (continuous, before rounding to a level)."""
    name: str
    country: str
    sector: str
    size_band: str
    goals: list
    has_design: str
    values: dict = field(default_factory=dict)          # item id -> latent value
    not_relevant: set = field(default_factory=set)      # item ids the firm answers "not relevant"

    def profile_answers(self):
        answers = {"country": self.country, "sector": self.sector, "size_band": self.size_band,
                   "goals": list(self.goals), "has_design": self.has_design,
                   "power_source": POWER_BY_SIZE[self.size_band]}
        if self.name:
            answers["firm_name"] = self.name
        return answers


def _weighted(rng, weights):
    keys = [k for k, w in weights.items() if w > 0]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def draw_firm(rng, questionnaire, name, country, sector, size_band):
    """A firm with latent maturity drawn from its size band and sector, and its own noise per item."""
    mean, spread = SIZE_BASE[size_band]
    base = rng.gauss(mean, spread) + SECTOR_SHIFT.get(sector, 0.0)
    if rng.random() < LEADER_CHANCE:
        base += LEADER_LIFT
    goals, wanted = set(), rng.choice((1, 2, 2, 3, 3))
    while len(goals) < wanted:
        goals.add(_weighted(rng, GOAL_WEIGHTS))
    firm = SyntheticFirm(name, country, sector, size_band, sorted(goals, key=list(GOAL_WEIGHTS).index),
                         _weighted(rng, DESIGN_WEIGHTS[size_band]))
    for pillar in questionnaire.pillars:
        level = base + PILLAR_SHIFT.get(pillar.id, 0.0) + rng.gauss(0, PILLAR_SPREAD)
        for dimension in pillar.dimensions:
            for item in dimension.items:
                firm.values[item.id] = level + DIMENSION_SHIFT.get(dimension.id, 0.0) + rng.gauss(0, ITEM_NOISE)
                if item.not_relevant and rng.random() < NOT_RELEVANT_CHANCE.get(item.id, 0.04):
                    firm.not_relevant.add(item.id)
    return firm


def level_of(value):
    return min(4, max(0, floor(value + 0.5)))


def item_answers(questionnaire, firm, values=None):
    """The firm's answers: every item at the level of its latent value, or "not relevant"."""
    values = values or firm.values
    return {item.id: NOT_RELEVANT if item.id in firm.not_relevant else str(level_of(values[item.id]))
            for item in questionnaire.items}


def progressed(rng, questionnaire, firm):
    """The firm's latent values one round later: most firms have moved up a little, some have stalled."""
    gain = rng.gauss(0.0, 0.1) if rng.random() < STALL_CHANCE else rng.gauss(0.45, 0.15)
    values = {}
    for pillar in questionnaire.pillars:
        pillar_gain = gain * rng.uniform(0.4, 1.6)
        for item in pillar.items:
            values[item.id] = firm.values[item.id] + pillar_gain + rng.gauss(0, 0.25)
    return values


def disagreeing_answers(rng, questionnaire, answers, count=2):
    """A second respondent's answers: like ``answers``, but two levels apart on ``count`` dimensions."""
    other = dict(answers)
    candidates = [d for d in questionnaire.dimensions
                  if any(answers[i.id] != NOT_RELEVANT for i in d.items)]
    for dimension in rng.sample(candidates, count):
        for item in dimension.items:
            if answers[item.id] != NOT_RELEVANT:
                level = int(answers[item.id])
                other[item.id] = str(level + 2 if level <= 2 else level - 2)
    return other


# --- the demo's firms -----------------------------------------------------------------------

WORKSHOP_TITLE = "Smart production basics, Nakuru"
# (name, sector, size band); an empty name is a participant who left the optional name blank.
WORKSHOP_FIRMS = (
    ("Rift Valley Welding", "metal", "micro"), ("Menengai Furniture", "wood", "small"),
    ("Lake Nakuru Dairy", "food", "medium"), ("Njoro Grain Millers", "food", "small"),
    ("Wanjiru Tailoring", "textiles", "micro"), ("Kiptoo Engineering", "metal", "small"),
    ("Baraka Bakery", "food", "micro"), ("Gilgil Timber Yard", "wood", "micro"),
    ("", "other", "micro"), ("Molo Honey Refiners", "food", "micro"),
    ("Kabarak Soap Works", "chemicals", "small"), ("Mwangi & Sons Fabricators", "metal", "micro"),
    ("Subukia Coffee Roasters", "food", "small"), ("Bahati Plastics Recycling", "plastics", "small"),
    ("Rongai Leather Goods", "textiles", "micro"), ("", "metal", "micro"),
    ("Ol Kalou Potato Crisps", "food", "small"), ("Nyahururu Print Shop", "printing", "micro"),
    ("Eldama Ravine Joinery", "wood", "micro"), ("Mama Akinyi Textiles", "textiles", "small"),
    ("Karanja Brick Makers", "building_materials", "small"), ("Shiva Steel Fabricators", "metal", "medium"),
    ("", "food", "micro"), ("Naivasha Packhouse Ltd", "food", "medium"),
)

COHORT_NAME = "Manufacturing Accelerator, {month} intake"
# (name, country, sector, size band)
COHORT_FIRMS = (
    ("Nakuru Metal Works", "KE", "metal", "small"), ("Kumasi Furniture", "GH", "wood", "small"),
    ("Mombasa Coconut Processors", "KE", "food", "medium"), ("Lagos Polymer Products", "NG", "plastics", "medium"),
    ("Addis Leather Crafts", "ET", "textiles", "small"), ("Kigali Agro Foods", "RW", "food", "micro"),
    ("Atelier Ndèye Couture", "SN", "textiles", "micro"), ("Casablanca Pièces Auto", "MA", "vehicles", "large"),
    ("Huilerie Ben Salah", "TN", "food", "small"), ("Kampala Steel Fabricators", "UG", "metal", "micro"),
    ("Arusha Brick & Tile", "TZ", "building_materials", "small"), ("Emballages d'Abidjan", "CI", "printing", "small"),
    ("Taller Núñez", "PE", "metal", "micro"), ("Fábrica São João", "BR", "textiles", "medium"),
    ("Confecciones Peñalosa", "CO", "textiles", "small"), ("Carpintería Ñandú", "AR", "wood", "micro"),
    ("Lácteos del Valle", "EC", "food", "small"), ("Plásticos Andinos", "BO", "plastics", "small"),
    ("Metalúrgica Araújo", "BR", "metal", "medium"), ("Cerámica Güemes", "AR", "building_materials", "small"),
    ("Electrónica Sánchez e Hijos", "MX", "electronics", "small"), ("Cơ khí Đồng Nai", "VN", "metal", "medium"),
    ("Saigon Garment Co.", "VN", "textiles", "medium"), ("Pune Auto Components", "IN", "vehicles", "large"),
    ("Shree Ganesh Food Products", "IN", "food", "small"), ("Dhaka Knitwear", "BD", "textiles", "medium"),
    ("Cebu Furniture Makers", "PH", "wood", "small"), ("Kandy Tea Machinery", "LK", "metal", "small"),
    ("Bursa Örme Tekstil", "TR", "textiles", "medium"), ("Đà Nẵng Seafood Cannery", "VN", "food", "medium"),
)
SECOND_RESPONDENT_CHANCE = 0.3
ACTIONS_DONE_CHANCE = 0.6


class DatabaseNotEmpty(Exception):
    """The database already holds organisations, assessments or firms: the demo never mixes with real data."""


@dataclass
class DemoReport:
    org_name: str
    accounts: list            # [(role, e-mail, password or None when it came from a file)]
    workshop: dict
    participants: int
    cohort: dict
    cohort_firms: int
    two_respondent_firms: list
    actions_done: int
    seed: int


def existing_data(db):
    """How many organisations, assessments and firms the database holds."""
    return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("organisations", "assessments", "firms")}


def check_empty(db):
    """:raise DatabaseNotEmpty: naming what is there."""
    found = {table: n for table, n in existing_data(db).items() if n}
    if found:
        listed = ", ".join(f"{table}: {n}" for table, n in found.items())
        raise DatabaseNotEmpty(f"this database already holds data ({listed}); the demo only fills an "
                               "empty database, so that it never mixes with real data. Point "
                               "SMARTSTEP_DATABASE at a new file to try it.")


# The demo agency's own pointer (staff pages, Pointers): general advice, so it claims no real programme.
DEMO_POINTER = {
    "id": "demo_agency_equipment_clinic", "kind": "awareness", "type": "training", "scope": "global",
    "dimensions": ["hw_equipment", "hw_maintenance", "en_finance"],
    "name": {"en": "Our monthly equipment and finance clinic"},
    "description": {"en": "Bring a quote for a machine you want to buy: our advisers go through the costs, "
                          "the savings and which loan, lease or grant could pay for it."},
    "source": "SmartStep demo agency (example data)", "generic": True, "url": None, "offer_type": "advice",
}


def build_demo(db, library, questionnaire_id="core", seed=DEFAULT_SEED, password=None, today=None):
    """Fills an empty database; returns a DemoReport. ``password`` (else random ones) for all staff.

    :raise DatabaseNotEmpty: before writing anything, when the database holds data.
    :raise staff.StaffError: when ``password`` is too short.
    """
    check_empty(db)
    if password is not None:
        staff.check_password_rules(password)
    rng = random.Random(seed)
    today = today or datetime.date.today()
    questionnaire = library.questionnaires[questionnaire_id]
    org_id = staff.ensure_organisation(db, DEMO_ORG)
    accounts = [(role, email, password or secrets.token_urlsafe(12)) for role, email in STAFF_ACCOUNTS]
    users = {role: staff.create_user(db, org_id, email, pw, role) for role, email, pw in accounts}
    org_pointers.create_pointer(db, org_id, DEMO_POINTER)
    workshop = _build_workshop(db, rng, questionnaire, org_id, users["facilitator"], today)
    cohort, cohort_firms, pairs = _build_cohort(db, rng, questionnaire, org_id, today)
    done = _mark_actions_done(db, rng, library, questionnaire, cohort_firms)
    return DemoReport(DEMO_ORG, [(r, e, None if password else pw) for r, e, pw in accounts],
                      workshops.get_workshop(db, workshop["id"], org_id), len(WORKSHOP_FIRMS), cohort,
                      len(cohort_firms), pairs, done, seed)


def _complete(db, questionnaire, row, answers, when):
    assessments.save_answers(db, row["id"], answers)
    completion.complete_assessment(db, questionnaire, row, answers)
    _backdate_assessment(db, row["id"], when)


def _backdate_assessment(db, assessment_id, when):
    """Demo rounds happened months apart: there is no store function for that, as nothing else
    rewrites history."""
    stamp = f"{when.isoformat()}T10:00:00+00:00"
    with write_transaction(db):
        db.execute("UPDATE assessments SET created_at = ?, updated_at = ?, completed_at = ? WHERE id = ?",
                   [stamp, stamp, stamp, assessment_id])
        db.execute("UPDATE answers SET updated_at = ? WHERE assessment_id = ?", [stamp, assessment_id])
        db.execute("UPDATE results SET computed_at = ? WHERE assessment_id = ?", [stamp, assessment_id])


def _build_workshop(db, rng, questionnaire, org_id, facilitator, today):
    held_on = today - datetime.timedelta(days=20)
    workshop = workshops.create_workshop(db, org_id, facilitator["id"], WORKSHOP_TITLE, held_on.isoformat(),
                                         questionnaire.id, "en")
    workshops.set_status(db, workshop["id"], org_id, "open")
    for name, sector, size_band in WORKSHOP_FIRMS:
        firm = draw_firm(rng, questionnaire, name, "KE", sector, size_band)
        share = bool(name) and rng.random() < 0.65
        row = assessments.create_assessment(db, questionnaire, language=workshop["language"],
                                            workshop_id=workshop["id"], share_name=share)
        _complete(db, questionnaire, row, {**firm.profile_answers(), **item_answers(questionnaire, firm)},
                  held_on)
    workshops.set_status(db, workshop["id"], org_id, "closed")
    return workshop


def _build_cohort(db, rng, questionnaire, org_id, today):
    starts_on = today - datetime.timedelta(days=240)
    title = COHORT_NAME.format(month=f"{starts_on:%B %Y}")
    cohort = firms.create_cohort(db, org_id, title, starts_on.isoformat(),
                                 (today + datetime.timedelta(days=125)).isoformat())
    regions = questionnaire.regions()
    created, pairs = [], []
    for name, country, sector, size_band in COHORT_FIRMS:
        synthetic = draw_firm(rng, questionnaire, name, country, sector, size_band)
        record = firms.create_firm(db, org_id, name, country, sector, size_band, regions.get(country, "global"),
                                   cohort_id=cohort["id"])
        two = rng.random() < SECOND_RESPONDENT_CHANCE
        t0 = starts_on + datetime.timedelta(days=rng.randint(0, 14))
        _firm_round(db, rng, questionnaire, record, synthetic, synthetic.values, 0, t0, two)
        record = firms.start_next_round(db, record["id"], org_id)
        t1 = today - datetime.timedelta(days=rng.randint(10, 40))
        _firm_round(db, rng, questionnaire, record, synthetic, progressed(rng, questionnaire, synthetic), 1, t1,
                    two)
        created.append((record, synthetic))
        if two:
            pairs.append(name)
    return cohort, created, pairs


def _firm_round(db, rng, questionnaire, firm, synthetic, values, round_no, when, two_respondents):
    answers = {**synthetic.profile_answers(), **item_answers(questionnaire, synthetic, values)}
    roles = [("owner", answers)]
    if two_respondents:
        roles.append(("production", disagreeing_answers(rng, questionnaire, answers, count=rng.choice((1, 2)))))
    for role, role_answers in roles:
        row = assessments.create_assessment(db, questionnaire, firm_id=firm["id"], round_no=round_no,
                                            respondent_role=role)
        _complete(db, questionnaire, row, role_answers, when)


def _mark_actions_done(db, rng, library, questionnaire, cohort_firms):
    """Some firms have done one to three of the roadmap's first steps."""
    done = 0
    for record, _synthetic in cohort_firms:
        if rng.random() >= ACTIONS_DONE_CHANCE:
            continue
        roadmap = firm_picture(db, library, questionnaire, record).roadmap
        for step in roadmap.steps[:rng.randint(1, 3)]:
            firms.set_action_status(db, record["id"], step.action.id, "done")
            done += 1
    return done


ROLE_NAMES = {"admin": "admin", "facilitator": "facilitator", "programme_manager": "programme manager"}


def summary_lines(report, database, password_source=None):
    """What `smartstep demo` prints: what was made, and how to log in."""
    lines = [
        f"Demo data written to {database} (seed {report.seed}).",
        f"  organisation: {report.org_name}",
        f"  workshop:     \"{report.workshop['title']}\" ({report.workshop['held_on']}, "
        f"{report.workshop['status']}, {report.participants} participants, all completed)",
        f"  cohort:       \"{report.cohort['name']}\" ({report.cohort_firms} firms, rounds T0 and T1; "
        f"{len(report.two_respondent_firms)} firms with two respondents; {report.actions_done} roadmap actions done)",
        "Staff accounts (after `make run`, log in at http://127.0.0.1:5000/staff/login):",
    ]
    width = max(len(email) for _role, email, _pw in report.accounts)
    for role, email, password in report.accounts:
        shown = password if password is not None else f"(the password in {password_source})"
        lines.append(f"  {ROLE_NAMES[role]:<18} {email:<{width}}  {shown}")
    return lines
