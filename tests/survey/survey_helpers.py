"""Helpers of the survey tests: run the CLI, fill a template as a member would."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from planner.cli import app
from planner.survey.layout import FIRST_DATA_ROW, KEY_ROW, SHEET_REQUESTS, SPEC_COLUMNS


def run(*args: object):
    """Invoke ``planner`` with a wide terminal so that tables do not fold text."""
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "300"})


def fill(workbook: Path, rows: list[dict[str, object]], *, first_row: int = FIRST_DATA_ROW) -> None:
    """Write rows (SPEC column -> value; missing = left as is) into the Demandes sheet, as a member would."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb[SHEET_REQUESTS]
    position = {ws.cell(KEY_ROW, i).value: i for i in range(1, ws.max_column + 1)}
    for r, row in enumerate(rows, start=first_row):
        for column, value in row.items():
            ws.cell(r, position[column], value)
    wb.save(workbook)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def spec_row(**values: str) -> dict[str, str]:
    """A full survey.csv row: every SPEC column, empty unless given."""
    return {c: values.get(c, "") for c in SPEC_COLUMNS}
