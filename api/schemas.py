"""Request and response shapes of the API (kept apart from the stored models in :mod:`api.core.models`).

Families as in the FastAPI full-stack template: ``XCreate`` (input), ``XPublic`` (output),
``XsPublic`` (a page: ``data``, ``count``, ``limit``, ``offset``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


# --- problems ---------------------------------------------------------------------------------
class ProblemError(BaseModel):
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    message: str
    expected: str | None = None
    suggestion: str | None = None


class ProblemDetail(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemError] | None = None


class Page(BaseModel):
    count: int = Field(description="Items matching, over all pages.")
    limit: int
    offset: int


# --- scenarios --------------------------------------------------------------------------------
class ScenarioPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    key: str = Field(description="The id in scenario.toml.")
    title: str
    source_hash: str
    has_survey: bool
    summary: dict[str, Any]
    created_at: datetime


class ScenarioCreated(ScenarioPublic):
    ignored_files: list[str] = Field(default_factory=list, description="Files of the upload that are not scenario files.")


class ScenariosPublic(Page):
    data: list[ScenarioPublic]


class WarningDetail(BaseModel):
    detail: str
    count: int


class ValidationWarning(BaseModel):
    code: str
    title: str
    count: int
    details: list[WarningDetail]


class ValidationReport(BaseModel):
    valid: bool
    problems: list[ProblemError]
    warnings: list[ValidationWarning] = Field(description="Requests no plan can serve, grouped by reason.")
    summary: dict[str, Any]
    survey_versions: dict[str, int] = Field(description="The survey version of each member that was read.")


# --- surveys ----------------------------------------------------------------------------------
class SurveyRowIn(BaseModel):
    """One request. Values are checked as in survey.csv (SPEC §1), with the same messages."""

    model_config = ConfigDict(extra="forbid")

    member_id: str | None = Field(default=None, description="Defaults to the member of the path.")
    trainee_ref: str | int
    module_code: str | int
    priority: int | str | None = None
    available_from: str | None = Field(default=None, description="YYYY-MM")
    available_to: str | None = Field(default=None, description="YYYY-MM")
    max_travel_min: int | str | None = None


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[SurveyRowIn] = Field(max_length=100_000)


class SurveyRow(BaseModel):
    member_id: str
    trainee_ref: str
    module_code: str
    priority: str
    available_from: str
    available_to: str
    max_travel_min: str


class SurveyVersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    scenario_id: str
    member_id: str
    version: int
    source: str = Field(description="scenario (the uploaded survey), json, xlsx or csv")
    created_at: datetime
    row_count: int


class SurveyVersionDetail(SurveyVersionPublic):
    rows: list[SurveyRow]


class SurveySubmitted(SurveyVersionPublic):
    notes: list[ProblemError] = Field(default_factory=list, description="Rows kept once, windows outside the horizon...")


class SurveyVersionsPublic(Page):
    data: list[SurveyVersionPublic]


# --- solves -----------------------------------------------------------------------------------
class SolveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario_id: str = Field(pattern=ID_PATTERN)
    solver: Literal["lns", "highs", "cpsat", "cbc", "greedy"] = "lns"
    time_limit: float = Field(default=60.0, ge=1, le=86400, description=(
        "Seconds for the optimisation: building the model, the greedy start and all stages "
        "(explaining unmet requests comes after)."))
    explain_time_limit: float = Field(default=0.0, ge=0, le=600,
                                      description="Seconds per relaxed re-solve explaining unmet requests (0: quick reading).")
    workers: int = Field(default=1, ge=1, le=64)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    scenario_id: str
    status: Literal["queued", "running", "succeeded", "stopped", "failed"] = Field(description=(
        "As `planner solve`'s exit codes (SPEC §4): succeeded = a checked plan was written, proven optimal or "
        "not (exit 0); failed = no plan written: none found or refused by the checker (exit 3); stopped = "
        "stopped on request, with the best plan so far when there was one (plan_id), else none (exit 3)."))
    stage: str
    best_value: float | None
    bound: float | None
    gap: float | None
    elapsed: float
    stop_requested: bool
    error: str
    plan_id: str | None
    options: dict[str, Any]
    survey_versions: dict[str, int]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobsPublic(Page):
    data: list[JobPublic]


# --- plans ------------------------------------------------------------------------------------
class StagePublic(BaseModel):
    name: str
    value: float
    bound: float | None
    gap: float | None
    proven: bool


class PlanPublic(BaseModel):
    id: str
    scenario_id: str
    job_id: str | None
    solver: str
    solver_version: str
    status: str
    solve_seconds: float
    created_at: datetime
    stages: list[StagePublic] | None = Field(description="null for members")
    kpis: dict[str, Any] | None = Field(description="Aggregates of the plan; null for members")


class PlansPublic(Page):
    data: list[PlanPublic]


class Attendee(BaseModel):
    member_id: str
    trainee_ref: str


class SessionPublic(BaseModel):
    session_id: str
    module_code: str
    family: str
    provider_id: str
    venue_id: str
    territory_id: str
    start_month: str
    end_month: str
    hours: float
    trainees: int
    external_seats: int
    start_date: str
    end_date: str
    attendees: list[Attendee] | None = Field(
        description="Who attends: every trainee for the coordinator, a member's own; null for funders")


class SessionsPublic(Page):
    data: list[SessionPublic]


class UnmetPublic(BaseModel):
    member_id: str
    trainee_ref: str
    module_code: str
    reason: str
    detail: str
    cause: str = Field(default="", description="reason capacity: release_cap, max_size, provider_parallel or "
                                                "venue_day; else empty")


class UnmetsPublic(Page):
    data: list[UnmetPublic]


class BudgetRow(BaseModel):
    funder: str | None = None
    line: str | None = None
    territory: str | None = None
    family: str | None = None
    member_kind: str | None = None
    month: str | None = None
    cost_item: str | None = None
    amount_eur: float
    trainees: int
    trainee_hours: float


class BudgetTotal(BaseModel):
    amount_eur: float
    trainees: int
    trainee_hours: float


class BudgetPublic(BaseModel):
    plan_id: str
    group_by: list[str]
    filters: dict[str, str]
    data: list[BudgetRow]
    count: int
    total: BudgetTotal


class SessionRef(BaseModel):
    module_code: str
    provider_id: str
    venue_id: str
    start_month: str


class SessionBrief(SessionRef):
    territory_id: str
    end_month: str
    trainees: int


class TraineeMove(BaseModel):
    member_id: str
    trainee_ref: str
    module_code: str
    from_session: SessionRef | None
    to_session: SessionRef | None


class FunderDelta(BaseModel):
    funder: str
    before_eur: float
    after_eur: float
    delta_eur: float


class PlanDiff(BaseModel):
    plan_id: str
    against: str
    sessions_opened: list[SessionBrief]
    sessions_closed: list[SessionBrief]
    trainees_moved: list[TraineeMove] | None = Field(description="null for funders (counts only)")
    moved: int
    newly_served: int
    no_longer_served: int
    eur_by_funder: list[FunderDelta]


# --- audit ------------------------------------------------------------------------------------
class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    token_id: str | None
    role: str | None
    method: str
    path: str
    status: int
    duration_ms: float


class AuditsPublic(Page):
    data: list[AuditPublic]
