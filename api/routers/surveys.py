"""Members' surveys: submit (JSON rows or the XLSX template), versions, template download."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile, status
from sqlalchemy import func, select

from api.services import surveys as service
from api.core import access
from api.core.auth import NotFunderDep
from api.core.db import SessionDep
from api.routers.deps import Limit, MemberId, Offset, ScenarioId, SettingsDep
from api.core.models import SurveyVersion
from api.core.problems import ApiProblem
from api.core.responses import problems
from api.services.scenarios import catalogue, get_record
from api.schemas import (
    ProblemError,
    SurveyCreate,
    SurveySubmitted,
    SurveyVersionDetail,
    SurveyVersionPublic,
    SurveyVersionsPublic,
)

router = APIRouter(prefix="/v1/scenarios/{scenario_id}/surveys", tags=["surveys"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _public(v: SurveyVersion) -> SurveyVersionPublic:
    return SurveyVersionPublic(scenario_id=v.scenario_id, member_id=v.member_id, version=v.version, source=v.source,
                               created_at=v.created_at, row_count=len(v.rows or []))


def _detail(v: SurveyVersion) -> SurveyVersionDetail:
    return SurveyVersionDetail(**_public(v).model_dump(), rows=v.rows or [])


def _submitted(v: SurveyVersion, notes) -> SurveySubmitted:
    return SurveySubmitted(**_public(v).model_dump(), notes=[ProblemError(**n.as_dict()) for n in notes])


@router.get("", response_model=SurveyVersionsPublic, responses=problems(404))
def list_surveys(scenario_id: ScenarioId, principal: NotFunderDep, session: SessionDep, limit: Limit = 50,
                 offset: Offset = 0) -> SurveyVersionsPublic:
    """The latest survey version of each member (a member: its own only)."""
    record = get_record(session, scenario_id, principal)
    latest = service.latest_versions(session, record.id)
    members = [m for m in record.member_ids or [] if m in latest and access.sees_member(principal, m)]
    page = [_public(latest[m]) for m in members[offset:offset + limit]]
    return SurveyVersionsPublic(data=page, count=len(members), limit=limit, offset=offset)


@router.get("/{member_id}", response_model=SurveyVersionDetail, responses=problems(404))
def get_survey(scenario_id: ScenarioId, member_id: MemberId, principal: NotFunderDep,
               session: SessionDep) -> SurveyVersionDetail:
    """The member's current survey (its latest version) with its rows."""
    record = get_record(session, scenario_id, principal)
    service.check_member(principal, record, member_id)
    return _detail(service.get_version(session, record.id, member_id, None))


@router.post("/{member_id}", status_code=status.HTTP_201_CREATED, response_model=SurveySubmitted,
             responses=problems(400, 404, 409, 413))
def submit_survey(scenario_id: ScenarioId, member_id: MemberId, body: SurveyCreate, principal: NotFunderDep,
                  session: SessionDep, settings: SettingsDep, response: Response) -> SurveySubmitted:
    """Replace the member's rows by these (a new version; earlier versions are kept). An empty list says
    the member has no request this year."""
    record = get_record(session, scenario_id, principal)
    service.check_member(principal, record, member_id)
    rows, notes = service.rows_from_json(settings, record, member_id, [r.model_dump() for r in body.rows])
    version = service.add_version(session, record, member_id, rows, "json", principal)
    response.headers["Location"] = f"/v1/scenarios/{record.id}/surveys/{member_id}/versions/{version.version}"
    return _submitted(version, notes)


@router.post("/{member_id}/workbook", status_code=status.HTTP_201_CREATED, response_model=SurveySubmitted,
             responses=problems(400, 404, 409, 413))
def submit_workbook(scenario_id: ScenarioId, member_id: MemberId,
                    file: Annotated[UploadFile, File(description="The survey template filled (.xlsx), or a CSV file")],
                    principal: NotFunderDep, session: SessionDep, settings: SettingsDep,
                    response: Response) -> SurveySubmitted:
    """Replace the member's rows by those of the filled template (validated as `planner survey merge` does)."""
    record = get_record(session, scenario_id, principal)
    service.check_member(principal, record, member_id)
    rows, notes, source = service.rows_from_file(settings, record, member_id, file.filename, file.file)
    version = service.add_version(session, record, member_id, rows, source, principal)
    response.headers["Location"] = f"/v1/scenarios/{record.id}/surveys/{member_id}/versions/{version.version}"
    return _submitted(version, notes)


@router.get("/{member_id}/versions", response_model=SurveyVersionsPublic, responses=problems(404))
def list_versions(scenario_id: ScenarioId, member_id: MemberId, principal: NotFunderDep, session: SessionDep,
                  limit: Limit = 50, offset: Offset = 0) -> SurveyVersionsPublic:
    """Every version of the member's survey, newest first."""
    record = get_record(session, scenario_id, principal)
    service.check_member(principal, record, member_id)
    where = (SurveyVersion.scenario_id == record.id, SurveyVersion.member_id == member_id)
    count = session.scalar(select(func.count()).select_from(SurveyVersion).where(*where)) or 0
    versions = session.scalars(select(SurveyVersion).where(*where).order_by(SurveyVersion.version.desc())
                               .limit(limit).offset(offset)).all()
    return SurveyVersionsPublic(data=[_public(v) for v in versions], count=count, limit=limit, offset=offset)


@router.get("/{member_id}/versions/{version}", response_model=SurveyVersionDetail, responses=problems(404))
def get_version(scenario_id: ScenarioId, member_id: MemberId, version: Annotated[int, Path(ge=1, le=2**31 - 1)],
                principal: NotFunderDep, session: SessionDep) -> SurveyVersionDetail:
    record = get_record(session, scenario_id, principal)
    service.check_member(principal, record, member_id)
    return _detail(service.get_version(session, record.id, member_id, version))


@router.get("/{member_id}/template", responses={**problems(404), 200: {"content": {XLSX: {}},
                                                                       "description": "The survey workbook"}},
            response_class=Response)
def survey_template(scenario_id: ScenarioId, member_id: MemberId, principal: NotFunderDep, session: SessionDep,
                    settings: SettingsDep) -> Response:
    """The workbook the member fills (as `planner survey template --member`)."""
    from planner.reports.render import safe_name
    from planner.survey.template import build_template

    record = get_record(session, scenario_id, principal)
    service.check_member(principal, record, member_id)
    try:
        workbook = build_template(catalogue(settings, record), member_id)
    except ValueError as exc:
        raise ApiProblem(422, str(exc)) from None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="enquete-{safe_name(record.key)}-{safe_name(member_id)}.xlsx"'})
