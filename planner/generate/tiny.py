"""A scenario small enough to solve by hand (see the README it writes)."""

from __future__ import annotations

from pathlib import Path

from planner.generate.config import scenario_config
from planner.generate.writer import write_scenario

SCENARIO_ID = "tiny"
TITLE = "Tiny: two territories, four members, two modules (solvable by hand)"

TERRITORIES = [
    {"territory_id": "ville", "name": "Agglomération", "rural": False},
    {"territory_id": "collines", "name": "Collines", "rural": True},
]


def _member(mid: str, name: str, kind: str, territory: str, commune: str, lat: float, lon: float,
            opca: str | None, own_funds: int, release_cap: int | None = None) -> dict[str, object]:
    return {"member_id": mid, "name": name, "kind": kind, "territory_id": territory, "commune": commune,
            "lat": lat, "lon": lon, "opca": opca, "own_funds_eur": own_funds, "release_cap": release_cap}


MEMBERS = [
    _member("m1", "Atelier de la Ville", "ACI", "ville", "Grenoble", 45.1885, 5.7245, "opca", 0),
    _member("m2", "Services de la Ville", "AI", "ville", "Échirolles", 45.1436, 5.7183, "opca", 0),
    _member("m3", "Jardins des Collines", "ACI", "collines", "Voiron", 45.3642, 5.5886, None, 200),
    _member("m4", "Chantier du Plateau", "ACI", "collines", "Tullins", 45.3008, 5.4864, "opca", 0, 1),
]
MODULES = [
    {"module_code": "EV-TAILLE", "title": "Espaces verts : taille des arbustes et des haies",
     "family": "short", "hours": 21, "months": 1},
    {"module_code": "CCLES-LIRE", "title": "Compétences clés : lire et écrire",
     "family": "key_skills", "hours": 100, "months": 2},
]
PROVIDERS = [
    {"provider_id": "pville", "name": "Formation de la Ville"},
    {"provider_id": "pcollines", "name": "Formation des Collines", "max_parallel_sessions": 1},
]
VENUES = [
    {"venue_id": "pville-grenoble", "provider_id": "pville", "name": "Formation de la Ville, Grenoble",
     "territory_id": "ville", "commune": "Grenoble", "lat": 45.1885, "lon": 5.7245},
    {"venue_id": "pcollines-voiron", "provider_id": "pcollines", "name": "Formation des Collines, Voiron",
     "territory_id": "collines", "commune": "Voiron", "lat": 45.3642, "lon": 5.5886},
    {"venue_id": "pcollines-tullins", "provider_id": "pcollines", "name": "Formation des Collines, Tullins",
     "territory_id": "collines", "commune": "Tullins", "lat": 45.3008, "lon": 5.4864},
]
OFFERS = [
    {"provider_id": "pville", "module_code": "EV-TAILLE", "territory_id": "ville"},
    {"provider_id": "pville", "module_code": "CCLES-LIRE", "territory_id": "ville"},
    {"provider_id": "pcollines", "module_code": "EV-TAILLE", "territory_id": "collines"},
]


def _ask(member: str, trainee: str, module: str, priority: int, **extra: object) -> dict[str, object]:
    return {"member_id": member, "trainee_ref": trainee, "module_code": module, "priority": priority, **extra}


SURVEY = [
    _ask("m1", "T1", "EV-TAILLE", 1),
    _ask("m1", "T1", "CCLES-LIRE", 1),
    _ask("m1", "T2", "EV-TAILLE", 2),
    _ask("m1", "T3", "EV-TAILLE", 2),
    _ask("m1", "T4", "CCLES-LIRE", 2),
    _ask("m2", "T1", "EV-TAILLE", 1),
    _ask("m2", "T2", "EV-TAILLE", 3),
    _ask("m2", "T3", "CCLES-LIRE", 1),
    _ask("m2", "T4", "CCLES-LIRE", 3, available_from="2012-06"),
    _ask("m3", "T1", "EV-TAILLE", 1),
    _ask("m3", "T2", "EV-TAILLE", 2),
    _ask("m3", "T3", "CCLES-LIRE", 2, max_travel_min=20),
    _ask("m4", "T1", "EV-TAILLE", 2),
    _ask("m4", "T2", "CCLES-LIRE", 3),
]

FUNDING = {
    "funders": [
        {"id": "opca", "name": "OPCA des petites structures", "opca": True, "access_fee_eur": 150},
        {"id": "region", "name": "Région"},
    ],
    "budget_lines": [
        {"id": "opca-court", "funder": "opca", "envelope_eur": 2000},
        {"id": "region-court", "funder": "region", "envelope_eur": 1000},
        {"id": "region-cc", "funder": "region", "envelope_eur": 5000},
    ],
    "rules": [
        {"line": "opca-court", "cost_item": "pedagogy", "families": ["short"], "share": 0.7},
        {"line": "region-court", "cost_item": "pedagogy", "families": ["short"], "share": 0.3},
        {"line": "region-cc", "cost_item": "pedagogy", "families": ["key_skills"], "share": 1.0},
    ],
}

README = """\
# tiny

A scenario small enough to solve by hand: two territories (Agglomération, and Collines which is
rural), four members, two modules, two providers with three venues, 14 requests, two funders.
Written by `planner.generate.tiny` (no randomness).

## Data
- Policy: sessions open from 3 trainees (`min_fill`), hold at most 6, 14 EUR per trainee-hour,
  45 minutes of travel at most, one session per trainee per month, horizon 2012-01..2012-06 with
  no closed month; no engineering cost and no travel allowance, so only pedagogy is paid.
- Members: `m1` ACI in Grenoble and `m2` AI in Échirolles (Agglomération), `m3` ACI in Voiron
  and `m4` ACI in Tullins (Collines). All adhere to the OPCA except `m3`, which has 200 EUR of own
  funds; `m4` may release one trainee per month (`release_cap = 1`).
- Modules: `EV-TAILLE` (short, 21 h, one month; 294 EUR per trainee) and `CCLES-LIRE`
  (key skills, 100 h over two months; 1,400 EUR per trainee).
- Offers: `pville` runs both modules at Grenoble; `pcollines` runs `EV-TAILLE` at Voiron and
  Tullins, one session at a time.
- Funding: short-module pedagogy is paid 70 % by the OPCA (`opca-court`, 2,000 EUR) and 30 % by
  the Région (`region-court`, 1,000 EUR); key skills 100 % by the Région (`region-cc`,
  5,000 EUR). The OPCA's rules need adherence or its 150 EUR access fee.
- Travel (great circle × 1.3 at 50 km/h): Échirolles–Grenoble about 8 min, Tullins–Voiron about
  17 min, Voiron–Grenoble and Tullins–Grenoble about 35 min.

## Expected plan
Three sessions:

| module | venue | trainees |
|---|---|---|
| EV-TAILLE | pville-grenoble | m1 T1, m1 T2, m1 T3, m2 T1, m2 T2 |
| EV-TAILLE | pcollines-voiron | m3 T1, m3 T2, m4 T1 |
| CCLES-LIRE | pville-grenoble | m1 T1, m1 T4, m2 T3 |

- All eight `EV-TAILLE` requests are served. Eight do not fit one session (`max_size = 6`), and
  of the placements that serve everyone the travel stage prefers Voiron for the Collines
  trainees (0 and 17 min) over Grenoble (35 min) or Tullins.
- `m3` pays the OPCA's 150 EUR access fee from its 200 EUR: otherwise it would have to pay the
  OPCA's 70 % (205.80 EUR per trainee) itself, which its funds cannot cover for two trainees.
- `m1 T1` takes both modules in different months (one session per trainee per month).
- Three `CCLES-LIRE` requests stay unmet:
  - `m3 T3`: `out_of_reach`, this trainee travels 20 minutes at most and the only venue
    (Grenoble) is 35 minutes away;
  - `m2 T4`: `window`, available from 2012-06 only, but the module needs two months;
  - `m4 T2`: lack of funding. `region-cc` pays 100 % of 1,400 EUR per trainee and holds
    5,000 EUR: three trainees at most (800 EUR would remain, and a fixed 100 % share leaves
    nothing that own funds could pay instead). The priority-3 request is the one left out.
- Stage values: served = 1,178 (EV-TAILLE: priority weights 3+2+2+3+1+3+2+2 = 18, times 21 h =
  378; CCLES-LIRE: 3+2+3 = 8, times 100 h = 800); public cost = 6,552.00 EUR (opca-court
  1,646.40, region-court 705.60, region-cc 4,200.00); own funds: the 150 EUR fee of `m3`.
- Start months are free among the months that respect the windows, the trainee and release
  limits: several optimal plans differ only by their months.
"""


def build_tiny(out: Path) -> Path:
    """Write the tiny scenario folder."""
    config = scenario_config(
        SCENARIO_ID,
        TITLE,
        FUNDING,
        horizon=("2012-01", "2012-06"),
        closed_months=(),
        policy={"min_fill": 3, "max_size": 6, "engineering_eur_per_session": 0.0},
        travel={"allowance_eur_per_km": 0.0, "allowance_threshold_km": 0},
    )
    tables = {
        "territories": TERRITORIES,
        "members": MEMBERS,
        "modules": MODULES,
        "providers": PROVIDERS,
        "venues": VENUES,
        "offers": OFFERS,
        "survey": SURVEY,
    }
    header = f"{TITLE}\nGenerated by planner.generate.tiny; see README.md."
    return write_scenario(out, config, tables, README, header=header)
