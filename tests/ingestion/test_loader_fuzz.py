"""Garbage in random cells and TOML values never crashes the loader nor ``planner validate``."""

from __future__ import annotations

import csv
import json
import math
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_copy import MINI, ScenarioCopy, copy_mini

from planner.domain import Scenario
from planner.domain.errors import Problem
from planner.ingestion import read_scenario

TABLES = {
    name: next(csv.reader((MINI / name).read_text(encoding="utf-8").splitlines()))
    for name in ("territories.csv", "members.csv", "modules.csv", "providers.csv", "venues.csv", "offers.csv", "survey.csv")
}
ROWS = {name: len((MINI / name).read_text(encoding="utf-8").splitlines()) for name in TABLES}

# Keys of scenario.toml whose value (the rest of the line after "key =") the fuzzer may replace.
TOML_LINES = [
    i for i, line in enumerate((MINI / "scenario.toml").read_text(encoding="utf-8").splitlines())
    if re.match(r"^\s*[A-Za-z_]+\s*=", line)
]

NASTY = [
    "", " ", "-1", "0", "-0", "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "1e-30", "1e30",
    "99999999999999999999999", "0.0000001", "1,5", "1 000", "١٢", "2012-13", "2012-00", "0000-01",
    "9999-12", "12-2012", "2012/03", "007", "7", "true", "vrai", "FALSE", "AI", "short", "north",
    "m2", "p1", "v1", "CACES-R489-1", "=1+1", "'", '"', "\\", "\x00", "\t", "é" * 200, "x" * 5000,
    "None", "null", "[]", "{}",
]

cell_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def _toml_float(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


toml_scalars = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(_toml_float),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=20).map(_toml_string),
    st.sampled_from(['"2012-13"', '"2012-01"', '"ACI"', '"short"', '"pedagogy"', '"served"', '"opca"', '"own"']),
)
toml_values = st.one_of(
    toml_scalars,
    st.lists(toml_scalars, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.dictionaries(st.sampled_from(["start", "end", "1", "2", "x"]), toml_scalars, max_size=3).map(
        lambda d: "{ " + ", ".join(f'"{k}" = {v}' for k, v in d.items()) + " }"
    ),
    st.text(max_size=15),  # raw garbage: often not TOML at all
)

@st.composite
def cell_edit(draw) -> tuple[str, int, str, str]:
    name = draw(st.sampled_from(sorted(TABLES)))
    row = draw(st.integers(min_value=1, max_value=ROWS[name] + 1))  # header, data rows, or one new row
    column = draw(st.sampled_from(TABLES[name]))
    return name, row, column, draw(cell_values)


@st.composite
def toml_edit(draw) -> tuple[int, str]:
    return draw(st.sampled_from(TOML_LINES)), draw(toml_values)


@st.composite
def shape_edit(draw) -> tuple[str, str, int]:
    """A structural edit: drop a column or a row, duplicate a row, add an unknown column or a ragged row."""
    name = draw(st.sampled_from(sorted(TABLES)))
    op = draw(st.sampled_from(["drop_column", "drop_row", "duplicate_row", "extra_column", "ragged_row", "blank_row"]))
    return name, op, draw(st.integers(min_value=0, max_value=20))


def _reshape(mini: ScenarioCopy, name: str, op: str, k: int) -> None:
    rows = mini.read_csv(name)
    width, body = len(rows[0]), len(rows) - 1
    if op == "drop_column":
        j = k % width
        rows = [line[:j] + line[j + 1:] for line in rows]
    elif op == "drop_row" and body:
        del rows[1 + k % body]
    elif op == "duplicate_row" and body:
        rows.append(list(rows[1 + k % body]))
    elif op == "extra_column":
        rows = [line + ["colonne" if i == 0 else str(k)] for i, line in enumerate(rows)]
    elif op == "ragged_row" and body:
        rows[1 + k % body] = rows[1 + k % body][: k % (width + 3)] + ["x"] * (k % 3)
    elif op == "blank_row":
        rows.insert(1 + k % (body + 1), [])
    mini.write_csv(name, rows)


def _apply(mini: ScenarioCopy, cells: list[tuple[str, int, str, str]], tomls: list[tuple[int, str]],
           shapes: list[tuple[str, str, int]] = ()) -> None:
    for name, op, k in shapes:
        _reshape(mini, name, op, k)
    for name, row, column, value in cells:
        rows = mini.read_csv(name)
        while row > len(rows):
            rows.append([""] * len(rows[0]))
        line = rows[row - 1]
        j = rows[0].index(column) if column in rows[0] else 0
        line.extend([""] * (j + 1 - len(line)))
        line[j] = value
        mini.write_csv(name, rows)
    if tomls:
        lines = mini.toml.splitlines()
        for index, value in tomls:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {value}"
        mini.toml = "\n".join(lines) + "\n"


def _check(folder: Path) -> None:
    scenario, problems = read_scenario(folder)  # must not raise
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) for p in problems)
    assert (scenario is None) == bool(problems)
    if scenario is not None:
        assert isinstance(scenario, Scenario)
    for p in problems:
        str(p)  # every problem renders
        assert p.file


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(cell_edit(), min_size=0, max_size=4), tomls=st.lists(toml_edit(), min_size=0, max_size=2),
       shapes=st.lists(shape_edit(), max_size=2))
def test_garbage_never_crashes(cells, tomls, shapes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        mini = copy_mini(Path(tmp))
        _apply(mini, cells, tomls, shapes)
        _check(mini.path)
        result = mini.validate()
        assert result.exit_code in (0, 1, 2), (result.exit_code, repr(result.exception), result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output


@settings(max_examples=20, deadline=None)
@given(data=st.binary(max_size=200), name=st.sampled_from(sorted(TABLES) + ["scenario.toml"]))
def test_binary_garbage_file_never_crashes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        mini = copy_mini(Path(tmp))
        mini.file(name).write_bytes(data)
        _check(mini.path)
