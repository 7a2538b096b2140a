"""Why each unmet request is unmet (SPEC §3 reasons, first that holds), and near-miss sessions.

Reasons that hold whatever the plan (no offer, out of reach, window) are read from the
scenario; the others look at the plan: whether an open session could have taken the
trainee, and which limit (trainee months, release cap, own funds, envelopes) stood in
the way; with no joinable session, the request lacked company to reach min_fill, unless every
venue within reach had its working days of the allowed months taken (capacity).
A capacity reason names its binding limit in ``cause``: ``release_cap``, ``max_size`` (the
joinable sessions are full), ``provider_parallel`` or ``venue_day`` (no further session can open).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from planner.domain import OWN, Request, Scenario
from planner.rules.meeting_days import month_shares, working_days
from planner.domain.months import format_month
from planner.domain.plan import FundingRow, PlannedSession, UnmetRequest
from planner.rules.reach import Reach


# reasons that hold whatever the plan: read from the scenario alone
STATIC_REASONS = ("no_offer", "out_of_reach", "window")


def _months(session: PlannedSession) -> range:
    return range(session.start_month, session.end_month + 1)


def explain_unmet(scenario: Scenario, sessions: list[PlannedSession], funding: list[FundingRow],
                  reach: Reach | None = None) -> list[UnmetRequest]:
    reach = reach or Reach(scenario)
    assigned = {r for s in sessions for r in s.requests}
    venue_days: dict[str, Counter[int]] = defaultdict(Counter)  # meeting days booked per venue and month
    for s in sessions:
        for m, share in zip(_months(s), month_shares(scenario.days(s.module_code), _months(s))):
            venue_days[s.venue_id][m] += share
    running: dict[str, Counter[int]] = defaultdict(Counter)  # sessions run per provider and month
    for s in sessions:
        running[s.provider_id].update(_months(s))
    busy: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    in_training: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s in sessions:
        for r in s.requests:
            request = scenario.requests[r]
            for m in _months(s):
                busy[request.trainee][m] += 1
                in_training[request.member_id][m].add(request.trainee_ref)
    own_spent: Counter[str] = Counter()
    line_spent: Counter[str] = Counter()
    for row in funding:
        if row.line_id == OWN:
            own_spent[row.member_id] += row.amount_cents
        else:
            line_spent[row.line_id] += row.amount_cents
    exhausted = [
        line.id for line in scenario.budget_lines
        if line.envelope_cents is not None and line.envelope_cents - line_spent[line.id] < 100_000
    ]
    unmet = []
    per_month = scenario.policy.max_sessions_per_trainee_per_month
    for request in scenario.requests:
        if request.index in assigned:
            continue
        module = scenario.module[request.module_code]
        sites = reach.sites(request)
        starts = reach.starts(request)
        cause = ""  # only a capacity reason names the limit it meets
        if not reach.sites_by_module.get(module.code):
            reason, detail = "no_offer", f"no provider offers {module.code}: an offer in a territory would open it"
        elif not sites:
            reason, detail = "out_of_reach", (
                f"no venue offering {module.code} within {scenario.max_travel_min(request)} min of "
                f"{scenario.member[request.member_id].commune}: a venue closer by, or a longer travel limit, would open it"
            )
        elif not starts:
            reason, detail = "window", (
                f"{module.code} lasts {module.months} month(s), which no allowed start fits in "
                f"{format_month(request.available_from)}..{format_month(request.available_to)}"
            )
        else:
            reason, detail, cause = _plan_reason(scenario, request, sessions, busy, in_training, own_spent, exhausted,
                                                 {site.venue.id for site, _ in sites}, set(starts), per_month,
                                                 venue_days, running)
        unmet.append(UnmetRequest(request.index, reason, detail, cause))
    return unmet


def _plan_reason(scenario: Scenario, request: Request, sessions: list[PlannedSession], busy, in_training,
                 own_spent: Counter[str], exhausted: list[str], venues: set[str], starts: set[int],
                 per_month: int, venue_days: dict[str, Counter[int]],
                 running: dict[str, Counter[int]]) -> tuple[str, str, str]:
    """(reason, detail, cause): cause names the binding limit of a ``capacity`` reason, else ""."""
    joinable = [
        s for s in sessions
        if s.module_code == request.module_code and s.venue_id in venues and s.start_month in starts
    ]
    open_seats = [s for s in joinable if len(s.requests) + s.external_seats < scenario.max_size(s.module_code)]
    member = scenario.member[request.member_id]
    if not joinable and _venues_full(scenario, request.module_code, venues, starts, venue_days):
        return "capacity", (
            f"every venue within reach offering {request.module_code} has its working days taken by other "
            f"sessions in the months the request allows (one session a day): another venue or a wider window "
            f"would be needed"), "venue_day"
    if not joinable:
        return "below_min_fill", (
            f"no session of {request.module_code} could open within reach in its window: "
            f"more trainees nearby (or external seats) would be needed to reach min_fill"
        ), ""
    if not open_seats:  # which limit keeps one more session from opening, if any
        full = (f"the {len(joinable)} reachable session(s) of {request.module_code} are full "
                f"({scenario.max_size(request.module_code)} trainees at most)")
        if _providers_full(scenario, request.module_code, venues, starts, running):
            return "capacity", (f"{full} and the providers within reach already run their parallel sessions "
                                f"in the months the request allows: one more parallel session would be needed"
                                ), "provider_parallel"
        if _venues_full(scenario, request.module_code, venues, starts, venue_days):
            return "capacity", (f"{full} and every venue within reach has its working days taken in the months "
                                f"the request allows: another venue or a wider window would be needed"), "venue_day"
        return "capacity", f"{full}: one more session would be needed", "max_size"
    for s in open_seats:
        months = list(_months(s))
        if all(busy[request.trainee][m] < per_month for m in months):
            if member.release_cap is None or all(len(in_training[member.id][m]) < member.release_cap for m in months):
                break
    else:
        if all(any(busy[request.trainee][m] >= per_month for m in _months(s)) for s in open_seats):
            return "conflict", (f"trainee {request.trainee_ref}'s months are taken by another session: "
                                f"a later window would help"), ""
        return "capacity", (f"{member.id} reaches its release cap of {member.release_cap} trainees in those months"
                            ), "release_cap"
    if member.own_funds_cents - own_spent[member.id] < 100_00:
        return "own_funds", (
            f"{member.id}'s own funds are used up ({own_spent[member.id] / 100:,.2f} of "
            f"{member.own_funds_cents / 100:,.2f} EUR): more own funds would fund this trainee"
        ), ""
    if exhausted:
        return "budget", (f"budget line(s) {', '.join(exhausted)} exhausted: a larger envelope would fund this "
                          f"trainee"), ""
    return "budget", "funding rules and envelopes leave this trainee's cost unpaid", ""


def _every_new_session_blocked(scenario: Scenario, module_code: str, venues: set[str], starts: set[int],
                               blocked: Callable[[str, range, list[int]], bool]) -> bool:
    """Whether ``blocked(venue, months, meeting days per month)`` holds for every session of the module
    that could open at a reachable venue in an allowed start month."""
    span = scenario.module[module_code].months
    days = scenario.days(module_code)
    for start in starts:
        months = range(start, start + span)
        shares = month_shares(days, months)
        if not all(blocked(venue_id, months, shares) for venue_id in venues):
            return False
    return bool(starts and venues)


def _venues_full(scenario: Scenario, module_code: str, venues: set[str], starts: set[int],
                 venue_days: dict[str, Counter[int]]) -> bool:
    """No reachable venue has room in some allowed start month for one more session's meeting days."""
    return _every_new_session_blocked(scenario, module_code, venues, starts, lambda venue_id, months, shares: not all(
        venue_days[venue_id][m] + share <= len(working_days(m)) for m, share in zip(months, shares)))


def _providers_full(scenario: Scenario, module_code: str, venues: set[str], starts: set[int],
                    running: dict[str, Counter[int]]) -> bool:
    """Every reachable venue's provider already runs its parallel sessions in a month of each allowed start."""
    def blocked(venue_id: str, months: range, _shares: list[int]) -> bool:
        provider = scenario.provider[scenario.venue[venue_id].provider_id]
        cap = provider.max_parallel_sessions
        return cap is not None and any(running[provider.id][m] >= cap for m in months)

    return _every_new_session_blocked(scenario, module_code, venues, starts, blocked)


def near_misses(scenario: Scenario, sessions: list[PlannedSession], unmet: list[UnmetRequest],
                reach: Reach | None = None, shortfall: int = 3) -> list[dict[str, object]]:
    """Venues and start months where unmet requests lack one to ``shortfall`` trainees to open."""
    reach = reach or Reach(scenario)
    waiting: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for u in unmet:
        if u.reason != "below_min_fill":
            continue
        request = scenario.requests[u.request]
        for site, _ in reach.sites(request):
            for start in reach.starts(request):
                waiting[(request.module_code, site.venue.id, start)].append(request.index)
    out = []
    for (module_code, venue_id, start), requests in waiting.items():
        need = scenario.min_fill(module_code, venue_id) - len(requests)
        if 1 <= need <= shortfall:
            out.append({
                "module_code": module_code, "venue_id": venue_id, "start_month": format_month(start),
                "territory_id": scenario.venue[venue_id].territory_id, "trainees": len(requests), "missing": need,
                "external_seats_possible": scenario.policy.external_seats_max,
            })
    out.sort(key=lambda d: (d["missing"], d["module_code"], d["start_month"], d["venue_id"]))
    # one line per module and venue: the start month with the most trainees waiting
    best: dict[tuple[object, object], dict[str, object]] = {}
    for item in out:
        key = (item["module_code"], item["venue_id"])
        if key not in best:
            best[key] = item
    return list(best.values())
