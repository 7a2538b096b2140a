"""Reading a plan folder back gives the plan that was written, and a foreign plan is refused."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from planner.domain.errors import ScenarioInvalid
from planner.ingestion import load_scenario
from planner.plans.writer import write_plan
from planner.plans.reader import read_plan
from planner.heuristics.greedy import solve_greedy

MINI = Path(__file__).parents[1] / "data" / "mini"


@pytest.fixture(scope="module")
def solved():
    scenario = load_scenario(MINI)
    return scenario, solve_greedy(scenario)


def test_round_trip(solved, tmp_path):
    scenario, plan = solved
    plan.meeting_days = {s.id: ["2012-03-05", "2012-03-06"] for s in plan.sessions}
    out = write_plan(scenario, plan, tmp_path / "plan")
    back = read_plan(out, scenario)
    assert plan.sessions and back.sessions == plan.sessions
    assert sorted(back.funding, key=repr) == sorted(plan.funding, key=repr)
    assert back.unmet == plan.unmet
    assert back.meeting_days == plan.meeting_days
    assert [s.name for s in back.stages] == [s.name for s in plan.stages]
    assert back.status == plan.status


def test_plan_of_another_scenario_or_edited_scenario_is_refused(solved, tmp_path):
    scenario, plan = solved
    out = write_plan(scenario, plan, tmp_path / "plan")
    with pytest.raises(ScenarioInvalid, match="another scenario"):
        read_plan(out, replace(scenario, id="other"))
    with pytest.raises(ScenarioInvalid, match="changed since"):
        read_plan(out, replace(scenario, source_hash="0" * 16))


def test_every_bad_row_is_reported(solved, tmp_path):
    scenario, plan = solved
    out = write_plan(scenario, plan, tmp_path / "plan")
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    doc["assignments"][0]["trainee_ref"] = "nobody"
    doc["funding"][0]["amount_eur"] = "12.345"
    doc["status"] = "sort-of"
    (out / "plan.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as info:
        read_plan(out, scenario)
    messages = " | ".join(str(p) for p in info.value.problems)
    assert "unknown request" in messages and "fractions of a cent" in messages and "unknown status" in messages


def test_the_capacity_cause_round_trips_and_old_files_read_without_it(solved, tmp_path):
    import csv

    from planner.domain.plan import UnmetRequest

    scenario, plan = solved
    first = plan.unmet[0]
    plan = replace(plan, unmet=[UnmetRequest(first.request, "capacity", "full", "max_size"), *plan.unmet[1:]])
    out = write_plan(scenario, plan, tmp_path / "plan")
    assert read_plan(out, scenario).unmet[0].cause == "max_size"
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["unmet"][0]["cause"] == "max_size"
    # a plan folder written before the column: every cause reads as ""
    rows = list(csv.DictReader((out / "unmet.csv").open(encoding="utf-8")))
    with (out / "unmet.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c in rows[0] if c != "cause"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    for row in document["unmet"]:
        del row["cause"]
    (out / "plan.json").write_text(json.dumps(document), encoding="utf-8")
    assert [u.cause for u in read_plan(out, scenario).unmet] == [""] * len(plan.unmet)
