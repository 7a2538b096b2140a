"""Lexicographic optimisation: optimise a stage, fix its value, go on to the next (SPEC §2.9)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from planner.domain import Stage
from planner.model.build import BuiltModel, Objective
from planner.model.ir import Row
from planner.domain.plan import SolveStatus
from planner.solvers.backend import Backend, Hint
from planner.solvers.events import SolveEvents
from planner.solvers.status import StageRun

# share of the remaining time given to the first stage when others follow: it matters most
FIRST_STAGE_SHARE = 0.6


@dataclass
class StageResult:
    stage: Stage
    run: StageRun
    value: float | None  # in user units
    bound: float | None  # in user units


@dataclass
class LexResult:
    status: SolveStatus
    values: list[float] | None
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0


class StageUnits(SolveEvents):
    """A run's events, given the backend's incumbents (model units) in the current stage's units."""

    def __init__(self, events: SolveEvents, bm: BuiltModel, stages: tuple[Stage, ...]):
        self.events = events
        self.divisors = {stage.value: bm.objectives[stage].divisor for stage in stages}
        self.divisor = 1.0

    def backend_progress(self, value: float, bound: float, elapsed: float) -> None:
        """The backend's ``on_progress``."""
        self.incumbent(value / self.divisor, bound / self.divisor, elapsed)

    def stage(self, stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        self.divisor = self.divisors.get(stage, 1.0)
        self.events.stage(stage, value, bound, elapsed)

    def incumbent(self, value: float, bound: float, elapsed: float) -> None:
        self.events.incumbent(value, bound, elapsed)

    def stop_requested(self) -> bool:
        return self.events.stop_requested()

    def backend(self, backend: Backend) -> None:
        self.events.backend(backend)

    def step(self, name: str) -> None:
        self.events.step(name)


def solve_lexicographic(bm: BuiltModel, backend: Backend, stages: tuple[Stage, ...], time_limit: float,
                        events: SolveEvents | None = None, start: Hint | None = None,
                        tidy: Objective | None = None) -> LexResult:
    """Optimise ``stages`` in order; ``start`` is a (partial) warm start for the first stage.

    ``events`` hears each stage start and end (in stage units) and is asked before each stage
    whether to stop. ``tidy`` is an unreported last objective (fewest external seats and
    sessions) that keeps the plan free of pointless seats once every stage is fixed; it gets a
    tenth of the time.
    """
    events = events or SolveEvents()
    started = time.monotonic()
    deadline = started + time_limit * (0.9 if tidy is not None else 1.0)
    result = LexResult(SolveStatus.OPTIMAL, None)
    hint: Hint | None = start
    steps: list[tuple[Stage | None, Objective]] = [(stage, bm.objectives[stage]) for stage in stages]
    if tidy is not None:
        steps.append((None, tidy))
    for k, (stage, objective) in enumerate(steps):
        if events.stop_requested():
            break
        if stage is None:
            deadline = started + time_limit
        remaining = max(0.1, deadline - time.monotonic())
        left = len(stages) - k
        budget = remaining if left <= 1 else (remaining * FIRST_STAGE_SHARE if k == 0 else remaining / left)
        if stage is not None:
            events.stage(stage.value, None, None, time.monotonic() - started)
        run = backend.solve(objective.expr, objective.maximize, budget, hint)
        if stage is None:  # tidy: keep its values only if it found a solution
            if run.values is not None:
                result.values = run.values
            break
        if run.values is None:
            if k == 0:
                result.status = run.status
            else:
                result.status = SolveStatus.FEASIBLE
            break
        value = bm.lm.evaluate(objective.expr, run.values)
        bound = run.bound if run.bound is not None and math.isfinite(run.bound) else None
        result.stages.append(StageResult(stage, run, value / objective.divisor,
                                         None if bound is None else bound / objective.divisor))
        result.values = run.values
        hint = run.values
        if run.status != SolveStatus.OPTIMAL:
            result.status = SolveStatus.FEASIBLE
        events.stage(stage.value, value / objective.divisor,
                     None if bound is None else bound / objective.divisor, time.monotonic() - started)
        # fix this stage at the value reached: exactly when integral, else with a hair of slack
        if k < len(steps) - 1:
            if all(bm.lm.integer[v] for v in objective.expr):
                lo = hi = round(value)
            else:
                slack = objective.scale // 100 + 1e-9 * abs(value)  # a hundredth of the unit
                lo, hi = math.floor(value - slack), math.ceil(value + slack)
            backend.add_row(Row(objective.expr, lo=lo if objective.maximize else None,
                                hi=None if objective.maximize else hi, scale=objective.scale))
    result.seconds = time.monotonic() - started
    return result
