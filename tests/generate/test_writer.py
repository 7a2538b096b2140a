"""The scenario writer: CSV cells, the TOML serializer, atomic folders."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from planner.generate.writer import dumps_csv, dumps_toml, write_scenario

TABLES = {
    "territories": [{"territory_id": "007", "name": "Sud, « rural »", "rural": True, "min_fill": None}],
    "members": [],
    "modules": [],
    "providers": [],
    "venues": [],
    "offers": [],
    "survey": [],
}


def test_toml_round_trips_through_tomllib() -> None:
    doc = {
        "id": "x-1",
        "title": 'quote " backslash \\ tab \t accent é',
        "horizon": {"start": "2012-01", "end": "2012-12"},
        "closed_months": [],
        "policy": {"min_fill": 6, "rate_eur_per_hour": 14.0, "share": 0.1 + 0.2, "skip": None},
        "objective": {"stages": ["served"], "priority_weights": {1: 3, 2: 2}},
        "funders": [{"id": "a", "opca": True, "access_fee_eur": 150}, {"id": "b"}],
    }
    parsed = tomllib.loads(dumps_toml(doc, header="first line\nsecond"))
    expected = dict(doc)
    expected["policy"] = {k: v for k, v in doc["policy"].items() if v is not None}
    expected["objective"] = {"stages": ["served"], "priority_weights": {"1": 3, "2": 2}}
    assert parsed == expected


def test_toml_writes_short_tables_inline_and_comments_first() -> None:
    text = dumps_toml({"id": "a", "horizon": {"start": "2012-01", "end": "2012-06"}}, header="hello")
    assert text.splitlines()[0] == "# hello"
    assert 'horizon = { start = "2012-01", end = "2012-06" }' in text


def test_csv_writes_ids_as_strings_and_drops_unused_optional_columns() -> None:
    text = dumps_csv("territories", [{"territory_id": 7, "name": "A", "rural": False}])
    assert text == "territory_id,name,rural\n7,A,false\n"


def test_csv_rejects_unknown_and_missing_columns() -> None:
    with pytest.raises(ValueError, match="unknown columns"):
        dumps_csv("providers", [{"provider_id": "p", "name": "P", "colour": "red"}])
    with pytest.raises(ValueError, match="missing required column name"):
        dumps_csv("providers", [{"provider_id": "p"}])


def test_write_replaces_a_folder_and_a_failure_leaves_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "scn"
    write_scenario(out, {"id": "one"}, TABLES, readme="# one")
    assert (out / "README.md").read_text(encoding="utf-8") == "# one\n"
    assert "007" in (out / "territories.csv").read_text(encoding="utf-8")
    with pytest.raises(TypeError):
        write_scenario(out, {"id": object()}, TABLES)
    assert tomllib.loads((out / "scenario.toml").read_text(encoding="utf-8"))["id"] == "one"
    write_scenario(out, {"id": "two"}, TABLES)
    assert not (out / "README.md").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["scn"]  # no temporary folder left


def test_write_failure_leaves_no_half_folder(tmp_path: Path) -> None:
    bad = dict(TABLES, survey=[{"member_id": "m"}])  # missing trainee_ref and module_code
    with pytest.raises(ValueError):
        write_scenario(tmp_path / "scn", {"id": "x"}, bad)
    assert list(tmp_path.iterdir()) == []
