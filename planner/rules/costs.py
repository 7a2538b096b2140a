"""What trainees cost, per cost item, in integer cents (SPEC §2.7).

Shared by the diagnostics, the model, plan extraction and the greedy heuristic (the checker
keeps its own copy on purpose). :func:`attendance_costs` prices one trainee's attendance;
:func:`session_costs` adds the session's engineering, split between its members.

Engineering is shared between a session's members in proportion to their trainees, which
is not linear in the assignment; the model charges each trainee its upper bound
ceil(E / max(1, min_fill - external_seats_max)) (external seats take no share), so every
modelled plan stays feasible once the exact split is known (:func:`trainee_costs`).
When one rule pays all engineering of every session (share 1, no filter, no OPCA access), the
split does not matter: the line pays E per session opened, exactly and linearly, and the model
uses that instead (:func:`whole_engineering_line`).
"""

from __future__ import annotations

from collections import defaultdict

from planner.domain import CostItem, Leg, Member, Module, Offer, Scenario
from planner.domain.plan import PlannedSession
from planner.domain.units import PPM, div_ceil, div_round


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


def trainee_costs(scenario: Scenario, member: Member, module: Module, offer: Offer, min_fill: int,
                  leg: Leg) -> dict[CostItem, int]:
    """One trainee's costs as the model charges them in a session of ``offer`` opening from
    ``min_fill``: attendance, and engineering at its upper bound unless one line pays it whole."""
    costs = attendance_costs(scenario, member, module, scenario.rate_cents_per_hour(offer), leg.road_hm)
    if scenario.policy.engineering_cents_per_session and whole_engineering_line(scenario) is None:
        # external seats take no share of engineering: a session may hold as few as
        # min_fill - external_seats_max members' trainees (and at least one)
        fewest = max(1, min_fill - scenario.policy.external_seats_max)
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


def session_costs(scenario: Scenario, session: PlannedSession) -> dict[tuple[str, CostItem], int]:
    """Exact cost per (member, cost item) of one session, engineering split by trainees."""
    module = scenario.module[session.module_code]
    venue = scenario.venue[session.venue_id]
    offer = scenario.offer[(session.provider_id, module.code, venue.territory_id)]
    rate = scenario.rate_cents_per_hour(offer)
    out: dict[tuple[str, CostItem], int] = defaultdict(int)
    trainees_of: dict[str, int] = defaultdict(int)
    for r in session.requests:
        member = scenario.member[scenario.requests[r].member_id]
        trainees_of[member.id] += 1
        leg = scenario.legs[(member.id, venue.id)]
        for item, cents in attendance_costs(scenario, member, module, rate, leg.road_hm).items():
            out[(member.id, item)] += cents
    engineering = scenario.policy.engineering_cents_per_session
    if engineering and trainees_of:
        # largest remainder: each member pays its exact share rounded down or up, never more, so
        # the model's per-trainee bound ceil(E / min_fill) always holds
        total = sum(trainees_of.values())
        exact = {m: divmod(engineering * n, total) for m, n in trainees_of.items()}
        left = engineering - sum(q for q, _ in exact.values())
        for k, member_id in enumerate(sorted(exact, key=lambda m: (-exact[m][1], m))):
            out[(member_id, CostItem.ENGINEERING)] += exact[member_id][0] + (1 if k < left else 0)
    return {k: v for k, v in out.items() if v}
