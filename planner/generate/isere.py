"""The Isère reference scenario, modelled on Fiche 6 of the seed guide (Territoires Insertion 38).

47 fictional members (12 AI, 30 ACI, 4 ETTI, 1 SAP) in real communes of the four territories
of the network's call for projects, fictional providers, the shared catalogue, the funding
model of :mod:`planner.generate.funding`, and a seeded survey sized like the 2011 plan
(about 20,000 h of short modules, 20,000 h of key skills, 3,000 h of qualifying courses).
Every assumption is listed in :data:`ASSUMPTIONS`, copied into the scenario's README.
"""

from __future__ import annotations

import csv
import random
from importlib import resources
from pathlib import Path

from planner.domain import Family
from planner.generate import summary
from planner.generate.catalogue import (
    BUILDING,
    CARE,
    GENERAL,
    GREEN,
    KEY,
    KEY_DIGITAL,
    LOGISTICS,
    MODULE,
    MODULES,
    family_modules,
)
from planner.generate.config import HORIZON, scenario_config
from planner.generate.funding import OPCA_ID, Area, funding_tables
from planner.generate.providers import Place, ProviderSpec, provider_tables
from planner.generate.survey import MemberSpec, Pick, draw_by_hours, survey_rows
from planner.generate.writer import write_scenario
from planner.domain.months import parse_month

SCENARIO_ID = "isere-2012"
TITLE = "Territoires Insertion 38 : plan de formation mutualisé 2012 (référence)"
RURAL6_ID = "isere-2012-rural6"
RURAL6_TITLE = "Territoires Insertion 38 : plan de formation mutualisé 2012, sessions dès 6 en territoire rural"

# Requested hours per family (Fiche 6, 2011): the survey is drawn up to these totals.
TARGET_HOURS = {Family.SHORT: 20_000, Family.KEY_SKILLS: 20_000, Family.QUALIFYING: 3_000}

# territory id, name (as in isere_communes.csv), rural
TERRITORIES: tuple[tuple[str, str, bool], ...] = (
    ("bg", "Bassin Grenoblois", False),
    ("cisg", "Centre Isère – Sud Grésivaudan", True),
    ("irbv", "Isère Rhodanienne – Bièvre Valloire", True),
    ("ni", "Nord Isère", False),
)

AI_WAGE_EUR_PER_HOUR = 11.0  # SMIC 2012 (9.22 EUR gross) plus employer charges after reductions

# id, name, kind, commune, sectors, size, own funds EUR, adheres to AGEFOS, release cap, max travel
_M = tuple[str, str, str, str, tuple[str, ...], float, float, bool, int | None, int | None]
MEMBERS: tuple[_M, ...] = (
    ("ai01", "Emploi Services Grenoble Alpes", "AI", "Grenoble", ("proprete", "services_personne"), 2.0, 12000, True, None, None),
    ("ai02", "Solidarité Emploi Sud Agglo", "AI", "Échirolles", ("proprete", "espaces_verts", "logistique"), 1.6, 10000, True, None, None),
    ("ai03", "Le Relais Grésivaudan", "AI", "Crolles", ("proprete", "espaces_verts"), 1.2, 8000, True, None, None),
    ("ai04", "Matheysine Trièves Services", "AI", "La Mure", ("proprete", "services_personne", "espaces_verts"), 0.9, 5000, True, 3, 60),
    ("ai05", "Oisans Coup de Main", "AI", "Le Bourg-d'Oisans", ("proprete", "services_personne"), 0.6, 3500, True, 2, 60),
    ("ai06", "Pays Voironnais Emploi Partagé", "AI", "Voiron", ("proprete", "logistique", "services_personne"), 1.4, 8500, True, None, None),
    ("ai07", "Sud Grésivaudan Services", "AI", "Saint-Marcellin", ("proprete", "espaces_verts"), 1.0, 6000, True, None, 60),
    ("ai08", "Rhodanienne Emploi Services", "AI", "Vienne", ("proprete", "logistique"), 1.4, 8500, True, None, None),
    ("ai09", "Bièvre Entraide Emploi", "AI", "La Côte-Saint-André", ("proprete", "services_personne", "espaces_verts"), 0.9, 5000, True, 3, 60),
    ("ai10", "Nord-Isère Emploi Solidaire", "AI", "Bourgoin-Jallieu", ("proprete", "logistique"), 1.6, 10000, True, None, None),
    ("ai11", "Porte des Alpes Services", "AI", "Villefontaine", ("proprete", "logistique", "espaces_verts"), 1.2, 8000, True, None, None),
    ("ai12", "Balcons du Dauphiné Emploi", "AI", "Morestel", ("proprete", "services_personne"), 0.8, 4500, True, 3, None),
    ("aci01", "Jardins de la Solidarité", "ACI", "Grenoble", ("maraichage", "commerce"), 1.0, 1200, True, None, None),
    ("aci02", "Chantier Bâtir Ensemble", "ACI", "Saint-Martin-d'Hères", ("batiment",), 1.0, 1200, True, None, None),
    ("aci03", "Recyclerie de l'Agglo", "ACI", "Fontaine", ("recyclage", "logistique", "commerce"), 1.1, 1500, True, None, None),
    ("aci04", "Restaurant Solidaire La Marmite", "ACI", "Grenoble", ("restauration", "commerce"), 0.8, 1000, True, None, None),
    ("aci05", "Vert Chantier du Drac", "ACI", "Seyssinet-Pariset", ("espaces_verts",), 1.0, 1200, True, None, None),
    ("aci06", "Ressourcerie du Vizillois", "ACI", "Vizille", ("recyclage", "commerce"), 0.7, 800, True, None, None),
    ("aci07", "Chantier Nature Belledonne", "ACI", "Allevard", ("espaces_verts", "batiment"), 0.6, 500, False, 2, 60),
    ("aci08", "Jardins du Trièves", "ACI", "Mens", ("maraichage", "espaces_verts"), 0.5, 400, False, 2, 60),
    ("aci09", "Chantier Vercors Patrimoine", "ACI", "Villard-de-Lans", ("batiment", "espaces_verts"), 0.5, 500, True, 2, 60),
    ("aci10", "Régie de Quartier d'Échirolles", "ACI", "Échirolles", ("proprete", "batiment"), 1.0, 1200, True, None, None),
    ("aci11", "Matheysine Environnement", "ACI", "La Mure", ("espaces_verts", "recyclage"), 0.7, 700, True, None, 60),
    ("aci12", "Jardins du Voironnais", "ACI", "Voiron", ("maraichage", "commerce"), 0.9, 1000, True, None, None),
    ("aci13", "Chantier Rives Patrimoine", "ACI", "Rives", ("batiment", "espaces_verts"), 0.8, 900, True, None, None),
    ("aci14", "Ressourcerie du Voironnais", "ACI", "Moirans", ("recyclage", "logistique"), 1.0, 1200, True, None, None),
    ("aci15", "Chartreuse Nature Emploi", "ACI", "Saint-Laurent-du-Pont", ("espaces_verts",), 0.6, 500, False, 2, None),
    ("aci16", "Cuisine Solidaire Sud Grésivaudan", "ACI", "Saint-Marcellin", ("restauration", "commerce"), 0.7, 800, True, None, None),
    ("aci17", "Jardins du Royans", "ACI", "Pont-en-Royans", ("maraichage", "espaces_verts"), 0.5, 400, False, 2, 60),
    ("aci18", "Chantier Vinay Environnement", "ACI", "Vinay", ("espaces_verts", "batiment"), 0.7, 800, True, None, None),
    ("aci19", "Chantier Viennois du Bâtiment", "ACI", "Vienne", ("batiment",), 0.9, 1000, True, None, None),
    ("aci20", "Recyclerie Rhodanienne", "ACI", "Roussillon", ("recyclage", "logistique", "commerce"), 0.9, 1000, True, None, None),
    ("aci21", "Jardins de Bièvre", "ACI", "La Côte-Saint-André", ("maraichage",), 0.6, 600, True, None, 60),
    ("aci22", "Forêts et Rivières de Chambaran", "ACI", "Roybon", ("espaces_verts",), 0.5, 400, False, 2, 60),
    ("aci23", "Épicerie et Cuisine Solidaires", "ACI", "Beaurepaire", ("restauration", "commerce"), 0.6, 600, True, None, None),
    ("aci24", "Vert Rhône Chantier", "ACI", "Salaise-sur-Sanne", ("espaces_verts", "proprete"), 0.8, 900, True, None, None),
    ("aci25", "Chantier Bâtiment Nord-Isère", "ACI", "Bourgoin-Jallieu", ("batiment",), 0.9, 1000, True, None, None),
    ("aci26", "Jardins de l'Isle", "ACI", "L'Isle-d'Abeau", ("maraichage", "commerce"), 0.8, 900, True, None, None),
    ("aci27", "Ressourcerie Porte des Alpes", "ACI", "Villefontaine", ("recyclage", "logistique"), 1.0, 1200, True, None, None),
    ("aci28", "Nature et Patrimoine des Terres Froides", "ACI", "La Tour-du-Pin", ("espaces_verts", "batiment"), 0.7, 800, True, None, None),
    ("aci29", "Chantier Vallée du Guiers", "ACI", "Le Pont-de-Beauvoisin", ("espaces_verts",), 0.5, 400, False, 2, None),
    ("aci30", "Chantier Patrimoine de l'Isle Crémieu", "ACI", "Crémieu", ("batiment", "espaces_verts"), 0.6, 600, True, None, None),
    ("etti01", "Intérim Insertion Grenoble", "ETTI", "Saint-Égrève", ("logistique", "batiment"), 1.0, 1500, False, None, None),
    ("etti02", "Tremplin Intérim Voironnais", "ETTI", "Voiron", ("logistique", "proprete"), 0.8, 1200, False, None, None),
    ("etti03", "Vienne Intérim Solidaire", "ETTI", "Pont-Évêque", ("logistique", "batiment"), 0.8, 1200, False, None, None),
    ("etti04", "Nord-Isère Intérim Avenir", "ETTI", "Saint-Quentin-Fallavier", ("logistique",), 1.0, 1500, False, None, None),
    ("sap01", "Domicile Solidaire Grésivaudan", "SAP", "Meylan", ("services_personne", "proprete"), 0.7, 600, True, None, None),
)

# Requests added by hand: a rare short module, and a qualifying course nobody offers.
RARE_REQUESTS: tuple[tuple[str, str, int], ...] = (
    ("aci30", "SOUDURE-ARC", 2),
    ("etti04", "TP-AGENT-MAGASINIER", 1),
)

# Qualifying courses are set up for a group gathered by the network in one territory (Fiche 6:
# ~3,000 h a year), not requested here and there: module, territory of the members, trainees.
QUALIFYING_COHORTS: tuple[tuple[str, str, int], ...] = (
    ("TP-AGENT-PROPRETE", "bg", 8),
    ("TP-AGENT-PROPRETE", "irbv", 6),
    ("TP-OUVRIER-PAYSAGISTE", "bg", 7),
)

# id, name, max parallel sessions, venue communes, offers per territory, rates per territory
_P = tuple[str, str, int | None, tuple[str, ...], dict[str, tuple[str, ...]], dict[str, float]]
PROVIDERS: tuple[_P, ...] = (
    ("alfi", "Alpes Formation Insertion", 5, ("Grenoble", "Voiron", "Saint-Marcellin"), {
        "bg": GENERAL + CARE + BUILDING + ("TP-AGENT-PROPRETE", "TP-ASSISTANT-VIE-FAMILLE"),
        "cisg": GENERAL + CARE + ("BAT-PEINTURE",),
    }, {}),
    ("savoirs", "Savoirs de Base Isère", 8, (
        "Grenoble", "La Mure", "Voiron", "Saint-Marcellin", "Vienne", "La Côte-Saint-André",
        "Bourgoin-Jallieu", "Morestel",
    ), {
        "bg": KEY + KEY_DIGITAL, "cisg": KEY, "irbv": KEY, "ni": KEY + KEY_DIGITAL,
    }, {}),
    ("logi", "Logistique Formation Rhône-Alpes", 2, ("Échirolles", "Salaise-sur-Sanne", "Saint-Quentin-Fallavier"), {
        "bg": LOGISTICS + ("TRI-REEMPLOI",),
        "irbv": LOGISTICS,
        "ni": LOGISTICS,
    }, {}),
    ("verdure", "Verdure et Paysage Formation", 3, ("Sassenage", "Tullins"), {
        "bg": GREEN + ("TP-OUVRIER-PAYSAGISTE",),
        "cisg": GREEN + ("TRI-REEMPLOI", "TP-OUVRIER-PAYSAGISTE"),
    }, {}),
    ("rhoda", "Centre de Formation Rhodanien", 4, ("Vienne", "Beaurepaire"), {
        "irbv": GENERAL + CARE + GREEN[:2] + ("BAT-PEINTURE", "TRI-REEMPLOI", "TP-AGENT-PROPRETE"),
    }, {"irbv": 15.0}),
    ("nife", "Nord-Isère Formation Emploi", 5, ("Bourgoin-Jallieu", "La Tour-du-Pin"), {
        "ni": GENERAL + CARE + GREEN + BUILDING
        + ("TRI-REEMPLOI", "SOUDURE-ARC", "TP-AGENT-PROPRETE", "TP-ASSISTANT-VIE-FAMILLE"),
    }, {}),
)

# EUR per budget line (None: no cap). See the README for how they compare with the survey.
ENVELOPES: dict[str, float | None] = {
    "agefos-short": 112_000,
    "agefos-ai": 90_000,  # the AI drawing rights of the seed
    "agefos-qualif": 43_300,  # qualifying: 130,000 EUR in thirds (seed)
    "region-ai": 50_000,
    "region-ctef-bg": 17_000,
    "region-ctef-cisg": 10_000,
    "region-ctef-irbv": 9_000,
    "region-ctef-ni": 9_500,
    "region-ingenierie": 35_000,
    "region-mobilite": 30_000,
    "etat-cc": 120_000,
    "fpspp-cc": 120_000,
    "adec-qualif": 43_300,
    "ut-bg": 16_600,  # the last third split by number of members per territory
    "ut-cisg": 9_200,
    "ut-irbv": 8_300,
    "ut-ni": 9_300,
}


def load_communes() -> dict[str, Place]:
    """Communes of ``planner/data/isere_communes.csv`` (copied from shared/data), by name."""
    names = {name: tid for tid, name, _ in TERRITORIES}
    text = resources.files("planner").joinpath("data/isere_communes.csv").read_text(encoding="utf-8")
    return {
        row["commune"]: Place(row["commune"], names[row["territory"]], float(row["lat"]), float(row["lon"]))
        for row in csv.DictReader(text.splitlines())
    }


def isere_members(communes: dict[str, Place]) -> list[MemberSpec]:
    """The 47 members, each in the territory of its commune."""
    members = []
    for mid, name, kind, commune, sectors, size, funds, adheres, cap, travel in MEMBERS:
        place = communes[commune]
        members.append(
            MemberSpec(
                id=mid, name=name, kind=kind, territory_id=place.territory_id, commune=commune,
                lat=place.lat, lon=place.lon, sectors=sectors, size=size,
                opca=OPCA_ID if adheres else None, own_funds_eur=funds, release_cap=cap,
                max_travel_min=travel, wage_eur_per_hour=AI_WAGE_EUR_PER_HOUR if kind == "AI" else None,
            )
        )
    return members


def isere_providers(communes: dict[str, Place]) -> list[ProviderSpec]:
    """The providers selected by the call for projects, with their venues and offers."""
    return [
        ProviderSpec(pid, name, tuple(communes[c] for c in venues), offers, parallel, rates)
        for pid, name, parallel, venues, offers, rates in PROVIDERS
    ]


def draw_isere_survey(rng: random.Random, members: list[MemberSpec]) -> list[dict[str, object]]:
    """Seeded survey: common modules drawn up to the family targets, plus the rare requests."""
    by_id = {m.id: m for m in members}
    rare: list[Pick] = [(by_id[mid], MODULE[code]) for mid, code, n in RARE_REQUESTS for _ in range(n)]
    picks = list(rare)
    for family, target in TARGET_HOURS.items():
        if family == Family.QUALIFYING:
            picks += _cohorts(rng, members)
            continue
        already = sum(module.hours for _, module in rare if module.family == family)
        common = [m for m in family_modules(family) if not m.rare]
        picks += draw_by_hours(rng, members, common, target - already)
    horizon = (parse_month(HORIZON[0]), parse_month(HORIZON[1]))
    return survey_rows(rng, members, picks, horizon)


def _cohorts(rng: random.Random, members: list[MemberSpec]) -> list[Pick]:
    """The qualifying groups: trainees drawn among the territory's members, by member size."""
    picks: list[Pick] = []
    for code, territory, size in QUALIFYING_COHORTS:
        local = [m for m in members if m.territory_id == territory]
        picks += [(m, MODULE[code]) for m in rng.choices(local, weights=[m.size for m in local], k=size)]
    return picks


def isere_tables(
    seed: int = 2012, rural_min_fill: int | None = None
) -> dict[str, list[dict[str, object]]]:
    """Every CSV table of the scenario."""
    communes = load_communes()
    members = isere_members(communes)
    return {
        "territories": [
            {"territory_id": tid, "name": name, "rural": rural,
             "min_fill": rural_min_fill if rural else None}
            for tid, name, rural in TERRITORIES
        ],
        "members": [m.row() for m in members],
        "modules": [m.row() for m in MODULES],
        **provider_tables(isere_providers(communes)),
        "survey": draw_isere_survey(random.Random(seed), members),
    }


def isere_config(scenario_id: str = SCENARIO_ID, title: str = TITLE) -> dict[str, object]:
    """scenario.toml: default policy, travel and objective, funding with one area per territory."""
    areas = [Area(tid, name, (tid,)) for tid, name, _ in TERRITORIES]
    return scenario_config(scenario_id, title, funding_tables(areas, ENVELOPES))


def build_isere(
    out: Path,
    seed: int = 2012,
    rural_min_fill: int | None = None,
    scenario_id: str = SCENARIO_ID,
    title: str = TITLE,
) -> Path:
    """Write the Isère scenario folder; ``rural_min_fill`` sets ``min_fill`` of rural territories."""
    tables = isere_tables(seed, rural_min_fill)
    config = isere_config(scenario_id, title)
    readme = _readme(scenario_id, title, seed, rural_min_fill, tables, config)
    header = f"{title}\nGenerated by planner.generate.isere (seed {seed}); assumptions in README.md."
    return write_scenario(out, config, tables, readme, header=header)


def build_isere_rural6(out: Path, seed: int = 2012) -> Path:
    """The variant where sessions in rural territories open from six trainees (the seed's ask)."""
    return build_isere(out, seed, rural_min_fill=6, scenario_id=RURAL6_ID, title=RURAL6_TITLE)


INTRO = """\
Reference scenario modelled on Fiche 6 of the 2012 FNARS guide (`shared/seed`, "Mutualisation
des plans de formation", Territoires Insertion 38): the pooled 2012 training plan of a network
of 47 insertion employers in Isère. Written by `planner.generate.isere` (survey seed {seed});
`python scenarios/build.py` regenerates it byte for byte. Members and providers are invented
(any likeness to a real structure is chance); communes and their approximate coordinates are
real (`shared/data/isere_communes.csv`).
"""

FROM_SEED = """\
## Taken from the seed
- 47 members: 12 AI, 30 ACI, 4 ETTI and 1 SAP association, on the four territories of the
  network's call for projects.
- Three families of modules: short professionalisation modules of 17 to 35 h (logistics, green
  spaces, catering, communication, till, building, cleaning, ...), key-skills modules of 100 h,
  qualifying courses; the 107 h cleaning course of Fiche 7 (`TP-AGENT-PROPRETE`).
- 14 EUR per trainee-hour; the survey asks about as much as was trained in 2011: 20,000 h of
  short modules, 20,000 h of key skills, 3,000 h of qualifying courses.
- AGEFOS PME is the OPCA, with a 150 EUR access fee for structures that do not adhere. Short
  modules: AGEFOS 70 %, the Région's CTEF 30 %. AI: AGEFOS drawing rights of 90,000 EUR, and
  the Région pays part of the pedagogy and the training engineering. Key skills: State and
  FPSPP. Qualifying courses: 130,000 EUR, one third AGEFOS (FPSPP funds), one third the ADEC,
  the rest the territorial units.
- Training happens on working time: AI trainees are paid while training.
"""

ASSUMPTIONS = """\
## Assumptions (not in the seed)

### Territories and geography
- `rural = true` for Centre Isère – Sud Grésivaudan and Isère Rhodanienne – Bièvre Valloire
  (most of their communes are rural); false for Bassin Grenoblois and Nord Isère. Bassin
  Grenoblois nevertheless holds remote rural places (Trièves, Matheysine, Oisans, Vercors,
  Belledonne): territory-level rules such as the `rural6` variant do not reach them.
- Travel is computed (no travel.csv): great-circle km × 1.3 at 50 km/h; 45 minutes one way
  at most, 60 minutes for 11 members of remote places whose trainees are used to longer trips.

### Policy
- Sessions open from 8 trainees (the seed says the network *asks* for sessions from six, so
  they need more today) and hold 12. Horizon January–December 2012, August closed.
- No seats for employees of ordinary companies (`external_seats_max = 0`): the seed lists them
  as a perspective; a variant can open them.
- Engineering: 280 EUR per session opened (convening, follow-up, paperwork), paid in full by
  the Région (`region-ingenierie`); the seed states it for the AI, extended here to the plan.
- Travel allowance: 0.25 EUR per km for trainees living more than 20 km from the venue (all
  km paid, both ways, each day), paid in full by a Région mobility fund (`region-mobilite`):
  the seed asks to fund the travel of the farthest trainees. When the fund is spent, far
  trainees cannot be placed. To model 2012 without it, set `allowance_eur_per_km = 0`.
- Objective: served hours weighted 3/2/1 by priority, then public cost, then travel time.

### Catalogue and providers
- 18 short modules, 4 key-skills modules (100 h over 3 or 4 months) and 4 qualifying courses
  (107 to 280 h over 3 to 5 months), with ROME codes where one fits.
- Qualifying courses cost 35 EUR per trainee-hour (certification, exams, individual
  follow-up: the seed's 130,000 EUR for about 3,000 h is about 43 EUR per hour), open from 5
  trainees and hold 10 (module values, which take precedence over territories).
- Six providers selected per territory (2 to 4 each; the key-skills provider in all four),
  with venues in real communes. Gaps on purpose: no logistics offer in Centre Isère (its
  members rely on the Échirolles venue, 37 to 49 minutes away, at the edge of their
  limit); the digital
  key-skills module only in Bassin Grenoblois and Nord Isère; green-space modules only
  around Grenoble, Tullins, Vienne/Beaurepaire and Nord Isère; the rare welding module
  (`SOUDURE-ARC`, 2 requests) only in Nord Isère; `TP-AGENT-MAGASINIER` (1 request) nowhere.
- The Rhodanien centre charges 15 EUR per hour in its rural territory (the network asks for a
  slightly higher rate there); `max_parallel_sessions` 2 to 8 (2 for the forklift trainer).

### Members
- Sizes: AI send the most trainees (they employ many people part-time); small rural ACI few.
- All AI and 24 ACI adhere to AGEFOS PME. Six small ACI do not, nor do the 4 ETTI (temporary
  work agencies belong to another OPCA, outside this plan): they can pay the 150 EUR fee.
- Own funds: AI 3,500 to 12,000 EUR (they pay the wages that AGEFOS's drawing rights do not),
  ACI 400 to 1,500 EUR, ETTI 1,200 to 1,500 EUR, SAP 600 EUR.
- AI trainees cost their AI 11 EUR per hour of training (SMIC 2012, 9.22 EUR gross, plus
  employer charges after reductions). The CUI-CAE wages of ACI, included in the seed's
  850,000 EUR, are paid whether the employee trains or works and are covered by the State's
  contract aid: not a plan decision, so not modelled.
- Eleven small structures release at most 2 or 3 trainees in the same month.

### Funding rules (shares of a cost item; a range lets the optimiser choose the split)

| line | pays | for | share |
|---|---|---|---|
| agefos-short | short-module pedagogy | ACI, EI, EITI, ETTI, SAP with AGEFOS access | 70 % |
| region-ctef-<territory> | short-module pedagogy | same kinds, of that territory | 30 % |
| agefos-ai | short-module pedagogy / wages | AI | 0–70 % / 0–100 % |
| region-ai | short-module pedagogy | AI | 30–60 % |
| etat-cc, fpspp-cc | key-skills pedagogy | all | 40–60 % each (split not in the seed) |
| agefos-qualif, adec-qualif | qualifying pedagogy | all (AGEFOS: with access) | 30–40 % each |
| ut-<territory> | qualifying pedagogy | members of that territory | 20–40 % |
| region-ingenierie | engineering | all | 100 % |
| region-mobilite | travel allowances | all | 100 % |

- Envelopes (table below) are sized so that the budget binds somewhat: short-module lines at
  about 85 % of what the survey asks, key skills at 86 %, AI at about 85 % of AI costs with
  their own funds; qualifying keeps the seed's 130,000 EUR (thirds of 43,300 EUR; the
  territorial units' third split by number of members per territory). Envelopes and own funds
  together are close to the seed's 850,000 EUR plan.
- The seed's "the Région pays close to 40 % of the plan" is not reproduced: with key skills
  paid by the State and the FPSPP and qualifying courses in thirds, the Région's lines here
  hold about a fifth of the envelopes.

### Survey (seeded draw)
- Requests come from members in proportion to their size; each asks for a module of its
  worksites' sectors (12 times likelier than another sector's; transversal modules 3 times);
  among key skills, reading and writing is the most asked, then French as a foreign language,
  numeracy, digital.
- Short modules and key skills are drawn until their requested hours reach the target above;
  the rare welding and warehouse requests are added by hand.
- Qualifying courses are asked by groups the network gathers in one territory, as the seed
  describes: 8 trainees of the Bassin Grenoblois and 6 of Isère Rhodanienne for the 107 h
  cleaning course, 7 of the Bassin Grenoblois for the 175 h landscaping course (2,723 h, plus
  the 280 h warehouse course nobody offers: 3,003 h). Drawn among the territory's members by
  size, they meet the same windows, travel limits and funding rules as everyone.
- Availability: 55 % of trainees all year, 20 % from a later month (hired during the year),
  20 % until an earlier month (contract ending), 5 % both; a window is never shorter than the
  modules asked (plus a month between two modules).
- About a fifth of the trainees ask for two modules (same window). Priorities 1/2/3 for 30,
  50 and 20 % of requests (qualifying courses: 70 % priority 1). 3 % of trainees have their
  own travel limit (30 minutes without a car, or 60 with one).
"""

RURAL6_NOTE = """\
## This variant
Identical to `isere-2012` (same survey, seed {seed}) except that the two rural territories
carry `min_fill = {min_fill}` in `territories.csv`: sessions held at their venues open from
{min_fill} trainees instead of 8, as the network asks "above all in very rural territories".
Qualifying courses keep their own `min_fill` of 5.
"""


def _readme(
    scenario_id: str, title: str, seed: int, rural_min_fill: int | None,
    tables: dict[str, list[dict[str, object]]], config: dict[str, object],
) -> str:
    parts = [f"# {scenario_id}\n\n{title}\n", INTRO.format(seed=seed)]
    if rural_min_fill is not None:
        parts.append(RURAL6_NOTE.format(seed=seed, min_fill=rural_min_fill))
    parts += [FROM_SEED, ASSUMPTIONS, summary.markdown(tables, config)]
    return "\n".join(parts)
