"""Entry point: read the plan, cross-reference it, run every rule group, collect violations."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

from planner.checker import assignments, funding, meetings, objective, sessions, unmet
from planner.checker.costs import group_costs
from planner.checker.index import PlanIndex
from planner.checker.read import read_plan
from planner.checker.report import CheckReport, Violation
from planner.domain import Scenario


def _guarded(name: str, step: Callable[[], list[Violation]]) -> list[Violation]:
    """Run one rule group; a bug in the checker becomes an ``internal`` violation, not a crash."""
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - the checker must never crash on a plan
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return [Violation("internal", f"the checker failed in {name} ({type(exc).__name__}: {exc}, at "
                                      f"{Path(where.filename).name}:{where.lineno}); please report this")]


def check_plan(scenario: Scenario, plan_dir: str | Path) -> CheckReport:
    """Verify a plan folder against a scenario (every rule of SPEC §2, the files of SPEC §3).

    Everything is recomputed from ``scenario`` and the plan's files; nothing is trusted from the
    producer of the plan. Never raises on a bad plan: problems are returned as violations.
    """
    report = CheckReport()
    state: dict[str, object] = {}

    def read() -> list[Violation]:
        plan = read_plan(plan_dir)
        ix = state["ix"] = PlanIndex(scenario, plan)
        return plan.violations + ix.violations

    report.violations += _guarded("reading the plan", read)
    ix = state.get("ix")
    if not isinstance(ix, PlanIndex):
        return report

    def costs() -> list[Violation]:
        state["costs"] = group_costs(ix)
        return []

    def funding_rules() -> list[Violation]:
        found = state.get("costs")
        return funding.check(ix, found) if isinstance(found, dict) else []

    def stages() -> list[Violation]:
        report.stage_values = objective.stage_values(ix)
        return objective.check(ix, report.stage_values)

    for name, step in (
        ("plan.json header", lambda: objective.check_header(ix)),
        ("sessions", lambda: sessions.check(ix)),
        ("assignments", lambda: assignments.check(ix)),
        ("meeting days", lambda: meetings.check(ix)),
        ("costs", costs),
        ("funding", funding_rules),
        ("unmet", lambda: unmet.check(ix)),
        ("objective", stages),
    ):
        report.violations += _guarded(name, step)
    return report

