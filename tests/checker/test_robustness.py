"""Random damage to a valid plan never makes the checker raise: it passes or reports violations."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.checker import CheckReport, check_plan
from planner.checker.read import COLUMNS

from .conftest import base_scenario, valid_plan, write_plan

SCENARIO = base_scenario()
FILES = sorted(COLUMNS)

TRICKY = [
    "", " ", "nan", "NaN", "inf", "-inf", "-1", "0", "1e309", "1e-320", "99999999999999999999999", "-0.00",
    "2012-13", "2012-00", "2012-08", "2013-01", "0000-01", "9999-12", "2012-03-32", "2012-02-30", "20120305",
    "2012-03-03", "2012-05-01", "2012-05-02", "2012-03-08", "2012-08-01", "0001-01-01", "9999-12-31",
    "S1", "S2", "S9", "M1", "M2", "007", "V2", "V3", "P2", "SHORT1", "SHORT2", "KS", "T2",
    "own", "opco-short", "region-main", "opco", "region", "access_fee:opco", "access_fee:region", "access_fee:",
    "pedagogy", "travel", "wage", "engineering", "t1", "t2", "u1", "12.5", " 7 ", "1_000", "0x10",
    '"', "'", ",", "\n", "\r\n", "\x00", "é", "\u202e", "no_offer", "window", "capacity",
]
cell_values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.integers(min_value=-10**6, max_value=10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


@st.composite
def damages(draw):
    """A list of small edits to the tables, the plan.json document or the raw file bytes."""
    edits = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop_row", "copy_row", "drop_file",
                                     "json_field", "json_stage", "meeting_day", "raw_bytes"]))
        file = draw(st.sampled_from(FILES))
        edits.append((
            kind, file,
            draw(st.integers(min_value=0, max_value=30)),
            draw(st.sampled_from(COLUMNS[file])),
            draw(cell_values),
            draw(st.sampled_from(["schema_version", "scenario_id", "stages", "value", "bound", "gap", "proven",
                                  "name", "meeting_days"])),
            draw(json_values),
            draw(st.binary(max_size=6)),
        ))
    return edits


def apply(edits, folder: Path) -> None:
    tables, meta = valid_plan()
    raw: list[tuple[str, int, bytes]] = []
    for kind, file, index, column, value, key, jvalue, blob in edits:
        rows = tables.get(file)
        if kind == "cell" and rows:
            rows[index % len(rows)][column] = value
        elif kind == "drop_row" and rows:
            rows.pop(index % len(rows))
        elif kind == "copy_row" and rows:
            rows.append(dict(rows[index % len(rows)]))
        elif kind == "drop_file":
            tables[file] = None
        elif kind == "json_field" and isinstance(meta, dict):
            meta[key] = jvalue
        elif kind == "meeting_day" and isinstance(meta, dict) and isinstance(meta.get("meeting_days"), dict):
            lists = [days for days in meta["meeting_days"].values() if isinstance(days, list) and days]
            if lists:
                days = lists[index % len(lists)]
                days[index % len(days)] = value  # a tricky cell value as a date
        elif kind == "json_stage" and isinstance(meta, dict) and isinstance(meta.get("stages"), list):
            stages = meta["stages"]
            stage = stages[index % len(stages)] if stages else None
            if isinstance(stage, dict):
                stage[key] = jvalue
        elif kind == "raw_bytes":
            raw.append((file, index, blob))
    write_plan(folder, tables, meta)
    for file, index, blob in raw:
        path = folder / file
        if path.exists():
            data = path.read_bytes()
            at = (index * 37) % (len(data) + 1)
            path.write_bytes(data[:at] + blob + data[at + len(blob) // 2:])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damages())
def test_random_damage_never_raises(edits):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plan"
        apply(edits, folder)
        report = check_plan(SCENARIO, folder)
    assert isinstance(report, CheckReport)
    assert "internal" not in report.rules(), report.summary()
    json.dumps(report.as_dict())  # serialisable for the CLI and the API


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(FILES + ["plan.json"]))
def test_garbage_file_never_raises(blob, file):
    with tempfile.TemporaryDirectory() as tmp:
        tables, meta = valid_plan()
        folder = write_plan(Path(tmp) / "plan", tables, meta)
        (folder / file).write_bytes(blob)
        report = check_plan(SCENARIO, folder)
    assert "internal" not in report.rules(), report.summary()
