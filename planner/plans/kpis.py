"""Stage values and headline figures recomputed from a plan (SPEC §2.9), whoever produced it."""

from __future__ import annotations

from collections import defaultdict

from planner.domain import OWN, Scenario, Stage
from planner.domain.plan import Plan


def served_value(scenario: Scenario, request_index: int) -> float:
    request = scenario.requests[request_index]
    unit = scenario.module[request.module_code].hours if scenario.objective.served == "hours" else 1
    return scenario.priority_weight(request.priority) * unit


def stage_values(scenario: Scenario, plan: Plan) -> dict[Stage, float]:
    assigned = [r for s in plan.sessions for r in s.requests]
    travel = 0
    for session in plan.sessions:
        days = scenario.days(session.module_code)
        for r in session.requests:
            travel += 2 * scenario.legs[(scenario.requests[r].member_id, session.venue_id)].minutes * days
    requested: dict[str, float] = defaultdict(float)
    served: dict[str, float] = defaultdict(float)
    for request in scenario.requests:
        requested[scenario.member[request.member_id].territory_id] += served_value(scenario, request.index)
    for r in assigned:
        served[scenario.member[scenario.requests[r].member_id].territory_id] += served_value(scenario, r)
    equity = min((served[t] / total for t, total in requested.items() if total > 0), default=1.0)
    return {
        Stage.SERVED: sum(served_value(scenario, r) for r in assigned),
        Stage.PUBLIC_COST: sum(row.amount_cents for row in plan.funding if row.line_id != OWN) / 100,
        Stage.TRAVEL: float(travel),
        Stage.EQUITY: equity,
        Stage.SESSIONS: float(len(plan.sessions)),
    }
