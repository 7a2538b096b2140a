"""Unmet requests (SPEC §3): every survey request is either assigned or listed once in unmet.csv,
with a valid reason; the first three reasons, which depend on the scenario only, are verified.

Codes: ``unmet_missing``, ``unmet_duplicate``, ``unmet_assigned``, ``unmet_reason``,
``request_unknown``.

Static reasons, in order: ``no_offer`` (no venue of any provider offers the module),
``out_of_reach`` (no offering venue within the request's travel limit), ``window`` (no allowed
start month fits the availability window). When offers for the module exist but none of their
providers has a venue in the offer's territory, both ``no_offer`` and ``out_of_reach`` are
accepted (SPEC's "no provider offers the module" can be read either way). The other reasons
depend on the whole plan; the checker only verifies that no static reason holds before them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.checker.index import PlanIndex
from planner.checker.read import ASSIGNMENTS, UNMET, UnmetRecord
from planner.checker.report import Violation
from planner.domain import Request, Scenario, Venue
from planner.domain.months import format_month

REASONS = ("no_offer", "out_of_reach", "window", "below_min_fill", "budget", "own_funds", "capacity", "conflict")
STATIC = REASONS[:3]


def offering_venues(sc: Scenario) -> dict[str, list[Venue]]:
    """Per module, the venues whose provider offers it in the venue's territory."""
    out: dict[str, list[Venue]] = defaultdict(list)
    for v in sc.venues:
        for o in sc.offers:
            if o.provider_id == v.provider_id and o.territory_id == v.territory_id:
                out[o.module_code].append(v)
    return out


def static_reasons(sc: Scenario, request: Request, venues_by_module: dict[str, list[Venue]]) -> list[str]:
    """The static reasons that hold for a request, in SPEC order (empty: none holds)."""
    venues = venues_by_module.get(request.module_code, [])
    limit = sc.max_travel_min(request)
    reachable = [v for v in venues if (leg := sc.legs.get((request.member_id, v.id))) is not None
                 and leg.minutes <= limit]
    span = sc.module[request.module_code].months
    fits = [s for s in sc.start_months(request.module_code)
            if s >= request.available_from and s + span - 1 <= request.available_to]
    out = []
    if not venues:
        out.append("no_offer")
    if not reachable:
        out.append("out_of_reach")
    if not fits:
        out.append("window")
    return out


def _acceptable(sc: Scenario, request: Request, holds: list[str]) -> set[str]:
    """Reasons the unmet row may give: the first static one, or any later one when none holds."""
    if not holds:
        return set(REASONS[3:])
    first = {holds[0]}
    if holds[0] == "no_offer" and any(o.module_code == request.module_code for o in sc.offers):
        first.add("out_of_reach")  # offers exist but no venue: both readings accepted
    return first


def check(ix: PlanIndex) -> list[Violation]:
    plan = ix.plan
    if not plan.readable(UNMET):
        return []
    out: list[Violation] = []
    listed: dict[tuple[str, str, str], list[UnmetRecord]] = defaultdict(list)
    venues = offering_venues(ix.scenario)
    for r in plan.unmet:
        out += _row(ix, r, venues)
        if r.request_key in ix.requests:
            listed[r.request_key].append(r)
    if not plan.intact(ASSIGNMENTS):
        return out  # which requests are assigned is not known for sure
    assigned = Counter(r.request_key for r in plan.assignments)
    for key, request in ix.requests.items():
        rows, who = listed.get(key, []), f"trainee {key[1]!r} of member {key[0]!r} for module {key[2]!r}"
        if assigned[key] and rows:
            out.append(Violation("unmet_assigned", f"the request of {who} is assigned but also listed in {UNMET} "
                                 f"(row {rows[0].row})", member_id=key[0], file=UNMET, row=rows[0].row))
        elif not assigned[key] and not rows:
            out.append(Violation("unmet_missing", f"the request of {who} is neither assigned nor listed in {UNMET}",
                                 member_id=key[0]))
        elif len(rows) > 1:
            out.append(Violation("unmet_duplicate", f"the request of {who} is listed {len(rows)} times in {UNMET} "
                                 f"(rows {', '.join(str(r.row) for r in rows)})", member_id=key[0], file=UNMET,
                                 row=rows[1].row))
    return out


def _row(ix: PlanIndex, r: UnmetRecord, venues: dict[str, list[Venue]]) -> list[Violation]:
    def v(rule: str, message: str) -> Violation:
        return Violation(rule, f"{UNMET} row {r.row}: {message}", member_id=r.member_id or None, file=UNMET, row=r.row)

    request = ix.requests.get(r.request_key)
    if request is None:
        return [v("request_unknown", f"trainee {r.trainee_ref!r} of member {r.member_id!r} for module "
                                     f"{r.module_code!r} is not a survey request")]
    if r.reason not in REASONS:
        return [v("unmet_reason", f"reason {r.reason!r} is not one of {', '.join(REASONS)}")]
    holds = static_reasons(ix.scenario, request, venues)
    acceptable = _acceptable(ix.scenario, request, holds)
    if r.reason in acceptable:
        return []
    if holds:
        why = {
            "no_offer": f"no venue offers module {request.module_code!r}",
            "out_of_reach": f"no offering venue is within {ix.scenario.max_travel_min(request)} min of member "
                            f"{request.member_id!r}",
            "window": f"no allowed start month fits {format_month(request.available_from)}.."
                      f"{format_month(request.available_to)}",
        }[holds[0]]
        expected = " or ".join(sorted(acceptable))
        return [v("unmet_reason", f"reason is {r.reason!r} but {why}, so the reason is {expected}")]
    return [v("unmet_reason", f"reason is {r.reason!r} but it does not hold: module {request.module_code!r} is "
                              f"offered within reach and some start month fits the availability window")]
