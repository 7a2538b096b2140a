"""The solve's steps in order: the plan, then its folder checked and written atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.checker import Violation, check_plan
from planner.domain import Scenario
from planner.domain.plan import Plan
from planner.pipeline.options import GREEDY, SolveOptions
from planner.plans.writer import write_plan
from planner.solvers.events import SolveEvents

# the steps ``events.step`` hears, in this order (the API shows them as the job's stage)
GREEDY_STEP = "greedy"
MODEL_STEP = "building the model"  # then the backend's stages
WRITE_STEP = "checking and writing the plan"


@dataclass
class SolveOutcome:
    plan: Plan
    folder: Path | None = None  # the plan folder written; None when there was no plan or the check failed
    violations: list[Violation] = field(default_factory=list)  # the check's, when it rejected the plan

    @property
    def has_plan(self) -> bool:
        return bool(self.plan.sessions or self.plan.stages)


def solve_and_write(scenario: Scenario, options: SolveOptions, out: Path, events: SolveEvents | None = None, *,
                    in_child: bool = False) -> SolveOutcome:
    """Solve, then check and write the plan folder ``out`` (untouched unless the check passes).

    ``in_child``: a backend solves in a forked child, killed if it overruns (the CLI; the API's
    worker is a process of its own already). A greedy plan that cannot get its meeting days raises
    :class:`planner.rules.meeting_days.MeetingDaysError`; a backend's plan then comes back as an error.
    """
    events = events or SolveEvents()
    plan = make_plan(scenario, options, events, in_child=in_child)
    outcome = SolveOutcome(plan)
    if not outcome.has_plan:
        return outcome
    events.step(WRITE_STEP)
    return check_and_write(scenario, plan, out)


def make_plan(scenario: Scenario, options: SolveOptions, events: SolveEvents, *, in_child: bool = False) -> Plan:
    """The greedy plan, or the plan of the backend ``options.solver``."""
    if options.solver == GREEDY:
        from planner.heuristics.greedy import solve_greedy

        events.step(GREEDY_STEP)
        return solve_greedy(scenario)
    events.step(MODEL_STEP)
    if in_child:
        from planner.solvers.process import solve_in_child

        return solve_in_child(scenario, events=events, **options.as_keywords())
    from planner.solvers import solve

    return solve(scenario, events=events, **options.as_keywords())


class _Rejected(Exception):
    """The checker found violations in the plan folder about to be written."""


def check_and_write(scenario: Scenario, plan: Plan, out: Path) -> SolveOutcome:
    """Write the plan folder atomically, once :func:`planner.checker.check_plan` finds no violation in it."""
    violations: list[Violation] = []

    def verify(folder: Path) -> None:
        violations.extend(check_plan(scenario, folder).violations)
        if violations:
            raise _Rejected()

    try:
        folder = write_plan(scenario, plan, out, verify=verify)
    except _Rejected:
        return SolveOutcome(plan, None, violations)
    return SolveOutcome(plan, folder)
