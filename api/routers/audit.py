"""The audit log (coordinator) and who the caller is (every role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, select

from api.core.auth import CoordinatorDep, CurrentPrincipal
from api.core.db import SessionDep
from api.routers.deps import Limit, Offset
from api.core.models import AuditEntry
from api.core.responses import problems
from api.schemas import AuditPublic, AuditsPublic

router = APIRouter(prefix="/v1", tags=["audit"])


class Me(BaseModel):
    token_id: str
    role: str
    subject: str | None


@router.get("/me", response_model=Me, responses=problems())
def who_am_i(principal: CurrentPrincipal) -> Me:
    return Me(token_id=principal.token_id, role=principal.role, subject=principal.subject)


@router.get("/audit", response_model=AuditsPublic, responses=problems())
def audit_log(request: Request, principal: CoordinatorDep, session: SessionDep,
              token_id: Annotated[str | None, Query(max_length=32)] = None,
              limit: Limit = 50, offset: Offset = 0) -> AuditsPublic:
    """Every request (who, when, method, path, status), newest first."""
    request.app.state.audit.flush()
    where = [AuditEntry.token_id == token_id] if token_id else []
    count = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id.desc())
                           .limit(limit).offset(offset)).all()
    return AuditsPublic(data=[AuditPublic.model_validate(r) for r in rows], count=count, limit=limit, offset=offset)
