"""Request body limit: 413 problem details beyond ``max_upload_bytes`` (declared or streamed)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core.problems import MEDIA_TYPE, TYPE_BASE


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        try:
            too_large = declared is not None and int(declared) > self.max_bytes
        except ValueError:
            too_large = False
        if too_large:
            await self._refuse(scope, send)
            return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:  # raised inside body parsing: FastAPI passes HTTPExceptions on
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counting, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = json.dumps({"type": TYPE_BASE + "too-large", "title": "Content too large", "status": 413,
                           "detail": f"the request body is larger than {self.max_bytes} bytes",
                           "instance": scope.get("path", "")}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
