"""CBC backend through PuLP (where PuLP's bundled CBC is installed): same model, third opinion.

PuLP reports no best bound for an interrupted MIP, so the bound is only known when the
stage is proven optimal.
"""

from __future__ import annotations

import time

import pulp

from planner.model.ir import Expr, LinearModel, Row
from planner.solvers.backend import Hint, IncumbentFn
from planner.solvers.status import SolveStatus, StageRun


class CbcBackend:
    name = "cbc"
    pair_links = False

    def __init__(self, lm: LinearModel, *, workers: int = 1, seed: int = 0,
                 on_progress: IncumbentFn | None = None, deterministic: bool = False):
        if not pulp.PULP_CBC_CMD().available():
            raise RuntimeError("CBC is not installed with PuLP on this machine")
        self.lm = lm
        # CBC 2.10.3 given `-threads 1` runs its threaded tree search with one thread, which at
        # times waits for that thread until the time limit ("Thread 0 used 0 times, waiting to
        # start 10.0") and stops with the start unproven: one worker is CBC's serial search
        self.threads = workers if workers > 1 else None
        self.rows: list[Row] = list(lm.rows)
        self.vars = [
            pulp.LpVariable(f"v{i}", lowBound=lb, upBound=ub, cat=pulp.LpInteger if integer else pulp.LpContinuous)
            for i, (lb, ub, integer) in enumerate(zip(lm.lb, lm.ub, lm.integer))
        ]

    @property
    def version(self) -> str:
        return f"CBC via PuLP {pulp.__version__}"

    def add_row(self, row: Row) -> None:
        self.rows.append(row)

    def interrupt(self) -> None:  # CBC runs as a subprocess of PuLP; the time limit bounds it
        pass

    def _affine(self, coefs: Expr, scale: int = 1):
        return pulp.lpSum(self.vars[v] * (c / scale) for v, c in coefs.items())

    def solve(self, objective: Expr, maximize: bool, time_limit: float, hint: Hint | None) -> StageRun:
        problem = pulp.LpProblem("plan", pulp.LpMaximize if maximize else pulp.LpMinimize)
        # CBC struggles with objective coefficients near 1e10 (money in ppm-cents): normalise
        scale = max((abs(c) for c in objective.values()), default=1)
        problem += self._affine(objective, scale)
        for row in self.rows:
            expr = self._affine(row.coefs, row.scale)
            if row.lo is not None:
                problem += expr >= row.lo / row.scale
            if row.hi is not None:
                problem += expr <= row.hi / row.scale
        if hint is not None:
            pairs = hint.items() if isinstance(hint, dict) else enumerate(hint)
            for index, value in pairs:
                var = self.vars[index]
                var.setInitialValue(round(value) if var.cat == pulp.LpInteger else value)
        started = time.monotonic()

        def run(**options) -> int:  # CBC on what is left of the time limit (whole seconds, at least one)
            left = max(1, int(time_limit - (time.monotonic() - started)))
            return problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=left, threads=self.threads,
                                                   warmStart=hint is not None, **options))

        status = run()
        if status == pulp.LpStatusInfeasible:
            # this model is never infeasible (all zeros, or the previous stage's solution, satisfies
            # it), but CBC 2.10's preprocessing sometimes says so: solve again without it
            status = run(options=["preprocess off"])
        seconds = time.monotonic() - started
        has_solution = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        values = [float(v.value() or 0.0) for v in self.vars] if has_solution else None
        if problem.sol_status == pulp.LpSolutionOptimal:
            st = SolveStatus.OPTIMAL
        elif status == pulp.LpStatusInfeasible:
            st = SolveStatus.INFEASIBLE
        elif has_solution:
            st = SolveStatus.FEASIBLE
        else:
            st = SolveStatus.NO_SOLUTION
        objective_value = (pulp.value(problem.objective) or 0.0) * scale if has_solution else None
        return StageRun(st, values, objective_value, objective_value if st == SolveStatus.OPTIMAL else None, seconds)
