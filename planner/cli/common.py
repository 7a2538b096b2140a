"""What every command shares, ``planner``'s own and those added by plugins: the consoles, the exit
codes (SPEC §4) and the table of bad-input problems."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from planner.domain.errors import Problem

console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_WARN, EXIT_BAD_INPUT = 0, 1, 2


def print_problems(problems: list[Problem], source: str) -> None:
    table = Table(title=f"{len(problems)} problem(s) in {source}", title_justify="left", show_lines=False)
    for column in ("file", "row", "column", "value", "problem", "valid"):
        table.add_column(column, overflow="fold")
    for p in problems:
        valid = p.expected or ""
        if p.suggestion:
            valid += f"; did you mean {p.suggestion!r}?"
        table.add_row(p.file, "" if p.row is None else str(p.row), p.column or "", "" if p.value is None else p.value,
                      p.message, valid)
    err_console.print(table)


def fail_bad_input(problems: list[Problem], source: str) -> NoReturn:
    print_problems(problems, source)
    raise typer.Exit(EXIT_BAD_INPUT)
