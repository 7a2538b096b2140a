"""The solve → check → compare path of the CLI, and the child-process guard of long solves."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.ingestion import load_scenario
from planner.domain.plan import Plan, SolveStatus
from planner.solvers import process

MINI = Path(__file__).parent.parent / "data" / "mini"
runner = CliRunner()


def test_solve_writes_a_checked_plan_and_check_agrees(tmp_path):
    out = tmp_path / "plan"
    result = runner.invoke(app, ["solve", str(MINI), "--out", str(out), "--time-limit", "20", "--solver", "highs"])
    assert result.exit_code == 0, result.output
    assert "checked: no violation" in " ".join(result.output.split())
    assert (out / "plan.json").exists()
    checked = runner.invoke(app, ["check", str(MINI), str(out)])
    assert checked.exit_code == 0, checked.output


def test_check_rejects_a_tampered_plan(tmp_path):
    out = tmp_path / "plan"
    assert runner.invoke(app, ["solve", str(MINI), "--out", str(out), "--time-limit", "20"]).exit_code == 0
    rows = list(csv.DictReader((out / "funding.csv").open(encoding="utf-8")))
    rows[0]["amount_eur"] = f"{float(rows[0]['amount_eur']) + 50:.2f}"  # a funder pays 50 EUR too much
    with (out / "funding.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["check", str(MINI), str(out)])
    assert result.exit_code == 1
    assert "cost_coverage" in result.output or "share" in result.output


def test_unknown_solver_is_bad_input(tmp_path):
    result = runner.invoke(app, ["solve", str(MINI), "--solver", "gurobi", "--out", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert not (tmp_path / "p").exists()


def test_compare_two_plans(tmp_path):
    for solver in ("highs", "greedy"):
        result = runner.invoke(app, ["solve", str(MINI), "--out", str(tmp_path / solver), "--solver", solver,
                                     "--time-limit", "20"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["compare", str(tmp_path / "highs"), str(tmp_path / "greedy")])
    assert result.exit_code == 0
    assert "rural requests served" in result.output


def test_compare_missing_plan_is_bad_input(tmp_path):
    result = runner.invoke(app, ["compare", str(tmp_path / "nothing")])
    assert result.exit_code == 2


def _hang(*args, **kwargs):  # a solver that never returns
    time.sleep(3600)


def test_a_hanging_solver_is_killed(monkeypatch):
    import planner.solvers

    scenario = load_scenario(MINI)
    monkeypatch.setattr(planner.solvers, "solve", _hang)  # inherited by the forked child
    monkeypatch.setattr(process, "GRACE_SECONDS", 1.0)
    started = time.monotonic()
    plan = process.solve_in_child(scenario, time_limit=1.0, solver="highs", explain_time_limit=0)
    assert time.monotonic() - started < 30
    assert plan.status == SolveStatus.NO_SOLUTION
    assert not plan.sessions


def _fail(*args, **kwargs):
    raise RuntimeError("solver crashed")


def test_a_crashing_solver_is_a_result(monkeypatch):
    import planner.solvers

    monkeypatch.setattr(planner.solvers, "solve", _fail)
    plan = process.solve_in_child(load_scenario(MINI), time_limit=5.0, solver="highs", explain_time_limit=0)
    assert isinstance(plan, Plan)
    assert plan.status == SolveStatus.ERROR
    assert "solver crashed" in plan.error
