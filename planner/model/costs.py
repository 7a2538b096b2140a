"""Per-trainee cost items in integer cents (SPEC §2.7), as the model sees them.

Engineering is shared between a session's members in proportion to their trainees, which
is not linear in the assignment; the model charges each trainee its upper bound
ceil(E / max(1, min_fill - external_seats_max)) (external seats take no share), so every
modelled plan stays feasible once the exact split is known.
"""

from __future__ import annotations

from planner.domain import CostItem, Leg, Member, Module, Scenario
from planner.model.candidates import Cell
from planner.units import div_ceil, div_round


def trainee_costs(scenario: Scenario, member: Member, module: Module, cell: Cell, leg: Leg) -> dict[CostItem, int]:
    costs = {CostItem.PEDAGOGY: div_round(module.minutes * scenario.rate_cents_per_hour(cell.offer), 60)}
    travel = scenario.travel
    if travel.allowance_centicents_per_km and leg.road_hm > travel.allowance_threshold_hm:
        costs[CostItem.TRAVEL] = div_round(2 * leg.road_hm * travel.allowance_centicents_per_km * scenario.days(module.code), 1000)
    if member.wage_cents_per_hour:
        costs[CostItem.WAGE] = div_round(module.minutes * member.wage_cents_per_hour, 60)
    if scenario.policy.engineering_cents_per_session:
        # external seats take no share of engineering: a session may hold as few as
        # min_fill - external_seats_max members' trainees (and at least one)
        fewest = max(1, cell.min_fill - scenario.policy.external_seats_max)
        costs[CostItem.ENGINEERING] = div_ceil(scenario.policy.engineering_cents_per_session, fewest)
    return {item: cents for item, cents in costs.items() if cents}
