"""Objective stages (SPEC §2.9): recompute every stage value and compare with plan.json.

Codes: ``stage_value``, ``stage_bound``, ``scenario_id``, ``file_format``.

Recomputed values (whatever the stages the scenario optimises):

* ``served``: Σ over assigned requests (each counted once) of priority weight × module hours,
  or × 1 when ``objective.served == "trainees"``;
* ``public_cost``: Σ of funding rows on budget lines of the scenario, in EUR (own funds and
  access fees excluded);
* ``travel``: Σ over assignment rows of live sessions of 2 × one-way minutes × days;
* ``equity``: min over territories with requests (by the member's territory) of served ÷
  requested, in the ``served`` unit; 1.0 when no territory has requests;
* ``sessions``: number of distinct session ids in sessions.csv.

Tolerance: 0.01 EUR for public_cost, 1e-6 relative (at least 1e-6 absolute) otherwise. A stage
whose input files lost rows while reading is not compared (its value would be wrong anyway).
For ``stage_bound`` the bound must not be worse than the value: ≥ it for maximised stages
(served, equity), ≤ it for minimised ones.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from planner.checker.index import PlanIndex
from planner.checker.read import ASSIGNMENTS, FUNDING, PLAN_JSON, SESSIONS
from planner.checker.report import Violation
from planner.domain import Request, Stage

MAXIMISED = {Stage.SERVED.value, Stage.EQUITY.value}
NEEDS = {
    Stage.SERVED.value: (ASSIGNMENTS,),
    Stage.PUBLIC_COST.value: (FUNDING,),
    Stage.TRAVEL.value: (ASSIGNMENTS, SESSIONS),
    Stage.EQUITY.value: (ASSIGNMENTS,),
    Stage.SESSIONS.value: (SESSIONS,),
}


def _served_value(ix: PlanIndex, request: Request) -> Fraction:
    weight = ix.scenario.priority_weight(request.priority)
    if ix.scenario.objective.served == "trainees":
        return Fraction(weight)
    return Fraction(weight * ix.scenario.module[request.module_code].minutes, 60)


def stage_values(ix: PlanIndex) -> dict[str, float]:
    """Every stage value of the plan, recomputed from its files and the scenario."""
    sc = ix.scenario
    assigned = {a.request.index: a.request for a in ix.assignments if a.request is not None}
    served = sum((_served_value(ix, r) for r in assigned.values()), Fraction(0))

    requested: dict[str, Fraction] = defaultdict(Fraction)
    got: dict[str, Fraction] = defaultdict(Fraction)
    for r in sc.requests:
        territory = sc.member[r.member_id].territory_id
        requested[territory] += _served_value(ix, r)
        if r.index in assigned:
            got[territory] += _served_value(ix, r)
    ratios = [got[t] / requested[t] for t in requested if requested[t] > 0]
    equity = min(ratios) if ratios else Fraction(1)

    public = sum(r.amount_cents for r in ix.plan.funding if r.line_id in sc.budget_line)
    travel = 0
    for a in ix.assignments:
        leg = ix.leg(a.member.id, a.session.venue.id) if a.session is not None else None
        if leg is not None:
            travel += 2 * leg.minutes * sc.days(a.session.module.code)
    sessions = len({r.session_id for r in ix.plan.sessions} | ix.plan.broken_sessions)
    return {
        Stage.SERVED.value: float(served),
        Stage.PUBLIC_COST.value: public / 100,
        Stage.TRAVEL.value: float(travel),
        Stage.EQUITY.value: float(equity),
        Stage.SESSIONS.value: float(sessions),
    }


def _close(name: str, a: float, b: float) -> bool:
    if name == Stage.PUBLIC_COST.value:
        return abs(a - b) <= 0.01 + 1e-9
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check_header(ix: PlanIndex) -> list[Violation]:
    """plan.json names the scenario it was solved for."""
    if not ix.plan.readable(PLAN_JSON):
        return []
    claimed = ix.plan.meta.get("scenario_id")
    if claimed != ix.scenario.id:
        return [Violation("scenario_id", f"{PLAN_JSON} is a plan for scenario {claimed!r}, "
                                         f"not for {ix.scenario.id!r}", file=PLAN_JSON)]
    return []


def check(ix: PlanIndex, values: dict[str, float]) -> list[Violation]:
    """Each reported stage value matches the recomputed one; bounds point the right way."""
    plan = ix.plan
    if not plan.readable(PLAN_JSON):
        return []
    out: list[Violation] = []
    all_live = len(ix.sessions) == len(plan.sessions)
    reported = {s.name: s for s in plan.stages}
    if PLAN_JSON not in plan.damaged:
        for stage in ix.scenario.objective.stages:
            if stage.value not in reported:
                out.append(Violation("stage_value", f"{PLAN_JSON} reports no value for stage {stage.value!r}, "
                                                    "one of the scenario's objective stages", file=PLAN_JSON))
    for name, s in reported.items():
        if name not in values:
            out.append(Violation("file_format", f"{PLAN_JSON} has an unknown stage {name!r}; stages are "
                                                f"{', '.join(values)}", file=PLAN_JSON))
            continue
        if s.bound is not None:
            worse = s.bound < s.value if name in MAXIMISED else s.bound > s.value
            if worse and not _close(name, s.bound, s.value):
                sense = "an upper" if name in MAXIMISED else "a lower"
                out.append(Violation("stage_bound", f"stage {name!r}: bound {s.bound:g} cannot be {sense} bound of "
                                                    f"the value {s.value:g}", file=PLAN_JSON))
        if not plan.intact(*NEEDS[name]) or (name == Stage.TRAVEL.value and not all_live):
            continue
        if not _close(name, s.value, values[name]):
            out.append(Violation("stage_value", f"stage {name!r}: {PLAN_JSON} says {s.value:g} but the plan's "
                                                f"files give {values[name]:g}", file=PLAN_JSON))
    return out
