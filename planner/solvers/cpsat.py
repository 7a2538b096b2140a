"""OR-Tools CP-SAT backend: the LinearModel with every variable integer (cents, ppm)."""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from planner.model.ir import Expr, LinearModel, Row
from planner.solvers.backend import Hint, IncumbentFn
from planner.solvers.status import SolveStatus, StageRun


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, backend: CpSatBackend):
        super().__init__()
        self.backend = backend

    def on_solution_callback(self) -> None:
        b = self.backend
        if b.on_progress is not None:
            b.on_progress(self.ObjectiveValue(), self.BestObjectiveBound(), time.monotonic() - b.started)
        if b.interrupted:
            self.StopSearch()


class CpSatBackend:
    name = "cpsat"
    pair_links = True

    def __init__(self, lm: LinearModel, *, workers: int = 2, seed: int = 0,
                 on_progress: IncumbentFn | None = None, deterministic: bool = False):
        self.lm = lm
        self.deterministic = deterministic
        self.model = cp_model.CpModel()
        self.vars = [
            self.model.NewIntVar(int(math.floor(lb)), int(math.ceil(ub)), name or f"v{i}")
            for i, (lb, ub, name) in enumerate(zip(lm.lb, lm.ub, lm.names))
        ]
        for row in lm.rows:
            self.add_row(row)
        self.workers, self.seed = workers, seed
        self.on_progress = on_progress
        self.interrupted = False
        self.started = 0.0
        self.solver: cp_model.CpSolver | None = None

    @property
    def version(self) -> str:
        from ortools import __version__

        return f"OR-Tools CP-SAT {__version__}"

    def _expr(self, coefs: Expr):
        return cp_model.LinearExpr.WeightedSum([self.vars[v] for v in coefs], list(coefs.values()))

    def add_row(self, row: Row) -> None:
        expr = self._expr(row.coefs)
        if row.lo is not None and row.hi is not None:
            self.model.AddLinearConstraint(expr, row.lo, row.hi)
        elif row.lo is not None:
            self.model.Add(expr >= row.lo)
        elif row.hi is not None:
            self.model.Add(expr <= row.hi)

    def interrupt(self) -> None:
        self.interrupted = True
        if self.solver is not None:
            self.solver.StopSearch()

    def solve(self, objective: Expr, maximize: bool, time_limit: float, hint: Hint | None) -> StageRun:
        expr = self._expr(objective) if objective else 0
        if maximize:
            self.model.Maximize(expr)
        else:
            self.model.Minimize(expr)
        self.model.ClearHints()
        if hint is not None:
            pairs = hint.items() if isinstance(hint, dict) else enumerate(hint)
            for index, value in pairs:
                self.model.AddHint(self.vars[index], int(round(value)))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = max(1, self.workers)
        solver.parameters.random_seed = self.seed
        if self.deterministic:
            # same seed, same plan: interleaved workers and a deterministic-time limit; the
            # wall-clock limit (three times as long) is only a backstop against hanging
            solver.parameters.max_deterministic_time = max(0.1, float(time_limit))
            solver.parameters.max_time_in_seconds = max(0.3, 3.0 * float(time_limit))
            solver.parameters.interleave_search = self.workers > 1
        else:
            solver.parameters.max_time_in_seconds = max(0.1, float(time_limit))
        self.solver = solver
        self.started = time.monotonic()
        status = solver.Solve(self.model, _Progress(self))
        seconds = time.monotonic() - self.started
        has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        values = [float(solver.Value(v)) for v in self.vars] if has_solution else None
        st = {
            cp_model.OPTIMAL: SolveStatus.OPTIMAL,
            cp_model.FEASIBLE: SolveStatus.FEASIBLE,
            cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
            cp_model.MODEL_INVALID: SolveStatus.ERROR,
        }.get(status, SolveStatus.INTERRUPTED if self.interrupted else SolveStatus.NO_SOLUTION)
        objective_value = solver.ObjectiveValue() if has_solution else None
        return StageRun(st, values, objective_value, solver.BestObjectiveBound(), seconds)
