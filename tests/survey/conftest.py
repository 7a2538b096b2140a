"""Fixtures of the survey workbook tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.ingestion import read_scenario

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


@pytest.fixture
def scenario_dir(tmp_path: Path) -> Path:
    """A copy of tests/data/mini *without* survey.csv: the survey commands run before it exists."""
    folder = tmp_path / "scenario"
    shutil.copytree(MINI, folder)
    (folder / "survey.csv").unlink()
    return folder


@pytest.fixture
def scenario(scenario_dir: Path):
    loaded, problems = read_scenario(scenario_dir, survey=False)
    assert not problems, problems
    return loaded
