"""The neighbourhood search alone (no whole-model run) still reaches the optimum of small models,
and its plans pass the checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_builder import solve_and_check, stage

from planner.domain import Stage
from planner.ingestion import load_scenario
from planner.model.build import build_model
from planner.solvers.highs import HighsBackend
from planner.solvers.lns import LnsBackend
from planner.solvers.status import SolveStatus

MINI = Path(__file__).parents[1] / "data" / "mini"
TINY = Path(__file__).parents[2] / "scenarios" / "tiny"


@pytest.mark.parametrize("folder", [MINI, TINY], ids=["mini", "tiny"])
def test_search_alone_reaches_the_optimum(folder):
    scenario = load_scenario(folder)
    objective = build_model(scenario).objectives[Stage.SERVED]
    exact = HighsBackend(build_model(scenario).lm).solve(objective.expr, True, 30, None)
    assert exact.status == SolveStatus.OPTIMAL
    bm = build_model(scenario)
    assert len(bm.lm.blocks) > 1  # otherwise the search would be the whole model at once
    search = LnsBackend(bm.lm, whole_model=False, seed=3)
    run = search.solve(objective.expr, True, 60, None)  # from "serve nobody"
    assert run.status == SolveStatus.OPTIMAL
    assert run.objective == pytest.approx(exact.objective)
    assert bm.lm.evaluate(objective.expr, run.values) == pytest.approx(exact.objective)


def test_lns_plan_of_tiny_passes_checker_and_matches_highs(tmp_path):
    scenario = load_scenario(TINY)
    lns = solve_and_check(scenario, "lns", tmp_path)
    highs = solve_and_check(scenario, "highs", tmp_path)
    assert stage(lns, "served") == stage(highs, "served")


def test_start_sessions_are_never_lost(tmp_path):
    """A plan given as start (here the optimum) is kept or bettered even with a second to go."""
    from planner.kpis import served_value
    from planner.solvers import solve

    scenario = load_scenario(TINY)
    best = solve_and_check(scenario, "highs", tmp_path)
    again = solve(scenario, solver="lns", time_limit=1, workers=1, start_sessions=best.sessions, explain_time_limit=0)
    served = lambda plan: sum(served_value(scenario, r) for s in plan.sessions for r in s.requests)  # noqa: E731
    assert served(again) >= served(best) > 0
