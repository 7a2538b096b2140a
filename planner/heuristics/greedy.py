"""A greedy baseline: the plan a network coordinator would build by hand, in seconds.

Per module (scenario order) and territory of the venue (scenario order), month by month
through the module's allowed start months, the coordinator looks at the venues of that
territory offering the module, the one with the most waiting trainees first. At a
(module, venue, start) cell the waiting requests are those still unserved that reach the
venue within their travel limit and whose window holds the whole session, less those blocked
by the trainee's months (``max_sessions_per_trainee_per_month``; never the same module
twice; the trainee's meeting days of a month within its working days), the member's release
cap, the provider's parallel sessions, or the venue's meeting days (a session books its share of
days in each of its months, :func:`planner.rules.meeting_days.month_shares`, and a venue's month holds
at most its working days of them, as in the model). A session opens when
at least ``min_fill`` are waiting (external seats, up to ``external_seats_max``, only make up
a shortfall); it takes up to ``max_size`` trainees, highest priority first, then the earliest
window end, then survey order; the cell is tried again while enough remain.

Each trainee is funded before being confirmed, as a coordinator fills a funding file:
for each cost item, the budget lines whose rules apply (family, member kind, member's
territory; an OPCA's lines only if the member adheres or has paid the access fee) pay their
fixed shares exactly and their variable shares at ``share_max`` (a coordinator asks for the
most), within what is left of their envelopes once the minimum shares of the session's other
members are set aside; the member's own funds pay the rest (but for rounding cents, which go to
the lines, each within a cent of its share). A fixed
share (or a variable ``share_min``) a line can no longer pay, or own funds that fall short,
mean the trainee is skipped. An access fee is paid only when funding fails without it, the
member can afford it, and the minimum shares of none of the member's costs would then exceed
100 %; the member's earlier costs are then re-funded with the funder's lines, since a paid fee
makes them apply to all of the member's costs (SPEC §2.7). Amounts are integer cents per
(session, member, cost item), the granularity the checker verifies.

Engineering is split between a session's members in proportion to their trainees
(:func:`planner.rules.costs.session_costs`), so it is only known once the session is
complete. Trainees are selected assuming the session will hold ``size`` of them (at first as
many as wait, up to ``max_size``): each member is charged ``ceil(E × n_member / max(n, size))``;
when fewer than ``size`` are funded, the selection is redone with that smaller size, until the
guess holds. Then the exact split is funded; should that fail, the failing member's last
trainee is dropped and the session re-funded, and a session that falls below ``min_fill``
does not open.

Deterministic: no randomness, every tie broken by scenario order or ids.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from planner.domain import OWN, CostItem, Family, Funder, Member, Request, Scenario
from planner.domain.months import Month
from planner.domain.plan import FundingRow, Plan, PlannedSession, SolveStatus, StageOutcome
from planner.domain.units import PPM, div_ceil, div_round
from planner.explain.unmet import explain_unmet, near_misses
from planner.plans.kpis import stage_values
from planner.rules.costs import session_costs
from planner.rules.meeting_days import month_shares, schedule_meeting_days, working_days
from planner.rules.reach import Reach

SOLVER_NAME = "greedy"
SOLVER_VERSION = "planner greedy 1"

GroupKey = tuple[str, str, CostItem]  # (session id, member id, cost item)
Terms = list[tuple[str, int, int]]  # (line id, Σ share_min, Σ share_max) of the applicable rules, in rule order


@dataclass(slots=True)
class Allocation:
    """How one (session, member, cost item) is paid: cents per budget line, and own funds."""

    lines: dict[str, int]
    own: int


@dataclass
class _Delta:
    """Funding of a tentative session, to be committed to the ledger if the session opens."""

    line_left: dict[str, int | None]
    own_left: dict[str, int] = field(default_factory=dict)
    fees: set[tuple[str, str]] = field(default_factory=set)
    allocations: dict[GroupKey, Allocation] = field(default_factory=dict)


class Ledger:
    """Envelopes and own funds left, access fees paid, and the allocation of every funded cost."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.line_left: dict[str, int | None] = {line.id: line.envelope_cents for line in scenario.budget_lines}
        self.own_left: dict[str, int] = {m.id: m.own_funds_cents for m in scenario.members}
        self.fees: set[tuple[str, str]] = set()  # (member id, funder id)
        self._fees_of: dict[str, frozenset[str]] = {}
        self.groups: dict[GroupKey, tuple[int, Family, Allocation]] = {}  # cost, family, allocation
        self.groups_of: dict[str, list[GroupKey]] = defaultdict(list)
        self.funder_of_line: dict[str, Funder] = {
            line.id: scenario.funder[line.funder_id] for line in scenario.budget_lines
        }
        self._rules: dict[tuple[Family, str, str, CostItem], list] = {}
        self._terms: dict[tuple[str, Family, CostItem, frozenset[str]], Terms] = {}

    # --- rules -----------------------------------------------------------------------------
    def _matching(self, family: Family, member: Member, item: CostItem) -> list:
        key = (family, member.kind, member.territory_id, item)
        if key not in self._rules:
            self._rules[key] = [
                r for r in self.scenario.rules
                if r.cost_item == item and r.matches(family, member.kind, member.territory_id)
            ]
        return self._rules[key]

    def accessible(self, member: Member, funder: Funder, fees: set[str] | frozenset[str]) -> bool:
        return not funder.opca or member.opca == funder.id or funder.id in fees

    def terms(self, member: Member, family: Family, item: CostItem, fees: set[str] | frozenset[str]) -> Terms:
        """Applicable lines with their summed minimum and maximum shares, in rule order."""
        key = (member.id, family, item, frozenset(fees))
        if key in self._terms:
            return self._terms[key]
        out: dict[str, list[int]] = {}
        for rule in self._matching(family, member, item):
            if not self.accessible(member, self.funder_of_line[rule.line_id], fees):
                continue
            shares = out.setdefault(rule.line_id, [0, 0])
            shares[0] += rule.share_min_ppm
            shares[1] += rule.share_max_ppm
        terms = self._terms[key] = [(line, lo, hi) for line, (lo, hi) in out.items()]
        return terms

    def fee_candidates(self, member: Member, family: Family, items: list[CostItem],
                       fees: frozenset[str]) -> list[Funder]:
        """OPCA funders, in scenario order, whose access fee would open a rule for these costs."""
        wanted = set()
        for item in items:
            for rule in self._matching(family, member, item):
                funder = self.funder_of_line[rule.line_id]
                if not self.accessible(member, funder, fees) and funder.access_fee_cents is not None:
                    wanted.add(funder.id)
        return [f for f in self.scenario.funders if f.id in wanted]

    def fees_of(self, member_id: str) -> frozenset[str]:
        return self._fees_of.get(member_id, frozenset())

    # --- funding ---------------------------------------------------------------------------
    @staticmethod
    def fund(cost: int, terms: Terms, line_left: dict[str, int | None],
             reserved: dict[str, int] | None = None) -> Allocation | None:
        """Pay ``cost``: minimum shares first (exactly, rounded to the cent), then variable shares
        up to their maximum in rule order within envelopes less ``reserved`` (what other costs
        of the session need as minimum shares), own funds the rest; cents lost to rounding go to
        the lines rather than to own funds, each line within a cent of its share (envelopes are
        debited in whole cents, so rounding never overruns them). ``line_left`` is debited on
        success; None when a minimum share does not fit its envelope or the minimum shares
        exceed 100 %."""
        if sum(lo for _, lo, _ in terms) > PPM:
            return None
        amounts = {line: div_round(lo * cost, PPM) for line, lo, _ in terms}
        minima = {line: lo for line, lo, _ in terms}
        excess = sum(amounts.values()) - cost  # minimum shares summing to 100 % may round up past the cost
        if excess > 0:  # take a cent back from the lines rounded up the most: each stays within a cent
            for line in sorted(amounts, key=lambda l: minima[l] * cost - amounts[l] * PPM)[:excess]:
                amounts[line] -= 1
        for line, cents in amounts.items():
            left = line_left[line]
            if left is not None and cents > left:
                return None
        total = sum(amounts.values())
        for line, lo, hi in terms:
            if hi <= lo:
                continue
            room = max(0, hi * cost // PPM - amounts[line])
            left = line_left[line]
            if left is not None:
                room = min(room, left - amounts[line] - (reserved or {}).get(line, 0))
            room = max(0, min(room, cost - total))
            amounts[line] += room
            total += room
        # cents lost rounding shares down go to the lines, never past the ceiling of their maximum share
        for line, _, hi in sorted(terms, key=lambda t: amounts[t[0]] * PPM - t[2] * cost):
            if total >= cost:
                break
            left = line_left[line]
            if amounts[line] < div_ceil(hi * cost, PPM) and (
                    left is None or amounts[line] + (reserved or {}).get(line, 0) < left):
                amounts[line] += 1
                total += 1
        for line, cents in amounts.items():
            if line_left[line] is not None:
                line_left[line] -= cents  # type: ignore[operator]
        return Allocation({line: cents for line, cents in amounts.items() if cents}, cost - total)

    def fund_session(self, session_id: str, family: Family,
                     costs: dict[tuple[str, CostItem], int]) -> _Delta | str:
        """Fund every (member, cost item) of a tentative session; the failing member's id otherwise."""
        delta = _Delta(dict(self.line_left))
        by_member: dict[str, list[tuple[CostItem, int]]] = defaultdict(list)
        for (member_id, item), cents in sorted(costs.items()):
            by_member[member_id].append((item, cents))
        # minimum shares of the session's later members come before variable shares of earlier ones
        minimum: dict[str, dict[str, int]] = {}
        for member_id, items in by_member.items():
            member, fees = self.scenario.member[member_id], self.fees_of(member_id)
            need: dict[str, int] = defaultdict(int)
            for item, cost in items:
                for line, lo, _ in self.terms(member, family, item, fees):
                    need[line] += div_round(lo * cost, PPM)
            minimum[member_id] = need
        reserved: dict[str, int] = defaultdict(int)
        for need in minimum.values():
            for line, cents in need.items():
                reserved[line] += cents
        for member_id in sorted(by_member):
            for line, cents in minimum[member_id].items():
                reserved[line] -= cents
            member = self.scenario.member[member_id]
            items = by_member[member_id]
            if self._fund_member(delta, session_id, member, family, items, frozenset(), reserved):
                continue
            paid = self.fees_of(member_id)
            candidates = self.fee_candidates(member, family, [item for item, _ in items], paid)
            tries = [frozenset({f.id}) for f in candidates]
            if len(candidates) > 1:
                tries.append(frozenset(f.id for f in candidates))
            if not any(self._fund_member(delta, session_id, member, family, items, extra, reserved)
                       for extra in tries):
                return member_id
        return delta

    def _fund_member(self, delta: _Delta, session_id: str, member: Member, family: Family,
                     items: list[tuple[CostItem, int]], extra: frozenset[str], reserved: dict[str, int]) -> bool:
        """Fund one member's costs in the session (paying the ``extra`` fees); update ``delta`` on success."""
        lines = dict(delta.line_left)
        own = self.own_left[member.id]
        fees = self.fees_of(member.id) | extra
        allocations: dict[GroupKey, Allocation] = {}
        if extra:
            own -= sum(self.scenario.funder[f].access_fee_cents or 0 for f in extra)  # checked at the end
            # a paid fee makes the funder's rules apply to all the member's costs: re-fund the earlier ones
            earlier = self.groups_of[member.id]
            for key in earlier:
                _, _, old = self.groups[key]
                own += old.own
                for line, cents in old.lines.items():
                    if lines[line] is not None:
                        lines[line] += cents  # type: ignore[operator]
            for key in earlier:
                cost, fam, _ = self.groups[key]
                allocation = self.fund(cost, self.terms(member, fam, key[2], fees), lines, reserved)
                if allocation is None:
                    return False
                own -= allocation.own
                allocations[key] = allocation
        for item, cost in items:
            allocation = self.fund(cost, self.terms(member, family, item, fees), lines, reserved)
            if allocation is None:
                return False
            own -= allocation.own
            allocations[(session_id, member.id, item)] = allocation
        if own < 0:
            return False
        delta.line_left = lines
        delta.own_left[member.id] = own
        delta.fees |= {(member.id, f) for f in extra}
        delta.allocations.update(allocations)
        return True

    def commit(self, delta: _Delta, family: Family, costs: dict[tuple[str, CostItem], int]) -> None:
        self.line_left = delta.line_left
        self.own_left.update(delta.own_left)
        self.fees |= delta.fees
        for member_id, funder_id in delta.fees:
            self._fees_of[member_id] = self.fees_of(member_id) | {funder_id}
        for key, allocation in delta.allocations.items():
            if key in self.groups:
                cost, fam, _ = self.groups[key]
                self.groups[key] = (cost, fam, allocation)
            else:
                self.groups[key] = (costs[(key[1], key[2])], family, allocation)
                self.groups_of[key[1]].append(key)

    def rows(self, sessions: list[PlannedSession]) -> list[FundingRow]:
        """Funding rows as SPEC §3 lays them out: per session, member, line and cost item; fees last."""
        keys_of: dict[str, list[GroupKey]] = defaultdict(list)
        for key in self.groups:
            keys_of[key[0]].append(key)
        rows: list[FundingRow] = []
        for session in sessions:
            for key in sorted(keys_of[session.id], key=lambda k: (k[1], k[2])):
                cost, _, allocation = self.groups[key]
                assert sum(allocation.lines.values()) + allocation.own == cost
                for line, cents in sorted(allocation.lines.items()):
                    rows.append(FundingRow(session.id, key[1], self.funder_of_line[line].id, line, key[2].value, cents))
                if allocation.own:
                    rows.append(FundingRow(session.id, key[1], key[1], OWN, key[2].value, allocation.own))
        for member_id, funder_id in sorted(self.fees):
            fee = self.scenario.funder[funder_id].access_fee_cents or 0
            rows.append(FundingRow("", member_id, member_id, OWN, f"access_fee:{funder_id}", fee))
        return rows


class _Greedy:
    def __init__(self, scenario: Scenario, reach: Reach):
        self.sc = scenario
        self.reach = reach
        self.ledger = Ledger(scenario)
        self.sessions: list[PlannedSession] = []
        self.served: set[int] = set()
        self.busy: dict[tuple[str, str], Counter[Month]] = defaultdict(Counter)  # trainee -> sessions per month
        self.taken: set[tuple[str, str, str]] = set()  # (member, trainee, module) attended
        self.in_training: dict[str, dict[Month, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.running: dict[str, Counter[Month]] = defaultdict(Counter)  # provider -> sessions per month
        self.venue_days: dict[str, Counter[Month]] = defaultdict(Counter)  # venue -> meeting days booked per month
        self.trainee_days: dict[tuple[str, str], Counter[Month]] = defaultdict(Counter)  # trainee -> days per month
        # (module, venue, start) -> requests that can join, in selection order
        self.waiting: dict[tuple[str, str, Month], list[Request]] = defaultdict(list)
        order = sorted(scenario.requests, key=lambda r: (r.priority, r.available_to, r.index))
        for request in order:
            starts = reach.starts(request)
            for site, _ in reach.sites(request):
                for start in starts:
                    self.waiting[(request.module_code, site.venue.id, start)].append(request)

    # --- availability ----------------------------------------------------------------------
    def _shares(self, module_code: str, months: range) -> tuple[int, ...]:
        """Meeting days a session of the module takes in each of its months (as the model books them)."""
        return month_shares(self.sc.days(module_code), months)

    # one predicate per rule, named after its checker code: True while the rule would hold
    def _free(self, request: Request, months: range) -> bool:
        """The request may join a session running in ``months``."""
        return (self._request_twice(request) and self._trainee_module(request)
                and self._trainee_month(request, months) and self._trainee_day(request, months)
                and self._release_cap(request.member_id, {request.trainee_ref}, months))

    def _request_twice(self, request: Request) -> bool:
        """The request is not served yet."""
        return request.index not in self.served

    def _trainee_module(self, request: Request) -> bool:
        """The trainee has not attended the module yet."""
        return (request.member_id, request.trainee_ref, request.module_code) not in self.taken

    def _trainee_month(self, request: Request, months: range) -> bool:
        """The trainee has room for one more session in each of the months."""
        per_month = self.sc.policy.max_sessions_per_trainee_per_month
        busy = self.busy[request.trainee]
        return not any(busy[m] >= per_month for m in months)

    def _trainee_day(self, request: Request, months: range) -> bool:
        """The trainee's months have room for the session's meeting days."""
        days = self.trainee_days[request.trainee]
        return not any(days[m] + share > len(working_days(m))
                       for m, share in zip(months, self._shares(request.module_code, months)))

    def _release_cap(self, member_id: str, refs: set[str], months: range) -> bool:
        """The member's trainees in training, with ``refs``, stay within its release cap each month."""
        cap = self.sc.member[member_id].release_cap
        if cap is None:
            return True
        training = self.in_training[member_id]
        return not any(len(training[m] | refs) > cap for m in months)

    def _provider_parallel(self, provider_id: str, months: range) -> bool:
        """The provider has room for one more session in each of the months."""
        cap = self.sc.provider[provider_id].max_parallel_sessions
        return cap is None or all(self.running[provider_id][m] < cap for m in months)

    def _venue_day(self, venue_id: str, module_code: str, months: range) -> bool:
        """The venue's months have room for one more session's meeting days."""
        booked = self.venue_days[venue_id]
        return all(booked[m] + share <= len(working_days(m))
                   for m, share in zip(months, self._shares(module_code, months)))

    def _candidates(self, module_code: str, venue_id: str, start: Month) -> list[Request]:
        months = range(start, start + self.sc.module[module_code].months)
        return [r for r in self.waiting.get((module_code, venue_id, start), []) if self._free(r, months)]

    # --- one cell --------------------------------------------------------------------------
    def _estimated_costs(self, session: PlannedSession, size: int) -> dict[tuple[str, CostItem], int]:
        """Session costs with engineering split as if the session had at least ``size`` trainees,
        rounded up (the exact split is funded once the session is complete)."""
        costs = {k: v for k, v in session_costs(self.sc, session).items() if k[1] != CostItem.ENGINEERING}
        engineering = self.sc.policy.engineering_cents_per_session
        if engineering:
            total = max(len(session.requests), size)
            for member_id, n in Counter(self.sc.requests[r].member_id for r in session.requests).items():
                costs[(member_id, CostItem.ENGINEERING)] = div_ceil(engineering * n, total)
        return costs

    def _session(self, module_code: str, provider_id: str, venue_id: str, start: Month,
                 requests: list[int], external: int) -> PlannedSession:
        ordered = tuple(sorted(requests, key=lambda r: (self.sc.requests[r].member_id, r)))
        end = start + self.sc.module[module_code].months - 1
        return PlannedSession(f"G{len(self.sessions) + 1:04d}", module_code, provider_id, venue_id, start, end,
                              ordered, external)

    def try_open(self, module_code: str, provider_id: str, venue_id: str, start: Month,
                 candidates: list[Request]) -> bool:
        """Open one session at the cell from ``candidates`` (in selection order) if it can be filled and funded."""
        sc = self.sc
        family = sc.module[module_code].family
        min_fill, max_size = sc.min_fill(module_code, venue_id), sc.max_size(module_code)
        need = max(1, min_fill - min(sc.policy.external_seats_max, max_size))  # members' trainees needed
        if len(candidates) < need or min_fill > max_size:  # (a territory's min_fill may exceed max_size)
            return False
        # select assuming the session ends up with `size` trainees (for the engineering split);
        # when fewer are funded, select again with that smaller size, until the guess holds
        size = max(need, min(len(candidates), max_size))
        while True:
            chosen = self._select(module_code, provider_id, venue_id, start, candidates, size, max_size)
            if len(chosen) >= size or len(chosen) < need or not sc.policy.engineering_cents_per_session:
                break
            size = len(chosen)
        # exact engineering split: re-fund, dropping the failing member's last trainee until it holds
        while len(chosen) >= need:
            session = self._session(module_code, provider_id, venue_id, start, [r.index for r in chosen],
                                    max(0, min_fill - len(chosen)))
            costs = session_costs(sc, session)
            funded = self.ledger.fund_session(session.id, family, costs)
            if not isinstance(funded, str):
                self._commit(session, funded, costs)
                return True
            last = max(i for i, r in enumerate(chosen) if r.member_id == funded)
            del chosen[last]
        return False

    def _select(self, module_code: str, provider_id: str, venue_id: str, start: Month, candidates: list[Request],
                size: int, max_size: int) -> list[Request]:
        """Take candidates in order while the release caps hold and the session stays fundable."""
        sc = self.sc
        family = sc.module[module_code].family
        months = range(start, start + sc.module[module_code].months)
        chosen: list[Request] = []
        trainees: set[tuple[str, str]] = set()
        new_refs: dict[str, set[str]] = defaultdict(set)  # member -> refs newly in training
        need = max(1, sc.min_fill(module_code, venue_id) - min(sc.policy.external_seats_max, max_size))
        for i, request in enumerate(candidates):
            if len(chosen) >= max_size or len(chosen) + len(candidates) - i < need:
                break  # full, or too few left to open
            if request.trainee in trainees:
                continue
            member = sc.member[request.member_id]
            if not self._release_cap(member.id, new_refs[member.id] | {request.trainee_ref}, months):
                continue
            tentative = self._session(module_code, provider_id, venue_id, start,
                                      [r.index for r in chosen] + [request.index], 0)
            if isinstance(self.ledger.fund_session(tentative.id, family, self._estimated_costs(tentative, size)), str):
                continue
            chosen.append(request)
            trainees.add(request.trainee)
            new_refs[member.id].add(request.trainee_ref)
        return chosen

    def _commit(self, session: PlannedSession, delta: _Delta, costs: dict[tuple[str, CostItem], int]) -> None:
        sc = self.sc
        self.sessions.append(session)
        self.ledger.commit(delta, sc.module[session.module_code].family, costs)
        months = range(session.start_month, session.end_month + 1)
        shares = self._shares(session.module_code, months)
        for m, share in zip(months, shares):
            self.running[session.provider_id][m] += 1
            self.venue_days[session.venue_id][m] += share
        for r in session.requests:
            request = sc.requests[r]
            self.served.add(r)
            self.taken.add((request.member_id, request.trainee_ref, request.module_code))
            for m, share in zip(months, shares):
                self.busy[request.trainee][m] += 1
                self.trainee_days[request.trainee][m] += share
                self.in_training[request.member_id][m].add(request.trainee_ref)

    # --- the whole year --------------------------------------------------------------------
    def run(self) -> None:
        sc = self.sc
        sites_by_territory: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for module_code, sites in self.reach.sites_by_module.items():
            for site in sites:
                sites_by_territory[module_code][site.venue.territory_id].append(site)
        for module in sc.modules:
            by_territory = sites_by_territory.get(module.code)
            if not by_territory:
                continue
            for territory in sc.territories:
                sites = by_territory.get(territory.id, [])
                if not sites:
                    continue
                for start in sc.start_months(module.code):
                    self._month(module.code, sites, start)

    def _month(self, module_code: str, sites: list, start: Month) -> None:
        """Open sessions at the territory's venues in this start month, the busiest venue first."""
        months = range(start, start + self.sc.module[module_code].months)
        closed: set[str] = set()  # venues where no (further) session can open this month
        while True:
            best = None
            for site in sites:
                if site.venue.id in closed:
                    continue
                if not (self._provider_parallel(site.venue.provider_id, months)
                        and self._venue_day(site.venue.id, module_code, months)):
                    closed.add(site.venue.id)
                    continue
                candidates = self._candidates(module_code, site.venue.id, start)
                need = max(1, self.sc.min_fill(module_code, site.venue.id)
                           - min(self.sc.policy.external_seats_max, self.sc.max_size(module_code)))
                if len(candidates) < need:
                    closed.add(site.venue.id)
                    continue
                if best is None or len(candidates) > len(best[1]):
                    best = (site, candidates)
            if best is None:
                return
            site, candidates = best
            if not self.try_open(module_code, site.venue.provider_id, site.venue.id, start, candidates):
                closed.add(site.venue.id)


def solve_greedy(scenario: Scenario, *, meeting_days: bool = True) -> Plan:
    """Plan the year as a coordinator would by hand (see the module docstring): fast, feasible,
    not optimised; stages carry no bound. With ``meeting_days`` (the default) the sessions get
    their dates (:mod:`planner.rules.meeting_days`); a warm start for the solvers does without."""
    began = time.perf_counter()
    reach = Reach(scenario)
    greedy = _Greedy(scenario, reach)
    greedy.run()
    plan = Plan(scenario.id, scenario.source_hash, SOLVER_NAME, SOLVER_VERSION, SolveStatus.FEASIBLE)
    plan.sessions = greedy.sessions
    plan.funding = greedy.ledger.rows(plan.sessions)
    if meeting_days:
        plan.meeting_days = schedule_meeting_days(scenario, plan.sessions)
    plan.unmet = explain_unmet(scenario, plan.sessions, plan.funding, reach)
    plan.near_misses = near_misses(scenario, plan.sessions, plan.unmet, reach)
    values = stage_values(scenario, plan)
    plan.stages = [StageOutcome(stage.value, values[stage], None, False) for stage in scenario.objective.stages]
    plan.solve_seconds = time.perf_counter() - began
    return plan
