"""The steps of a solve around the stage loop: the warm start, the plan from the stages' results,
the explanations of unmet requests, and each stage's reported outcome."""

from __future__ import annotations

import math
from collections.abc import Callable

from planner.domain import Scenario, Stage
from planner.domain.plan import Plan, PlannedSession, SolveStatus, StageOutcome, UnmetRequest
from planner.explain.unmet import explain_unmet, near_misses
from planner.model.build import BuiltModel
from planner.rules.costs import whole_engineering_line
from planner.model.extract import extract_funding, extract_sessions, integer_values
from planner.model.ir import LinearModel
from planner.plans.kpis import served_value, stage_values
from planner.rules.reach import Reach
from planner.solvers.backend import Backend
from planner.solvers.lexicographic import LexResult


def start_hint(scenario: Scenario, bm: BuiltModel, baseline: Plan | None,
               start_sessions: list[PlannedSession] | None) -> dict[int, float] | None:
    """The greedy plan as the solver's start, or ``start_sessions`` when they serve more."""
    if baseline is None:
        return None
    from planner.model.hints import hint_from_plan

    start = hint_from_plan(bm, baseline)
    if start_sessions:
        given = Plan(scenario.id, scenario.source_hash, "start", "", SolveStatus.FEASIBLE, sessions=start_sessions)
        hint = hint_from_plan(bm, given)
        if hint is not None and _served(scenario, given) > _served(scenario, baseline):
            start = hint
    return start


def plan_from_stages(scenario: Scenario, bm: BuiltModel, lex: LexResult, baseline: Plan | None, solver: str,
                     solver_version: str) -> tuple[Plan, bool]:
    """The solver's plan, or the greedy ``baseline`` when the solver did worse; True when it is the baseline."""
    plan = Plan(scenario.id, scenario.source_hash, solver, solver_version, lex.status, solve_seconds=lex.seconds)
    if lex.values is not None:
        values = integer_values(bm, lex.values)
        plan.sessions = extract_sessions(bm, values)
        plan.funding = extract_funding(bm, values, plan.sessions)
    stages = scenario.objective.stages
    keep_baseline = bool(baseline is not None and baseline.sessions and (
        lex.values is None or _worse(scenario, stages[0], plan, baseline)))
    if keep_baseline:
        # a solver may reject the start (e.g. the model's rounding margins) and end below it:
        # the coordinator never gets less than the greedy plan
        plan.sessions, plan.funding = baseline.sessions, baseline.funding
        plan.status = SolveStatus.FEASIBLE
        plan.solver_version += " (greedy start kept: the solver found nothing better)"
    return plan, keep_baseline


def explain(scenario: Scenario, plan: Plan, reach: Reach, time_limit: float,
            make_backend: Callable[[LinearModel], Backend]) -> tuple[list[UnmetRequest], list[dict[str, object]]]:
    """Why each unmet request is unmet, and the near-miss cells: by relaxed re-solves of
    ``time_limit`` seconds each, or (0) by a quicker reading of the plan alone."""
    if time_limit > 0:
        from planner.explain.relaxation import explain_by_relaxation

        return explain_by_relaxation(scenario, plan, make_backend, time_limit=time_limit, reach=reach)
    unmet = explain_unmet(scenario, plan.sessions, plan.funding, reach)
    return unmet, near_misses(scenario, plan.sessions, unmet, reach)


def stage_outcomes(scenario: Scenario, plan: Plan, lex: LexResult, kept_baseline: bool) -> list[StageOutcome]:
    """Every stage's value in the plan, with the solver's bound where it still speaks of this plan."""
    stages = scenario.objective.stages
    actual = stage_values(scenario, plan)
    # engineering split between members is modelled by an upper bound (see planner/rules/costs.py): the
    # model is then a restriction, its bounds speak of the surrogate only and are not reported
    surrogate = bool(scenario.policy.engineering_cents_per_session) and whole_engineering_line(scenario) is None
    if kept_baseline:  # only the first stage's bound still speaks of this plan
        first = lex.stages[0].bound if lex.stages and not surrogate else None
        return [StageOutcome(stage.value, actual[stage], first if k == 0 else None, False)
                for k, stage in enumerate(stages)]
    outcomes = []
    for result in lex.stages:
        exact = not surrogate
        proven = result.run.status == SolveStatus.OPTIMAL and exact
        bound = _in_cents(result.bound) if result.stage == Stage.PUBLIC_COST else result.bound
        outcomes.append(StageOutcome(result.stage.value, actual[result.stage], bound if exact else None, proven))
    # stopped (Ctrl-C, DELETE) before the last stage: the plan still reports every stage's value
    for stage in stages[len(lex.stages):]:
        outcomes.append(StageOutcome(stage.value, actual[stage], None, False))
    return outcomes


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
