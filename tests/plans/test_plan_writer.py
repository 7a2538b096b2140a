"""Plan folders: the shipped JSON Schema holds, writes are atomic, a rejected plan writes nothing."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from planner.ingestion import load_scenario
from planner.plans.writer import write_plan
from planner.solvers import solve

MINI = Path(__file__).parents[1] / "data" / "mini"


@pytest.fixture(scope="module")
def solved():
    scenario = load_scenario(MINI)
    return scenario, solve(scenario, solver="highs", time_limit=10, workers=1)


def test_plan_json_follows_the_shipped_schema(solved, tmp_path):
    scenario, plan = solved
    out = write_plan(scenario, plan, tmp_path / "plan")
    schema = json.loads(files("planner").joinpath("schemas/plan.schema.json").read_text(encoding="utf-8"))
    document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert document["kpis"]["requests_served"] == sum(len(s.requests) for s in plan.sessions)
    assert {p.name for p in out.iterdir()} == {"plan.json", "sessions.csv", "assignments.csv", "funding.csv",
                                               "unmet.csv"}


def test_schema_rejects_a_broken_document(solved, tmp_path):
    scenario, plan = solved
    out = write_plan(scenario, plan, tmp_path / "plan")
    schema = json.loads(files("planner").joinpath("schemas/plan.schema.json").read_text(encoding="utf-8"))
    document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    document["unmet"].append({"member_id": "x", "trainee_ref": "y", "module_code": "z", "reason": "bad luck",
                              "detail": "?"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_rejected_plan_leaves_the_previous_one_whole(solved, tmp_path):
    scenario, plan = solved
    out = write_plan(scenario, plan, tmp_path / "plan")
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def reject(folder: Path) -> None:
        assert (folder / "plan.json").exists()  # the new folder is complete when verified
        raise RuntimeError("checker said no")

    with pytest.raises(RuntimeError):
        write_plan(scenario, plan, out, verify=reject)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # no temporary folder left behind


def test_overwrite_replaces_whole_plan(solved, tmp_path):
    scenario, plan = solved
    out = tmp_path / "plan"
    out.mkdir()
    (out / "stale.csv").write_text("old")
    write_plan(scenario, plan, out)
    assert not (out / "stale.csv").exists()
    assert (out / "plan.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_rural_figures_count_trainees_and_hours_of_rural_members(solved, tmp_path):
    scenario, plan = solved
    kpis = json.loads((write_plan(scenario, plan, tmp_path / "plan") / "plan.json").read_text())["kpis"]
    rural = {t.id for t in scenario.territories if t.rural}
    asked = [r for r in scenario.requests if scenario.member[r.member_id].territory_id in rural]
    served = [scenario.requests[i] for s in plan.sessions for i in s.requests
              if scenario.member[scenario.requests[i].member_id].territory_id in rural]
    assert served, "the mini scenario serves rural trainees: the figures below mean something"
    assert kpis["rural_requests"] == len(asked) > kpis["rural_trainees"]  # a rural trainee asks twice
    assert kpis["rural_trainees"] == len({(r.member_id, r.trainee_ref) for r in asked})
    assert kpis["rural_trainees_served"] == len({(r.member_id, r.trainee_ref) for r in served})
    assert kpis["rural_trainee_hours"] == sum(scenario.module[r.module_code].minutes for r in served) / 60
