"""Per-trainee cost items in integer cents (SPEC §2.7), as the model sees them.

Engineering is shared between a session's members in proportion to their trainees, which
is not linear in the assignment; the model charges each trainee its upper bound
ceil(E / max(1, min_fill - external_seats_max)) (external seats take no share), so every
modelled plan stays feasible once the exact split is known.

When one rule pays all engineering of every session (share 1, no filter, no OPCA access), the
split does not matter: the line pays E per session opened, exactly and linearly, and the model
uses that instead (:func:`whole_engineering_line`).
"""

from __future__ import annotations

from planner.domain import CostItem, Leg, Member, Module, Scenario
from planner.model.candidates import Cell
from planner.rules.costs import attendance_costs
from planner.domain.units import PPM, div_ceil


def trainee_costs(scenario: Scenario, member: Member, module: Module, cell: Cell, leg: Leg) -> dict[CostItem, int]:
    costs = attendance_costs(scenario, member, module, scenario.rate_cents_per_hour(cell.offer), leg.road_hm)
    if scenario.policy.engineering_cents_per_session and whole_engineering_line(scenario) is None:
        # external seats take no share of engineering: a session may hold as few as
        # min_fill - external_seats_max members' trainees (and at least one)
        fewest = max(1, cell.min_fill - scenario.policy.external_seats_max)
        costs[CostItem.ENGINEERING] = div_ceil(scenario.policy.engineering_cents_per_session, fewest)
    return {item: cents for item, cents in costs.items() if cents}


def whole_engineering_line(scenario: Scenario) -> str | None:
    """The budget line that pays all engineering of every session, if a single rule says so."""
    rules = [r for r in scenario.rules if r.cost_item == CostItem.ENGINEERING]
    if not scenario.policy.engineering_cents_per_session or len(rules) != 1:
        return None
    rule = rules[0]
    funder = scenario.funder[scenario.budget_line[rule.line_id].funder_id]
    whole = rule.fixed and rule.share_min_ppm == PPM and not (rule.families or rule.member_kinds or rule.territories)
    return rule.line_id if whole and not funder.opca else None
