"""Write a plan folder (SPEC §3) atomically: it appears whole, or not at all.

Files are written into a temporary sibling folder, then swapped in with renames, so an
existing plan is never half-overwritten and a crash leaves the old plan in place.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.domain import OWN, Scenario
from planner.domain.months import format_month
from planner.domain.plan import Plan

SCHEMA_VERSION = 1

SESSION_COLUMNS = ("session_id", "module_code", "family", "provider_id", "venue_id", "territory_id", "start_month",
                   "end_month", "hours", "trainees", "external_seats", "start_date", "end_date")
ASSIGNMENT_COLUMNS = ("session_id", "member_id", "trainee_ref", "module_code", "travel_min", "road_km")
FUNDING_COLUMNS = ("session_id", "member_id", "funder_id", "line_id", "cost_item", "amount_eur")
# cause was added within schema_version 1: an optional column, readers ignore columns they do not know
UNMET_COLUMNS = ("member_id", "trainee_ref", "module_code", "reason", "detail", "cause")


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def _eur(cents: int) -> str:
    return f"{cents / 100:.2f}"


def plan_tables(scenario: Scenario, plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """The four CSV tables of SPEC §3 as lists of rows."""
    sessions, assignments = [], []
    for s in plan.sessions:
        module = scenario.module[s.module_code]
        venue = scenario.venue[s.venue_id]
        dates = plan.meeting_days.get(s.id, [])
        sessions.append({
            "session_id": s.id, "module_code": s.module_code, "family": module.family.value,
            "provider_id": s.provider_id, "venue_id": s.venue_id, "territory_id": venue.territory_id,
            "start_month": format_month(s.start_month), "end_month": format_month(s.end_month),
            "hours": _hours(module.minutes), "trainees": len(s.requests), "external_seats": s.external_seats,
            "start_date": dates[0] if dates else "", "end_date": dates[-1] if dates else "",
        })
        for r in s.requests:
            request = scenario.requests[r]
            leg = scenario.legs[(request.member_id, s.venue_id)]
            assignments.append({
                "session_id": s.id, "member_id": request.member_id, "trainee_ref": request.trainee_ref,
                "module_code": request.module_code, "travel_min": leg.minutes, "road_km": f"{leg.road_hm / 10:.1f}",
            })
    funding = [
        {"session_id": f.session_id, "member_id": f.member_id, "funder_id": f.funder_id, "line_id": f.line_id,
         "cost_item": f.cost_item, "amount_eur": _eur(f.amount_cents)}
        for f in plan.funding
    ]
    unmet = []
    for u in plan.unmet:
        request = scenario.requests[u.request]
        unmet.append({"member_id": request.member_id, "trainee_ref": request.trainee_ref,
                      "module_code": request.module_code, "reason": u.reason, "detail": u.detail, "cause": u.cause})
    return {"sessions": sessions, "assignments": assignments, "funding": funding, "unmet": unmet}


def plan_document(scenario: Scenario, plan: Plan, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """plan.json: the whole plan in one document."""
    from planner.plans.kpis import served_value

    public_by_funder: Counter[str] = Counter()
    for f in plan.funding:
        if f.line_id != OWN:
            public_by_funder[f.funder_id] += f.amount_cents
    hours_by_family: Counter[str] = Counter()
    requested_by_family: Counter[str] = Counter()
    for s in plan.sessions:
        module = scenario.module[s.module_code]
        hours_by_family[module.family.value] += module.minutes * len(s.requests) / 60
    for r in scenario.requests:
        module = scenario.module[r.module_code]
        requested_by_family[module.family.value] += module.minutes / 60
    assigned = {r for s in plan.sessions for r in s.requests}
    rural_requests = [r for r in scenario.requests if scenario.territory[scenario.member[r.member_id].territory_id].rural]
    rural_served = [r for r in rural_requests if r.index in assigned]
    kpis = {
        "requests": len(scenario.requests),
        "requests_served": len(assigned),
        "trainees_served": len({scenario.requests[r].trainee for r in assigned}),
        "sessions": len(plan.sessions),
        "trainee_hours_by_family": dict(sorted(hours_by_family.items())),
        "requested_hours_by_family": dict(sorted(requested_by_family.items())),
        "public_eur_by_funder": {k: round(v / 100, 2) for k, v in sorted(public_by_funder.items())},
        "public_eur": round(sum(public_by_funder.values()) / 100, 2),
        "own_funds_eur": round(sum(f.amount_cents for f in plan.funding if f.line_id == OWN) / 100, 2),
        "rural_requests": len(rural_requests),
        "rural_requests_served": len(rural_served),
        # trainees of members in rural territories, and their served hours: what rural rules are for
        "rural_trainees": len({r.trainee for r in rural_requests}),
        "rural_trainees_served": len({r.trainee for r in rural_served}),
        "rural_trainee_hours": round(sum(scenario.module[r.module_code].minutes for r in rural_served) / 60, 2),
        "served_value_requested": sum(served_value(scenario, r.index) for r in scenario.requests),
        "unmet_by_reason": dict(sorted(Counter(u.reason for u in plan.unmet).items())),
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario_id": plan.scenario_id,
        "scenario_hash": plan.scenario_hash,
        "solver": plan.solver,
        "solver_version": plan.solver_version,
        "status": plan.status.value,
        "solve_seconds": round(plan.solve_seconds, 3),
        "stages": [
            {"name": s.name, "value": s.value, "bound": s.bound, "gap": s.gap, "proven": s.proven}
            for s in plan.stages
        ],
        "kpis": kpis,
        "near_misses": plan.near_misses,
        "sessions": [{**row, "hours": float(row["hours"])} for row in tables["sessions"]],
        "assignments": [{**row, "road_km": float(row["road_km"])} for row in tables["assignments"]],
        "funding": [{**row, "amount_eur": float(row["amount_eur"])} for row in tables["funding"]],
        "unmet": tables["unmet"],
        "meeting_days": plan.meeting_days,
    }


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_plan(scenario: Scenario, plan: Plan, out: str | Path, verify: Callable[[Path], None] | None = None) -> Path:
    """Write the plan folder atomically; an existing folder is replaced only once the new one is whole.

    ``verify`` runs on the complete new folder before it replaces anything; if it raises,
    nothing is written.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tables = plan_tables(scenario, plan)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _write_csv(tmp / "sessions.csv", SESSION_COLUMNS, tables["sessions"])
        _write_csv(tmp / "assignments.csv", ASSIGNMENT_COLUMNS, tables["assignments"])
        _write_csv(tmp / "funding.csv", FUNDING_COLUMNS, tables["funding"])
        _write_csv(tmp / "unmet.csv", UNMET_COLUMNS, tables["unmet"])
        document = plan_document(scenario, plan, tables)
        (tmp / "plan.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        for f in tmp.iterdir():
            with f.open("rb") as fh:
                os.fsync(fh.fileno())
        if verify is not None:
            verify(tmp)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _swap_in(new: Path, out: Path) -> None:
    """Rename ``new`` to ``out``, moving any old plan aside first and removing it after."""
    if not out.exists():
        os.replace(new, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)  # put the previous plan back
        raise
    shutil.rmtree(old, ignore_errors=True)
