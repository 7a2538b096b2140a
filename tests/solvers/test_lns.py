"""The neighbourhood search alone (no whole-model run) still reaches the optimum of small models,
and its plans pass the checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_builder import solve_and_check, stage

from planner.domain import Stage
from planner.ingestion import load_scenario
from planner.model.build import build_model
from planner.model.ir import LinearModel
from planner.solvers import lns
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
    from planner.plans.kpis import served_value
    from planner.solvers import solve

    scenario = load_scenario(TINY)
    best = solve_and_check(scenario, "highs", tmp_path)
    again = solve(scenario, solver="lns", time_limit=1, workers=1, start_sessions=best.sessions, explain_time_limit=0)
    served = lambda plan: sum(served_value(scenario, r) for s in plan.sessions for r in s.requests)  # noqa: E731
    assert served(again) >= served(best) > 0


ISERE = Path(__file__).parents[2] / "scenarios" / "isere-2012"


@pytest.fixture(scope="module")
def isere_model():
    scenario = load_scenario(ISERE)
    bm = build_model(scenario)
    return bm, bm.objectives[Stage.SERVED]


def test_a_stopped_run_does_not_stop_the_next(isere_model):
    """HiGHS carries a run's interrupt flag into the next run unless the callback clears it."""
    import threading

    import highspy

    bm, objective = isere_model
    backend = HighsBackend(bm.lm)
    backend.stop_run = threading.Event()
    backend.stop_run.set()
    backend.solve(objective.expr, True, 30, None)
    assert backend.h.getModelStatus() == highspy.HighsModelStatus.kInterrupt
    backend.stop_run = threading.Event()  # a new run, not asked to stop
    again = backend.solve(objective.expr, True, 3, None)
    assert backend.h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    assert again.seconds >= 2.5


def test_whole_model_beside_the_search_leaves_out_cuts_past_its_size(isere_model, monkeypatch):
    """Past CUTS_MAX_ROWS the run beside the search solves the model as it stands: with the cuts
    its root LP would take the whole stage."""
    bm, _ = isere_model
    monkeypatch.setattr(lns, "CUTS_MAX_ROWS", len(bm.lm.rows) + len(bm.lm.cuts) - 1)
    search = LnsBackend(bm.lm, workers=2, seed=1)
    assert search.beside is not None and search.beside.h.getNumRow() == len(bm.lm.rows)


def test_whole_model_beside_the_search_gives_a_bound(isere_model):
    """With two workers the whole-model run goes on beside the search: its bound is reported,
    and the plan returned is at least as good as the start and below that bound."""
    bm, objective = isere_model
    search = LnsBackend(bm.lm, workers=2, seed=1)
    assert search.beside is not None
    assert search.beside.h.getNumRow() == len(bm.lm.rows) + len(bm.lm.cuts) > len(bm.lm.rows)  # it has the cuts
    run = search.solve(objective.expr, True, 15, None)
    assert run.status == SolveStatus.FEASIBLE
    assert run.bound is not None and run.objective is not None
    assert 0 < run.objective <= run.bound
    assert bm.lm.evaluate(objective.expr, run.values) == pytest.approx(run.objective)
    # the bound is HiGHS's on the whole model: never above the LP relaxation's optimum
    lm = bm.lm
    relaxed = HighsBackend(LinearModel(lm.lb, lm.ub, [False] * lm.num_vars, lm.names, lm.rows))
    assert run.bound <= relaxed.solve(objective.expr, True, 30, None).objective + 1e-6


def test_a_run_takes_a_solution_offered_while_it_runs(isere_model):
    """A solution offered from another thread becomes the whole-model run's incumbent: HiGHS alone
    finds little on isere-2012 in a few seconds."""
    import threading

    bm, objective = isere_model
    found = LnsBackend(bm.lm, whole_model=False, seed=2).solve(objective.expr, True, 4, None)
    assert found.objective > 0
    backend = HighsBackend(bm.lm, takes_offers=True)
    threading.Timer(1.0, backend.offer, args=(found.values,)).start()
    run = backend.solve(objective.expr, True, 8, None)
    assert run.values is not None
    assert run.objective >= found.objective - 1e-6
    assert bm.lm.evaluate(objective.expr, run.values) == pytest.approx(run.objective)


def test_the_search_alone_reports_the_lp_relaxation_as_its_bound(isere_model, monkeypatch):
    """Without the whole-model run (one worker), a stage that is not proven still gets a bound:
    its LP relaxation's optimum (a later stage's whole-model run may not reach one in time)."""
    import planner.solvers.lns as lns

    monkeypatch.setattr(lns, "PRICED_MIN_TIME", 1e9)  # the bound alone, no priced sessions
    bm, objective = isere_model
    lm = bm.lm
    relaxed = HighsBackend(LinearModel(lm.lb, lm.ub, [False] * lm.num_vars, lm.names, lm.rows))
    lp = relaxed.solve(objective.expr, True, 30, None).objective
    search = LnsBackend(lm, whole_model=False, seed=1)
    search.priced_min_time = lns.PRICED_MIN_TIME
    run = search.solve(objective.expr, True, 20, None)
    assert run.status == SolveStatus.FEASIBLE
    assert run.bound == pytest.approx(lp)
    assert 0 < run.objective < run.bound
