"""What every command shares, ``planner``'s own and those added by plugins: the consoles, the exit
codes (SPEC §4), the output format and the listing of bad-input problems.

On a terminal, problems are a Rich table; piped or redirected (CI logs, scripts, ``| grep``), one
plain line per problem that nothing folds; ``--format json``: one JSON document on stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.domain.errors import Problem

console = Console()
err_console = Console(stderr=True)

# SPEC §4: 0 ok (solve: a plan written and checked, proven or not); 1 warnings (validate) or
# violations (check); 2 bad input; 3 solve wrote no plan
EXIT_OK, EXIT_WARN, EXIT_BAD_INPUT, EXIT_NO_PLAN = 0, 1, 2, 3


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[OutputFormat, typer.Option(
    "--format", help="text: tables on a terminal, one line per item otherwise; json: one document on stdout.")]


def problem_record(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "message": p.message,
            "expected": p.expected, "suggestion": p.suggestion}


def problem_line(p: Problem) -> str:
    """``file:row:column: message: 'value' (valid: …; did you mean …?)``, for grep and editors."""
    where = f"{p.file}:{'' if p.row is None else p.row}:{p.column or ''}"
    text = f"{where}: {p.message}"
    if p.value is not None:
        text += f": {p.value!r}"
    hints = []
    if p.expected:
        hints.append(f"valid: {p.expected}")
    if p.suggestion:
        hints.append(f"did you mean {p.suggestion!r}?")
    return text + (f" ({'; '.join(hints)})" if hints else "")


def _valid(p: Problem) -> str:
    valid = p.expected or ""
    if p.suggestion:
        valid += f"; did you mean {p.suggestion!r}?"
    return valid


def print_problems(problems: list[Problem], source: str, *, title: str = "problem(s)",
                   out: Console | None = None) -> None:
    """Every problem, as a table on a terminal, else as plain lines (values never read as markup)."""
    out = out or err_console
    heading = f"{len(problems)} {title} in {source}"
    if not out.is_terminal:
        plain_lines([heading + ":", *(problem_line(p) for p in problems)], out)
        return
    table = Table(title=Text(heading), title_justify="left", show_lines=False)
    for column in ("file", "row", "column", "value", "problem", "valid"):
        table.add_column(column, overflow="fold")
    for p in problems:
        table.add_row(*(Text(cell) for cell in (p.file, "" if p.row is None else str(p.row), p.column or "",
                                                 "" if p.value is None else p.value, p.message, _valid(p))))
    out.print(table)


def plain_lines(lines: Iterable[str], out: Console | None = None) -> None:
    """Lines as they are, past Rich (which would fold them at its width and read brackets as markup)."""
    stream = (out or console).file
    for line in lines:
        stream.write(line + "\n")
    stream.flush()


def print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def fail_bad_input(problems: list[Problem], source: str, fmt: OutputFormat = OutputFormat.TEXT,
                   **document: Any) -> NoReturn:
    """List the problems (or a JSON document with them and ``document``'s keys) and exit 2."""
    if fmt == OutputFormat.JSON:
        print_json({"ok": False, "source": source, "problems": [problem_record(p) for p in problems], **document})
    else:
        print_problems(problems, source)
    raise typer.Exit(EXIT_BAD_INPUT)
