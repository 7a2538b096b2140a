"""What a solve tells whoever runs it, and asks them: one object for the CLI's live line, the API's
job row and the forked child's queue.

It lives beside the backends (not in :mod:`planner.pipeline`) because :func:`planner.solvers.solve`
and the forked child of :mod:`planner.solvers.process` report through it too.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.solvers.backend import Backend

StageFn = Callable[[str, float | None, float | None, float], None]


class SolveEvents:
    """Override what you need; the rest does nothing (and no stop is ever requested)."""

    def step(self, name: str) -> None:
        """The run moves on: ``greedy``, ``building the model``, ``checking and writing the plan``."""

    def stage(self, stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        """A stage starts (value and bound None) or is done; in stage units (hours, EUR...)."""

    def incumbent(self, value: float, bound: float, elapsed: float) -> None:
        """A better plan or bound within the current stage, in stage units (bound NaN when unknown)."""

    def stop_requested(self) -> bool:
        """Asked before each stage: True ends the solve with the best plan so far."""
        return False

    def backend(self, backend: Backend) -> None:
        """The backend about to run: its ``interrupt()`` stops the stage in progress."""


class CallbackEvents(SolveEvents):
    """The events as separate callbacks, as ``solve(progress=, stage_progress=, should_stop=)`` takes them."""

    def __init__(self, progress: StageFn | None = None,
                 stage_progress: Callable[[float, float, float], None] | None = None,
                 should_stop: Callable[[], bool] | None = None):
        self._progress, self._stage_progress, self._should_stop = progress, stage_progress, should_stop

    def stage(self, stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        if self._progress is not None:
            self._progress(stage, value, bound, elapsed)

    def incumbent(self, value: float, bound: float, elapsed: float) -> None:
        if self._stage_progress is not None:
            self._stage_progress(value, bound, elapsed)

    def stop_requested(self) -> bool:
        return self._should_stop is not None and self._should_stop()
