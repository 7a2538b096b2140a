"""What a backend returns for one objective (statuses live in :mod:`planner.domain.plan`)."""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.plan import SolveStatus


@dataclass
class StageRun:
    """What one backend call returns for one objective."""

    status: SolveStatus
    values: list[float] | None  # variable values, None when no solution
    objective: float | None  # in model units (integers scaled as in the model)
    bound: float | None
    seconds: float
