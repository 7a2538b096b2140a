"""Reading damaged files without cascades, and the cost arithmetic of the checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.checker import check_plan
from planner.checker.costs import engineering_split, group_costs
from planner.checker.index import PlanIndex
from planner.checker.read import read_plan

from .conftest import valid_plan, write_plan


def test_group_costs_of_the_valid_plan(scenario, plan_dir):
    costs = {k: (g.cents, g.trainees) for k, g in group_costs(PlanIndex(scenario, read_plan(plan_dir))).items()}
    assert costs[("S1", "M1", "pedagogy")] == (2 * 29_400, 2)  # 21 h × 14 EUR
    assert costs[("S1", "M1", "travel")] == (2 * 2_925, 2)  # 2 × 15 km × 0.325 × 3 days
    assert costs[("S1", "M1", "wage")] == (2 * 21_000, 2)
    assert costs[("S1", "M1", "engineering")] == (6_667, 2)
    assert costs[("S1", "M2", "engineering")] == (3_333, 1)
    assert ("S1", "M2", "travel") not in costs  # 8 km: below the 10 km threshold
    assert costs[("S2", "M1", "travel")] == (2 * 1_950, 2)  # 2 days


@pytest.mark.parametrize(("total", "counts", "expected"), [
    (10_000, {"M2": 1, "M1": 2}, {"M1": 6_667, "M2": 3_333}),
    (10_000, {"c": 1, "b": 1, "a": 1}, {"a": 3_334, "b": 3_333, "c": 3_333}),  # tie: smaller id
    (10_002, {m: 1 for m in "ABCDE"}, {"A": 2_001, "B": 2_001, "C": 2_000, "D": 2_000, "E": 2_000}),
    (3, {m: 1 for m in "abcde"}, {"a": 1, "b": 1, "c": 1, "d": 0, "e": 0}),  # never negative
    (0, {"a": 2}, {"a": 0}),
    (5, {"a": 1}, {"a": 5}),
])
def test_engineering_split(total, counts, expected):
    split = engineering_split(total, counts)
    assert split == expected
    assert sum(split.values()) == total


@given(st.integers(0, 10**7), st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(1, 12), min_size=1))
def test_engineering_split_rounds_every_exact_share_down_or_up(total, counts):
    split = engineering_split(total, counts)
    assert sum(split.values()) == total
    n_total = sum(counts.values())
    for member, cents in split.items():
        assert total * counts[member] // n_total <= cents <= -(-total * counts[member] // n_total)


def test_ragged_session_row_does_not_cascade(tmp_path: Path, scenario):
    tables, meta = valid_plan()
    folder = write_plan(tmp_path / "p", tables, meta)
    text = (folder / "sessions.csv").read_text().replace("2012-05,2012-05,14,3,0,2012-05-02,2012-05-03",
                                                               "2012-05,2012-05,14,3,0,2012-05-02")
    (folder / "sessions.csv").write_text(text)
    report = check_plan(scenario, folder)
    assert report.rules() == {"file_format"}, report.summary()
    assert "cells where the header has" in report.violations[0].message


def test_missing_column_skips_dependent_checks(tmp_path: Path, scenario):
    tables, meta = valid_plan()
    for r in tables["assignments.csv"]:
        r.pop("trainee_ref")
    folder = tmp_path / "p"
    folder.mkdir()
    import csv

    write_plan(folder, {k: v for k, v in tables.items() if k != "assignments.csv"}, meta)
    with (folder / "assignments.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["session_id", "member_id", "module_code", "travel_min", "road_km"])
        w.writeheader()
        w.writerows(tables["assignments.csv"])
    report = check_plan(scenario, str(folder))  # a str path works too
    assert report.rules() == {"file_format"}, report.summary()
    assert "trainee_ref" in report.violations[0].message


def test_byte_order_mark_and_extra_columns_are_fine(tmp_path: Path, scenario):
    tables, meta = valid_plan()
    folder = write_plan(tmp_path / "p", tables, meta)
    path = folder / "unmet.csv"
    lines = path.read_text().splitlines()
    lines = ["\ufeff" + lines[0] + ",note"] + [line + ",x" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check_plan(scenario, folder).ok


def test_empty_travel_cell_is_a_format_problem(tmp_path: Path, scenario):
    tables, meta = valid_plan()
    tables["assignments.csv"][0]["travel_min"] = ""
    report = check_plan(scenario, write_plan(tmp_path / "p", tables, meta))
    assert report.rules() == {"file_format"}


def test_report_serialises(tmp_path: Path, scenario):
    tables, meta = valid_plan()
    tables["sessions.csv"][0]["trainees"] = "2"
    report = check_plan(scenario, write_plan(tmp_path / "p", tables, meta))
    doc = report.as_dict()
    assert doc["ok"] is False
    assert doc["violations"][0]["rule"] == "trainee_count"
    assert doc["violations"][0]["session_id"] == "S1"
    assert "trainee_count 1" in report.summary()
