"""Solve a scenario with one backend: build the model, optimise stage by stage, assemble the plan.

Backends are imported lazily so that one missing solver never breaks the others.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from planner.domain import Scenario, Stage
from planner.explain.unmet import explain_unmet, near_misses
from planner.plans.kpis import served_value, stage_values
from planner.rules.meeting_days import schedule_meeting_days
from planner.model.build import build_model
from planner.model.costs import whole_engineering_line
from planner.model.extract import extract_funding, extract_sessions, integer_values
from planner.domain.plan import Plan, PlannedSession, SolveStatus, StageOutcome
from planner.rules.reach import Reach
from planner.solvers.lexicographic import ProgressFn, solve_lexicographic

BACKENDS = ("highs", "cpsat", "lns", "cbc")
DEFAULT_BACKEND = "lns"  # measured best on the reference scenarios (reports/bench.md)


def make_backend(name: str, lm, *, workers: int, seed: int, on_progress=None, deterministic: bool = False):
    if name == "highs":
        from planner.solvers.highs import HighsBackend

        return HighsBackend(lm, workers=workers, seed=seed, on_progress=on_progress, deterministic=deterministic)
    if name == "cpsat":
        from planner.solvers.cpsat import CpSatBackend

        return CpSatBackend(lm, workers=workers, seed=seed, on_progress=on_progress, deterministic=deterministic)
    if name == "lns":
        from planner.solvers.lns import LnsBackend

        return LnsBackend(lm, workers=workers, seed=seed, on_progress=on_progress, deterministic=deterministic)
    if name == "cbc":
        from planner.solvers.cbc import CbcBackend

        return CbcBackend(lm, workers=workers, seed=seed, on_progress=on_progress, deterministic=deterministic)
    raise ValueError(f"unknown solver {name!r}; expected one of {', '.join(BACKENDS)}")


def solve(scenario: Scenario, *, solver: str = DEFAULT_BACKEND, time_limit: float = 170.0, workers: int = 2,
          seed: int = 0, progress: ProgressFn | None = None, should_stop: Callable[[], bool] = lambda: False,
          stage_progress: Callable[[float, float, float], None] | None = None,
          on_backend: Callable[[object], None] | None = None, warm_start: bool = True,
          explain_time_limit: float = 10.0, deterministic: bool = False,
          start_sessions: list[PlannedSession] | None = None) -> Plan:
    """Optimise every objective stage of the scenario in order and return the plan.

    ``time_limit`` covers building the model, the greedy start and every stage (``deterministic``:
    the stages alone); explaining the unmet requests and scheduling meeting days come after it.

    With ``warm_start`` the greedy plan is computed first and handed to the solver as its
    starting point, so the first incumbent is never worse than what a coordinator gets by hand.
    Unmet requests are explained by re-solving with constraints relaxed, each re-solve within
    ``explain_time_limit`` seconds (0: a quicker reading of the plan alone). The sessions get
    their meeting days (:func:`planner.rules.meeting_days.schedule_meeting_days`).
    ``start_sessions`` (e.g. the plan of the same survey under a stricter policy) are the
    starting point instead when they serve more than the greedy plan.
    """
    started = time.monotonic()  # the time limit counts the model's building and the greedy start too
    reach = Reach(scenario)
    bm = build_model(scenario, pair_links=(solver == "cpsat"), reach=reach)
    start, baseline = None, None
    if warm_start:
        from planner.heuristics.greedy import solve_greedy
        from planner.model.hints import hint_from_plan

        baseline = solve_greedy(scenario, meeting_days=False)
        start = hint_from_plan(bm, baseline)
        if start_sessions:
            given = Plan(scenario.id, scenario.source_hash, "start", "", SolveStatus.FEASIBLE, sessions=start_sessions)
            hint = hint_from_plan(bm, given)
            if hint is not None and _served(scenario, given) > _served(scenario, baseline):
                start = hint
    # incumbents and bounds reach the caller in stage units (hours, EUR...), like stage results
    current: dict[str, float] = {"divisor": 1.0}
    divisors = {stage.value: bm.objectives[stage].divisor for stage in scenario.objective.stages}

    def on_stage(stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        current["divisor"] = divisors.get(stage, 1.0)
        if progress is not None:
            progress(stage, value, bound, elapsed)

    def on_incumbent(value: float, bound: float, elapsed: float) -> None:
        if stage_progress is not None:
            d = current["divisor"]
            stage_progress(value / d, bound / d, elapsed)

    backend = make_backend(solver, bm.lm, workers=workers, seed=seed, on_progress=on_incumbent,
                           deterministic=deterministic)
    if on_backend is not None:
        on_backend(backend)
    stages = scenario.objective.stages
    tidy = bm.tidy if Stage.SESSIONS not in stages or bm.e else None
    # deterministic runs spend a deterministic-time budget: wall time spent before must not change it
    stages_time = time_limit if deterministic else max(1.0, time_limit - (time.monotonic() - started))
    lex = solve_lexicographic(bm, backend, stages, stages_time, on_stage, should_stop, start, tidy)
    plan = Plan(scenario.id, scenario.source_hash, solver, backend.version, lex.status, solve_seconds=lex.seconds)
    if lex.values is not None:
        values = integer_values(bm, lex.values)
        plan.sessions = extract_sessions(bm, values)
        plan.funding = extract_funding(bm, values, plan.sessions)
    keep_baseline = baseline is not None and baseline.sessions and (
        lex.values is None or _worse(scenario, stages[0], plan, baseline))
    if keep_baseline:
        # a solver may reject the start (e.g. the model's rounding margins) and end below it:
        # the coordinator never gets less than the greedy plan
        plan.sessions, plan.funding = baseline.sessions, baseline.funding
        plan.status = SolveStatus.FEASIBLE
        plan.solver_version += " (greedy start kept: the solver found nothing better)"
    elif lex.values is None:
        return plan
    # every plan with sessions leaves here with its meeting days (raises MeetingDaysError when impossible)
    plan.meeting_days = schedule_meeting_days(scenario, plan.sessions)
    if explain_time_limit > 0:
        from planner.explain.relaxation import explain_by_relaxation

        plan.unmet, plan.near_misses = explain_by_relaxation(
            scenario, plan, lambda lm: make_backend(solver, lm, workers=workers, seed=seed, deterministic=deterministic),
            time_limit=explain_time_limit, reach=reach)
    else:
        plan.unmet = explain_unmet(scenario, plan.sessions, plan.funding, reach)
        plan.near_misses = near_misses(scenario, plan.sessions, plan.unmet, reach)
    actual = stage_values(scenario, plan)
    # engineering split between members is modelled by an upper bound (see model/costs.py): the
    # model is then a restriction, its bounds speak of the surrogate only and are not reported
    surrogate = bool(scenario.policy.engineering_cents_per_session) and whole_engineering_line(scenario) is None
    if keep_baseline:  # only the first stage's bound still speaks of this plan
        first = lex.stages[0].bound if lex.stages and not surrogate else None
        plan.stages = [StageOutcome(stage.value, actual[stage], first if k == 0 else None, False)
                       for k, stage in enumerate(stages)]
        return plan
    for result in lex.stages:
        exact = not surrogate
        proven = result.run.status == SolveStatus.OPTIMAL and exact
        bound = _in_cents(result.bound) if result.stage == Stage.PUBLIC_COST else result.bound
        plan.stages.append(StageOutcome(result.stage.value, actual[result.stage], bound if exact else None, proven))
    # stopped (Ctrl-C, DELETE) before the last stage: the plan still reports every stage's value
    for stage in stages[len(lex.stages):]:
        plan.stages.append(StageOutcome(stage.value, actual[stage], None, False))
    return plan


def _in_cents(bound: float | None) -> float | None:
    """A lower bound in EUR rounded down to the cent (an LP's is fractional): still a lower bound."""
    return None if bound is None else math.floor(round(bound * 100, 6)) / 100


def _served(scenario: Scenario, plan: Plan) -> float:
    return sum(served_value(scenario, r) for s in plan.sessions for r in s.requests)


def _worse(scenario: Scenario, stage: Stage, plan: Plan, baseline: Plan) -> bool:
    """Whether ``plan`` is worse than ``baseline`` on the first stage (with a hair of tolerance)."""
    mine, theirs = stage_values(scenario, plan)[stage], stage_values(scenario, baseline)[stage]
    maximize = stage in (Stage.SERVED, Stage.EQUITY)
    return mine < theirs - 1e-6 if maximize else mine > theirs + 1e-6
