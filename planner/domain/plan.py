"""A plan, as every producer (backends, greedy) returns it and every consumer reads it.

Neutral types: sessions with their assigned requests, funding rows in cents, unmet requests
with a reason, and per-stage outcomes. Plan files (SPEC §3) are written by
:mod:`planner.plans.writer`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from planner.domain.months import Month



class SolveStatus(StrEnum):
    """One status vocabulary for every backend; a failed or timed-out solve is a result."""

    OPTIMAL = "optimal"  # every stage proven optimal
    FEASIBLE = "feasible"  # a plan, some stage not proven optimal (time limit, interruption)
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"  # time ran out before any plan was found
    INTERRUPTED = "interrupted"  # stopped by the user before any plan was found
    ERROR = "error"


UNMET_REASONS = ("no_offer", "out_of_reach", "window", "below_min_fill", "budget", "own_funds", "capacity", "conflict")


@dataclass(frozen=True, slots=True)
class PlannedSession:
    id: str
    module_code: str
    provider_id: str
    venue_id: str
    start_month: Month
    end_month: Month
    requests: tuple[int, ...]  # request indices
    external_seats: int = 0


@dataclass(frozen=True, slots=True)
class FundingRow:
    session_id: str  # "" for access fees
    member_id: str
    funder_id: str  # the member id for own funds
    line_id: str  # "own" for own funds and fees
    cost_item: str  # pedagogy | travel | wage | engineering | access_fee:<funder>
    amount_cents: int


@dataclass(frozen=True, slots=True)
class UnmetRequest:
    request: int
    reason: str
    detail: str
    # for reason ``capacity``: which limit binds (release_cap, max_size, provider_parallel, venue_day); else ""
    cause: str = ""


@dataclass(frozen=True, slots=True)
class StageOutcome:
    name: str
    value: float
    bound: float | None
    proven: bool

    @property
    def gap(self) -> float | None:
        return relative_gap(self.value, self.bound)


def relative_gap(value: float | None, bound: float | None) -> float | None:
    """How far the bound lies from the value, as a fraction of the value (None: either unknown or not finite)."""
    if value is None or bound is None or not (math.isfinite(value) and math.isfinite(bound)):
        return None
    return abs(bound - value) / max(abs(value), 1e-9)


@dataclass
class Plan:
    scenario_id: str
    scenario_hash: str
    solver: str
    solver_version: str
    status: SolveStatus
    stages: list[StageOutcome] = field(default_factory=list)
    sessions: list[PlannedSession] = field(default_factory=list)
    funding: list[FundingRow] = field(default_factory=list)
    unmet: list[UnmetRequest] = field(default_factory=list)
    solve_seconds: float = 0.0
    near_misses: list[dict[str, object]] = field(default_factory=list)
    meeting_days: dict[str, list[str]] = field(default_factory=dict)  # session id -> ISO dates
    error: str = ""  # why a solve failed, when status is ERROR
