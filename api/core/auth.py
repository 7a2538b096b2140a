"""Bearer tokens and roles.

A token is ``plnr_<token id>_<secret>``; only the SHA-256 of the whole string is stored, so a
stolen database gives no usable token. Roles: ``coordinator`` (everything), ``funder:<id>``
(budget views and aggregates, never a trainee ref), ``member:<id>`` (its own survey, its own
trainees' sessions). Ids are those of the scenarios' ``[[funders]]`` and ``members.csv``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.db import SessionDep
from api.core.models import Token, utcnow
from api.core.problems import ApiProblem, forbidden

COORDINATOR, FUNDER, MEMBER = "coordinator", "funder", "member"
_ROLE = re.compile(r"^(coordinator|(funder|member):(\S{1,100}))$")
_TOKEN = re.compile(r"^plnr_([0-9a-f]{12})_[A-Za-z0-9_-]{20,100}$")


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: str
    role: str  # coordinator | funder | member
    subject: str | None = None  # funder or member id

    @property
    def label(self) -> str:
        return self.role if self.subject is None else f"{self.role}:{self.subject}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    def is_member(self, member_id: str | None = None) -> bool:
        return self.role == MEMBER and (member_id is None or self.subject == member_id)

    def is_funder(self) -> bool:
        return self.role == FUNDER


def parse_role(text: str) -> tuple[str, str | None]:
    """``coordinator``, ``funder:<id>`` or ``member:<id>`` as (role, subject); ValueError otherwise."""
    match = _ROLE.match(text.strip())
    if not match:
        raise ValueError(f"invalid role {text!r}: expected coordinator, funder:<id> or member:<id>")
    if match.group(1) == COORDINATOR:
        return COORDINATOR, None
    return match.group(2), match.group(3)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, role_text: str, name: str = "") -> tuple[Token, str]:
    """Store a new token; return its row and the token itself (shown once, never stored)."""
    role, subject = parse_role(role_text)
    token_id = secrets.token_hex(6)
    token = f"plnr_{token_id}_{secrets.token_urlsafe(32)}"
    row = Token(id=token_id, secret_hash=hash_token(token), role=role, subject=subject, name=name,
                created_at=utcnow())
    session.add(row)
    session.commit()
    return row, token


def revoke_token(session: Session, token_id: str) -> Token | None:
    row = session.get(Token, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.commit()
    return row


_bearer = HTTPBearer(auto_error=False, description="A token from `planner token create --role ...`.")


def _unauthenticated(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, slug="unauthenticated", headers={"WWW-Authenticate": "Bearer"})


def authenticate(request: Request, session: SessionDep,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthenticated("a bearer token is required (Authorization: Bearer <token>)")
    token = credentials.credentials.strip()
    row = None
    if _TOKEN.match(token):
        row = session.scalars(select(Token).where(Token.secret_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        raise _unauthenticated("unknown or revoked token")
    principal = Principal(row.id, row.role, row.subject)
    request.state.principal = principal  # for the audit log
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def require(*roles: str):
    """A dependency admitting only the given roles (403 for the others)."""

    async def dependency(principal: CurrentPrincipal) -> Principal:  # no I/O: no thread hop
        if principal.role not in roles:
            raise forbidden(f"role {principal.label} may not use this endpoint (allowed: {', '.join(roles)})")
        return principal

    return dependency


CoordinatorDep = Annotated[Principal, Depends(require(COORDINATOR))]
NotFunderDep = Annotated[Principal, Depends(require(COORDINATOR, MEMBER))]
NotMemberDep = Annotated[Principal, Depends(require(COORDINATOR, FUNDER))]
