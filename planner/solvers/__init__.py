"""Solve a scenario with one backend: build the model, optimise stage by stage, assemble the plan.

Backends are imported lazily so that one missing solver never breaks the others.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.domain import Scenario
from planner.explain import explain_unmet, near_misses
from planner.kpis import stage_values
from planner.model.build import build_model
from planner.model.extract import extract_funding, extract_sessions, integer_values
from planner.plan import Plan, SolveStatus, StageOutcome
from planner.reach import Reach
from planner.solvers.lexicographic import ProgressFn, solve_lexicographic

BACKENDS = ("highs", "cpsat", "cbc")
DEFAULT_BACKEND = "cpsat"  # measured best on isere-2012 so far (see reports/bench.md, issue notes)


def make_backend(name: str, lm, *, workers: int, seed: int, on_progress=None):
    if name == "highs":
        from planner.solvers.highs import HighsBackend

        return HighsBackend(lm, workers=workers, seed=seed, on_progress=on_progress)
    if name == "cpsat":
        from planner.solvers.cpsat import CpSatBackend

        return CpSatBackend(lm, workers=workers, seed=seed, on_progress=on_progress)
    if name == "cbc":
        from planner.solvers.cbc import CbcBackend

        return CbcBackend(lm, workers=workers, seed=seed, on_progress=on_progress)
    raise ValueError(f"unknown solver {name!r}; expected one of {', '.join(BACKENDS)}")


def solve(scenario: Scenario, *, solver: str = DEFAULT_BACKEND, time_limit: float = 170.0, workers: int = 2,
          seed: int = 0, progress: ProgressFn | None = None, should_stop: Callable[[], bool] = lambda: False,
          stage_progress: Callable[[float, float, float], None] | None = None,
          on_backend: Callable[[object], None] | None = None) -> Plan:
    """Optimise every objective stage of the scenario in order and return the plan."""
    reach = Reach(scenario)
    bm = build_model(scenario, pair_links=(solver == "cpsat"), reach=reach)
    backend = make_backend(solver, bm.lm, workers=workers, seed=seed, on_progress=stage_progress)
    if on_backend is not None:
        on_backend(backend)
    stages = scenario.objective.stages
    lex = solve_lexicographic(bm, backend, stages, time_limit, progress, should_stop)
    plan = Plan(scenario.id, scenario.source_hash, solver, backend.version, lex.status, solve_seconds=lex.seconds)
    if lex.values is None:
        return plan
    values = integer_values(bm, lex.values)
    plan.sessions = extract_sessions(bm, values)
    plan.funding = extract_funding(bm, values, plan.sessions)
    plan.unmet = explain_unmet(scenario, plan.sessions, plan.funding, reach)
    plan.near_misses = near_misses(scenario, plan.sessions, plan.unmet, reach)
    actual = stage_values(scenario, plan)
    for result in lex.stages:
        proven = result.run.status == SolveStatus.OPTIMAL
        plan.stages.append(StageOutcome(result.stage.value, actual[result.stage], result.bound, proven))
    return plan
