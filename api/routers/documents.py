"""The plan's printable documents (HTML, PDF) and ICS calendars, under the role rules.

- overview, territory and funder documents: aggregates (no trainee ref): coordinator and funders;
- member documents and calendars: the coordinator and that member;
- territory calendars: coordinator and funders (per-member headcounts, no trainee ref).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from api.services import documents as service
from api.core import access
from api.core.auth import CurrentPrincipal
from api.core.db import SessionDep
from api.routers.deps import FileId, PlanId, SettingsDep
from api.core.problems import ApiProblem, not_found
from api.core.responses import problems
from api.routers.plans import data_of, get_plan
from api.services.scenarios import folder_of
from planner.domain import OWN

router = APIRouter(prefix="/v1/plans/{plan_id}", tags=["documents"])
Format = Annotated[Literal["html", "pdf"], Query(description="html (default) or pdf")]
DOCUMENT = {200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "The document"}}
CALENDAR = {200: {"content": {"text/calendar": {}}, "description": "The ICS calendar"}}


def _known(data, kind: str, ident: str) -> None:
    known = {"territory": data.territories, "funder": [f for f in data.funders if f != OWN],
             "member": list(data.members)}[kind]
    if ident not in known:
        raise not_found(kind, ident)


def _file(make, fmt: str) -> FileResponse:
    try:
        path = make()
    except ValueError as exc:  # e.g. a plan with meeting days for some sessions only
        raise ApiProblem(422, f"the documents cannot be made of this plan: {exc}") from None
    return FileResponse(path, media_type=service.MEDIA[fmt])


@router.get("/documents/overview", response_class=FileResponse, responses={**problems(404), **DOCUMENT})
def overview_document(plan_id: PlanId, principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep,
                      format: Format = "html"):
    """The plan's overview: headline figures, map, unmet and near misses (aggregates)."""
    access.check_document(principal, "overview", None)
    plan = get_plan(session, plan_id, principal)
    return _file(lambda: service.document(folder_of(settings, plan.folder), "overview", None, format), format)


@router.get("/documents/{kind}/{ident}", response_class=FileResponse, responses={**problems(404), **DOCUMENT})
def plan_document(plan_id: PlanId, kind: Literal["territory", "funder", "member"], ident: FileId,
                  principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep, format: Format = "html"):
    """One territory's schedule, one funder's budget split, or one member's sheet (French, HTML or PDF)."""
    access.check_document(principal, kind, ident)
    plan = get_plan(session, plan_id, principal)
    _known(data_of(settings, plan), kind, ident)
    return _file(lambda: service.document(folder_of(settings, plan.folder), kind, ident, format), format)


@router.get("/calendars/{kind}/{ident}", response_class=FileResponse, responses={**problems(404), **CALENDAR})
def plan_calendar(plan_id: PlanId, kind: Literal["territory", "member"], ident: FileId,
                  principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep):
    """ICS calendar (one event per meeting day) of a territory's sessions or of a member's trainees."""
    access.check_document(principal, kind, ident)
    plan = get_plan(session, plan_id, principal)
    _known(data_of(settings, plan), kind, ident)
    return _file(lambda: service.calendar(folder_of(settings, plan.folder), kind, ident), "ics")
