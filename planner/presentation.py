"""Rich terminal views of scenarios and plans, for the CLI."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from planner.diagnostics import (
    envelopes_by_funder,
    members_by_kind_and_territory,
    requests_by_family_and_territory,
    unservable,
)
from planner.domain import Scenario
from planner.months import format_month


def frame_table(frame: pd.DataFrame, title: str, *, index: bool = False) -> Table:
    """A Rich table from a DataFrame, numbers right-aligned with thousands separators."""
    table = Table(title=title, title_justify="left")
    frame = frame.reset_index() if index else frame
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    return table


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_scenario_summary(console: Console, scenario: Scenario) -> None:
    console.print(
        f"[bold]{scenario.title}[/bold] ({scenario.id}): horizon {format_month(scenario.horizon_start)}.."
        f"{format_month(scenario.horizon_end)}, {len(scenario.members)} members, {len(scenario.modules)} modules, "
        f"{len(scenario.providers)} providers, {len(scenario.venues)} venues, {len(scenario.requests)} requests"
    )
    console.print(frame_table(members_by_kind_and_territory(scenario), "Members by kind and territory", index=True))
    requests = requests_by_family_and_territory(scenario)
    console.print(frame_table(requests, "Requested trainees and hours by family and territory"))
    totals = requests.groupby("family")[["requests", "hours"]].sum().reset_index()
    console.print(frame_table(totals, "Requested hours by family"))
    console.print(frame_table(envelopes_by_funder(scenario), "Envelopes by funder"))


def print_warnings(console: Console, scenario: Scenario) -> bool:
    """Print the unservable-request warnings; True when there were any."""
    groups = unservable(scenario)
    if not groups:
        console.print("[green]No request is unservable by construction.[/green]")
        return False
    total = sum(g.count for g in groups)
    console.print(f"[yellow]Warning: {total} request(s) that no plan can serve:[/yellow]")
    for group in groups:
        console.print(f"  [yellow]{group.code}[/yellow] ({group.title}): {group.count}")
        for detail, count in group.details.most_common(8):
            console.print(f"    {count:>4} × {detail}")
        if len(group.details) > 8:
            console.print(f"    … and {len(group.details) - 8} more")
    return True
