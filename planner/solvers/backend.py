"""The seam between the stage loop and a solver: what every backend offers, what makes one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from planner.model.ir import Expr, LinearModel, Row
from planner.solvers.status import StageRun

# a warm start: every variable's value, or some variables' (the backend completes the rest)
Hint = list[float] | dict[int, float]
# a better incumbent or bound during a run: (value, bound, seconds since the run started), in model units
IncumbentFn = Callable[[float, float, float], None]


class Backend(Protocol):
    """One solver holding the model: optimise an objective, add a row, stop on request."""

    name: str

    @property
    def version(self) -> str: ...

    def add_row(self, row: Row) -> None:
        """A row added to the model (the stage loop fixes each stage's value before the next)."""

    def interrupt(self) -> None:
        """Stop for good (Ctrl-C, DELETE): the run in progress returns its best solution."""

    def solve(self, objective: Expr, maximize: bool, time_limit: float, hint: Hint | None) -> StageRun: ...


class BackendFactory(Protocol):
    """A backend class: made on the model with the run's options."""

    # the model's pair links x ≤ count·n as rows (they help CP-SAT and slow the LP-based backends)
    pair_links: bool

    def __call__(self, lm: LinearModel, *, workers: int, seed: int, on_progress: IncumbentFn | None,
                 deterministic: bool) -> Backend: ...
