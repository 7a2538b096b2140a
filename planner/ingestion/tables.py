"""Read one scenario table (CSV or XLSX) into rows of strings, with file row numbers.

Every cell comes back as a stripped string so that ids stay ids ("007" stays "007") and the
cell parsers see exactly what the person typed. Structural problems (missing file, missing
column, both CSV and XLSX) are collected, not raised.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain.errors import Problem
from planner.ingestion.wording import ENGLISH, Wording

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


DELIMITERS = {",": "','", ";": "';'", "\t": "tab"}
C1 = {chr(c) for c in range(0x80, 0xA0)}
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\r\n"} | {"\x7f"} | C1


class UnreadableCsv(ValueError):
    """A CSV file whose encoding or separator cannot be told apart (``separators`` when it is the latter)."""

    def __init__(self, separators: tuple[str, ...] = ()):
        super().__init__("ambiguous separator" if separators else "unknown encoding")
        self.separators = separators

    def explain(self, words: Wording) -> str:
        """How to re-save the file."""
        if self.separators:
            return words.ambiguous_separator.format(separators=" / ".join(DELIMITERS[d] for d in self.separators))
        return words.unknown_encoding


@dataclass(frozen=True)
class CsvReading:
    """How a CSV file was read: what a person may need to know when it was not plain UTF-8 with commas."""

    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"
    delimiter: str

    @property
    def usual(self) -> bool:
        return self.encoding in ("UTF-8", "UTF-8 with BOM") and self.delimiter == ","

    def describe(self) -> str:
        return f"{self.encoding}, {DELIMITERS[self.delimiter]}-separated"


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    UTF-8 (with or without BOM) and UTF-16 with BOM (Excel's "Unicode text") are read as such;
    else Windows-1252, the encoding French Excel saves "CSV (séparateur : point-virgule)" in,
    which also reads Latin-1 text, when it decodes to printable text.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = [(data[len(codecs.BOM_UTF8):], "utf-8", "UTF-8 with BOM")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [(data, "utf-16", "UTF-16")]
    else:
        candidates = [(data, "utf-8", "UTF-8"), (data, "cp1252", "Windows-1252")]
    for raw, codec, name in candidates:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        # cp1252 bytes that are not text decode to controls; UTF-8 text holds no C1 controls
        if not (CONTROL if codec == "cp1252" else C1) & set(text):
            return text, name
    raise UnreadableCsv()


def sniff_delimiter(first_line: str, columns: Container[str] | None) -> str:
    """The separator of a CSV file from its header line: the one whose cells are known column names.

    Without known columns (or when none matches), the one that splits the header into the most cells.
    A tie between separators that both split the header into known columns is refused.
    """
    cells = {d: [c.strip() for c in next(csv.reader([first_line], delimiter=d), [])] for d in DELIMITERS}
    if columns is not None:
        known = {d: sum(1 for c in cs if c in columns) for d, cs in cells.items()}
        best = max(known.values())
        if best:
            winners = [d for d, k in known.items() if k == best]
            if len({tuple(cells[d]) for d in winners}) > 1:
                raise UnreadableCsv(tuple(winners))
            return winners[0]
    return max(DELIMITERS, key=lambda d: (len(cells[d]), d == ","))


def _read_csv(path: Path, columns: Container[str] | None) -> tuple[list[str], list[tuple[int, list[str]]], CsvReading]:
    text, encoding = decode_csv(path.read_bytes())
    delimiter = sniff_delimiter(text.splitlines()[0] if text else "", columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    body = [(reader.line_num, cells) for cells in reader]
    return [h.strip() for h in header], body, CsvReading(encoding, delimiter)


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


def read_rows(path: Path, display_name: str, problems: list[Problem], columns: Container[str] | None = None,
              readings: dict[str, CsvReading] | None = None,
              words: Wording = ENGLISH) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """Header and raw rows of a CSV or XLSX file; None (with a problem) when unreadable.

    ``columns`` (the names the file may have) tell a CSV file's separator; ``readings`` receives how
    each CSV file was read.
    """
    try:
        if path.suffix.lower() == ".xlsx":
            return _read_xlsx(path, path.stem)
        header, body, reading = _read_csv(path, columns)
    except UnreadableCsv as exc:
        problems.append(Problem(display_name, words.cannot_read_csv.format(detail=exc.explain(words)),
                                expected=words.csv_expected))
    except csv.Error as exc:
        problems.append(Problem(display_name, words.malformed_csv.format(detail=exc)))
    except Exception as exc:  # openpyxl raises a zoo of exceptions on broken workbooks
        problems.append(Problem(display_name, words.cannot_read.format(detail=exc), expected=words.file_expected))
    else:
        if readings is not None:
            readings[display_name] = reading
        return header, body
    return None


def load_table(
    folder: Path,
    stem: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
    *,
    mandatory: bool = True,
    readings: dict[str, CsvReading] | None = None,
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
    read = read_rows(path, path.name, problems, (*required, *optional), readings)
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
    words: Wording = ENGLISH,
) -> Table:
    """Check the header and turn raw rows into dicts keyed by column name."""
    known = set(required) | set(optional)
    missing = [c for c in required if c not in header]
    for column in missing:
        problems.append(
            Problem(file, words.missing_column, row=1, column=column, expected=words.columns.format(columns=", ".join(required)))
        )
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            problems.append(Problem(file, words.column_twice, row=1, column=column))
        seen.add(column)
        if column and column not in known:
            problems.append(
                Problem(
                    file,
                    words.unknown_column,
                    row=1,
                    column=column,
                    expected=words.one_of.format(values=", ".join(required + optional)),
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
                Problem(file, words.too_many_cells.format(cells=len(cells), header=len(header)), row=line)
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
