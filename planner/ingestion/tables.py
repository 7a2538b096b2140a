"""Read one scenario table (CSV or XLSX) into rows of strings, with file row numbers.

Every cell comes back as a stripped string so that ids stay ids ("007" stays "007") and the
cell parsers see exactly what the person typed. Structural problems (missing file, missing
column, both CSV and XLSX) are collected, not raised.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain.errors import Problem

Row = dict[str, str]


class _Anything:
    def __contains__(self, item: object) -> bool:
        return True


ANY_ID: Container[str] = _Anything()  # what an unreadable table lists: any id


@dataclass
class Table:
    """Rows of one table; ``rows`` pairs the 1-based file row (header = row 1) with its cells."""

    file: str
    columns: list[str]
    rows: list[tuple[int, Row]] = field(default_factory=list)
    present: bool = True
    complete: bool = True  # False when required columns are missing (rows are then not read)

    def listed(self, column: str) -> Container[str]:
        """Ids the table lists in ``column``, valid rows or not; any id when the table is unreadable.

        References to these ids are not reported as unknown: the problem is the referenced row
        (or table) itself, and it is reported there.
        """
        if not (self.present and self.complete):
            return ANY_ID
        return {row.get(column, "") for _, row in self.rows}


def cell_text(value: object) -> str:
    """Spreadsheet cell value to the text a person sees."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m")
    return str(value).strip()


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    # utf-8-sig: spreadsheets often save CSV with a byte-order mark
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        body = [(reader.line_num, cells) for cells in reader]
    return [h.strip() for h in header], body


def _read_xlsx(path: Path, stem: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[stem] if stem in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [cell_text(v) for v in next(rows, ())]
        body = [(i, [cell_text(v) for v in cells]) for i, cells in enumerate(rows, start=2)]
    finally:
        wb.close()
    return header, body


def read_rows(path: Path, display_name: str, problems: list[Problem]) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """Header and raw rows of a CSV or XLSX file; None (with a problem) when unreadable."""
    try:
        if path.suffix.lower() == ".xlsx":
            return _read_xlsx(path, path.stem)
        return _read_csv(path)
    except UnicodeDecodeError:
        problems.append(Problem(display_name, "file is not UTF-8 text", expected="a UTF-8 CSV file"))
    except csv.Error as exc:
        problems.append(Problem(display_name, f"malformed CSV: {exc}"))
    except Exception as exc:  # openpyxl raises a zoo of exceptions on broken workbooks
        problems.append(Problem(display_name, f"cannot read the file: {exc}", expected="a valid .csv or .xlsx file"))
    return None


def load_table(
    folder: Path,
    stem: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
    *,
    mandatory: bool = True,
) -> Table:
    """Load ``stem.csv`` or ``stem.xlsx`` from ``folder``, checking its columns."""
    candidates = [p for p in (folder / f"{stem}.csv", folder / f"{stem}.xlsx") if p.exists()]
    if not candidates:
        if mandatory:
            problems.append(
                Problem(f"{stem}.csv", "file is missing", expected=f"{stem}.csv or {stem}.xlsx in {folder}")
            )
        return Table(f"{stem}.csv", [], present=False)
    if len(candidates) > 1:
        problems.append(
            Problem(f"{stem}.xlsx", f"both {stem}.csv and {stem}.xlsx exist", expected="exactly one of them")
        )
        return Table(f"{stem}.csv", [], present=False)
    path = candidates[0]
    read = read_rows(path, path.name, problems)
    if read is None:
        return Table(path.name, [], present=False)
    header, body = read
    return table_from_rows(path.name, header, body, required, optional, problems)


def table_from_rows(
    file: str,
    header: list[str],
    body: list[tuple[int, list[str]]],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
) -> Table:
    """Check the header and turn raw rows into dicts keyed by column name."""
    known = set(required) | set(optional)
    missing = [c for c in required if c not in header]
    for column in missing:
        problems.append(
            Problem(file, "required column is missing", row=1, column=column, expected=f"columns {', '.join(required)}")
        )
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            problems.append(Problem(file, "column appears twice", row=1, column=column))
        seen.add(column)
        if column and column not in known:
            problems.append(
                Problem(
                    file,
                    "unknown column",
                    row=1,
                    column=column,
                    expected=f"one of {', '.join(required + optional)}",
                    suggestion=closest(column, known),
                )
            )
    table = Table(file, header, complete=not missing)
    if missing:
        return table
    for line, cells in body:
        if not any(c.strip() for c in cells):
            continue  # blank lines are not requests
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(
                Problem(file, f"row has {len(cells)} cells but the header has {len(header)}", row=line)
            )
        row = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header) if col}
        table.rows.append((line, row))
    return table


def closest(value: str, known: object) -> str | None:
    """The closest known id to a mistyped one, if any is close enough."""
    import difflib

    candidates = [str(k) for k in known]  # type: ignore[union-attr]
    if not value or not candidates:
        return None
    exact = {c.casefold(): c for c in candidates}
    if value.casefold() in exact:
        return exact[value.casefold()]
    # spreadsheets turn "007" into 7: match ids whose digits only differ by leading zeros
    unpadded = {c.lstrip("0"): c for c in candidates if c[:1] == "0" and c.isdigit()}
    if value.isdigit() and value.lstrip("0") in unpadded:
        return unpadded[value.lstrip("0")]
    match = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    if match:
        return match[0]
    prefixed = sorted(c for c in candidates if c.startswith(value) or value.startswith(c))
    return prefixed[0] if prefixed else None
