"""Read a plan folder written by ``planner solve`` back into a :class:`Plan`, against its scenario.

Reports, exports and the API start from a plan on disk. The plan must belong to the scenario
(same id and source hash) and name only known sessions, members, trainees and lines; every
problem is reported at once, as for scenarios. :func:`read_tables` gives the plan's tables alone,
typed (:mod:`planner.plans.tables`), for who needs no scenario.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.domain import Scenario
from planner.domain.errors import Problem, ScenarioInvalid
from planner.domain.plan import Plan, PlannedSession, SolveStatus, StageOutcome, UnmetRequest
from planner.plans.tables import PlanTables, object_list, parse_tables, typed_tables


def plan_json_path(folder: str | Path) -> Path:
    """The plan.json of a plan folder (or the file itself)."""
    path = Path(folder)
    return path / "plan.json" if path.is_dir() else path


def read_plan_document(folder: str | Path) -> dict[str, Any]:
    """plan.json as a dict; ScenarioInvalid when it is missing or not JSON."""
    file = plan_json_path(folder)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioInvalid([Problem(str(file), f"cannot read the plan: {exc}",
                                       expected="a plan.json written by planner solve")]) from None
    if not isinstance(document, dict):
        raise ScenarioInvalid([Problem(str(file), "not a plan document", expected="a JSON object")])
    return document


def read_tables(folder: str | Path) -> PlanTables:
    """The typed tables of the plan stored in ``folder`` (its plan.json), without its scenario."""
    return typed_tables(read_plan_document(folder), str(plan_json_path(folder)))


def read_plan(folder: str | Path, scenario: Scenario, *, check_hash: bool = True, same_scenario: bool = True) -> Plan:
    """The plan stored in ``folder`` (its plan.json), resolved against ``scenario``.

    ``same_scenario=False`` reads the plan of another scenario with the same members and survey
    (e.g. a policy variant), to start from its sessions; its requests must all exist here.
    """
    file = plan_json_path(folder)
    doc = read_plan_document(folder)
    problems: list[Problem] = []

    def bad(message: str, *, row: int | None = None, column: str | None = None, value: object = None,
            expected: str | None = None) -> None:
        problems.append(Problem(str(file), message, row=row, column=column,
                                value=None if value is None else str(value), expected=expected))

    if same_scenario and doc.get("scenario_id") != scenario.id:
        bad("the plan belongs to another scenario", column="scenario_id", value=doc.get("scenario_id"),
            expected=f"{scenario.id!r}")
    elif same_scenario and check_hash and doc.get("scenario_hash") != scenario.source_hash:
        bad("the scenario files changed since this plan was solved", column="scenario_hash",
            value=doc.get("scenario_hash"), expected=f"{scenario.source_hash!r} (solve again)")
    if problems:
        raise ScenarioInvalid(problems)

    tables = parse_tables(doc, str(file), problems)
    request_of = {key: r.index for key, r in scenario.request_by_key.items()}
    assigned: dict[str, list[int]] = {}
    for i, a in enumerate(tables.assignments, start=1):
        if a.request_key not in request_of:
            bad("assignment of an unknown request", row=i, column="assignments", value="/".join(a.request_key))
            continue
        assigned.setdefault(a.session_id, []).append(request_of[a.request_key])

    sessions = []
    for i, s in enumerate(tables.sessions, start=1):
        session = PlannedSession(id=s.session_id, module_code=s.module_code, provider_id=s.provider_id,
                                 venue_id=s.venue_id, start_month=s.start_month, end_month=s.end_month,
                                 requests=tuple(sorted(assigned.get(s.session_id, []))),
                                 external_seats=s.external_seats)
        for kind, key, known in (("module", session.module_code, scenario.module),
                                 ("provider", session.provider_id, scenario.provider),
                                 ("venue", session.venue_id, scenario.venue)):
            if key not in known:
                bad(f"unknown {kind}", row=i, column="sessions", value=key)
        sessions.append(session)

    unmet = []
    for i, u in enumerate(tables.unmet, start=1):
        if u.request_key not in request_of:
            bad("unmet row of an unknown request", row=i, column="unmet", value="/".join(u.request_key))
            continue
        unmet.append(UnmetRequest(request_of[u.request_key], u.reason, u.detail, u.cause))

    stages = []
    for i, st in enumerate(object_list(doc, "stages", str(file), problems), start=1):
        try:
            stages.append(StageOutcome(str(st["name"]), float(st["value"]),
                                       None if st.get("bound") is None else float(st["bound"]), bool(st.get("proven"))))
        except (KeyError, ValueError, TypeError) as exc:
            bad(f"unreadable stage: {exc}", row=i, column="stages")
    try:
        status = SolveStatus(doc.get("status"))
    except ValueError:
        bad("unknown status", column="status", value=doc.get("status"), expected=", ".join(s.value for s in SolveStatus))
        status = SolveStatus.ERROR
    meeting_days = doc.get("meeting_days") or {}
    if not isinstance(meeting_days, dict):
        bad("meeting_days is not an object", column="meeting_days")
        meeting_days = {}
    if problems:
        raise ScenarioInvalid(problems)
    return Plan(
        scenario_id=scenario.id, scenario_hash=str(doc.get("scenario_hash", "")), solver=str(doc.get("solver", "")),
        solver_version=str(doc.get("solver_version", "")), status=status, stages=stages, sessions=sessions,
        funding=list(tables.funding), unmet=unmet, solve_seconds=float(doc.get("solve_seconds") or 0.0),
        near_misses=list(doc.get("near_misses") or []),
        meeting_days={str(k): [str(d) for d in v] for k, v in meeting_days.items()},
    )
