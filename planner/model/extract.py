"""Turn model variable values into a concrete plan: sessions, trainees, funding rows in cents.

Cells with n sessions are split into n balanced sessions (always within min_fill..max_size,
since the cell's total is). Funding shares picked per class (member, family, cost item) are
applied to every session of the class, so each row keeps the class's share; amounts are
rounded to cents so that each (session, member, cost item) adds up to its cost exactly, each
amount within a cent of its exact share, and no envelope or own funds overrun
(:mod:`planner.model.rounding`).
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from planner.domain import OWN, CostItem
from planner.domain.plan import FundingRow, PlannedSession
from planner.domain.units import PPM
from planner.model.build import BuiltModel, ClassKey
from planner.model.candidates import Cell
from planner.model.rounding import round_table
from planner.rules.costs import session_costs, whole_engineering_line

__all__ = ["class_shares", "extract_funding", "extract_sessions", "integer_values", "session_costs"]


def integer_values(bm: BuiltModel, values: list[float]) -> list[float]:
    return [round(v) if is_int else v for v, is_int in zip(values, bm.lm.integer)]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def extract_sessions(bm: BuiltModel, values: list[float]) -> list[PlannedSession]:
    scenario, cand = bm.scenario, bm.candidates
    taken: dict[int, int] = defaultdict(int)  # group -> requests already placed
    members_of_cell: dict[int, list[int]] = defaultdict(list)
    for (g, ci), var in sorted(bm.x.items()):
        count = int(round(values[var]))
        if count <= 0:
            continue
        group = cand.groups[g]
        members_of_cell[ci].extend(group.requests[taken[g]:taken[g] + count])
        taken[g] += count
    sessions: list[PlannedSession] = []
    order = sorted(cand.cells, key=lambda c: (c.module_code, c.territory_id, c.start, c.venue_id, c.provider_id))
    for cell in order:
        n = int(round(values[bm.n[cell.index]]))
        if n <= 0:
            continue
        external = int(round(values[bm.e[cell.index]])) if cell.index in bm.e else 0
        requests = sorted(members_of_cell[cell.index], key=lambda r: (scenario.requests[r].member_id, r))
        sizes = _split(len(requests) + external, n)
        externals = _split(external, n)
        start = 0
        for size, ext in zip(sizes, externals):
            mine = tuple(requests[start:start + size - ext])
            start += size - ext
            sessions.append(_session(cell, len(sessions) + 1, mine, ext))
    return sessions


def _session(cell: Cell, number: int, requests: tuple[int, ...], external: int) -> PlannedSession:
    return PlannedSession(
        id=f"S{number:04d}", module_code=cell.module_code, provider_id=cell.provider_id, venue_id=cell.venue_id,
        start_month=cell.start, end_month=cell.start + cell.months - 1, requests=requests, external_seats=external,
    )


def class_shares(bm: BuiltModel, values: list[float]) -> dict[ClassKey, dict[str, Fraction]]:
    """Share of each budget line in each funding class, as picked by the solve."""
    scenario = bm.scenario
    rules = {r.index: r for r in scenario.rules}
    shares: dict[ClassKey, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for key, fixed in bm.fixed_rules.items():
        for rule in fixed:
            shares[key][rule.line_id] += Fraction(rule.share_min_ppm, PPM)
    for (key, rule_index), var in bm.pay.items():
        cost = bm.lm.evaluate(bm.class_cost[key], values)
        paid = values[var]
        if cost <= 0 or paid <= 1e-9:
            continue
        rule = rules[rule_index]
        fee = bm.fee.get((key[0], scenario.budget_line[rule.line_id].funder_id))
        if fee is not None and values[fee] < 0.5:
            continue  # the access fee is not paid: a solver's tolerance left a crumb on the rule
        if rule.fixed:
            share = Fraction(rule.share_min_ppm, PPM)  # fee-dependent fixed share: exact
        else:
            ratio = Fraction(paid / cost).limit_denominator(PPM)
            share = min(max(ratio, Fraction(rule.share_min_ppm, PPM)), Fraction(rule.share_max_ppm, PPM))
        shares[key][rule.line_id] += share
    for key, lines in shares.items():  # rounding of picked ratios must never exceed 100 %
        total = sum(lines.values())
        if total > 1:
            excess = total - 1
            for line_id in sorted(lines, key=lambda l: -lines[l]):
                cut = min(excess, lines[line_id])
                lines[line_id] -= cut
                excess -= cut
    return shares


def extract_funding(bm: BuiltModel, values: list[float], sessions: list[PlannedSession]) -> list[FundingRow]:
    scenario = bm.scenario
    shares = class_shares(bm, values)
    engineering_line = whole_engineering_line(scenario)
    funder_of_line = {line.id: line.funder_id for line in scenario.budget_lines}
    keys: list[tuple[str, str, CostItem]] = []
    table: list[tuple[int, dict[tuple[str, str], Fraction]]] = []  # columns: ("line", id), ("own", member)
    drawn: set[tuple[str, str]] = set()  # (member, funder) pairs with a share in the plan
    for session in sessions:
        family = scenario.module[session.module_code].family
        for (member_id, item), cost in sorted(session_costs(scenario, session).items()):
            line_shares = shares.get((member_id, family, item), {})
            if item == CostItem.ENGINEERING and engineering_line is not None:
                line_shares = {engineering_line: Fraction(1)}
            exact = {("line", line): share * cost for line, share in line_shares.items() if share > 0}
            # own funds last: on a tie, a line takes the odd cent rather than the member
            exact[("own", member_id)] = max(Fraction(0), cost - sum(exact.values()))
            keys.append((session.id, member_id, item))
            table.append((cost, exact))
            drawn.update((member_id, funder_of_line[line]) for (kind, line) in exact if kind == "line")
    # the access fees the plan pays come out of own funds first
    fees = [(member_id, funder_id) for (member_id, funder_id), var in sorted(bm.fee.items())
            if values[var] > 0.5 and (member_id, funder_id) in drawn]
    amounts = round_table(table, _limits(bm, fees))
    rows: list[FundingRow] = []
    used_funders: dict[str, set[str]] = defaultdict(set)
    for (session_id, member_id, item), cents_by_column in zip(keys, amounts):
        for (kind, name), cents in sorted(cents_by_column.items(), key=lambda kv: (kv[0][0] == "own", kv[0][1])):
            if not cents:
                continue
            if kind == "own":
                rows.append(FundingRow(session_id, member_id, member_id, OWN, item.value, cents))
            else:
                rows.append(FundingRow(session_id, member_id, funder_of_line[name], name, item.value, cents))
                used_funders[member_id].add(funder_of_line[name])
    for member_id, funder_id in fees:
        if funder_id in used_funders[member_id]:
            fee = scenario.funder[funder_id].access_fee_cents or 0
            rows.append(FundingRow("", member_id, member_id, OWN, f"access_fee:{funder_id}", fee))
    return rows


def _limits(bm: BuiltModel, fees: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """What rounding keeps each column within: envelopes, and own funds less the access fees paid
    (each unless an explanation relaxed it)."""
    scenario = bm.scenario
    limits: dict[tuple[str, str], int] = {}
    if not bm.relaxes("envelope"):
        limits.update({("line", line.id): line.envelope_cents for line in scenario.budget_lines
                       if line.envelope_cents is not None})
    if not bm.relaxes("own_funds"):
        paid: dict[str, int] = defaultdict(int)
        for member_id, funder_id in fees:
            paid[member_id] += scenario.funder[funder_id].access_fee_cents or 0
        limits.update({("own", m.id): max(0, m.own_funds_cents - paid[m.id]) for m in scenario.members})
    return limits
