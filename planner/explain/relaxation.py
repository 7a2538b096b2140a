"""Why each unmet request is unmet: from the scenario, its company, and relaxed re-solves.

Reasons that hold whatever the plan (no offer, out of reach, window) come from the scenario.
``below_min_fill`` holds when, at every venue and start month the request could use, fewer
unmet requests (plus external seats) than min_fill could gather. For the rest, the plan's
served requests are kept served and the model is solved again leaving out, cumulatively and
in the order of SPEC §3, the envelopes, then own funds, then capacities (release caps,
provider sessions, venues' meeting days), then trainee month conflicts (and trainees' meeting
days): a request's reason is the first family whose relaxation lets it be served, and its
sentence is read from that relaxed solution; so is, for ``capacity``, the ``cause`` naming the
limit the solution goes past (``release_cap``, ``venue_day`` or ``provider_parallel``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.domain import OWN, Scenario, Stage
from planner.domain.months import format_month
from planner.domain.plan import Plan, PlannedSession, UnmetRequest
from planner.explain.unmet import STATIC_REASONS, explain_unmet
from planner.model.build import BuiltModel, build_model
from planner.model.extract import extract_funding, extract_sessions, integer_values
from planner.rules.meeting_days import month_shares, working_days
from planner.rules.reach import Reach

# the families relaxed in turn: unmet reasons of SPEC §3, each leaving out the rules that
# planner.model.build.RELAXABLE lists ("budget": envelope, "capacity": release_cap,
# provider_parallel and venue_day, "conflict": trainee_month and trainee_day)
RELAX_ORDER = ("budget", "own_funds", "capacity", "conflict")


def explain_by_relaxation(scenario: Scenario, plan: Plan, make_backend, *, time_limit: float = 10.0,
                          reach: Reach | None = None) -> tuple[list[UnmetRequest], list[dict[str, object]]]:
    """Unmet requests with honest reasons, and near-miss cells (1–3 trainees short)."""
    reach = reach or Reach(scenario)
    first_pass = explain_unmet(scenario, plan.sessions, plan.funding, reach)
    reasons = {u.request: u for u in first_pass if u.reason in STATIC_REASONS}
    fallback = {u.request: u for u in first_pass}
    pending = {u.request for u in first_pass if u.reason not in STATIC_REASONS}
    company = _best_company(scenario, pending, reach)
    joinable = _joinable(scenario, plan.sessions, pending, reach)
    for r in sorted(pending):
        count, need, venue_id, start = company[r]
        if r not in joinable and count + scenario.policy.external_seats_max < need:
            module = scenario.requests[r].module_code
            missing = need - count
            seats = scenario.policy.external_seats_max
            extra = f", or {missing} external seat(s)," if 0 < missing <= seats else ""
            reasons[r] = UnmetRequest(r, "below_min_fill", (
                f"{count} unmet trainee(s) within reach of {scenario.venue[venue_id].commune} want {module} "
                f"from {format_month(start)}; {missing} more{extra} would open a session (min_fill {need})"))
    near = _near_misses(scenario, company, {r for r in reasons if reasons[r].reason == "below_min_fill"})
    pending -= set(reasons)
    relaxed: set[str] = set()
    for family in RELAX_ORDER:
        if not pending:
            break
        relaxed.add(family)
        solution = _relaxed_solve(scenario, plan, frozenset(relaxed), make_backend, time_limit, reach)
        if solution is None:
            continue
        bm, sessions, funding = solution
        newly = {r for s in sessions for r in s.requests} & pending
        for r in sorted(newly):
            detail, cause = _detail(family, scenario, r, sessions, funding)
            reasons[r] = UnmetRequest(r, family, detail, cause)
        pending -= newly
    for r in pending:  # nothing relaxable unlocks it within the time given: the plan-only reading
        reasons[r] = fallback[r]
    return [reasons[r] for r in sorted(reasons)], near


def _joinable(scenario: Scenario, sessions: list[PlannedSession], pending: set[int], reach: Reach) -> set[int]:
    """Pending requests that an open session with a free seat could take (company is not their problem)."""
    open_cells: dict[tuple[str, str, int], int] = {}
    for s in sessions:
        free = scenario.max_size(s.module_code) - len(s.requests) - s.external_seats
        if free > 0:
            open_cells[(s.module_code, s.venue_id, s.start_month)] = free
    out = set()
    for r in pending:
        request = scenario.requests[r]
        starts = set(reach.starts(request))
        if any((request.module_code, site.venue.id, start) in open_cells
               for site, _ in reach.sites(request) for start in starts):
            out.add(r)
    return out


def _best_company(scenario: Scenario, pending: set[int], reach: Reach) -> dict[int, tuple[int, int, str, int]]:
    """Per pending request, its best (unmet requests gathered, min_fill, venue, start) over its cells."""
    by_cell: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    cells_of: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for r in pending:
        request = scenario.requests[r]
        for site, _ in reach.sites(request):
            for start in reach.starts(request):
                key = (request.module_code, site.venue.id, start)
                by_cell[key].append(r)
                cells_of[r].append(key)
    out = {}
    for r in pending:
        best = max(cells_of[r], key=lambda k: (len(by_cell[k]) - scenario.min_fill(k[0], k[1]), k[2], k[1]))
        out[r] = (len(by_cell[best]), scenario.min_fill(best[0], best[1]), best[1], best[2])
    return out


def _near_misses(scenario: Scenario, company: dict, short: set[int], shortfall: int = 3) -> list[dict[str, object]]:
    cells: dict[tuple[str, str, int], tuple[int, int]] = {}
    for r in short:
        count, need, venue_id, start = company[r]
        cells[(scenario.requests[r].module_code, venue_id, start)] = (count, need)
    out = []
    for (module_code, venue_id, start), (count, need) in cells.items():
        missing = need - count
        if 1 <= missing <= shortfall:
            out.append({
                "module_code": module_code, "venue_id": venue_id,
                "territory_id": scenario.venue[venue_id].territory_id, "start_month": format_month(start),
                "trainees": count, "missing": missing, "external_seats_possible": scenario.policy.external_seats_max,
            })
    out.sort(key=lambda d: (d["missing"], d["module_code"], d["start_month"], d["venue_id"]))
    return out


def _relaxed_solve(scenario: Scenario, plan: Plan, relax: frozenset[str], make_backend, time_limit: float,
                   reach: Reach) -> tuple[BuiltModel, list[PlannedSession], list] | None:
    bm = build_model(scenario, relax=relax, reach=reach)
    served_in_group: Counter[int] = Counter()
    group_of = {r: g.index for g in bm.candidates.groups for r in g.requests}
    for s in plan.sessions:
        for r in s.requests:
            served_in_group[group_of[r]] += 1
    vars_of_group: dict[int, dict[int, int]] = defaultdict(dict)
    for (g, _), var in bm.x.items():
        vars_of_group[g][var] = 1
    for g, count in served_in_group.items():  # what the plan serves stays served
        bm.lm.add_row(vars_of_group[g], lo=count, name=f"keep[{g}]")
    backend = make_backend(bm.lm)
    objective = bm.objectives[Stage.SERVED]
    from planner.model.hints import hint_from_plan

    run = backend.solve(objective.expr, True, time_limit, hint_from_plan(bm, plan))  # the plan is a start
    if run.values is None:
        return None
    values = integer_values(bm, run.values)
    sessions = extract_sessions(bm, values)
    # groups are interchangeable requests: show the plan's own requests as the served ones
    sessions = _prefer_plan_requests(bm, sessions, {r for s in plan.sessions for r in s.requests})
    return bm, sessions, extract_funding(bm, values, sessions)


def _prefer_plan_requests(bm: BuiltModel, sessions: list[PlannedSession], served: set[int]) -> list[PlannedSession]:
    """Within each group, put the plan's served requests first in the relaxed solution."""
    from dataclasses import replace

    group_of = {r: g.index for g in bm.candidates.groups for r in g.requests}
    free = {g.index: sorted(g.requests, key=lambda r: (r not in served, r)) for g in bm.candidates.groups}
    out = []
    for s in sessions:
        mapped = []
        for r in s.requests:
            mapped.append(free[group_of[r]].pop(0))
        out.append(replace(s, requests=tuple(mapped)))
    return out


def _session_of(sessions: list[PlannedSession], request: int) -> PlannedSession:
    return next(s for s in sessions if request in s.requests)


def _months(scenario: Scenario, s: PlannedSession) -> str:
    first, last = format_month(s.start_month), format_month(s.end_month)
    return first if first == last else f"{first}..{last}"


def _venue_overbooked(scenario: Scenario, sessions: list[PlannedSession],
                      s: PlannedSession) -> list[tuple[int, int, int]]:
    """(month, meeting days booked, working days) of ``s``'s months where its venue holds more
    meeting days of sessions (each at most its share of the month) than working days."""
    booked: Counter[int] = Counter()
    for other in sessions:
        if other.venue_id == s.venue_id:
            months = range(other.start_month, other.end_month + 1)
            for m, share in zip(months, month_shares(scenario.days(other.module_code), months)):
                booked[m] += share
    return [(m, booked[m], len(working_days(m))) for m in range(s.start_month, s.end_month + 1)
            if booked[m] > len(working_days(m))]


def _detail(family: str, scenario: Scenario, request_index: int, sessions: list[PlannedSession],
            funding: list) -> tuple[str, str]:
    """Why the relaxed solution could serve the request: what it spends or books beyond the rule,
    and for ``capacity`` which limit it goes past (the checker's code of the rule)."""
    s = _session_of(sessions, request_index)
    if family == "budget":
        return _envelope_detail(scenario, request_index, s, funding), ""
    if family == "own_funds":
        return _own_funds_detail(scenario, request_index, s, funding), ""
    if family == "capacity":
        release = _release_cap_detail(scenario, request_index, s, sessions)
        if release:
            return release, "release_cap"
        venue = _venue_day_detail(scenario, s, sessions)
        if venue:
            return venue, "venue_day"
        return _provider_parallel_detail(scenario, s), "provider_parallel"
    return _trainee_month_detail(scenario, request_index, s), ""


def _envelope_detail(scenario: Scenario, request_index: int, s: PlannedSession, funding: list) -> str:
    request = scenario.requests[request_index]
    spent: Counter[str] = Counter()
    for row in funding:
        if row.line_id != OWN:
            spent[row.line_id] += row.amount_cents
    over = [line for line in scenario.budget_lines
            if line.envelope_cents is not None and spent[line.id] > line.envelope_cents]
    mine = Counter()
    for row in funding:
        if row.session_id == s.id and row.member_id == request.member_id and row.line_id in {l.id for l in over}:
            mine[row.line_id] += row.amount_cents
    trainees = sum(1 for r in s.requests if scenario.requests[r].member_id == request.member_id)
    if mine:
        parts = ", ".join(f"`{line}` is exhausted: {cents / trainees / 100:,.0f} EUR more"
                          for line, cents in sorted(mine.items()))
        return f"budget line {parts} would fund this trainee"
    names = ", ".join(f"`{line.id}`" for line in over) or "the envelopes"
    return f"{names} exhausted: a larger envelope would let the plan fund this trainee"


def _own_funds_detail(scenario: Scenario, request_index: int, s: PlannedSession, funding: list) -> str:
    member = scenario.member[scenario.requests[request_index].member_id]
    own = sum(row.amount_cents for row in funding
              if row.line_id == OWN and row.member_id == member.id and row.session_id == s.id)
    trainees = sum(1 for r in s.requests if scenario.requests[r].member_id == member.id)
    return (f"{member.id}'s own funds ({member.own_funds_cents / 100:,.0f} EUR) are used up: about "
            f"{own / trainees / 100:,.0f} EUR more would pay this trainee's share that no rule covers")


def _release_cap_detail(scenario: Scenario, request_index: int, s: PlannedSession,
                        sessions: list[PlannedSession]) -> str | None:
    """The member's release cap, when the relaxed solution exceeds it in the session's months."""
    member = scenario.member[scenario.requests[request_index].member_id]
    months = range(s.start_month, s.end_month + 1)
    in_training: dict[int, set[str]] = defaultdict(set)
    for other in sessions:
        for r in other.requests:
            if scenario.requests[r].member_id == member.id:
                for m in range(other.start_month, other.end_month + 1):
                    in_training[m].add(scenario.requests[r].trainee_ref)
    if member.release_cap is not None and any(len(in_training[m]) > member.release_cap for m in months):
        return (f"{member.id} already releases its cap of {member.release_cap} trainee(s) a month in "
                f"{_months(scenario, s)}: a higher cap or another month would serve this trainee")
    return None


def _provider_within_cap(scenario: Scenario, sessions: list[PlannedSession], s: PlannedSession) -> bool:
    """Whether ``s``'s provider keeps within its parallel sessions in ``s``'s months."""
    provider = scenario.provider[s.provider_id]
    running = Counter(m for other in sessions if other.provider_id == provider.id
                      for m in range(other.start_month, other.end_month + 1))
    months = range(s.start_month, s.end_month + 1)
    return provider.max_parallel_sessions is None or all(running[m] <= provider.max_parallel_sessions for m in months)


def _venue_day_detail(scenario: Scenario, s: PlannedSession, sessions: list[PlannedSession]) -> str | None:
    """The venue's meeting days, when the provider keeps its parallel sessions but the venue is overbooked."""
    if not _provider_within_cap(scenario, sessions, s):
        return None
    over = _venue_overbooked(scenario, sessions, s)
    if not over:
        return None
    venue = scenario.venue[s.venue_id]
    booked = ", ".join(f"{days} meeting days for {capacity} working days in {format_month(m)}"
                       for m, days, capacity in over)
    return (f"venue {venue.id} ({venue.commune}) would need {booked} (one session a day): "
            f"another venue or month would serve this trainee")


def _provider_parallel_detail(scenario: Scenario, s: PlannedSession) -> str:
    provider = scenario.provider[s.provider_id]
    return (f"provider {provider.id} already runs its {provider.max_parallel_sessions} session(s) a month in "
            f"{_months(scenario, s)}: one more parallel session would serve this trainee")


def _trainee_month_detail(scenario: Scenario, request_index: int, s: PlannedSession) -> str:
    request = scenario.requests[request_index]
    return (f"trainee {request.trainee_ref}'s months {_months(scenario, s)} are taken by another of their "
            f"sessions: a wider window would serve both")
