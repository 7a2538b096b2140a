"""Synthetic scenarios: deterministic, any size, valid, fast."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from generate_helpers import loader, read_bytes, read_config, read_table

from planner.generate import generate_scenario


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_scenario(tmp_path_factory.mktemp("syn") / "s", 3, 15, seed=11)


def test_same_seed_gives_identical_bytes(small: Path, tmp_path: Path) -> None:
    again = generate_scenario(tmp_path / "again", 3, 15, seed=11)
    assert read_bytes(again) == read_bytes(small)


def test_other_seed_gives_another_survey(small: Path, tmp_path: Path) -> None:
    other = generate_scenario(tmp_path / "other", 3, 15, seed=12)
    assert (other / "survey.csv").read_bytes() != (small / "survey.csv").read_bytes()


def test_files_parse_and_have_the_requested_size(small: Path) -> None:
    config = read_config(small)
    assert config["id"] == "synthetic-d3-m15-s11"
    assert {"funders", "budget_lines", "rules", "policy", "travel", "objective"} <= set(config)
    territories = read_table(small, "territories")
    members = read_table(small, "members")
    survey = read_table(small, "survey")
    assert len(territories) == 12 and {t["territory_id"] for t in territories} >= {"d01-t1", "d03-t4"}
    assert len(members) == 45
    assert len({m["member_id"] for m in members}) == 45
    assert {m["kind"] for m in members} <= {"AI", "ACI", "EI", "ETTI", "EITI", "SAP"}
    assert all(43 <= float(m["lat"]) <= 50.5 and -1.5 <= float(m["lon"]) <= 7.5 for m in members)
    per_member = Counter(r["member_id"] for r in survey)
    assert 18 * 45 * 0.9 <= len(survey) <= 26 * 45
    assert max(per_member.values()) <= 26
    assert all(r["priority"] in {"1", "2", "3"} for r in survey)
    # trainee_ref identifies a trainee within a member; a trainee never asks twice the same module
    asks = Counter((r["member_id"], r["trainee_ref"], r["module_code"]) for r in survey)
    assert max(asks.values()) == 1
    assert any(n == 2 for n in Counter((r["member_id"], r["trainee_ref"]) for r in survey).values())
    assert not (small / "travel.csv").exists()


def test_loads_without_problems(small: Path) -> None:
    module = loader()
    if module is None:
        pytest.skip("planner.ingestion.loader not importable yet")
    scenario = module.load_scenario(small)
    assert len(scenario.members) == 45
    assert len(scenario.requests) == len(read_table(small, "survey"))


def test_hundred_departments(tmp_path: Path) -> None:
    # how long it takes is measured by benchmarks/bench_load.py, not asserted here
    out = generate_scenario(tmp_path / "big", 100, 45, seed=3)
    rows = (out / "survey.csv").read_bytes().count(b"\n") - 1
    assert 90_000 <= rows <= 110_000
    assert len(read_table(out, "members")) == 4500
