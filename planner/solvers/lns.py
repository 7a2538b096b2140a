"""HiGHS inside a large-neighbourhood search: the `lns` backend.

On the reference scenarios HiGHS spends minutes in root cut rounds before its own sub-MIP
heuristics find good plans, and CP-SAT's portfolio barely improves on the greedy start with two
workers. Sub-MIPs over a few (module, territory) blocks are small and HiGHS solves them in a
second or two; chaining them climbs fast (reports/bench.md).

One stage solve:
1. with two workers, HiGHS runs on the whole model (and its cuts) in a second thread for the
   whole stage: it supplies the bound (or the stage's LP relaxation does, when tighter), proves
   small models optimal (the search then stops), and its incumbent is kept when it beats the
   search, which hands it each better plan it finds; with one worker, it runs first for a short
   while instead;
2. when the stage has time (:data:`PRICED_MIN_TIME`), a MIP restricted to the sessions that
   modules planned alone at the LP's prices open (:mod:`planner.solvers.columns`) improves the
   start: a few dozen seconds there beat minutes of block search;
3. the incumbent (the best of the warm start completed, the whole-model run's, "serve nobody",
   the restricted MIP's) is improved by freeing the variables of a few blocks (a block and its
   kin half of the time) and fixing all others at the incumbent, repeatedly; the neighbourhood
   grows while sub-MIPs end proven and shrinks when they time out.
Other neighbourhoods (RINS by block, whole modules, the next stage as a tie-break) and other
orders of the restricted MIP were measured and dropped: docs/decisions.md, "The lns backend".
Blocks come from the model builder (``LinearModel.blocks``); without blocks this is HiGHS.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict

import numpy as np

from planner.model.ir import Expr, LinearModel, Row
from planner.solvers.columns import ModulePricing
from planner.solvers.highs import HighsBackend
from planner.solvers.backend import Hint, IncumbentFn
from planner.solvers.status import SolveStatus, StageRun

WHOLE_MODEL_SHARE = 0.15  # of a stage's time, first spent on the whole model (one worker)
WHOLE_MODEL_MAX = 10.0  # seconds
SUB_TIME = 2.0  # seconds per sub-MIP
START_BLOCKS = 4
PRICED_MIN_TIME = 30.0  # seconds a stage needs before pricing sessions is worth its cost
RELAXATION_MIN_TIME = 10.0  # seconds a stage needs before its LP relaxation is solved for a bound
RELAXATION_SHARE = 0.2  # of a stage's time, at most spent on it
PRICING_SHARE = 0.25  # of a stage's time, at most spent pricing modules at the LP's duals
RESTRICTED_SHARE = 0.45  # of a stage's time, for the MIP restricted to the priced sessions
FALLBACK_SHARE = 0.2  # then, only if it found nothing better, with the incumbent's sessions too
# the whole-model run beside the search gets the model's cuts only up to this many rows with them:
# HiGHS cannot interrupt a root LP, and a bigger one with cuts may never end (docs/decisions.md)
CUTS_MAX_ROWS = 25_000


class LnsBackend:
    name = "lns"
    pair_links = False

    def __init__(self, lm: LinearModel, *, workers: int = 1, seed: int = 0,
                 on_progress: IncumbentFn | None = None, deterministic: bool = False,
                 whole_model: bool = True):
        self.lm = lm
        self.whole_model = whole_model  # False: search from the start alone (tests of the search)
        # every HiGHS instance is made here, before any runs: making one resets HiGHS's shared
        # thread pool, which must not happen under a running solve
        self.inner = HighsBackend(lm, workers=1, seed=seed, deterministic=deterministic)
        # the whole-model run beside the search is there for the bound above all: it gets the
        # model's cuts, which tighten it, unless they make its root LP too big (CUTS_MAX_ROWS)
        self.beside: HighsBackend | None = None
        if whole_model and workers >= 2 and not deterministic and lm.blocks:
            whole = lm.with_cuts() if len(lm.rows) + len(lm.cuts) <= CUTS_MAX_ROWS else lm
            self.beside = HighsBackend(whole, workers=1, seed=seed, on_progress=self._beside_found, takes_offers=True)
        self.pricing = (ModulePricing(lm, seed=seed, workers=1 if deterministic else workers)
                        if lm.blocks and lm.gates else None)
        self.priced_min_time = PRICED_MIN_TIME
        self._later_stage = False
        self.seed = seed
        self._on_progress = on_progress
        self._interrupted = False
        self.lb0 = np.array(lm.lb, dtype=float)
        self.ub0 = np.array(lm.ub, dtype=float)
        self.blocks = [np.array(sorted(b), dtype=np.int32) for b in lm.blocks]
        self.in_block = np.zeros(lm.num_vars, dtype=bool)
        for block in self.blocks:
            self.in_block[block] = True
        # related blocks share a key part (the module, or the territory); indexed, not compared
        # pairwise: national scenarios have thousands of blocks
        keys = lm.block_keys if len(lm.block_keys) == len(lm.blocks) else []
        by_part: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            for part in set(key):
                by_part[part].append(i)
        self.related = [sorted({j for part in set(key) for j in by_part[part]} - {i}) for i, key in enumerate(keys)]
        self.rng = random.Random(seed)
        self.size = START_BLOCKS
        self._beside_best: float | None = None
        self._started = 0.0
        self._best: float | None = None
        self._lp_bound: float | None = None  # the stage's LP relaxation optimum, when solved
        self._maximize = True

    @property
    def version(self) -> str:
        return f"{self.inner.version} in a large-neighbourhood search"

    def add_row(self, row: Row) -> None:
        self._later_stage = True  # rows are added to fix a stage before the next one
        for backend in (self.inner, self.beside, self.pricing):
            if backend is not None:
                backend.add_row(row)

    def interrupt(self) -> None:
        self._interrupted = True
        for backend in (self.inner, self.beside, self.pricing):
            if backend is not None:
                backend.interrupt()

    def solve(self, objective: Expr, maximize: bool, time_limit: float,
              hint: Hint | None) -> StageRun:
        started = self._started = time.monotonic()
        deadline = started + time_limit
        self._best = self._beside_best = self._lp_bound = None
        if self.beside is not None:
            self.beside.new_run()
        self._maximize = maximize
        if not self.blocks:
            return self.inner.solve(objective, maximize, time_limit, hint)
        beside: dict[str, StageRun] = {}
        thread = None
        first = StageRun(SolveStatus.NO_SOLUTION, None, None, None, 0.0)
        if self.beside is not None:
            self.beside.stop_run = stop = threading.Event()
            thread = threading.Thread(target=lambda: beside.setdefault(
                "run", self.beside.solve(objective, maximize, time_limit, hint)), daemon=True)
            thread.start()
        elif self.whole_model:
            first = self._whole(objective, maximize, min(WHOLE_MODEL_MAX, WHOLE_MODEL_SHARE * time_limit), hint)
            if first.status == SolveStatus.OPTIMAL or self._interrupted:
                return first
        try:
            run = self._search(objective, maximize, deadline, hint, first, beside)
        finally:
            if thread is not None:
                stop.set()
                thread.join()
        if thread is None:
            return run
        return self._merge(run, beside.get("run"), objective, maximize, started)

    def _search(self, objective: Expr, maximize: bool, deadline: float, hint: Hint | None,
                first: StageRun, beside: dict[str, StageRun]) -> StageRun:
        started = self._started
        bound = first.bound
        # the start completed on its own, unless the whole-model run already did better (HiGHS
        # may reject a start that strays by a rounding margin and end below it)
        candidates = [v for v in (first.values, self._complete(hint, objective, maximize, deadline)) if v is not None]
        if not candidates:
            return StageRun(first.status, None, None, bound, time.monotonic() - started)
        incumbent = (max if maximize else min)(candidates, key=lambda v: self.lm.evaluate(objective, v))
        best = self.lm.evaluate(objective, incumbent)
        self._found(best, bound, incumbent)
        self._relaxation(objective, maximize, deadline)
        bound = self._tighter(bound, self._lp_bound)
        caps = self._price(objective, maximize, deadline)
        if caps is not None:
            # the priced cells alone, from nothing: adding the start's cells (and the start as a
            # hint) often kept HiGHS from finding anything better in its time (docs/decisions.md);
            # with them only when that fails; a later stage keeps the earlier ones' values, which
            # may need the start's sessions: it starts from them
            tries = (((incumbent, RESTRICTED_SHARE),) if self._later_stage
                     else ((None, RESTRICTED_SHARE), (incumbent, FALLBACK_SHARE)))
            for start, share in tries:
                seconds = min(share * (deadline - started), deadline - time.monotonic())
                run = self._restricted(objective, maximize, start, caps, seconds)
                value = best if run.values is None else self.lm.evaluate(objective, run.values)
                if self._better(value, best, maximize):
                    best, incumbent = value, run.values
                    self._found(best, bound, incumbent)
                    break
        # a proof from the whole-model run ends the search; its other endings do not
        while (not self._interrupted and time.monotonic() < deadline - 0.2
               and beside.get("run", first).status != SolveStatus.OPTIMAL):
            everything = self.size >= len(self.blocks)
            run = self._neighbourhood(objective, maximize, incumbent, min(SUB_TIME, deadline - time.monotonic()))
            if run.values is None:
                continue
            value = self.lm.evaluate(objective, run.values)
            if self._better(value, best, maximize):
                best, incumbent = value, run.values
                self._found(best, bound, incumbent)
            if everything and run.status == SolveStatus.OPTIMAL:  # every block was free: the whole model
                bound = best
                break
        self._restore()
        proven = bound is not None and abs(best - bound) <= 1e-6 * max(1.0, abs(bound))
        status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        return StageRun(status, list(incumbent), best, bound, time.monotonic() - started)

    def _merge(self, search: StageRun, whole: StageRun | None, objective: Expr, maximize: bool,
               started: float) -> StageRun:
        """The search's plan or the whole-model run's, whichever is better; the latter's bound."""
        if whole is None or self._interrupted and whole.values is None:
            return search
        if whole.status == SolveStatus.OPTIMAL:
            return whole
        bound = self._tighter(whole.bound, self._lp_bound)
        if search.status == SolveStatus.OPTIMAL:  # the search freed every block: proven
            bound = search.objective
        runs = [r for r in (search, whole) if r.values is not None]
        if not runs:
            return StageRun(whole.status, None, None, bound, time.monotonic() - started)
        better = (max if maximize else min)(runs, key=lambda r: self.lm.evaluate(objective, r.values))
        value = self.lm.evaluate(objective, better.values)
        proven = bound is not None and abs(value - bound) <= 1e-6 * max(1.0, abs(bound))
        return StageRun(SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE, better.values, value, bound,
                        time.monotonic() - started)

    # --- steps ----------------------------------------------------------------------------------

    def _whole(self, objective: Expr, maximize: bool, seconds: float,
               hint: Hint | None) -> StageRun:
        self._restore()
        return self.inner.solve(objective, maximize, max(0.1, seconds), hint)

    def _complete(self, hint: Hint | None, objective: Expr, maximize: bool,
                  deadline: float) -> list[float] | None:
        """A whole solution from the warm start's block values (the rest solved), else from zero."""
        starts = []
        if hint is not None:
            values = np.zeros(self.lm.num_vars)
            items = hint.items() if isinstance(hint, dict) else enumerate(hint)
            for var, value in items:
                values[var] = value
            starts.append(values)
        starts.append(np.zeros(self.lm.num_vars))  # serving nobody is always feasible
        for values in starts:
            run = self._fixed_solve(objective, maximize, values, free=np.zeros(0, dtype=np.int32),
                                    seconds=max(0.5, min(5.0, deadline - time.monotonic())))
            if run.values is not None:
                return run.values
        return None

    @staticmethod
    def _better(value: float, best: float, maximize: bool) -> bool:
        return value > best + 1e-6 if maximize else value < best - 1e-6

    def _tighter(self, bound: float | None, other: float | None) -> float | None:
        """The tighter of two bounds of the stage (None: unknown)."""
        known = [b for b in (bound, other) if b is not None]
        return None if not known else (min(known) if self._maximize else max(known))

    def _relaxation(self, objective: Expr, maximize: bool, deadline: float) -> None:
        """Solve the stage's LP relaxation: a bound even when the whole-model run has none yet
        (a later stage's root work can outlast the stage), and the prices for :meth:`_price`."""
        seconds = deadline - self._started
        if self.pricing is None or seconds < min(RELAXATION_MIN_TIME, self.priced_min_time) or self._interrupted:
            return
        self._lp_bound = self.pricing.relaxation(objective, maximize, self._started + RELAXATION_SHARE * seconds)

    def _price(self, objective: Expr, maximize: bool, deadline: float) -> np.ndarray | None:
        """Session caps per gate from the modules' priced plans (None when the stage is too short)."""
        seconds = deadline - self._started
        if self.pricing is None or seconds < self.priced_min_time or self._lp_bound is None or self._interrupted:
            return None
        caps = self.pricing.gate_caps(objective, maximize, self._started + PRICING_SHARE * seconds)
        return None if self._interrupted else caps

    def _restricted(self, objective: Expr, maximize: bool, start: list[float] | None, caps: np.ndarray,
                    seconds: float) -> StageRun:
        """The best plan that opens only sessions the priced plans (or the ``start``, its hint) open."""
        gates = self.pricing.gates
        ub = self.ub0.copy()
        opened = caps if start is None else np.maximum(caps, np.round(np.asarray(start)[gates]))
        ub[gates] = np.minimum(ub[gates], opened)
        return self._fixed_solve(objective, maximize, self.lb0, None, max(0.1, seconds), hint=start, ub=ub)

    def _neighbourhood(self, objective: Expr, maximize: bool, incumbent: list[float], seconds: float) -> StageRun:
        """Free a few blocks, fix the others at the incumbent, solve what is free."""
        chosen = self._kin(min(len(self.blocks), self.size))
        free = np.concatenate([self.blocks[b] for b in sorted(chosen)])
        run = self._fixed_solve(objective, maximize, np.asarray(incumbent), free, seconds, hint=incumbent)
        # adapt: proven sub-MIPs may grow, timed-out ones shrink
        if run.status == SolveStatus.OPTIMAL:
            self.size = min(len(self.blocks), self.size + 1)
        elif self.size > 1:
            self.size -= 1
        return run

    def _kin(self, count: int) -> set[int]:
        """A block and its kin (same module elsewhere, other modules of its territory), else any."""
        chosen: set[int] = set()
        if self.related and self.rng.random() < 0.5:
            seed_block = self.rng.randrange(len(self.blocks))
            kin = self.related[seed_block][:]
            self.rng.shuffle(kin)
            chosen = {seed_block, *kin[:count - 1]}
        if len(chosen) < count:
            chosen |= set(self.rng.sample([b for b in range(len(self.blocks)) if b not in chosen], count - len(chosen)))
        return chosen

    def _fixed_solve(self, objective: Expr, maximize: bool, values: np.ndarray, free: np.ndarray | None,
                     seconds: float, hint: list[float] | None = None, ub: np.ndarray | None = None) -> StageRun:
        """Block variables outside ``free`` fixed at ``values`` (None: all free), within ``ub``."""
        lb, ub = self.lb0.copy(), (self.ub0 if ub is None else ub).copy()
        fixed = self.in_block.copy()
        fixed[slice(None) if free is None else free] = False
        rounded = np.round(values[fixed])
        lb[fixed], ub[fixed] = rounded, rounded
        self.inner.set_column_bounds(lb, ub)
        return self.inner.solve(objective, maximize, max(0.1, seconds), hint)

    def _restore(self) -> None:
        if self.lm.num_vars:
            self.inner.set_column_bounds(self.lb0, self.ub0)

    def _found(self, value: float, bound: float | None, values: list[float]) -> None:
        """The search found a better incumbent: the whole-model run gets it too."""
        self._best = value
        if self.beside is not None:
            self.beside.offer(values)
        self._report(bound)

    def _beside_found(self, value: float, bound: float, elapsed: float) -> None:
        """The whole-model run (its own thread) found a better incumbent or bound."""
        self._beside_best = value
        self._report(None)

    def _report(self, bound: float | None) -> None:
        if self._on_progress is None:
            return
        values = [v for v in (self._best, self._beside_best) if v is not None]
        if self.beside is not None and np.isfinite(self.beside.last_bound):
            bound = self._tighter(self.beside.last_bound, self._lp_bound)
        if values:
            best = max(values) if self._maximize else min(values)
            self._on_progress(best, bound if bound is not None else float("nan"), time.monotonic() - self._started)
