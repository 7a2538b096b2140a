"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error leaves the service as ``{type, title, status, detail, instance}``; validation errors
add ``errors: [{file, row, column, value, message, expected, suggestion}]``, the very fields the
CLI prints for a bad scenario (:class:`planner.domain.errors.Problem`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from planner.domain.errors import Problem, ScenarioInvalid

log = logging.getLogger("api")

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:planner:problem:"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    500: "Internal error",
}
SLUGS = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    406: "not-acceptable", 409: "conflict", 413: "too-large", 415: "unsupported-media-type", 422: "invalid-input",
    500: "internal-error",
}


class ApiProblem(Exception):
    """Raised anywhere below a router: becomes a problem-details response."""

    def __init__(self, status: int, detail: str, *, slug: str | None = None, title: str | None = None,
                 errors: Sequence[Problem] | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.slug = slug or SLUGS.get(status, "error")
        self.title = title or TITLES.get(status, "Error")
        self.errors = list(errors) if errors is not None else None
        self.headers = headers


def not_found(what: str, ident: str) -> ApiProblem:
    return ApiProblem(404, f"no {what} {ident!r}", slug="not-found")


def forbidden(detail: str) -> ApiProblem:
    return ApiProblem(403, detail, slug="forbidden")


def invalid(detail: str, errors: Iterable[Problem]) -> ApiProblem:
    return ApiProblem(422, detail, slug="validation", title="Validation failed", errors=list(errors))


def problem_error(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "message": p.message,
            "expected": p.expected, "suggestion": p.suggestion}


def problem_response(request: Request, status: int, detail: str, *, slug: str | None = None,
                     title: str | None = None, errors: Sequence[Problem] | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or SLUGS.get(status, "error")),
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = [problem_error(p) for p in errors]
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:200] + "…"


def request_validation_problems(exc: RequestValidationError) -> list[Problem]:
    """Pydantic's errors as problems: ``file`` says where (body, query, path, header), ``column`` which field."""
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        where = loc[0] if loc else "request"
        rest = loc[1:]
        row = None
        if where == "body" and rest and rest[0] == "rows" and len(rest) > 1 and rest[1].isdigit():
            row = int(rest[1]) + 1  # survey rows: 1-based, as in the workbook
            rest = rest[2:]
        ctx = error.get("ctx") or {}
        expected = ", ".join(f"{k} {v}" for k, v in ctx.items() if k != "error") or None
        problems.append(Problem(file=where, message=str(error.get("msg", "invalid")), row=row,
                                column=".".join(rest) or None, value=_short(error.get("input")),
                                expected=_short(expected)))
    return problems


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, slug=exc.slug, title=exc.title, errors=exc.errors,
                                headers=exc.headers)

    @app.exception_handler(ScenarioInvalid)
    async def _scenario_invalid(request: Request, exc: ScenarioInvalid) -> JSONResponse:
        return problem_response(request, 422, f"{len(exc.problems)} problem(s) in the input", slug="validation",
                                title="Validation failed", errors=exc.problems)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = request_validation_problems(exc)
        return problem_response(request, 422, f"{len(problems)} problem(s) in the request", slug="validation",
                                title="Validation failed", errors=problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # Starlette names the first matching route's methods only
            headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return problem_response(request, exc.status_code, detail, headers=headers or None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "the service hit an unexpected error; it is logged")


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """The methods the OpenAPI schema documents for this path (FastAPI's routers say only one route's)."""
    import re

    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)
