"""Scenarios: upload (files or one zip), list, get, validation report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status
from sqlalchemy import select

from api.services import scenarios as service
from api.services.assembly import validation_report as report_of
from api.core import access
from api.core.auth import CoordinatorDep, CurrentPrincipal
from api.core.db import SessionDep
from api.routers.deps import Limit, Offset, ScenarioId, SettingsDep
from api.core.models import ScenarioRecord
from api.core.responses import problems
from api.schemas import ScenarioCreated, ScenarioPublic, ScenariosPublic, ValidationReport

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ScenarioCreated, responses=problems(400, 413))
def upload_scenario(
    files: Annotated[list[UploadFile], File(description="scenario.toml and the tables (.csv/.xlsx), or one .zip")],
    principal: CoordinatorDep, session: SessionDep, settings: SettingsDep, response: Response,
) -> ScenarioCreated:
    """Store a scenario after validating it like `planner validate` (422 lists every problem)."""
    record, ignored = service.store(settings, session, [(f.filename, f.file) for f in files], principal)
    response.headers["Location"] = f"/v1/scenarios/{record.id}"
    return ScenarioCreated(**ScenarioPublic.model_validate(record).model_dump(), ignored_files=ignored)


@router.get("", response_model=ScenariosPublic, responses=problems())
def list_scenarios(principal: CurrentPrincipal, session: SessionDep, limit: Limit = 50,
                   offset: Offset = 0) -> ScenariosPublic:
    """Every scenario (a member: those it belongs to), newest first."""
    records = session.scalars(select(ScenarioRecord).order_by(ScenarioRecord.created_at.desc(),
                                                              ScenarioRecord.id)).all()
    records = [r for r in records if access.sees_scenario(principal, r)]
    return ScenariosPublic(data=[ScenarioPublic.model_validate(r) for r in records[offset:offset + limit]],
                           count=len(records), limit=limit, offset=offset)


@router.get("/{scenario_id}", response_model=ScenarioPublic, responses=problems(404))
def get_scenario(scenario_id: ScenarioId, principal: CurrentPrincipal, session: SessionDep) -> ScenarioPublic:
    return ScenarioPublic.model_validate(service.get_record(session, scenario_id, principal))


@router.get("/{scenario_id}/validation", response_model=ValidationReport, responses=problems(404))
def validation_report(scenario_id: ScenarioId, principal: CoordinatorDep, session: SessionDep,
                      settings: SettingsDep) -> ValidationReport:
    """What `planner validate` says of the scenario with the members' latest surveys: every problem, or a
    summary and the requests no plan can serve."""
    record = service.get_record(session, scenario_id, principal)
    return ValidationReport.model_validate(report_of(settings, session, record))
