"""Rich terminal views of scenarios and plans, for the CLI."""

from __future__ import annotations

import pandas as pd
import math

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.cli.common import problem_line, problem_record, print_problems

from planner.explain.diagnostics import (
    envelopes_by_funder,
    members_by_kind_and_territory,
    requests_by_family_and_territory,
    unservable,
)
from planner.domain import Scenario, Stage
from planner.domain.months import format_month
from planner.reports.french import FAMILY_LABELS

# what each stage's value counts (the served value weighs trainee-hours by the request's priority)
STAGE_UNITS = {Stage.SERVED: "priority-weighted trainee-hours", Stage.PUBLIC_COST: "EUR",
               Stage.TRAVEL: "trainee-minutes of travel", Stage.EQUITY: "lowest territory share served",
               Stage.SESSIONS: "sessions"}
STAGE_DIGITS = {Stage.PUBLIC_COST: 2, Stage.EQUITY: 3}  # decimals shown; the other stages count whole units
UNKNOWN = "—"  # a figure nobody knows (no bound yet, no gap without one)
SHOWN_DETAILS = 8  # unservable requests listed per reason, unless --all


def frame_table(frame: pd.DataFrame, title: str, *, index: bool = False, right: tuple[str, ...] = ()) -> Table:
    """A Rich table from a DataFrame, numbers right-aligned with thousands separators."""
    table = Table(title=Text(title), title_justify="left")
    frame = frame.reset_index() if index else frame
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) or column in right
        # ids fold onto a second line in a narrow terminal rather than lose their end
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    money = [str(column).endswith("_eur") for column in frame.columns]  # amounts always show their cents
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(figure(v) if eur else _cell(v)) for v, eur in zip(row, money)))
    return table


def family_text(code: str) -> str:
    """A family code with its French label, as members and funders name it."""
    label = FAMILY_LABELS.get(code)
    return f"{code} ({label})" if label else code


def figure(value: float | None, digits: int = 2) -> str:
    """A figure with thousands separators, or — when unknown (None, NaN)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return UNKNOWN
    return f"{value:,.{digits}f}"


def _cell(value: object) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return UNKNOWN
        return f"{value:,.2f}" if not value.is_integer() else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_scenario_summary(console: Console, scenario: Scenario) -> None:
    console.print(
        f"[bold]{escape(scenario.title)}[/bold] ({escape(scenario.id)}): horizon {format_month(scenario.horizon_start)}.."
        f"{format_month(scenario.horizon_end)}, {len(scenario.members)} members, {len(scenario.modules)} modules, "
        f"{len(scenario.providers)} providers, {len(scenario.venues)} venues, {len(scenario.requests)} requests"
    )
    for reading in scenario.readings:  # files that were not UTF-8 with commas: say how they were read
        console.print(Text(f"Read {reading}"))
    console.print(frame_table(members_by_kind_and_territory(scenario), "Members by kind and territory", index=True))
    requests = requests_by_family_and_territory(scenario)
    requests["family"] = requests["family"].map(family_text)
    console.print(frame_table(requests, "Requested trainees and hours by family and territory"))
    totals = requests.groupby("family")[["requests", "hours"]].sum().reset_index()
    console.print(frame_table(totals, "Requested hours by family"))
    console.print(frame_table(envelopes_by_funder(scenario), "Envelopes by funder"))


def print_warnings(console: Console, scenario: Scenario, *, show_all: bool = False) -> bool:
    """Print the doubts about the data and the unservable-request warnings; True when there were any."""
    if scenario.doubts:
        print_problems(list(scenario.doubts), scenario.id, title="doubt(s) about the data (not errors)", out=console)
    groups = unservable(scenario)
    if not groups:
        console.print("[green]No request is unservable by construction.[/green]")
        return bool(scenario.doubts)
    total = sum(g.count for g in groups)
    console.print(f"[yellow]Warning: {total} request(s) that no plan can serve:[/yellow]")
    for group in groups:
        console.print(Text.assemble("  ", (group.code, "yellow"), f" ({group.title}): {group.count}"))
        shown = group.details.most_common(None if show_all else SHOWN_DETAILS)
        for detail, count in shown:
            console.print(Text(f"    {count:>4} × {detail}"))
        if len(shown) < len(group.details):
            console.print(f"    … and {len(group.details) - len(shown)} more (--all lists them)")
    return True


def validation_document(scenario: Scenario) -> dict:
    """``validate --format json``: the summary figures, how files were read, and every warning."""
    groups = unservable(scenario)
    warnings = [{"kind": "doubt", **problem_record(p), "line": problem_line(p)} for p in scenario.doubts]
    warnings += [{"kind": "unservable", "reason": g.code, "title": g.title, "requests": g.count,
                  "details": dict(g.details.most_common())} for g in groups]
    return {"ok": True, "scenario": scenario.id, "title": scenario.title,
            "horizon": [format_month(scenario.horizon_start), format_month(scenario.horizon_end)],
            "members": len(scenario.members), "modules": len(scenario.modules),
            "providers": len(scenario.providers), "venues": len(scenario.venues),
            "requests": len(scenario.requests), "readings": list(scenario.readings), "warnings": warnings}


def print_plan_summary(console: Console, scenario: Scenario, plan) -> None:
    from planner.plans.writer import plan_document, plan_tables

    doc = plan_document(scenario, plan, plan_tables(scenario, plan))
    kpis = doc["kpis"]
    console.print(
        f"[bold]{escape(scenario.id)}[/bold] solved by {plan.solver} ({escape(plan.solver_version)}) in {plan.solve_seconds:.1f} s: "
        f"status [bold]{plan.status.value}[/bold]; {kpis['sessions']} sessions, {kpis['requests_served']} of "
        f"{kpis['requests']} requests served ({kpis['trainees_served']} trainees)"
    )
    stages = pd.DataFrame(doc["stages"], columns=["name", "value", "bound", "gap", "proven"])
    stages.insert(2, "unit", stages["name"].map(lambda n: STAGE_UNITS.get(Stage(n), "")))
    for column in ("value", "bound"):  # EUR with cents, other units as counted; None: unknown
        stages[column] = [figure(v, STAGE_DIGITS.get(Stage(n), 0)) for n, v in zip(stages["name"], stages[column])]
    # plan.json keeps the gap as a fraction; people read percents
    stages["gap"] = stages["gap"].map(lambda g: UNKNOWN if g is None or pd.isna(g) else f"{100 * g:.2f} %")
    stages["proven"] = stages["proven"].map(lambda p: "yes" if p else "no")
    console.print(frame_table(stages, "Objective stages", right=("value", "bound", "gap")))
    hours = pd.DataFrame(
        [{"family": family_text(f), "served_hours": kpis["trainee_hours_by_family"].get(f, 0.0), "requested_hours": h}
         for f, h in kpis["requested_hours_by_family"].items()]
    )
    console.print(frame_table(hours, "Trainee-hours by family"))
    funders = pd.DataFrame([{"funder": scenario.funder[f].name if f in scenario.funder else f, "public_eur": v}
                            for f, v in kpis["public_eur_by_funder"].items()], columns=["funder", "public_eur"])
    console.print(frame_table(funders, f"Public EUR by funder (total {kpis['public_eur']:,.2f}; "
                                       f"own funds {kpis['own_funds_eur']:,.2f})"))
    sessions = pd.DataFrame(doc["sessions"], columns=["territory_id", "family", "trainees"])
    if not sessions.empty:
        sessions["family"] = sessions["family"].map(family_text)
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
