"""Build the planning MIP of SPEC §2 as a solver-neutral :class:`LinearModel`.

Variables: x[g, c] trainees of group g in cell c; n[c] sessions opened in cell c;
e[c] external seats; a[m, f] access fee paid by member m to OPCA f; p[k, r] cents that rule r
pays for funding class k = (member, family, cost item) when that share is a decision;
b[m, t, month] whether trainee t of a capped member is in training that month (when t has
several requests there: the release cap counts trainees, not seats).
Meeting days: a session books at its venue, and for each of its trainees, its share of meeting
days in each of its months (:func:`planner.rules.meeting_days.month_shares`); a venue's (a trainee's)
month holds at most its working days of them, so that every session can get its dates.
Fixed-share rules a member can use as it stands need no variable: they pay share × cost.
Rows that mix shares (ppm) and cents are scaled by PPM; HiGHS divides them back.

One function states one rule of SPEC §2, named after the checker's code for it
(:data:`planner.checker.RULES`), and its rows' names start with that code (docs/rules.md).
The session's offer and months, the request's module, window and reach, and a trainee's
modules are met by construction: the candidates (:mod:`planner.model.candidates`) hold only
the cells and options that respect them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.domain import CostItem, Family, Funder, Member, Rule, Scenario, Stage
from planner.domain.units import PPM, div_ceil
from planner.model.candidates import Candidates, Cell, build_candidates, cells_by_month
from planner.model.ir import Expr, LinearModel, Row, add_into
from planner.rules.costs import trainee_costs, whole_engineering_line
from planner.rules.meeting_days import month_shares, working_days
from planner.rules.reach import Reach

ClassKey = tuple[str, Family, CostItem]  # (member_id, family, cost item)
TraineeMonth = tuple[str, str, int]  # (member_id, trainee_ref, month)


@dataclass
class Objective:
    """A stage's objective: maximise or minimise ``expr``; ``divisor`` turns it into user units."""

    stage: Stage
    expr: Expr
    maximize: bool
    divisor: float
    scale: int = 1  # row scale for HiGHS when the objective is fixed as a constraint


@dataclass
class BuiltModel:
    scenario: Scenario
    candidates: Candidates
    lm: LinearModel
    x: dict[tuple[int, int], int] = field(default_factory=dict)  # (group, cell) -> var
    n: dict[int, int] = field(default_factory=dict)
    e: dict[int, int] = field(default_factory=dict)
    fee: dict[tuple[str, str], int] = field(default_factory=dict)  # (member, funder) -> var
    busy: dict[TraineeMonth, int] = field(default_factory=dict)  # (member, trainee, month) in training
    pay: dict[tuple[ClassKey, int], int] = field(default_factory=dict)  # (class, rule index) -> var
    class_cost: dict[ClassKey, Expr] = field(default_factory=dict)
    fixed_rules: dict[ClassKey, list[Rule]] = field(default_factory=dict)  # fixed shares, no fee needed
    objectives: dict[Stage, Objective] = field(default_factory=dict)
    relax: frozenset[str] = frozenset()  # constraint families left out (see RELAXABLE)
    tidy: Objective | None = None  # unreported last objective: fewest external seats, then sessions

    def relaxes(self, rule: str) -> bool:
        """Whether the model leaves out ``rule`` (a checker code): one of its relaxed families holds it."""
        return any(rule in RELAXABLE[family] for family in self.relax)


# constraint families that explanations may leave out, in the order of SPEC §3's reasons (the
# unmet reasons they explain), each with the rules (checker codes) it leaves out
RELAXABLE: dict[str, tuple[str, ...]] = {
    "min_fill": ("min_fill",),
    "budget": ("envelope",),
    "own_funds": ("own_funds",),
    "capacity": ("release_cap", "provider_parallel", "venue_day"),
    "conflict": ("trainee_month", "trainee_day"),
}


@dataclass
class _Spending:
    """What funding spends, PPM-scaled: per budget line and per member's own funds."""

    line: dict[str, Expr] = field(default_factory=lambda: defaultdict(dict))
    own: dict[str, Expr] = field(default_factory=lambda: defaultdict(dict))
    margin: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # envelope cents kept for rounding


def build_model(scenario: Scenario, *, pair_links: bool = False, reach: Reach | None = None,
                relax: frozenset[str] = frozenset()) -> BuiltModel:
    """The whole model; ``pair_links`` adds x[g,c] ≤ count·n[c] as rows (helps CP-SAT, slows
    HiGHS's search for plans), else as ``lm.cuts`` (a bound-only run may add them).

    ``relax`` leaves out families of :data:`RELAXABLE` constraints: explanations re-solve
    without them to find what stands in the way of an unmet request.
    """
    unknown = set(relax) - set(RELAXABLE)
    if unknown:
        raise ValueError(f"cannot relax {sorted(unknown)}; expected among {tuple(RELAXABLE)}")
    cand = build_candidates(scenario, reach, relax_min_fill="min_fill" in relax)
    bm = BuiltModel(scenario, cand, LinearModel(), relax=frozenset(relax))
    _sessions_and_assignments(bm, pair_links)  # §2.2, §2.3: min_fill, max_size, external_seats, request_twice
    seats = _trainee_seats(bm)
    _trainee_month(bm, seats)  # §2.4
    _trainee_day(bm, seats)  # meeting days
    _release_cap(bm, seats)  # §2.5
    _provider_parallel(bm)  # §2.6
    _venue_day(bm)  # meeting days
    _costs(bm)  # §2.7
    _access_fee(bm)  # §2.7, §2.8
    spending = _shares(bm)  # §2.7: share_bounds, opca_access, cost_coverage
    _own_funds(bm, spending)  # §2.8
    _envelope(bm, spending)  # §2.8
    _objectives(bm, spending)  # §2.9
    _blocks(bm)
    return bm


def _blocks(bm: BuiltModel) -> None:
    """Session and assignment variables by (module, venue territory), for neighbourhood search;
    session counts are the gates a restricted search caps."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    key = {c.index: (c.module_code, bm.scenario.venue[c.venue_id].territory_id) for c in bm.candidates.cells}
    for ci, var in (*bm.n.items(), *bm.e.items()):
        blocks[key[ci]].append(var)
    for (_, ci), var in bm.x.items():
        blocks[key[ci]].append(var)
    bm.lm.block_keys = sorted(blocks)
    bm.lm.blocks = [blocks[k] for k in bm.lm.block_keys]
    bm.lm.gates = sorted(bm.n.values())


# --- sessions and requests (SPEC §2.1-2.3) ---------------------------------------------------
def _sessions_and_assignments(bm: BuiltModel, pair_links: bool) -> None:
    """Session and assignment variables; each request at most once (``request_twice``), each
    session within ``min_fill`` .. ``max_size`` and its ``external_seats`` allowance."""
    lm, cand, policy = bm.lm, bm.candidates, bm.scenario.policy
    reachable: dict[int, int] = defaultdict(int)
    for g in cand.groups:
        for ci, _ in g.options:
            reachable[ci] += g.count
    for cell in cand.cells:
        most = div_ceil(reachable[cell.index] + policy.external_seats_max, cell.min_fill)
        bm.n[cell.index] = lm.add_var(0, most, name=f"n[{cell.index}]")
        if policy.external_seats_max:
            bm.e[cell.index] = lm.add_var(0, policy.external_seats_max * most, name=f"e[{cell.index}]")
    filled: dict[int, Expr] = defaultdict(dict)
    for g in cand.groups:
        row: Expr = {}
        for ci, _ in g.options:
            cell = cand.cells[ci]
            var = lm.add_var(0, min(g.count, cell.max_size * lm.ub[bm.n[ci]]), name=f"x[{g.index},{ci}]")
            bm.x[(g.index, ci)] = var
            row[var] = 1
            filled[ci][var] = 1
            (lm.rows if pair_links else lm.cuts).append(Row({var: 1, bm.n[ci]: -min(g.count, cell.max_size)},
                                                            None, 0, name=f"max_size_link[{g.index},{ci}]"))
        lm.add_row(row, hi=g.count, name=f"request_twice[{g.index}]")
    for cell in cand.cells:
        row = dict(filled[cell.index])
        if cell.index in bm.e:
            row[bm.e[cell.index]] = 1
            lm.add_row({bm.e[cell.index]: 1, bm.n[cell.index]: -policy.external_seats_max}, hi=0,
                       name=f"external_seats[{cell.index}]")
        lm.add_row({**row, bm.n[cell.index]: -cell.min_fill}, lo=0, name=f"min_fill[{cell.index}]")
        if cell.index in bm.e:  # every session holds at least one member's trainee, not only external seats
            lm.add_row({**filled[cell.index], bm.n[cell.index]: -1}, lo=0, name=f"external_seats_members[{cell.index}]")
        lm.add_row({**row, bm.n[cell.index]: -cell.max_size}, hi=0, name=f"max_size[{cell.index}]")


# --- trainees, members, providers and venues in each month (SPEC §2.4-2.6, meeting days) ------
def cell_day_shares(scenario: Scenario, cell: Cell) -> dict[int, int]:
    """Month -> meeting days a session of the cell takes at most in that month (its share)."""
    return dict(zip(cell.month_span, month_shares(scenario.days(cell.module_code), cell.month_span)))


def _trainee_seats(bm: BuiltModel) -> dict[TraineeMonth, dict[int, int]]:
    """(member, trainee, month) -> the assignment variables of a named trainee (one with several
    requests) in that month, each with its cell."""
    seats: dict[TraineeMonth, dict[int, int]] = defaultdict(dict)
    for g in bm.candidates.groups:
        if g.trainee_ref is None:
            continue
        for ci, _ in g.options:
            for month in bm.candidates.cells[ci].month_span:
                seats[(g.member_id, g.trainee_ref, month)][bm.x[(g.index, ci)]] = ci
    return seats


def _trainee_month(bm: BuiltModel, seats: dict[TraineeMonth, dict[int, int]]) -> None:
    """A trainee is in at most ``max_sessions_per_trainee_per_month`` sessions a month."""
    per_month = bm.scenario.policy.max_sessions_per_trainee_per_month
    if bm.relaxes("trainee_month"):
        return
    for key, cells in seats.items():
        if len(cells) > per_month:
            bm.lm.add_row(dict.fromkeys(cells, 1), hi=per_month, name=f"trainee_month{key}")


def _trainee_day(bm: BuiltModel, seats: dict[TraineeMonth, dict[int, int]]) -> None:
    """A trainee meets one session a day: its sessions' meeting days of a month fit the working
    days (binds only when its ``per_month`` longest sessions of the month could exceed them)."""
    scenario, cells = bm.scenario, bm.candidates.cells
    per_month = scenario.policy.max_sessions_per_trainee_per_month
    if bm.relaxes("trainee_day"):
        return
    shares = {cell.index: cell_day_shares(scenario, cell) for cell in cells}
    for key, seat_cells in seats.items():
        month = key[2]
        row = {var: shares[ci][month] for var, ci in seat_cells.items()}
        capacity = len(working_days(month))
        if sum(sorted(row.values(), reverse=True)[:per_month]) > capacity:
            bm.lm.add_row(row, hi=capacity, name=f"trainee_day{key}")


def _release_cap(bm: BuiltModel, seats: dict[TraineeMonth, dict[int, int]]) -> None:
    """A member has at most ``release_cap`` trainees in training a month. It counts trainees, not
    seats: a trainee in two sessions of a month counts once, through its busy flag."""
    scenario, lm, cand = bm.scenario, bm.lm, bm.candidates
    member_rows: dict[tuple[str, int], Expr] = defaultdict(dict)
    for g in cand.groups:
        if g.trainee_ref is None and scenario.member[g.member_id].release_cap is not None:
            for ci, _ in g.options:  # an unnamed request is a trainee of its own
                for month in cand.cells[ci].month_span:
                    member_rows[(g.member_id, month)][bm.x[(g.index, ci)]] = 1
    for key, cells in seats.items():
        if scenario.member[key[0]].release_cap is None:
            continue
        if len(cells) == 1:
            add_into(member_rows[(key[0], key[2])], dict.fromkeys(cells, 1))
        else:
            busy = lm.add_var(0, 1, name=f"busy{key}")
            bm.busy[key] = busy
            for var in cells:
                lm.add_row({var: 1, busy: -1}, hi=0, name=f"release_cap_busy{key}")
            member_rows[(key[0], key[2])][busy] = 1
    if bm.relaxes("release_cap"):
        return
    for (member_id, month), row in member_rows.items():
        cap = scenario.member[member_id].release_cap
        if sum(lm.ub[v] for v in row) > cap:  # type: ignore[operator]
            lm.add_row(row, hi=cap, name=f"release_cap[{member_id},{month}]")
    _release_links(bm)


def _release_links(bm: BuiltModel) -> None:
    """x[member, c] ≤ cap·n[c]: a capped member's trainees in a cell's sessions, which all share
    the cell's months, number at most its release cap, however many sessions open there.

    Implied for integer n, but not by the LP relaxation, where a fraction of a session reaches
    min_fill from members beyond their caps (docs/decisions.md has the measured effect).
    """
    scenario, lm, cand = bm.scenario, bm.lm, bm.candidates
    rows: dict[tuple[str, int], Expr] = defaultdict(dict)
    for g in cand.groups:
        if scenario.member[g.member_id].release_cap is None:
            continue
        for ci, _ in g.options:
            rows[(g.member_id, ci)][bm.x[(g.index, ci)]] = 1
    for (member_id, ci), row in rows.items():
        cap = scenario.member[member_id].release_cap
        if sum(lm.ub[v] for v in row) > cap:  # type: ignore[operator]
            lm.add_row({**row, bm.n[ci]: -cap}, hi=0, name=f"release_link[{member_id},{ci}]")  # type: ignore[operator]


def _provider_parallel(bm: BuiltModel) -> None:
    """A provider runs at most ``max_parallel_sessions`` sessions a month."""
    _monthly_cap(bm, "provider_parallel", lambda cell: cell.provider_id, lambda cell, month: 1,
                 lambda provider_id, month: bm.scenario.provider[provider_id].max_parallel_sessions)


def _venue_day(bm: BuiltModel) -> None:
    """A venue hosts one session a day: its sessions' meeting days of a month fit the working days."""
    _monthly_cap(bm, "venue_day", lambda cell: cell.venue_id,
                 lambda cell, month: cell_day_shares(bm.scenario, cell)[month],
                 lambda venue_id, month: len(working_days(month)))


def _monthly_cap(bm: BuiltModel, rule: str, resource: Callable[[Cell], str], weight: Callable[[Cell, int], int],
                 cap: Callable[[str, int], int | None]) -> None:
    """Sessions opened in a month, weighted, stay within each resource's cap that month (rows named
    ``rule[resource,month]``; none where the cells' bounds cannot reach the cap)."""
    if bm.relaxes(rule):
        return
    lm = bm.lm
    for month, cells in cells_by_month(bm.candidates.cells).items():
        per_resource: dict[str, Expr] = defaultdict(dict)
        for cell in cells:
            per_resource[resource(cell)][bm.n[cell.index]] = weight(cell, month)
        for key, row in per_resource.items():
            limit = cap(key, month)
            if limit is not None and sum(c * lm.ub[v] for v, c in row.items()) > limit:
                lm.add_row(row, hi=limit, name=f"{rule}[{key},{month}]")


# --- funding (SPEC §2.7-2.8) -----------------------------------------------------------------
def _access(scenario: Scenario, member: Member, funder: Funder) -> str | None:
    """'direct' when the member may use the funder's rules as it stands, 'fee' when it must pay."""
    if not funder.opca or member.opca == funder.id:
        return "direct"
    return "fee" if funder.access_fee_cents is not None else None


def _costs(bm: BuiltModel) -> None:
    """The cost expression of each funding class (member, family, cost item)."""
    scenario, cand = bm.scenario, bm.candidates
    for g in cand.groups:
        member, module = scenario.member[g.member_id], scenario.module[g.module_code]
        for ci, leg in g.options:
            cell = cand.cells[ci]
            for item, cents in trainee_costs(scenario, member, module, cell.offer, cell.min_fill, leg).items():
                key = (member.id, module.family, item)
                add_into(bm.class_cost.setdefault(key, {}), {bm.x[(g.index, ci)]: cents})


def _access_fee(bm: BuiltModel) -> None:
    """A fee variable per (member, OPCA) whose fee may be paid: never when it would push the
    minimum shares of a cost above 100 % (``share_sum``, SPEC §2.7), nor beyond own funds."""
    scenario = bm.scenario
    funder_of = {line.id: scenario.funder[line.funder_id] for line in scenario.budget_lines}
    fee_allowed: dict[tuple[str, str], bool] = {}
    for (member_id, family, item) in bm.class_cost:
        member = scenario.member[member_id]
        rules = [r for r in scenario.rules if r.cost_item == item and r.matches(family, member.kind, member.territory_id)]
        for funder in {funder_of[r.line_id] for r in rules}:
            if _access(scenario, member, funder) == "fee":
                total = sum(r.share_min_ppm for r in rules if _access(scenario, member, funder_of[r.line_id]) == "direct"
                            or funder_of[r.line_id].id == funder.id)
                fee_allowed[(member_id, funder.id)] = fee_allowed.get((member_id, funder.id), True) and total <= PPM
    for (member_id, funder_id), allowed in fee_allowed.items():
        affordable = bm.relaxes("own_funds") or (
            scenario.member[member_id].own_funds_cents >= scenario.funder[funder_id].access_fee_cents)  # type: ignore[operator]
        if allowed and affordable:
            bm.fee[(member_id, funder_id)] = bm.lm.add_var(0, 1, name=f"fee[{member_id},{funder_id}]")


def _shares(bm: BuiltModel) -> _Spending:
    """Each applicable rule pays its share of each class (``share_bounds``), an OPCA's only with
    its fee paid (``opca_access``), and own funds pay the rest (``cost_coverage``)."""
    scenario, lm = bm.scenario, bm.lm
    funder_of = {line.id: scenario.funder[line.funder_id] for line in scenario.budget_lines}
    spending = _Spending()
    for key, cost in bm.class_cost.items():
        member_id, family, item = key
        member = scenario.member[member_id]
        bound = sum(c * lm.ub[v] for v, c in cost.items())  # largest possible cost of the class
        paid: Expr = {}  # PPM-scaled amount paid by lines
        fixed: list[Rule] = []
        for rule in scenario.rules:
            if rule.cost_item != item or not rule.matches(family, member.kind, member.territory_id):
                continue
            funder = funder_of[rule.line_id]
            access = _access(scenario, member, funder)
            fee_var = bm.fee.get((member_id, funder.id)) if access == "fee" else None
            if access is None or (access == "fee" and fee_var is None):
                continue
            if rule.fixed and access == "direct":
                fixed.append(rule)
                share_expr = add_into({}, cost, rule.share_min_ppm)
                add_into(paid, share_expr)
                add_into(spending.line[rule.line_id], share_expr)
                continue
            # extraction may raise a share paid up to half a cent below share_min back to it: a
            # cent of the envelope per class is kept for that
            spending.margin[rule.line_id] += 1
            p = lm.add_var(0, bound, integer=False, name=f"pay[{key},{rule.index}]")
            bm.pay[(key, rule.index)] = p
            add_into(paid, {p: PPM})
            add_into(spending.line[rule.line_id], {p: PPM})
            upper = add_into({p: PPM}, cost, -rule.share_max_ppm)
            lm.add_row(upper, hi=PPM // 2, scale=PPM, name=f"share_bounds_max[{key},{rule.index}]")
            # p may pay up to half a cent above share_max (CP-SAT pays whole cents); extraction
            # puts the share back within the rule, so the member's own funds pay that part: `over`
            # (ppm of a cent) counts it against them exactly (SPEC §2.8), rather than a blanket margin
            over = lm.add_var(0, PPM // 2, integer=False, name=f"over[{key},{rule.index}]")
            lm.add_row(add_into({over: 1}, upper, -1), lo=0, scale=PPM, name=f"own_funds_over[{key},{rule.index}]")
            spending.own[member_id][over] = 1
            lower = add_into({p: PPM}, cost, -rule.share_min_ppm)
            if fee_var is None:
                lm.add_row(lower, lo=-(PPM // 2), scale=PPM, name=f"share_bounds_min[{key},{rule.index}]")
            else:
                lower[fee_var] = -PPM * bound
                lm.add_row(lower, lo=-(PPM // 2) - PPM * bound, scale=PPM, name=f"share_bounds_min[{key},{rule.index}]")
                lm.add_row({p: 1, fee_var: -bound}, hi=0, name=f"opca_access[{key},{rule.index}]")
        bm.fixed_rules[key] = fixed
        residual = add_into(add_into({}, cost, PPM), paid, -1)
        lm.add_row(residual, lo=0, scale=PPM, name=f"cost_coverage[{key}]")
        add_into(spending.own[member_id], residual)
    engineering_line = whole_engineering_line(scenario)
    if engineering_line is not None:  # E per session opened, paid in full by one line
        for var in bm.n.values():
            add_into(spending.line[engineering_line], {var: PPM * scenario.policy.engineering_cents_per_session})
    return spending


def _own_funds(bm: BuiltModel, spending: _Spending) -> None:
    """A member spends at most its own funds, access fees included."""
    scenario = bm.scenario
    for (member_id, funder_id), var in bm.fee.items():
        add_into(spending.own[member_id], {var: PPM * scenario.funder[funder_id].access_fee_cents})  # type: ignore[operator]
    if bm.relaxes("own_funds"):
        return
    for member_id, row in spending.own.items():
        # residuals, fees, and what share variables pay above share_max (`over`): extraction puts
        # the shares back within their rules and rounds own funds down, so the plan's own funds
        # never exceed this (a member may spend exactly its own funds)
        limit = scenario.member[member_id].own_funds_cents
        bm.lm.add_row(row, hi=PPM * max(0, limit), scale=PPM, name=f"own_funds[{member_id}]")


def _envelope(bm: BuiltModel, spending: _Spending) -> None:
    """A budget line spends at most its envelope."""
    if bm.relaxes("envelope"):
        return
    for line in bm.scenario.budget_lines:
        if line.envelope_cents is not None and spending.line[line.id]:
            # rounding to cents never overruns an envelope the exact amounts respect (rounding.py)
            limit = max(0, line.envelope_cents - spending.margin[line.id])
            bm.lm.add_row(spending.line[line.id], hi=PPM * limit, scale=PPM, name=f"envelope[{line.id}]")


# --- objective stages (SPEC §2.9) ------------------------------------------------------------
def served_weight(scenario: Scenario, module_code: str, priority: int) -> int:
    """Integer weight of serving one request: priority weight × minutes (or × 1 for trainees)."""
    unit = scenario.module[module_code].minutes if scenario.objective.served == "hours" else 1
    return scenario.priority_weight(priority) * unit


def _objectives(bm: BuiltModel, spending: _Spending) -> None:
    scenario, lm, cand = bm.scenario, bm.lm, bm.candidates
    public_cost: Expr = {}  # what the budget lines pay, PPM-scaled
    for row in spending.line.values():
        add_into(public_cost, row)
    bm.objectives[Stage.PUBLIC_COST] = Objective(Stage.PUBLIC_COST, public_cost, maximize=False,
                                                 divisor=PPM * 100.0, scale=PPM)
    divisor = 60.0 if scenario.objective.served == "hours" else 1.0
    served: Expr = {}
    travel: Expr = {}
    served_by_territory: dict[str, Expr] = defaultdict(dict)
    for g in cand.groups:
        weight = served_weight(scenario, g.module_code, g.priority)
        days = scenario.days(g.module_code)
        territory = scenario.member[g.member_id].territory_id
        for ci, leg in g.options:
            var = bm.x[(g.index, ci)]
            served[var] = weight
            served_by_territory[territory][var] = weight
            if leg.minutes:
                travel[var] = 2 * leg.minutes * days
    bm.objectives[Stage.SERVED] = Objective(Stage.SERVED, served, maximize=True, divisor=divisor)
    bm.objectives[Stage.TRAVEL] = Objective(Stage.TRAVEL, travel, maximize=False, divisor=1.0)
    bm.objectives[Stage.SESSIONS] = Objective(Stage.SESSIONS, {v: 1 for v in bm.n.values()}, maximize=False, divisor=1.0)
    # no objective values external seats or session count unless asked: prefer none needlessly
    external_weight = 1 + sum(lm.ub[v] for v in bm.n.values())
    bm.tidy = Objective(Stage.SESSIONS, {**{v: 1 for v in bm.n.values()}, **{v: external_weight for v in bm.e.values()}},
                        maximize=False, divisor=1.0)
    if Stage.EQUITY in scenario.objective.stages:
        requested: dict[str, int] = defaultdict(int)
        for r in scenario.requests:
            requested[scenario.member[r.member_id].territory_id] += served_weight(scenario, r.module_code, r.priority)
        z = lm.add_var(0, PPM, name="equity")
        for territory, total in requested.items():
            row = add_into({z: total}, served_by_territory.get(territory, {}), -PPM)
            lm.add_row(row, hi=0, scale=PPM, name=f"equity[{territory}]")
        bm.objectives[Stage.EQUITY] = Objective(Stage.EQUITY, {z: 1}, maximize=True, divisor=float(PPM))
