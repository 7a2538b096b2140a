"""How to solve: the solver by name and its limits, as ``planner solve`` and ``POST /v1/solves`` take them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from planner.domain.plan import PlannedSession
from planner.solvers.registry import BACKENDS, DEFAULT_BACKEND

GREEDY = "greedy"  # the by-hand plan: no model, no backend
SOLVERS = (*BACKENDS, GREEDY)


@dataclass(frozen=True)
class SolveOptions:
    """The options of :func:`planner.solvers.solve` (same defaults); ``solver`` may also be ``greedy``."""

    solver: str = DEFAULT_BACKEND
    time_limit: float = 170.0
    workers: int = 2
    seed: int = 0
    deterministic: bool = False
    explain_time_limit: float = 10.0
    start_sessions: list[PlannedSession] | None = None

    def as_keywords(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
