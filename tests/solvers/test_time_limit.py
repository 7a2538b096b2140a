"""The time limit covers the whole optimisation: what building the model took is not given
again to the stages (a deterministic run keeps its whole budget, so that a seed gives one plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

import planner.solvers as solvers
from planner.ingestion import load_scenario

MINI = Path(__file__).parents[1] / "data" / "mini"


@pytest.mark.parametrize("deterministic", [False, True])
def test_stages_get_what_is_left_of_the_time_limit(monkeypatch, deterministic):
    scenario = load_scenario(MINI)
    given: list[float] = []
    real = solvers.solve_lexicographic

    def spy(bm, backend, stages, time_limit, *args):
        given.append(time_limit)
        return real(bm, backend, stages, time_limit, *args)

    monkeypatch.setattr(solvers, "solve_lexicographic", spy)
    solvers.solve(scenario, solver="highs", time_limit=20, workers=1, explain_time_limit=0,
                  deterministic=deterministic)
    assert len(given) == 1
    if deterministic:
        assert given[0] == 20
    else:
        assert 1.0 <= given[0] < 20
