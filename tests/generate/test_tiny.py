"""The hand-solvable tiny scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from generate_helpers import loader, read_config, read_table

from planner.generate import build_tiny


def test_tiny_shape(tmp_path: Path) -> None:
    out = build_tiny(tmp_path / "tiny")
    assert len(read_table(out, "members")) == 4
    assert len(read_table(out, "venues")) == 3
    assert len(read_table(out, "survey")) == 14
    config = read_config(out)
    assert config["horizon"] == {"start": "2012-01", "end": "2012-06"}
    assert config["policy"]["min_fill"] == 3 and config["policy"]["max_size"] == 6
    assert len(config["funders"]) == 2


def test_tiny_loads_with_the_expected_warnings(tmp_path: Path) -> None:
    module = loader()
    if module is None:
        pytest.skip("planner.ingestion.loader not importable yet")
    from planner.explain.diagnostics import unservable

    scenario = module.load_scenario(build_tiny(tmp_path / "tiny"))
    assert {g.code: g.count for g in unservable(scenario)} == {"out_of_reach": 1, "window": 1}
