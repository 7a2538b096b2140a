"""Which sessions to try: each module's best plan at the prices of the LP relaxation.

The model falls apart into one sub-model per module once the rows that link modules (envelopes,
own funds, funding shares, trainee months, release caps, providers' and venues' months, fixed
stages) are priced instead of kept: each module then plans alone, with its own integer sessions
and min_fill, and pays the LP's dual price for every unit of a shared resource it uses. The
cells these plans open, at the LP's prices and at cheaper ones (so that modules reach for more),
are a short list of sessions worth opening; a MIP restricted to them (and to the incumbent's)
is small enough for HiGHS to solve nearly to proof in seconds, where the whole model takes
minutes of root cuts (measured: docs/decisions.md, "The lns backend").
"""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from planner.model.ir import Expr, LinearModel, Row
from planner.solvers.highs import HighsBackend
from planner.solvers.status import SolveStatus

# price factors, in the order tried while time lasts: 1 = the LP's duals; below 1 shared
# resources look cheaper and modules open more (each level adds cells; docs/decisions.md)
PRICE_FACTORS = (1.0, 0.7, 0.5, 0.85, 0.6, 0.4)
SUB_TIME = 1.0  # seconds at most per module sub-MIP


class ModulePricing:
    """One sub-model per module (the rows wholly inside it) and the LP relaxation, made once.

    Every HiGHS instance is made here, before any runs: making one resets HiGHS's shared thread
    pool, which must not happen while another instance runs beside.
    """

    def __init__(self, lm: LinearModel, seed: int = 0, workers: int = 1):
        self.lm = lm
        self.workers = max(1, workers)  # module sub-MIPs solved side by side (HiGHS frees the GIL)
        parts: dict[str, list[int]] = defaultdict(list)
        for key, block in zip(lm.block_keys, lm.blocks):
            parts[key[0]].extend(block)  # blocks are (module, territory): a module's blocks make its part
        self.part_vars = [np.array(sorted(v), dtype=np.int32) for _, v in sorted(parts.items())]
        self.part_of = np.full(lm.num_vars, -1, dtype=np.int64)
        for p, variables in enumerate(self.part_vars):
            self.part_of[variables] = p
        self.local = np.full(lm.num_vars, -1, dtype=np.int64)  # index of a variable in its part
        for variables in self.part_vars:
            self.local[variables] = np.arange(len(variables))
        self.rows = list(lm.rows)  # the relaxed model's rows, in order (duals come in this order)
        self.linking: list[int] = []  # rows priced, not kept, in the sub-models
        inside: list[list[Row]] = [[] for _ in self.part_vars]
        for k, row in enumerate(self.rows):
            part = self._part(row)
            if part is None:
                self.linking.append(k)
            else:
                inside[part].append(row)
        self.subs = [HighsBackend(self._sub_model(variables, rows), seed=seed)
                     for variables, rows in zip(self.part_vars, inside)]
        self.relaxed = HighsBackend(LinearModel(lm.lb, lm.ub, [False] * lm.num_vars, lm.names, self.rows), seed=seed)
        self.gates = np.array(sorted(lm.gates), dtype=np.int32)
        self._duals: np.ndarray | None = None  # of the last relaxation solved
        self._interrupted = False

    def _part(self, row: Row) -> int | None:
        parts = {int(self.part_of[v]) for v in row.coefs}
        return parts.pop() if len(parts) == 1 and -1 not in parts else None

    def _sub_model(self, variables: np.ndarray, rows: list[Row]) -> LinearModel:
        sub = LinearModel()
        for v in variables:
            sub.add_var(self.lm.lb[v], self.lm.ub[v], integer=self.lm.integer[v], name=self.lm.names[v])
        for row in rows:
            sub.add_row({int(self.local[v]): c for v, c in row.coefs.items()}, row.lo, row.hi, scale=row.scale,
                        name=row.name)
        return sub

    def add_row(self, row: Row) -> None:
        """A row added to the model (a stage fixed): priced, or kept where it lies in one module."""
        self.relaxed.add_row(row)
        self.rows.append(row)
        part = self._part(row)
        if part is None:
            self.linking.append(len(self.rows) - 1)
        else:
            self.subs[part].add_row(Row({int(self.local[v]): c for v, c in row.coefs.items()}, row.lo, row.hi,
                                        row.scale, row.name))

    def interrupt(self) -> None:
        self._interrupted = True
        self.relaxed.interrupt()
        for sub in self.subs:
            sub.interrupt()

    def relaxation(self, objective: Expr, maximize: bool, deadline: float) -> float | None:
        """The LP relaxation's optimum, a bound for the stage (None if not solved by ``deadline``);
        its duals are the prices :meth:`gate_caps` uses next."""
        lp = self.relaxed.solve(objective, maximize, max(0.1, deadline - time.monotonic()), None)
        solved = lp.status == SolveStatus.OPTIMAL
        self._duals = self.relaxed.row_duals() if solved else None
        return lp.objective if self._duals is not None else None

    def gate_caps(self, objective: Expr, maximize: bool, deadline: float) -> np.ndarray | None:
        """The most sessions any module's priced plan opens in each cell (``lm.gates`` order), over
        :data:`PRICE_FACTORS` while time lasts, at the prices of the last :meth:`relaxation` of
        this ``objective``; None without one."""
        if self._duals is None:
            return None
        caps = np.zeros(len(self.gates))
        cost = np.zeros(self.lm.num_vars)
        for v, c in objective.items():
            cost[v] = c
        use = self._priced_use(self._duals)
        for factor in PRICE_FACTORS:
            if self._interrupted or time.monotonic() >= deadline:
                break
            plan = self._priced_plans(cost - factor * use, maximize, deadline)
            caps = np.maximum(caps, np.round(plan[self.gates]))
        return caps

    def _priced_use(self, duals: np.ndarray) -> np.ndarray:
        """Σ over linking rows of dual × coefficient, per variable: what using it costs at those prices."""
        use = np.zeros(self.lm.num_vars)
        for k in self.linking:
            if duals[k]:
                row = self.rows[k]
                for v, c in row.coefs.items():
                    use[v] += duals[k] * c / row.scale
        return use

    def _priced_plans(self, reduced: np.ndarray, maximize: bool, deadline: float) -> np.ndarray:
        """Every module's best plan for the reduced objective, side by side in one vector."""
        values = np.zeros(self.lm.num_vars)

        def plan(part: int) -> None:
            left = deadline - time.monotonic()
            if self._interrupted or left <= 0:
                return
            variables = self.part_vars[part]
            objective = {i: float(c) for i, c in enumerate(reduced[variables]) if c}
            run = self.subs[part].solve(objective, maximize, min(SUB_TIME, left), None)
            if run.values is not None:
                values[variables] = run.values  # parts are disjoint: no two threads write one entry

        with ThreadPoolExecutor(self.workers) as pool:
            list(pool.map(plan, range(len(self.subs))))
        return values
