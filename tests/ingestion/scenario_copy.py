"""Editable copies of a scenario folder (by default the hand-made ``tests/data/mini``), for tests."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.domain.errors import Problem
from planner.ingestion import read_scenario

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


class ScenarioCopy:
    """A copy of a scenario folder that a test edits cell by cell (CSV) or line by line (TOML).

    Rows are numbered as in problems: the header is row 1, the first data row is row 2.
    """

    def __init__(self, path: Path):
        self.path = path

    # --- CSV ---------------------------------------------------------------------------------
    def file(self, name: str) -> Path:
        return self.path / name

    def read_csv(self, name: str) -> list[list[str]]:
        with self.file(name).open(newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))

    def write_csv(self, name: str, rows: list[list[str]]) -> None:
        with self.file(name).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)

    def cell(self, name: str, row: int, column: str) -> str:
        rows = self.read_csv(name)
        return rows[row - 1][rows[0].index(column)]

    def set_cell(self, name: str, row: int, column: str, value: str) -> None:
        """Set one cell; adds the column (empty elsewhere) when the table lacks it."""
        rows = self.read_csv(name)
        if column not in rows[0]:
            self.add_column(name, column)
            rows = self.read_csv(name)
        j = rows[0].index(column)
        line = rows[row - 1]
        line.extend([""] * (len(rows[0]) - len(line)))
        line[j] = value
        self.write_csv(name, rows)

    def add_column(self, name: str, column: str, values: list[str] | None = None) -> None:
        rows = self.read_csv(name)
        rows[0].append(column)
        for i, line in enumerate(rows[1:]):
            line.append(values[i] if values else "")
        self.write_csv(name, rows)

    def drop_column(self, name: str, column: str) -> None:
        rows = self.read_csv(name)
        j = rows[0].index(column)
        self.write_csv(name, [line[:j] + line[j + 1:] for line in rows])

    def append_row(self, name: str, values: dict[str, str]) -> int:
        """Append a row (missing columns empty); returns its row number."""
        rows = self.read_csv(name)
        rows.append([values.get(c, "") for c in rows[0]])
        self.write_csv(name, rows)
        return len(rows)

    def drop_row(self, name: str, row: int) -> None:
        rows = self.read_csv(name)
        del rows[row - 1]
        self.write_csv(name, rows)

    # --- TOML --------------------------------------------------------------------------------
    @property
    def toml(self) -> str:
        return self.file("scenario.toml").read_text(encoding="utf-8")

    @toml.setter
    def toml(self, text: str) -> None:
        self.file("scenario.toml").write_text(text, encoding="utf-8")

    def toml_replace(self, old: str, new: str, count: int = 1) -> None:
        text = self.toml
        assert text.count(old) >= count, f"{old!r} not in scenario.toml"
        self.toml = text.replace(old, new, count)

    def toml_line(self, pattern: str, occurrence: int = 1) -> int:
        """1-based line of the ``occurrence``-th line matching ``pattern`` (a regex)."""
        found = [i for i, line in enumerate(self.toml.splitlines(), start=1) if re.search(pattern, line)]
        return found[occurrence - 1]

    # --- running -----------------------------------------------------------------------------
    def read(self) -> tuple[object, list[Problem]]:
        return read_scenario(self.path)

    def problems(self) -> list[Problem]:
        return self.read()[1]

    def load(self):
        scenario, problems = self.read()
        assert not problems, "\n".join(map(str, problems))
        return scenario

    def validate(self, *options: str):
        """Run ``planner validate`` in-process (not a terminal: one plain line per problem)."""
        return CliRunner().invoke(app, ["validate", str(self.path), *options])


def copy_mini(dest: Path, source: Path = MINI) -> ScenarioCopy:
    target = dest / "scenario"
    shutil.copytree(source, target)
    return ScenarioCopy(target)


def problem_rows(output: str) -> list[list[str]]:
    """The problems printed by the CLI as [file, row, column, value, problem, valid].

    From ``--format json`` every cell; from plain lines (``file:row:column: message…``) the first
    three and the rest of the line as the problem.
    """
    if output.lstrip().startswith("{"):
        return [[p["file"], "" if p["row"] is None else str(p["row"]), p["column"] or "",
                 "" if p["value"] is None else p["value"], p["message"],
                 (p["expected"] or "") + (f"; did you mean {p['suggestion']!r}?" if p["suggestion"] else "")]
                for p in json.loads(output)["problems"]]
    rows = []
    for line in output.splitlines():
        match = re.match(r"^([^:\s][^:]*):(\d*):([^:]*): (.*)$", line)
        if match:
            rows.append([match[1], match[2], match[3], "", match[4], ""])
    return rows
