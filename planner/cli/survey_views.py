"""Rich terminal views of a survey merge, for the CLI."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from planner.domain.errors import Problem
from planner.survey.merge import MergeResult


def print_notes(console: Console, notes: list[Problem]) -> None:
    if not notes:
        return
    table = Table(title=f"{len(notes)} note(s)", title_justify="left")
    for column in ("file", "row", "column", "value", "note"):
        table.add_column(column, overflow="fold")
    for p in notes:
        table.add_row(p.file, "" if p.row is None else str(p.row), p.column or "", p.value or "", p.message)
    console.print(table)


def print_merge_summary(console: Console, result: MergeResult) -> None:
    files = Table(title=f"{len(result.files)} file(s) read", title_justify="left")
    for column, justify in (("file", "left"), ("issued to", "left"), ("rows", "right"), ("kept", "right")):
        files.add_column(column, justify=justify)  # type: ignore[arg-type]
    for f in result.files:
        files.add_row(f.file, f.member_id or "", str(f.rows), str(f.kept))
    console.print(files)
    members = Table(title="Requests per member", title_justify="left")
    members.add_column("member_id")
    members.add_column("requests", justify="right")
    members.add_column("trainees", justify="right")
    trainees: dict[str, set[str]] = {}
    for row in result.rows:
        trainees.setdefault(row["member_id"], set()).add(row["trainee_ref"])
    for member, count in result.rows_per_member().items():
        members.add_row(member, str(count), str(len(trainees[member])))
    members.add_row("total", str(len(result.rows)), str(sum(len(t) for t in trainees.values())), style="bold")
    console.print(members)
    if result.missing_members:
        shown = ", ".join(result.missing_members[:10]) + (" ..." if len(result.missing_members) > 10 else "")
        console.print(f"{len(result.missing_members)} member(s) without any request: {shown}")
    print_notes(console, result.notes)
    if result.written is not None:
        console.print(f"{len(result.rows)} request(s) written to [bold]{result.written}[/bold]")
