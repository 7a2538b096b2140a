"""Typed dependencies shared by the routers (settings, job runner, pagination, path ids).

Dependencies that do no I/O are ``async``: FastAPI would run a plain ``def`` in the thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from api.services.jobs import Runner
from api.schemas import ID_PATTERN
from api.core.settings import Settings


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_runner(request: Request) -> Runner:
    return request.app.state.runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[Runner, Depends(get_runner)]

Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items skipped.")]

# ids made by the service, and ids from a scenario's files (any printable text without '/')
ScenarioId = Annotated[str, Path(pattern=ID_PATTERN)]
PlanId = Annotated[str, Path(pattern=ID_PATTERN)]
JobId = Annotated[str, Path(pattern=ID_PATTERN)]
SCENARIO_ID_PATTERN = r"^[^\x00-\x1f\x7f/]{1,100}$"
MemberId = Annotated[str, Path(pattern=SCENARIO_ID_PATTERN, description="A member_id of members.csv.")]
FileId = Annotated[str, Path(pattern=SCENARIO_ID_PATTERN, description="A territory, funder or member id.")]
