"""Modules priced at the LP's duals: the prices mean what they should (a Lagrangian bound sits
between the optimum and the LP), rows land where they belong, and the restricted MIP's plans are
feasible plans of the whole model."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from scenario_builder import solve_and_check, stage

from planner.domain import Stage
from planner.ingestion import load_scenario
from planner.model.build import build_model
from planner.model.ir import LinearModel, Row
from planner.solvers.columns import ModulePricing
from planner.solvers.highs import HighsBackend
from planner.solvers.lns import LnsBackend
from planner.solvers.status import SolveStatus

SCENARIOS = Path(__file__).parents[2] / "scenarios"
MINI = Path(__file__).parents[1] / "data" / "mini"


def _feasible(lm: LinearModel, values: list[float]) -> bool:
    x = np.asarray(values)
    if np.any(x < np.asarray(lm.lb) - 1e-6) or np.any(x > np.asarray(lm.ub) + 1e-6):
        return False
    for row in lm.rows:
        activity = sum(c * x[v] for v, c in row.coefs.items())
        tol = 1e-6 * row.scale + 1e-9 * abs(activity)  # HiGHS's feasibility tolerance, in its units
        if (row.lo is not None and activity < row.lo - tol) or (row.hi is not None and activity > row.hi + tol):
            return False
    return True


@pytest.mark.parametrize("folder", [MINI, SCENARIOS / "tiny"], ids=["mini", "tiny"])
@pytest.mark.parametrize("stage", [Stage.SERVED, Stage.PUBLIC_COST])
def test_priced_modules_give_a_lagrangian_bound_between_optimum_and_lp(folder, stage):
    """Σ of the modules' priced optima + the prices of the linking rows bounds the optimum; at the
    LP's own duals it is never better than the LP. A wrong dual sign breaks either side."""
    bm = build_model(load_scenario(folder))
    lm = bm.lm
    first = bm.objectives[Stage.SERVED]
    if stage != Stage.SERVED:  # later stages run with the first fixed at its optimum
        best = HighsBackend(lm).solve(first.expr, True, 30, None)
        lm.rows.append(Row(first.expr, lo=round(best.objective), hi=None, scale=first.scale))
    objective = bm.objectives[stage]
    exact = HighsBackend(lm).solve(objective.expr, objective.maximize, 30, None)
    assert exact.status == SolveStatus.OPTIMAL
    pricing = ModulePricing(lm)
    assert len(pricing.subs) > 1 and pricing.linking
    lp = pricing.relaxation(objective.expr, objective.maximize, time.monotonic() + 30)
    assert lp is not None
    duals, activity = pricing._duals, np.asarray(pricing.relaxed.h.getSolution().row_value)
    cost = np.zeros(lm.num_vars)
    for v, c in objective.expr.items():
        cost[v] = c
    reduced = cost - pricing._priced_use(duals)
    plans = pricing._priced_plans(reduced, objective.maximize, time.monotonic() + 60)
    in_part = pricing.part_of >= 0
    best_of = np.maximum if objective.maximize else np.minimum
    free = best_of(reduced * np.asarray(lm.lb), reduced * np.asarray(lm.ub))[~in_part].sum()
    lagrangian = reduced[in_part] @ plans[in_part] + free + sum(duals[k] * activity[k] for k in pricing.linking)
    tol = 1e-6 * max(1.0, abs(lp))  # public cost counts ppm of cents
    if objective.maximize:
        assert exact.objective - tol <= lagrangian <= lp + tol
    else:
        assert lp - tol <= lagrangian <= exact.objective + tol


def test_rows_added_later_are_priced_or_kept_where_they_belong():
    bm = build_model(load_scenario(SCENARIOS / "tiny"))
    pricing = ModulePricing(bm.lm)
    first, second = pricing.part_vars[0], pricing.part_vars[1]
    linking = len(pricing.linking)
    rows_before = pricing.subs[0].h.getNumRow()
    pricing.add_row(Row({int(first[0]): 1}, lo=None, hi=3))  # inside one module: kept in its sub-model
    assert pricing.subs[0].h.getNumRow() == rows_before + 1
    assert len(pricing.linking) == linking
    pricing.add_row(Row({int(first[0]): 1, int(second[0]): 1}, lo=None, hi=3))  # across two: priced
    assert len(pricing.linking) == linking + 1
    assert pricing.relaxed.h.getNumRow() == len(pricing.rows) == len(bm.lm.rows) + 2


def test_gate_caps_cover_every_session_count():
    bm = build_model(load_scenario(SCENARIOS / "tiny"))
    objective = bm.objectives[Stage.SERVED]
    pricing = ModulePricing(bm.lm)
    assert pricing.gate_caps(objective.expr, True, time.monotonic() + 30) is None  # no prices yet
    assert pricing.relaxation(objective.expr, True, time.monotonic() + 30) is not None
    caps = pricing.gate_caps(objective.expr, True, time.monotonic() + 30)
    assert caps is not None and len(caps) == len(bm.n)
    assert caps.sum() > 0  # tiny serves someone: some module opens a session at its prices
    assert np.all(caps <= np.asarray(bm.lm.ub)[sorted(bm.n.values())])


@pytest.mark.parametrize("folder", [MINI, SCENARIOS / "tiny"], ids=["mini", "tiny"])
def test_search_with_priced_sessions_reaches_the_optimum(folder):
    scenario = load_scenario(folder)
    objective = build_model(scenario).objectives[Stage.SERVED]
    exact = HighsBackend(build_model(scenario).lm).solve(objective.expr, True, 30, None)
    bm = build_model(scenario)
    search = LnsBackend(bm.lm, whole_model=False, seed=5)
    search.priced_min_time = 0  # price even on a short stage
    run = search.solve(objective.expr, True, 30, None)
    assert run.objective == pytest.approx(exact.objective)
    assert _feasible(bm.lm, run.values)


def test_restricted_plan_on_isere_is_a_feasible_plan_that_serves():
    """From "serve nobody", pricing and the restricted MIP alone give a feasible plan that serves."""
    bm = build_model(load_scenario(SCENARIOS / "isere-2012"))
    objective = bm.objectives[Stage.SERVED]
    search = LnsBackend(bm.lm, whole_model=False, seed=1)
    search._started = time.monotonic()
    search._relaxation(objective.expr, True, time.monotonic() + 40)
    caps = search._price(objective.expr, True, time.monotonic() + 40)
    assert caps is not None
    plan = search._restricted(objective.expr, True, None, caps, seconds=40).values
    assert plan is not None
    assert bm.lm.evaluate(objective.expr, plan) > 0
    assert _feasible(bm.lm, plan)
    assert np.all(np.asarray(plan)[search.pricing.gates] <= caps + 1e-6)  # only priced sessions open


@pytest.mark.parametrize("folder", [MINI, SCENARIOS / "tiny"], ids=["mini", "tiny"])
def test_plans_through_priced_sessions_pass_the_checker(folder, tmp_path, monkeypatch):
    """Every stage priced (solves run in a forked child, which sees the patched constant): the plan
    passes the independent checker and reaches HiGHS's optimum at every stage."""
    import planner.solvers.lns as lns

    monkeypatch.setattr(lns, "PRICED_MIN_TIME", 0.0)
    scenario = load_scenario(folder)
    priced = solve_and_check(scenario, "lns", tmp_path, workers=2)
    exact = solve_and_check(scenario, "highs", tmp_path)
    assert len(exact.stages) == 3
    for step in exact.stages:
        assert stage(priced, step.name) == pytest.approx(step.value)
