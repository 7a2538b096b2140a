"""The application factory: ``create_app(settings)`` builds the app; start-up migrates and recovers.

Nothing is read or connected at import time: settings come in (``planner serve`` reads them from
the environment when it starts), the database is migrated (Alembic ``upgrade head``) and jobs left
running by a dead service are failed in the lifespan's start-up.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.core import problems
from api.core.audit import AuditLog, AuditMiddleware
from api.core.db import make_engine, migrate, session_factory
from api.services.jobs import Runner, recover
from api.core.limits import BodyLimitMiddleware
from api.routers import audit, documents, plans, scenarios, solves, surveys
from api.core.settings import Settings

DESCRIPTION = """Partner API of the pooled training plan: scenarios, members' surveys, solves, plans,
budget splits and documents. Bearer tokens (`planner token create --role ...`) carry a role:
`coordinator` (everything), `funder:<id>` (budget views and aggregates, never a trainee ref),
`member:<id>` (its own survey and its own trainees' sessions). Errors are RFC 9457 problem details."""


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings)
    sessions = session_factory(engine)
    audit_log = AuditLog(sessions)
    runner = Runner(settings, sessions)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        settings.dir()
        migrate(engine)
        recover(settings, sessions)
        audit_log.start()
        runner.start()
        runner.kick()
        try:
            yield
        finally:
            runner.shutdown()
            audit_log.shutdown()
            engine.dispose()

    app = FastAPI(title="planner partner API", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings, app.state.engine, app.state.sessions = settings, engine, sessions
    app.state.audit, app.state.runner = audit_log, runner
    problems.install(app)
    for module in (scenarios, surveys, solves, plans, documents, audit):
        app.include_router(module.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_middleware(AuditMiddleware, audit=audit_log)  # outermost: sees every status, 413 included
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """Problem responses as ``application/problem+json``; FastAPI's own 422 schemas dropped."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code.isdigit() and int(code) >= 400 and "application/json" in content:
                    response["content"] = {problems.MEDIA_TYPE: content["application/json"]}
    for name in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(name, None)
    app.openapi_schema = schema
    return schema
