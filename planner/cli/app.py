"""The ``planner`` command line: a thin layer over the library (read → act → write).

Exit codes (SPEC §4): 0 ok (``solve``: a plan written and checked, proven optimal or not),
1 warnings (``validate``) or violations (``check``), 2 bad input, 3 ``solve`` wrote no plan.
Bad input never ends in a traceback: every problem is printed at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table
from rich.markup import escape
from rich.text import Text

from planner.cli.common import (EXIT_BAD_INPUT, EXIT_NO_PLAN, EXIT_OK, EXIT_WARN, FormatOption, OutputFormat,
                                console, err_console, fail_bad_input, plain_lines, print_json, print_problems)
from planner.cli.plugins import load_command_plugins
from planner.domain.errors import Problem, ScenarioInvalid

app = typer.Typer(
    name="planner",
    help="Plan a network's pooled yearly training programme: sessions, trainees and funding splits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help: Rich's boxed panels cut option names and fold help to a few words at 80 columns
    rich_markup_mode=None,
)
survey_app = typer.Typer(help="Member survey workbooks: template for members, merge of their answers.", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(survey_app, name="survey")

EXIT_CODES_HELP = ("Exit codes: 0 ok (solve: a plan written and checked, proven optimal or not); 1 warnings "
                   "(validate) or violations (check); 2 bad input; 3 solve wrote no plan.")
app.info.epilog = EXIT_CODES_HELP


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"planner {version('planner')}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Plan a network's pooled yearly training programme: sessions, trainees and funding splits."""


def load_or_exit(path: Path, fmt: OutputFormat = OutputFormat.TEXT):  # -> Scenario
    from planner.ingestion import read_scenario

    scenario, problems = read_scenario(path)
    if problems or scenario is None:
        fail_bad_input(problems, str(path), fmt)
    return scenario


ScenarioArg = Annotated[Path, typer.Argument(help="Scenario folder (scenario.toml and CSV/XLSX tables).")]


@app.command()
def validate(
    scenario: ScenarioArg,
    show_all: Annotated[bool, typer.Option("--all", help="List every unservable request, not the first 8 per reason.")] = False,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Check a scenario folder and print every problem, then a summary and warnings.

    Exits 0 when valid, 1 when valid with warnings (unservable requests, doubtful coordinates), 2 on bad input.
    """
    from planner.cli.views import print_scenario_summary, print_warnings, validation_document

    loaded = load_or_exit(scenario, fmt)
    if fmt == OutputFormat.JSON:
        document = validation_document(loaded)
        print_json(document)
        raise typer.Exit(EXIT_WARN if document["warnings"] else EXIT_OK)
    print_scenario_summary(console, loaded)
    warned = print_warnings(console, loaded, show_all=show_all)
    raise typer.Exit(EXIT_WARN if warned else EXIT_OK)


@app.command()
def solve(
    scenario: ScenarioArg,
    out: Annotated[Path | None, typer.Option(help="Plan folder to write (default: reports/<scenario id>/plan).")] = None,
    solver: Annotated[str | None, typer.Option(
        help="Backend: lns (default: HiGHS sub-MIPs in a neighbourhood search; cpsat with --deterministic), "
             "highs, cpsat, cbc or greedy.")] = None,
    time_limit: Annotated[float, typer.Option(min=1, help=(
        "Seconds for the optimisation: building the model, the greedy start and all stages "
        "(explaining unmet requests comes after)."))] = 170.0,
    workers: Annotated[int, typer.Option(min=1, help="Solver threads.")] = 2,
    seed: Annotated[int, typer.Option(help="Random seed of the solver.")] = 0,
    deterministic: Annotated[bool, typer.Option(
        help="Reproducible search: same seed, same plan (CP-SAT interleaves its workers and counts "
             "deterministic time; HiGHS uses one thread; not with lns). Usually finds weaker plans in the same time.")] = False,
    explain_time_limit: Annotated[float, typer.Option(
        min=0, help="Seconds for each relaxed re-solve that explains unmet requests (0: quick reading).")] = 10.0,
    start: Annotated[Path | None, typer.Option(
        help="Plan folder to start from, e.g. the same survey solved under a stricter policy "
             "(used when it serves more than the greedy plan).")] = None,
) -> None:
    """Optimise the plan stage by stage, verify it with the checker, write the plan folder.

    Exits 0 when a checked plan was written (plan.json says whether it is proven optimal), 2 on bad
    input, 3 when no plan was written (none found, stopped before any, or refused by the checker).
    """
    from planner.cli.progress import LiveProgress
    from planner.cli.views import print_plan_summary
    from planner.pipeline import SOLVERS, SolveOptions, solve_and_write
    from planner.rules.meeting_days import MeetingDaysError
    from planner.solvers import DEFAULT_BACKEND

    if solver is None:  # the neighbourhood search runs on wall-clock time: never reproducible
        solver = "cpsat" if deterministic else DEFAULT_BACKEND
    if solver not in SOLVERS:
        fail_bad_input([Problem("command line", "unknown solver", column="--solver", value=solver,
                                expected=", ".join(SOLVERS))], "the command line")
    if deterministic and solver == "lns":
        fail_bad_input([Problem("command line", "the lns search runs on wall-clock time and cannot be reproducible",
                                column="--deterministic", value="--solver lns",
                                expected="--deterministic with cpsat, highs or cbc")], "the command line")
    loaded = load_or_exit(scenario)
    start_sessions = None
    if start is not None:
        from planner.plans.reader import read_plan

        try:
            start_sessions = read_plan(start, loaded, same_scenario=False).sessions
        except ScenarioInvalid as exc:
            fail_bad_input(exc.problems, str(start))
    options = SolveOptions(solver=solver, time_limit=time_limit, workers=workers, seed=seed,
                           deterministic=deterministic, explain_time_limit=explain_time_limit,
                           start_sessions=start_sessions)
    out = out or Path("reports") / loaded.id / "plan"
    try:
        with LiveProgress(console, solver) as progress:
            outcome = solve_and_write(loaded, options, out, progress, in_child=True)
    except MeetingDaysError as exc:  # the greedy solves in this process; backends report it as an error plan
        err_console.print(Text.assemble(("No plan: its sessions cannot all get meeting days. ", "red"), str(exc)))
        raise typer.Exit(EXIT_NO_PLAN) from None
    plan = outcome.plan
    if not outcome.has_plan:
        err_console.print(Text.assemble((f"No plan: {plan.status.value} ", "red"), plan.error or ""))
        raise typer.Exit(EXIT_NO_PLAN)
    if outcome.violations:
        print_violations(outcome.violations, "the solved plan")
        err_console.print("[red]The plan failed the independent check; nothing was written.[/red]")
        raise typer.Exit(EXIT_NO_PLAN)
    print_plan_summary(console, loaded, plan)
    console.print(f"Plan written to [bold]{escape(str(out))}[/bold] (checked: no violation).")
    raise typer.Exit(EXIT_OK)


def print_violations(violations: list, source: str) -> None:
    heading = f"{len(violations)} violation(s) in {source}"
    if not err_console.is_terminal:
        plain_lines([heading + ":", *(f"{v.rule}: {v.message}" for v in violations)], err_console)
        return
    table = Table(title=Text(heading), title_justify="left")
    table.add_column("rule", overflow="fold")
    table.add_column("violation", overflow="fold")
    for v in violations:
        table.add_row(Text(v.rule), Text(v.message))
    err_console.print(table)


@app.command()
def check(
    scenario: ScenarioArg,
    plan: Annotated[Path, typer.Argument(help="Plan folder written by planner solve.")],
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Verify a plan against every rule of the scenario, independently of the solver.

    Exits 0 when the plan keeps every rule, 1 on violations, 2 on bad input.
    """
    from planner.checker import check_plan

    loaded = load_or_exit(scenario, fmt)
    if not plan.is_dir():
        fail_bad_input([Problem(str(plan), "plan folder not found", expected="a folder with plan.json and CSV files")],
                       str(plan), fmt)
    report = check_plan(loaded, plan)
    if fmt == OutputFormat.JSON:
        print_json({"ok": not report.violations, "plan": str(plan),
                    "violations": [{"rule": v.rule, "message": v.message} for v in report.violations]})
        raise typer.Exit(EXIT_WARN if report.violations else EXIT_OK)
    if report.violations:
        print_violations(report.violations, str(plan))
        raise typer.Exit(EXIT_WARN)
    console.print(Text.assemble((f"{plan}: no violation", "green"), f" of the {len(loaded.requests)} requests' rules."))


@app.command()
def compare(
    plans: Annotated[list[Path], typer.Argument(help="Plan folders (or their plan.json) to set side by side.")],
) -> None:
    """Headline figures of several plans side by side (e.g. a scenario and its variant)."""
    from planner.cli.views import print_comparison

    documents = {}
    problems = []
    for path in plans:
        file = path / "plan.json" if path.is_dir() else path
        try:
            documents[str(path)] = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(Problem(str(file), f"cannot read the plan: {exc}", expected="a plan.json written by planner solve"))
    if problems:
        fail_bad_input(problems, "the plans")
    print_comparison(console, documents)


@app.command()
def report(
    plan: Annotated[Path, typer.Argument(help="Plan folder written by planner solve (or its plan.json).")],
    out: Annotated[Path, typer.Option(help="Folder to write the documents to.")],
    scenario: Annotated[Path | None, typer.Option(
        help="Scenario folder of the plan (default: scenarios/<scenario_id of plan.json>).")] = None,
    territory: Annotated[list[str] | None, typer.Option(
        metavar="ID", help="Territory id to document (repeatable; default: all).")] = None,
    funder: Annotated[list[str] | None, typer.Option(
        metavar="ID", help="Funder id to document (repeatable; default: all).")] = None,
    member: Annotated[list[str] | None, typer.Option(
        metavar="ID", help="Member id to document (repeatable; default: all).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes writing the PDFs.")] = 2,
) -> None:
    """Write the plan's documents in French (HTML and PDF): overview, per territory, funder and member.

    With --territory/--funder/--member: the overview and those documents only (default: every document).

    Also writes the plan workbook (plan.xlsx) and the ICS calendars (ics/) of the same territories and members.
    """
    from planner.ingestion.tables import closest
    from planner.plans.reader import read_plan, read_plan_document
    from planner.reports import write_reports

    try:
        document = read_plan_document(plan)
    except ScenarioInvalid as exc:
        fail_bad_input(exc.problems, str(plan))
    if scenario is None:
        scenario_id = document.get("scenario_id")
        if not isinstance(scenario_id, str) or not scenario_id:
            fail_bad_input([Problem(str(plan), "the plan names no scenario", column="scenario_id",
                                    expected="a scenario id; or pass --scenario")], str(plan))
        scenario = Path("scenarios") / scenario_id
    loaded = load_or_exit(scenario)
    try:
        planned = read_plan(plan, loaded)
    except ScenarioInvalid as exc:
        fail_bad_input(exc.problems, str(plan))
    problems = []
    for option, values, known in (("--territory", territory, loaded.territory), ("--funder", funder, loaded.funder),
                                  ("--member", member, loaded.member)):
        for value in values or []:
            if value not in known:
                problems.append(Problem("command line", f"unknown {option[2:]}", column=option, value=value,
                                        expected=", ".join(sorted(known)), suggestion=closest(value, known)))
    if problems:
        fail_bad_input(problems, "the command line")
    from planner.exports import write_calendars, write_plan_workbook

    # no selection: every document; a selection: the overview and the selected documents only
    selected = bool(territory or funder or member)
    territories, funders, members = ((list(x or []) if selected else None) for x in (territory, funder, member))
    try:
        written = write_reports(loaded, planned, plan, out, territories=territories, funders=funders,
                                members=members, workers=workers)
        workbook = write_plan_workbook(loaded, planned, out / "plan.xlsx")
        calendars = write_calendars(loaded, planned, out / "ics", territories=territories, members=members)
    except ValueError as exc:  # a plan the documents cannot be made of (e.g. dates for some sessions only)
        fail_bad_input([Problem(str(plan), str(exc))], str(plan))
    console.print(f"{len(written)} files (HTML and PDF) written to [bold]{escape(str(out))}[/bold]; workbook {escape(str(workbook))}; "
                  f"{len(calendars)} calendars in {escape(str(out / 'ics'))}")
    console.print(f"Overview: [bold]{escape(str(out / 'index.html'))}[/bold] (PDF: {escape(str(out / 'apercu.pdf'))})")


@app.command()
def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write the synthetic scenario to.")],
    departments: Annotated[int, typer.Option(min=1, max=101, help="Number of départements.")] = 1,
    members_per_department: Annotated[int, typer.Option(min=1, help="Members per département.")] = 45,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files.")] = 1,
) -> None:
    """Write a valid synthetic scenario of any size, for tests and benchmarks."""
    from planner.generate.synthetic import generate_scenario

    path = generate_scenario(out, departments=departments, members_per_department=members_per_department, seed=seed)
    console.print(f"Scenario written to [bold]{escape(str(path))}[/bold]")


def _load_catalogue_or_exit(path: Path, fmt: OutputFormat = OutputFormat.TEXT):  # -> Scenario
    """The scenario without its survey (the survey commands run before survey.csv exists)."""
    from planner.ingestion import read_scenario

    scenario, problems = read_scenario(path, survey=False)
    if problems or scenario is None:
        fail_bad_input(problems, str(path), fmt)
    return scenario


@survey_app.command("template")
def survey_template(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Workbook to write (.xlsx).")],
    member: Annotated[str | None, typer.Option(help="Member id: pre-fill and lock it, list only its id.")] = None,
    rows: Annotated[int, typer.Option(min=1, max=100000, help="Data rows prepared with drop-downs.")] = 500,
) -> None:
    """Write the survey workbook (French) a member structure fills: Demandes, Catalogue, Instructions."""
    from planner.survey.template import write_template

    if out.suffix.lower() != ".xlsx":
        fail_bad_input([Problem("command line", "output must be an .xlsx workbook", column="--out", value=str(out),
                                expected="a file name ending in .xlsx")], "the command line")
    loaded = _load_catalogue_or_exit(scenario)
    try:
        path = write_template(loaded, out, member_id=member, rows=rows)
    except ScenarioInvalid as exc:
        fail_bad_input(exc.problems, "the command line")
    console.print(f"Survey template written to [bold]{escape(str(path))}[/bold]" + (f" for member {escape(member)}" if member else ""))


@survey_app.command("merge")
def survey_merge(
    scenario: ScenarioArg,
    files: Annotated[list[Path], typer.Argument(help="Filled workbooks (.xlsx from `survey template`) or CSV files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="survey.csv to write (SPEC columns, UTF-8).")],
    allow_differing_windows: Annotated[bool, typer.Option(
        help="Accept rows of one trainee with different availability windows (a note instead of an error).")] = False,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Validate members' answers and merge them into one survey.csv.

    Usage: planner survey merge SCENARIO FILES... -o survey.csv

    SCENARIO gives the member ids, module codes and horizon that rows are checked against; its own survey.csv is not read.

    Any error (bad cell, differing duplicate, member submitted in two files, ...) exits 2 and writes nothing: an existing output stays untouched. Every error and every note is listed at once. Notes (identical rows kept once, ...) do not stop the merge: output written, exit 0.
    """
    from planner.cli.survey_views import merge_document, print_merge_summary, print_notes
    from planner.survey.merge import merge_to_csv

    loaded = _load_catalogue_or_exit(scenario, fmt)
    result = merge_to_csv(loaded, files, out, allow_differing_windows=allow_differing_windows)
    if fmt == OutputFormat.JSON:
        print_json(merge_document(result))
        raise typer.Exit(EXIT_OK if result.ok else EXIT_BAD_INPUT)
    if not result.ok:
        print_notes(err_console, result.notes)  # all at once: the notes too, not only once errors are fixed
        fail_bad_input(result.problems, "the survey files")
    print_merge_summary(console, result)
    raise typer.Exit(EXIT_OK)


load_command_plugins(app)


def main() -> None:
    """Console-script entry point: run the app, turning stray input errors into exit 2."""
    try:
        app()
    except ScenarioInvalid as exc:
        print_problems(exc.problems, "input")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)


if __name__ == "__main__":
    main()
