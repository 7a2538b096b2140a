"""Shared checks of the generator tests: read a scenario folder back with csv and tomllib."""

from __future__ import annotations

import csv
import importlib
import tomllib
from pathlib import Path
from types import ModuleType


def read_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def read_table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_config(folder: Path) -> dict:
    with (folder / "scenario.toml").open("rb") as f:
        return tomllib.load(f)


def loader() -> ModuleType | None:
    """The scenario loader, or None while it cannot be imported."""
    try:
        return importlib.import_module("planner.ingestion.loader")
    except ImportError:
        return None
