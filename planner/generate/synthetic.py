"""Synthetic scenarios of any size, for tests and benchmarks.

Each département gets four territories around a random centre in France, members of every
kind with their own survey (about 22 requests each), five providers and the funding model of
:mod:`planner.generate.funding` with territorial lines per département. Only
``random.Random(seed)`` is used: same arguments, byte-identical files.
"""

from __future__ import annotations

import random
from pathlib import Path

from planner.generate import summary
from planner.generate.catalogue import (
    BUILDING,
    CARE,
    COMMON_SECTORS,
    FAMILIES,
    GENERAL,
    GREEN,
    KEY,
    KEY_DIGITAL,
    LOGISTICS,
    MODULES,
    RARE_SECTORS,
    family_modules,
)
from planner.generate.config import HORIZON, scenario_config
from planner.generate.funding import OPCA_ID, Area, funding_tables, line_funders
from planner.generate.providers import Place, ProviderSpec, provider_tables
from planner.generate.survey import MemberSpec, ModuleChooser, Pick, survey_rows
from planner.generate.writer import write_scenario
from planner.domain.months import parse_month

KINDS = ("AI", "ACI", "EI", "ETTI", "EITI", "SAP")
KIND_WEIGHTS = (25, 58, 7, 6, 2, 2)
FAMILY_WEIGHTS = (77, 21, 2)  # short, key skills, qualifying: about 20,000/20,000/3,000 h
REQUESTS_PER_MEMBER = (18, 26)
AI_WAGE_EUR_PER_HOUR = 11.0
ENVELOPE_SHARE = 0.85  # envelopes cover this share of what the survey asks (mid shares)
UNCAPPED_LINES = ("region-ingenierie", "region-mobilite")

# Territory centres around the département's centre (degrees of latitude, longitude).
TERRITORY_OFFSETS = ((0.18, -0.25), (0.18, 0.25), (-0.18, -0.25), (-0.18, 0.25))
MEMBER_SPREAD = (0.08, 0.11)


def generate_scenario(out: Path, departments: int, members_per_department: int, seed: int) -> Path:
    """Write a synthetic scenario folder and return its path."""
    if departments < 1 or members_per_department < 1:
        raise ValueError("departments and members_per_department must be at least 1")
    rng = random.Random(seed)
    width = max(2, len(str(departments)))
    territories: list[dict[str, object]] = []
    areas: list[Area] = []
    members: list[MemberSpec] = []
    providers: list[ProviderSpec] = []
    for d in range(1, departments + 1):
        dep = f"d{d:0{width}d}"
        places, rural = _territories(rng, dep)
        territories += [
            {"territory_id": p.territory_id, "name": f"Département {d}, territoire {k}", "rural": r}
            for k, (p, r) in enumerate(zip(places, rural), start=1)
        ]
        areas.append(Area(dep, f"Département {d}", tuple(p.territory_id for p in places)))
        members += _members(rng, dep, places, rural, members_per_department)
        providers += _providers(rng, dep, places, rural)
    horizon = (parse_month(HORIZON[0]), parse_month(HORIZON[1]))
    tables = {
        "territories": territories,
        "members": [m.row() for m in members],
        "modules": [m.row() for m in MODULES],
        **provider_tables(providers),
        "survey": survey_rows(rng, members, _picks(rng, members), horizon),
    }
    scenario_id = f"synthetic-d{departments}-m{members_per_department}-s{seed}"
    title = f"Synthetic: {departments} département(s) × {members_per_department} members (seed {seed})"
    config = scenario_config(scenario_id, title, funding_tables(areas, _envelopes(tables, areas)))
    readme = (
        f"# {scenario_id}\n\n{title}. Written by `planner.generate.synthetic`.\n\n"
        + summary.survey_markdown(tables)
    )
    return write_scenario(out, config, tables, readme, header=title)


def _territories(rng: random.Random, dep: str) -> tuple[list[Place], list[bool]]:
    lat, lon = rng.uniform(43.5, 49.5), rng.uniform(-0.5, 6.5)
    places = [
        Place(f"Ville {k}", f"{dep}-t{k}", round(lat + dlat, 4), round(lon + dlon, 4))
        for k, (dlat, dlon) in enumerate(TERRITORY_OFFSETS, start=1)
    ]
    rural = [False] + [rng.random() < 0.5 for _ in places[1:]]  # the first one holds the city
    return places, rural


def _members(
    rng: random.Random, dep: str, places: list[Place], rural: list[bool], count: int
) -> list[MemberSpec]:
    members = []
    weights = [1.0 if r else 2.0 for r in rural]
    for k in range(1, count + 1):
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        i = rng.choices(range(len(places)), weights=weights)[0]
        place, is_rural = places[i], rural[i]
        sectors = tuple(rng.sample(COMMON_SECTORS, rng.randint(1, 2)))
        if kind == "AI" and "proprete" not in sectors:
            sectors += ("proprete",)
        if rng.random() < 0.03:
            sectors += (rng.choice(RARE_SECTORS),)
        ai = kind == "AI"
        adheres = ai or (kind == "ACI" and rng.random() < 0.8) or rng.random() < 0.5
        members.append(
            MemberSpec(
                id=f"{dep}-m{k:03d}",
                name=f"Structure {kind} {dep.upper()}-{k:03d}",
                kind=kind,
                territory_id=place.territory_id,
                commune=f"Commune {dep.upper()}-{k:03d}",
                lat=round(rng.gauss(place.lat, MEMBER_SPREAD[0]), 4),
                lon=round(rng.gauss(place.lon, MEMBER_SPREAD[1]), 4),
                sectors=sectors,
                size=round(rng.uniform(0.5, 2.0 if ai else 1.2), 2),
                opca=OPCA_ID if adheres else None,
                own_funds_eur=100 * rng.randint(30, 90) if ai else 100 * rng.randint(3, 15),
                release_cap=rng.randint(2, 3) if rng.random() < 0.2 else None,
                max_travel_min=60 if is_rural and rng.random() < 0.3 else None,
                wage_eur_per_hour=AI_WAGE_EUR_PER_HOUR if ai else None,
            )
        )
    return members


def _providers(
    rng: random.Random, dep: str, places: list[Place], rural: list[bool]
) -> list[ProviderSpec]:
    """Five providers: key skills everywhere, two generalists, green trades, logistics."""
    tids = [p.territory_id for p in places]
    halves = (tids[:2], tids[2:]) if rng.random() < 0.5 else (tids[::2], tids[1::2])
    general = GENERAL + CARE + ("BAT-PEINTURE", "TRI-REEMPLOI", "TP-AGENT-PROPRETE")
    specs = [
        ("p1", "Savoirs de base", tids, {
            t: KEY + (() if r else KEY_DIGITAL) for t, r in zip(tids, rural)
        }, rng.randint(4, 8)),
        ("p2", "Formation et insertion", list(halves[0]), {
            t: general + ("TP-ASSISTANT-VIE-FAMILLE",) for t in halves[0]
        }, rng.randint(3, 5)),
        ("p3", "Centre de formation", list(halves[1]), {t: general for t in halves[1]}, None),
        ("p4", "Paysage et nature", tids[:3], {
            t: GREEN + (("TP-OUVRIER-PAYSAGISTE",) if i == 0 else ()) for i, t in enumerate(tids[:3])
        }, rng.randint(2, 4)),
        ("p5", "Logistique et bâtiment", [tids[0], tids[3]], {
            tids[0]: LOGISTICS + BUILDING + ("SOUDURE-ARC",)
            + (("TP-AGENT-MAGASINIER",) if rng.random() < 0.3 else ()),
            tids[3]: LOGISTICS + BUILDING,
        }, 2),
    ]
    by_id = {p.territory_id: p for p in places}
    providers = []
    for suffix, label, venue_tids, offers, parallel in specs:
        venues = tuple(_venue(rng, by_id[t]) for t in venue_tids)
        providers.append(
            ProviderSpec(f"{dep}-{suffix}", f"{label} {dep.upper()}", venues, offers, parallel)
        )
    return providers


def _venue(rng: random.Random, territory: Place) -> Place:
    return Place(
        territory.commune,
        territory.territory_id,
        round(territory.lat + rng.uniform(-0.03, 0.03), 4),
        round(territory.lon + rng.uniform(-0.04, 0.04), 4),
    )


def _picks(rng: random.Random, members: list[MemberSpec]) -> list[Pick]:
    """About 22 requests per member, family first, then a module of the member's sectors."""
    choosers = [ModuleChooser(family_modules(f)) for f in FAMILIES]
    picks: list[Pick] = []
    for member in members:
        for _ in range(rng.randint(*REQUESTS_PER_MEMBER)):
            chooser = rng.choices(choosers, weights=FAMILY_WEIGHTS)[0]
            module = chooser.choose(rng, member)
            if module is not None:
                picks.append((member, module))
    return picks


def _envelopes(tables: dict[str, list[dict[str, object]]], areas: list[Area]) -> dict[str, float | None]:
    """Envelopes at ENVELOPE_SHARE of the survey's ask at mid shares, in thousands of EUR."""
    lines = line_funders(areas)
    uncapped = {line: None for line in lines}
    config = scenario_config("sizing", "", funding_tables(areas, uncapped))
    demand = summary.line_demand(tables, config)
    envelopes: dict[str, float | None] = {}
    for line in lines:
        if line in UNCAPPED_LINES:
            envelopes[line] = None
        else:
            low, high = demand[line]
            envelopes[line] = max(1000, 1000 * round(ENVELOPE_SHARE * (low + high) / 2 / 1000))
    return envelopes
