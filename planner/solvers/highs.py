"""HiGHS backend (through highspy): the LinearModel as a MIP, rows scaled back to small numbers."""

from __future__ import annotations

import math
import threading
import time

import highspy
import numpy as np

from planner.model.ir import Expr, LinearModel, Row
from planner.solvers.backend import Hint, IncumbentFn
from planner.solvers.status import SolveStatus, StageRun

_INF = highspy.kHighsInf


def _bound(value: int | None, scale: int, default: float) -> float:
    return default if value is None else value / scale


def objective_scale(cost: np.ndarray) -> float:
    """A power of ten that brings the objective's largest coefficient below 10,000.

    Public cost counts ppm of cents (coefficients up to ~1e11): unscaled, HiGHS's LP relaxation of
    that stage is minutes slower (docs/decisions.md)."""
    largest = float(np.max(np.abs(cost))) if len(cost) else 0.0
    return 10.0 ** (math.floor(math.log10(largest)) - 3) if largest > 1e6 else 1.0


class HighsBackend:
    name = "highs"
    pair_links = False

    def __init__(self, lm: LinearModel, *, workers: int = 1, seed: int = 0,
                 on_progress: IncumbentFn | None = None, deterministic: bool = False, takes_offers: bool = False):
        self.lm = lm
        self.h = highspy.Highs()
        # HiGHS is deterministic for a fixed thread count when it ends by optimality; under a
        # time limit, a single thread keeps runs reproducible on one machine
        if deterministic:
            workers = 1
        self.h.silent()
        self.h.setOptionValue("random_seed", seed)
        # HiGHS keeps one global thread pool: a new thread count is refused unless it is reset
        self.h.resetGlobalScheduler(True)
        self.h.setOptionValue("threads", max(1, workers))
        self.h.setOptionValue("mip_rel_gap", 1e-6)
        self._load(lm)
        self._interrupted = False  # stop for good (Ctrl-C, DELETE)
        # set by whoever runs this backend beside other work, to end the runs that see it set
        self.stop_run: threading.Event | None = None
        self.last_bound = float("inf")
        self._on_progress = on_progress
        self._started = 0.0
        self.objective_scale = 1.0  # HiGHS sees the objective divided by this (see objective_scale)
        self.h.cbMipImprovingSolution.subscribe(self._improving)
        self.h.cbMipInterrupt.subscribe(self._interrupt_check)
        # a solution found elsewhere during a run (another search beside it), handed to HiGHS
        self._offer: np.ndarray | None = None
        self._integer = np.array(lm.integer, dtype=bool)
        if takes_offers:
            self.h.cbMipUserSolution.subscribe(self._take_offer)

    @property
    def version(self) -> str:
        return f"HiGHS {self.h.versionMajor()}.{self.h.versionMinor()}.{self.h.versionPatch()}"

    def _load(self, lm: LinearModel) -> None:
        lp = highspy.HighsLp()
        lp.num_col_ = lm.num_vars
        lp.num_row_ = len(lm.rows)
        lp.col_cost_ = np.zeros(lm.num_vars)
        lp.col_lower_ = np.array(lm.lb, dtype=float)
        lp.col_upper_ = np.array(lm.ub, dtype=float)
        lp.row_lower_ = np.array([_bound(r.lo, r.scale, -_INF) for r in lm.rows], dtype=float)
        lp.row_upper_ = np.array([_bound(r.hi, r.scale, _INF) for r in lm.rows], dtype=float)
        starts, index, value = [0], [], []
        for r in lm.rows:
            index.extend(r.coefs.keys())
            value.extend(c / r.scale for c in r.coefs.values())
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=float)
        lp.a_matrix_.num_col_ = lm.num_vars
        lp.a_matrix_.num_row_ = len(lm.rows)
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in lm.integer]
        self.h.passModel(lp)

    def add_row(self, row: Row) -> None:
        idx = np.array(list(row.coefs.keys()), dtype=np.int32)
        val = np.array([c / row.scale for c in row.coefs.values()], dtype=float)
        self.h.addRow(_bound(row.lo, row.scale, -_INF), _bound(row.hi, row.scale, _INF), len(idx), idx, val)

    def interrupt(self) -> None:
        self._interrupted = True

    def set_column_bounds(self, lb: np.ndarray, ub: np.ndarray) -> None:
        """Every variable's bounds, from now on (a search fixes and frees variables between runs)."""
        n = self.lm.num_vars
        self.h.changeColsBounds(n, np.arange(n, dtype=np.int32), lb, ub)

    def row_duals(self) -> np.ndarray:
        """The last run's row duals, in the objective's units (HiGHS saw it divided by its scale)."""
        return np.asarray(self.h.getSolution().row_dual) * self.objective_scale

    def _improving(self, event) -> None:  # called by HiGHS from its thread
        if self._on_progress is not None:
            out, scale = event.data_out, self.objective_scale
            self._on_progress(out.objective_function_value * scale, out.mip_dual_bound * scale,
                              time.monotonic() - self._started)

    def _interrupt_check(self, event) -> None:
        self.last_bound = event.data_out.mip_dual_bound * self.objective_scale  # read by a search beside this run
        # set both ways: HiGHS keeps the flag from a run that was stopped into the next run
        event.interrupt(self._interrupted or (self.stop_run is not None and self.stop_run.is_set()))

    def offer(self, values: list[float]) -> None:
        """Hand a feasible solution to the run in progress (from another thread): HiGHS takes it as
        an incumbent at its next chance, which prunes its tree and seeds its own heuristics."""
        offer = np.asarray(values, dtype=float).copy()
        offer[self._integer] = np.round(offer[self._integer])
        self._offer = offer

    def new_run(self) -> None:
        """Forget the last run's offer and bound before a run that others watch starts (it is
        called before the run's thread starts: resetting inside the run would race with offers)."""
        self._offer = None
        self.last_bound = float("inf")  # HiGHS's bound is infinite until its root LP is solved

    def _take_offer(self, event) -> None:
        offer, self._offer = self._offer, None
        if offer is not None:
            event.data_in.setSolution(offer)

    def _consistent(self, cost: np.ndarray) -> bool:
        """Whether the returned values achieve the objective value HiGHS reports."""
        if self.h.getInfo().primal_solution_status != 2:
            return True
        achieved = float(cost @ np.asarray(self.h.getSolution().col_value))
        reported = self.h.getInfo().objective_function_value
        return abs(achieved - reported) <= 1e-6 * max(1.0, abs(reported))

    def solve(self, objective: Expr, maximize: bool, time_limit: float, hint: Hint | None) -> StageRun:
        n = self.lm.num_vars
        if n == 0:  # nothing to decide (no request can be served); HiGHS would say kModelEmpty
            return StageRun(SolveStatus.OPTIMAL, [], 0.0, 0.0, 0.0)
        cost = np.zeros(n)
        for v, c in objective.items():
            cost[v] = c
        scale = self.objective_scale = objective_scale(cost)
        cost /= scale
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
        self.h.setOptionValue("time_limit", max(0.1, float(time_limit)))
        if isinstance(hint, dict):  # a partial start: HiGHS completes the rest
            idx = np.array(list(hint.keys()), dtype=np.int32)
            self.h.setSolution(len(idx), idx, np.array(list(hint.values()), dtype=float))
        elif hint is not None:
            sol = highspy.HighsSolution()
            sol.col_value = list(hint)
            self.h.setSolution(sol)
        self._started = time.monotonic()
        self.h.run()
        if hint is not None and not self._consistent(cost):
            # HiGHS 1.16 may report the new optimum yet hand back the start's values: solve again cold
            self.h.clearSolver()
            self.h.run()
        seconds = time.monotonic() - self._started
        status = self.h.getModelStatus()
        info = self.h.getInfo()
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        values = list(self.h.getSolution().col_value) if has_solution else None
        if status == highspy.HighsModelStatus.kOptimal:
            st = SolveStatus.OPTIMAL
        elif status == highspy.HighsModelStatus.kInfeasible:
            st = SolveStatus.INFEASIBLE
        elif has_solution:
            st = SolveStatus.FEASIBLE
        elif self._interrupted:
            st = SolveStatus.INTERRUPTED
        elif status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
            st = SolveStatus.NO_SOLUTION
        else:
            st = SolveStatus.ERROR
        bound = info.mip_dual_bound * scale if abs(info.mip_dual_bound) < _INF else None
        objective_value = info.objective_function_value * scale
        if st == SolveStatus.OPTIMAL and bound is None:
            bound = objective_value
        return StageRun(st, values, objective_value if values is not None else None, bound, seconds)
