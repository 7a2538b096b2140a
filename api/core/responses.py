"""OpenAPI declarations of the problem-details responses (their media type is set in :mod:`api.main`)."""

from __future__ import annotations

from typing import Any

from api.schemas import ProblemDetail

DESCRIPTIONS = {
    400: "Bad request", 401: "No valid bearer token", 403: "The token's role may not do this",
    404: "Not found", 409: "Conflict with the resource's state", 413: "Upload too large",
    422: "Invalid input (errors lists every problem: file, row, column, value, message, expected, suggestion)",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """401, 403 and 422 always; plus the given codes."""
    return {code: {"model": ProblemDetail, "description": DESCRIPTIONS[code]}
            for code in sorted({401, 403, 422, *codes})}
