"""Read a plan folder written by ``planner solve`` back into a :class:`Plan`, against its scenario.

Reports, exports and the API start from a plan on disk. The plan must belong to the scenario
(same id and source hash) and name only known sessions, members, trainees and lines; every
problem is reported at once, as for scenarios.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from planner.domain import Scenario
from planner.domain.errors import Problem, ScenarioInvalid
from planner.domain.months import parse_month
from planner.domain.plan import FundingRow, Plan, PlannedSession, SolveStatus, StageOutcome, UnmetRequest


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

    request_of = {(r.member_id, r.trainee_ref, r.module_code): r.index for r in scenario.requests}
    assigned: dict[str, list[int]] = {}
    for i, a in enumerate(_rows(doc, "assignments", bad), start=1):
        key = (str(a.get("member_id")), str(a.get("trainee_ref")), str(a.get("module_code")))
        if key not in request_of:
            bad("assignment of an unknown request", row=i, column="assignments", value="/".join(key))
            continue
        assigned.setdefault(str(a.get("session_id")), []).append(request_of[key])

    sessions = []
    for i, s in enumerate(_rows(doc, "sessions", bad), start=1):
        try:
            session = PlannedSession(
                id=str(s["session_id"]), module_code=str(s["module_code"]), provider_id=str(s["provider_id"]),
                venue_id=str(s["venue_id"]), start_month=parse_month(str(s["start_month"])),
                end_month=parse_month(str(s["end_month"])),
                requests=tuple(sorted(assigned.get(str(s["session_id"]), []))),
                external_seats=int(s.get("external_seats") or 0),
            )
        except (KeyError, ValueError, TypeError) as exc:
            bad(f"unreadable session: {exc}", row=i, column="sessions")
            continue
        for kind, key, known in (("module", session.module_code, scenario.module),
                                 ("provider", session.provider_id, scenario.provider),
                                 ("venue", session.venue_id, scenario.venue)):
            if key not in known:
                bad(f"unknown {kind}", row=i, column="sessions", value=key)
        sessions.append(session)

    funding = []
    for i, f in enumerate(_rows(doc, "funding", bad), start=1):
        try:
            cents = Decimal(str(f["amount_eur"])) * 100
            if cents != cents.to_integral_value():
                raise ValueError("amount has fractions of a cent")
            funding.append(FundingRow(str(f.get("session_id") or ""), str(f["member_id"]), str(f["funder_id"]),
                                      str(f["line_id"]), str(f["cost_item"]), int(cents)))
        except (KeyError, ValueError, TypeError, InvalidOperation) as exc:
            bad(f"unreadable funding row: {exc}", row=i, column="funding")

    unmet = []
    for i, u in enumerate(_rows(doc, "unmet", bad), start=1):
        key = (str(u.get("member_id")), str(u.get("trainee_ref")), str(u.get("module_code")))
        if key not in request_of:
            bad("unmet row of an unknown request", row=i, column="unmet", value="/".join(key))
            continue
        unmet.append(UnmetRequest(request_of[key], str(u.get("reason", "")), str(u.get("detail", ""))))

    stages = []
    for i, st in enumerate(_rows(doc, "stages", bad), start=1):
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
        funding=funding, unmet=unmet, solve_seconds=float(doc.get("solve_seconds") or 0.0),
        near_misses=list(doc.get("near_misses") or []),
        meeting_days={str(k): [str(d) for d in v] for k, v in meeting_days.items()},
    )


def _rows(doc: dict[str, Any], key: str, bad: Any) -> list[dict[str, Any]]:
    rows = doc.get(key)
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        bad(f"{key} is not a list of objects", column=key)
        return []
    return rows
