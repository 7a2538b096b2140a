"""Map an existing plan (e.g. the greedy one) onto model variables, as a solver warm start.

Sessions, assignments, external seats and access fees map exactly; picked shares are filled
where one variable rule of a line covers the class; the rest is left for the solver to complete.
"""

from __future__ import annotations

from collections import defaultdict

from planner.domain import OWN
from planner.domain.plan import Plan
from planner.model.build import BuiltModel


def hint_from_plan(bm: BuiltModel, plan: Plan) -> dict[int, float] | None:
    """Variable values reproducing ``plan``; None when the plan uses a session the model lacks."""
    scenario, cand = bm.scenario, bm.candidates
    cell_of = {(c.module_code, c.provider_id, c.venue_id, c.start): c.index for c in cand.cells}
    group_of = {r: g.index for g in cand.groups for r in g.requests}
    values: dict[int, float] = {var: 0.0 for var in (*bm.x.values(), *bm.n.values(), *bm.e.values(), *bm.fee.values())}
    for session in plan.sessions:
        ci = cell_of.get((session.module_code, session.provider_id, session.venue_id, session.start_month))
        if ci is None:
            return None
        values[bm.n[ci]] += 1
        if ci in bm.e:
            values[bm.e[ci]] += session.external_seats
        for r in session.requests:
            var = bm.x.get((group_of.get(r, -1), ci))
            if var is None:
                return None
            values[var] += 1
    in_training = {
        (scenario.requests[r].member_id, scenario.requests[r].trainee_ref, month)
        for s in plan.sessions
        for month in cand.cells[cell_of[(s.module_code, s.provider_id, s.venue_id, s.start_month)]].month_span
        for r in s.requests
    }
    for key, var in bm.busy.items():
        values[var] = float(key in in_training)
    line_paid: dict[tuple[str, str, str, str], int] = defaultdict(int)  # (member, family, item, line) -> cents
    family_of = {s.id: scenario.module[s.module_code].family.value for s in plan.sessions}
    for row in plan.funding:
        if row.session_id and row.line_id != OWN:
            line_paid[(row.member_id, family_of[row.session_id], row.cost_item, row.line_id)] += row.amount_cents
        elif row.cost_item.startswith("access_fee:"):
            var = bm.fee.get((row.member_id, row.cost_item.split(":", 1)[1]))
            if var is not None:
                values[var] = 1.0
    rules = {r.index: r for r in scenario.rules}
    vars_per_line: dict[tuple, list[int]] = defaultdict(list)
    for (key, rule_index), var in bm.pay.items():
        vars_per_line[(key[0], key[1].value, key[2].value, rules[rule_index].line_id)].append(var)
    for line_key, variables in vars_per_line.items():
        if len(variables) == 1:
            values[variables[0]] = float(line_paid.get(line_key, 0))
    return values
