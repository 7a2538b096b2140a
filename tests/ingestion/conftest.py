"""Fixtures of the ingestion tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_copy import ScenarioCopy, copy_mini


@pytest.fixture
def mini(tmp_path: Path) -> ScenarioCopy:
    """A fresh, editable copy of tests/data/mini."""
    return copy_mini(tmp_path)
