"""The cost of every assigned trainee (SPEC §2.7), in integer cents, recomputed from the scenario.

Per assigned trainee, with ``minutes`` the module length and ``days = scenario.days(module)``:

* pedagogy    = div_round(minutes × rate, 60), rate = ``scenario.rate_cents_per_hour(offer)``
  (offer → module → policy; a session without an offer falls back to module → policy);
* travel      = div_round(2 × road_hm × allowance_centicents_per_km × days, 1000) when the one-way
  ``road_hm`` exceeds ``allowance_threshold_hm``, else 0 (hectometres /10 → km, centicents /100
  → cents);
* wage        = div_round(minutes × wage_cents_per_hour, 60) when the member has a wage.

Engineering (``policy.engineering_cents_per_session``) is a cost of the session, split between
its members in proportion to their trainees by largest remainder: each member gets
floor(eng × n_member / n_total), and the cents left go one each to the members with the largest
remainders (ties: smaller member_id), so the shares add up to ``eng`` exactly and each is its
exact share rounded down or up.

A *group* is (session_id, member_id, cost_item): the funding rows of a group pay its cost, which
is the sum over the member's trainees in that session (or the member's engineering share).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.checker.index import LiveAssignment, LiveSession, PlanIndex
from planner.domain import CostItem, Offer, Scenario
from planner.domain.units import div_round

Group = tuple[str, str, str]  # (session_id, member_id, cost_item)


@dataclass
class GroupCost:
    cents: int = 0
    trainees: int = 0


def rate_cents_per_hour(scenario: Scenario, session: LiveSession) -> int:
    offer = session.offer or Offer(session.provider.id, session.module.code, session.venue.territory_id)
    return scenario.rate_cents_per_hour(offer)


def trainee_costs(ix: PlanIndex, a: LiveAssignment) -> dict[CostItem, int]:
    """Pedagogy, travel and wage of one assigned trainee (items with no cost are left out)."""
    sc, s = ix.scenario, a.session
    assert s is not None
    minutes = s.module.minutes
    out = {CostItem.PEDAGOGY: div_round(minutes * rate_cents_per_hour(sc, s), 60)}
    leg = ix.leg(a.member.id, s.venue.id)
    allowance = sc.travel.allowance_centicents_per_km
    if leg is not None and allowance and leg.road_hm > sc.travel.allowance_threshold_hm:
        out[CostItem.TRAVEL] = div_round(2 * leg.road_hm * allowance * sc.days(s.module.code), 10 * 100)
    if a.member.wage_cents_per_hour is not None:
        out[CostItem.WAGE] = div_round(minutes * a.member.wage_cents_per_hour, 60)
    return out


def engineering_split(total_cents: int, trainees_per_member: dict[str, int]) -> dict[str, int]:
    """Split a session's engineering cost in proportion to trainees by largest remainder: every
    member gets its exact share rounded down, and the cents left go one each to the largest
    remainders (ties: smaller member id), so the split sums to ``total_cents`` exactly."""
    members = [m for m, n in trainees_per_member.items() if n > 0]
    n_total = sum(trainees_per_member[m] for m in members)
    if not members or total_cents == 0:
        return {m: 0 for m in members}
    out: dict[str, int] = {}
    remainders: list[tuple[int, str]] = []
    for m in members:
        out[m], remainder = divmod(total_cents * trainees_per_member[m], n_total)
        remainders.append((-remainder, m))
    for _, m in sorted(remainders)[: total_cents - sum(out.values())]:
        out[m] += 1
    return out


def group_costs(ix: PlanIndex) -> dict[Group, GroupCost]:
    """Cost of every (session, member, cost item) of the live sessions, in cents."""
    out: dict[Group, GroupCost] = defaultdict(GroupCost)
    engineering = ix.scenario.policy.engineering_cents_per_session
    for sid, assignments in ix.by_session.items():
        per_member: dict[str, int] = defaultdict(int)
        for a in assignments:
            per_member[a.member.id] += 1
            for item, cents in trainee_costs(ix, a).items():
                g = out[(sid, a.member.id, item.value)]
                g.cents += cents
                g.trainees += 1
        for member, cents in engineering_split(engineering, per_member).items():
            g = out[(sid, member, CostItem.ENGINEERING.value)]
            g.cents += cents
            g.trainees += per_member[member]
    return dict(out)
