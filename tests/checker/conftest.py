"""A tiny scenario built in Python and a valid plan for it, worked out by hand.

Scenario (horizon 2012-01..12, August closed; min_fill 2, max_size 3, 14 EUR/h, 7 h/day,
45 min, 1 session per trainee-month, 1 external seat, engineering 100 EUR per session;
travel allowance 0.325 EUR/km above 10 km):

* members M1 (ACI, T1, adheres to OPCO ``opco``, own funds 800 EUR, release cap 2,
  wage 10 EUR/h) and M2 (AI, T2, no OPCO, own funds 500 EUR);
* modules SHORT1 (short, 21 h = 3 days), SHORT2 (short, 14 h = 2 days), KS (key skills, 100 h,
  2 months, not offered);
* provider P1 (1 session at a time) with venues V1 (T1) and V2 (T2); provider P2 with V3 (T1);
  offers P1/SHORT1 in T1 and T2, P1/SHORT2 in T1;
* legs: M1→V1 20 min 15 km, M2→V1 40 min 8 km (below the allowance threshold), M1→V2 60 min;
* lines ``opco-short`` (70 % of short pedagogy, envelope 1,100 EUR) and ``region-main``
  (30 % of short pedagogy, 0–100 % of travel, 50 % of engineering, envelope 620 EUR);
  the OPCO's access fee is 150 EUR.

Plan: S1 = SHORT1 at V1 in March with M1/t1, M1/t2, M2/u1, meeting 5-7 March 2012; S2 = SHORT2
at V1 in May with M1/t1, M1/t3, M2/u1, meeting 2-3 May 2012. Unmet: M1/t1/KS (no_offer), M2/u2/SHORT1 (window: only August),
M2/u3/SHORT2 (out_of_reach: 30 min limit). M2 pays the OPCO access fee.

Costs per trainee: pedagogy 21 h × 14 = 294.00 (S1), 14 h × 14 = 196.00 (S2); M1 travel
2 × 15 km × 0.325 × 3 days = 29.25 (S1), × 2 days = 19.50 (S2); M1 wage 210.00 (S1), 140.00 (S2).
Engineering 100 EUR per session: M1 (2 trainees) div_round(100 × 2 / 3) = 66.67, M2 the rest 33.33.
Totals: opco-short 1,029.00, region-main 610.02 → public cost 1,639.02 EUR; M1 own 795.16, M2 own
183.32. Served = (3 + 2 + 2) × 21 + (1 + 2 + 2) × 14 = 217; travel = 480 + 320 = 800 min.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
from pathlib import Path

import pytest
import scenario_factory as factory
from scenario_factory import module, request, rule

from planner.checker.read import COLUMNS
from planner.domain import (
    BudgetLine,
    CostItem,
    Family,
    Funder,
    Leg,
    Member,
    MemberKind,
    Offer,
    Policy,
    Provider,
    Scenario,
    Territory,
    TravelPolicy,
    Venue,
)
from planner.domain.months import parse_month

M = parse_month


def base_scenario() -> Scenario:
    members = (
        Member("M1", "Chantier One", MemberKind.ACI, "T1", "Vienne", 45.5, 4.9, opca="opco",
               own_funds_cents=80_000, release_cap=2, wage_cents_per_hour=1_000),
        Member("M2", "Asso Two", MemberKind.AI, "T2", "Grenoble", 45.2, 5.7, own_funds_cents=50_000),
    )
    venues = (
        Venue("V1", "P1", "Centre 1", "T1", "Vienne", 45.5, 4.9),
        Venue("V2", "P1", "Centre 2", "T2", "Grenoble", 45.2, 5.7),
        Venue("V3", "P2", "Centre 3", "T1", "Vienne", 45.5, 4.9),
    )
    legs = {
        ("M1", "V1"): Leg(20, 150), ("M1", "V2"): Leg(60, 400), ("M1", "V3"): Leg(25, 160),
        ("M2", "V1"): Leg(40, 80), ("M2", "V2"): Leg(10, 50), ("M2", "V3"): Leg(50, 300),
    }
    return factory.scenario(
        id="tiny",
        title="Tiny checker scenario",
        closed_months=frozenset({M("2012-08")}),
        policy=Policy(min_fill=2, max_size=3, rate_cents_per_hour=1_400, hours_per_day=7, max_travel_min=45,
                      max_sessions_per_trainee_per_month=1, external_seats_max=1,
                      engineering_cents_per_session=10_000),
        travel=TravelPolicy(allowance_centicents_per_km=3_250, allowance_threshold_hm=100),
        funders=(Funder("opco", "OPCO", opca=True, access_fee_cents=15_000), Funder("region", "Région")),
        budget_lines=(BudgetLine("opco-short", "opco", 110_000), BudgetLine("region-main", "region", 62_000)),
        rules=(
            rule(0, "opco-short", CostItem.PEDAGOGY, 0.70, families=frozenset({Family.SHORT})),
            rule(1, "region-main", CostItem.PEDAGOGY, 0.30, families=frozenset({Family.SHORT})),
            rule(2, "region-main", CostItem.TRAVEL, 0.0, 1.0),
            rule(3, "region-main", CostItem.ENGINEERING, 0.50),
        ),
        territories=(Territory("T1", "Rural", True), Territory("T2", "Town", False)),
        members=members,
        modules=(
            module("SHORT1", 21, title="Short one"),
            module("SHORT2", 14, title="Short two"),
            module("KS", 100, Family.KEY_SKILLS, title="Key skills", months=2),
        ),
        providers=(Provider("P1", "Provider one", max_parallel_sessions=1), Provider("P2", "Provider two")),
        venues=venues,
        offers=(Offer("P1", "SHORT1", "T1"), Offer("P1", "SHORT1", "T2"), Offer("P1", "SHORT2", "T1")),
        requests=(
            request(0, "M1", "t1", "SHORT1", priority=1),
            request(1, "M1", "t2", "SHORT1"),
            request(2, "M2", "u1", "SHORT1", last="2012-10"),
            request(3, "M1", "t1", "KS"),
            request(4, "M2", "u2", "SHORT1", first="2012-08", last="2012-08"),
            request(5, "M1", "t1", "SHORT2", priority=3),
            request(6, "M1", "t3", "SHORT2"),
            request(7, "M2", "u1", "SHORT2"),
            request(8, "M2", "u3", "SHORT2", priority=3, max_travel=30),
        ),
        legs=legs,
    )


def make_scenario(**changes) -> Scenario:
    """The base scenario with some top-level fields replaced (rules=..., policy=...)."""
    return dataclasses.replace(base_scenario(), **changes)


def _session(sid, module, hours, month, start_date="", end_date="", trainees="3"):
    return {"session_id": sid, "module_code": module, "family": "short", "provider_id": "P1", "venue_id": "V1",
            "territory_id": "T1", "start_month": month, "end_month": month, "hours": hours, "trainees": trainees,
            "external_seats": "0", "start_date": start_date, "end_date": end_date}


def _assign(sid, member, trainee, module):
    minutes, km = {"M1": ("20", "15.0"), "M2": ("40", "8.0")}[member]
    return {"session_id": sid, "member_id": member, "trainee_ref": trainee, "module_code": module,
            "travel_min": minutes, "road_km": km}


def _fund(sid, member, line, item, amount):
    funder = {"opco-short": "opco", "region-main": "region", "own": member}[line]
    return {"session_id": sid, "member_id": member, "funder_id": funder, "line_id": line, "cost_item": item,
            "amount_eur": amount}


VALID_TABLES = {
    "sessions.csv": [
        _session("S1", "SHORT1", "21", "2012-03", "2012-03-05", "2012-03-07"),
        _session("S2", "SHORT2", "14", "2012-05", "2012-05-02", "2012-05-03"),
    ],
    "assignments.csv": [
        _assign("S1", "M1", "t1", "SHORT1"),
        _assign("S1", "M1", "t2", "SHORT1"),
        _assign("S1", "M2", "u1", "SHORT1"),
        _assign("S2", "M1", "t1", "SHORT2"),
        _assign("S2", "M1", "t3", "SHORT2"),
        _assign("S2", "M2", "u1", "SHORT2"),
    ],
    "funding.csv": [
        _fund("S1", "M1", "opco-short", "pedagogy", "411.60"),
        _fund("S1", "M1", "region-main", "pedagogy", "176.40"),
        _fund("S1", "M1", "region-main", "travel", "30.00"),
        _fund("S1", "M1", "own", "travel", "28.50"),
        _fund("S1", "M1", "own", "wage", "420.00"),
        _fund("S1", "M1", "region-main", "engineering", "33.34"),
        _fund("S1", "M1", "own", "engineering", "33.33"),
        _fund("S1", "M2", "opco-short", "pedagogy", "205.80"),
        _fund("S1", "M2", "region-main", "pedagogy", "88.20"),
        _fund("S1", "M2", "region-main", "engineering", "16.67"),
        _fund("S1", "M2", "own", "engineering", "16.66"),
        _fund("S2", "M1", "opco-short", "pedagogy", "274.40"),
        _fund("S2", "M1", "region-main", "pedagogy", "117.60"),
        _fund("S2", "M1", "region-main", "travel", "39.00"),
        _fund("S2", "M1", "own", "wage", "280.00"),
        _fund("S2", "M1", "region-main", "engineering", "33.34"),
        _fund("S2", "M1", "own", "engineering", "33.33"),
        _fund("S2", "M2", "opco-short", "pedagogy", "137.20"),
        _fund("S2", "M2", "region-main", "pedagogy", "58.80"),
        _fund("S2", "M2", "region-main", "engineering", "16.67"),
        _fund("S2", "M2", "own", "engineering", "16.66"),
        _fund("", "M2", "own", "access_fee:opco", "150.00"),
    ],
    "unmet.csv": [
        {"member_id": "M1", "trainee_ref": "t1", "module_code": "KS", "reason": "no_offer",
         "detail": "an offer of KS in a territory within reach would unlock it"},
        {"member_id": "M2", "trainee_ref": "u2", "module_code": "SHORT1", "reason": "window",
         "detail": "availability in a month other than August would unlock it"},
        {"member_id": "M2", "trainee_ref": "u3", "module_code": "SHORT2", "reason": "out_of_reach",
         "detail": "a travel limit of 40 min would unlock it"},
    ],
}

VALID_META = {
    "schema_version": 1,
    "scenario_id": "tiny",
    "status": "optimal",
    "stages": [
        {"name": "served", "value": 217, "bound": 217, "gap": 0.0, "proven": True},
        {"name": "public_cost", "value": 1639.02, "bound": 1639.02, "gap": 0.0, "proven": True},
        {"name": "travel", "value": 800, "bound": 800, "gap": 0.0, "proven": True},
    ],
    "meeting_days": {
        "S1": ["2012-03-05", "2012-03-06", "2012-03-07"],  # Mon-Wed, 3 × 7 h = 21 h
        "S2": ["2012-05-02", "2012-05-03"],  # Wed-Thu (Tue 1 May is a public holiday), 2 × 7 h = 14 h
    },
}

EXPECTED_STAGES = {"served": 217.0, "public_cost": 1639.02, "travel": 800.0, "equity": 147 / 347, "sessions": 2.0}


def valid_plan() -> tuple[dict[str, list[dict[str, str]] | None], dict | str | None]:
    """Fresh copies of the valid plan's tables and plan.json document."""
    return copy.deepcopy(VALID_TABLES), copy.deepcopy(VALID_META)


def write_plan(folder: Path, tables: dict, meta: dict | str | None) -> Path:
    """Write tables (None: file left out) and plan.json (a str is written as is; None: left out)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if rows is None:
            continue
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS[name]))
            writer.writeheader()
            writer.writerows(rows)
    if isinstance(meta, str):
        (folder / "plan.json").write_text(meta, encoding="utf-8")
    elif meta is not None:
        (folder / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture
def scenario() -> Scenario:
    return base_scenario()


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    tables, meta = valid_plan()
    return write_plan(tmp_path / "plan", tables, meta)
