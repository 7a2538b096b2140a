"""Rich terminal views of scenarios and plans, for the CLI."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from planner.explain.diagnostics import (
    envelopes_by_funder,
    members_by_kind_and_territory,
    requests_by_family_and_territory,
    unservable,
)
from planner.domain import Scenario
from planner.domain.months import format_month


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


def print_plan_summary(console: Console, scenario: Scenario, plan) -> None:
    from planner.plans.writer import plan_document, plan_tables

    doc = plan_document(scenario, plan, plan_tables(scenario, plan))
    kpis = doc["kpis"]
    console.print(
        f"[bold]{scenario.id}[/bold] solved by {plan.solver} ({plan.solver_version}) in {plan.solve_seconds:.1f} s: "
        f"status [bold]{plan.status.value}[/bold]; {kpis['sessions']} sessions, {kpis['requests_served']} of "
        f"{kpis['requests']} requests served ({kpis['trainees_served']} trainees)"
    )
    stages = pd.DataFrame(doc["stages"], columns=["name", "value", "bound", "gap", "proven"])
    # plan.json keeps the gap as a fraction; people read percents
    stages["gap"] = stages["gap"].map(lambda g: "–" if pd.isna(g) else f"{100 * g:.2f} %")
    stages["proven"] = stages["proven"].map(lambda p: "yes" if p else "no")
    console.print(frame_table(stages, "Objective stages"))
    hours = pd.DataFrame(
        [{"family": f, "served_hours": kpis["trainee_hours_by_family"].get(f, 0.0), "requested_hours": h}
         for f, h in kpis["requested_hours_by_family"].items()]
    )
    console.print(frame_table(hours, "Trainee-hours by family"))
    funders = pd.DataFrame([{"funder": scenario.funder[f].name if f in scenario.funder else f, "public_eur": v}
                            for f, v in kpis["public_eur_by_funder"].items()], columns=["funder", "public_eur"])
    console.print(frame_table(funders, f"Public EUR by funder (total {kpis['public_eur']:,.2f}; "
                                       f"own funds {kpis['own_funds_eur']:,.2f})"))
    sessions = pd.DataFrame(doc["sessions"], columns=["territory_id", "family", "trainees"])
    if not sessions.empty:
        by_territory = sessions.groupby(["territory_id", "family"]).agg(
            sessions=("trainees", "size"), trainees=("trainees", "sum")).reset_index()
        by_territory["territory"] = by_territory["territory_id"].map(lambda t: scenario.territory[t].name)
        console.print(frame_table(by_territory[["territory", "family", "sessions", "trainees"]], "Sessions by territory"))
    rural = f"Rural territories: {kpis['rural_requests_served']} of {kpis['rural_requests']} requests served"
    if "rural_trainees" in kpis:
        rural += (f", {kpis['rural_trainees_served']} of {kpis['rural_trainees']} trainees, "
                  f"{kpis['rural_trainee_hours']:,.0f} trainee-hours")
    console.print(rural)
    if kpis["unmet_by_reason"]:
        unmet = pd.DataFrame([{"reason": k, "requests": v} for k, v in kpis["unmet_by_reason"].items()])
        console.print(frame_table(unmet, "Unmet requests by reason"))
    if doc["near_misses"]:
        near = pd.DataFrame(doc["near_misses"][:10])
        console.print(frame_table(near, f"Near-miss sessions ({len(doc['near_misses'])}, first 10)"))


def print_comparison(console: Console, documents: dict[str, dict]) -> None:
    """KPIs of several plan.json documents in columns, with the difference to the first."""
    table = Table(title="Plans compared (difference to the first in brackets)", title_justify="left")
    table.add_column("figure")
    for name, doc in documents.items():
        table.add_column(f"{doc.get('scenario_id', name)}\n{doc.get('solver', '')}", justify="right")
    rows: list[tuple[str, list[float]]] = []

    def add(label: str, pick) -> None:
        rows.append((label, [float(pick(doc) or 0) for doc in documents.values()]))

    add("requests served", lambda d: d["kpis"]["requests_served"])
    add("trainees served", lambda d: d["kpis"]["trainees_served"])
    add("rural requests served", lambda d: d["kpis"]["rural_requests_served"])
    if all("rural_trainees" in d["kpis"] for d in documents.values()):  # plans written before lack them
        add("rural trainees served", lambda d: d["kpis"]["rural_trainees_served"])
        add("rural trainee-hours", lambda d: d["kpis"]["rural_trainee_hours"])
    add("sessions", lambda d: d["kpis"]["sessions"])
    families = sorted({f for d in documents.values() for f in d["kpis"]["requested_hours_by_family"]})
    for family in families:
        add(f"trainee-hours {family}", lambda d, f=family: d["kpis"]["trainee_hours_by_family"].get(f, 0))
    add("public EUR", lambda d: d["kpis"]["public_eur"])
    add("own funds EUR", lambda d: d["kpis"]["own_funds_eur"])
    for label, values in rows:
        first = values[0]
        cells = [_cell(values[0])] + [f"{_cell(v)} ({v - first:+,.0f})" for v in values[1:]]
        table.add_row(label, *cells)
    console.print(table)
