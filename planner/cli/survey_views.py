"""Rich terminal views of a survey merge, for the CLI."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.cli.common import plain_lines, problem_line, problem_record
from planner.domain.errors import Problem
from planner.survey.merge import MergeResult


def print_notes(console: Console, notes: list[Problem]) -> None:
    if not notes:
        return
    if not console.is_terminal:
        plain_lines([f"{len(notes)} note(s):", *(problem_line(p) for p in notes)], console)
        return
    table = Table(title=f"{len(notes)} note(s)", title_justify="left")
    for column in ("file", "row", "column", "value", "note"):
        table.add_column(column, overflow="fold")
    for p in notes:
        table.add_row(*(Text(cell) for cell in (p.file, "" if p.row is None else str(p.row), p.column or "",
                                                 p.value or "", p.message)))
    console.print(table)


def merge_document(result: MergeResult) -> dict:
    """``survey merge --format json``: errors, notes, files read and what was written."""
    return {"ok": result.ok, "problems": [problem_record(p) for p in result.problems],
            "notes": [problem_record(p) for p in result.notes],
            "files": [{"file": f.file, "member_id": f.member_id, "rows": f.rows, "kept": f.kept} for f in result.files],
            "requests": len(result.rows), "members_without_requests": list(result.missing_members),
            "written": None if result.written is None else str(result.written)}


def print_merge_summary(console: Console, result: MergeResult) -> None:
    files = Table(title=f"{len(result.files)} file(s) read", title_justify="left")
    for column, justify in (("file", "left"), ("issued to", "left"), ("rows", "right"), ("kept", "right")):
        files.add_column(column, justify=justify)  # type: ignore[arg-type]
    for f in result.files:
        files.add_row(Text(f.file), Text(f.member_id or ""), str(f.rows), str(f.kept))
    console.print(files)
    members = Table(title="Requests per member", title_justify="left")
    members.add_column("member_id")
    members.add_column("requests", justify="right")
    members.add_column("trainees", justify="right")
    trainees: dict[str, set[str]] = {}
    for row in result.rows:
        trainees.setdefault(row["member_id"], set()).add(row["trainee_ref"])
    for member, count in result.rows_per_member().items():
        members.add_row(Text(member), str(count), str(len(trainees[member])))
    members.add_row("total", str(len(result.rows)), str(sum(len(t) for t in trainees.values())), style="bold")
    console.print(members)
    if result.missing_members:
        shown = ", ".join(result.missing_members[:10]) + (" ..." if len(result.missing_members) > 10 else "")
        console.print(Text(f"{len(result.missing_members)} member(s) without any request: {shown}"))
    print_notes(console, result.notes)
    if result.written is not None:
        console.print(f"{len(result.rows)} request(s) written to [bold]{escape(str(result.written))}[/bold]")
