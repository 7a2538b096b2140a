"""The model builder's valid inequalities: they tighten the LP relaxation, never the integer model."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from scenario_builder import base
from strategies import SUPPRESS, Case, scenarios

from planner.domain import Scenario, Stage
from planner.model.build import build_model
from planner.solvers.highs import HighsBackend
from planner.solvers.status import SolveStatus


def _optimum(scenario: Scenario, *, relaxed: bool = False, without: str = "") -> float:
    """The served stage's optimum (of the LP relaxation if ``relaxed``), rows named ``without…`` left out."""
    bm = build_model(scenario)
    objective = bm.objectives[Stage.SERVED]
    lm = dataclasses.replace(bm.lm, rows=[r for r in bm.lm.rows if not (without and r.name.startswith(without))],
                             integer=[False] * bm.lm.num_vars if relaxed else bm.lm.integer)
    run = HighsBackend(lm).solve(objective.expr, True, 30, None)
    assert run.status == SolveStatus.OPTIMAL
    return run.objective / objective.divisor


def _two_capped_members():
    """Members A and B release 2 trainees a month each; 4 trainees each ask M; sessions need 8."""
    b = base(min_fill=8).member("A", release_cap=2).member("B", release_cap=2)
    return b.requests_for("A", "M", 4).requests_for("B", "M", 4).build()


def test_release_links_close_the_relaxation():
    scenario = _two_capped_members()
    assert any(r.name.startswith("release_link") for r in build_model(scenario).lm.rows)
    # a session needs 8 trainees at once, and A and B can send only 4: nothing can be served...
    assert _optimum(scenario) == 0
    # ...which the LP sees only with the links (without them, half a session takes 2 + 2 trainees)
    assert _optimum(scenario, relaxed=True) == 0
    assert _optimum(scenario, relaxed=True, without="release_link") > 0


def test_release_links_follow_the_capacity_relaxation():
    lm = build_model(_two_capped_members(), relax=frozenset({"capacity"})).lm
    assert not any(r.name.startswith("release_link") for r in lm.rows)


@settings(max_examples=30, deadline=None, suppress_health_check=SUPPRESS)
@given(scenarios())
def test_release_links_keep_every_integer_optimum(case: Case) -> None:
    assert _optimum(case.scenario) == _optimum(case.scenario, without="release_link")


def test_pair_links_are_cuts_unless_asked_for_as_rows():
    scenario = _two_capped_members()
    plain, linked = build_model(scenario).lm, build_model(scenario, pair_links=True).lm
    assert plain.cuts and not linked.cuts
    assert len(plain.with_cuts().rows) == len(linked.rows) == len(plain.rows) + len(plain.cuts)
    assert plain.with_cuts().cuts == [] and plain.cuts  # a copy: the model keeps its cuts


@settings(max_examples=30, deadline=None, suppress_health_check=SUPPRESS)
@given(scenarios())
def test_cuts_keep_every_integer_optimum(case: Case) -> None:
    bm = build_model(case.scenario)
    objective = bm.objectives[Stage.SERVED]
    runs = [HighsBackend(lm).solve(objective.expr, True, 30, None) for lm in (bm.lm, bm.lm.with_cuts())]
    assert all(run.status == SolveStatus.OPTIMAL for run in runs)
    assert round(runs[0].objective) == round(runs[1].objective)  # integer objective, float noise
