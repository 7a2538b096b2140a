"""Solve a scenario with one backend: the greedy start, the stages in order, then the plan with
its meeting days and the reasons of its unmet requests.

:mod:`planner.pipeline` runs this (the CLI in a forked child, :mod:`planner.solvers.process`)
and checks and writes the plan; backends are picked by name in :mod:`planner.solvers.registry`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from planner.domain import Scenario, Stage
from planner.domain.plan import Plan, PlannedSession
from planner.model.build import build_model
from planner.rules.meeting_days import schedule_meeting_days
from planner.rules.reach import Reach
from planner.solvers.backend import Backend, BackendFactory
from planner.solvers.events import CallbackEvents, SolveEvents, StageFn
from planner.solvers.lexicographic import StageUnits, solve_lexicographic
from planner.solvers.registry import BACKENDS, DEFAULT_BACKEND, backend_factory, make_backend
from planner.solvers.steps import explain, plan_from_stages, stage_outcomes, start_hint

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "BackendFactory", "SolveEvents", "backend_factory",
           "make_backend", "solve"]


def solve(scenario: Scenario, *, solver: str = DEFAULT_BACKEND, time_limit: float = 170.0, workers: int = 2,
          seed: int = 0, events: SolveEvents | None = None, warm_start: bool = True,
          explain_time_limit: float = 10.0, deterministic: bool = False,
          start_sessions: list[PlannedSession] | None = None, progress: StageFn | None = None,
          stage_progress: Callable[[float, float, float], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> Plan:
    """Optimise every objective stage of the scenario in order and return the plan.

    ``time_limit`` covers building the model, the greedy start and every stage (``deterministic``:
    the stages alone); explaining the unmet requests and scheduling meeting days come after it.
    ``events`` hears the stages and incumbents and may ask to stop (``progress``,
    ``stage_progress`` and ``should_stop`` are its three callbacks, given one by one instead).

    With ``warm_start`` the greedy plan is computed first and handed to the solver as its
    starting point, so the first incumbent is never worse than what a coordinator gets by hand.
    Unmet requests are explained by re-solving with constraints relaxed, each re-solve within
    ``explain_time_limit`` seconds (0: a quicker reading of the plan alone). The sessions get
    their meeting days (:func:`planner.rules.meeting_days.schedule_meeting_days`).
    ``start_sessions`` (e.g. the plan of the same survey under a stricter policy) are the
    starting point instead when they serve more than the greedy plan.
    """
    started = time.monotonic()  # the time limit counts the model's building and the greedy start too
    events = events or CallbackEvents(progress, stage_progress, should_stop)
    factory = backend_factory(solver)
    reach = Reach(scenario)
    bm = build_model(scenario, pair_links=factory.pair_links, reach=reach)
    baseline = None
    if warm_start:
        from planner.heuristics.greedy import solve_greedy

        baseline = solve_greedy(scenario, meeting_days=False)
    start = start_hint(scenario, bm, baseline, start_sessions)
    stages = scenario.objective.stages
    # incumbents and bounds reach the caller in stage units (hours, EUR...), like stage results
    units = StageUnits(events, bm, stages)
    backend = factory(bm.lm, workers=workers, seed=seed, on_progress=units.backend_progress,
                      deterministic=deterministic)
    events.backend(backend)
    tidy = bm.tidy if Stage.SESSIONS not in stages or bm.e else None
    # deterministic runs spend a deterministic-time budget: wall time spent before must not change it
    stages_time = time_limit if deterministic else max(1.0, time_limit - (time.monotonic() - started))
    lex = solve_lexicographic(bm, backend, stages, stages_time, units, start, tidy)
    plan, kept_baseline = plan_from_stages(scenario, bm, lex, baseline, solver, backend.version)
    if lex.values is None and not kept_baseline:
        return plan
    # every plan with sessions leaves here with its meeting days (raises MeetingDaysError when impossible)
    plan.meeting_days = schedule_meeting_days(scenario, plan.sessions)
    plan.unmet, plan.near_misses = explain(
        scenario, plan, reach, explain_time_limit,
        lambda lm: factory(lm, workers=workers, seed=seed, on_progress=None, deterministic=deterministic))
    plan.stages = stage_outcomes(scenario, plan, lex, kept_baseline)
    return plan
