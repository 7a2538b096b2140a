"""The four tables of a plan (SPEC §3) as typed rows, read once for reports, exports and the API.

Amounts are integer cents, distances integer hectometres, months :data:`Month`, dates
:class:`date`; hours are the exact number written in the table (``%g`` of the module's minutes
/ 60, so a float of it is the float of the CSV cell). Rows come from ``plan.json`` or from
:func:`planner.plans.writer.plan_tables` (the very rows written to the folder); unreadable rows
are reported as :class:`Problem` rows, every one at once, as for scenarios.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from planner.domain import Scenario
from planner.domain.errors import Problem, ScenarioInvalid
from planner.domain.months import Month, format_month, parse_month
from planner.domain.plan import FundingRow, Plan
from planner.domain.units import CENTS_PER_EUR, HECTOMETRES_PER_KM, MINUTES_PER_HOUR, hm_to_km
from planner.plans.writer import plan_tables


@dataclass(frozen=True, slots=True)
class SessionRow:
    session_id: str
    module_code: str
    family: str
    provider_id: str
    venue_id: str
    territory_id: str  # the venue's territory
    start_month: Month
    end_month: Month
    hours: Decimal
    trainees: int  # members' trainees, external seats apart
    external_seats: int
    start_date: date | None  # None until meeting days are computed
    end_date: date | None

    @property
    def minutes(self) -> int:
        return int(round(self.hours * MINUTES_PER_HOUR))

    def record(self) -> dict[str, Any]:
        """The row as plan.json holds it: months and dates as text, hours as a number."""
        return {
            "session_id": self.session_id, "module_code": self.module_code, "family": self.family,
            "provider_id": self.provider_id, "venue_id": self.venue_id, "territory_id": self.territory_id,
            "start_month": format_month(self.start_month), "end_month": format_month(self.end_month),
            "hours": float(self.hours), "trainees": self.trainees, "external_seats": self.external_seats,
            "start_date": date_text(self.start_date), "end_date": date_text(self.end_date),
        }


class _OfRequest:
    """A row naming a survey request by (member, trainee, module)."""

    __slots__ = ()
    member_id: str
    trainee_ref: str
    module_code: str

    @property
    def request_key(self) -> tuple[str, str, str]:
        return (self.member_id, self.trainee_ref, self.module_code)


@dataclass(frozen=True, slots=True)
class AssignmentRow(_OfRequest):
    session_id: str
    member_id: str
    trainee_ref: str
    module_code: str
    travel_min: int
    road_hm: int

    @property
    def road_km(self) -> float:
        return hm_to_km(self.road_hm)


@dataclass(frozen=True, slots=True)
class UnmetRow(_OfRequest):
    member_id: str
    trainee_ref: str
    module_code: str
    reason: str
    detail: str
    cause: str = ""  # reason ``capacity``: release_cap, max_size, provider_parallel or venue_day

    def record(self) -> dict[str, str]:
        return {"member_id": self.member_id, "trainee_ref": self.trainee_ref, "module_code": self.module_code,
                "reason": self.reason, "detail": self.detail, "cause": self.cause}


@dataclass(frozen=True, slots=True)
class PlanTables:
    sessions: tuple[SessionRow, ...]
    assignments: tuple[AssignmentRow, ...]
    funding: tuple[FundingRow, ...]  # amounts in cents
    unmet: tuple[UnmetRow, ...]


def date_text(day: date | None) -> str:
    """A date cell as written: ISO, empty when there is none."""
    return day.isoformat() if day else ""


def _decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _scaled(value: object, factor: int, finer: str) -> int:
    """``value`` times ``factor`` as an integer; ValueError when it is not whole (``finer`` says why)."""
    scaled = _decimal(value) * factor
    if scaled != scaled.to_integral_value():
        raise ValueError(finer)
    return int(scaled)


def _date(value: object) -> date | None:
    text = str(value or "")
    if not text:
        return None
    day = date.fromisoformat(text)
    if day.isoformat() != text:
        raise ValueError(f"expected an ISO date as YYYY-MM-DD, not {text!r}")
    return day


def _session(row: Mapping[str, Any]) -> SessionRow:
    return SessionRow(
        session_id=str(row["session_id"]), module_code=str(row["module_code"]), family=str(row["family"]),
        provider_id=str(row["provider_id"]), venue_id=str(row["venue_id"]), territory_id=str(row["territory_id"]),
        start_month=parse_month(str(row["start_month"])), end_month=parse_month(str(row["end_month"])),
        hours=_decimal(row["hours"]), trainees=int(row["trainees"]), external_seats=int(row.get("external_seats") or 0),
        start_date=_date(row.get("start_date")), end_date=_date(row.get("end_date")),
    )


def _assignment(row: Mapping[str, Any]) -> AssignmentRow:
    return AssignmentRow(
        session_id=str(row["session_id"]), member_id=str(row["member_id"]), trainee_ref=str(row["trainee_ref"]),
        module_code=str(row["module_code"]), travel_min=int(row["travel_min"]),
        road_hm=_scaled(row["road_km"], HECTOMETRES_PER_KM, "distance has fractions of 0.1 km"),
    )


def _funding(row: Mapping[str, Any]) -> FundingRow:
    return FundingRow(
        session_id=str(row.get("session_id") or ""), member_id=str(row["member_id"]), funder_id=str(row["funder_id"]),
        line_id=str(row["line_id"]), cost_item=str(row["cost_item"]),
        amount_cents=_scaled(row["amount_eur"], CENTS_PER_EUR, "amount has fractions of a cent"),
    )


def _unmet(row: Mapping[str, Any]) -> UnmetRow:
    return UnmetRow(member_id=str(row["member_id"]), trainee_ref=str(row["trainee_ref"]),
                    module_code=str(row["module_code"]), reason=str(row.get("reason", "")),
                    detail=str(row.get("detail", "")), cause=str(row.get("cause") or ""))


def object_list(document: Mapping[str, Any], key: str, source: str, problems: list[Problem]) -> list[Mapping[str, Any]]:
    """``document[key]``: a list of objects (none when the key is absent); else a problem, and none."""
    raw = document.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
        problems.append(Problem(source, f"{key} is not a list of objects", column=key))
        return []
    return raw


def parse_tables(document: Mapping[str, Any], source: str, problems: list[Problem]) -> PlanTables:
    """The tables of ``document`` (plan.json, or plan_tables' rows); unreadable rows are left out
    and each is added to ``problems``."""

    def rows(key: str, noun: str, typed: Callable[[Mapping[str, Any]], Any]) -> tuple[Any, ...]:
        out = []
        for i, row in enumerate(object_list(document, key, source, problems), start=1):
            try:
                out.append(typed(row))
            except (KeyError, ValueError, TypeError) as exc:
                problems.append(Problem(source, f"unreadable {noun}: {exc}", row=i, column=key))
        return tuple(out)

    return PlanTables(sessions=rows("sessions", "session", _session),
                      assignments=rows("assignments", "assignment", _assignment),
                      funding=rows("funding", "funding row", _funding),
                      unmet=rows("unmet", "unmet row", _unmet))


def typed_tables(document: Mapping[str, Any], source: str) -> PlanTables:
    """The tables of ``document``; ScenarioInvalid listing every unreadable row."""
    problems: list[Problem] = []
    tables = parse_tables(document, source, problems)
    if problems:
        raise ScenarioInvalid(problems)
    return tables


def tables_of(scenario: Scenario, plan: Plan) -> PlanTables:
    """The tables ``plan`` writes to its folder, typed: what a document of the plan is built from."""
    return typed_tables(plan_tables(scenario, plan), "plan")
