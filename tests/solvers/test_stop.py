"""A solve stopped after its first stage still gives a whole plan that passes the checker."""

from __future__ import annotations

from pathlib import Path

from planner.checker import check_plan
from planner.ingestion import load_scenario
from planner.plans.writer import write_plan
from planner.solvers import solve

MINI = Path(__file__).parents[1] / "data" / "mini"


def test_stopped_after_first_stage_reports_every_stage(tmp_path):
    scenario = load_scenario(MINI)
    calls = []

    def stop_after_first() -> bool:
        calls.append(1)
        return len(calls) > 1  # asked before each stage: stop before the second

    plan = solve(scenario, solver="highs", time_limit=10, workers=1, should_stop=stop_after_first,
                 explain_time_limit=0)
    names = [s.name for s in plan.stages]
    assert names == [s.value for s in scenario.objective.stages] and len(names) > 1
    assert plan.stages[0].bound is not None and all(s.bound is None and not s.proven for s in plan.stages[1:])
    out = write_plan(scenario, plan, tmp_path / "plan")
    report = check_plan(scenario, out)
    assert report.ok, report.summary()


def test_progress_is_in_stage_units():
    scenario = load_scenario(MINI)
    seen: list[tuple[str, float]] = []
    stage = {"name": ""}

    def on_stage(name, value, bound, elapsed):
        stage["name"] = name

    def on_incumbent(value, bound, elapsed):
        seen.append((stage["name"], value))

    plan = solve(scenario, solver="cpsat", time_limit=10, workers=1, progress=on_stage, stage_progress=on_incumbent,
                 explain_time_limit=0)
    served = [v for name, v in seen if name == "served"]
    assert served, "CP-SAT reports its incumbents"
    assert max(served) == plan.stages[0].value  # hours × priority, as plan.json says, not model minutes
