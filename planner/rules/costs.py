"""What one trainee's attendance costs, per cost item, in integer cents (SPEC §2.7).

Shared by the diagnostics, the model and plan extraction (the checker keeps its own copy on
purpose). Engineering is per session and split elsewhere.
"""

from __future__ import annotations

from planner.domain import CostItem, Member, Module, Scenario
from planner.domain.units import div_round


def attendance_costs(scenario: Scenario, member: Member, module: Module, rate_cents_per_hour: int,
                     road_hm: int) -> dict[CostItem, int]:
    """Pedagogy, travel allowance (beyond the threshold) and wage of one trainee; zero items left out."""
    costs = {CostItem.PEDAGOGY: div_round(module.minutes * rate_cents_per_hour, 60)}
    travel = scenario.travel
    if travel.allowance_centicents_per_km and road_hm > travel.allowance_threshold_hm:
        # road_hm is in tenths of a km and the allowance in hundredths of a cent per km
        costs[CostItem.TRAVEL] = div_round(2 * road_hm * travel.allowance_centicents_per_km * scenario.days(module.code),
                                           1000)
    if member.wage_cents_per_hour:
        costs[CostItem.WAGE] = div_round(module.minutes * member.wage_cents_per_hour, 60)
    return {item: cents for item, cents in costs.items() if cents}
