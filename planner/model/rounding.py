"""Rounding funding to cents without breaking a total: controlled rounding of a table.

Each row is one cost in whole cents (a session's pedagogy of one member, say) split into exact
amounts between columns (budget lines, the member's own funds). Rounding every amount on its own
would make rows miss their cost, and rounding rows one by one can push a column a cent per row
above its envelope. Here every amount becomes its exact value rounded down or up, every row adds
up to its cost, and every column stays within its cap: its exact total rounded up, and never more
than its limit (an envelope, own funds). Such a rounding exists whenever the exact table respects
the limits (Bacharach, 1966: a table can be rounded keeping its row and column sums rounded); a
max flow finds one — the cents left after rounding down flow from rows to columns — and at least
cost it rounds up the amounts nearest to the next cent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

from ortools.graph.python import min_cost_flow

from planner.domain.units import PPM

Table = Sequence[tuple[int, Mapping[Hashable, Fraction]]]  # (cost in cents, exact amount per column)


def round_table(rows: Table, limits: Mapping[Hashable, int]) -> list[dict[Hashable, int]]:
    """Whole cents per row and column: each amount its exact value rounded down or up, each row
    summing to its cost, each column within its limit (``limits``; no entry: no limit) whenever
    its exact total is. The cents go to the amounts nearest to the next cent, on ties to the
    columns a row lists first. If float noise put an exact total above its limit and no rounding
    fits, a row's leftover cents go to its largest remainders, limits aside (the checker tells)."""
    floors = [{col: math.floor(a) for col, a in amounts.items()} for _, amounts in rows]
    missing = [cost - sum(f.values()) for (cost, _), f in zip(rows, floors)]
    totals: dict[Hashable, Fraction] = defaultdict(Fraction)
    floor_totals: dict[Hashable, int] = defaultdict(int)
    for (_, amounts), f in zip(rows, floors):
        for col, a in amounts.items():
            totals[col] += a
            floor_totals[col] += f[col]
    columns = sorted(totals, key=repr)
    node = {col: len(rows) + 2 + k for k, col in enumerate(columns)}
    source, sink = len(rows), len(rows) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs: list[tuple[int, Hashable, int]] = []
    for r, ((_, amounts), f) in enumerate(zip(rows, floors)):
        if missing[r] > 0:
            flow.add_arc_with_capacity_and_unit_cost(source, r, missing[r], 0)
            for k, (col, a) in enumerate(amounts.items()):
                if a != f[col]:  # rounding up costs what it adds (in ppm); ties: earlier columns
                    price = round((1 - (a - f[col])) * PPM) * len(amounts) + k
                    arcs.append((r, col, flow.add_arc_with_capacity_and_unit_cost(r, node[col], 1, price)))
    spare: dict[Hashable, int] = {}
    for col in columns:
        cap = math.ceil(totals[col])
        if col in limits:
            cap = min(cap, limits[col])
        spare[col] = max(0, cap - floor_totals[col])
        flow.add_arc_with_capacity_and_unit_cost(node[col], sink, spare[col], 0)
    if any(m > 0 for m in missing):
        flow.set_node_supply(source, sum(missing))
        flow.set_node_supply(sink, -sum(missing))
        flow.solve_max_flow_with_min_cost()
        for r, col, arc in arcs:
            if flow.flow(arc):
                floors[r][col] += 1
                missing[r] -= 1
                spare[col] -= 1
    for r, (_, amounts) in enumerate(rows):  # only when no rounding fits the limits
        for _ in range(max(0, missing[r])):  # a column with room first, then the largest remainder
            col = min(amounts, key=lambda c: (spare[c] <= 0, floors[r][c] - amounts[c], repr(c)))
            floors[r][col] += 1
            spare[col] -= 1
    return floors
