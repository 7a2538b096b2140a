"""The package metadata in its current form (PEP 639): no deprecation warnings at install."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_license_is_an_spdx_expression_with_its_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert isinstance(project["license"], str) and project["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in project["license-files"])
